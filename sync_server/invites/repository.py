"""Queries for invites (always scoped by organization)."""

from datetime import datetime

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from sync_server.models import Invite


def invite(session: Session, *, organization_id: str, invite_id: str) -> Invite | None:
    return session.scalars(
        select(Invite).where(Invite.organization_id == organization_id, Invite.id == invite_id)
    ).one_or_none()


def invite_by_code_hash(session: Session, *, organization_id: str, code_hash: str) -> Invite | None:
    return session.scalars(
        select(Invite).where(Invite.organization_id == organization_id, Invite.code_hash == code_hash)
    ).one_or_none()


def invites_query(
    *, organization_id: str, candidate_id: str | None, state: str | None, now: datetime
) -> Select[Invite]:
    query = select(Invite).where(Invite.organization_id == organization_id)
    if candidate_id is not None:
        query = query.where(Invite.candidate_id == candidate_id)
    if state == "open":
        query = query.where(Invite.used_at.is_(None), Invite.revoked_at.is_(None), Invite.expires_at > now)
    elif state == "used":
        query = query.where(Invite.used_at.is_not(None))
    elif state == "revoked":
        query = query.where(Invite.revoked_at.is_not(None))
    elif state == "expired":
        query = query.where(Invite.used_at.is_(None), Invite.revoked_at.is_(None), Invite.expires_at <= now)
    return query


def claim(session: Session, *, invite_id: str, station_id: str, now: datetime) -> bool:
    """Mark an invite used by a station; False if it was used (or revoked) meanwhile."""
    result = session.execute(
        update(Invite)
        .where(Invite.id == invite_id, Invite.used_at.is_(None), Invite.revoked_at.is_(None))
        .values(used_at=now, used_by_station_id=station_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
