"""Pagination, sorting and filtering for list endpoints: capped limits, whitelisted sort fields."""

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query
from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from sync_server.contract import MAX_PAGE_SIZE
from sync_server.errors import UnprocessableEntity

RowT = TypeVar("RowT")


@dataclass(frozen=True, slots=True)
class PageRequest:
    limit: int
    offset: int
    sort: str | None


def page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")] = 0,
    sort: Annotated[
        str | None,
        Query(
            max_length=40,
            pattern=r"^-?[a-z_]+$",
            description="A field name, '-' first for descending (e.g. -created_at).",
        ),
    ] = None,
) -> PageRequest:
    return PageRequest(limit=limit, offset=offset, sort=sort)


PageDep = Annotated[PageRequest, Depends(page_request)]


def ranked_page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")] = 0,
) -> PageRequest:
    """For lists in relevance order (searches): a page, but no sort field to choose."""
    return PageRequest(limit=limit, offset=offset, sort=None)


RankedPageDep = Annotated[PageRequest, Depends(ranked_page_request)]


def fetch_page(
    session: Session,
    query: Select[RowT],
    page: PageRequest,
    *,
    sortable: dict[str, InstrumentedAttribute[Any]],
    default_sort: str,
    tie_breaker: InstrumentedAttribute[Any],
) -> tuple[list[RowT], int]:
    """Run `query` for one page: returns (rows, total matching rows)."""
    sort = page.sort or default_sort
    descending = sort.startswith("-")
    column = sortable.get(sort.lstrip("-"))
    if column is None:
        raise UnprocessableEntity(
            f"Cannot sort by '{sort.lstrip('-')}'; choose one of: {', '.join(sorted(sortable))}."
        )
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    ordered = query.order_by(column.desc() if descending else column.asc(), tie_breaker.asc())
    rows = list(session.scalars(ordered.limit(page.limit).offset(page.offset)))
    return rows, total
