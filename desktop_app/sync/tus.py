"""A tus 1.0.0 client for the station: create, ask for the offset, append chunks with a checksum.

Every chunk carries `Upload-Checksum: sha256 ...`, so the server keeps a chunk whole or not at all;
after any interruption the uploader asks the server for its offset (HEAD) and continues from there,
so at most the chunk that was in flight is sent twice.
"""

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from desktop_app.sync.client import API, raise_for_delivery
from desktop_app.sync.errors import DeliveryRejected, ServerUnreachable

TUS_VERSION = "1.0.0"
RESPONSE_ID_HEADER = "Interview-Response-Id"
MAX_CHECKSUM_RETRIES = 3


class UploadGone(Exception):
    """The server no longer knows this upload (expired, terminated, or discarded after a bad file)."""


@dataclass(frozen=True)
class UploadState:
    offset: int
    length: int
    response_id: str | None


def encode_metadata(metadata: dict[str, str]) -> str:
    return ",".join(f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in metadata.items())


def _error_kind(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return str(body.get("error")) if isinstance(body, dict) else None


def _state(response: httpx.Response) -> UploadState:
    return UploadState(
        offset=int(response.headers["Upload-Offset"]),
        length=int(response.headers.get("Upload-Length", -1)),
        response_id=response.headers.get(RESPONSE_ID_HEADER),
    )


class TusUploader:
    def __init__(self, client: httpx.Client, *, chunk_size: int = 4 * 1024 * 1024) -> None:
        self.client = client
        self.chunk_size = chunk_size
        self.bytes_sent = 0  # every body byte put on the wire, re-sends included

    def _request(self, method: str, url: str, **kwargs: object) -> httpx.Response:
        headers = {"Tus-Resumable": TUS_VERSION, **kwargs.pop("headers", {})}  # type: ignore[dict-item]
        try:
            return self.client.request(method, url, headers=headers, **kwargs)  # type: ignore[arg-type]
        except httpx.TransportError as exc:
            raise ServerUnreachable(f"The upload was interrupted ({type(exc).__name__}: {exc}).") from None

    def create(self, *, length: int, metadata: dict[str, str]) -> tuple[str, UploadState]:
        response = self._request(
            "POST",
            f"{API}/uploads/",
            headers={"Upload-Length": str(length), "Upload-Metadata": encode_metadata(metadata)},
        )
        raise_for_delivery(response, "the upload")
        location = response.headers.get("Location")
        if not location:
            raise DeliveryRejected("The server created the upload but sent no Location.")
        return location, _state(response)

    def state(self, location: str) -> UploadState:
        response = self._request("HEAD", location)
        if response.status_code in {404, 410}:
            raise UploadGone(location)
        raise_for_delivery(response, "the upload's state")
        return _state(response)

    def send(
        self,
        location: str,
        path: Path,
        state: UploadState,
        *,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> UploadState:
        """Append the file from `state.offset` to the end; return the final state."""
        checksum_failures = 0
        with path.open("rb") as handle:
            while state.offset < state.length:
                handle.seek(state.offset)
                chunk = handle.read(self.chunk_size)
                if not chunk:
                    raise DeliveryRejected(f"{path} is shorter than the upload's declared length.")
                digest = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
                self.bytes_sent += len(chunk)
                response = self._request(
                    "PATCH",
                    location,
                    content=chunk,
                    headers={
                        "Content-Type": "application/offset+octet-stream",
                        "Upload-Offset": str(state.offset),
                        "Upload-Checksum": f"sha256 {digest}",
                    },
                )
                if response.status_code == 409:  # we and the server disagree: the server is right
                    state = self.state(location)
                    continue
                if response.status_code in {404, 410}:
                    raise UploadGone(location)
                if response.status_code == 460:
                    if _error_kind(response) == "FileChecksumMismatch":
                        raise UploadGone(location)  # the whole file did not match: the server discarded it
                    checksum_failures += 1
                    if checksum_failures > MAX_CHECKSUM_RETRIES:
                        raise ServerUnreachable("Chunks keep arriving damaged; will retry later.")
                    continue
                raise_for_delivery(response, "a piece of the recording")
                state = UploadState(
                    offset=int(response.headers["Upload-Offset"]),
                    length=state.length,
                    response_id=response.headers.get(RESPONSE_ID_HEADER),
                )
                if on_progress is not None:
                    on_progress(state.offset, state.length)
        if state.response_id is None and state.offset == state.length:
            state = self.state(location)  # e.g. a zero-length file, or a completion finished by HEAD
        return state
