"""Queries for job openings (always scoped by organization)."""

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from sync_server.models import Job


def job(session: Session, *, organization_id: str, job_id: str) -> Job | None:
    return session.scalars(
        select(Job).where(Job.organization_id == organization_id, Job.id == job_id)
    ).one_or_none()


def jobs_query(*, organization_id: str, status: str | None, search: str | None) -> Select[Job]:
    query = select(Job).where(Job.organization_id == organization_id)
    if status is not None:
        query = query.where(Job.status == status)
    if search:
        query = query.where(Job.title.ilike(f"%{search}%"))
    return query
