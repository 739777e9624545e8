"""Every route × every kind of caller, generated from the app's routes.

Each route declares who may call it in ACCESS_RULES. A route without a rule FAILS this test, so a new
endpoint cannot ship without deciding its access. Callers: anonymous, a station, hr, admin (all of
organization A) and hr/admin of organization B. Expected:

- not allowed: 401 for anonymous (or a station on a user route... see below), 403 for a signed-in
  caller with the wrong role or the wrong kind of credential;
- allowed, own organization: anything but 401/403 (and never 404 for an object that exists);
- allowed role, other organization, a path naming an object of A: 404 (existence not leaked);
- never a 5xx.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from sync_server.models import Response, Upload, new_id, utcnow
from sync_server.routes import iter_routes
from sync_server.worker import JobContext, job
from tests.support.server import Caller, enroll_station, login, make_candidate, make_invite, make_tenant


@job("tests.matrix_noop", max_retries=0)
def matrix_noop(ctx: JobContext, **kwargs: object) -> None:
    """A job that succeeds: the dead-letter retry route puts it back on the queue."""


ANON, STATION, HR, ADMIN, OTHER_HR, OTHER_ADMIN = (
    "anonymous",
    "station",
    "hr",
    "admin",
    "other_hr",
    "other_admin",
)
CALLERS = (ANON, STATION, HR, ADMIN, OTHER_HR, OTHER_ADMIN)

PUBLIC = frozenset(CALLERS)
USERS = frozenset({HR, ADMIN, OTHER_HR, OTHER_ADMIN})  # any signed-in user; hr and admin alike
ADMINS = frozenset({ADMIN, OTHER_ADMIN})
STATIONS = frozenset({STATION})
STATIONS_AND_USERS = STATIONS | USERS


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str]
    # JSON body sent (valid where the handler must run for the other organization); or a function of the caller.
    body: Any = None
    fresh: frozenset[str] = frozenset()  # path params that need a new object per call (destructive)
    expect: dict[str, int] = field(default_factory=dict)  # exact statuses where the generic rule is too loose
    headers: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)  # query parameters the route requires


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(CALLERS, status)


TUS = {"Tus-Resumable": "1.0.0"}


ACCESS_RULES: dict[tuple[str, str], Rule] = {
    ("GET", "/openapi.json"): Rule(PUBLIC),
    ("GET", "/docs"): Rule(PUBLIC),
    ("GET", "/docs/oauth2-redirect"): Rule(PUBLIC),
    ("GET", "/redoc"): Rule(PUBLIC),
    ("GET", "/healthz"): Rule(PUBLIC),
    ("GET", "/readyz"): Rule(PUBLIC),
    ("GET", "/metrics"): Rule(PUBLIC),
    ("POST", "/api/v1/auth/login"): Rule(
        PUBLIC, body=lambda who: {"email": f"nobody-{who}@example.org", "password": "x"}, expect=everyone(401)
    ),
    ("POST", "/api/v1/auth/refresh"): Rule(
        PUBLIC, body={"refresh_token": "not-a-token"}, expect=everyone(401)
    ),
    ("POST", "/api/v1/auth/logout"): Rule(USERS, body=[]),  # a wrong body: checked after access
    ("GET", "/api/v1/me"): Rule(USERS),
    ("POST", "/api/v1/me/password"): Rule(USERS, body={"current_password": "x", "new_password": "short"}),
    ("GET", "/api/v1/organization"): Rule(USERS),
    ("PATCH", "/api/v1/organization"): Rule(ADMINS, body=[]),
    ("GET", "/api/v1/users"): Rule(ADMINS),
    ("POST", "/api/v1/users"): Rule(ADMINS, body=[]),
    ("GET", "/api/v1/users/{user_id}"): Rule(ADMINS),
    ("PATCH", "/api/v1/users/{user_id}"): Rule(ADMINS, body={"full_name": "Matrix"}),
    ("GET", "/api/v1/jobs"): Rule(USERS),
    ("POST", "/api/v1/jobs"): Rule(USERS, body=[]),
    ("GET", "/api/v1/jobs/{job_id}"): Rule(USERS),
    ("PATCH", "/api/v1/jobs/{job_id}"): Rule(USERS, body={"title": "Matrix"}),
    ("GET", "/api/v1/candidates"): Rule(USERS),
    ("POST", "/api/v1/candidates"): Rule(USERS),
    ("GET", "/api/v1/candidates/{candidate_id}"): Rule(USERS),
    ("PATCH", "/api/v1/candidates/{candidate_id}"): Rule(USERS, body={"full_name": "Matrix"}),
    ("GET", "/api/v1/candidates/{candidate_id}/cv"): Rule(USERS),
    ("POST", "/api/v1/candidates/{candidate_id}/erase"): Rule(
        USERS, body={"reason": "Matrix erasure"}, fresh=frozenset({"candidate_id"})
    ),
    ("GET", "/api/v1/question-sets"): Rule(USERS),
    ("POST", "/api/v1/question-sets"): Rule(USERS, body=[]),
    ("GET", "/api/v1/question-sets/{question_set_id}"): Rule(USERS),
    ("PATCH", "/api/v1/question-sets/{question_set_id}"): Rule(USERS, body={"name": "Matrix"}),
    ("POST", "/api/v1/invites"): Rule(USERS, body=[]),
    ("GET", "/api/v1/invites"): Rule(USERS),
    ("GET", "/api/v1/invites/{invite_id}"): Rule(USERS),
    ("POST", "/api/v1/invites/{invite_id}/revoke"): Rule(USERS, fresh=frozenset({"invite_id"})),
    ("GET", "/api/v1/interviews"): Rule(USERS),
    ("GET", "/api/v1/interviews/{interview_id}"): Rule(USERS),
    ("POST", "/api/v1/interviews/{interview_id}/status"): Rule(
        USERS, body={"status": "cancelled"}, fresh=frozenset({"interview_id"})
    ),
    ("POST", "/api/v1/stations/enrollment-codes"): Rule(ADMINS, body=[]),
    ("POST", "/api/v1/stations/enroll"): Rule(PUBLIC, body=[]),
    ("GET", "/api/v1/stations"): Rule(ADMINS),
    ("GET", "/api/v1/stations/{station_id}"): Rule(ADMINS),
    ("POST", "/api/v1/stations/{station_id}/revoke"): Rule(ADMINS, fresh=frozenset({"station_id"})),
    ("POST", "/api/v1/station/heartbeat"): Rule(STATIONS, body={}),
    ("POST", "/api/v1/station/sessions"): Rule(STATIONS, body=[]),
    ("GET", "/api/v1/station/interviews/{interview_id}/plan"): Rule(STATIONS),
    ("POST", "/api/v1/station/interviews/{interview_id}/progress"): Rule(
        STATIONS, body={"status": "in_progress"}
    ),
    ("GET", "/api/v1/audit-log"): Rule(ADMINS),
    ("GET", "/api/v1/admin/jobs/dead"): Rule(ADMINS),
    ("POST", "/api/v1/admin/jobs/dead/{dead_job_id}/retry"): Rule(ADMINS, fresh=frozenset({"dead_job_id"})),
    # Sync (tus uploads, transcripts, media): stations upload answers; hr/admin upload CVs.
    ("OPTIONS", "/api/v1/uploads"): Rule(PUBLIC, headers=TUS),
    ("OPTIONS", "/api/v1/uploads/"): Rule(PUBLIC, headers=TUS),
    ("POST", "/api/v1/uploads"): Rule(STATIONS_AND_USERS, headers=TUS),
    ("POST", "/api/v1/uploads/"): Rule(STATIONS_AND_USERS, headers=TUS),
    # The station's own upload: other callers of organization A do not see it either.
    ("HEAD", "/api/v1/uploads/{upload_id}"): Rule(
        STATIONS_AND_USERS, expect={HR: 404, ADMIN: 404}, headers=TUS
    ),
    ("PATCH", "/api/v1/uploads/{upload_id}"): Rule(
        STATIONS_AND_USERS,
        expect={HR: 404, ADMIN: 404},
        headers={**TUS, "Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"},
    ),
    ("DELETE", "/api/v1/uploads/{upload_id}"): Rule(
        STATIONS_AND_USERS, fresh=frozenset({"upload_id"}), expect={HR: 404, ADMIN: 404}, headers=TUS
    ),
    ("PUT", "/api/v1/responses/{response_id}/transcript"): Rule(
        STATIONS, body={"text": "", "language": "en", "model": "m"}
    ),
    ("POST", "/api/v1/responses/{response_id}/transcript"): Rule(
        STATIONS, body={"text": "", "language": "en", "model": "m"}
    ),
    ("GET", "/api/v1/responses/{response_id}/media"): Rule(USERS),
    # GETs run before the station's PUT (routes are sorted): no transcript yet, so 404 for A's reviewers.
    ("GET", "/api/v1/responses/{response_id}/transcript"): Rule(USERS, expect={HR: 404, ADMIN: 404}),
    # Reviews: hr/admin (World saved a review for hr and admin of A, so their GET finds one).
    ("PUT", "/api/v1/responses/{response_id}/review"): Rule(USERS, body={"rating": 4, "comment": "ok"}),
    ("GET", "/api/v1/responses/{response_id}/review"): Rule(USERS),
    ("GET", "/api/v1/responses/{response_id}/reviews"): Rule(USERS),
    # AI: scores, matching, CV profiles and question drafts are hr/admin work inside the organization.
    # The matrix's response has no transcript yet: no score (404) and nothing to re-score (409).
    ("GET", "/api/v1/responses/{response_id}/score"): Rule(USERS, expect={HR: 404, ADMIN: 404}),
    ("GET", "/api/v1/responses/{response_id}/scores"): Rule(USERS),
    ("POST", "/api/v1/responses/{response_id}/rescore"): Rule(USERS, expect={HR: 409, ADMIN: 409}),
    ("GET", "/api/v1/interviews/{interview_id}/summary"): Rule(USERS, expect={HR: 404, ADMIN: 404}),
    ("GET", "/api/v1/jobs/{job_id}/matches"): Rule(USERS),
    ("POST", "/api/v1/jobs/{job_id}/question-drafts"): Rule(USERS, body={"count": 2}),
    ("GET", "/api/v1/candidates/{candidate_id}/similar"): Rule(USERS),
    ("GET", "/api/v1/candidates/{candidate_id}/profile"): Rule(USERS),
    ("GET", "/api/v1/jobs/{job_id}/transcripts/search"): Rule(USERS, query={"q": "python"}),
}


class World:
    """Organization A (with a station and one of each object) and organization B."""

    def __init__(self, client) -> None:
        self.client = client
        self.a = make_tenant(client)
        self.b = make_tenant(client)
        self.station = enroll_station(client, self.a)
        self.invite = make_invite(client, self.a.hr)
        opened = client.post(
            "/api/v1/station/sessions",
            json={"access_code": self.invite["access_code"]},
            headers=self.station.headers,
        )
        assert opened.status_code == 200, opened.text
        self.plan = opened.json()
        job = client.post("/api/v1/jobs", json={"title": "Matrix job"}, headers=self.a.hr.headers)
        self.job_id = job.json()["id"]
        cv = client.post(
            "/api/v1/candidates",
            data={"full_name": "Matrix Candidate"},
            files={"cv": ("cv.txt", b"Python developer", "text/plain")},
            headers=self.a.hr.headers,
        )
        self.candidate_id = cv.json()["id"]
        self.response_id = self._response_with_media()
        for reviewer in (self.a.hr, self.a.admin):
            saved = client.put(
                f"/api/v1/responses/{self.response_id}/review", json={"rating": 3}, headers=reviewer.headers
            )
            assert saved.status_code == 200, saved.text
        self.shared: dict[str, Callable[[], str]] = {
            "user_id": lambda: self.a.hr.id,
            "job_id": lambda: self.job_id,
            "candidate_id": lambda: self.candidate_id,
            "question_set_id": lambda: self.plan_question_set_id,
            "invite_id": lambda: self.invite["id"],
            "interview_id": lambda: self.invite["interview_id"],
            "station_id": lambda: self.station.id,
            "response_id": lambda: self.response_id,
            "upload_id": self._upload,
            "dead_job_id": self._dead_job,
        }
        self.plan_question_set_id = client.get(
            f"/api/v1/interviews/{self.invite['interview_id']}", headers=self.a.hr.headers
        ).json()["question_set_id"]
        self.fresh: dict[str, Callable[[], str]] = {
            "candidate_id": lambda: str(make_candidate(client, self.a.hr)["id"]),
            "invite_id": lambda: make_invite(client, self.a.hr)["id"],
            "interview_id": lambda: make_invite(client, self.a.hr)["interview_id"],
            "station_id": lambda: enroll_station(client, self.a, "Victim").id,
            "upload_id": self._upload,
            "dead_job_id": self._dead_job,
        }
        self._upload_id: str | None = None
        self._dead_job_id: str | None = None

    def _response_with_media(self) -> str:
        storage = self.client.app.state.storage
        data = b"\x00matrix media" * 10
        key = f"{self.a.organization_id}/matrix/{new_id()}.webm"
        storage.begin(key)
        writer = storage.open_append(key, 0)
        writer.write(data)
        writer.commit()
        storage.finalize(key, size=len(data))
        with self.client.app.state.db.session() as session:
            row = Response(
                organization_id=self.a.organization_id,
                interview_id=self.invite["interview_id"],
                question_id=self.plan["questions"][0]["id"],
                attempt=1,
                client_answer_id=new_id(),
                media_object_key=key,
                media_size=len(data),
                media_sha256=hashlib.sha256(data).hexdigest(),
                media_content_type="video/webm",
                media_uploaded_at=utcnow(),
            )
            session.add(row)
            session.flush()
            return row.id

    def _upload(self) -> str:
        with self.client.app.state.db.session() as session:
            row = Upload(
                organization_id=self.a.organization_id,
                station_id=self.station.id,
                interview_id=self.invite["interview_id"],
                length=100,
                offset=0,
                upload_metadata={},
                object_key=f"{self.a.organization_id}/matrix/{new_id()}",
                expires_at=utcnow() + timedelta(hours=1),
            )
            session.add(row)
            session.flush()
            self.client.app.state.storage.begin(row.object_key)
            return row.id

    def _dead_job(self) -> str:
        from sync_server.worker.dead_letters import record_dead_job

        message_id = new_id()
        with self.client.app.state.db.session() as session:
            record_dead_job(
                session,
                message_id=message_id,
                job_name="tests.matrix_noop",
                arguments={"organization_id": self.a.organization_id},
                attempts=1,
                error="matrix",
            )
        from sqlalchemy import select

        from sync_server.models import DeadJob

        with self.client.app.state.db.session() as session:
            return session.scalars(select(DeadJob.id).where(DeadJob.message_id == message_id)).one()

    def caller(self, who: str) -> Caller | None:
        return {
            ANON: None,
            STATION: self.station,
            HR: self.a.hr,
            ADMIN: self.a.admin,
            OTHER_HR: self.b.hr,
            OTHER_ADMIN: self.b.admin,
        }[who]

    def path(self, template: str, rule: Rule) -> str:
        import re

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            factory = self.fresh.get(name) if name in rule.fresh else self.shared.get(name)
            assert factory is not None, f"no test object for path parameter {name}"
            return factory()

        return re.sub(r"\{(\w+)\}", value, template)


def expected(rule: Rule, who: str, template: str) -> str:
    if who in rule.expect:
        return str(rule.expect[who])
    if who not in rule.allowed:
        return "401" if who == ANON else "403"
    names_object = "{" in template
    if names_object and who in (OTHER_HR, OTHER_ADMIN):
        return "404"
    return "allowed-not-404" if names_object else "allowed"


def outcome_matches(expectation: str, status: int) -> bool:
    if expectation == "allowed":
        return status not in (401, 403) and status < 500
    if expectation == "allowed-not-404":
        return status not in (401, 403, 404) and status < 500
    return status == int(expectation)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_route_has_an_access_rule_and_keeps_it(server_client):
    routes = sorted({(method, path) for method, path, _ in iter_routes(server_client.app.routes)})
    undeclared = [route for route in routes if route not in ACCESS_RULES]
    assert not undeclared, f"routes without an access rule in ACCESS_RULES: {undeclared}"
    stale = [route for route in ACCESS_RULES if route not in routes]
    assert not stale, f"rules for routes that no longer exist: {stale}"

    world = World(server_client)
    failures = []
    for method, template in routes:
        rule = ACCESS_RULES[(method, template)]
        for who in CALLERS:
            if who in (HR, ADMIN, OTHER_HR, OTHER_ADMIN) and template == "/api/v1/auth/logout":
                headers = {
                    "Authorization": f"Bearer {login(server_client, world.caller(who).email)['access_token']}"
                }  # type: ignore[union-attr]
            else:
                caller = world.caller(who)
                headers = dict(caller.headers) if caller else {}
            path = world.path(template, rule)
            kwargs: dict[str, Any] = {"headers": {**headers, **rule.headers}, "params": rule.query}
            if rule.body is not None:
                kwargs["json"] = rule.body(who) if callable(rule.body) else rule.body
            response = server_client.request(method, path, **kwargs)
            want = expected(rule, who, template)
            if not outcome_matches(want, response.status_code):
                failures.append(
                    f"{method} {template} as {who}: got {response.status_code}, want {want}: {response.text[:120]}"
                )
    assert not failures, "\n".join(failures)
