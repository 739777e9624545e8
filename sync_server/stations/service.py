"""Stations: one-time enrollment codes, enrollment, heartbeats, revocation."""

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from sync_server.audit.service import record
from sync_server.auth.credentials import (
    format_code,
    generate_enrollment_code,
    generate_station_credential,
    keyed_hash,
    normalize_code,
    sha256_hex,
)
from sync_server.config import ServerSettings
from sync_server.contract import StationEnrolled, StationOut
from sync_server.errors import Conflict, Gone, NotFound
from sync_server.models import EnrollmentCode, Organization, Station, utcnow
from sync_server.ratelimit import CODE_ATTEMPTS_IP, Limiter
from sync_server.stations import repository

Actor = tuple[str, str | None]
ENROLLMENT_PURPOSE = "station-enrollment"


def station_out(station: Station) -> StationOut:
    return StationOut(
        id=station.id,
        name=station.name,
        created_at=station.created_at,
        last_seen_at=station.last_seen_at,
        app_version=station.app_version,
        revoked_at=station.revoked_at,
        pending_uploads=station.pending_uploads,
        pending_uploads_reported_at=station.pending_uploads_reported_at,
    )


def issue_enrollment_code(
    session: Session,
    settings: ServerSettings,
    *,
    organization_id: str,
    station_name: str,
    expires_in_minutes: int,
    actor: Actor,
) -> tuple[EnrollmentCode, str]:
    """A single-use code a station exchanges for its credential. Returns (row, code shown once)."""
    code = generate_enrollment_code()
    row = EnrollmentCode(
        organization_id=organization_id,
        code_hash=keyed_hash(code, key=settings.signing_key(), purpose=ENROLLMENT_PURPOSE),
        station_name=station_name.strip(),
        expires_at=utcnow() + timedelta(minutes=expires_in_minutes),
        created_by_id=actor[1] if actor[0] == "user" else None,
    )
    session.add(row)
    session.flush()
    record(
        session,
        organization_id=organization_id,
        actor=actor,
        action="station.enrollment_code_issued",
        target_type="enrollment_code",
        target_id=row.id,
        details={"station_name": row.station_name},
    )
    session.commit()
    return row, format_code(code)


def enroll(
    session: Session,
    settings: ServerSettings,
    limiter: Limiter,
    *,
    code: str,
    app_version: str | None,
    ip: str,
) -> StationEnrolled:
    """Exchange an enrollment code for a station credential (shown once; only its hash is kept).

    Raises:
        TooManyRequests: too many wrong codes from this address.
        NotFound / Gone / Conflict: unknown, expired or already used code.
    """
    limiter.check_not_locked([(CODE_ATTEMPTS_IP, ip)], "enrollment codes")
    row = repository.enrollment_code_by_hash(
        session, keyed_hash(normalize_code(code), key=settings.signing_key(), purpose=ENROLLMENT_PURPOSE)
    )
    now = utcnow()
    if row is None:
        limiter.record_failure(CODE_ATTEMPTS_IP, ip)
        raise NotFound("That enrollment code is not valid; check it or ask an admin for a new one.")
    if row.used_at is not None:
        raise Conflict("That enrollment code was used already; ask an admin for a new one.")
    if row.expires_at < now:
        raise Gone("That enrollment code has expired; ask an admin for a new one.")
    if not repository.claim_enrollment_code(session, code_id=row.id, now=now):
        raise Conflict("That enrollment code was used already; ask an admin for a new one.")
    credential = generate_station_credential()
    station = Station(
        organization_id=row.organization_id,
        name=row.station_name,
        credential_hash=sha256_hex(credential),
        last_seen_at=now,
        app_version=app_version,
    )
    session.add(station)
    session.flush()
    row.station_id = station.id
    record(
        session,
        organization_id=row.organization_id,
        actor=("station", station.id),
        action="station.enrolled",
        target_type="station",
        target_id=station.id,
        ip_address=ip,
    )
    org_name = session.get_one(Organization, row.organization_id).name
    session.commit()
    return StationEnrolled(
        station_id=station.id, station_name=station.name, organization_name=org_name, credential=credential
    )


def get_station(session: Session, *, organization_id: str, station_id: str) -> Station:
    station = repository.station(session, organization_id=organization_id, station_id=station_id)
    if station is None:
        raise NotFound("No station with that id.")
    return station


def revoke(session: Session, *, organization_id: str, station_id: str, actor: Actor) -> Station:
    station = get_station(session, organization_id=organization_id, station_id=station_id)
    if station.revoked_at is None:
        station.revoked_at = utcnow()
        record(
            session,
            organization_id=organization_id,
            actor=actor,
            action="station.revoked",
            target_type="station",
            target_id=station.id,
        )
        session.commit()
    return station


def heartbeat(
    session: Session, *, organization_id: str, station_id: str, app_version: str | None, pending_uploads: int
) -> datetime:
    """The station is alive; remember its version and how many answers wait in its outbox."""
    station = get_station(session, organization_id=organization_id, station_id=station_id)
    now = utcnow()
    station.last_seen_at = now
    station.pending_uploads = pending_uploads
    station.pending_uploads_reported_at = now
    if app_version:
        station.app_version = app_version
    session.commit()
    return now
