"""The review desk's calls to the server, one method per endpoint, typed by the wire contract.

Every method blocks (it does network I/O): the UI calls them through its background helper only.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from desktop_app.desk.client import API_PREFIX, DeskClient, Tokens
from desktop_app.desk.errors import DeskError, NotFound
from desktop_app.desk.views import CriterionView, Decision, ReviewDraft, ScoreView
from sync_server.contract import (
    CV_CONTENT_TYPES,
    CV_MAX_BYTES,
    MAX_PAGE_SIZE,
    AuditEntryOut,
    CandidateErase,
    CandidateErased,
    CandidateOut,
    CandidateUpdate,
    CurrentUserInfo,
    EnrollmentCodeCreate,
    EnrollmentCodeCreated,
    InterviewDetail,
    InterviewOut,
    InterviewStatus,
    InviteCreate,
    InviteCreated,
    JobCreate,
    JobOut,
    JobUpdate,
    OrganizationOut,
    OrganizationUpdate,
    Page,
    QuestionSetCreate,
    QuestionSetOut,
    QuestionSetSummary,
    QuestionSetUpdate,
    ReviewDecision,
    ReviewIn,
    ReviewOut,
    StationOut,
    Transcript,
    TranscriptHit,
    UserCreate,
    UserOut,
    UserUpdate,
)
from sync_server.contract.ai import (
    CVProfileOut,
    InterviewSummaryOut,
    MatchOut,
    QuestionDraftIn,
    QuestionDraftSet,
    ScoreOut,
    SimilarCandidateOut,
)

ItemT = TypeVar("ItemT", bound=BaseModel)

TRANSCRIPT_PATH = "/responses/{response_id}/transcript"
SCORE_PATH = "/responses/{response_id}/score"
SCORE_HISTORY_PATH = "/responses/{response_id}/scores"
RESCORE_PATH = "/responses/{response_id}/rescore"
SUMMARY_PATH = "/interviews/{interview_id}/summary"
SIMILAR_PATH = "/candidates/{candidate_id}/similar"
PROFILE_PATH = "/candidates/{candidate_id}/profile"
DRAFTS_PATH = "/jobs/{job_id}/question-drafts"
REVIEW_PATH = "/responses/{response_id}/review"
MATCHES_PATH = "/jobs/{job_id}/matches"
ERASE_PATH = "/candidates/{candidate_id}/erase"
TRANSCRIPT_SEARCH_PATH = "/jobs/{job_id}/transcripts/search"


@dataclass(frozen=True)
class CandidateInsight:
    match_score: float | None = None
    interview_score: float | None = None
    rating: float | None = None
    decision: str = ""
    decision_note: str = ""


@dataclass
class JobInsights:
    per_candidate: dict[str, CandidateInsight] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def score_view(score: ScoreOut) -> ScoreView:
    """The server's score as the panel shows it."""
    return ScoreView(
        scored=score.status == "scored",
        overall=score.overall,
        criteria=[CriterionView(c.criterion, c.score, c.quote, c.start, c.reason) for c in score.criteria],
        feedback=score.feedback,
        reason=score.reason
        or ("Scoring this answer failed; try scoring it again." if score.status == "failed" else ""),
        provider=score.provider,
        model=score.model,
        version=score.version,
    )


def review_draft(review: ReviewOut) -> ReviewDraft:
    return ReviewDraft(
        rating=review.rating,
        comment=review.comment,
        override_score=review.override_score,
        override_reason=review.override_reason or "",
        decision=Decision(review.decision.value) if review.decision else None,
        decision_note=review.decision_note,
    )


def review_in(draft: ReviewDraft) -> ReviewIn:
    return ReviewIn(
        rating=draft.rating,
        comment=draft.comment,
        override_score=draft.override_score,
        override_reason=draft.override_reason or None,
        decision=ReviewDecision(draft.decision.value) if draft.decision else None,
        decision_note=draft.decision_note,
    )


