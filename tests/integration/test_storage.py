"""Both storage backends behave the same: staged appends, atomic finalize, ranges, crash leftovers."""

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync_server.storage import ObjectStorage, StorageError
from sync_server.storage.local import LocalStorage
from sync_server.storage.s3 import MIN_PART_SIZE, S3Storage
from tests.support.s3 import S3Endpoint

PART = MIN_PART_SIZE


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ObjectStorage]:
    if request.param == "local":
        yield LocalStorage(tmp_path / "media")
        return
    endpoint: S3Endpoint = request.getfixturevalue("s3_endpoint")
    yield S3Storage(
        bucket=endpoint.new_bucket(),
        prefix="media/",
        endpoint_url=endpoint.url,
        region=endpoint.region,
        access_key_id=endpoint.access_key_id,
        secret_access_key=endpoint.secret_access_key,
        part_size=PART,
    )


def _append(storage: ObjectStorage, key: str, offset: int, data: bytes, *, piece: int = 300_000) -> int:
    writer = storage.open_append(key, offset)
    for start in range(0, len(data), piece):
        writer.write(data[start : start + piece])
    return writer.commit()


def _read(storage: ObjectStorage, key: str, start: int, end: int) -> bytes:
    return b"".join(storage.read_range(key, start, end))


def test_appends_of_any_size_then_finalize(storage: ObjectStorage) -> None:
    data = os.urandom(2 * PART + 1_234_567)
    key = "org-1/uploads/abc.mp4"
    storage.begin(key)
    storage.begin(key)  # idempotent
    offset = 0
    # Uneven chunks: smaller than a part, crossing part boundaries, one bigger than a part.
    for size in (1_000_000, 3_000_000, PART + 500_000, len(data)):
        end = min(size + offset, len(data))
        offset = _append(storage, key, offset, data[offset:end])
        if offset == len(data):
            break
    assert offset == len(data)
    assert storage.size(key) is None  # nothing readable before finalize
    storage.finalize(key, size=len(data))
    storage.finalize(key, size=len(data))  # a retry after a crash is harmless
    assert storage.size(key) == len(data)
    assert hashlib.sha256(_read(storage, key, 0, len(data))).digest() == hashlib.sha256(data).digest()
    assert _read(storage, key, PART - 10, PART + 10) == data[PART - 10 : PART + 10]
    storage.delete(key)
    assert storage.size(key) is None


def test_discarded_append_leaves_the_object_unchanged(storage: ObjectStorage) -> None:
    data = os.urandom(PART + 100)
    key = "k/discard"
    storage.begin(key)
    assert _append(storage, key, 0, data[:1000]) == 1000
    writer = storage.open_append(key, 1000)
    writer.write(os.urandom(PART * 2))  # garbage that must not survive
    writer.discard()
    assert _append(storage, key, 1000, data[1000:]) == len(data)
    storage.finalize(key, size=len(data))
    assert _read(storage, key, 0, len(data)) == data


def test_uncommitted_bytes_of_a_crashed_request_are_dropped(storage: ObjectStorage) -> None:
    """A process died after committing to storage but before recording the new offset."""
    data = os.urandom(PART + 4096)
    key = "k/crash"
    storage.begin(key)
    _append(storage, key, 0, data[:2000])
    _append(storage, key, 2000, data[2000 : PART + 100])  # committed, but the caller "lost" it
    # The caller resumes from the offset it recorded (2000) and sends the same bytes again.
    assert _append(storage, key, 2000, data[2000:]) == len(data)
    storage.finalize(key, size=len(data))
    assert _read(storage, key, 0, len(data)) == data


def test_finalize_with_wrong_size_and_missing_objects_fail_clearly(storage: ObjectStorage) -> None:
    storage.begin("k/short")
    _append(storage, "k/short", 0, b"12345")
    if isinstance(storage, LocalStorage):
        with pytest.raises(StorageError):
            storage.finalize("k/short", size=6)
    with pytest.raises(StorageError):
        storage.open_append("k/never-begun", 0)
    with pytest.raises(StorageError):
        list(storage.read_range("k/nothing", 0, 1))
    storage.abort("k/short")
    storage.abort("k/short")
    with pytest.raises(StorageError):
        storage.open_append("k/short", 5)


def test_empty_object(storage: ObjectStorage) -> None:
    storage.begin("k/empty")
    storage.finalize("k/empty", size=0)
    assert storage.size("k/empty") == 0


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a//b", "", "a/../b", "sp ace"])
def test_keys_cannot_escape(tmp_path: Path, key: str) -> None:
    with pytest.raises(StorageError):
        LocalStorage(tmp_path).begin(key)


def test_local_finalize_is_an_atomic_rename(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    storage.begin("a/b")
    _append(storage, "a/b", 0, b"hello")
    assert not (tmp_path / "a" / "b").exists()
    storage.finalize("a/b", size=5)
    assert (tmp_path / "a" / "b").read_bytes() == b"hello"
    assert list((tmp_path / ".incoming").iterdir()) == []


def test_erasure_removes_finished_and_staged_objects_and_can_repeat(storage: ObjectStorage) -> None:
    from sync_server.candidates.erasure import remove_stored_object

    finished, staged, never = "org-9/video/finished", "org-9/video/staged", "org-9/cv/never-there"
    storage.begin(finished)
    _append(storage, finished, 0, b"answer" * 1000)
    storage.finalize(finished, size=6000)
    storage.begin(staged)
    _append(storage, staged, 0, b"half an answer")
    for key in (finished, staged, never, finished):  # the last one: erasing again
        assert remove_stored_object(storage, key)
    assert storage.size(finished) is None
    with pytest.raises(StorageError):
        storage.open_append(staged, 0)  # nothing staged is left either
    if isinstance(storage, LocalStorage):
        assert [p for p in storage.root.rglob("*") if p.is_file()] == []
    else:
        assert storage.client.list_objects_v2(Bucket=storage.bucket).get("KeyCount") == 0
        assert not storage.client.list_multipart_uploads(Bucket=storage.bucket).get("Uploads")
