"""Background jobs: score an answer when its transcript arrives, summarize the interview when the
last answer is scored, re-score on demand (a new version, never an overwrite), and a sweep that
catches up with anything a lost enqueue left behind."""

from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync_server.ai.runtime import ai_services
from sync_server.candidates.erasure import forget_cv_vectors
from sync_server.contract.transcript import stored_transcript
from sync_server.models import (
    Candidate,
    CVProfile,
    DeadJob,
    Interview,
    InterviewSummary,
    Question,
    Response,
    Score,
    utcnow,
)
from sync_server.scoring.people_only import ai_may_evaluate_clause, interview_allows_ai
from sync_server.scoring.schemas import AnswerScore
from sync_server.scoring.service import score_answer
from sync_server.scoring.summary import AnswerOutcome, summarize
from sync_server.worker import JobContext, enqueue, is_registered, job

log = structlog.get_logger(__name__)

SCORE_RESPONSE_JOB = "scoring.score_response"
SUMMARIZE_INTERVIEW_JOB = "scoring.summarize_interview"
SWEEP_JOB = "scoring.sweep"


def request(job_name: str, **kwargs: Any) -> None:
    """Enqueue, never failing the caller: the sweep picks up whatever could not be queued now."""
    if not is_registered(job_name):
        return
    try:
        enqueue(job_name, **kwargs)
    except Exception:
        log.exception("ai_job_not_enqueued", job=job_name)


def request_scoring(*, organization_id: str, response_id: str) -> None:
    request(SCORE_RESPONSE_JOB, organization_id=organization_id, response_id=response_id)


def _next_version(
    session: Session, model: type[Score] | type[InterviewSummary], column: object, value: str
) -> int:
    current = session.scalar(select(func.max(model.version)).where(column == value))  # type: ignore[arg-type]
    return int(current or 0) + 1


def store_score(session: Session, *, organization_id: str, response_id: str, score: AnswerScore) -> Score:
    row = Score(
        organization_id=organization_id,
        response_id=response_id,
        version=_next_version(session, Score, Score.response_id, response_id),
        provider=score.provider,
        model=score.model,
        prompt_version=score.prompt_version,
        status=score.status,
        overall=score.overall,
        criteria=[c.model_dump(mode="json") for c in score.criteria],
        evidence=[{"criterion": c.criterion, "quote": c.quote, "start": c.start} for c in score.criteria],
        feedback=score.feedback if score.status == "scored" else (score.reason or ""),
        latency_ms=score.latency_ms if score.status == "scored" else None,
        input_tokens=score.input_tokens,
        output_tokens=score.output_tokens,
    )
    session.add(row)
    session.flush()
    return row


def store_score_unless_people_only(
    session: Session, *, organization_id: str, interview_id: str, response_id: str, score: AnswerScore
) -> Score | None:
    """Store the score unless the people-only choice arrived while the provider was working.

    The interview row is locked from the check to the commit: the station's report of the choice
    locks it too, so either it waits for this score and then removes it, or this sees the choice.
    """
    if not interview_allows_ai(
        session, organization_id=organization_id, interview_id=interview_id, lock=True
    ):
        log.info("response_score_discarded_people_only", response_id=response_id)
        return None
    return store_score(session, organization_id=organization_id, response_id=response_id, score=score)


@job(SCORE_RESPONSE_JOB, max_retries=5, min_backoff=timedelta(seconds=10), max_backoff=timedelta(minutes=30))
def score_response(ctx: JobContext, *, organization_id: str, response_id: str, rescore: bool = False) -> None:
    """Score one answer. Without `rescore`, an answer that already has a score is left alone."""
    with ctx.session() as session:
        response = session.scalars(
            select(Response).where(Response.id == response_id, Response.organization_id == organization_id)
        ).one_or_none()
        if response is None or response.transcript is None:
            return
        if not interview_allows_ai(
            session, organization_id=organization_id, interview_id=response.interview_id
        ):
            log.info("response_not_scored_people_only", response_id=response_id)
            return
        if not rescore and session.scalar(select(Score.id).where(Score.response_id == response_id).limit(1)):
            return
        question = session.scalars(
            select(Question).where(
                Question.id == response.question_id, Question.organization_id == organization_id
            )
        ).one()
        transcript = stored_transcript(response.transcript)
        question_text, key_points, interview_id = (
            question.text,
            list(question.key_points or []),
            response.interview_id,
        )
    services = ai_services(ctx.settings)
    # AIUnavailable (every provider failed) propagates: the queue retries with backoff, then dead-letters.
    result = score_answer(
        chain=services.chain,
        local_scorer=services.local_scorer,
        organization_id=organization_id,
        question=question_text,
        key_points=key_points,
        transcript=transcript,
    )
    for _ in range(3):
        try:
            with ctx.session() as session:
                stored = store_score_unless_people_only(
                    session,
                    organization_id=organization_id,
                    interview_id=interview_id,
                    response_id=response_id,
                    score=result,
                )
            if stored is None:
                return
            break
        except IntegrityError:
            continue  # another worker stored a version at the same moment: take the next number
    log.info("response_scored", response_id=response_id, status=result.status, provider=result.provider)
    if _interview_fully_scored(ctx, organization_id, interview_id):
        request(SUMMARIZE_INTERVIEW_JOB, organization_id=organization_id, interview_id=interview_id)


def _latest_answers(session: Session, organization_id: str, interview_id: str) -> list[Response]:
    responses = session.scalars(
        select(Response).where(
            Response.interview_id == interview_id, Response.organization_id == organization_id
        )
    ).all()
    latest: dict[str, Response] = {}
    for response in responses:
        if response.transcript is None:
            continue
        if response.question_id not in latest or response.attempt > latest[response.question_id].attempt:
            latest[response.question_id] = response
    return list(latest.values())


