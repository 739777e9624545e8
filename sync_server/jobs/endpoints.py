"""`/api/v1/jobs`."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from sync_server.contract import JobCreate, JobOut, JobStatus, JobUpdate, Page
from sync_server.deps import RequireHR, SessionDep
from sync_server.jobs import repository, service
from sync_server.models import Job
from sync_server.openapi import error_responses
from sync_server.pagination import PageDep, fetch_page

router = APIRouter(tags=["jobs"])

_404 = error_responses(404)


@router.get("/jobs", response_model=Page[JobOut])
def list_jobs(
    user: RequireHR,
    session: SessionDep,
    page: PageDep,
    status: JobStatus | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Part of the title.")] = None,
) -> Page[JobOut]:
    query = repository.jobs_query(organization_id=user.organization_id, status=status, search=q)
    rows, total = fetch_page(
        session,
        query,
        page,
        sortable={
            "title": Job.title,
            "created_at": Job.created_at,
            "updated_at": Job.updated_at,
            "status": Job.status,
        },
        default_sort="-created_at",
        tie_breaker=Job.id,
    )
    return Page(items=[service.job_out(j) for j in rows], total=total, limit=page.limit, offset=page.offset)


@router.post("/jobs", response_model=JobOut, status_code=status.HTTP_201_CREATED, responses=_404)
def create_job(body: JobCreate, user: RequireHR, session: SessionDep) -> JobOut:
    return service.job_out(
        service.create_job(session, organization_id=user.organization_id, data=body, actor=user.actor)
    )


@router.get("/jobs/{job_id}", response_model=JobOut, responses=_404)
def get_job(job_id: str, user: RequireHR, session: SessionDep) -> JobOut:
    return service.job_out(service.get_job(session, organization_id=user.organization_id, job_id=job_id))


@router.patch("/jobs/{job_id}", response_model=JobOut, responses=_404)
def update_job(job_id: str, body: JobUpdate, user: RequireHR, session: SessionDep) -> JobOut:
    job = service.update_job(
        session, organization_id=user.organization_id, job_id=job_id, changes=body, actor=user.actor
    )
    return service.job_out(job)
