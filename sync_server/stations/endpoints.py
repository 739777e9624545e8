"""`/api/v1/stations/*` (admins manage stations; a station enrolls and sends heartbeats)."""

from fastapi import APIRouter, Request, status

from sync_server.contract import (
    EnrollmentCodeCreate,
    EnrollmentCodeCreated,
    ErrorBody,
    HeartbeatAck,
    HeartbeatRequest,
    Page,
    StationEnrolled,
    StationEnrollRequest,
    StationOut,
)
from sync_server.deps import CurrentStation, LimiterDep, RequireAdmin, SessionDep, SettingsDep, client_ip
from sync_server.models import Station
from sync_server.openapi import error_responses
from sync_server.pagination import PageDep, fetch_page
from sync_server.stations import repository, service

router = APIRouter(tags=["stations"])

_404 = error_responses(404)


@router.post(
    "/stations/enrollment-codes", response_model=EnrollmentCodeCreated, status_code=status.HTTP_201_CREATED
)
def create_enrollment_code(
    body: EnrollmentCodeCreate, admin: RequireAdmin, session: SessionDep, settings: SettingsDep
) -> EnrollmentCodeCreated:
    """A one-time code to enroll a new station (admin). The code is shown only here."""
    row, code = service.issue_enrollment_code(
        session,
        settings,
        organization_id=admin.organization_id,
        station_name=body.station_name,
        expires_in_minutes=body.expires_in_minutes,
        actor=admin.actor,
    )
    return EnrollmentCodeCreated(
        id=row.id, station_name=row.station_name, enrollment_code=code, expires_at=row.expires_at
    )


@router.post(
    "/stations/enroll",
    response_model=StationEnrolled,
    status_code=status.HTTP_201_CREATED,
    responses={
        404: {"model": ErrorBody},
        409: {"model": ErrorBody},
        410: {"model": ErrorBody},
        429: {"model": ErrorBody},
    },
)
def enroll_station(
    body: StationEnrollRequest,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    limiter: LimiterDep,
) -> StationEnrolled:
    """A station trades its enrollment code for its credential (sent once; keep it)."""
    return service.enroll(
        session,
        settings,
        limiter,
        code=body.enrollment_code,
        app_version=body.app_version,
        ip=client_ip(request),
    )


@router.get("/stations", response_model=Page[StationOut])
def list_stations(
    admin: RequireAdmin, session: SessionDep, page: PageDep, revoked: bool | None = None
) -> Page[StationOut]:
    """The organization's stations with when each was last seen (admin)."""
    rows, total = fetch_page(
        session,
        repository.stations_query(organization_id=admin.organization_id, revoked=revoked),
        page,
        sortable={
            "name": Station.name,
            "created_at": Station.created_at,
            "last_seen_at": Station.last_seen_at,
            "pending_uploads": Station.pending_uploads,
        },
        default_sort="name",
        tie_breaker=Station.id,
    )
    return Page(
        items=[service.station_out(s) for s in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/stations/{station_id}", response_model=StationOut, responses=_404)
def get_station(station_id: str, admin: RequireAdmin, session: SessionDep) -> StationOut:
    return service.station_out(
        service.get_station(session, organization_id=admin.organization_id, station_id=station_id)
    )


@router.post("/stations/{station_id}/revoke", response_model=StationOut, responses=_404)
def revoke_station(station_id: str, admin: RequireAdmin, session: SessionDep) -> StationOut:
    """Revoke a station's credential at once (lost or retired kiosk)."""
    station = service.revoke(
        session, organization_id=admin.organization_id, station_id=station_id, actor=admin.actor
    )
    return service.station_out(station)


@router.post("/station/heartbeat", response_model=HeartbeatAck)
def heartbeat(body: HeartbeatRequest, station: CurrentStation, session: SessionDep) -> HeartbeatAck:
    """The station is alive: which app version it runs and how many answers wait in its outbox."""
    now = service.heartbeat(
        session,
        organization_id=station.organization_id,
        station_id=station.id,
        app_version=body.app_version,
        pending_uploads=body.pending_uploads,
    )
    return HeartbeatAck(station_id=station.id, server_time=now)
