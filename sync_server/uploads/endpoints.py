"""`/api/v1/uploads/`: tus 1.0.0 with creation, checksum, termination and expiration.

PATCH bodies are streamed from the socket to storage in blocks of at most `WRITE_BLOCK` bytes, so a
server process holds about one block per running upload whatever the file size. Database and
storage calls are blocking and run in the threadpool.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials
from starlette.requests import ClientDisconnect

from sync_server.auth.credentials import STATION_CREDENTIAL_PREFIX
from sync_server.contract import ErrorBody
from sync_server.deps import SessionDep, SettingsDep, current_station, current_user, get_limiter
from sync_server.errors import BadRequest, Conflict, Forbidden, PayloadTooLarge
from sync_server.models import Upload
from sync_server.storage import ObjectStorage
from sync_server.uploads import service
from sync_server.uploads.locks import UploadLocks
from sync_server.uploads.metadata import describe_upload
from sync_server.uploads.protocol import (
    CHECKSUM_ALGORITHMS,
    OFFSET_CONTENT_TYPE,
    TUS_EXTENSIONS,
    TUS_VERSION,
    ChecksumMismatch,
    ChecksumSpec,
    UnsupportedMediaType,
    encode_metadata,
    http_date,
    parse_checksum,
    parse_metadata,
    parse_non_negative,
    require_tus_version,
)
from sync_server.uploads.service import UploadCaller

router = APIRouter(prefix="/uploads", tags=["uploads"])

WRITE_BLOCK = 1 << 20
RESPONSE_ID_HEADER = "Interview-Response-Id"
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 410, 412, 413, 415, 423, 460)
}


def get_storage(request: Request) -> ObjectStorage:
    storage: ObjectStorage = request.app.state.storage
    return storage


def get_upload_locks(request: Request) -> UploadLocks:
    locks: UploadLocks = request.app.state.upload_locks
    return locks


StorageDep = Annotated[ObjectStorage, Depends(get_storage)]
LocksDep = Annotated[UploadLocks, Depends(get_upload_locks)]


def upload_caller(request: Request, session: SessionDep, settings: SettingsDep) -> UploadCaller:
    """A station (its credential) or an HR user (an access token); each checked by its own dependency."""
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    credentials = HTTPAuthorizationCredentials(scheme=scheme, credentials=token.strip()) if token else None
    limiter = get_limiter(request)
    if credentials is not None and credentials.credentials.startswith(STATION_CREDENTIAL_PREFIX):
        station = current_station(credentials, session, settings, limiter)
        return UploadCaller(organization_id=station.organization_id, station_id=station.id)
    user = current_user(credentials, session, settings, limiter)
    if user.role not in {"hr", "admin"}:
        raise Forbidden("Uploading a CV needs the hr or admin role.")
    return UploadCaller(organization_id=user.organization_id, user_id=user.id)


CallerDep = Annotated[UploadCaller, Depends(upload_caller)]
TusResumable = Annotated[str | None, Header(alias="Tus-Resumable")]


def _state_headers(upload: Upload) -> dict[str, str]:
    headers = {"Upload-Offset": str(upload.offset), "Cache-Control": "no-store"}
    if upload.length is not None:
        headers["Upload-Length"] = str(upload.length)
    if upload.completed_at is None and upload.expires_at is not None:
        headers["Upload-Expires"] = http_date(upload.expires_at)
    if upload.response_id is not None:
        headers[RESPONSE_ID_HEADER] = upload.response_id
    return headers


@router.options("/", status_code=status.HTTP_204_NO_CONTENT, include_in_schema=False)
@router.options("", status_code=status.HTTP_204_NO_CONTENT, include_in_schema=False)
def describe_server(settings: SettingsDep) -> Response:
    """What this tus server supports (no authentication: it reveals nothing)."""
    return Response(
        status_code=status.HTTP_204_NO_CONTENT,
        headers={
            "Tus-Version": TUS_VERSION,
            "Tus-Extension": TUS_EXTENSIONS,
            "Tus-Checksum-Algorithm": ",".join(CHECKSUM_ALGORITHMS),
            "Tus-Max-Size": str(settings.upload_max_size),
        },
    )


@router.post("/", status_code=status.HTTP_201_CREATED, responses=_ERRORS)
@router.post("", status_code=status.HTTP_201_CREATED, include_in_schema=False)
async def create_upload(
    request: Request,
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
    storage: StorageDep,
    tus_resumable: TusResumable = None,
    upload_length: Annotated[str | None, Header(alias="Upload-Length")] = None,
    upload_metadata: Annotated[str | None, Header(alias="Upload-Metadata")] = None,
    upload_defer_length: Annotated[str | None, Header(alias="Upload-Defer-Length")] = None,
) -> Response:
    """Create an upload (tus creation). Upload-Metadata: kind, sha256, filename, and for answers
    interview, question, attempt, answer_id (and duration, recorded_at); for a CV, candidate."""
    require_tus_version(tus_resumable)
    if upload_defer_length is not None:
        raise BadRequest("This server needs Upload-Length at creation (no creation-defer-length).")
    length = parse_non_negative("Upload-Length", upload_length)
    if length > settings.upload_max_size:
        raise PayloadTooLarge(
            f"Upload-Length {length} is over this server's limit of {settings.upload_max_size} bytes."
        )
    metadata = parse_metadata(upload_metadata)
    description = describe_upload(metadata)
    upload = await run_in_threadpool(
        service.create_upload,
        session,
        storage,
        settings,
        caller=caller,
        description=description,
        length=length,
        metadata=metadata,
    )
    if upload.completed_at is None and upload.offset == upload.length:
        await run_in_threadpool(service.complete_upload, session, storage, upload)
    location = str(request.url_for("upload_state", upload_id=upload.id))
    return Response(
        status_code=status.HTTP_201_CREATED, headers={"Location": location, **_state_headers(upload)}
    )


@router.head("/{upload_id}", name="upload_state", responses=_ERRORS)
async def upload_state(
    upload_id: str,
    caller: CallerDep,
    session: SessionDep,
    storage: StorageDep,
    locks: LocksDep,
    tus_resumable: TusResumable = None,
) -> Response:
    """How much of the upload the server has (Upload-Offset); resume from there."""
    require_tus_version(tus_resumable)
    upload = await run_in_threadpool(service.get_upload, session, caller, upload_id)
    if upload.completed_at is None and upload.offset == upload.length:
        # A process died between storing the last byte and recording the answer: finish it now.
        async with locks.hold(upload_id):
            upload = await run_in_threadpool(service.get_upload, session, caller, upload_id)
            await run_in_threadpool(service.complete_upload, session, storage, upload)
    headers = _state_headers(upload)
    if upload.upload_metadata:
        headers["Upload-Metadata"] = encode_metadata(upload.upload_metadata)
    return Response(status_code=status.HTTP_200_OK, headers=headers)


@router.patch("/{upload_id}", status_code=status.HTTP_204_NO_CONTENT, responses=_ERRORS)
async def append_to_upload(
    upload_id: str,
    request: Request,
    caller: CallerDep,
    session: SessionDep,
    storage: StorageDep,
    locks: LocksDep,
    tus_resumable: TusResumable = None,
    content_type: Annotated[str | None, Header(alias="Content-Type")] = None,
    upload_offset: Annotated[str | None, Header(alias="Upload-Offset")] = None,
    upload_checksum: Annotated[str | None, Header(alias="Upload-Checksum")] = None,
    content_length: Annotated[str | None, Header(alias="Content-Length")] = None,
) -> Response:
    """Append the body at Upload-Offset. With Upload-Checksum the chunk is kept only if it matches
    (else 460 and the offset stays); without it, whatever arrived before a cut is kept."""
    require_tus_version(tus_resumable)
    if (content_type or "").split(";")[0].strip().lower() != OFFSET_CONTENT_TYPE:
        raise UnsupportedMediaType(f"PATCH bodies must be sent as Content-Type: {OFFSET_CONTENT_TYPE}.")
    offset = parse_non_negative("Upload-Offset", upload_offset)
    checksum = parse_checksum(upload_checksum)
    async with locks.hold(upload_id):
        upload = await run_in_threadpool(service.get_upload, session, caller, upload_id)
        if offset != upload.offset:
            raise Conflict(
                f"Upload-Offset {offset} does not match the server's offset {upload.offset}; "
                "ask with HEAD and resume from there.",
                headers={"Upload-Offset": str(upload.offset)},
            )
        assert upload.length is not None
        declared = int(content_length) if content_length and content_length.isdigit() else None
        if declared is not None and offset + declared > upload.length:
            raise PayloadTooLarge("This chunk would go past the Upload-Length declared at creation.")
        if upload.completed_at is None and offset < upload.length:
            try:
                new_offset = await _stream_body(request, storage, upload, checksum)
            except ClientDisconnect:
                # The client is gone and nothing was kept; there is nobody to answer.
                return Response(status_code=status.HTTP_400_BAD_REQUEST)
            await run_in_threadpool(service.record_offset, session, upload, new_offset)
        if upload.completed_at is None and upload.offset == upload.length:
            await run_in_threadpool(service.complete_upload, session, storage, upload)
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers=_state_headers(upload))


async def _stream_body(
    request: Request, storage: ObjectStorage, upload: Upload, checksum: ChecksumSpec | None
) -> int:
    assert upload.length is not None
    room = upload.length - upload.offset
    hasher = checksum.new_hasher() if checksum is not None else None
    writer = await run_in_threadpool(storage.open_append, upload.object_key, upload.offset)
    buffer = bytearray()
    received = 0
    try:
        try:
            async for chunk in request.stream():
                received += len(chunk)
                if received > room:
                    raise PayloadTooLarge("This chunk goes past the Upload-Length declared at creation.")
                if hasher is not None:
                    hasher.update(chunk)
                buffer += chunk
                if len(buffer) >= WRITE_BLOCK:
                    block, buffer = bytes(buffer), bytearray()
                    await run_in_threadpool(writer.write, block)
        except ClientDisconnect:
            if hasher is not None:  # a partial chunk cannot be verified: keep nothing of it
                await run_in_threadpool(writer.discard)
                raise
        if hasher is not None and checksum is not None and hasher.digest() != checksum.digest:
            await run_in_threadpool(writer.discard)
            raise ChecksumMismatch(
                f"The chunk's {checksum.algorithm} does not match Upload-Checksum; it was not stored. Send it again."
            )
        if buffer:
            await run_in_threadpool(writer.write, bytes(buffer))
        return await run_in_threadpool(writer.commit)
    except BaseException:
        await run_in_threadpool(writer.discard)
        raise


@router.delete("/{upload_id}", status_code=status.HTTP_204_NO_CONTENT, responses=_ERRORS)
async def terminate_upload(
    upload_id: str,
    caller: CallerDep,
    session: SessionDep,
    storage: StorageDep,
    locks: LocksDep,
    tus_resumable: TusResumable = None,
) -> Response:
    """Abandon an incomplete upload and free what it stored (tus termination)."""
    require_tus_version(tus_resumable)
    async with locks.hold(upload_id):
        upload = await run_in_threadpool(service.get_upload, session, caller, upload_id)
        await run_in_threadpool(service.terminate_upload, session, storage, upload)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
