"""Invites: a single-use access code (kept only as a keyed hash) that opens one interview."""

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.models.base import Base, CreatedAtMixin, IdMixin, OrgOwnedMixin, UTCDateTime, fk_id


class Invite(IdMixin, CreatedAtMixin, OrgOwnedMixin, Base):
    __tablename__ = "invites"
    __table_args__ = (Index("ix_invites_organization_id_created_at", "organization_id", "created_at"),)

    interview_id: Mapped[str] = fk_id("interviews.id")
    candidate_id: Mapped[str] = fk_id("candidates.id")
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    used_by_station_id: Mapped[str | None] = fk_id("stations.id", ondelete="SET NULL", nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_by_id: Mapped[str | None] = fk_id("users.id", ondelete="SET NULL", nullable=True)
