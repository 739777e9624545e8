"""Background jobs that failed every retry: kept for admins to inspect and retry."""

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.models.base import Base, CreatedAtMixin, IdMixin, JSONDocument, UTCDateTime, fk_id


class DeadJob(IdMixin, CreatedAtMixin, Base):
    __tablename__ = "dead_jobs"

    # Set when the job named an organization (kwarg organization_id); system jobs have none.
    organization_id: Mapped[str | None] = fk_id("organizations.id", nullable=True)
    job_name: Mapped[str] = mapped_column(String(128), index=True)
    arguments: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    retried_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
