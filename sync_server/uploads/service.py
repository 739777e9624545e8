"""Upload state and what happens when an upload completes (synchronous; run in the threadpool).

An upload's id is derived from (organization, kind, answer id), so a station that retries a
creation it never heard back from gets the same upload, and an answer can never have two.
The response row is created (or completed) by the client's answer id under a unique constraint,
only after the whole file has been read back from storage and matched the declared SHA-256.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import structlog
from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync_server.candidates.repository import refuse_if_erased
from sync_server.config import ServerSettings
from sync_server.contract import Transcript
from sync_server.errors import BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge
from sync_server.interviews.abandonment import resume_if_abandoned
from sync_server.models import Candidate, Interview, Question, Response, Upload
from sync_server.storage import ObjectStorage
from sync_server.uploads.metadata import (
    MAX_TRANSCRIPT_BYTES,
    UploadDescription,
    UploadKind,
    recorded_at_of,
)
from sync_server.uploads.protocol import FileChecksumMismatch, Gone

log = structlog.get_logger(__name__)

_UPLOAD_NAMESPACE = uuid.UUID("6f1d6c2e-2b0e-4d8a-9a53-3f3e1c2b7a10")


@dataclass(frozen=True)
class UploadCaller:
    """Who is uploading: an enrolled station (answers) or an HR user (CVs)."""

    organization_id: str
    station_id: str | None = None
    user_id: str | None = None

    @property
    def is_station(self) -> bool:
        return self.station_id is not None


def now() -> datetime:
    return datetime.now(UTC)


def upload_id_for(caller: UploadCaller, description: UploadDescription) -> str:
    if description.answer_id is None:
        return str(uuid.uuid4())
    name = f"{caller.organization_id}:{description.kind.value}:{description.answer_id}"
    return str(uuid.uuid5(_UPLOAD_NAMESPACE, name))


def _check_rights(session: Session, caller: UploadCaller, description: UploadDescription) -> Interview | None:
    if description.kind is UploadKind.cv:
        if caller.is_station:
            raise Forbidden("Stations upload answers, not CVs.")
        candidate = session.scalars(
            select(Candidate).where(
                Candidate.id == description.candidate_id, Candidate.organization_id == caller.organization_id
            )
        ).one_or_none()
        if candidate is None or candidate.erased_at is not None:
            raise NotFound("No candidate with that id in your organization.")
        return None
    if not caller.is_station:
        raise Forbidden("Only the station that ran the interview uploads its answers.")
    interview = session.scalars(
        select(Interview).where(
            Interview.id == description.interview_id, Interview.organization_id == caller.organization_id
        )
    ).one_or_none()
    if interview is None:
        raise NotFound("No interview with that id in your organization.")
    if interview.station_id != caller.station_id:
        raise Forbidden(
            "This interview was opened on another station; only that station uploads its answers."
        )
    refuse_if_erased(session, interview.candidate_id)
    resume_if_abandoned(
        session, interview, actor=("station", caller.station_id), what=f"an answer's {description.kind.value}"
    )
    if interview.status in {"cancelled", "expired", "declined"}:
        raise Conflict(f"This interview is {interview.status}; it takes no more answers.")
    question = session.scalars(
        select(Question).where(
            Question.id == description.question_id,
            Question.question_set_id == interview.question_set_id,
            Question.organization_id == caller.organization_id,
        )
    ).one_or_none()
    if question is None:
        raise NotFound("That question is not part of this interview.")
    return interview


def create_upload(
    session: Session,
    storage: ObjectStorage,
    settings: ServerSettings,
    *,
    caller: UploadCaller,
    description: UploadDescription,
    length: int,
    metadata: dict[str, str],
) -> Upload:
    """Create the upload, or return the existing one for the same answer (a retried creation)."""
    if length > settings.upload_max_size:
        raise PayloadTooLarge(
            f"Upload-Length {length} is over this server's limit of {settings.upload_max_size} bytes."
        )
    if description.kind is UploadKind.transcript and length > MAX_TRANSCRIPT_BYTES:
        raise PayloadTooLarge(f"A transcript may be at most {MAX_TRANSCRIPT_BYTES} bytes.")
    interview = _check_rights(session, caller, description)
    upload_id = upload_id_for(caller, description)
    existing = session.get(Upload, upload_id)
    if existing is not None and existing.organization_id == caller.organization_id:
        if existing.length != length or existing.upload_metadata.get("sha256") != description.sha256:
            raise Conflict("This answer is already being uploaded with a different file (length or sha256).")
        session.commit()  # a re-opened interview (see abandonment)
        return existing
    upload = Upload(
        id=upload_id,
        organization_id=caller.organization_id,
        station_id=caller.station_id,
        interview_id=interview.id if interview is not None else None,
        length=length,
        offset=0,
        upload_metadata=metadata,
        object_key=f"{caller.organization_id}/{description.kind.value}/{upload_id}",
        expires_at=now() + timedelta(hours=settings.upload_expiry_hours),
    )
    session.add(upload)
    try:
        session.flush()
    except IntegrityError:  # the same creation raced in from another request
        session.rollback()
        raced = session.get(Upload, upload_id)
        if raced is None:
            raise
        return raced
    storage.begin(upload.object_key)
    session.commit()
    return upload


def get_upload(session: Session, caller: UploadCaller, upload_id: str) -> Upload:
    upload = session.get(Upload, upload_id, populate_existing=True)
    if upload is None or upload.organization_id != caller.organization_id:
        raise NotFound("No upload with that id.")
    if caller.is_station and upload.station_id != caller.station_id:
        raise NotFound("No upload with that id.")
    if not caller.is_station and upload.station_id is not None:
        raise NotFound("No upload with that id.")
    if upload.completed_at is None and upload.expires_at is not None and upload.expires_at < now():
        raise Gone("This upload expired before it was completed; start a new one.")
    return upload


def record_offset(session: Session, upload: Upload, offset: int) -> None:
    upload.offset = offset
    session.commit()


def _whole_file_sha256(storage: ObjectStorage, key: str, size: int) -> str:
    digest = hashlib.sha256()
    for block in storage.read_range(key, 0, size):
        digest.update(block)
    return digest.hexdigest()


def complete_upload(session: Session, storage: ObjectStorage, upload: Upload) -> None:
    """Publish the object, verify it whole, and attach it to its record. Idempotent: a crash at any
    step is repaired by running it again (HEAD and PATCH do that for a full but unfinished upload)."""
    if upload.completed_at is not None:
        return
    assert upload.length is not None and upload.offset == upload.length
    description_kind = UploadKind(upload.upload_metadata["kind"])
    storage.finalize(upload.object_key, size=upload.length)
    actual = _whole_file_sha256(storage, upload.object_key, upload.length)
    declared = upload.upload_metadata["sha256"]
    if actual != declared:
        storage.delete(upload.object_key)
        session.delete(upload)
        session.commit()
        log.warning("upload_sha256_mismatch", upload_id=upload.id, kind=description_kind.value)
        raise FileChecksumMismatch(
            "The uploaded file's SHA-256 does not match the one declared at creation; the upload was "
            "discarded, start it again."
        )
    if upload.interview_id is not None:  # begun before the interview was marked abandoned
        resume_if_abandoned(
            session,
            session.get_one(Interview, upload.interview_id),
            actor=("station", upload.station_id),
            what=f"an answer's {description_kind.value}",
        )
    if description_kind is UploadKind.cv:
        _attach_cv(session, upload)
    elif description_kind is UploadKind.transcript:
        _attach_transcript(session, storage, upload)
    else:
        _attach_media(session, upload)
    upload.sha256 = actual
    upload.completed_at = now()
    upload.expires_at = None
    session.commit()
    log.info("upload_completed", upload_id=upload.id, kind=description_kind.value, size=upload.length)
    _start_ai_work(description_kind, upload)


def _start_ai_work(kind: UploadKind, upload: Upload) -> None:
    """After the commit: a new CV gets screened, a new transcript gets scored (jobs of the AI part)."""
    from sync_server.scoring.jobs import request, request_scoring
    from sync_server.screening.jobs import PROCESS_CV_JOB

    if kind is UploadKind.cv:
        request(
            PROCESS_CV_JOB,
            organization_id=upload.organization_id,
            candidate_id=upload.upload_metadata["candidate"],
        )
    elif kind is UploadKind.transcript and upload.response_id is not None:
        request_scoring(organization_id=upload.organization_id, response_id=upload.response_id)


def _response_for_answer(session: Session, upload: Upload) -> Response:
    """The response row of the upload's answer, created once however often it is asked for."""
    meta = upload.upload_metadata
    query = select(Response).where(
        Response.organization_id == upload.organization_id, Response.client_answer_id == meta["answer_id"]
    )
    response = session.scalars(query).one_or_none()
    if response is not None:
        return response
    response = Response(
        organization_id=upload.organization_id,
        interview_id=meta["interview"],
        question_id=meta["question"],
        attempt=int(meta["attempt"]),
        client_answer_id=meta["answer_id"],
    )
    try:
        with session.begin_nested():
            session.add(response)
            session.flush()
    except IntegrityError:
        raced = session.scalars(query).one_or_none()
        if raced is None:
            raise Conflict(
                "Another answer was already recorded for this question and attempt of the interview."
            ) from None
        return raced
    return response


