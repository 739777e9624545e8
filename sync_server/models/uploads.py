"""Resumable (tus) uploads in progress: how much has arrived and where it goes."""

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.models.base import (
    Base,
    CreatedAtMixin,
    IdMixin,
    JSONDocument,
    OrgOwnedMixin,
    UTCDateTime,
    fk_id,
)


class Upload(IdMixin, CreatedAtMixin, OrgOwnedMixin, Base):
    __tablename__ = "uploads"

    station_id: Mapped[str | None] = fk_id("stations.id", ondelete="SET NULL", nullable=True)
    interview_id: Mapped[str | None] = fk_id("interviews.id", nullable=True)
    response_id: Mapped[str | None] = fk_id("responses.id", ondelete="SET NULL", nullable=True)
    length: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    upload_metadata: Mapped[dict[str, Any]] = mapped_column("metadata", JSONDocument, default=dict)
    object_key: Mapped[str] = mapped_column(String(512))
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