def _latest_score(session: Session, response_id: str) -> Score | None:
    return session.scalars(
        select(Score).where(Score.response_id == response_id).order_by(Score.version.desc()).limit(1)
    ).one_or_none()


def _interview_fully_scored(ctx: JobContext, organization_id: str, interview_id: str) -> bool:
    with ctx.session() as session:
        interview = session.scalars(
            select(Interview).where(
                Interview.id == interview_id, Interview.organization_id == organization_id
            )
        ).one_or_none()
        if interview is None:
            return False
        answers = _latest_answers(session, organization_id, interview_id)
        if not answers or any(_latest_score(session, r.id) is None for r in answers):
            return False
        # The last answer: every question of the set is answered, or the station said the interview ended.
        questions = session.scalar(
            select(func.count(Question.id)).where(
                Question.question_set_id == interview.question_set_id,
                Question.organization_id == organization_id,
            )
        )
        return interview.status == "completed" or len(answers) >= int(questions or 0)


@job(
    SUMMARIZE_INTERVIEW_JOB,
    max_retries=5,
    min_backoff=timedelta(seconds=10),
    max_backoff=timedelta(minutes=30),
)
def summarize_interview(ctx: JobContext, *, organization_id: str, interview_id: str) -> None:
    with ctx.session() as session:
        # Locked until the summary is committed (see store_score_unless_people_only).
        if not interview_allows_ai(
            session, organization_id=organization_id, interview_id=interview_id, lock=True
        ):
            return
        outcomes = []
        for response in _latest_answers(session, organization_id, interview_id):
            score = _latest_score(session, response.id)
            if score is None:
                return  # not everything is scored yet; the last score enqueues us again
            criteria = {
                str(c["criterion"]): int(c["score"]) for c in (score.criteria or []) if isinstance(c, dict)
            }
            outcomes.append(AnswerOutcome(score.status, score.overall, criteria))
        if not outcomes:
            return
        result = summarize(outcomes)
        latest = session.scalars(
            select(InterviewSummary)
            .where(InterviewSummary.interview_id == interview_id)
            .order_by(InterviewSummary.version.desc())
            .limit(1)
        ).one_or_none()
        if latest is not None and (latest.overall, latest.criteria, latest.summary) == (
            result.overall,
            result.criteria,
            result.summary,
        ):
            return  # nothing changed (a repeated job)
        session.add(
            InterviewSummary(
                organization_id=organization_id,
                interview_id=interview_id,
                version=(latest.version + 1) if latest else 1,
                overall=result.overall,
                criteria=result.criteria,
                scored_answers=result.scored_answers,
                unscored_answers=result.unscored_answers,
                summary=result.summary,
            )
        )


def _forget_erased_cvs(ctx: JobContext, erased: list[tuple[str, str]]) -> None:
    """Right to erasure reaches the vector store too: an erased candidate's CV vectors and profile go
    (the same step the erasure itself takes; this catches any it could not finish)."""
    for organization_id, candidate_id in erased:
        with ctx.session() as session:
            forget_cv_vectors(
                ctx.settings, session, organization_id=organization_id, candidate_id=candidate_id
            )
        log.info("erased_cv_vectors_removed", candidate_id=candidate_id)


@job(SWEEP_JOB, max_retries=0, every=timedelta(minutes=5))
def sweep(ctx: JobContext) -> None:
    """Enqueue work a crash or a lost message left behind: pending CVs and unscored transcripts; and
    remove the CV vectors of candidates erased since the last sweep.

    Work already in the dead-letter list is left there for an admin to retry, so a permanently
    failing item is not tried again every few minutes.
    """
    from sync_server.screening.jobs import PROCESS_CV_JOB

    settled = utcnow() - timedelta(minutes=5)  # younger work may still be on its way through the queue
    with ctx.session() as session:
        dead = session.scalars(
            select(DeadJob.arguments).where(
                DeadJob.job_name.in_([PROCESS_CV_JOB, SCORE_RESPONSE_JOB]), DeadJob.retried_at.is_(None)
            )
        ).all()
        dead_ids = {str(a.get("candidate_id") or a.get("response_id")) for a in dead if isinstance(a, dict)}
        pending = session.execute(
            select(Candidate.organization_id, Candidate.id)
            .where(
                Candidate.cv_status == "pending",
                Candidate.erased_at.is_(None),
                Candidate.updated_at < settled,
            )
            .limit(200)
        ).all()
        erased = session.execute(
            select(CVProfile.organization_id, CVProfile.candidate_id)
            .join(Candidate, Candidate.id == CVProfile.candidate_id)
            .where(Candidate.erased_at.is_not(None))
            .limit(200)
        ).all()
        unscored = session.execute(
            select(Response.organization_id, Response.id)
            .join(Interview, Interview.id == Response.interview_id)
            .where(
                ai_may_evaluate_clause(),
                Response.transcript.is_not(None),
                Response.created_at < settled,
                ~select(Score.id).where(Score.response_id == Response.id).exists(),
            )
            .limit(200)
        ).all()
    if erased:
        _forget_erased_cvs(ctx, [(str(org), str(cid)) for org, cid in erased])
    for organization_id, candidate_id in pending:
        if candidate_id not in dead_ids:
            request(PROCESS_CV_JOB, organization_id=organization_id, candidate_id=candidate_id)
    for organization_id, response_id in unscored:
        if response_id not in dead_ids:
            request_scoring(organization_id=organization_id, response_id=response_id)
