"""Housekeeping for credentials: drop refresh tokens and enrollment codes long past their expiry."""

from datetime import timedelta

from sqlalchemy import delete

from sync_server.models import EnrollmentCode, RefreshToken, utcnow
from sync_server.worker import JobContext, job

# Kept a day past expiry so a replayed token is still recognized as spent (and revokes its family).
GRACE = timedelta(days=1)


@job("auth.purge_expired_credentials", every=timedelta(hours=1))
def purge_expired_credentials(ctx: JobContext) -> None:
    cutoff = utcnow() - GRACE
    with ctx.session() as session:
        session.execute(delete(RefreshToken).where(RefreshToken.expires_at < cutoff))
        session.execute(delete(EnrollmentCode).where(EnrollmentCode.expires_at < cutoff))
