"""Search a job's transcripts for what a reviewer typed: check the words, ask the index, shape the hits."""

import re

from sqlalchemy.orm import Session

from sync_server.contract import Page, TranscriptHit
from sync_server.contract import Transcript as TranscriptDocument
from sync_server.errors import UnprocessableEntity
from sync_server.jobs.service import get_job
from sync_server.pagination import PageRequest
from sync_server.transcript_search.fts5_query import WORD
from sync_server.transcript_search.repository import TranscriptMatch, transcript_index
from sync_server.transcript_search.snippets import snippet, spoken_at, unmark

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def checked_query(text: str) -> str:
    """The search text, or UnprocessableEntity when it cannot be searched for."""
    query = " ".join(text.split())
    if _CONTROL.search(query):
        raise UnprocessableEntity("The search text contains control characters; type plain words.")
    if not WORD.search(query):
        raise UnprocessableEntity("Type at least one word or number to search for, not only punctuation.")
    return query


def transcript_hit(match: TranscriptMatch) -> TranscriptHit:
    marked = unmark(match.marked_text)
    text, highlights = snippet(marked)
    first = marked.spans[0][0] if marked.spans else 0
    transcript = TranscriptDocument.model_validate(match.transcript)
    return TranscriptHit(
        candidate_id=match.candidate_id,
        candidate_name=match.candidate_name,
        interview_id=match.interview_id,
        response_id=match.response_id,
        question_id=match.question_id,
        question_text=match.question_text,
        attempt=match.attempt,
        snippet=text,
        highlights=highlights,
        start_seconds=round(spoken_at(transcript, marked.text, first), 3),
    )


def search_transcripts(
    session: Session, *, organization_id: str, job_id: str, text: str, page: PageRequest
) -> Page[TranscriptHit]:
    """The job's answers that mention `text`, best match first. Another organization's job is 'not found'."""
    get_job(session, organization_id=organization_id, job_id=job_id)
    query = checked_query(text)
    matches, total = transcript_index(session).search(
        session,
        organization_id=organization_id,
        job_id=job_id,
        query=query,
        limit=page.limit,
        offset=page.offset,
    )
    return Page(items=[transcript_hit(m) for m in matches], total=total, limit=page.limit, offset=page.offset)
