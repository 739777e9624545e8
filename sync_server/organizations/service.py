"""Organizations and users: creation (CLI and API), settings, roles and deactivation."""

import re

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.audit.service import record
from sync_server.auth import repository as auth_repository
from sync_server.auth.passwords import check_password_rules, hash_password
from sync_server.cache import Cache, branding_cache_key, me_cache_key
from sync_server.contract import (
    OrganizationOut,
    OrganizationSettings,
    OrganizationUpdate,
    Role,
    UserOut,
    UserUpdate,
)
from sync_server.errors import BadRequest, Conflict, NotFound, UnprocessableEntity
from sync_server.models import Organization, User, utcnow
from sync_server.organizations import repository

Actor = tuple[str, str | None]


def normalize_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise UnprocessableEntity(f"'{email}' is not a valid email address: {exc}") from None


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "organization"


def organization_out(org: Organization) -> OrganizationOut:
    return OrganizationOut(
        id=org.id,
        name=org.name,
        slug=org.slug,
        settings=OrganizationSettings.model_validate(org.settings or {}),
        created_at=org.created_at,
    )


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=Role(user.role),
        is_active=user.is_active,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
    )


def create_organization(session: Session, *, name: str, slug: str | None = None) -> Organization:
    name = name.strip()
    if not name:
        raise UnprocessableEntity("The organization needs a name.")
    org = Organization(name=name, slug=slug or slugify(name), settings={})
    if session.query(Organization.id).filter(Organization.slug == org.slug).first() is not None:
        raise Conflict(f"An organization with the slug '{org.slug}' exists already.")
    session.add(org)
    session.flush()
    record(
        session,
        organization_id=org.id,
        actor=("system", None),
        action="organization.created",
        target_type="organization",
        target_id=org.id,
    )
    return org


def create_user(
    session: Session,
    *,
    organization_id: str,
    email: str,
    password: str,
    role: Role,
    full_name: str = "",
    actor: Actor = ("system", None),
) -> User:
    """Raises Conflict for a taken email and UnprocessableEntity for a password that breaks the rules."""
    email = normalize_email(email)
    check_password_rules(password, email=email)
    if repository.email_taken(session, email):
        raise Conflict("A user with that email exists already.")
    user = User(
        organization_id=organization_id,
        email=email,
        full_name=full_name.strip(),
        role=role.value,
        password_hash=hash_password(password),
        is_active=True,
    )
    session.add(user)
    session.flush()
    record(
        session,
        organization_id=organization_id,
        actor=actor,
        action="user.created",
        target_type="user",
        target_id=user.id,
        details={"role": role.value},
    )
    return user


def get_user(session: Session, *, organization_id: str, user_id: str) -> User:
    user = repository.user(session, organization_id=organization_id, user_id=user_id)
    if user is None:
        raise NotFound("No user with that id.")
    return user


def update_user(
    session: Session, cache: Cache, *, organization_id: str, user_id: str, changes: UserUpdate, actor: Actor
) -> User:
    """Change name, role or active state. Deactivating ends every session of the user at once."""
    user = get_user(session, organization_id=organization_id, user_id=user_id)
    fields = changes.model_dump(exclude_unset=True)
    if actor == ("user", user.id) and (fields.get("is_active") is False or fields.get("role") == "hr"):
        raise BadRequest("You cannot deactivate or demote yourself; ask another admin.")
    if fields.get("full_name") is not None:
        user.full_name = fields["full_name"].strip()
    if fields.get("role") is not None:
        user.role = Role(fields["role"]).value
    if fields.get("is_active") is not None and fields["is_active"] != user.is_active:
        user.is_active = fields["is_active"]
        if not user.is_active:
            now = utcnow()
            user.tokens_valid_after = now
            auth_repository.revoke_all_for_user(session, user_id=user.id, now=now)
    record(
        session,
        organization_id=organization_id,
        actor=actor,
        action="user.updated",
        target_type="user",
        target_id=user.id,
        details={k: v for k, v in fields.items() if v is not None},
    )
    session.commit()
    cache.delete(me_cache_key(user.id))
    return user


def organization_cache_keys(session: Session, organization_id: str) -> list[str]:
    """Cache entries that show organization data: every user's /me and the organization's plans."""
    user_ids = session.scalars(select(User.id).where(User.organization_id == organization_id))
    return [me_cache_key(uid) for uid in user_ids] + [branding_cache_key(organization_id)]


def update_organization(
    session: Session, cache: Cache, *, organization_id: str, changes: OrganizationUpdate, actor: Actor
) -> Organization:
    org = repository.organization(session, organization_id)
    if changes.name is not None:
        org.name = changes.name.strip()
    if changes.settings is not None:
        org.settings = changes.settings.model_dump(mode="json", exclude_none=True)
    record(
        session,
        organization_id=organization_id,
        actor=actor,
        action="organization.updated",
        target_type="organization",
        target_id=org.id,
        details={"fields": sorted(changes.model_dump(exclude_unset=True))},
    )
    stale = organization_cache_keys(session, organization_id)
    session.commit()
    cache.delete(*stale)
    return org
