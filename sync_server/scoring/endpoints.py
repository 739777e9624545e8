"""`/api/v1/responses/{id}/score(s)`, `/rescore` and `/api/v1/interviews/{id}/summary` (hr/admin)."""

from fastapi import APIRouter, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.contract import ErrorBody
from sync_server.contract.ai import CriterionScoreOut, InterviewSummaryOut, RescoreQueued, ScoreOut
from sync_server.deps import RequireHR, SessionDep
from sync_server.errors import Conflict, NotFound, ServiceUnavailable
from sync_server.models import Interview, InterviewSummary, Response, Score
from sync_server.openapi import error_responses
from sync_server.scoring.jobs import SCORE_RESPONSE_JOB
from sync_server.scoring.people_only import PEOPLE_ONLY_DETAIL, interview_allows_ai
from sync_server.worker import enqueue, is_registered

router = APIRouter(tags=["scores"])

_404 = error_responses(404)


def _response(session: Session, organization_id: str, response_id: str) -> Response:
    response = session.scalars(
        select(Response).where(Response.id == response_id, Response.organization_id == organization_id)
    ).one_or_none()
    if response is None:
        raise NotFound("No response with that id.")
    return response


def score_out(score: Score) -> ScoreOut:
    criteria = [CriterionScoreOut.model_validate(c) for c in (score.criteria or []) if isinstance(c, dict)]
    return ScoreOut(
        id=score.id,
        response_id=score.response_id,
        version=score.version,
        status=score.status,
        overall=score.overall,
        criteria=criteria,
        feedback=score.feedback if score.status == "scored" else "",
        reason=None if score.status == "scored" else score.feedback,
        provider=score.provider,
        model=score.model,
        prompt_version=score.prompt_version,
        latency_ms=score.latency_ms,
        input_tokens=score.input_tokens,
        output_tokens=score.output_tokens,
        created_at=score.created_at.isoformat(),
    )


def _scores(session: Session, organization_id: str, response_id: str) -> list[Score]:
    return list(
        session.scalars(
            select(Score)
            .where(Score.response_id == response_id, Score.organization_id == organization_id)
            .order_by(Score.version.desc())
        ).all()
    )


@router.get("/responses/{response_id}/score", response_model=ScoreOut, responses=_404)
def latest_score(response_id: str, user: RequireHR, session: SessionDep) -> ScoreOut:
    """The newest AI score of an answer, with quoted evidence; 404 while it has none."""
    response = _response(session, user.organization_id, response_id)
    scores = _scores(session, user.organization_id, response_id)
    if not scores:
        if not interview_allows_ai(
            session, organization_id=user.organization_id, interview_id=response.interview_id
        ):
            raise NotFound(f"{PEOPLE_ONLY_DETAIL} This answer has no AI score.")
        raise NotFound("This answer has no score yet.")
    return score_out(scores[0])


@router.get("/responses/{response_id}/scores", response_model=list[ScoreOut], responses=_404)
def score_history(response_id: str, user: RequireHR, session: SessionDep) -> list[ScoreOut]:
    """Every version of the answer's AI score, newest first."""
    _response(session, user.organization_id, response_id)
    return [score_out(s) for s in _scores(session, user.organization_id, response_id)]


@router.post(
    "/responses/{response_id}/rescore",
    response_model=RescoreQueued,
    status_code=status.HTTP_202_ACCEPTED,
    responses={**_404, **error_responses(409), 503: {"model": ErrorBody, "description": "Scoring is off."}},
)
def rescore(response_id: str, user: RequireHR, session: SessionDep) -> RescoreQueued:
    """Score the answer again (after a model or prompt change): adds a version, never replaces one."""
    response = _response(session, user.organization_id, response_id)
    if not interview_allows_ai(
        session, organization_id=user.organization_id, interview_id=response.interview_id
    ):
        raise Conflict(f"{PEOPLE_ONLY_DETAIL} No AI scores their answers.")
    if response.transcript is None:
        raise Conflict("This answer has no transcript yet, so there is nothing to score.")
    if not is_registered(SCORE_RESPONSE_JOB):
        raise ServiceUnavailable("Scoring is not available on this server.")
    message_id = enqueue(
        SCORE_RESPONSE_JOB, organization_id=user.organization_id, response_id=response.id, rescore=True
    )
    return RescoreQueued(response_id=response.id, job_id=message_id)


@router.get("/interviews/{interview_id}/summary", response_model=InterviewSummaryOut, responses=_404)
def interview_summary(interview_id: str, user: RequireHR, session: SessionDep) -> InterviewSummaryOut:
    """The newest whole-interview summary; 404 until every answer of a completed interview is scored."""
    interview = session.scalars(
        select(Interview).where(
            Interview.id == interview_id, Interview.organization_id == user.organization_id
        )
    ).one_or_none()
    if interview is None:
        raise NotFound("No interview with that id.")
    summary = session.scalars(
        select(InterviewSummary)
        .where(
            InterviewSummary.interview_id == interview_id,
            InterviewSummary.organization_id == user.organization_id,
        )
        .order_by(InterviewSummary.version.desc())
        .limit(1)
    ).one_or_none()
    if summary is None:
        if interview.people_only:
            raise NotFound(f"{PEOPLE_ONLY_DETAIL} This interview has no AI summary.")
        raise NotFound("This interview has no summary yet.")
    return InterviewSummaryOut(
        interview_id=interview_id,
        version=summary.version,
        overall=summary.overall,
        criteria={str(k): float(v) for k, v in (summary.criteria or {}).items()},
        scored_answers=summary.scored_answers,
        unscored_answers=summary.unscored_answers,
        summary=summary.summary,
        created_at=summary.created_at.isoformat(),
    )
