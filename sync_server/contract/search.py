"""Full-text search over what candidates said: one hit per answer, with the moment to seek to."""

from pydantic import BaseModel, Field

TRANSCRIPT_QUERY_MAX_LENGTH = 200


class TextSpan(BaseModel):
    """A highlighted stretch of `snippet`: characters [start, end) (offsets, so no markup is ever sent)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class TranscriptHit(BaseModel):
    candidate_id: str
    candidate_name: str
    interview_id: str
    response_id: str
    question_id: str
    question_text: str
    attempt: int = Field(ge=1)
    snippet: str = Field(description="Plain text around the first match ('…' where it was cut).")
    highlights: list[TextSpan] = Field(description="The matching words inside `snippet`.")
    start_seconds: float = Field(ge=0, description="When the first matching word is spoken in the answer.")
