"""Interviews, the answers recorded in them, their AI scores (versioned) and human reviews."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.models.base import (
    Base,
    CreatedAtMixin,
    IdMixin,
    JSONDocument,
    OrgOwnedMixin,
    UTCDateTime,
    fk_id,
    utcnow,
)

INTERVIEW_STATUSES = ("invited", "in_progress", "completed", "expired", "cancelled", "declined")
SCORE_STATUSES = ("scored", "not_enough_to_score", "failed")


class Interview(IdMixin, CreatedAtMixin, OrgOwnedMixin, Base):
    __tablename__ = "interviews"
    __table_args__ = (CheckConstraint(f"status IN {INTERVIEW_STATUSES!r}", name="status"),)

    candidate_id: Mapped[str] = fk_id("candidates.id")
    job_id: Mapped[str | None] = fk_id("jobs.id", ondelete="SET NULL", nullable=True)
    question_set_id: Mapped[str] = fk_id("question_sets.id", ondelete="RESTRICT")
    # The station that opened it; only that station may upload its answers.
    station_id: Mapped[str | None] = fk_id("stations.id", ondelete="SET NULL", nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="invited", index=True)
    accommodations: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    consent_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    consent_given_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The candidate asked to be evaluated by people only: no answer of this interview goes to any AI.
    people_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow, index=True)


class Response(IdMixin, CreatedAtMixin, OrgOwnedMixin, Base):
    """One recorded answer (one attempt at one question)."""

    __tablename__ = "responses"
    __table_args__ = (
        # Stations post answers with their own id so a retried post never duplicates.
        UniqueConstraint("organization_id", "client_answer_id"),
        UniqueConstraint("interview_id", "question_id", "attempt"),
        CheckConstraint("attempt >= 1", name="attempt"),
    )

    interview_id: Mapped[str] = fk_id("interviews.id")
    question_id: Mapped[str] = fk_id("questions.id", ondelete="RESTRICT")
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    client_answer_id: Mapped[str] = mapped_column(String(64))
    media_object_key: Mapped[str | None] = mapped_column(String(512), nullable=True)
    media_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    media_size: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    media_content_type: Mapped[str | None] = mapped_column(String(127), nullable=True)
    duration_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    transcript: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument, nullable=True)
    local_metrics: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument, nullable=True)
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    media_uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Score(IdMixin, CreatedAtMixin, OrgOwnedMixin, Base):
    """An AI score of one response. Never overwritten: re-scoring adds the next version."""

    __tablename__ = "scores"
    __table_args__ = (
        UniqueConstraint("response_id", "version"),
        CheckConstraint(f"status IN {SCORE_STATUSES!r}", name="status"),
    )

    response_id: Mapped[str] = fk_id("responses.id")
    version: Mapped[int] = mapped_column(Integer)
    provider: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(128))
    prompt_version: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(24), index=True)
    overall: Mapped[float | None] = mapped_column(Float, nullable=True)
    criteria: Mapped[dict[str, Any] | list[Any] | None] = mapped_column(JSONDocument, nullable=True)
    # Quoted evidence with transcript timestamps: [{"quote", "start", "end", "criterion"}].
    evidence: Mapped[list[Any] | None] = mapped_column(JSONDocument, nullable=True)
    feedback: Mapped[str] = mapped_column(Text, default="")
    # What producing it cost: time spent in the provider call and the provider's token counts (0 for local).
    latency_ms: Mapped[float | None] = mapped_column(Float, nullable=True)
    input_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    output_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Review(IdMixin, CreatedAtMixin, OrgOwnedMixin, Base):
    """A reviewer's rating, comment and optional override of the AI score for one response."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("response_id", "reviewer_id"),)

    response_id: Mapped[str] = fk_id("responses.id")
    reviewer_id: Mapped[str | None] = fk_id("users.id", ondelete="SET NULL", nullable=True)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    override_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    override_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The reviewer's call on the candidate (shortlist | reject), given while reviewing this answer.
    decision: Mapped[str | None] = mapped_column(String(16), nullable=True, index=True)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
