"""Right to erasure: one function, `erase_candidate`, used by the API, the CLI and the retention purge.

What happens to each table (the audit needs ids, times, who erased and why; nothing that identifies
or describes the person):

| table            | decision                                                                                |
|------------------|-----------------------------------------------------------------------------------------|
| candidates       | kept as a tombstone (id, organization, job, created_at/by, erased_at) so interviews and  |
|                  | audit entries still point at something; name blanked; email, CV name/type/size/hash,    |
|                  | CV text and status cleared. `cv_object_key` is cleared only once the file is deleted.   |
| cv_profiles      | deleted (skills, titles, education are CV content), right after the CV's vectors        |
| CV vectors       | deleted from the vector store; cached match results naming the candidate dropped        |
| interviews       | kept: ids, job, question set, station, status, consent version and time, timestamps    |
|                  | (the record that consent was given and what happened). Accommodations cleared (they can |
|                  | reveal a disability). An interview still invited or in progress becomes cancelled, so   |
|                  | no station can record or upload anything more for it.                                   |
| invites          | kept (the code hash is of a random code); an unused one is revoked: the code stops      |
| responses        | transcript and local metrics cleared at once; the row is deleted once its recording is  |
| scores           | deleted (quoted evidence, feedback)                                                     |
| interview_summaries | deleted (derived from the scores)                                                    |
| reviews          | deleted (comments, override reasons, decision notes); the audit log keeps who rated or  |
|                  | decided and when                                                                        |
| uploads          | their stored bytes (answers, transcripts, CVs; finished or still staged) deleted, then  |
|                  | the row                                                                                  |
| audit_log        | kept; free text about the candidate in entries on their interviews and answers          |
|                  | (reasons, override reasons, notes) becomes "[erased]"; one new `candidate.erased` entry |
|                  | with who, when and the reason (the candidate's name and email taken out of it)          |

Order, so that no failure leaves personal data behind for good:

1. One transaction: erased_at is set and every row above is scrubbed, deleted or revoked, with the
   audit entry. From this commit on the candidate is gone from every list, search and match.
2. Stored files are deleted one by one; a row's pointer to a file is cleared only after that file's
   delete succeeded, so what is left is always findable.
3. The CV's vectors and cached matches are removed, then the CV profile row (its presence marks that
   vectors may remain).

If step 2 or 3 fails, the outcome says how much is left. Erasing again (the same request, the CLI, or
the retention purge, which also finishes erasures left incomplete) picks up exactly what remains.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy import delete, null, or_, select, update
from sqlalchemy.orm import Session

from sync_server.audit.service import record
from sync_server.config import ServerSettings
from sync_server.errors import NotFound
from sync_server.models import (
    AuditEntry,
    Candidate,
    CVProfile,
    Interview,
    InterviewSummary,
    Invite,
    Response,
    Review,
    Score,
    Upload,
    utcnow,
)
from sync_server.storage import ObjectStorage

log = structlog.get_logger(__name__)

Actor = tuple[str, str | None]

ERASED_TEXT = "[erased]"
CANDIDATE_PLACEHOLDER = "[candidate]"
# Free-text keys of audit details that may describe the candidate (see the services that write them).
_FREE_TEXT_DETAILS = ("reason", "override_reason", "comment", "decision_note", "note")
_OPEN_STATUSES = ("invited", "in_progress")


@dataclass(frozen=True, slots=True)
class ErasureOutcome:
    candidate_id: str
    erased_at: datetime
    already_erased: bool
    files_deleted: int
    files_left: int
    vectors_left: bool

    @property
    def complete(self) -> bool:
        return self.files_left == 0 and not self.vectors_left

    def leftover_sentence(self) -> str:
        """What could not be deleted yet, as one sentence (empty when complete)."""
        if self.complete:
            return ""
        parts = []
        if self.files_left:
            parts.append(f"{self.files_left} stored file{'s' if self.files_left != 1 else ''}")
        if self.vectors_left:
            parts.append("the CV's search index entries")
        return (
            f"The candidate's data was erased from the database, but {' and '.join(parts)} could not be "
            "deleted yet; erase again to finish (the retention purge also finishes it)."
        )


def erase_candidate(
    session: Session,
    settings: ServerSettings,
    storage: ObjectStorage,
    *,
    organization_id: str,
    candidate_id: str,
    reason: str,
    actor: Actor,
    trigger: str = "request",
) -> ErasureOutcome:
    """Erase a candidate's personal data, rows and stored files. Idempotent: a repeat finishes what an
    earlier call left (files the storage could not delete) and changes nothing else.

    Args:
        reason: why (kept in the audit log, with the candidate's name and email taken out).
        trigger: "request" (someone asked) or "retention" (the organization's retention period).

    Raises:
        NotFound: no candidate with that id in the organization.
    """
    candidate = session.scalars(
        select(Candidate)
        .where(Candidate.id == candidate_id, Candidate.organization_id == organization_id)
        .with_for_update()  # two erasures at once: the second waits and finds it erased
    ).one_or_none()
    if candidate is None:
        raise NotFound("No candidate with that id.")
    already_erased = candidate.erased_at is not None
    had_cv = candidate.cv_object_key is not None or candidate.cv_sha256 is not None
    _erase_rows(session, candidate, reason=reason, actor=actor, trigger=trigger)
    deleted, left = _delete_files(session, storage, candidate)
    vectors_left = False
    if had_cv or _has_cv_profile(session, candidate):
        try:
            forget_cv_vectors(settings, session, organization_id=organization_id, candidate_id=candidate_id)
            session.commit()
        except Exception as exc:  # any vector store failure: the profile row stays as the marker
            session.rollback()
            vectors_left = True
            log.warning("erasure_vectors_left", candidate_id=candidate_id, error_type=type(exc).__name__)
    assert candidate.erased_at is not None
    outcome = ErasureOutcome(
        candidate_id=candidate_id,
        erased_at=candidate.erased_at,
        already_erased=already_erased,
        files_deleted=deleted,
        files_left=left,
        vectors_left=vectors_left,
    )
    log.info(
        "candidate_erased",
        candidate_id=candidate_id,
        trigger=trigger,
        files_deleted=deleted,
        files_left=left,
        vectors_left=vectors_left,
        already_erased=already_erased,
    )
    return outcome


def forget_cv_vectors(
    settings: ServerSettings, session: Session, *, organization_id: str, candidate_id: str
) -> None:
    """Remove a candidate's CV vectors and cached matches, then their CV profile row (not committed)."""
    from sync_server.ai.runtime import ai_services  # the vector store is only built when needed

    services = ai_services(settings)
    services.vector_store.remove_cv(organization_id=organization_id, candidate_id=candidate_id)
    services.match_cache.forget_candidate(organization_id=organization_id, candidate_id=candidate_id)
    session.execute(
        delete(CVProfile).where(
            CVProfile.candidate_id == candidate_id, CVProfile.organization_id == organization_id
        )
    )


def redact_reason(reason: str, *, full_name: str, email: str | None) -> str:
    """The reason as the audit log keeps it: the candidate's name (and its parts) and email removed."""
    names = [email] if email else []
    if full_name.strip():
        names.append(full_name.strip())
        names.extend(part for part in full_name.split() if len(part) >= 3)
    redacted = " ".join(reason.split())
    for name in sorted(names, key=len, reverse=True):
        redacted = re.sub(re.escape(name), CANDIDATE_PLACEHOLDER, redacted, flags=re.IGNORECASE)
    return redacted


# --- step 1: the rows, in one transaction ------------------------------------------------------------
def _erase_rows(session: Session, candidate: Candidate, *, reason: str, actor: Actor, trigger: str) -> None:
    organization_id = candidate.organization_id
    now = utcnow()
    interview_ids = _interview_ids(session, candidate)
    response_ids = list(
        session.scalars(
            select(Response.id).where(
                Response.organization_id == organization_id, Response.interview_id.in_(interview_ids)
            )
        )
    )
    newly_erased = candidate.erased_at is None
    if newly_erased:
        record(
            session,
            organization_id=organization_id,
            actor=actor,
            action="candidate.erased",
            target_type="candidate",
            target_id=candidate.id,
            details={
                "reason": redact_reason(reason, full_name=candidate.full_name, email=candidate.email),
                "trigger": trigger,
                "interviews": len(interview_ids),
                "answers": len(response_ids),
            },
        )
    candidate.erased_at = candidate.erased_at or now
    candidate.full_name = ""
    candidate.email = None
    candidate.cv_filename = None
    candidate.cv_content_type = None
    candidate.cv_size = None
    candidate.cv_sha256 = None
    candidate.cv_text = None
    candidate.cv_status = None
    _delete_answer_judgements(session, organization_id, response_ids)
    session.execute(
        delete(InterviewSummary).where(
            InterviewSummary.organization_id == organization_id,
            InterviewSummary.interview_id.in_(interview_ids),
        )
    )
    session.execute(
        update(Response)
        .where(Response.organization_id == organization_id, Response.id.in_(response_ids))
        .values(transcript=null(), local_metrics=null())
    )
    for interview in session.scalars(
        select(Interview).where(Interview.organization_id == organization_id, Interview.id.in_(interview_ids))
    ):
        interview.accommodations = {}
        if interview.status in _OPEN_STATUSES:
            interview.status = "cancelled"
    session.execute(
        update(Invite)
        .where(
            Invite.organization_id == organization_id,
            Invite.candidate_id == candidate.id,
            Invite.used_at.is_(None),
            Invite.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    _scrub_audit_details(session, organization_id, [*interview_ids, *response_ids])
    session.commit()


def _interview_ids(session: Session, candidate: Candidate) -> list[str]:
    """The candidate's interviews, locked until the erasure commits.

    A scoring job stores its result under the same row lock and checks for erasure there, so a score
    that was being computed either lands before this erasure (and is deleted by it) or is discarded.
    """
    return list(
        session.scalars(
            select(Interview.id)
            .where(
                Interview.organization_id == candidate.organization_id, Interview.candidate_id == candidate.id
            )
            .with_for_update()
        )
    )


def _delete_answer_judgements(session: Session, organization_id: str, response_ids: Iterable[str]) -> None:
    ids = list(response_ids)
    session.execute(delete(Score).where(Score.organization_id == organization_id, Score.response_id.in_(ids)))
    session.execute(
        delete(Review).where(Review.organization_id == organization_id, Review.response_id.in_(ids))
    )


def _scrub_audit_details(session: Session, organization_id: str, target_ids: list[str]) -> None:
    if not target_ids:
        return
    entries = session.scalars(
        select(AuditEntry).where(
            AuditEntry.organization_id == organization_id, AuditEntry.target_id.in_(target_ids)
        )
    )
    for entry in entries:
        details = dict(entry.details or {})
        if any(details.get(key) for key in _FREE_TEXT_DETAILS):
            entry.details = {
                key: (ERASED_TEXT if key in _FREE_TEXT_DETAILS and value else value)
                for key, value in details.items()
            }


# --- step 2: the stored files, each pointer cleared after its delete ----------------------------------
def remove_stored_object(storage: ObjectStorage, key: str) -> bool:
    """Delete a finished object and anything staged for it; False (logged) when the storage failed."""
    try:
        storage.delete(key)
        storage.abort(key)
    except Exception as exc:  # local I/O or object storage errors alike: reported, retried later
        log.warning("erasure_file_left", object_key=key, error_type=type(exc).__name__)
        return False
    return True


def _candidate_uploads(session: Session, candidate: Candidate) -> list[Upload]:
    """Answer and transcript uploads of the candidate's interviews, and the CV uploads naming them."""
    interview_ids = _interview_ids(session, candidate)
    answers = session.scalars(
        select(Upload).where(
            Upload.organization_id == candidate.organization_id, Upload.interview_id.in_(interview_ids)
        )
    ).all()
    cvs = [
        upload
        for upload in session.scalars(
            select(Upload).where(
                Upload.organization_id == candidate.organization_id,
                Upload.interview_id.is_(None),
                Upload.station_id.is_(None),
            )
        )
        if (upload.upload_metadata or {}).get("candidate") == candidate.id
    ]
    return [*answers, *cvs]


class _FileDeletions:
    """Deletes each stored object once per erasure and remembers which ones the storage refused."""

    def __init__(self, storage: ObjectStorage) -> None:
        self.storage = storage
        self.gone: set[str] = set()
        self.refused: set[str] = set()

    def remove(self, key: str) -> bool:
        if key in self.gone:
            return True
        if key in self.refused or not remove_stored_object(self.storage, key):
            self.refused.add(key)
            return False
        self.gone.add(key)
        return True


def _delete_files(session: Session, storage: ObjectStorage, candidate: Candidate) -> tuple[int, int]:
    """Returns (files deleted, files left because the storage failed)."""
    organization_id = candidate.organization_id
    files = _FileDeletions(storage)
    for upload in _candidate_uploads(session, candidate):
        if files.remove(upload.object_key):
            session.execute(delete(Upload).where(Upload.id == upload.id))
            session.commit()
    responses = session.scalars(
        select(Response).where(
            Response.organization_id == organization_id,
            Response.interview_id.in_(_interview_ids(session, candidate)),
        )
    ).all()
    for response in responses:
        if response.media_object_key is not None and not files.remove(response.media_object_key):
            continue
        # A score job that read the transcript before step 1 may have stored one since.
        _delete_answer_judgements(session, organization_id, [response.id])
        session.execute(delete(Response).where(Response.id == response.id))
        session.commit()
    if candidate.cv_object_key is not None and files.remove(candidate.cv_object_key):
        candidate.cv_object_key = None
        session.commit()
    return len(files.gone), len(files.refused)


def _has_cv_profile(session: Session, candidate: Candidate) -> bool:
    return (
        session.scalar(
            select(CVProfile.id).where(
                CVProfile.organization_id == candidate.organization_id,
                CVProfile.candidate_id == candidate.id,
            )
        )
        is not None
    )


def unfinished_erasures(session: Session, *, organization_id: str | None = None) -> list[tuple[str, str]]:
    """(organization id, candidate id) of erased candidates with something left: a stored file, an
    answer row, an upload or a CV profile (vectors). The retention purge finishes these."""
    of_candidate = Interview.candidate_id == Candidate.id
    has_answers = (
        select(Response.id).join(Interview, Interview.id == Response.interview_id).where(of_candidate)
    )
    has_uploads = select(Upload.id).join(Interview, Interview.id == Upload.interview_id).where(of_candidate)
    has_profile = select(CVProfile.id).where(CVProfile.candidate_id == Candidate.id)
    query = select(Candidate.organization_id, Candidate.id).where(
        Candidate.erased_at.is_not(None),
        or_(
            Candidate.cv_object_key.is_not(None),
            has_answers.exists(),
            has_uploads.exists(),
            has_profile.exists(),
        ),
    )
    cv_uploads = select(Upload.organization_id, Upload.upload_metadata).where(
        Upload.interview_id.is_(None), Upload.station_id.is_(None)
    )
    if organization_id is not None:
        query = query.where(Candidate.organization_id == organization_id)
        cv_uploads = cv_uploads.where(Upload.organization_id == organization_id)
    found = {(str(org), str(cid)) for org, cid in session.execute(query)}
    # CV uploads name their candidate only in the upload's metadata.
    named = {
        (str(org), str(meta["candidate"]))
        for org, meta in session.execute(cv_uploads)
        if isinstance(meta, dict) and meta.get("candidate")
    }
    if named:
        erased = set(
            session.scalars(
                select(Candidate.id).where(
                    Candidate.erased_at.is_not(None), Candidate.id.in_([cid for _, cid in named])
                )
            )
        )
        found |= {(org, cid) for org, cid in named if cid in erased}
    return sorted(found)