def _attach_media(session: Session, upload: Upload) -> None:
    response = _response_for_answer(session, upload)
    meta = upload.upload_metadata
    if response.media_object_key not in (None, upload.object_key):
        raise Conflict("This answer already has a recording from another upload.")
    response.media_object_key = upload.object_key
    response.media_sha256 = meta["sha256"]
    response.media_size = upload.length
    response.media_content_type = (
        "audio/mp4" if meta["kind"] == "audio" else _content_type(meta.get("filename"))
    )
    if meta.get("duration"):
        response.duration_seconds = float(meta["duration"])
    response.recorded_at = recorded_at_of(meta)
    if meta.get("recorded_at") and response.recorded_at is None:
        log.warning("station_clock_implausible", upload_id=upload.id, recorded_at=meta["recorded_at"])
    response.media_uploaded_at = now()
    upload.response_id = response.id


def _attach_transcript(session: Session, storage: ObjectStorage, upload: Upload) -> None:
    assert upload.length is not None
    raw = b"".join(storage.read_range(upload.object_key, 0, upload.length))
    try:
        transcript = Transcript.model_validate(json.loads(raw))
    except (ValueError, ValidationError):
        storage.delete(upload.object_key)
        session.delete(upload)
        session.commit()
        raise BadRequest(
            "The uploaded transcript is not valid transcript JSON; the upload was discarded."
        ) from None
    response = _response_for_answer(session, upload)
    response.transcript = transcript.model_dump(mode="json")
    upload.response_id = response.id


