"""Request dependencies as `Annotated` aliases: the database session, who is calling, and their scope.

Roles: `admin` manages the organization (users, stations, settings, audit, failed jobs) and can also do
everything `hr` can; `hr` manages jobs, candidates, question sets, invites and reviews. Stations are not
users: they authenticate with their own credential (`ist_...`) and reach only `/api/v1/station/*`.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from sync_server.auth.credentials import STATION_CREDENTIAL_PREFIX, sha256_hex
from sync_server.auth.tokens import BEARER_CHALLENGE, read_access_token
from sync_server.cache import Cache
from sync_server.config import ServerSettings
from sync_server.errors import Forbidden, Unauthorized
from sync_server.models import RefreshToken, Station, User, utcnow
from sync_server.ratelimit import Limiter
from sync_server.storage import ObjectStorage

_bearer = HTTPBearer(auto_error=False, description="A user access token (JWT) or a station credential.")

STATION_LAST_SEEN_RESOLUTION = timedelta(seconds=60)


def get_settings(request: Request) -> ServerSettings:
    settings: ServerSettings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """One session per request. Services commit explicitly; anything uncommitted is rolled back."""
    session: Session = request.app.state.db.session_factory()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def get_limiter(request: Request) -> Limiter:
    limiter: Limiter = request.app.state.limiter
    return limiter


def get_storage(request: Request) -> ObjectStorage:
    storage: ObjectStorage = request.app.state.storage
    return storage


def get_cache(request: Request) -> Cache:
    cache: Cache = request.app.state.cache
    return cache


SettingsDep = Annotated[ServerSettings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
LimiterDep = Annotated[Limiter, Depends(get_limiter)]
CacheDep = Annotated[Cache, Depends(get_cache)]
StorageDep = Annotated[ObjectStorage, Depends(get_storage)]
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


@dataclass(frozen=True, slots=True)
class AuthenticatedUser:
    id: str
    organization_id: str
    role: str
    email: str
    family_id: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def actor(self) -> tuple[str, str]:
        return ("user", self.id)


@dataclass(frozen=True, slots=True)
class AuthenticatedStation:
    id: str
    organization_id: str
    name: str

    @property
    def actor(self) -> tuple[str, str]:
        return ("station", self.id)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _bearer_token(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise Unauthorized(
            "Sign in first: this needs an Authorization: Bearer token.", headers=BEARER_CHALLENGE
        )
    return credentials.credentials


def current_user(
    credentials: BearerDep, session: SessionDep, settings: SettingsDep, limiter: LimiterDep
) -> AuthenticatedUser:
    """The signed-in user, checked against the database on every request: a deactivated user, a
    changed role, a revoked session (logout, refresh-token reuse) take effect at once."""
    token = _bearer_token(credentials)
    if token.startswith(STATION_CREDENTIAL_PREFIX):
        raise Forbidden("Stations cannot use this endpoint.")
    claims = read_access_token(settings, token)
    family_revoked = (
        exists()
        .where(RefreshToken.family_id == claims.family_id, RefreshToken.revoked_at.is_not(None))
        .correlate(None)
    )
    row = session.execute(
        select(
            User.role, User.email, User.is_active, User.tokens_valid_after, family_revoked.label("revoked")
        ).where(User.id == claims.user_id, User.organization_id == claims.organization_id)
    ).one_or_none()
    if row is None or not row.is_active or row.revoked:
        raise Unauthorized("This session has ended; sign in again.", headers=BEARER_CHALLENGE)
    if row.tokens_valid_after is not None and claims.issued_at < row.tokens_valid_after.replace(
        microsecond=0
    ):
        raise Unauthorized("This session has ended; sign in again.", headers=BEARER_CHALLENGE)
    limiter.consume(settings.api_rate_limit, "api-user", claims.user_id)
    return AuthenticatedUser(
        id=claims.user_id,
        organization_id=claims.organization_id,
        role=row.role,
        email=row.email,
        family_id=claims.family_id,
    )


CurrentUser = Annotated[AuthenticatedUser, Depends(current_user)]


def require_hr(user: CurrentUser) -> AuthenticatedUser:
    """HR work: jobs, candidates, question sets, invites, interviews, reviews. Admins may do it too."""
    if user.role not in {"hr", "admin"}:
        raise Forbidden("This needs the hr or admin role.")
    return user


def require_admin(user: CurrentUser) -> AuthenticatedUser:
    if user.role != "admin":
        raise Forbidden("This needs the admin role.")
    return user


RequireHR = Annotated[AuthenticatedUser, Depends(require_hr)]
RequireAdmin = Annotated[AuthenticatedUser, Depends(require_admin)]


def org_scope(user: CurrentUser) -> str:
    return user.organization_id


# The caller's organization id: every query an endpoint makes filters on it.
OrgScope = Annotated[str, Depends(org_scope)]


def current_station(
    credentials: BearerDep, session: SessionDep, settings: SettingsDep, limiter: LimiterDep
) -> AuthenticatedStation:
    token = _bearer_token(credentials)
    if not token.startswith(STATION_CREDENTIAL_PREFIX):
        raise Forbidden("Only an enrolled station can use this endpoint.")
    station = session.scalars(
        select(Station).where(Station.credential_hash == sha256_hex(token), Station.revoked_at.is_(None))
    ).one_or_none()
    if station is None:
        raise Unauthorized(
            "This station credential is not valid or was revoked; enroll again.", headers=BEARER_CHALLENGE
        )
    limiter.consume(settings.station_rate_limit, "api-station", station.id)
    now = utcnow()
    if station.last_seen_at is None or now - station.last_seen_at > STATION_LAST_SEEN_RESOLUTION:
        # Written at most once a minute per station, so busy stations do not contend on the row.
        session.execute(update(Station).where(Station.id == station.id).values(last_seen_at=now))
        session.commit()
    return AuthenticatedStation(id=station.id, organization_id=station.organization_id, name=station.name)


CurrentStation = Annotated[AuthenticatedStation, Depends(current_station)]
