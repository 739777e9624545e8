"""Candidates: people records with an optional CV (its text is extracted by a background job)."""

from dataclasses import dataclass

import structlog
from sqlalchemy.orm import Session

from sync_server.audit.service import record
from sync_server.candidates import cv_files, repository
from sync_server.config import ServerSettings
from sync_server.contract import CV_CONTENT_TYPES, CandidateOut, CandidateUpdate
from sync_server.contract.base import require_plain_text
from sync_server.errors import NotFound, PayloadTooLarge, UnprocessableEntity
from sync_server.jobs.service import get_job
from sync_server.models import Candidate, new_id
from sync_server.organizations.service import normalize_email
from sync_server.worker import enqueue, is_registered

Actor = tuple[str, str | None]
log = structlog.get_logger(__name__)

# Registered by the CV screening part with keyword arguments (organization_id, candidate_id).
CV_PROCESSING_JOB = "candidates.process_cv"


@dataclass(frozen=True, slots=True)
class CvUpload:
    filename: str
    content_type: str
    data: bytes


def candidate_out(candidate: Candidate) -> CandidateOut:
    return CandidateOut(
        id=candidate.id,
        full_name=candidate.full_name,
        email=candidate.email,
        job_id=candidate.job_id,
        cv_filename=candidate.cv_filename,
        cv_size=candidate.cv_size,
        cv_status=candidate.cv_status,
        created_at=candidate.created_at,
        updated_at=candidate.updated_at,
    )


def get_candidate(session: Session, *, organization_id: str, candidate_id: str) -> Candidate:
    candidate = repository.candidate(session, organization_id=organization_id, candidate_id=candidate_id)
    if candidate is None or candidate.erased_at is not None:
        raise NotFound("No candidate with that id.")
    return candidate


def _check_cv(settings: ServerSettings, cv: CvUpload) -> None:
    if cv.content_type not in CV_CONTENT_TYPES:
        raise UnprocessableEntity(
            f"A CV must be a PDF, a Word (.docx) or a text file, not {cv.content_type or 'unknown'}."
        )
    if not cv.data:
        raise UnprocessableEntity("The CV file is empty.")
    try:
        require_plain_text(cv.filename)
    except ValueError as exc:
        raise UnprocessableEntity(f"The CV's file name {exc}.") from None
    if len(cv.data) > settings.max_cv_upload_bytes:
        raise PayloadTooLarge(f"A CV may be at most {settings.max_cv_upload_bytes // 1_048_576} MiB.")
    if cv.content_type == "application/pdf" and not cv.data.startswith(b"%PDF"):
        raise UnprocessableEntity("The CV claims to be a PDF but is not one.")
    if cv.content_type.endswith("document") and not cv.data.startswith(b"PK"):
        raise UnprocessableEntity("The CV claims to be a Word document but is not one.")


def create_candidate(
    session: Session,
    settings: ServerSettings,
    *,
    organization_id: str,
    full_name: str,
    email: str | None,
    job_id: str | None,
    cv: CvUpload | None,
    actor: Actor,
) -> Candidate:
    """Create the candidate; the CV (if any) is written before the row, so no row points at nothing."""
    full_name = full_name.strip()
    if not full_name:
        raise UnprocessableEntity("The candidate needs a name.")
    if job_id:
        get_job(session, organization_id=organization_id, job_id=job_id)
    candidate = Candidate(
        id=new_id(),
        organization_id=organization_id,
        full_name=full_name,
        email=normalize_email(email) if email else None,
        job_id=job_id or None,
        created_by_id=actor[1] if actor[0] == "user" else None,
    )
    if cv is not None:
        _check_cv(settings, cv)
        candidate.cv_object_key = cv_files.store_cv(
            settings,
            organization_id=organization_id,
            candidate_id=candidate.id,
            content_type=cv.content_type,
            data=cv.data,
        )
        candidate.cv_filename = cv.filename[:255]
        candidate.cv_content_type = cv.content_type
        candidate.cv_size = len(cv.data)
        candidate.cv_sha256 = cv_files.sha256_of(cv.data)
        candidate.cv_status = "pending"
    session.add(candidate)
    record(
        session,
        organization_id=organization_id,
        actor=actor,
        action="candidate.created",
        target_type="candidate",
        target_id=candidate.id,
        details={"has_cv": cv is not None},
    )
    try:
        session.commit()
    except Exception:
        if candidate.cv_object_key:
            cv_files.delete_cv(settings, candidate.cv_object_key)
        raise
    if candidate.cv_object_key and is_registered(CV_PROCESSING_JOB):
        try:
            enqueue(CV_PROCESSING_JOB, organization_id=organization_id, candidate_id=candidate.id)
        except Exception:
            # The candidate and the file are safe; the CV stays `pending` until processed again.
            log.exception("cv_processing_not_enqueued", candidate_id=candidate.id)
    return candidate


def update_candidate(
    session: Session, *, organization_id: str, candidate_id: str, changes: CandidateUpdate, actor: Actor
) -> Candidate:
    candidate = get_candidate(session, organization_id=organization_id, candidate_id=candidate_id)
    fields = changes.model_dump(exclude_unset=True)
    if fields.get("full_name"):
        candidate.full_name = fields["full_name"].strip()
    if "email" in fields:
        candidate.email = normalize_email(fields["email"]) if fields["email"] else None
    if "job_id" in fields:
        if fields["job_id"]:
            get_job(session, organization_id=organization_id, job_id=fields["job_id"])
        candidate.job_id = fields["job_id"] or None
    record(
        session,
        organization_id=organization_id,
        actor=actor,
        action="candidate.updated",
        target_type="candidate",
        target_id=candidate.id,
        details={"fields": sorted(fields)},
    )
    session.commit()
    return candidate
