"""`/api/v1/candidates` (multipart create with an optional CV file)."""

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile, status
from fastapi.responses import FileResponse, Response

from sync_server.candidates import cv_files, repository, service
from sync_server.candidates.erasure import erase_candidate
from sync_server.contract import CandidateErase, CandidateErased, CandidateOut, CandidateUpdate, Page
from sync_server.contract.base import PlainText
from sync_server.deps import RequireHR, SessionDep, SettingsDep, StorageDep
from sync_server.errors import NotFound, ServiceUnavailable
from sync_server.models import Candidate
from sync_server.openapi import error_responses
from sync_server.pagination import PageDep, fetch_page

router = APIRouter(tags=["candidates"])

_404 = error_responses(404)


@router.get("/candidates", response_model=Page[CandidateOut])
def list_candidates(
    user: RequireHR,
    session: SessionDep,
    page: PageDep,
    job_id: str | None = None,
    has_cv: bool | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Part of the name or email.")] = None,
) -> Page[CandidateOut]:
    query = repository.candidates_query(
        organization_id=user.organization_id, job_id=job_id, search=q, has_cv=has_cv
    )
    rows, total = fetch_page(
        session,
        query,
        page,
        sortable={
            "full_name": Candidate.full_name,
            "created_at": Candidate.created_at,
            "updated_at": Candidate.updated_at,
        },
        default_sort="-created_at",
        tie_breaker=Candidate.id,
    )
    return Page(
        items=[service.candidate_out(c) for c in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.post(
    "/candidates",
    response_model=CandidateOut,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(404, 413),
)
def create_candidate(
    user: RequireHR,
    session: SessionDep,
    settings: SettingsDep,
    full_name: Annotated[PlainText, Form(min_length=1, max_length=200)],
    email: Annotated[PlainText | None, Form(max_length=320)] = None,
    job_id: Annotated[PlainText | None, Form(max_length=36)] = None,
    cv: Annotated[UploadFile | None, File(description="PDF, .docx or .txt; at most 10 MiB.")] = None,
) -> CandidateOut:
    """Add a candidate, optionally with a CV (its text is extracted in the background)."""
    upload = None
    if cv is not None and cv.filename:
        data = cv.file.read(settings.max_cv_upload_bytes + 1)
        upload = service.CvUpload(
            filename=cv.filename, content_type=(cv.content_type or "").split(";")[0], data=data
        )
    candidate = service.create_candidate(
        session,
        settings,
        organization_id=user.organization_id,
        full_name=full_name,
        email=email or None,
        job_id=job_id or None,
        cv=upload,
        actor=user.actor,
    )
    return service.candidate_out(candidate)


@router.get("/candidates/{candidate_id}", response_model=CandidateOut, responses=_404)
def get_candidate(candidate_id: str, user: RequireHR, session: SessionDep) -> CandidateOut:
    return service.candidate_out(
        service.get_candidate(session, organization_id=user.organization_id, candidate_id=candidate_id)
    )


@router.patch("/candidates/{candidate_id}", response_model=CandidateOut, responses=_404)
def update_candidate(
    candidate_id: str, body: CandidateUpdate, user: RequireHR, session: SessionDep
) -> CandidateOut:
    candidate = service.update_candidate(
        session,
        organization_id=user.organization_id,
        candidate_id=candidate_id,
        changes=body,
        actor=user.actor,
    )
    return service.candidate_out(candidate)


@router.get(
    "/candidates/{candidate_id}/cv",
    response_class=FileResponse,
    responses={200: {"content": {"application/octet-stream": {}}}, **_404},
)
def download_cv(candidate_id: str, user: RequireHR, session: SessionDep, settings: SettingsDep) -> Response:
    """The candidate's CV file as uploaded."""
    candidate = service.get_candidate(
        session, organization_id=user.organization_id, candidate_id=candidate_id
    )
    if not candidate.cv_object_key:
        raise NotFound("This candidate has no CV.")
    path = cv_files.cv_path(settings, candidate.cv_object_key)
    if path.exists():
        return FileResponse(
            path,
            media_type=candidate.cv_content_type or "application/octet-stream",
            filename=candidate.cv_filename or path.name,
        )
    data = cv_files.read_cv(settings, candidate.cv_object_key)  # object storage (S3)
    if data is None:
        raise NotFound("The CV file is missing from storage.")
    disposition = f'attachment; filename="{(candidate.cv_filename or path.name).replace(chr(34), "")}"'
    return Response(
        data,
        media_type=candidate.cv_content_type or "application/octet-stream",
        headers={"Content-Disposition": disposition},
    )


@router.post(
    "/candidates/{candidate_id}/erase", response_model=CandidateErased, responses=error_responses(404, 503)
)
def erase(
    candidate_id: str,
    body: CandidateErase,
    user: RequireHR,
    session: SessionDep,
    settings: SettingsDep,
    storage: StorageDep,
) -> CandidateErased:
    """Right to erasure: the candidate's recordings, transcripts, CV, scores and reviews are deleted
    and their name and email blanked; ids, times and the audit entry stay. Erasing again is harmless.
    A 503 means the storage failed midway: the data is erased in the database and a retry (or the
    retention purge) deletes the remaining files."""
    outcome = erase_candidate(
        session,
        settings,
        storage,
        organization_id=user.organization_id,
        candidate_id=candidate_id,
        reason=body.reason,
        actor=user.actor,
    )
    if not outcome.complete:
        raise ServiceUnavailable(outcome.leftover_sentence())
    return CandidateErased(
        candidate_id=outcome.candidate_id,
        erased_at=outcome.erased_at,
        already_erased=outcome.already_erased,
        files_deleted=outcome.files_deleted,
    )
