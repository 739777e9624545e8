"""The retention purge, hourly: candidates past their organization's retention period are erased, and
erasures that a storage failure left incomplete are finished."""

from datetime import timedelta

import structlog

from sync_server.candidates.retention import purge
from sync_server.storage import build_storage
from sync_server.worker import JobContext, job

log = structlog.get_logger(__name__)

PURGE_JOB = "candidates.purge_past_retention"


@job(PURGE_JOB, max_retries=0, every=timedelta(hours=1), time_limit=timedelta(minutes=30))
def purge_past_retention(ctx: JobContext) -> None:
    storage = build_storage(ctx.settings)
    with ctx.session() as session:
        report = purge(session, ctx.settings, storage)
    if report.erased or report.failed:
        log.info(
            "retention_purge_done",
            erased=sum(1 for o in report.erased if not o.already_erased),
            finished=sum(1 for o in report.erased if o.already_erased),
            incomplete=len(report.failed),
        )
