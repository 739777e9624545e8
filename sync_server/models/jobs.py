"""Job openings."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.models.base import Base, CreatedAtMixin, IdMixin, OrgOwnedMixin, UTCDateTime, fk_id, utcnow


class Job(IdMixin, CreatedAtMixin, OrgOwnedMixin, Base):
    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        Index("ix_jobs_organization_id_created_at", "organization_id", "created_at"),
    )

    title: Mapped[str] = mapped_column(String(200), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    requirements: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    question_set_id: Mapped[str | None] = fk_id("question_sets.id", ondelete="SET NULL", nullable=True)
    created_by_id: Mapped[str | None] = fk_id("users.id", ondelete="SET NULL", nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
