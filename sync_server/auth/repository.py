"""Queries for users' credentials and refresh tokens."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sync_server.models import Organization, RefreshToken, User


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email.strip().lower())).one_or_none()


def user_in_org(session: Session, *, organization_id: str, user_id: str) -> User | None:
    return session.scalars(
        select(User).where(User.id == user_id, User.organization_id == organization_id)
    ).one_or_none()


def organization_name(session: Session, organization_id: str) -> str:
    return session.scalars(select(Organization.name).where(Organization.id == organization_id)).one()


def refresh_token_by_hash(session: Session, token_hash: str) -> RefreshToken | None:
    return session.scalars(select(RefreshToken).where(RefreshToken.token_hash == token_hash)).one_or_none()


def claim_refresh_token(session: Session, *, token_id: str, now: datetime) -> bool:
    """Mark a refresh token used; False if another request used it first (a replay)."""
    result = session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == token_id, RefreshToken.used_at.is_(None), RefreshToken.revoked_at.is_(None))
        .values(used_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def revoke_family(session: Session, *, family_id: str, now: datetime) -> None:
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def revoke_all_for_user(session: Session, *, user_id: str, now: datetime) -> None:
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
