"""Interviews: listing for reviewers, validated status changes, and the plan a station runs."""

from sqlalchemy.orm import Session

from sync_server.audit.service import record
from sync_server.cache import Cache, branding_cache_key
from sync_server.candidates.retention import retention_days
from sync_server.contract import (
    Accommodations,
    ConsentNotice,
    InterviewDetail,
    InterviewOut,
    InterviewPlan,
    InterviewStatus,
    OrganizationBranding,
    PlanQuestion,
    QuestionType,
    ResponseSummary,
)
from sync_server.errors import BadRequest, NotFound
from sync_server.interviews import repository
from sync_server.interviews.transitions import REVIEWER_TARGETS, check_transition
from sync_server.models import Candidate, Interview, Organization, QuestionSet, utcnow

Actor = tuple[str, str | None]
BRANDING_CACHE_SECONDS = 600


def interview_out(interview: Interview, candidate_name: str) -> InterviewOut:
    return InterviewOut(
        id=interview.id,
        candidate_id=interview.candidate_id,
        candidate_name=candidate_name,
        job_id=interview.job_id,
        question_set_id=interview.question_set_id,
        station_id=interview.station_id,
        status=InterviewStatus(interview.status),
        accommodations=Accommodations.model_validate(interview.accommodations or {}),
        consent_version=interview.consent_version,
        consent_given_at=interview.consent_given_at,
        people_only=interview.people_only,
        declined_at=interview.declined_at,
        started_at=interview.started_at,
        completed_at=interview.completed_at,
        created_at=interview.created_at,
        updated_at=interview.updated_at,
    )


def get_interview(session: Session, *, organization_id: str, interview_id: str) -> Interview:
    interview = repository.interview(session, organization_id=organization_id, interview_id=interview_id)
    if interview is None:
        raise NotFound("No interview with that id.")
    return interview


def interview_detail(session: Session, interview: Interview) -> InterviewDetail:
    names = repository.candidate_names(session, {interview.candidate_id})
    base = interview_out(interview, names.get(interview.candidate_id, ""))
    responses = repository.responses(
        session, organization_id=interview.organization_id, interview_id=interview.id
    )
    return InterviewDetail(
        **base.model_dump(),
        responses=[
            ResponseSummary(
                id=r.id,
                question_id=r.question_id,
                attempt=r.attempt,
                duration_seconds=r.duration_seconds,
                has_media=r.media_uploaded_at is not None,
                has_transcript=r.transcript is not None,
                recorded_at=r.recorded_at,
            )
            for r in responses
        ],
    )


def change_status_by_reviewer(
    session: Session,
    *,
    organization_id: str,
    interview_id: str,
    target: InterviewStatus,
    reason: str,
    actor: Actor,
) -> Interview:
    if target not in REVIEWER_TARGETS:
        raise BadRequest(
            "Reviewers can only cancel an interview or mark it expired; stations move it forward."
        )
    interview = get_interview(session, organization_id=organization_id, interview_id=interview_id)
    previous = interview.status
    check_transition(previous, target)
    interview.status = target.value
    record(
        session,
        organization_id=organization_id,
        actor=actor,
        action="interview.status_changed",
        target_type="interview",
        target_id=interview.id,
        details={"from": previous, "to": target.value, "reason": reason},
    )
    session.commit()
    return interview


def _branding(
    session: Session, cache: Cache, organization_id: str
) -> tuple[OrganizationBranding, ConsentNotice]:
    key = branding_cache_key(organization_id)
    cached = cache.get_json(key)
    if cached is None:
        org = session.get_one(Organization, organization_id)
        settings = org.settings or {}
        consent = ConsentNotice(retention_days=retention_days(org))
        if settings.get("consent_text"):
            consent = ConsentNotice(
                version=settings.get("consent_version") or "custom-1",
                text=settings["consent_text"],
                retention_days=retention_days(org),
            )
        cached = {
            "organization": OrganizationBranding(
                name=org.name, logo_url=settings.get("logo_url"), colors=settings.get("colors") or {}
            ).model_dump(mode="json"),
            "consent": consent.model_dump(mode="json"),
        }
        cache.set_json(key, cached, BRANDING_CACHE_SECONDS)
    return OrganizationBranding.model_validate(cached["organization"]), ConsentNotice.model_validate(
        cached["consent"]
    )


def build_plan(session: Session, cache: Cache, interview: Interview) -> InterviewPlan:
    """Everything the station needs to run the interview offline."""
    candidate = session.get_one(Candidate, interview.candidate_id)
    question_set = session.get_one(QuestionSet, interview.question_set_id)
    organization, consent = _branding(session, cache, interview.organization_id)
    first_name = (candidate.full_name or "").split(" ")[0]
    return InterviewPlan(
        interview_id=interview.id,
        candidate_display_name=first_name,
        organization=organization,
        consent=consent,
        accommodations=Accommodations.model_validate(interview.accommodations or {}),
        questions=[
            PlanQuestion(
                id=q.id,
                text=q.text,
                type=QuestionType(q.type),
                think_seconds=q.think_seconds,
                answer_seconds=q.answer_seconds,
                max_attempts=q.max_attempts,
            )
            for q in question_set.questions
        ],
    )


def mark_started(interview: Interview, station_id: str) -> None:
    check_transition(interview.status, InterviewStatus.in_progress)
    interview.status = InterviewStatus.in_progress.value
    interview.station_id = station_id
    interview.started_at = interview.started_at or utcnow()
