"""Background job: read an uploaded CV, extract its profile, and index it for matching."""

from datetime import timedelta

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.ai.runtime import ai_services
from sync_server.candidates import cv_files
from sync_server.models import Candidate, CVProfile
from sync_server.screening.errors import CVRejected
from sync_server.screening.extract_text import extract_cv_text
from sync_server.screening.profile import extract_profile
from sync_server.storage import build_storage
from sync_server.storage.base import StorageError
from sync_server.worker import JobContext, job

log = structlog.get_logger(__name__)

PROCESS_CV_JOB = "candidates.process_cv"


def _candidate(session: Session, organization_id: str, candidate_id: str) -> Candidate | None:
    return session.scalars(
        select(Candidate).where(
            Candidate.id == candidate_id,
            Candidate.organization_id == organization_id,
            Candidate.erased_at.is_(None),
        )
    ).one_or_none()


def _read_cv(ctx: JobContext, key: str, size: int | None) -> bytes:
    local = None
    try:
        local = cv_files.cv_path(ctx.settings, key)
    except ValueError:
        local = None
    if local is not None and local.exists():
        return local.read_bytes()
    storage = build_storage(ctx.settings)
    length = size if size is not None else storage.size(key)
    if length is None:
        raise StorageError(f"CV object {key} is missing")
    return b"".join(storage.read_range(key, 0, length))


def _profile_row(session: Session, organization_id: str, candidate_id: str) -> CVProfile:
    row = session.scalars(
        select(CVProfile).where(
            CVProfile.candidate_id == candidate_id, CVProfile.organization_id == organization_id
        )
    ).one_or_none()
    if row is None:
        row = CVProfile(organization_id=organization_id, candidate_id=candidate_id)
        session.add(row)
    return row


@job(PROCESS_CV_JOB, max_retries=5, min_backoff=timedelta(seconds=5), max_backoff=timedelta(minutes=10))
def process_cv(ctx: JobContext, *, organization_id: str, candidate_id: str) -> None:
    """Idempotent: running it twice for the same CV stores the same profile and vectors."""
    with ctx.session() as session:
        candidate = _candidate(session, organization_id, candidate_id)
        if candidate is None or candidate.cv_object_key is None:
            return
        key, size, sha, filename = (
            candidate.cv_object_key,
            candidate.cv_size,
            candidate.cv_sha256,
            candidate.cv_filename or "",
        )
    data = _read_cv(ctx, key, size)
    services = ai_services(ctx.settings)
    try:
        extracted = extract_cv_text(data, filename=filename, max_bytes=ctx.settings.cv_max_bytes)
    except CVRejected as exc:
        # The file itself is the problem: retrying cannot help. HR sees the reason.
        with ctx.session() as session:
            candidate = _candidate(session, organization_id, candidate_id)
            if candidate is None or candidate.cv_sha256 != sha:
                return
            candidate.cv_status = "failed"
            candidate.cv_text = None
            row = _profile_row(session, organization_id, candidate_id)
            row.cv_sha256, row.error, row.skills, row.education, row.recent_titles = (
                sha,
                exc.detail,
                [],
                [],
                [],
            )
            row.years_experience, row.passages = None, 0
        services.matching.remove_cv(organization_id=organization_id, candidate_id=candidate_id)
        log.info("cv_rejected", candidate_id=candidate_id, reason=exc.kind)
        return
    profile = extract_profile(extracted.text)
    passages = services.matching.index_cv(
        organization_id=organization_id, candidate_id=candidate_id, text=extracted.text
    )
    with ctx.session() as session:
        candidate = _candidate(session, organization_id, candidate_id)
        if candidate is None:
            # Erased while we worked: take the vectors back out.
            services.matching.remove_cv(organization_id=organization_id, candidate_id=candidate_id)
            return
        if candidate.cv_sha256 != sha:
            return  # a newer CV arrived; its own job indexes it
        candidate.cv_text = extracted.text
        candidate.cv_status = "done"
        row = _profile_row(session, organization_id, candidate_id)
        row.cv_sha256 = sha
        row.error = None
        row.skills = profile.skills
        row.years_experience = profile.years_experience
        row.education = profile.education
        row.recent_titles = profile.recent_titles
        row.passages = passages
    log.info("cv_processed", candidate_id=candidate_id, passages=passages, skills=len(profile.skills))
