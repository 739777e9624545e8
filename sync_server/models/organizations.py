"""Organizations (tenants) and their people with logins."""

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, String, UniqueConstraint
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


class Organization(IdMixin, CreatedAtMixin, Base):
    __tablename__ = "organizations"

    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    # Branding (logo_url, colors), consent text/version, retention days: shown in plans and used by purges.
    settings: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)


class User(IdMixin, CreatedAtMixin, OrgOwnedMixin, Base):
    """A reviewer or administrator. Candidates are not users: they have invites."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("email"),
        CheckConstraint("role IN ('admin', 'hr')", name="role"),
    )

    email: Mapped[str] = mapped_column(String(320))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Tokens issued before this instant are refused (password change, deactivation).
    tokens_valid_after: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class RefreshToken(IdMixin, CreatedAtMixin, OrgOwnedMixin, Base):
    """One refresh token of a rotation family; only its SHA-256 is stored."""

    __tablename__ = "refresh_tokens"

    user_id: Mapped[str] = fk_id("users.id")
    family_id: Mapped[str] = mapped_column(String(36), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
