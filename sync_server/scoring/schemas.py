"""The shape of an answer score, the same whichever provider produced it."""

from typing import Literal

from pydantic import BaseModel, Field, field_validator

Criterion = Literal["relevance", "key_point_coverage", "specificity", "clarity"]
CRITERIA: tuple[Criterion, ...] = ("relevance", "key_point_coverage", "specificity", "clarity")
CRITERION_WEIGHTS: dict[Criterion, float] = {
    "relevance": 0.2,
    "key_point_coverage": 0.35,
    "specificity": 0.3,
    "clarity": 0.15,
}
CRITERION_LABELS: dict[Criterion, str] = {
    "relevance": "relevance to the question",
    "key_point_coverage": "coverage of the expected key points",
    "specificity": "specificity and evidence",
    "clarity": "clarity and structure",
}


class CriterionScore(BaseModel):
    criterion: Criterion
    score: int = Field(ge=1, le=5)
    quote: str = Field(min_length=1, max_length=600, description="Verbatim span of the transcript.")
    reason: str = Field(default="", max_length=500)
    start: float | None = Field(
        default=None,
        description="Start time (s) of the quote in the recording; set by the server, not the model.",
    )


class RubricOutput(BaseModel):
    """What a scorer returns: one entry per criterion and two or three sentences of feedback."""

    criteria: list[CriterionScore] = Field(min_length=4, max_length=4)
    feedback: str = Field(min_length=1, max_length=800)

    @field_validator("criteria")
    @classmethod
    def _each_criterion_once(cls, value: list[CriterionScore]) -> list[CriterionScore]:
        names = sorted(c.criterion for c in value)
        if names != sorted(CRITERIA):
            raise ValueError(f"needs each of {', '.join(CRITERIA)} exactly once")
        return sorted(value, key=lambda c: CRITERIA.index(c.criterion))

    def overall(self) -> float:
        total = sum(CRITERION_WEIGHTS[c.criterion] * c.score for c in self.criteria)
        return round(total, 1)


class AnswerScore(BaseModel):
    """A stored score: either a rubric with evidence, or "not enough to score" with the reason."""

    status: Literal["scored", "not_enough_to_score"]
    overall: float | None = Field(default=None, ge=1, le=5)
    criteria: list[CriterionScore] = Field(default_factory=list)
    feedback: str = ""
    reason: str | None = None
    provider: str
    model: str
    prompt_version: str
    latency_ms: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