def _attach_cv(session: Session, upload: Upload) -> None:
    meta = upload.upload_metadata
    candidate = session.scalars(
        select(Candidate).where(
            Candidate.id == meta["candidate"], Candidate.organization_id == upload.organization_id
        )
    ).one()
    if candidate.erased_at is not None:
        # Erased while the CV was on its way: keep nothing (the retention purge removes the bytes).
        raise Conflict("This candidate's data was erased; the CV was not kept.")
    candidate.cv_object_key = upload.object_key
    candidate.cv_filename = meta.get("filename")
    candidate.cv_content_type = _content_type(meta.get("filename"))
    candidate.cv_size = upload.length
    candidate.cv_sha256 = meta["sha256"]
    candidate.cv_status = "pending"


def _content_type(filename: str | None) -> str:
    import mimetypes

    guessed, _ = mimetypes.guess_type(filename or "")
    return guessed or "application/octet-stream"


def terminate_upload(session: Session, storage: ObjectStorage, upload: Upload) -> None:
    if upload.completed_at is not None:
        raise Conflict("This upload is complete and belongs to a recorded answer; it cannot be terminated.")
    storage.abort(upload.object_key)
    session.delete(upload)
    session.commit()


def remove_expired_uploads(session: Session, storage: ObjectStorage, *, limit: int = 500) -> int:
    """Drop incomplete uploads past their expiry, their staged bytes first (the worker runs this)."""
    expired = session.scalars(
        select(Upload)
        .where(Upload.completed_at.is_(None), Upload.expires_at.is_not(None), Upload.expires_at < now())
        .limit(limit)
    ).all()
    for upload in expired:
        storage.abort(upload.object_key)
        session.execute(delete(Upload).where(Upload.id == upload.id, Upload.completed_at.is_(None)))
        session.commit()
    return len(expired)
