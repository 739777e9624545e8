"""The storage interface every backend implements.

An object is written in two stages. While incomplete it grows by appends at its current end
(`open_append`); each append is staged and only becomes part of the object on `commit`, so a
request that fails halfway (a checksum mismatch, a dropped connection) leaves the object exactly as
it was. `finalize` turns the complete incomplete object into the readable object in one atomic step.
"""

import re
from collections.abc import Iterator
from typing import Protocol

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")


class StorageError(Exception):
    """The storage backend could not do what was asked (missing object, broken state, I/O error)."""


def validate_key(key: str) -> str:
    """Keys are relative, slash-separated names without '..': they become paths and S3 keys."""
    if len(key) > 512 or not _KEY.match(key) or ".." in key.split("/"):
        raise StorageError(f"invalid storage key {key!r}")
    return key


class AppendWriter(Protocol):
    """Bytes appended at the incomplete object's end; nothing is kept unless `commit` is called."""

    def write(self, data: bytes) -> None: ...

    def commit(self) -> int:
        """Make the written bytes durable and part of the object; return its new size."""
        ...

    def discard(self) -> None:
        """Forget everything written since `open_append`; the object keeps its previous size."""
        ...


class ObjectStorage(Protocol):
    name: str

    def begin(self, key: str) -> None:
        """Create an empty incomplete object (idempotent)."""
        ...

    def open_append(self, key: str, offset: int) -> AppendWriter:
        """Start an append at `offset`, the size the caller last committed.

        Bytes beyond `offset` left by a process that died before recording its commit are dropped.
        """
        ...

    def finalize(self, key: str, *, size: int) -> None:
        """Atomically publish the incomplete object (exactly `size` bytes) as the readable object."""
        ...

    def abort(self, key: str) -> None:
        """Remove an incomplete object and everything staged for it (idempotent)."""
        ...

    def read_range(self, key: str, start: int, end: int, *, chunk_size: int = 1 << 20) -> Iterator[bytes]:
        """Yield bytes [start, end) of a finalized object in chunks."""
        ...

    def size(self, key: str) -> int | None:
        """The size of a finalized object, or None when there is none."""
        ...

    def delete(self, key: str) -> None:
        """Delete a finalized object (idempotent)."""
        ...
