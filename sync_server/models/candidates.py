"""Candidates: people records (no login), with an optional CV file and its extracted text."""

from datetime import datetime

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.models.base import Base, CreatedAtMixin, IdMixin, OrgOwnedMixin, UTCDateTime, fk_id, utcnow


class Candidate(IdMixin, CreatedAtMixin, OrgOwnedMixin, Base):
    __tablename__ = "candidates"
    __table_args__ = (Index("ix_candidates_organization_id_created_at", "organization_id", "created_at"),)

    full_name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True, index=True)
    job_id: Mapped[str | None] = fk_id("jobs.id", ondelete="SET NULL", nullable=True)
    cv_object_key: Mapped[str | None] = mapped_column(String(512), nullable=True)
    cv_filename: Mapped[str | None] = mapped_column(String(255), nullable=True)
    cv_content_type: Mapped[str | None] = mapped_column(String(127), nullable=True)
    cv_size: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    cv_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Filled by the CV processing job (AI issue): pending -> done | failed.
    cv_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    cv_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    created_by_id: Mapped[str | None] = fk_id("users.id", ondelete="SET NULL", nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Right to erasure: personal data is wiped and this is set; the row stays for audit references.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
