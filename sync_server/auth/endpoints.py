"""`/api/v1/auth/*` and `/api/v1/me`."""

from fastapi import APIRouter, Request, status

from sync_server.auth import service
from sync_server.contract import (
    CurrentUserInfo,
    LoginRequest,
    LogoutRequest,
    PasswordChange,
    RefreshRequest,
    TokenPair,
)
from sync_server.deps import CacheDep, CurrentUser, LimiterDep, SessionDep, SettingsDep, client_ip
from sync_server.openapi import error_responses

router = APIRouter(tags=["auth"])

_401 = error_responses(401)


@router.post("/auth/login", response_model=TokenPair, responses=error_responses(401, 429))
def login(
    body: LoginRequest, request: Request, session: SessionDep, settings: SettingsDep, limiter: LimiterDep
) -> TokenPair:
    """Sign in with email and password: a 15-minute access token and a 7-day refresh token."""
    return service.login(
        session,
        settings=settings,
        limiter=limiter,
        email=body.email,
        password=body.password,
        ip=client_ip(request),
    )


@router.post("/auth/refresh", response_model=TokenPair, responses=_401)
def refresh(body: RefreshRequest, request: Request, session: SessionDep, settings: SettingsDep) -> TokenPair:
    """Trade a refresh token for a new pair. Each refresh token works once."""
    return service.refresh(
        session, settings=settings, refresh_token=body.refresh_token, ip=client_ip(request)
    )


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT, responses=_401)
def logout(body: LogoutRequest, user: CurrentUser, session: SessionDep) -> None:
    """End this sign-in: its access and refresh tokens stop working."""
    service.logout(
        session,
        user_id=user.id,
        organization_id=user.organization_id,
        family_id=user.family_id,
        refresh_token=body.refresh_token,
    )


@router.get("/me", response_model=CurrentUserInfo, responses=_401)
def me(user: CurrentUser, session: SessionDep, cache: CacheDep) -> CurrentUserInfo:
    """The signed-in user and their organization."""
    return service.current_user_info(session, cache, user_id=user.id, organization_id=user.organization_id)


@router.post("/me/password", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(401, 422))
def change_password(
    body: PasswordChange, request: Request, user: CurrentUser, session: SessionDep, cache: CacheDep
) -> None:
    """Change your password; every other sign-in ends."""
    service.change_password(
        session,
        cache,
        user_id=user.id,
        organization_id=user.organization_id,
        current_password=body.current_password,
        new_password=body.new_password,
        ip=client_ip(request),
    )
