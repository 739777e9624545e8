"""`/api/v1/interviews` for reviewers."""

from datetime import datetime

from fastapi import APIRouter

from sync_server.contract import (
    InterviewDetail,
    InterviewOut,
    InterviewStatus,
    InterviewStatusChange,
    Page,
)
from sync_server.deps import RequireHR, SessionDep
from sync_server.interviews import repository, service
from sync_server.models import Interview
from sync_server.openapi import error_responses
from sync_server.pagination import PageDep, fetch_page

router = APIRouter(tags=["interviews"])

_404 = error_responses(404)


@router.get("/interviews", response_model=Page[InterviewOut])
def list_interviews(
    user: RequireHR,
    session: SessionDep,
    page: PageDep,
    status: InterviewStatus | None = None,
    candidate_id: str | None = None,
    job_id: str | None = None,
    updated_since: datetime | None = None,
) -> Page[InterviewOut]:
    """Interviews, newest first by default; filter by status, candidate, job or last change."""
    query = repository.interviews_query(
        organization_id=user.organization_id,
        status=status,
        candidate_id=candidate_id,
        job_id=job_id,
        updated_since=updated_since,
    )
    rows, total = fetch_page(
        session,
        query,
        page,
        sortable={
            "created_at": Interview.created_at,
            "updated_at": Interview.updated_at,
            "status": Interview.status,
            "completed_at": Interview.completed_at,
        },
        default_sort="-created_at",
        tie_breaker=Interview.id,
    )
    names = repository.candidate_names(session, {i.candidate_id for i in rows})
    items = [service.interview_out(i, names.get(i.candidate_id, "")) for i in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/interviews/{interview_id}", response_model=InterviewDetail, responses=_404)
def get_interview(interview_id: str, user: RequireHR, session: SessionDep) -> InterviewDetail:
    """One interview with its recorded answers."""
    interview = service.get_interview(
        session, organization_id=user.organization_id, interview_id=interview_id
    )
    return service.interview_detail(session, interview)


@router.post(
    "/interviews/{interview_id}/status",
    response_model=InterviewDetail,
    responses=error_responses(400, 404, 409),
)
def change_interview_status(
    interview_id: str, body: InterviewStatusChange, user: RequireHR, session: SessionDep
) -> InterviewDetail:
    """Cancel an interview or mark it expired (the allowed moves are checked)."""
    interview = service.change_status_by_reviewer(
        session,
        organization_id=user.organization_id,
        interview_id=interview_id,
        target=body.status,
        reason=body.reason,
        actor=user.actor,
    )
    return service.interview_detail(session, interview)
