"""Queries for stations and enrollment codes."""

from datetime import datetime

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from sync_server.models import EnrollmentCode, Station


def station(session: Session, *, organization_id: str, station_id: str) -> Station | None:
    return session.scalars(
        select(Station).where(Station.organization_id == organization_id, Station.id == station_id)
    ).one_or_none()


def stations_query(*, organization_id: str, revoked: bool | None) -> Select[Station]:
    query = select(Station).where(Station.organization_id == organization_id)
    if revoked is True:
        query = query.where(Station.revoked_at.is_not(None))
    elif revoked is False:
        query = query.where(Station.revoked_at.is_(None))
    return query


def enrollment_code_by_hash(session: Session, code_hash: str) -> EnrollmentCode | None:
    return session.scalars(select(EnrollmentCode).where(EnrollmentCode.code_hash == code_hash)).one_or_none()


def claim_enrollment_code(session: Session, *, code_id: str, now: datetime) -> bool:
    result = session.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.id == code_id, EnrollmentCode.used_at.is_(None))
        .values(used_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
