"""Objects in S3-compatible storage through a multipart upload.

S3 parts must be at least 5 MiB (except the last), while tus chunks may be any size. The layout is
therefore a pure function of the committed size, so any server process can continue any upload:
part i holds bytes [(i-1)*P, i*P) for a fixed part size P, and the bytes past the last full part
live in a small "tail" object named after the offset it starts at. An append downloads that tail
(< P bytes) into a spool file on disk, adds the new bytes, uploads every full part and stores the
remainder as the new tail. A tail is only ever rewritten with a longer copy of the same bytes, so a
process that dies mid-commit leaves nothing that contradicts the size the caller recorded.
"""

import tempfile
from collections.abc import Iterator
from typing import IO, Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from sync_server.storage.base import StorageError, validate_key

MIN_PART_SIZE = 5 * 1024 * 1024
_COPY_BLOCK = 1 << 20


def _missing(exc: ClientError) -> bool:
    code = str(exc.response.get("Error", {}).get("Code", ""))
    return code in {"404", "NoSuchKey", "NoSuchUpload", "NotFound"}


class _S3Append:
    def __init__(self, storage: "S3Storage", key: str, upload_id: str, offset: int) -> None:
        self._storage = storage
        self._key = key
        self._upload_id = upload_id
        self._offset = offset
        self._part_size = storage.part_size
        self._first_part = offset // self._part_size + 1
        self._spool_start = (self._first_part - 1) * self._part_size
        self._spool: IO[bytes] = tempfile.TemporaryFile(prefix="s3-append-")  # noqa: SIM115 - closed by commit/discard
        self._written = 0
        tail_length = offset - self._spool_start
        if tail_length:
            storage.copy_tail_into(key, self._spool_start, tail_length, self._spool)

    def write(self, data: bytes) -> None:
        self._spool.write(data)
        self._written += len(data)

    def commit(self) -> int:
        try:
            spooled = self._spool.tell()
            self._spool.seek(0)
            full_parts = spooled // self._part_size
            for index in range(full_parts):
                self._storage.upload_part(
                    self._key, self._upload_id, self._first_part + index, self._spool.read(self._part_size)
                )
            remainder = spooled - full_parts * self._part_size
            if remainder:
                new_tail_start = self._spool_start + full_parts * self._part_size
                self._storage.put_tail(self._key, new_tail_start, self._spool, remainder)
        finally:
            self._spool.close()
        return self._offset + self._written

    def discard(self) -> None:
        self._spool.close()


