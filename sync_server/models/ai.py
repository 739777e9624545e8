"""What the AI work keeps: each candidate's screened CV profile and versioned interview summaries."""

from datetime import datetime
from typing import Any

from sqlalchemy import Float, Integer, Text, UniqueConstraint
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


class CVProfile(IdMixin, OrgOwnedMixin, Base):
    """Skills, years, education and recent titles read from a candidate's CV (one row per candidate)."""

    __tablename__ = "cv_profiles"
    __table_args__ = (UniqueConstraint("candidate_id"),)

    candidate_id: Mapped[str] = fk_id("candidates.id")
    cv_sha256: Mapped[str | None] = mapped_column(Text, nullable=True)
    skills: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    years_experience: Mapped[float | None] = mapped_column(Float, nullable=True)
    education: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    recent_titles: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    # Why the CV could not be read (encrypted, image-only, ...), shown to HR; None when it was read.
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    passages: Mapped[int] = mapped_column(Integer, default=0)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class InterviewSummary(IdMixin, CreatedAtMixin, OrgOwnedMixin, Base):
    """The whole interview at a glance, from the latest score of each answer. Versioned like scores."""

    __tablename__ = "interview_summaries"
    __table_args__ = (UniqueConstraint("interview_id", "version"),)

    interview_id: Mapped[str] = fk_id("interviews.id")
    version: Mapped[int] = mapped_column(Integer)
    overall: Mapped[float | None] = mapped_column(Float, nullable=True)
    criteria: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    scored_answers: Mapped[int] = mapped_column(Integer, default=0)
    unscored_answers: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str] = mapped_column(Text, default="")
