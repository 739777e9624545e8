"""A station opens an interview with the candidate's access code and drives it to completion.

A station only ever touches interviews it opened itself (interview.station_id)."""

import structlog
from sqlalchemy.orm import Session

from sync_server.audit.service import record
from sync_server.auth.credentials import normalize_code
from sync_server.cache import Cache
from sync_server.candidates.repository import refuse_if_erased
from sync_server.config import ServerSettings
from sync_server.contract import (
    InterviewPlan,
    InterviewStatus,
    StationInterviewStatus,
    StationInterviewUpdate,
)
from sync_server.deps import AuthenticatedStation
from sync_server.errors import Conflict, Gone, NotFound
from sync_server.interviews import service as interviews
from sync_server.interviews.abandonment import resume_if_abandoned
from sync_server.interviews.transitions import check_transition
from sync_server.invites import repository as invites
from sync_server.invites.service import access_code_hash
from sync_server.models import Interview, utcnow
from sync_server.ratelimit import CODE_ATTEMPTS_IP, CODE_ATTEMPTS_STATION, Limiter
from sync_server.scoring.people_only import forget_ai_results

log = structlog.get_logger(__name__)


def open_session(
    session: Session,
    settings: ServerSettings,
    cache: Cache,
    limiter: Limiter,
    *,
    station: AuthenticatedStation,
    access_code: str,
    ip: str,
) -> InterviewPlan:
    """Access code -> the interview plan; the invite is spent and the interview is in progress.

    Raises:
        TooManyRequests: too many wrong codes from this station or address.
        NotFound: no open invite of this station's organization has that code.
        Conflict / Gone: the code was used already / has expired.
    """
    checks = [(CODE_ATTEMPTS_STATION, station.id), (CODE_ATTEMPTS_IP, ip)]
    limiter.check_not_locked(checks, "access codes")
    invite = invites.invite_by_code_hash(
        session,
        organization_id=station.organization_id,
        code_hash=access_code_hash(settings, normalize_code(access_code)),
    )
    now = utcnow()
    if invite is None or invite.revoked_at is not None:
        for rule, identifier in checks:
            limiter.record_failure(rule, identifier)
        log.info("access_code_rejected", station_id=station.id)
        raise NotFound("That access code is not valid. Check it and try again, or ask the staff for help.")
    if invite.used_at is not None:
        raise Conflict("That access code was used already. Ask the staff for a new one.")
    if invite.expires_at < now:
        raise Gone("That access code has expired. Ask the staff for a new one.")
    interview = session.get_one(Interview, invite.interview_id)
    if interview.status != InterviewStatus.invited.value:
        raise Conflict(f"This interview is {interview.status} and cannot be started.")
    if not invites.claim(session, invite_id=invite.id, station_id=station.id, now=now):
        raise Conflict("That access code was used already. Ask the staff for a new one.")
    interviews.mark_started(interview, station.id)
    record(
        session,
        organization_id=station.organization_id,
        actor=station.actor,
        action="interview.opened",
        target_type="interview",
        target_id=interview.id,
        details={"invite_id": invite.id},
        ip_address=ip,
    )
    plan = interviews.build_plan(session, cache, interview)
    session.commit()
    return plan


def station_interview(
    session: Session, *, station: AuthenticatedStation, interview_id: str, lock: bool = False
) -> Interview:
    """The interview if this station opened it; 404 otherwise (another station's is not revealed).

    With `lock`, its row stays locked until the transaction ends."""
    interview = session.get(Interview, interview_id, with_for_update=True if lock else None)
    if (
        interview is None
        or interview.organization_id != station.organization_id
        or interview.station_id != station.id
    ):
        raise NotFound("No interview with that id was opened on this station.")
    refuse_if_erased(session, interview.candidate_id)
    return interview


def report_progress(
    session: Session, *, station: AuthenticatedStation, interview_id: str, update: StationInterviewUpdate
) -> Interview:
    """The consent outcome (given, with the people-only choice; or declined) and progress (completed).

    Repeats are harmless: the station's outbox may deliver the same report twice.

    Raises:
        NotFound: not an interview this station opened.
        Conflict: the move is not allowed (e.g. declining after consent was given, or anything after
            a decline).
    """
    # Locked to the commit: a score or summary being stored now either lands first (and the
    # people-only choice removes it) or waits and sees the choice.
    interview = station_interview(session, station=station, interview_id=interview_id, lock=True)
    resume_if_abandoned(
        session, interview, actor=station.actor, what=f"a progress report ({update.status.value})"
    )
    target = InterviewStatus(update.status.value)
    check_transition(interview.status, target)
    if update.status is StationInterviewStatus.declined:
        _record_decline(session, station=station, interview=interview, update=update)
    else:
        _record_progress(session, station=station, interview=interview, update=update)
    session.commit()
    return interview


def _record_decline(
    session: Session, *, station: AuthenticatedStation, interview: Interview, update: StationInterviewUpdate
) -> None:
    if interview.status == InterviewStatus.declined.value:
        return  # a repeat
    if interview.consent_given_at is not None:
        raise Conflict("The candidate consented to this interview already; it cannot be declined now.")
    interview.status = InterviewStatus.declined.value
    interview.declined_at = update.declined_at or utcnow()
    record(
        session,
        organization_id=station.organization_id,
        actor=station.actor,
        action="interview.consent_declined",
        target_type="interview",
        target_id=interview.id,
        details={"declined_at": interview.declined_at.isoformat()},
    )


def _record_progress(
    session: Session, *, station: AuthenticatedStation, interview: Interview, update: StationInterviewUpdate
) -> None:
    target = InterviewStatus(update.status.value)
    consent_is_new = bool(update.consent_version) and (
        interview.consent_version != update.consent_version or interview.consent_given_at is None
    )
    if update.consent_version:
        interview.consent_version = update.consent_version
        interview.consent_given_at = update.consent_given_at or interview.consent_given_at or utcnow()
    if update.status is StationInterviewStatus.completed and interview.status != target.value:
        interview.completed_at = utcnow()
    changed = interview.status != target.value
    interview.status = target.value
    if consent_is_new:
        record(
            session,
            organization_id=station.organization_id,
            actor=station.actor,
            action="interview.consent_given",
            target_type="interview",
            target_id=interview.id,
            details={"consent_version": update.consent_version, "people_only": bool(update.people_only)},
        )
    elif changed:
        record(
            session,
            organization_id=station.organization_id,
            actor=station.actor,
            action="interview.progress",
            target_type="interview",
            target_id=interview.id,
            details={"status": target.value},
        )
    if update.people_only and not interview.people_only:
        _record_people_only(session, station=station, interview=interview)


def _record_people_only(session: Session, *, station: AuthenticatedStation, interview: Interview) -> None:
    """From now on no AI evaluates this interview; anything AI made before the choice arrived goes."""
    interview.people_only = True  # never set back: the choice only ever narrows what AI may do
    removed = forget_ai_results(session, organization_id=station.organization_id, interview_id=interview.id)
    record(
        session,
        organization_id=station.organization_id,
        actor=station.actor,
        action="interview.people_only",
        target_type="interview",
        target_id=interview.id,
        details={"ai_results_removed": removed},
    )