class S3Storage:
    name = "s3"

    def __init__(
        self,
        *,
        bucket: str,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        part_size: int = 8 * 1024 * 1024,
    ) -> None:
        if part_size < MIN_PART_SIZE:
            raise StorageError(f"S3 part size must be at least {MIN_PART_SIZE} bytes")
        self.bucket = bucket
        self.prefix = prefix
        self.part_size = part_size
        self.client: Any = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 4, "mode": "standard"}),
        )
        self._upload_ids: dict[str, str] = {}

    # -- names -------------------------------------------------------------------------------
    def _object_key(self, key: str) -> str:
        return self.prefix + validate_key(key)

    def _tail_key(self, key: str, start: int) -> str:
        return f"{self.prefix}.incoming/{validate_key(key)}/tail.{start}"

    # -- multipart state ---------------------------------------------------------------------
    def _find_upload_id(self, key: str) -> str | None:
        if key in self._upload_ids:
            return self._upload_ids[key]
        object_key = self._object_key(key)
        response = self.client.list_multipart_uploads(Bucket=self.bucket, Prefix=object_key)
        candidates = sorted(
            (u for u in response.get("Uploads", []) if u["Key"] == object_key), key=lambda u: u["Initiated"]
        )
        if not candidates:
            return None
        self._upload_ids[key] = str(candidates[0]["UploadId"])
        return self._upload_ids[key]

    def _upload_id(self, key: str) -> str:
        upload_id = self._find_upload_id(key)
        if upload_id is None:
            raise StorageError(f"no incomplete object {key!r}")
        return upload_id

    def _parts(self, key: str, upload_id: str) -> dict[int, dict[str, Any]]:
        parts: dict[int, dict[str, Any]] = {}
        paginator = self.client.get_paginator("list_parts")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Key=self._object_key(key), UploadId=upload_id):
                for part in page.get("Parts", []):
                    parts[int(part["PartNumber"])] = part
        except ClientError as exc:
            if _missing(exc):
                self._upload_ids.pop(key, None)
                raise StorageError(f"no incomplete object {key!r}") from None
            raise
        return parts

    def upload_part(self, key: str, upload_id: str, number: int, data: bytes) -> None:
        self.client.upload_part(
            Bucket=self.bucket, Key=self._object_key(key), UploadId=upload_id, PartNumber=number, Body=data
        )

    def put_tail(self, key: str, start: int, spool: IO[bytes], length: int) -> None:
        data = spool.read(length)
        if len(data) != length:
            raise StorageError("spool file shorter than expected")
        self.client.put_object(Bucket=self.bucket, Key=self._tail_key(key, start), Body=data)

    def copy_tail_into(self, key: str, start: int, length: int, sink: IO[bytes]) -> None:
        try:
            response = self.client.get_object(
                Bucket=self.bucket, Key=self._tail_key(key, start), Range=f"bytes=0-{length - 1}"
            )
        except ClientError as exc:
            if _missing(exc):
                raise StorageError(f"incomplete object {key!r} lost its tail at {start}") from None
            raise
        copied = 0
        for block in response["Body"].iter_chunks(_COPY_BLOCK):
            sink.write(block)
            copied += len(block)
        if copied != length:
            raise StorageError(f"incomplete object {key!r}: tail at {start} holds {copied} of {length} bytes")

    # -- interface ---------------------------------------------------------------------------
    def begin(self, key: str) -> None:
        if self._find_upload_id(key) is not None:
            return
        response = self.client.create_multipart_upload(Bucket=self.bucket, Key=self._object_key(key))
        self._upload_ids[key] = str(response["UploadId"])

    def open_append(self, key: str, offset: int) -> _S3Append:
        upload_id = self._upload_id(key)
        full_parts = offset // self.part_size
        if full_parts:
            parts = self._parts(key, upload_id)
            for number in range(1, full_parts + 1):
                if int(parts.get(number, {}).get("Size", -1)) != self.part_size:
                    raise StorageError(f"incomplete object {key!r} is missing part {number}")
        # The caller recorded `offset`, so tails that now lie inside full parts are no longer needed.
        # (They are kept until then: a process dying after a part upload still has them to resume.)
        self._delete_tails(key, before=full_parts * self.part_size)
        return _S3Append(self, key, upload_id, offset)

    def finalize(self, key: str, *, size: int) -> None:
        upload_id = self._find_upload_id(key)
        if upload_id is None:
            if self.size(key) == size:
                return  # finalized before a crash
            raise StorageError(f"no incomplete object {key!r}")
        object_key = self._object_key(key)
        if size == 0:
            self.client.put_object(Bucket=self.bucket, Key=object_key, Body=b"")
            self.abort(key)
            return
        full_parts, remainder = divmod(size, self.part_size)
        part_count = full_parts
        if remainder:
            with tempfile.TemporaryFile(prefix="s3-final-") as spool:
                self.copy_tail_into(key, full_parts * self.part_size, remainder, spool)
                spool.seek(0)
                part_count += 1
                self.upload_part(key, upload_id, part_count, spool.read())
        parts = self._parts(key, upload_id)
        listed = []
        for number in range(1, part_count + 1):
            if number not in parts:
                raise StorageError(f"incomplete object {key!r} is missing part {number}")
            listed.append({"PartNumber": number, "ETag": parts[number]["ETag"]})
        self.client.complete_multipart_upload(
            Bucket=self.bucket, Key=object_key, UploadId=upload_id, MultipartUpload={"Parts": listed}
        )
        self._upload_ids.pop(key, None)
        self._delete_tails(key)
        actual = self.size(key)
        if actual != size:
            raise StorageError(f"object {key!r} holds {actual} bytes after finalize, expected {size}")

    def _delete_tails(self, key: str, *, before: int | None = None) -> None:
        prefix = f"{self.prefix}.incoming/{validate_key(key)}/"
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                start = item["Key"].rsplit(".", 1)[-1]
                if before is None or (start.isdigit() and int(start) < before):
                    self.client.delete_object(Bucket=self.bucket, Key=item["Key"])

    def abort(self, key: str) -> None:
        object_key = self._object_key(key)
        response = self.client.list_multipart_uploads(Bucket=self.bucket, Prefix=object_key)
        for upload in response.get("Uploads", []):
            if upload["Key"] == object_key:
                try:
                    self.client.abort_multipart_upload(
                        Bucket=self.bucket, Key=object_key, UploadId=upload["UploadId"]
                    )
                except ClientError as exc:
                    if not _missing(exc):
                        raise
        self._upload_ids.pop(key, None)
        self._delete_tails(key)

    def read_range(self, key: str, start: int, end: int, *, chunk_size: int = 1 << 20) -> Iterator[bytes]:
        if end <= start:
            return
        try:
            response = self.client.get_object(
                Bucket=self.bucket, Key=self._object_key(key), Range=f"bytes={start}-{end - 1}"
            )
        except ClientError as exc:
            if _missing(exc):
                raise StorageError(f"no object {key!r}") from None
            raise
        body = response["Body"]
        try:
            yield from body.iter_chunks(chunk_size)
        finally:
            body.close()

    def size(self, key: str) -> int | None:
        try:
            response = self.client.head_object(Bucket=self.bucket, Key=self._object_key(key))
        except ClientError as exc:
            if _missing(exc):
                return None
            raise
        return int(response["ContentLength"])

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._object_key(key))
