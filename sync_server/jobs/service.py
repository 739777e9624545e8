"""Job openings: create, edit, close."""

from sqlalchemy.orm import Session

from sync_server.audit.service import record
from sync_server.contract import JobCreate, JobOut, JobStatus, JobUpdate
from sync_server.errors import NotFound
from sync_server.jobs import repository
from sync_server.models import Job
from sync_server.question_sets.service import get_question_set

Actor = tuple[str, str | None]


def job_out(job: Job) -> JobOut:
    return JobOut(
        id=job.id,
        title=job.title,
        description=job.description,
        requirements=job.requirements,
        status=JobStatus(job.status),
        question_set_id=job.question_set_id,
        created_at=job.created_at,
        updated_at=job.updated_at,
    )


def get_job(session: Session, *, organization_id: str, job_id: str) -> Job:
    job = repository.job(session, organization_id=organization_id, job_id=job_id)
    if job is None:
        raise NotFound("No job with that id.")
    return job


def create_job(session: Session, *, organization_id: str, data: JobCreate, actor: Actor) -> Job:
    if data.question_set_id is not None:
        get_question_set(session, organization_id=organization_id, question_set_id=data.question_set_id)
    job = Job(
        organization_id=organization_id,
        title=data.title.strip(),
        description=data.description,
        requirements=data.requirements,
        question_set_id=data.question_set_id,
        created_by_id=actor[1] if actor[0] == "user" else None,
    )
    session.add(job)
    session.flush()
    record(
        session,
        organization_id=organization_id,
        actor=actor,
        action="job.created",
        target_type="job",
        target_id=job.id,
    )
    session.commit()
    return job


def update_job(
    session: Session, *, organization_id: str, job_id: str, changes: JobUpdate, actor: Actor
) -> Job:
    job = get_job(session, organization_id=organization_id, job_id=job_id)
    fields = changes.model_dump(exclude_unset=True)
    if fields.get("question_set_id") is not None:
        get_question_set(session, organization_id=organization_id, question_set_id=fields["question_set_id"])
    for name, value in fields.items():
        if value is None and name != "question_set_id":
            continue
        setattr(job, name, value.value if isinstance(value, JobStatus) else value)
    record(
        session,
        organization_id=organization_id,
        actor=actor,
        action="job.updated",
        target_type="job",
        target_id=job.id,
        details={"fields": sorted(fields)},
    )
    session.commit()
    return job
