"""Interviews a candidate walked away from, and stations that come back with their answers later.

An interview `in_progress` with no station activity for `interview_abandoned_after_hours` (no upload
started or finished, no answer recorded, no progress report or transcript) becomes `expired`, the
status that already means "ended without being completed", with an audit entry
`interview.abandoned`. Its answers stay reviewable, and retention counts it as ended from then
(`updated_at`), so its candidate is erased in time like any other.

Stations are offline-first and may come back days later. Anything the station that ran an abandoned
interview sends afterwards (an answer, a transcript, a progress report) re-opens it (`in_progress`,
audit `interview.resumed`) and is stored as usual, so nothing is lost; its `completed` report then
ends it as completed, and retention counts from that. Re-opening, rather than storing answers into an
expired interview, keeps the status true: reviewers see the interview go on, and retention never
erases answers that arrived a moment ago. Only an abandoned interview re-opens: one that reviewers
expired (only ever before it started) or cancelled does not, and an erased candidate's never does.
"""

from datetime import datetime, timedelta

import structlog
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from sync_server.audit.service import SYSTEM_ACTOR, record
from sync_server.contract import InterviewStatus
from sync_server.models import Interview, Response, Upload, utcnow

log = structlog.get_logger(__name__)


def was_abandoned(interview: Interview) -> bool:
    """Expired after a station opened it: only the abandonment sweep does that (reviewers may expire
    an interview only while it is still invited, and only a station's opening sets `started_at`)."""
    return interview.status == InterviewStatus.expired.value and interview.started_at is not None


def expire_abandoned(session: Session, *, idle: timedelta, now: datetime | None = None) -> list[str]:
    """Mark every interview in progress with no station activity for `idle` as expired; return their ids.

    Each change is a compare-and-set on the status and `updated_at`, so a progress report that
    arrives while the sweep runs wins and the interview stays in progress.
    """
    now = now or utcnow()
    cutoff = now - idle
    recent_upload = (
        select(Upload.id)
        .where(
            Upload.interview_id == Interview.id,
            or_(Upload.created_at >= cutoff, Upload.completed_at >= cutoff),
        )
        .exists()
    )
    recent_answer = (
        select(Response.id)
        .where(
            Response.interview_id == Interview.id,
            or_(Response.created_at >= cutoff, Response.media_uploaded_at >= cutoff),
        )
        .exists()
    )
    candidates = session.execute(
        select(Interview.id, Interview.organization_id, Interview.updated_at)
        .where(
            Interview.status == InterviewStatus.in_progress.value,
            Interview.updated_at < cutoff,
            ~recent_upload,
            ~recent_answer,
        )
        .order_by(Interview.updated_at, Interview.id)
    ).all()
    expired: list[str] = []
    for interview_id, organization_id, last_change in candidates:
        result = session.execute(
            update(Interview)
            .where(
                Interview.id == interview_id,
                Interview.status == InterviewStatus.in_progress.value,
                Interview.updated_at == last_change,
            )
            .values(status=InterviewStatus.expired.value, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            continue
        record(
            session,
            organization_id=organization_id,
            actor=SYSTEM_ACTOR,
            action="interview.abandoned",
            target_type="interview",
            target_id=interview_id,
            details={
                "idle_hours": round(idle.total_seconds() / 3600, 2),
                "last_activity": last_change.isoformat(),
            },
        )
        expired.append(interview_id)
    session.commit()
    if expired:
        log.info("abandoned_interviews_expired", count=len(expired))
    return expired


def resume_if_abandoned(
    session: Session, interview: Interview, *, actor: tuple[str, str | None], what: str
) -> None:
    """The station that ran an abandoned interview sent `what` (an answer, ...): re-open it.

    The caller commits, together with whatever it stores.
    """
    if not was_abandoned(interview):
        return
    interview.status = InterviewStatus.in_progress.value
    record(
        session,
        organization_id=interview.organization_id,
        actor=actor,
        action="interview.resumed",
        target_type="interview",
        target_id=interview.id,
        details={"after": what},
    )
