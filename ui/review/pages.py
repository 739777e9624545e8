"""The HR screens of the desk, wired to each other (a candidate picked anywhere opens in the review)."""

from desktop_app.desk.api import DeskApi
from desktop_app.desk.media_cache import MediaCache
from desktop_app.desk.media_stream import MediaRelay
from ui.qt import QWidget
from ui.review.candidates import CandidatesPage
from ui.review.compare import ComparePage
from ui.review.interview_review import InterviewReviewPage
from ui.review.jobs import JobsPage
from ui.review.page import DeskPage
from ui.review.pipeline import PipelinePage
from ui.review.search import SearchPage


def review_pages(
    api: DeskApi, relay: MediaRelay, media_cache: MediaCache, host: QWidget
) -> list[tuple[str, DeskPage]]:
    pipeline = PipelinePage(api, host)
    jobs = JobsPage(api, host)
    candidates = CandidatesPage(api, host)
    review = InterviewReviewPage(api, relay, media_cache, host)
    compare = ComparePage(api, relay, host)
    search = SearchPage(api, host)

    def open_review(candidate_id: str) -> None:
        host.show_page("review")  # type: ignore[attr-defined]
        review.show_candidate(candidate_id)

    def open_answer(interview_id: str, response_id: str, seconds: float) -> None:
        host.show_page("review")  # type: ignore[attr-defined]
        review.show_answer_at(interview_id, response_id, seconds)

    pipeline.review_requested.connect(open_review)
    candidates.review_requested.connect(open_review)
    search.review_requested.connect(open_review)
    search.answer_requested.connect(open_answer)
    return [
        ("pipeline", pipeline),
        ("jobs", jobs),
        ("candidates", candidates),
        ("review", review),
        ("compare", compare),
        ("search", search),
    ]
