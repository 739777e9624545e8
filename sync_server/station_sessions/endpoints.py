"""`/api/v1/station/*`: what an enrolled station does with a candidate's interview."""

from fastapi import APIRouter, Request

from sync_server.contract import (
    InterviewPlan,
    StationInterviewState,
    StationInterviewUpdate,
    StationSessionRequest,
)
from sync_server.deps import CacheDep, CurrentStation, LimiterDep, SessionDep, SettingsDep, client_ip
from sync_server.interviews import service as interviews
from sync_server.openapi import error_responses
from sync_server.station_sessions import service

router = APIRouter(tags=["station"])

_errors = error_responses(404, 409, 410, 429)


@router.post("/station/sessions", response_model=InterviewPlan, responses=_errors)
def open_session(
    body: StationSessionRequest,
    request: Request,
    station: CurrentStation,
    session: SessionDep,
    settings: SettingsDep,
    cache: CacheDep,
    limiter: LimiterDep,
) -> InterviewPlan:
    """The candidate's access code -> the interview plan (the code is spent)."""
    return service.open_session(
        session,
        settings,
        cache,
        limiter,
        station=station,
        access_code=body.access_code,
        ip=client_ip(request),
    )


@router.get("/station/interviews/{interview_id}/plan", response_model=InterviewPlan, responses=_errors)
def get_plan(
    interview_id: str, station: CurrentStation, session: SessionDep, cache: CacheDep
) -> InterviewPlan:
    """Fetch the plan again (after a station restart) for an interview this station opened."""
    interview = service.station_interview(session, station=station, interview_id=interview_id)
    return interviews.build_plan(session, cache, interview)


@router.post(
    "/station/interviews/{interview_id}/progress", response_model=StationInterviewState, responses=_errors
)
def report_progress(
    interview_id: str, body: StationInterviewUpdate, station: CurrentStation, session: SessionDep
) -> StationInterviewState:
    """Consent given (in_progress, with the people-only choice), declined, or the interview finished."""
    interview = service.report_progress(session, station=station, interview_id=interview_id, update=body)
    return StationInterviewState(
        interview_id=interview.id,
        status=interview.status,
        consent_version=interview.consent_version,
        consent_given_at=interview.consent_given_at,
        people_only=interview.people_only,
        declined_at=interview.declined_at,
        started_at=interview.started_at,
        completed_at=interview.completed_at,
    )
