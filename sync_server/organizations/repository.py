"""Queries for organizations and their users (always scoped by organization)."""

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from sync_server.models import Organization, User


def organization(session: Session, organization_id: str) -> Organization:
    return session.scalars(select(Organization).where(Organization.id == organization_id)).one()


def user(session: Session, *, organization_id: str, user_id: str) -> User | None:
    return session.scalars(
        select(User).where(User.organization_id == organization_id, User.id == user_id)
    ).one_or_none()


def users_query(
    *, organization_id: str, role: str | None, is_active: bool | None, search: str | None
) -> Select[User]:
    query = select(User).where(User.organization_id == organization_id)
    if role is not None:
        query = query.where(User.role == role)
    if is_active is not None:
        query = query.where(User.is_active == is_active)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(User.email.like(pattern) | User.full_name.ilike(pattern))
    return query


def email_taken(session: Session, email: str) -> bool:
    return session.scalar(select(User.id).where(User.email == email)) is not None
