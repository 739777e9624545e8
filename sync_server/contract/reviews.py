"""A reviewer's judgement of one answer: rating, comment, an override of the AI score (with a reason),
and the reviewer's decision about the candidate."""

from datetime import datetime
from enum import StrEnum

from pydantic import Field, model_validator

from sync_server.contract.base import ContractModel


class ReviewDecision(StrEnum):
    shortlist = "shortlist"
    reject = "reject"


class ReviewIn(ContractModel):
    rating: int | None = Field(default=None, ge=1, le=5)
    comment: str = Field(default="", max_length=10_000)
    override_score: float | None = Field(default=None, ge=1, le=5, description="Replaces the AI score (1-5).")
    override_reason: str | None = Field(default=None, max_length=2000)
    decision: ReviewDecision | None = None
    decision_note: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _override_needs_a_reason(self) -> "ReviewIn":
        if self.override_score is not None and not (self.override_reason or "").strip():
            raise ValueError("overriding the AI score needs a reason")
        return self


class ReviewOut(ReviewIn):
    id: str
    response_id: str
    reviewer_id: str | None
    created_at: datetime
    updated_at: datetime
