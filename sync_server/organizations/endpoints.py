"""`/api/v1/organization` (the caller's own) and `/api/v1/users`."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from sync_server.contract import (
    OrganizationOut,
    OrganizationUpdate,
    Page,
    Role,
    UserCreate,
    UserOut,
    UserUpdate,
)
from sync_server.deps import CacheDep, OrgScope, RequireAdmin, RequireHR, SessionDep
from sync_server.models import User
from sync_server.openapi import error_responses
from sync_server.organizations import repository, service
from sync_server.pagination import PageDep, fetch_page

router = APIRouter(tags=["organization"])

_404 = error_responses(404)


@router.get("/organization", response_model=OrganizationOut)
def get_organization(user: RequireHR, org_id: OrgScope, session: SessionDep) -> OrganizationOut:
    """Your organization: name, branding, consent text and retention."""
    return service.organization_out(repository.organization(session, org_id))


@router.patch("/organization", response_model=OrganizationOut)
def update_organization(
    body: OrganizationUpdate, admin: RequireAdmin, session: SessionDep, cache: CacheDep
) -> OrganizationOut:
    """Rename the organization or change its branding, consent text and retention (admin)."""
    org = service.update_organization(
        session, cache, organization_id=admin.organization_id, changes=body, actor=admin.actor
    )
    return service.organization_out(org)


@router.get("/users", response_model=Page[UserOut])
def list_users(
    admin: RequireAdmin,
    session: SessionDep,
    page: PageDep,
    role: Role | None = None,
    is_active: bool | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Part of the email or name.")] = None,
) -> Page[UserOut]:
    """The organization's users (admin)."""
    query = repository.users_query(
        organization_id=admin.organization_id, role=role, is_active=is_active, search=q
    )
    rows, total = fetch_page(
        session,
        query,
        page,
        sortable={"email": User.email, "created_at": User.created_at, "role": User.role},
        default_sort="email",
        tie_breaker=User.id,
    )
    return Page(items=[service.user_out(u) for u in rows], total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/users",
    response_model=UserOut,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(409, 422),
)
def create_user(body: UserCreate, admin: RequireAdmin, session: SessionDep) -> UserOut:
    """Add a user with a starting password (admin)."""
    user = service.create_user(
        session,
        organization_id=admin.organization_id,
        email=body.email,
        password=body.password,
        role=body.role,
        full_name=body.full_name,
        actor=admin.actor,
    )
    session.commit()
    return service.user_out(user)


@router.get("/users/{user_id}", response_model=UserOut, responses=_404)
def get_user(user_id: str, admin: RequireAdmin, session: SessionDep) -> UserOut:
    return service.user_out(service.get_user(session, organization_id=admin.organization_id, user_id=user_id))


@router.patch("/users/{user_id}", response_model=UserOut, responses=_404)
def update_user(
    user_id: str, body: UserUpdate, admin: RequireAdmin, session: SessionDep, cache: CacheDep
) -> UserOut:
    """Change a user's name or role, or deactivate them (which signs them out everywhere)."""
    user = service.update_user(
        session,
        cache,
        organization_id=admin.organization_id,
        user_id=user_id,
        changes=body,
        actor=admin.actor,
    )
    return service.user_out(user)
