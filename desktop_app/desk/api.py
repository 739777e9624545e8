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
    CandidateOut,
    CandidateUpdate,
    CurrentUserInfo,
    EnrollmentCodeCreate,
    EnrollmentCodeCreated,
    InterviewDetail,
    InterviewOut,
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
    StationOut,
    Transcript,
    UserCreate,
    UserOut,
    UserUpdate,
)

ItemT = TypeVar("ItemT", bound=BaseModel)

TRANSCRIPT_PATH = "/responses/{response_id}/transcript"
SCORE_PATH = "/responses/{response_id}/score"
REVIEW_PATH = "/responses/{response_id}/review"
MATCHES_PATH = "/jobs/{job_id}/matches"


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


def score_view(data: Any) -> ScoreView:
    """The server's score JSON as the panel shows it."""
    criteria = [
        CriterionView(
            name=str(c.get("criterion", "")),
            score=c.get("score"),
            quote=str(c.get("quote") or ""),
            start_seconds=c.get("start"),
            reason=str(c.get("reason") or ""),
        )
        for c in data.get("criteria", [])
    ]
    return ScoreView(
        scored=data.get("status", "scored") == "scored",
        overall=data.get("overall"),
        criteria=criteria,
        feedback=str(data.get("feedback") or ""),
        reason=str(data.get("reason") or ""),
        provider=str(data.get("provider") or ""),
        model=str(data.get("model") or ""),
    )


def review_draft(data: Any) -> ReviewDraft:
    decision = data.get("decision")
    return ReviewDraft(
        rating=data.get("rating"),
        comment=str(data.get("comment") or ""),
        override_score=data.get("override_score"),
        override_reason=str(data.get("override_reason") or ""),
        decision=Decision(decision) if decision in tuple(Decision) else None,
        decision_note=str(data.get("decision_note") or ""),
    )


def review_body(draft: ReviewDraft) -> dict[str, Any]:
    return {
        "rating": draft.rating,
        "comment": draft.comment,
        "override_score": draft.override_score,
        "override_reason": draft.override_reason or None,
        "decision": draft.decision.value if draft.decision else None,
        "decision_note": draft.decision_note,
    }


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
            data = self.client.get_json(SCORE_PATH.format(response_id=response_id))
        except NotFound:
            return None
        return score_view(data)

    def review(self, response_id: str) -> ReviewDraft | None:
        if not self.offers("GET", REVIEW_PATH):
            return None
        try:
            data = self.client.get_json(REVIEW_PATH.format(response_id=response_id))
        except NotFound:
            return None
        return review_draft(data)

    def save_review(self, response_id: str, draft: ReviewDraft, *, candidate_id: str) -> None:
        if not self.offers("PUT", REVIEW_PATH):
            raise DeskError(
                "This server can't store reviews yet.", fix="Ask your administrator to update the server."
            )
        self.client.send_json("PUT", REVIEW_PATH.format(response_id=response_id), body=review_body(draft))

    def job_insights(
        self,
        job_id: str,
        *,
        candidates: list[CandidateOut],
        interviews: Mapping[str, list[InterviewOut]],
    ) -> JobInsights:
        """Match scores, interview scores, ratings and decisions per candidate, as far as the server offers."""
        insights = JobInsights()
        if not self.offers("GET", MATCHES_PATH):
            insights.notes.append("This server does not compute match scores yet.")
        if not self.offers("GET", SCORE_PATH):
            insights.notes.append("This server does not score interviews yet.")
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
