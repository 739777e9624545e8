"""Jobs that failed every retry: recorded for admins, who can list them and put them back on the queue."""

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from sync_server.models import DeadJob


def record_dead_job(
    session: Session, *, message_id: str, job_name: str, arguments: dict[str, Any], attempts: int, error: str
) -> None:
    if session.scalar(select(DeadJob.id).where(DeadJob.message_id == message_id)) is not None:
        return  # the broker redelivered a message we recorded already
    organization_id = arguments.get("organization_id")
    session.add(
        DeadJob(
            message_id=message_id,
            job_name=job_name,
            arguments=arguments,
            attempts=attempts,
            error=error,
            organization_id=organization_id if isinstance(organization_id, str) else None,
        )
    )


def dead_jobs_query(*, organization_id: str, job_name: str | None, retried: bool | None) -> Select[DeadJob]:
    """An organization's dead jobs. System jobs (no organization) are shown to every admin: they hold
    no organization's data (housekeeping sweeps) and someone has to see them."""
    query = select(DeadJob).where(
        (DeadJob.organization_id == organization_id) | DeadJob.organization_id.is_(None)
    )
    if job_name:
        query = query.where(DeadJob.job_name == job_name)
    if retried is True:
        query = query.where(DeadJob.retried_at.is_not(None))
    elif retried is False:
        query = query.where(DeadJob.retried_at.is_(None))
    return query


def dead_job(session: Session, *, organization_id: str, dead_job_id: str) -> DeadJob | None:
    return session.scalars(
        dead_jobs_query(organization_id=organization_id, job_name=None, retried=None).where(
            DeadJob.id == dead_job_id
        )
    ).one_or_none()
