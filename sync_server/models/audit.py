"""Audit log: who did what to which record, when. Written by services, never edited."""

from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.models.base import Base, CreatedAtMixin, IdMixin, JSONDocument, OrgOwnedMixin


class AuditEntry(IdMixin, CreatedAtMixin, OrgOwnedMixin, Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_organization_id_created_at", "organization_id", "created_at"),
        Index("ix_audit_log_target", "target_type", "target_id"),
    )

    actor_type: Mapped[str] = mapped_column(String(16))  # user | station | system
    actor_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    ip_address: Mapped[str | None] = mapped_column(String(45), nullable=True)
