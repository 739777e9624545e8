"""Sign-in, token rotation, sign-out and password changes."""

from datetime import timedelta

import structlog
from sqlalchemy.orm import Session

from sync_server.audit.service import record
from sync_server.auth import repository
from sync_server.auth.credentials import generate_refresh_token, sha256_hex
from sync_server.auth.passwords import check_password_rules, hash_password, needs_rehash, verify_password
from sync_server.auth.tokens import issue_access_token
from sync_server.cache import Cache, me_cache_key
from sync_server.config import ServerSettings
from sync_server.contract import CurrentUserInfo, Role, TokenPair
from sync_server.errors import Unauthorized
from sync_server.models import RefreshToken, User, new_id, utcnow
from sync_server.ratelimit import (
    LOGIN_ACCOUNT_LOCK,
    LOGIN_ACCOUNT_SLOWDOWN,
    LOGIN_IP_LOCK,
    LOGIN_IP_SLOWDOWN,
    Limiter,
    hashed_identifier,
)

log = structlog.get_logger(__name__)

ME_CACHE_SECONDS = 300
_WRONG_CREDENTIALS = "Wrong email or password."


def issue_tokens(session: Session, settings: ServerSettings, user: User, *, family_id: str) -> TokenPair:
    refresh = generate_refresh_token()
    session.add(
        RefreshToken(
            organization_id=user.organization_id,
            user_id=user.id,
            family_id=family_id,
            token_hash=sha256_hex(refresh),
            expires_at=utcnow() + timedelta(days=settings.refresh_token_days),
        )
    )
    access, expires_in = issue_access_token(
        settings, user_id=user.id, organization_id=user.organization_id, role=user.role, family_id=family_id
    )
    return TokenPair(access_token=access, refresh_token=refresh, expires_in=expires_in)


def login(
    session: Session, *, settings: ServerSettings, limiter: Limiter, email: str, password: str, ip: str
) -> TokenPair:
    """Check the password (same work for unknown accounts); failures slow down, then lock.

    Raises:
        TooManyRequests: the account or the address has too many recent failures.
        Unauthorized: wrong email or password, or a deactivated account.
    """
    account = hashed_identifier(email)
    checks = [
        (LOGIN_ACCOUNT_SLOWDOWN, account),
        (LOGIN_ACCOUNT_LOCK, account),
        (LOGIN_IP_SLOWDOWN, ip),
        (LOGIN_IP_LOCK, ip),
    ]
    limiter.check_not_locked(checks, "sign-ins")
    user = repository.user_by_email(session, email)
    password_ok = verify_password(user.password_hash if user else None, password)
    if user is None or not password_ok or not user.is_active:
        for rule, identifier in checks:
            limiter.record_failure(rule, identifier)
        log.info("login_failed", account=account, known=user is not None)
        raise Unauthorized(_WRONG_CREDENTIALS)
    limiter.clear(LOGIN_ACCOUNT_SLOWDOWN, account)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    tokens = issue_tokens(session, settings, user, family_id=new_id())
    record(
        session,
        organization_id=user.organization_id,
        actor=("user", user.id),
        action="auth.login",
        target_type="user",
        target_id=user.id,
        ip_address=ip,
    )
    session.commit()
    return tokens


def refresh(session: Session, *, settings: ServerSettings, refresh_token: str, ip: str) -> TokenPair:
    """Rotate: the presented token is spent and a new one of the same family is issued. Presenting a
    spent token again means it was stolen (or replayed): the whole family is revoked.

    Raises:
        Unauthorized: unknown, expired, spent or revoked token, or an inactive user.
    """
    now = utcnow()
    stored = repository.refresh_token_by_hash(session, sha256_hex(refresh_token))
    if stored is None:
        raise Unauthorized("This refresh token is not valid; sign in again.")
    if (
        stored.revoked_at is not None
        or stored.used_at is not None
        or not repository.claim_refresh_token(session, token_id=stored.id, now=now)
    ):
        session.rollback()
        repository.revoke_family(session, family_id=stored.family_id, now=now)
        record(
            session,
            organization_id=stored.organization_id,
            actor=("user", stored.user_id),
            action="auth.refresh_token_reused",
            target_type="user",
            target_id=stored.user_id,
            details={"family_id": stored.family_id},
            ip_address=ip,
        )
        session.commit()
        log.warning("refresh_token_reused", user_id=stored.user_id, family_id=stored.family_id)
        raise Unauthorized("This refresh token was already used; every session of that sign-in has ended.")
    if stored.expires_at < now:
        raise Unauthorized("This refresh token has expired; sign in again.")
    user = repository.user_in_org(session, organization_id=stored.organization_id, user_id=stored.user_id)
    if user is None or not user.is_active:
        raise Unauthorized("This account is not active.")
    tokens = issue_tokens(session, settings, user, family_id=stored.family_id)
    session.commit()
    return tokens


def logout(
    session: Session, *, user_id: str, organization_id: str, family_id: str, refresh_token: str | None
) -> None:
    """End this sign-in (and the one of `refresh_token`, if it is the caller's)."""
    now = utcnow()
    repository.revoke_family(session, family_id=family_id, now=now)
    if refresh_token:
        stored = repository.refresh_token_by_hash(session, sha256_hex(refresh_token))
        if stored is not None and stored.user_id == user_id:
            repository.revoke_family(session, family_id=stored.family_id, now=now)
    record(
        session,
        organization_id=organization_id,
        actor=("user", user_id),
        action="auth.logout",
        target_type="user",
        target_id=user_id,
    )
    session.commit()


def current_user_info(
    session: Session, cache: Cache, *, user_id: str, organization_id: str
) -> CurrentUserInfo:
    cached = cache.get_json(me_cache_key(user_id))
    if cached is not None:
        return CurrentUserInfo.model_validate(cached)
    user = repository.user_in_org(session, organization_id=organization_id, user_id=user_id)
    if user is None:
        raise Unauthorized("This session has ended; sign in again.")
    info = CurrentUserInfo(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=Role(user.role),
        organization_id=user.organization_id,
        organization_name=repository.organization_name(session, user.organization_id),
        last_login_at=user.last_login_at,
    )
    cache.set_json(me_cache_key(user_id), info.model_dump(mode="json"), ME_CACHE_SECONDS)
    return info


def change_password(
    session: Session,
    cache: Cache,
    *,
    user_id: str,
    organization_id: str,
    current_password: str,
    new_password: str,
    ip: str,
) -> None:
    """Replace the password and end every other session of this user."""
    user = repository.user_in_org(session, organization_id=organization_id, user_id=user_id)
    if user is None or not verify_password(user.password_hash, current_password):
        raise Unauthorized("The current password is wrong.")
    check_password_rules(new_password, email=user.email)
    now = utcnow()
    user.password_hash = hash_password(new_password)
    user.tokens_valid_after = now
    repository.revoke_all_for_user(session, user_id=user.id, now=now)
    record(
        session,
        organization_id=organization_id,
        actor=("user", user_id),
        action="auth.password_changed",
        target_type="user",
        target_id=user_id,
        ip_address=ip,
    )
    session.commit()
    cache.delete(me_cache_key(user_id))
