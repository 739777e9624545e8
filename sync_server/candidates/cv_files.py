"""Where CV files are kept. The one call site for storage (the storage issue swaps the backend)."""

import hashlib
import os
import uuid
from pathlib import Path

from sync_server.config import ServerSettings

_SUFFIXES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/plain": ".txt",
}


def store_cv(
    settings: ServerSettings, *, organization_id: str, candidate_id: str, content_type: str, data: bytes
) -> str:
    """Write the CV atomically under media_dir; returns its object key (relative path)."""
    key = f"{organization_id}/cv/{candidate_id}{_SUFFIXES.get(content_type, '.bin')}"
    target = settings.media_dir / key
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
    with tmp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(target)
    return key


def cv_path(settings: ServerSettings, key: str) -> Path:
    path = (settings.media_dir / key).resolve()
    if settings.media_dir.resolve() not in path.parents:
        raise ValueError("object key outside the media folder")
    return path


def delete_cv(settings: ServerSettings, key: str) -> None:
    cv_path(settings, key).unlink(missing_ok=True)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
