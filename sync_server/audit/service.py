"""Writing the audit log. Services call `record` inside the transaction of the change they make,
so a change and its audit entry are committed together or not at all."""

from typing import Any

from sqlalchemy.orm import Session

from sync_server.models import AuditEntry

SYSTEM_ACTOR = ("system", None)


def record(
    session: Session,
    *,
    organization_id: str,
    actor: tuple[str, str | None],
    action: str,
    target_type: str,
    target_id: str | None,
    details: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> None:
    """Add an audit entry (never put secrets or access codes in `details`)."""
    actor_type, actor_id = actor
    session.add(
        AuditEntry(
            organization_id=organization_id,
            actor_type=actor_type,
            actor_id=actor_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            details=details or {},
            ip_address=ip_address,
        )
    )
