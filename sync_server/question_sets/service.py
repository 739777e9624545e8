"""Question sets: the ordered questions with type, key points, timings and attempts."""

from sqlalchemy.orm import Session

from sync_server.audit.service import record
from sync_server.contract import (
    QuestionIn,
    QuestionOut,
    QuestionSetCreate,
    QuestionSetOut,
    QuestionSetSummary,
    QuestionSetUpdate,
    QuestionType,
)
from sync_server.contract.base import as_plain_text
from sync_server.errors import Conflict, NotFound
from sync_server.models import Question, QuestionSet
from sync_server.question_sets import repository

Actor = tuple[str, str | None]


def question_out(question: Question) -> QuestionOut:
    # as_plain_text: a question stored before control characters were refused still reads back
    return QuestionOut(
        id=question.id,
        position=question.position,
        text=as_plain_text(question.text),
        type=QuestionType(question.type),
        key_points=as_plain_text(list(question.key_points or [])),
        think_seconds=question.think_seconds,
        answer_seconds=question.answer_seconds,
        max_attempts=question.max_attempts,
    )


def question_set_out(qs: QuestionSet) -> QuestionSetOut:
    return QuestionSetOut(
        id=qs.id,
        name=qs.name,
        description=qs.description,
        questions=[question_out(q) for q in qs.questions],
        created_at=qs.created_at,
        updated_at=qs.updated_at,
    )


def question_set_summary(qs: QuestionSet, count: int) -> QuestionSetSummary:
    return QuestionSetSummary(
        id=qs.id,
        name=qs.name,
        description=qs.description,
        question_count=count,
        created_at=qs.created_at,
        updated_at=qs.updated_at,
    )


def get_question_set(session: Session, *, organization_id: str, question_set_id: str) -> QuestionSet:
    qs = repository.question_set(session, organization_id=organization_id, question_set_id=question_set_id)
    if qs is None:
        raise NotFound("No question set with that id.")
    return qs


def _questions(organization_id: str, items: list[QuestionIn]) -> list[Question]:
    return [
        Question(
            organization_id=organization_id,
            position=index,
            text=item.text.strip(),
            type=item.type.value,
            key_points=[point.strip() for point in item.key_points if point.strip()],
            think_seconds=item.think_seconds,
            answer_seconds=item.answer_seconds,
            max_attempts=item.max_attempts,
        )
        for index, item in enumerate(items, start=1)
    ]


def create_question_set(
    session: Session, *, organization_id: str, data: QuestionSetCreate, actor: Actor
) -> QuestionSet:
    qs = QuestionSet(
        organization_id=organization_id,
        name=data.name.strip(),
        description=data.description,
        created_by_id=actor[1] if actor[0] == "user" else None,
    )
    qs.questions = _questions(organization_id, data.questions)
    session.add(qs)
    session.flush()
    record(
        session,
        organization_id=organization_id,
        actor=actor,
        action="question_set.created",
        target_type="question_set",
        target_id=qs.id,
        details={"questions": len(data.questions)},
    )
    session.commit()
    return qs


def update_question_set(
    session: Session, *, organization_id: str, question_set_id: str, changes: QuestionSetUpdate, actor: Actor
) -> QuestionSet:
    """Rename or re-describe; replacing questions is refused once answers refer to them."""
    qs = get_question_set(session, organization_id=organization_id, question_set_id=question_set_id)
    if changes.name is not None:
        qs.name = changes.name.strip()
    if changes.description is not None:
        qs.description = changes.description
    if changes.questions is not None:
        if repository.has_answers(session, qs.id):
            raise Conflict("Candidates have answered these questions; create a new question set instead.")
        qs.questions.clear()
        session.flush()
        qs.questions.extend(_questions(organization_id, changes.questions))
    record(
        session,
        organization_id=organization_id,
        actor=actor,
        action="question_set.updated",
        target_type="question_set",
        target_id=qs.id,
        details={"fields": sorted(changes.model_dump(exclude_unset=True))},
    )
    session.commit()
    session.refresh(qs)
    return qs
