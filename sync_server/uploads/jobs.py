"""Housekeeping for uploads: incomplete uploads past their Upload-Expires are removed, bytes first."""

from datetime import timedelta

import structlog

from sync_server.storage import build_storage
from sync_server.uploads.service import remove_expired_uploads
from sync_server.worker import JobContext, job

log = structlog.get_logger(__name__)


@job("uploads.remove_expired", every=timedelta(minutes=30))
def remove_expired(ctx: JobContext) -> None:
    storage = build_storage(ctx.settings)
    with ctx.session() as session:
        removed = remove_expired_uploads(session, storage)
    if removed:
        log.info("expired_uploads_removed", count=removed)
