"""Which answers of a job mention the words: one interface, a PostgreSQL and an SQLite implementation.

Both index the transcript's `text` inside the database, so every write path (a station's transcript,
an erasure wiping it, a purge deleting the answer) keeps the index current without application code:
- PostgreSQL: a stored generated column `responses.transcript_search` =
  `to_tsvector('english', transcript ->> 'text')` with a GIN index, queried with `websearch_to_tsquery`
  (stemming, stop words, phrases, `or`, `-word`). Stored, so neither matching nor ranking re-parses
  the JSON document (an expression index alone left the planner re-computing it row by row).
- SQLite: an FTS5 table (porter stemming, case and accent folding) filled by triggers on `responses`.
Both return the whole text with the matched words between MARK_START and MARK_END (control characters,
never markup), so the service can cut snippets and find the spoken time the same way for both.
The migration `0007_transcript_search` creates both; its SQL must stay in step with the names here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Select, column, func, literal_column, select, table
from sqlalchemy.orm import Session

from sync_server.models import Candidate, Interview, Question, Response
from sync_server.transcript_search.fts5_query import fts5_query

MARK_START = "\x02"
MARK_END = "\x03"

POSTGRES_CONFIG = "'english'::regconfig"
# Not in the ORM model: PostgreSQL computes it (and SQLite has no such column).
POSTGRES_DOCUMENT = "responses.transcript_search"
SQLITE_INDEX_TABLE = "response_transcripts_fts"


@dataclass(frozen=True, slots=True)
class TranscriptMatch:
    """An answer whose transcript matches, with its whole text marked where it matched."""

    response_id: str
    interview_id: str
    candidate_id: str
    candidate_name: str
    question_id: str
    question_text: str
    attempt: int
    marked_text: str
    transcript: dict[str, Any]


class TranscriptIndex(Protocol):
    def search(
        self, session: Session, *, organization_id: str, job_id: str, query: str, limit: int, offset: int
    ) -> tuple[list[TranscriptMatch], int]:
        """One page of the job's answers matching `query` (best first) and how many match in all."""


def _answers_of_job(organization_id: str, job_id: str, *columns: Any) -> Select[Any]:
    """The job's answers with a transcript in the organization, of candidates not erased."""
    return (
        select(*columns)
        .select_from(Response)
        .join(Interview, Interview.id == Response.interview_id)
        .join(Candidate, Candidate.id == Interview.candidate_id)
        .join(Question, Question.id == Response.question_id)
        .where(
            Response.organization_id == organization_id,
            Interview.organization_id == organization_id,
            Interview.job_id == job_id,
            Candidate.organization_id == organization_id,
            Candidate.erased_at.is_(None),
            Response.transcript.is_not(None),
        )
    )


def _hit_columns(marked: ColumnElement[str]) -> tuple[Any, ...]:
    """What a hit shows, in TranscriptMatch's order."""
    return (
        Response.id,
        Response.interview_id,
        Interview.candidate_id,
        Candidate.full_name,
        Response.question_id,
        Question.text,
        Response.attempt,
        marked,
        Response.transcript,
    )


def _page(
    session: Session,
    matching: Callable[..., Select[Any]],
    marked: ColumnElement[str],
    order: ColumnElement[Any],
    *,
    limit: int,
    offset: int,
) -> tuple[list[TranscriptMatch], int]:
    """Count first (cheap: no marking), then mark only the page's answers."""
    total = session.scalar(matching(func.count(Response.id))) or 0
    if offset >= total:
        return [], total
    page = matching(*_hit_columns(marked)).order_by(order, Response.id).limit(limit).offset(offset)
    return [TranscriptMatch(*row) for row in session.execute(page).all()], total


class PostgresTranscriptIndex:
    def search(
        self, session: Session, *, organization_id: str, job_id: str, query: str, limit: int, offset: int
    ) -> tuple[list[TranscriptMatch], int]:
        config: ColumnElement[Any] = literal_column(POSTGRES_CONFIG)
        document: ColumnElement[Any] = literal_column(POSTGRES_DOCUMENT)
        # A scalar subquery: parsed once per statement, not once per row.
        tsquery = select(func.websearch_to_tsquery(config, query)).scalar_subquery()

        def matching(*columns: Any) -> Select[Any]:
            return _answers_of_job(organization_id, job_id, *columns).where(document.op("@@")(tsquery))

        marked = func.ts_headline(
            config,
            Response.transcript["text"].as_string(),
            tsquery,
            f"StartSel={MARK_START}, StopSel={MARK_END}, HighlightAll=true",
        )
        rank = func.ts_rank_cd(document, tsquery).desc()
        return _page(session, matching, marked, rank, limit=limit, offset=offset)


class SqliteTranscriptIndex:
    def search(
        self, session: Session, *, organization_id: str, job_id: str, query: str, limit: int, offset: int
    ) -> tuple[list[TranscriptMatch], int]:
        expression = fts5_query(query)
        if expression is None:
            return [], 0
        index = table(SQLITE_INDEX_TABLE, column("response_id"), column("body"))
        index_name: ColumnElement[Any] = literal_column(
            SQLITE_INDEX_TABLE
        )  # FTS5 takes the table itself as an argument

        def matching(*columns: Any) -> Select[Any]:
            return (
                _answers_of_job(organization_id, job_id, *columns)
                .join(index, index.c.response_id == Response.id)
                .where(index_name.op("MATCH")(expression))
            )

        marked = func.highlight(index_name, 1, MARK_START, MARK_END)
        rank = func.bm25(index_name).asc()  # smaller is better
        return _page(session, matching, marked, rank, limit=limit, offset=offset)


def transcript_index(session: Session) -> TranscriptIndex:
    """The implementation for the session's database."""
    if session.get_bind().dialect.name == "postgresql":
        return PostgresTranscriptIndex()
    return SqliteTranscriptIndex()


POSTGRES_INDEX = "ix_responses_transcript_search"


def is_search_index_object(name: str | None, type_: str) -> bool:
    """Whether a database object belongs to the search index (made by its migration, not by the models):
    the FTS5 table with its shadow tables, the generated column or its index. Schema comparisons skip them."""
    if type_ == "table":
        return bool(name) and str(name).startswith(SQLITE_INDEX_TABLE)
    return (type_, name) in {("column", POSTGRES_DOCUMENT.split(".")[1]), ("index", POSTGRES_INDEX)}
