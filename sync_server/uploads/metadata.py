"""What an upload says it is (Upload-Metadata), validated before any byte is accepted."""

import re
from dataclasses import dataclass
from enum import StrEnum

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
    # CV uploads:
    candidate_id: str | None = None


def _identifier(metadata: dict[str, str], key: str) -> str:
    value = metadata.get(key)
    if not value:
        raise BadRequest(f"Upload-Metadata must include {key!r} for this kind of upload.")
    if not _ID.match(value):
        raise BadRequest(f"Upload-Metadata {key!r} is not a valid identifier.")
    return value


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
    )
