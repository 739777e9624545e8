"""Interviews whose access code expired unused become `expired`."""

from datetime import timedelta

from sqlalchemy import select, update

from sync_server.models import Interview, Invite, utcnow
from sync_server.worker import JobContext, job


@job("invites.expire_unused", every=timedelta(minutes=10))
def expire_unused_invites(ctx: JobContext) -> None:
    with ctx.session() as session:
        expired = select(Invite.interview_id).where(
            Invite.used_at.is_(None), Invite.revoked_at.is_(None), Invite.expires_at < utcnow()
        )
        session.execute(
            update(Interview)
            .where(Interview.status == "invited", Interview.id.in_(expired))
            .values(status="expired", updated_at=utcnow())
        )
