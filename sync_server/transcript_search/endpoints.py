"""`/api/v1/jobs/{job_id}/transcripts/search`: what candidates said, across a job's answers (hr/admin)."""

from typing import Annotated

from fastapi import APIRouter, Query

from sync_server.contract import TRANSCRIPT_QUERY_MAX_LENGTH, Page, TranscriptHit
from sync_server.deps import RequireHR, SessionDep
from sync_server.openapi import error_responses
from sync_server.pagination import RankedPageDep
from sync_server.transcript_search import service

router = APIRouter(tags=["search"])


@router.get(
    "/jobs/{job_id}/transcripts/search", response_model=Page[TranscriptHit], responses=error_responses(404)
)
def search_transcripts(
    job_id: str,
    user: RequireHR,
    session: SessionDep,
    page: RankedPageDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=TRANSCRIPT_QUERY_MAX_LENGTH,
            description='Words to find (all of them); "a phrase", `or` between alternatives, -word to exclude.',
        ),
    ],
) -> Page[TranscriptHit]:
    """Answers in this job whose transcript mentions `q`, best first, each with a snippet and the second
    the first matching word is spoken. Erased candidates are never found."""
    return service.search_transcripts(
        session, organization_id=user.organization_id, job_id=job_id, text=q, page=page
    )
