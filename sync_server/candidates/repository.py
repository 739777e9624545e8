"""Queries for candidates (always scoped by organization)."""

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from sync_server.errors import CandidateErased
from sync_server.models import Candidate


def candidate(session: Session, *, organization_id: str, candidate_id: str) -> Candidate | None:
    return session.scalars(
        select(Candidate).where(Candidate.organization_id == organization_id, Candidate.id == candidate_id)
    ).one_or_none()


def candidates_query(
    *, organization_id: str, job_id: str | None, search: str | None, has_cv: bool | None
) -> Select[Candidate]:
    query = select(Candidate).where(
        Candidate.organization_id == organization_id, Candidate.erased_at.is_(None)
    )
    if job_id is not None:
        query = query.where(Candidate.job_id == job_id)
    if search:
        pattern = f"%{search}%"
        query = query.where(Candidate.full_name.ilike(pattern) | Candidate.email.ilike(pattern))
    if has_cv is True:
        query = query.where(Candidate.cv_object_key.is_not(None))
    elif has_cv is False:
        query = query.where(Candidate.cv_object_key.is_(None))
    return query


def not_erased(candidate_id: InstrumentedAttribute[str]) -> ColumnElement[bool]:
    """A condition for rows that belong to a candidate who was not erased (e.g. `Interview.candidate_id`)."""
    return (
        ~select(Candidate.id).where(Candidate.id == candidate_id, Candidate.erased_at.is_not(None)).exists()
    )


def refuse_if_erased(session: Session, candidate_id: str) -> None:
    """For a station sending an erased candidate's answers or reports: say so, so it drops its copy.

    Raises:
        CandidateErased: the candidate was erased.
    """
    found = session.get(Candidate, candidate_id)
    if found is not None and found.erased_at is not None:
        raise CandidateErased("This candidate's data was erased; the server takes nothing of theirs again.")
