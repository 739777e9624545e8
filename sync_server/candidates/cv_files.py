"""Where CV files are kept: the configured media storage (local folder by default, or S3)."""

import hashlib
from pathlib import Path

from sync_server.config import ServerSettings
from sync_server.storage import build_storage

_SUFFIXES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/plain": ".txt",
}


def store_cv(
    settings: ServerSettings, *, organization_id: str, candidate_id: str, content_type: str, data: bytes
) -> str:
    """Store the CV in the configured media storage (local folder or S3), atomically; returns its key."""
    key = f"{organization_id}/cv/{candidate_id}{_SUFFIXES.get(content_type, '.bin')}"
    storage = build_storage(settings)
    storage.begin(key)
    writer = storage.open_append(key, 0)
    writer.write(data)
    writer.commit()
    storage.finalize(key, size=len(data))
    return key


def read_cv(settings: ServerSettings, key: str) -> bytes | None:
    """The CV's bytes from the media storage, or None when the object is missing."""
    storage = build_storage(settings)
    size = storage.size(key)
    if size is None:
        return None
    return b"".join(storage.read_range(key, 0, size))


def cv_path(settings: ServerSettings, key: str) -> Path:
    path = (settings.media_dir / key).resolve()
    if settings.media_dir.resolve() not in path.parents:
        raise ValueError("object key outside the media folder")
    return path


def delete_cv(settings: ServerSettings, key: str) -> None:
    build_storage(settings).delete(key)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
