"""`/api/v1/admin/jobs/dead`: background jobs that failed every retry (admin)."""

from fastapi import APIRouter

from sync_server.contract import DeadJobOut, Page
from sync_server.deps import RequireAdmin, SessionDep
from sync_server.errors import NotFound
from sync_server.models import DeadJob, utcnow
from sync_server.openapi import error_responses
from sync_server.pagination import PageDep, fetch_page
from sync_server.worker import dead_letters
from sync_server.worker.queue import current_queue

router = APIRouter(tags=["admin"])


def _out(row: DeadJob) -> DeadJobOut:
    return DeadJobOut(
        id=row.id,
        job_name=row.job_name,
        arguments=row.arguments or {},
        attempts=row.attempts,
        error=row.error,
        created_at=row.created_at,
        retried_at=row.retried_at,
    )


@router.get("/admin/jobs/dead", response_model=Page[DeadJobOut])
def list_dead_jobs(
    admin: RequireAdmin,
    session: SessionDep,
    page: PageDep,
    job_name: str | None = None,
    retried: bool | None = None,
) -> Page[DeadJobOut]:
    """Jobs that failed every retry, newest first (admin)."""
    query = dead_letters.dead_jobs_query(
        organization_id=admin.organization_id, job_name=job_name, retried=retried
    )
    rows, total = fetch_page(
        session,
        query,
        page,
        sortable={"created_at": DeadJob.created_at, "job_name": DeadJob.job_name},
        default_sort="-created_at",
        tie_breaker=DeadJob.id,
    )
    return Page(items=[_out(r) for r in rows], total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/admin/jobs/dead/{dead_job_id}/retry", response_model=DeadJobOut, responses=error_responses(404)
)
def retry_dead_job(dead_job_id: str, admin: RequireAdmin, session: SessionDep) -> DeadJobOut:
    """Put a failed job back on the queue with the same arguments (admin)."""
    row = dead_letters.dead_job(session, organization_id=admin.organization_id, dead_job_id=dead_job_id)
    if row is None:
        raise NotFound("No failed job with that id.")
    current_queue().enqueue(row.job_name, **(row.arguments or {}))
    row.retried_at = utcnow()
    session.commit()
    return _out(row)
