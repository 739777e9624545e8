"""Retention: a candidate whose interviews all ended more than their organization's `retention_days` ago
is erased, with the same `erase_candidate` as a request for erasure. No `retention_days` means keep.

An interview has ended when it is completed (at completed_at), expired, cancelled or declined by the
candidate (at its last change), or still invited with an access code that expired. An interview in progress has not ended,
so its candidate is kept. Candidates never invited are not touched by retention: they have no
interview that ended (HR erases them on request).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import structlog
from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from sync_server.audit.service import SYSTEM_ACTOR
from sync_server.candidates.erasure import ErasureOutcome, erase_candidate, unfinished_erasures
from sync_server.config import ServerSettings
from sync_server.models import Candidate, Interview, Invite, Organization, utcnow
from sync_server.storage import ObjectStorage

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class RetentionDue:
    organization_id: str
    organization_slug: str
    candidate_id: str
    retention_days: int


@dataclass
class PurgeReport:
    """What a purge found, and (unless it was a dry run) what it erased or finished."""

    due: list[RetentionDue] = field(default_factory=list)
    unfinished: list[tuple[str, str]] = field(default_factory=list)  # (organization id, candidate id)
    erased: list[ErasureOutcome] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (candidate id, what went wrong)


def retention_days(organization: Organization) -> int | None:
    value = (organization.settings or {}).get("retention_days")
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _not_ended_before(cutoff: datetime) -> ColumnElement[bool]:
    """An interview that is still open, or ended at or after `cutoff` (correlated on Interview)."""
    expired_code_before_cutoff = (
        select(Invite.id).where(Invite.interview_id == Interview.id, Invite.expires_at < cutoff).exists()
    )
    return or_(
        Interview.status == "in_progress",
        and_(
            Interview.status == "completed",
            or_(
                Interview.completed_at >= cutoff,
                and_(Interview.completed_at.is_(None), Interview.updated_at >= cutoff),
            ),
        ),
        and_(Interview.status.in_(("expired", "cancelled", "declined")), Interview.updated_at >= cutoff),
        and_(Interview.status == "invited", ~expired_code_before_cutoff),
    )


def candidates_past_retention(
    session: Session, *, now: datetime | None = None, organization_id: str | None = None
) -> list[RetentionDue]:
    """Candidates (not erased) of organizations with a retention period whose interviews all ended
    more than that period ago."""
    now = now or utcnow()
    organizations = select(Organization)
    if organization_id is not None:
        organizations = organizations.where(Organization.id == organization_id)
    due: list[RetentionDue] = []
    for organization in session.scalars(organizations):
        days = retention_days(organization)
        if days is None:
            continue
        cutoff = now - timedelta(days=days)
        of_candidate = Interview.candidate_id == Candidate.id
        has_interview = select(Interview.id).where(of_candidate).exists()
        has_live_interview = select(Interview.id).where(of_candidate, _not_ended_before(cutoff)).exists()
        candidate_ids = session.scalars(
            select(Candidate.id)
            .where(
                Candidate.organization_id == organization.id,
                Candidate.erased_at.is_(None),
                has_interview,
                ~has_live_interview,
            )
            .order_by(Candidate.created_at, Candidate.id)
        ).all()
        due.extend(RetentionDue(organization.id, organization.slug, cid, days) for cid in candidate_ids)
    return due


def purge(
    session: Session,
    settings: ServerSettings,
    storage: ObjectStorage,
    *,
    now: datetime | None = None,
    organization_id: str | None = None,
    dry_run: bool = False,
) -> PurgeReport:
    """Erase every candidate past retention and finish erasures an earlier failure left incomplete.

    One candidate's failure is reported and does not stop the others.
    """
    report = PurgeReport(
        due=candidates_past_retention(session, now=now, organization_id=organization_id),
        unfinished=unfinished_erasures(session, organization_id=organization_id),
    )
    if dry_run:
        session.rollback()
        return report
    work = [
        (d.organization_id, d.candidate_id, f"retention period of {d.retention_days} days passed")
        for d in report.due
    ]
    work += [(org, cid, "finishing an earlier erasure") for org, cid in report.unfinished]
    for org, candidate_id, reason in work:
        try:
            outcome = erase_candidate(
                session,
                settings,
                storage,
                organization_id=org,
                candidate_id=candidate_id,
                reason=reason,
                actor=SYSTEM_ACTOR,
                trigger="retention",
            )
        except Exception as exc:  # one candidate's database trouble must not stop the purge
            session.rollback()
            log.exception("purge_candidate_failed", candidate_id=candidate_id)
            report.failed.append((candidate_id, f"{type(exc).__name__}"))
            continue
        report.erased.append(outcome)
        if not outcome.complete:
            report.failed.append((candidate_id, outcome.leftover_sentence()))
    return report
