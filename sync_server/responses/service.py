"""Attach a transcript to a response; find a response's media for a reviewer. Org-scoped throughout."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.candidates.repository import not_erased, refuse_if_erased
from sync_server.contract import Transcript
from sync_server.contract.transcript import stored_transcript
from sync_server.errors import NotFound
from sync_server.interviews.abandonment import resume_if_abandoned
from sync_server.models import Interview, Response


def station_response(
    session: Session, *, organization_id: str, station_id: str, response_id: str
) -> Response:
    """A response of an interview this station ran; anything else is 'not found' (no probing).

    Raises:
        NotFound: not a response of this station's interviews.
        CandidateErased: its candidate was erased (the station drops its copy).
    """
    found = session.execute(
        select(Response, Interview.candidate_id)
        .join(Interview, Interview.id == Response.interview_id)
        .where(
            Response.id == response_id,
            Response.organization_id == organization_id,
            Interview.organization_id == organization_id,
            Interview.station_id == station_id,
        )
    ).one_or_none()
    if found is None:
        raise NotFound("No response with that id from this station.")
    response, candidate_id = found
    refuse_if_erased(session, candidate_id)
    return response


def store_transcript(
    session: Session, response: Response, transcript: Transcript, *, actor: tuple[str, str | None]
) -> bool:
    """Set the transcript; return False when the same transcript was already stored (a repeat)."""
    interview = session.get_one(Interview, response.interview_id)
    resume_if_abandoned(session, interview, actor=actor, what="a transcript")
    document = transcript.model_dump(mode="json")
    if response.transcript == document:
        session.commit()
        return False
    response.transcript = document
    session.commit()
    return True


def _organization_response(session: Session, *, organization_id: str, response_id: str) -> Response:
    response = session.scalars(
        select(Response)
        .join(Interview, Interview.id == Response.interview_id)
        .where(
            Response.id == response_id,
            Response.organization_id == organization_id,
            not_erased(Interview.candidate_id),
        )
    ).one_or_none()
    if response is None:
        raise NotFound("No response with that id.")
    return response


def reviewer_transcript(session: Session, *, organization_id: str, response_id: str) -> Transcript:
    """The answer's transcript for a reviewer of the same organization."""
    response = _organization_response(session, organization_id=organization_id, response_id=response_id)
    if response.transcript is None:
        raise NotFound("This answer has no transcript yet (the station may still be sending it).")
    return stored_transcript(response.transcript)


def reviewer_response(session: Session, *, organization_id: str, response_id: str) -> Response:
    response = _organization_response(session, organization_id=organization_id, response_id=response_id)
    if response.media_object_key is None or response.media_size is None:
        raise NotFound("This response has no recording yet (the station may still be sending it).")
    return response
