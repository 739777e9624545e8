"""`/api/v1/responses/{id}/transcript` (stations send, reviewers read) and `/responses/{id}/media` (reviewers)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, status
from fastapi.concurrency import iterate_in_threadpool, run_in_threadpool
from fastapi.responses import StreamingResponse

from sync_server.contract import ErrorBody, Transcript, TranscriptStored
from sync_server.deps import CurrentStation, RequireHR, SessionDep
from sync_server.responses import service
from sync_server.responses.ranges import parse_range
from sync_server.scoring.jobs import request_scoring
from sync_server.storage import ObjectStorage

router = APIRouter(tags=["responses"])

_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorBody} for code in (401, 403, 404, 410, 422)}


def _storage(request: Request) -> ObjectStorage:
    storage: ObjectStorage = request.app.state.storage
    return storage


StorageDep = Annotated[ObjectStorage, Depends(_storage)]


@router.put("/responses/{response_id}/transcript", response_model=TranscriptStored, responses=_ERRORS)
@router.post(
    "/responses/{response_id}/transcript",
    response_model=TranscriptStored,
    responses=_ERRORS,
    include_in_schema=False,
)
def put_transcript(
    response_id: str, transcript: Transcript, station: CurrentStation, session: SessionDep
) -> TranscriptStored:
    """The station's transcript of an answer (station credential). Sending the same one again changes nothing."""
    response = service.station_response(
        session, organization_id=station.organization_id, station_id=station.id, response_id=response_id
    )
    changed = service.store_transcript(session, response, transcript, actor=station.actor)
    if changed:
        request_scoring(organization_id=station.organization_id, response_id=response.id)
    return TranscriptStored(response_id=response.id, changed=changed)


@router.get("/responses/{response_id}/transcript", response_model=Transcript, responses=_ERRORS)
def get_transcript(response_id: str, reviewer: RequireHR, session: SessionDep) -> Transcript:
    """The answer's transcript with segment and word timings (hr/admin), for the synced transcript view."""
    return service.reviewer_transcript(
        session, organization_id=reviewer.organization_id, response_id=response_id
    )


@router.get(
    "/responses/{response_id}/media",
    responses={**_ERRORS, 206: {"description": "Partial content"}, 416: {"model": ErrorBody}},
    response_class=StreamingResponse,
)
async def get_media(
    response_id: str,
    reviewer: RequireHR,
    session: SessionDep,
    storage: StorageDep,
    range_header: Annotated[str | None, Header(alias="Range")] = None,
) -> StreamingResponse:
    """The answer's recording (hr/admin), with HTTP Range for seeking: 206 + Content-Range, 416 outside."""
    response = await run_in_threadpool(
        service.reviewer_response, session, organization_id=reviewer.organization_id, response_id=response_id
    )
    assert response.media_object_key is not None and response.media_size is not None
    size = response.media_size
    span = parse_range(range_header, size)
    start, end = span if span is not None else (0, size)
    headers = {
        "Accept-Ranges": "bytes",
        "Content-Length": str(end - start),
        "ETag": f'"{response.media_sha256}"',
        "Cache-Control": "private, max-age=3600",
    }
    if span is not None:
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    body = iterate_in_threadpool(storage.read_range(response.media_object_key, start, end))
    return StreamingResponse(
        body,
        status_code=status.HTTP_206_PARTIAL_CONTENT if span is not None else status.HTTP_200_OK,
        media_type=response.media_content_type or "application/octet-stream",
        headers=headers,
    )
