"""Queries for interviews and their responses (always scoped by organization)."""

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from sync_server.candidates.repository import not_erased
from sync_server.models import Candidate, Interview, Response


def interview(session: Session, *, organization_id: str, interview_id: str) -> Interview | None:
    """A reviewer's view: an erased candidate's interviews are not shown."""
    return session.scalars(
        select(Interview).where(
            Interview.organization_id == organization_id,
            Interview.id == interview_id,
            not_erased(Interview.candidate_id),
        )
    ).one_or_none()


def interviews_query(
    *,
    organization_id: str,
    status: str | None,
    candidate_id: str | None,
    job_id: str | None,
    updated_since: datetime | None,
) -> Select[Interview]:
    query = select(Interview).where(
        Interview.organization_id == organization_id, not_erased(Interview.candidate_id)
    )
    if status is not None:
        query = query.where(Interview.status == status)
    if candidate_id is not None:
        query = query.where(Interview.candidate_id == candidate_id)
    if job_id is not None:
        query = query.where(Interview.job_id == job_id)
    if updated_since is not None:
        query = query.where(Interview.updated_at >= updated_since)
    return query


def candidate_names(session: Session, candidate_ids: set[str]) -> dict[str, str]:
    if not candidate_ids:
        return {}
    rows = session.execute(select(Candidate.id, Candidate.full_name).where(Candidate.id.in_(candidate_ids)))
    return {key: value for key, value in rows}  # noqa: C416  (Result is not a mapping source)


def responses(session: Session, *, organization_id: str, interview_id: str) -> list[Response]:
    return list(
        session.scalars(
            select(Response)
            .where(Response.organization_id == organization_id, Response.interview_id == interview_id)
            .order_by(Response.created_at, Response.id)
        )
    )
