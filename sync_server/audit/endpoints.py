"""`/api/v1/audit-log` (admin)."""

from datetime import datetime

from fastapi import APIRouter
from sqlalchemy import select

from sync_server.contract import AuditEntryOut, Page
from sync_server.deps import RequireAdmin, SessionDep
from sync_server.models import AuditEntry
from sync_server.pagination import PageDep, fetch_page

router = APIRouter(tags=["admin"])


@router.get("/audit-log", response_model=Page[AuditEntryOut])
def list_audit_log(
    admin: RequireAdmin,
    session: SessionDep,
    page: PageDep,
    action: str | None = None,
    actor_id: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    since: datetime | None = None,
) -> Page[AuditEntryOut]:
    """Who did what to which record, newest first (admin)."""
    query = select(AuditEntry).where(AuditEntry.organization_id == admin.organization_id)
    if action:
        query = query.where(AuditEntry.action == action)
    if actor_id:
        query = query.where(AuditEntry.actor_id == actor_id)
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    if target_id:
        query = query.where(AuditEntry.target_id == target_id)
    if since:
        query = query.where(AuditEntry.created_at >= since)
    rows, total = fetch_page(
        session,
        query,
        page,
        sortable={"created_at": AuditEntry.created_at, "action": AuditEntry.action},
        default_sort="-created_at",
        tie_breaker=AuditEntry.id,
    )
    items = [
        AuditEntryOut(
            id=e.id,
            actor_type=e.actor_type,
            actor_id=e.actor_id,
            action=e.action,
            target_type=e.target_type,
            target_id=e.target_id,
            details=e.details or {},
            ip_address=e.ip_address,
            created_at=e.created_at,
        )
        for e in rows
    ]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)
