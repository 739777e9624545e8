"""tus 1.0.0 header grammar: versions, Upload-Metadata, Upload-Checksum. Pure functions, no I/O.

https://tus.io/protocols/resumable-upload
"""

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from sync_server.contract.base import require_plain_text
from sync_server.errors import BadRequest, ServerError

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,checksum,termination,expiration"
CHECKSUM_ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
_METADATA_KEY = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # RFC 7230 token, no spaces or commas


class PreconditionFailed(ServerError):
    status_code = 412
    kind = "UnsupportedTusVersion"


class UnsupportedMediaType(ServerError):
    status_code = 415
    kind = "UnsupportedMediaType"


class ChecksumMismatch(ServerError):
    status_code = 460
    kind = "ChecksumMismatch"


class FileChecksumMismatch(ChecksumMismatch):
    """The whole file did not match the SHA-256 declared at creation; the upload was discarded."""

    kind = "FileChecksumMismatch"


class Gone(ServerError):
    status_code = 410
    kind = "Gone"


def require_tus_version(value: str | None) -> None:
    if value != TUS_VERSION:
        raise PreconditionFailed(
            f"This server speaks tus {TUS_VERSION}; the request said {value or 'nothing'} in Tus-Resumable.",
            headers={"Tus-Version": TUS_VERSION},
        )


def parse_metadata(header: str | None) -> dict[str, str]:
    """`key base64value, key2 base64value2` -> {key: text}. Values must be UTF-8."""
    result: dict[str, str] = {}
    if not header or not header.strip():
        return result
    for pair in header.split(","):
        parts = pair.strip().split(" ")
        if not parts[0] or len(parts) > 2 or not _METADATA_KEY.match(parts[0]):
            raise BadRequest(f"Upload-Metadata has a malformed pair: {pair.strip()[:60]!r}.")
        key = parts[0]
        if key in result:
            raise BadRequest(f"Upload-Metadata names {key!r} twice.")
        try:
            result[key] = base64.b64decode(parts[1], validate=True).decode() if len(parts) == 2 else ""
        except (binascii.Error, UnicodeDecodeError):
            raise BadRequest(f"Upload-Metadata value of {key!r} is not base64-encoded UTF-8.") from None
        try:
            require_plain_text(result[key])  # kept in a JSON column, where PostgreSQL refuses NUL
        except ValueError as exc:
            raise BadRequest(f"Upload-Metadata value of {key!r} {exc}.") from None
    return result


def encode_metadata(metadata: dict[str, str]) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in metadata.items())


@dataclass(frozen=True)
class ChecksumSpec:
    algorithm: str
    digest: bytes

    def new_hasher(self) -> "hashlib._Hash":
        return CHECKSUM_ALGORITHMS[self.algorithm]()


def parse_checksum(header: str | None) -> ChecksumSpec | None:
    """`Upload-Checksum: sha256 <base64 digest>`; None when absent."""
    if header is None:
        return None
    parts = header.strip().split(" ")
    if len(parts) != 2:
        raise BadRequest("Upload-Checksum must be '<algorithm> <base64 digest>'.")
    algorithm, encoded = parts[0].lower(), parts[1]
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise BadRequest(
            f"Checksum algorithm {algorithm!r} is not supported; use one of {', '.join(CHECKSUM_ALGORITHMS)}."
        )
    try:
        digest = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise BadRequest("Upload-Checksum digest is not base64.") from None
    if len(digest) != CHECKSUM_ALGORITHMS[algorithm]().digest_size:
        raise BadRequest(f"Upload-Checksum digest has the wrong length for {algorithm}.")
    return ChecksumSpec(algorithm, digest)


def parse_non_negative(name: str, value: str | None) -> int:
    if value is None or not value.isdigit():
        raise BadRequest(f"{name} must be a non-negative integer.")
    return int(value)


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)
