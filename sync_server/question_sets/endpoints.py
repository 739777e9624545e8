"""`/api/v1/question-sets`."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from sync_server.contract import (
    Page,
    QuestionSetCreate,
    QuestionSetOut,
    QuestionSetSummary,
    QuestionSetUpdate,
)
from sync_server.deps import RequireHR, SessionDep
from sync_server.models import QuestionSet
from sync_server.openapi import error_responses
from sync_server.pagination import PageDep, fetch_page
from sync_server.question_sets import repository, service

router = APIRouter(tags=["question sets"])

_404 = error_responses(404)


@router.get("/question-sets", response_model=Page[QuestionSetSummary])
def list_question_sets(
    user: RequireHR,
    session: SessionDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=100, description="Part of the name.")] = None,
) -> Page[QuestionSetSummary]:
    query = repository.question_sets_query(organization_id=user.organization_id, search=q)
    rows, total = fetch_page(
        session,
        query,
        page,
        sortable={
            "name": QuestionSet.name,
            "created_at": QuestionSet.created_at,
            "updated_at": QuestionSet.updated_at,
        },
        default_sort="-created_at",
        tie_breaker=QuestionSet.id,
    )
    counts = repository.question_counts(session, [qs.id for qs in rows])
    items = [service.question_set_summary(qs, counts.get(qs.id, 0)) for qs in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/question-sets", response_model=QuestionSetOut, status_code=status.HTTP_201_CREATED)
def create_question_set(body: QuestionSetCreate, user: RequireHR, session: SessionDep) -> QuestionSetOut:
    qs = service.create_question_set(
        session, organization_id=user.organization_id, data=body, actor=user.actor
    )
    return service.question_set_out(qs)


@router.get("/question-sets/{question_set_id}", response_model=QuestionSetOut, responses=_404)
def get_question_set(question_set_id: str, user: RequireHR, session: SessionDep) -> QuestionSetOut:
    qs = service.get_question_set(
        session, organization_id=user.organization_id, question_set_id=question_set_id
    )
    return service.question_set_out(qs)


@router.patch(
    "/question-sets/{question_set_id}",
    response_model=QuestionSetOut,
    responses=error_responses(404, 409),
)
def update_question_set(
    question_set_id: str, body: QuestionSetUpdate, user: RequireHR, session: SessionDep
) -> QuestionSetOut:
    qs = service.update_question_set(
        session,
        organization_id=user.organization_id,
        question_set_id=question_set_id,
        changes=body,
        actor=user.actor,
    )
    return service.question_set_out(qs)
