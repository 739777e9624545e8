"""`/api/v1/invites`."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from sync_server.contract import InviteCreate, InviteCreated, InviteOut, Page
from sync_server.deps import RequireHR, SessionDep, SettingsDep
from sync_server.invites import repository, service
from sync_server.models import Invite, utcnow
from sync_server.openapi import error_responses
from sync_server.pagination import PageDep, fetch_page

router = APIRouter(tags=["invites"])

_404 = error_responses(404)


@router.post("/invites", response_model=InviteCreated, status_code=status.HTTP_201_CREATED, responses=_404)
def create_invite(
    body: InviteCreate, user: RequireHR, session: SessionDep, settings: SettingsDep
) -> InviteCreated:
    """Invite a candidate: creates the interview and returns the access code ONCE."""
    return service.create_invite(
        session, settings, organization_id=user.organization_id, data=body, actor=user.actor
    )


@router.get("/invites", response_model=Page[InviteOut])
def list_invites(
    user: RequireHR,
    session: SessionDep,
    page: PageDep,
    candidate_id: str | None = None,
    state: Annotated[Literal["open", "used", "revoked", "expired"] | None, Query()] = None,
) -> Page[InviteOut]:
    query = repository.invites_query(
        organization_id=user.organization_id, candidate_id=candidate_id, state=state, now=utcnow()
    )
    rows, total = fetch_page(
        session,
        query,
        page,
        sortable={"created_at": Invite.created_at, "expires_at": Invite.expires_at},
        default_sort="-created_at",
        tie_breaker=Invite.id,
    )
    return Page(
        items=[service.invite_out(i) for i in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/invites/{invite_id}", response_model=InviteOut, responses=_404)
def get_invite(invite_id: str, user: RequireHR, session: SessionDep) -> InviteOut:
    return service.invite_out(
        service.get_invite(session, organization_id=user.organization_id, invite_id=invite_id)
    )


@router.post("/invites/{invite_id}/revoke", response_model=InviteOut, responses=_404)
def revoke_invite(invite_id: str, user: RequireHR, session: SessionDep) -> InviteOut:
    """The access code stops working at once."""
    invite = service.revoke_invite(
        session, organization_id=user.organization_id, invite_id=invite_id, actor=user.actor
    )
    return service.invite_out(invite)
