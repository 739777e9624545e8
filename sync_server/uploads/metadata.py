"""What an upload says it is (Upload-Metadata), validated before any byte is accepted."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sync_server.contract.timestamps import CLOCK_AHEAD_TOLERANCE, EARLIEST_REPORTED_TIME
from sync_server.errors import BadRequest

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
MAX_TRANSCRIPT_BYTES = 4 * 1024 * 1024


class UploadKind(StrEnum):
    video = "video"
    audio = "audio"
    transcript = "transcript"
    cv = "cv"

    @property
    def is_answer(self) -> bool:
        return self is not UploadKind.cv


@dataclass(frozen=True)
class UploadDescription:
    kind: UploadKind
    sha256: str
    filename: str | None
    # Answer uploads (video, audio, transcript):
    interview_id: str | None = None
    question_id: str | None = None
    attempt: int | None = None
    answer_id: str | None = None
    duration_seconds: float | None = None
    recorded_at: datetime | None = None
    # CV uploads:
    candidate_id: str | None = None


def _identifier(metadata: dict[str, str], key: str) -> str:
    value = metadata.get(key)
    if not value:
        raise BadRequest(f"Upload-Metadata must include {key!r} for this kind of upload.")
    if not _ID.match(value):
        raise BadRequest(f"Upload-Metadata {key!r} is not a valid identifier.")
    return value


def recorded_at_of(metadata: dict[str, str]) -> datetime | None:
    """When the station recorded the answer (`recorded_at`: ISO 8601 with its UTC offset), or None.

    A value that is not such a time is refused: the server could not tell which moment it names.
    A well-formed time from a station whose clock is plainly wrong (before 2000, or more than a day
    ahead of the server) gives None instead of a refusal: refusing would set the candidate's answer
    aside for the sake of a clock; the answer keeps its upload time (media_uploaded_at) instead.
    """
    text = metadata.get("recorded_at")
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadRequest("Upload-Metadata 'recorded_at' must be an ISO 8601 date and time.") from None
    if moment.tzinfo is None:
        raise BadRequest("Upload-Metadata 'recorded_at' must carry its UTC offset (e.g. +00:00).")
    if not EARLIEST_REPORTED_TIME <= moment <= datetime.now(UTC) + CLOCK_AHEAD_TOLERANCE:
        return None
    return moment.astimezone(UTC)


def describe_upload(metadata: dict[str, str]) -> UploadDescription:
    try:
        kind = UploadKind(metadata.get("kind", ""))
    except ValueError:
        raise BadRequest(
            f"Upload-Metadata 'kind' must be one of {', '.join(k.value for k in UploadKind)}."
        ) from None
    sha256 = metadata.get("sha256", "").lower()
    if not _SHA256.match(sha256):
        raise BadRequest("Upload-Metadata must include 'sha256', the whole file's SHA-256 in hex.")
    filename = metadata.get("filename") or None
    if filename is not None and (len(filename) > 255 or "/" in filename or "\\" in filename):
        raise BadRequest("Upload-Metadata 'filename' must be a plain file name of at most 255 characters.")
    if kind is UploadKind.cv:
        return UploadDescription(
            kind=kind, sha256=sha256, filename=filename, candidate_id=_identifier(metadata, "candidate")
        )
    attempt_text = metadata.get("attempt", "")
    if not attempt_text.isdigit() or not 1 <= int(attempt_text) <= 100:
        raise BadRequest("Upload-Metadata 'attempt' must be a whole number from 1.")
    duration: float | None = None
    if metadata.get("duration"):
        try:
            duration = float(metadata["duration"])
        except ValueError:
            raise BadRequest("Upload-Metadata 'duration' must be a number of seconds.") from None
        if not 0 <= duration <= 24 * 3600:
            raise BadRequest("Upload-Metadata 'duration' is out of range.")
    return UploadDescription(
        kind=kind,
        sha256=sha256,
        filename=filename,
        interview_id=_identifier(metadata, "interview"),
        question_id=_identifier(metadata, "question"),
        attempt=int(attempt_text),
        answer_id=_identifier(metadata, "answer_id"),
        duration_seconds=duration,
        recorded_at=recorded_at_of(metadata),
    )
