"""A local copy of answer videos: downloaded with HTTP Range, resumed after a break, never half-visible.

A download writes `<id>.part` and renames it to `<id>.media` only when every byte arrived, so a file in the
cache is always complete. An interrupted download keeps its `.part`; the next `fetch` asks only for the
missing tail (`Range: bytes=N-`, guarded by `If-Range` with the server's validator when it gave one).

The cache holds candidates' recordings on a reviewer's computer, so it is kept small and short-lived: after
each download the least recently used files go until the cache fits its byte budget, and signing out
empties it (a candidate erased on the server should not live on in a desk's cache).
"""

import hashlib
import json
import os
import re
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.desk.client import DeskClient
from desktop_app.desk.errors import DeskError

ProgressCallback = Callable[[int, int | None], None]
"""Called with (bytes so far, total bytes or None when the server did not say)."""

_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")
_SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")
CHUNK_BYTES = 256 * 1024
DEFAULT_MAX_BYTES = 2 * 1024**3


class DownloadCancelled(DeskError):
    def __init__(self) -> None:
        super().__init__("The download was cancelled.")


@dataclass(frozen=True)
class CachedMedia:
    path: Path
    size: int
    content_type: str
    resumed_from: int


class MediaCache:
    """Answer media for one server, under `root/<server fingerprint>/`."""

    def __init__(self, root: Path, client: DeskClient, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        server_key = hashlib.sha256(client.server_url.encode()).hexdigest()[:16]
        self.folder = root / server_key
        self.client = client
        self.max_bytes = max_bytes
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def path_for(self, response_id: str) -> Path:
        if not _SAFE_ID.match(response_id):
            raise DeskError(f"{response_id!r} is not a valid answer id.")
        return self.folder / f"{response_id}.media"

    def cached(self, response_id: str) -> Path | None:
        path = self.path_for(response_id)
        return path if path.exists() else None

    def fetch(
        self,
        response_id: str,
        *,
        on_progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> CachedMedia:
        """The complete media file, downloading (or resuming) what is missing."""
        final = self.path_for(response_id)
        with self._lock_for(response_id):
            meta = self._read_meta(response_id)
            if final.exists():
                size = final.stat().st_size
                os.utime(final)  # recently used: the last to be trimmed
                if on_progress is not None:
                    on_progress(size, size)
                return CachedMedia(final, size, meta.get("content_type", "video/mp4"), size)
            self.folder.mkdir(parents=True, exist_ok=True)
            part = final.with_suffix(".part")
            have = part.stat().st_size if part.exists() else 0
            headers: dict[str, str] = {}
            if have:
                headers["Range"] = f"bytes={have}-"
                if meta.get("validator"):
                    headers["If-Range"] = meta["validator"]
            with self.client.stream(f"/responses/{response_id}/media", headers=headers) as response:
                if response.status_code == 206:
                    start, total = _parse_content_range(response.headers.get("content-range", ""))
                    if start != have:
                        raise DeskError("The server resumed the download at the wrong place; try again.")
                    mode = "ab"
                else:
                    have, mode = 0, "wb"  # the server sent the whole file (no range support, or changed)
                    length = response.headers.get("content-length")
                    total = int(length) if length and length.isdigit() else None
                resumed_from = have
                content_type = response.headers.get("content-type", "video/mp4")
                validator = response.headers.get("etag") or response.headers.get("last-modified")
                self._write_meta(response_id, {"validator": validator, "content_type": content_type})
                with part.open(mode) as out:
                    for chunk in response.iter_bytes(CHUNK_BYTES):
                        if cancelled is not None and cancelled():
                            raise DownloadCancelled()
                        out.write(chunk)
                        have += len(chunk)
                        if on_progress is not None:
                            on_progress(have, total)
            if total is not None and have != total:
                raise DeskError(
                    f"The download stopped after {have} of {total} bytes.", fix="Try again; it will resume."
                )
            part.replace(final)
        self.trim(keep=final)
        return CachedMedia(final, have, content_type, resumed_from)

    def trim(self, *, keep: Path | None = None) -> list[Path]:
        """Delete the least recently used complete files until the cache fits `max_bytes`; return them.

        `keep` (the file just fetched) always stays, even alone over budget; unfinished `.part` downloads
        count toward the budget but are never deleted here, so a paused download can still resume.
        """
        if not self.folder.is_dir():
            return []
        entries = [
            (path, path.stat()) for path in self.folder.iterdir() if path.suffix in (".media", ".part")
        ]
        total = sum(stat.st_size for _, stat in entries)
        removed: list[Path] = []
        oldest_first = sorted((e for e in entries if e[0].suffix == ".media"), key=lambda e: e[1].st_mtime)
        for path, stat in oldest_first:
            if total <= self.max_bytes:
                break
            if path == keep:
                continue
            path.unlink(missing_ok=True)
            self._meta_path(path.stem).unlink(missing_ok=True)
            total -= stat.st_size
            removed.append(path)
        return removed

    def clear(self) -> None:
        """Forget every cached file of this server (at sign-out)."""
        with self._locks_guard:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _lock_for(self, response_id: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(response_id, threading.Lock())

    def _meta_path(self, response_id: str) -> Path:
        return self.folder / f"{response_id}.json"

    def _read_meta(self, response_id: str) -> dict[str, str]:
        try:
            data = json.loads(self._meta_path(response_id).read_text())
            return {k: str(v) for k, v in data.items() if v is not None}
        except (OSError, ValueError, AttributeError):
            return {}

    def _write_meta(self, response_id: str, meta: dict[str, str | None]) -> None:
        path = self._meta_path(response_id)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(meta))
        tmp.replace(path)


def _parse_content_range(value: str) -> tuple[int, int | None]:
    match = _CONTENT_RANGE.match(value.strip())
    if not match:
        raise DeskError("The server's answer to a resumed download was not understood; try again.")
    total = match.group(3)
    return int(match.group(1)), (int(total) if total != "*" else None)
