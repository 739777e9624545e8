"""Kiosk stations, their credentials and the one-time enrollment codes that create them."""

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.models.base import Base, CreatedAtMixin, IdMixin, OrgOwnedMixin, UTCDateTime, fk_id


class Station(IdMixin, CreatedAtMixin, OrgOwnedMixin, Base):
    __tablename__ = "stations"

    name: Mapped[str] = mapped_column(String(200))
    credential_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    app_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    # Answers waiting in the station's outbox, as its last heartbeat said (None: never reported).
    pending_uploads: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pending_uploads_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class EnrollmentCode(IdMixin, CreatedAtMixin, OrgOwnedMixin, Base):
    __tablename__ = "enrollment_codes"

    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    station_name: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    station_id: Mapped[str | None] = fk_id("stations.id", ondelete="SET NULL", nullable=True)
    created_by_id: Mapped[str | None] = fk_id("users.id", ondelete="SET NULL", nullable=True)
