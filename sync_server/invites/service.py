"""Invites: an interview for a candidate, opened at a station with a single-use access code."""

from datetime import timedelta
from typing import TypeVar

from sqlalchemy.orm import Session

from sync_server.audit.service import record
from sync_server.auth.credentials import format_code, generate_access_code, keyed_hash
from sync_server.config import ServerSettings
from sync_server.contract import InterviewStatus, InviteCreate, InviteCreated, InviteOut
from sync_server.errors import BadRequest, NotFound, UnprocessableEntity
from sync_server.interviews.transitions import ALLOWED
from sync_server.invites import repository
from sync_server.models import Candidate, Interview, Invite, Job, QuestionSet, utcnow

Actor = tuple[str, str | None]
ACCESS_CODE_PURPOSE = "invite-access-code"


def access_code_hash(settings: ServerSettings, normalized_code: str) -> str:
    return keyed_hash(normalized_code, key=settings.signing_key(), purpose=ACCESS_CODE_PURPOSE)


def invite_out(invite: Invite) -> InviteOut:
    return InviteOut(
        id=invite.id,
        interview_id=invite.interview_id,
        candidate_id=invite.candidate_id,
        expires_at=invite.expires_at,
        used_at=invite.used_at,
        revoked_at=invite.revoked_at,
        created_at=invite.created_at,
    )


OwnedT = TypeVar("OwnedT", Candidate, Job, QuestionSet)


def _owned(session: Session, model: type[OwnedT], organization_id: str, row_id: str, what: str) -> OwnedT:
    row = session.get(model, row_id)
    if row is None or row.organization_id != organization_id:
        raise NotFound(f"No {what} with that id.")
    return row


def create_invite(
    session: Session, settings: ServerSettings, *, organization_id: str, data: InviteCreate, actor: Actor
) -> InviteCreated:
    """Create the interview and its invite; the access code is returned here and never again."""
    candidate: Candidate = _owned(session, Candidate, organization_id, data.candidate_id, "candidate")
    if candidate.erased_at is not None:
        raise BadRequest("This candidate's data was erased; they cannot be invited.")
    job_id = data.job_id or candidate.job_id
    job: Job | None = _owned(session, Job, organization_id, job_id, "job") if job_id else None
    question_set_id = data.question_set_id or (job.question_set_id if job else None)
    if question_set_id is None:
        raise UnprocessableEntity("Choose a question set (or give the job one) before inviting.")
    _owned(session, QuestionSet, organization_id, question_set_id, "question set")
    interview = Interview(
        organization_id=organization_id,
        candidate_id=candidate.id,
        job_id=job.id if job else None,
        question_set_id=question_set_id,
        status=InterviewStatus.invited.value,
        accommodations=data.accommodations.model_dump(mode="json"),
    )
    session.add(interview)
    session.flush()
    code = generate_access_code()
    invite = Invite(
        organization_id=organization_id,
        interview_id=interview.id,
        candidate_id=candidate.id,
        code_hash=access_code_hash(settings, code),
        expires_at=utcnow() + timedelta(hours=data.expires_in_hours),
        created_by_id=actor[1] if actor[0] == "user" else None,
    )
    session.add(invite)
    session.flush()
    record(
        session,
        organization_id=organization_id,
        actor=actor,
        action="invite.created",
        target_type="invite",
        target_id=invite.id,
        details={"interview_id": interview.id, "candidate_id": candidate.id},
    )
    session.commit()
    return InviteCreated(**invite_out(invite).model_dump(), access_code=format_code(code))


def get_invite(session: Session, *, organization_id: str, invite_id: str) -> Invite:
    invite = repository.invite(session, organization_id=organization_id, invite_id=invite_id)
    if invite is None:
        raise NotFound("No invite with that id.")
    return invite


def revoke_invite(session: Session, *, organization_id: str, invite_id: str, actor: Actor) -> Invite:
    """The code stops working; an interview that has not started is cancelled."""
    invite = get_invite(session, organization_id=organization_id, invite_id=invite_id)
    if invite.revoked_at is None:
        invite.revoked_at = utcnow()
        interview = session.get_one(Interview, invite.interview_id)
        if (
            InterviewStatus.cancelled in ALLOWED[InterviewStatus(interview.status)]
            and interview.status == "invited"
        ):
            interview.status = InterviewStatus.cancelled.value
        record(
            session,
            organization_id=organization_id,
            actor=actor,
            action="invite.revoked",
            target_type="invite",
            target_id=invite.id,
        )
        session.commit()
    return invite
