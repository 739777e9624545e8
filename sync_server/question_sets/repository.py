"""Queries for question sets (always scoped by organization)."""

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from sync_server.models import Question, QuestionSet, Response


def question_set(session: Session, *, organization_id: str, question_set_id: str) -> QuestionSet | None:
    return session.scalars(
        select(QuestionSet).where(
            QuestionSet.organization_id == organization_id, QuestionSet.id == question_set_id
        )
    ).one_or_none()


def question_sets_query(*, organization_id: str, search: str | None) -> Select[QuestionSet]:
    query = select(QuestionSet).where(QuestionSet.organization_id == organization_id)
    if search:
        query = query.where(QuestionSet.name.ilike(f"%{search}%"))
    return query


def question_counts(session: Session, set_ids: list[str]) -> dict[str, int]:
    if not set_ids:
        return {}
    rows = session.execute(
        select(Question.question_set_id, func.count())
        .where(Question.question_set_id.in_(set_ids))
        .group_by(Question.question_set_id)
    )
    return {key: value for key, value in rows}  # noqa: C416  (Result is not a mapping source)


def has_answers(session: Session, question_set_id: str) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    Response.question_id == Question.id, Question.question_set_id == question_set_id
                )
            )
        )
    )
