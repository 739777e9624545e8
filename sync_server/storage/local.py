"""Objects as files under the media directory: appends go to a `.partial` file that is fsync'ed on
every commit and renamed into place on finalize, so a reader never sees a half-written object."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from sync_server.storage.base import StorageError, validate_key


def _fsync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _LocalAppend:
    def __init__(self, handle: BinaryIO, offset: int) -> None:
        self._handle = handle
        self._offset = offset
        self._written = 0
        self._closed = False

    def write(self, data: bytes) -> None:
        self._handle.write(data)
        self._written += len(data)

    def commit(self) -> int:
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._close()
        return self._offset + self._written

    def discard(self) -> None:
        if self._closed:
            return
        self._handle.flush()
        self._handle.truncate(self._offset)
        os.fsync(self._handle.fileno())
        self._close()

    def _close(self) -> None:
        self._closed = True
        self._handle.close()


class LocalStorage:
    name = "local"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.incoming = root / ".incoming"

    def _final_path(self, key: str) -> Path:
        return self.root / validate_key(key)

    def _partial_path(self, key: str) -> Path:
        return self.incoming / (validate_key(key).replace("/", "__") + ".partial")

    def begin(self, key: str) -> None:
        path = self._partial_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("ab") as handle:
            os.fsync(handle.fileno())
        _fsync_directory(path.parent)

    def open_append(self, key: str, offset: int) -> _LocalAppend:
        path = self._partial_path(key)
        try:
            handle = path.open("r+b")
        except FileNotFoundError:
            raise StorageError(f"no incomplete object {key!r}") from None
        size = os.fstat(handle.fileno()).st_size
        if size < offset:
            handle.close()
            raise StorageError(f"incomplete object {key!r} holds {size} bytes, expected {offset}")
        if size > offset:  # bytes a crashed request wrote but never committed
            handle.truncate(offset)
        handle.seek(offset)
        return _LocalAppend(handle, offset)

    def finalize(self, key: str, *, size: int) -> None:
        partial = self._partial_path(key)
        final = self._final_path(key)
        try:
            actual = partial.stat().st_size
        except FileNotFoundError:
            if final.exists() and final.stat().st_size == size:
                return  # finalized before a crash: nothing left to do
            raise StorageError(f"no incomplete object {key!r}") from None
        if actual != size:
            raise StorageError(f"incomplete object {key!r} holds {actual} bytes, expected {size}")
        final.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, final)
        _fsync_directory(final.parent)

    def abort(self, key: str) -> None:
        self._partial_path(key).unlink(missing_ok=True)

    def read_range(self, key: str, start: int, end: int, *, chunk_size: int = 1 << 20) -> Iterator[bytes]:
        path = self._final_path(key)
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            raise StorageError(f"no object {key!r}") from None
        with handle:
            handle.seek(start)
            remaining = end - start
            while remaining > 0:
                block = handle.read(min(chunk_size, remaining))
                if not block:
                    raise StorageError(f"object {key!r} ended before byte {end}")
                remaining -= len(block)
                yield block

    def size(self, key: str) -> int | None:
        try:
            return self._final_path(key).stat().st_size
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        self._final_path(key).unlink(missing_ok=True)