CV_TYPES_BY_SUFFIX = {
    ".pdf": CV_CONTENT_TYPES[0],
    ".docx": CV_CONTENT_TYPES[1],
    ".txt": CV_CONTENT_TYPES[2],
}


class DeskApi:
    """The endpoints the desk uses. `client` owns the connection and the tokens."""

    def __init__(self, client: DeskClient) -> None:
        self.client = client
        self._paths: frozenset[str] | None = None

    def offers(self, method: str, path: str) -> bool:
        """Whether this server has the endpoint (read once from its OpenAPI document).

        Screens whose endpoint a server lacks (an older version, or a feature not deployed) say so in a
        sentence instead of failing on every click.
        """
        if self._paths is None:
            document = self.client.get_json("/openapi.json", authenticated=False)
            paths = document.get("paths", {}) if isinstance(document, dict) else {}
            self._paths = frozenset(
                f"{verb.upper()} {route.removeprefix(API_PREFIX)}"
                for route, verbs in paths.items()
                if isinstance(verbs, dict)
                for verb in verbs
            )
        return f"{method.upper()} {path}" in self._paths

    @classmethod
    def sign_in(
        cls, server_url: str, email: str, password: str, *, on_signed_out: Callable[[], None] | None = None
    ) -> tuple["DeskApi", CurrentUserInfo]:
        """Connect, sign in and fetch who we are. Raises a DeskError with one sentence on any failure."""
        if not email.strip() or not password:
            raise DeskError("Enter your email and password.")
        client = DeskClient(server_url, on_signed_out=on_signed_out)
        try:
            client.sign_in(email.strip(), password)
            api = cls(client)
            return api, api.me()
        except BaseException:
            client.close()
            raise

    @property
    def tokens(self) -> Tokens | None:
        return self.client.tokens

    def sign_out(self) -> None:
        self.client.sign_out()
        self.client.close()

    # --- paging ---------------------------------------------------------------------------------
    def page(self, path: str, model: type[ItemT], *, params: Mapping[str, Any] | None = None) -> Page[ItemT]:
        return self.client.get(path, Page[model], params=params)  # type: ignore[valid-type]

    def iterate(
        self, path: str, model: type[ItemT], *, params: Mapping[str, Any] | None = None, limit: int = 5000
    ) -> Iterator[ItemT]:
        """Every item of a list endpoint, page by page (up to `limit` items)."""
        offset = 0
        while offset < limit:
            page = self.page(path, model, params={**(params or {}), "limit": MAX_PAGE_SIZE, "offset": offset})
            yield from page.items
            offset += len(page.items)
            if not page.items or offset >= page.total:
                return

    def all(self, path: str, model: type[ItemT], *, params: Mapping[str, Any] | None = None) -> list[ItemT]:
        return list(
            self.iterate(path, model, params={k: v for k, v in (params or {}).items() if v is not None})
        )

    # --- who am I -------------------------------------------------------------------------------
    def me(self) -> CurrentUserInfo:
        return self.client.get("/me", CurrentUserInfo)

    # --- jobs and question sets -----------------------------------------------------------------
    def jobs(self, *, search: str | None = None) -> list[JobOut]:
        return self.all("/jobs", JobOut, params={"q": search or None, "sort": "-created_at"})

    def job(self, job_id: str) -> JobOut:
        return self.client.get(f"/jobs/{job_id}", JobOut)

    def create_job(self, data: JobCreate) -> JobOut:
        return self.client.call("POST", "/jobs", JobOut, body=data)

    def update_job(self, job_id: str, changes: JobUpdate) -> JobOut:
        return self.client.call("PATCH", f"/jobs/{job_id}", JobOut, body=changes)

    def question_sets(self) -> list[QuestionSetSummary]:
        return self.all("/question-sets", QuestionSetSummary)

    def question_set(self, question_set_id: str) -> QuestionSetOut:
        return self.client.get(f"/question-sets/{question_set_id}", QuestionSetOut)

    def create_question_set(self, data: QuestionSetCreate) -> QuestionSetOut:
        return self.client.call("POST", "/question-sets", QuestionSetOut, body=data)

    def update_question_set(self, question_set_id: str, changes: QuestionSetUpdate) -> QuestionSetOut:
        return self.client.call("PATCH", f"/question-sets/{question_set_id}", QuestionSetOut, body=changes)

    # --- candidates and invites -----------------------------------------------------------------
    def candidates(self, *, job_id: str | None = None, search: str | None = None) -> list[CandidateOut]:
        return self.all("/candidates", CandidateOut, params={"job_id": job_id, "q": search or None})

    def candidate(self, candidate_id: str) -> CandidateOut:
        return self.client.get(f"/candidates/{candidate_id}", CandidateOut)

    def add_candidate(
        self, *, full_name: str, email: str | None, job_id: str | None, cv: Path | None
    ) -> CandidateOut:
        fields = {"full_name": full_name.strip()}
        if email:
            fields["email"] = email.strip()
        if job_id:
            fields["job_id"] = job_id
        files: dict[str, tuple[str, bytes, str]] = {}
        if cv is not None:
            files["cv"] = read_cv(cv)
        return self.client.parse(CandidateOut, self.client.upload("/candidates", fields=fields, files=files))

    def update_candidate(self, candidate_id: str, changes: CandidateUpdate) -> CandidateOut:
        return self.client.call("PATCH", f"/candidates/{candidate_id}", CandidateOut, body=changes)

    def erase_candidate(self, candidate_id: str, reason: str) -> CandidateErased:
        """Right to erasure: the server deletes the candidate's recordings, transcripts, CV and reviews."""
        if not self.offers("POST", ERASE_PATH):
            raise DeskError(
                "This server can't erase candidates yet.", fix="Ask your administrator to update it."
            )
        return self.client.call(
            "POST",
            ERASE_PATH.format(candidate_id=candidate_id),
            CandidateErased,
            body=CandidateErase(reason=reason),
        )

    def invite(self, data: InviteCreate) -> InviteCreated:
        return self.client.call("POST", "/invites", InviteCreated, body=data)

    # --- interviews and answers -----------------------------------------------------------------
    def interviews(
        self, *, job_id: str | None = None, candidate_id: str | None = None, status: str | None = None
    ) -> list[InterviewOut]:
        return self.all(
            "/interviews",
            InterviewOut,
            params={"job_id": job_id, "candidate_id": candidate_id, "status": status},
        )

    def interview(self, interview_id: str) -> InterviewDetail:
        return self.client.get(f"/interviews/{interview_id}", InterviewDetail)

    def transcript(self, response_id: str) -> Transcript | None:
        """The answer's transcript, or None when the server does not serve transcripts to reviewers."""
        if not self.offers("GET", TRANSCRIPT_PATH):
            return None
        return self.client.get(TRANSCRIPT_PATH.format(response_id=response_id), Transcript)

    # --- scores, reviews, decisions, matches (offered by newer servers) ---------------------------
    def score(self, response_id: str) -> ScoreView | None:
        """The latest AI score of an answer, or None when it has none (or the server does not score)."""
        if not self.offers("GET", SCORE_PATH):
            return None
        try:
            return score_view(self.client.get(SCORE_PATH.format(response_id=response_id), ScoreOut))
        except NotFound:
            return None

    def score_history(self, response_id: str) -> list[ScoreView]:
        """Every version of the answer's AI score, newest first (re-scoring adds, never replaces)."""
        if not self.offers("GET", SCORE_HISTORY_PATH):
            return []
        return [
            score_view(s)
            for s in self.client.get_list(SCORE_HISTORY_PATH.format(response_id=response_id), ScoreOut)
        ]

    def rescore(self, response_id: str) -> None:
        if not self.offers("POST", RESCORE_PATH):
            raise DeskError(
                "This server can't score answers again.", fix="Ask your administrator to update it."
            )
        self.client.send_json("POST", RESCORE_PATH.format(response_id=response_id))

    def interview_summary(self, interview_id: str) -> InterviewSummaryOut | None:
        """The whole-interview score, once every answer is scored; None before (or without scoring)."""
        if not self.offers("GET", SUMMARY_PATH):
            return None
        try:
            return self.client.get(SUMMARY_PATH.format(interview_id=interview_id), InterviewSummaryOut)
        except NotFound:
            return None

    def matches(self, job_id: str, *, pool: bool = False) -> list[MatchOut]:
        """Candidates ranked by how well their CV meets the job, with evidence; [] without matching."""
        if not self.offers("GET", MATCHES_PATH):
            return []
        return self.client.get_list(
            MATCHES_PATH.format(job_id=job_id),
            MatchOut,
            params={"scope": "pool" if pool else "applicants", "limit": 100},
        )

    def cv_profile(self, candidate_id: str) -> CVProfileOut | None:
        """What the server read from the CV (skills, experience, education, titles); None if not offered."""
        if not self.offers("GET", PROFILE_PATH):
            return None
        return self.client.get(PROFILE_PATH.format(candidate_id=candidate_id), CVProfileOut)

    def similar_candidates(self, candidate_id: str, *, limit: int = 10) -> list[SimilarCandidateOut]:
        if not self.offers("GET", SIMILAR_PATH):
            raise DeskError(
                "This server can't find similar candidates yet.", fix="Ask your administrator to update it."
            )
        return self.client.get_list(
            SIMILAR_PATH.format(candidate_id=candidate_id), SimilarCandidateOut, params={"limit": limit}
        )

    def search_transcripts(
        self, job_id: str, text: str, *, limit: int = 50, offset: int = 0
    ) -> Page[TranscriptHit]:
        """One page of the job's answers that mention `text`, best first (with the second to seek to)."""
        if not self.offers("GET", TRANSCRIPT_SEARCH_PATH):
            raise DeskError(
                "This server can't search transcripts yet.", fix="Ask your administrator to update it."
            )
        return self.page(
            TRANSCRIPT_SEARCH_PATH.format(job_id=job_id),
            TranscriptHit,
            params={"q": text, "limit": limit, "offset": offset},
        )

    def draft_questions(
        self, job_id: str, *, candidate_id: str | None = None, count: int = 8
    ) -> QuestionDraftSet:
        if not self.offers("POST", DRAFTS_PATH):
            raise DeskError(
                "This server can't draft questions with AI yet.", fix="Write them or pick them from the bank."
            )
        return self.client.call(
            "POST",
            DRAFTS_PATH.format(job_id=job_id),
            QuestionDraftSet,
            body=QuestionDraftIn(candidate_id=candidate_id, count=count),
        )

    def review(self, response_id: str) -> ReviewDraft | None:
        """Your review of the answer, or None before you saved one (or when reviews are not offered)."""
        found = self.review_out(response_id)
        return review_draft(found) if found else None

    def review_out(self, response_id: str) -> ReviewOut | None:
        if not self.offers("GET", REVIEW_PATH):
            return None
        try:
            return self.client.get(REVIEW_PATH.format(response_id=response_id), ReviewOut)
        except NotFound:
            return None

    def save_review(self, response_id: str, draft: ReviewDraft) -> ReviewDraft:
        if not self.offers("PUT", REVIEW_PATH):
            raise DeskError(
                "This server can't store reviews yet.", fix="Ask your administrator to update the server."
            )
        saved = self.client.call(
            "PUT", REVIEW_PATH.format(response_id=response_id), ReviewOut, body=review_in(draft)
        )
        return review_draft(saved)

    def job_insights(
        self,
        job_id: str,
        *,
        candidates: list[CandidateOut],
        interviews: Mapping[str, list[InterviewOut]],
    ) -> JobInsights:
        """Match scores, interview scores, ratings and decisions per candidate, as far as the server offers."""
        insights = JobInsights()
        match_scores: dict[str, float] = {}
        if self.offers("GET", MATCHES_PATH):
            if any(c.cv_status == "done" for c in candidates):  # nothing to match before a CV is read
                match_scores = {m.candidate_id: m.score for m in self.matches(job_id)}
        else:
            insights.notes.append("This server does not compute match scores yet.")
        interview_scores: dict[str, float] = {}
        if self.offers("GET", SUMMARY_PATH):
            for candidate_id, theirs in interviews.items():
                done = [i for i in theirs if i.status == InterviewStatus.completed]
                summary = self.interview_summary(max(done, key=lambda i: i.created_at).id) if done else None
                if summary is not None and summary.overall is not None:
                    interview_scores[candidate_id] = summary.overall
        else:
            insights.notes.append("This server does not score interviews yet.")
        reviews: dict[str, list[ReviewOut]] = {}
        if self.offers("GET", REVIEW_PATH):
            for candidate_id, theirs in interviews.items():
                answered = [
                    i for i in theirs if i.status in (InterviewStatus.completed, InterviewStatus.in_progress)
                ]
                for interview in answered:
                    for response in self.interview(interview.id).responses:
                        found = self.review_out(response.id)
                        if found is not None:
                            reviews.setdefault(candidate_id, []).append(found)
        for candidate in candidates:
            mine = reviews.get(candidate.id, [])
            ratings = [r.rating for r in mine if r.rating is not None]
            decided = max((r for r in mine if r.decision), key=lambda r: r.updated_at, default=None)
            if candidate.id in match_scores or candidate.id in interview_scores or mine:
                insights.per_candidate[candidate.id] = CandidateInsight(
                    match_score=match_scores.get(candidate.id),
                    interview_score=interview_scores.get(candidate.id),
                    rating=round(sum(ratings) / len(ratings), 1) if ratings else None,
                    decision=decided.decision.value if decided and decided.decision else "",
                    decision_note=decided.decision_note if decided else "",
                )
        return insights

    # --- administration -------------------------------------------------------------------------
    def users(self) -> list[UserOut]:
        return self.all("/users", UserOut)

    def create_user(self, data: UserCreate) -> UserOut:
        return self.client.call("POST", "/users", UserOut, body=data)

    def update_user(self, user_id: str, changes: UserUpdate) -> UserOut:
        return self.client.call("PATCH", f"/users/{user_id}", UserOut, body=changes)

    def stations(self) -> list[StationOut]:
        return self.all("/stations", StationOut)

    def enrollment_code(self, data: EnrollmentCodeCreate) -> EnrollmentCodeCreated:
        return self.client.call("POST", "/stations/enrollment-codes", EnrollmentCodeCreated, body=data)

    def revoke_station(self, station_id: str) -> StationOut:
        return self.client.call("POST", f"/stations/{station_id}/revoke", StationOut)

    def organization(self) -> OrganizationOut:
        return self.client.get("/organization", OrganizationOut)

    def update_organization(self, changes: OrganizationUpdate) -> OrganizationOut:
        return self.client.call("PATCH", "/organization", OrganizationOut, body=changes)

    def audit_log(self, *, action: str | None = None, limit: int = 500) -> list[AuditEntryOut]:
        params = {"action": action} if action else {}
        return list(self.iterate("/audit-log", AuditEntryOut, params=params, limit=limit))


def read_cv(path: Path) -> tuple[str, bytes, str]:
    """The CV as a multipart part, refusing what the server would refuse before uploading it."""
    content_type = CV_TYPES_BY_SUFFIX.get(path.suffix.lower())
    if content_type is None:
        raise DeskError(
            f"{path.name} is not a PDF, Word (.docx) or text file.",
            fix="Choose the CV in one of those formats.",
        )
    try:
        size = path.stat().st_size
        if size > CV_MAX_BYTES:
            raise DeskError(
                f"{path.name} is {size / 1_048_576:.1f} MB; a CV can be at most {CV_MAX_BYTES // 1_048_576} MB."
            )
        return path.name, path.read_bytes(), content_type
    except OSError as exc:
        raise DeskError(f"Can't read {path.name} ({exc.strerror}).") from None
