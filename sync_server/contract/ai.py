"""AI results on the wire: answer scores with evidence, job matches, question drafts, interview summaries."""

from typing import Literal

from pydantic import BaseModel, Field

from sync_server.contract.base import ContractModel
from sync_server.contract.question_sets import QuestionIn


class CriterionScoreOut(BaseModel):
    criterion: Literal["relevance", "key_point_coverage", "specificity", "clarity"]
    score: int = Field(ge=1, le=5)
    quote: str = Field(description="Verbatim span of the transcript that supports the score.")
    start: float | None = Field(description="When the quote starts in the recording, in seconds.")
    reason: str


class ScoreOut(BaseModel):
    """One version of the AI score of one answer. Re-scoring adds a version; none is ever overwritten."""

    id: str
    response_id: str
    version: int
    status: Literal["scored", "not_enough_to_score", "failed"]
    overall: float | None = Field(description="1-5; null when not scored.")
    criteria: list[CriterionScoreOut]
    feedback: str
    reason: str | None = Field(default=None, description="Why there is no score (not enough speech, ...).")
    provider: str
    model: str
    prompt_version: str
    latency_ms: float | None = Field(
        default=None, description="Time in the provider call; null when none ran."
    )
    input_tokens: int = Field(
        default=0, description="Tokens the provider billed for the prompt (0 for local)."
    )
    output_tokens: int = Field(
        default=0, description="Tokens the provider billed for the answer (0 for local)."
    )
    created_at: str


class RescoreQueued(BaseModel):
    response_id: str
    job_id: str = Field(description="The background job's message id.")


class RequirementMatchOut(BaseModel):
    requirement: str
    status: Literal["matched", "partial", "missing"]
    similarity: float
    evidence: str | None = Field(description="The CV passage that meets the requirement.")
    evidence_section: str | None
    skills_list_only: bool = Field(description="Only a skills list names it; no described work backs it.")


class MatchOut(BaseModel):
    candidate_id: str
    candidate_name: str
    score: float = Field(ge=0, le=100)
    explanation: str
    requirements: list[RequirementMatchOut]
    missing: list[str]


class SimilarCandidateOut(BaseModel):
    candidate_id: str
    candidate_name: str
    similarity: float


class QuestionDraftIn(ContractModel):
    candidate_id: str | None = Field(default=None, description="Tailor the questions to this candidate's CV.")
    count: int = Field(default=8, ge=1, le=20)


class QuestionDraftOut(QuestionIn):
    source: str = Field(description='"bank:<id>" for a bank question, or the LLM provider.')
    rationale: str = ""


class QuestionDraftSet(BaseModel):
    """A draft for HR to edit; nothing is saved until it is posted as a question set."""

    draft: Literal[True] = True
    job_id: str
    questions: list[QuestionDraftOut]
    provider: str
    model: str
    prompt_version: str


class InterviewSummaryOut(BaseModel):
    interview_id: str
    version: int
    overall: float | None
    criteria: dict[str, float]
    scored_answers: int
    unscored_answers: int
    summary: str
    created_at: str


class CVProfileOut(BaseModel):
    candidate_id: str
    cv_status: str | None = Field(description="pending, done or failed.")
    error: str | None = Field(description="Why the CV could not be read, when it could not.")
    skills: list[str]
    years_experience: float | None
    education: list[str]
    recent_titles: list[str]
