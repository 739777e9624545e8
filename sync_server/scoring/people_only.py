"""The candidate's "people only" choice, enforced in one place: no AI evaluates such an interview.

The scoring and summary jobs ask `ai_may_evaluate` right before anything goes to a provider, so a
job queued before the choice reached the server does nothing, and again, with the interview row
locked, in the transaction that stores the result; the sweep picks work with the same
rule as a SQL condition, and the rescore endpoint refuses with `PEOPLE_ONLY_DETAIL`.
"""

from sqlalchemy import ColumnElement, and_, delete, select
from sqlalchemy.orm import Session

from sync_server.contract import InterviewStatus
from sync_server.models import Candidate, Interview, InterviewSummary, Response, Score

PEOPLE_ONLY_DETAIL = "The candidate asked to be evaluated by people only."

# A declined interview recorded nothing, so there is nothing to evaluate either.
_DECLINED = InterviewStatus.declined.value


def ai_may_evaluate(interview: Interview) -> bool:
    return not interview.people_only and interview.status != _DECLINED


def ai_may_evaluate_clause() -> ColumnElement[bool]:
    """`ai_may_evaluate` as a condition on the interviews table, for queries that pick work in bulk."""
    return and_(Interview.people_only.is_(False), Interview.status != _DECLINED)


def interview_allows_ai(
    session: Session, *, organization_id: str, interview_id: str, lock: bool = False
) -> bool:
    """False for a missing interview too: nothing is sent to a provider without knowing the choice.

    False for an erased candidate as well: nothing of theirs is evaluated or stored again.

    With `lock`, the interview row stays locked until the transaction ends, so what the caller stores
    next cannot slip in beside the people-only choice (the station's report locks the same row).
    """
    query = select(Interview).where(
        Interview.id == interview_id, Interview.organization_id == organization_id
    )
    interview = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if interview is None or not ai_may_evaluate(interview):
        return False
    # Erasure locks the same row before it deletes scores, so an erased candidate is seen here too.
    erased_at = session.scalar(select(Candidate.erased_at).where(Candidate.id == interview.candidate_id))
    return erased_at is None


def forget_ai_results(session: Session, *, organization_id: str, interview_id: str) -> int:
    """Remove AI scores and summaries made before the choice reached the server; returns how many."""
    responses = select(Response.id).where(
        Response.interview_id == interview_id, Response.organization_id == organization_id
    )
    scores = session.execute(
        delete(Score).where(Score.organization_id == organization_id, Score.response_id.in_(responses))
    )
    summaries = session.execute(
        delete(InterviewSummary).where(
            InterviewSummary.organization_id == organization_id,
            InterviewSummary.interview_id == interview_id,
        )
    )
    return int(scores.rowcount or 0) + int(summaries.rowcount or 0)  # type: ignore[attr-defined]
