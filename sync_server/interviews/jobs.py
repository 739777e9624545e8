"""The abandonment sweep, hourly: interviews in progress with no station activity for
`interview_abandoned_after_hours` are marked expired (see interviews.abandonment)."""

from datetime import timedelta

from sync_server.interviews.abandonment import expire_abandoned
from sync_server.worker import JobContext, job

EXPIRE_ABANDONED_JOB = "interviews.expire_abandoned"


@job(EXPIRE_ABANDONED_JOB, max_retries=0, every=timedelta(hours=1))
def expire_abandoned_interviews(ctx: JobContext) -> None:
    with ctx.session() as session:
        expire_abandoned(session, idle=timedelta(hours=ctx.settings.interview_abandoned_after_hours))
