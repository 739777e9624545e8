"""Fixtures and helpers for sync-server tests: a migrated database per backend (SQLite, PostgreSQL),
a fresh app per test on it, and tenants (organization + admin + hr) signed in through the real API.

Registered as a pytest plugin in tests/conftest.py, so any test can ask for `server_client` etc.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sync_server import migrate
from sync_server.app import create_app
from sync_server.config import ServerSettings
from sync_server.contract import Role
from sync_server.db import build_engine

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
PASSWORD = "correct horse battery staple"


@dataclass
class Caller:
    """Someone calling the API: headers to send, and who they are."""

    headers: dict[str, str]
    id: str
    organization_id: str
    email: str = ""
    password: str = ""
    tokens: dict[str, str] = field(default_factory=dict)


@dataclass
class Tenant:
    organization_id: str
    name: str
    admin: Caller
    hr: Caller


def migrated_settings(data_dir: Path, database_url: str | None, **overrides: object) -> ServerSettings:
    settings = ServerSettings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=TEST_SECRET,
        **overrides,  # type: ignore[arg-type]
    )
    engine = build_engine(settings)
    try:
        migrate.upgrade(engine, "head")
    finally:
        engine.dispose()
    return settings


@pytest.fixture(scope="session")
def sqlite_server_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated embedded (SQLite) data directory shared by the session's tests."""
    path = tmp_path_factory.mktemp("server-sqlite")
    migrated_settings(path, None)
    return path


@pytest.fixture(scope="session")
def postgres_server_url(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    migrated_settings(tmp_path_factory.mktemp("server-pg"), postgres_url)
    return postgres_url


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def server_settings(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> ServerSettings:
    """Settings on the migrated database of `backend` (embedded: in-process limiter/cache/queue)."""
    if backend == "postgres":
        url = request.getfixturevalue("postgres_server_url")
        return ServerSettings(data_dir=tmp_path, database_url=url, secret_key=TEST_SECRET)  # type: ignore[arg-type]
    data_dir = request.getfixturevalue("sqlite_server_dir")
    return ServerSettings(data_dir=data_dir, secret_key=TEST_SECRET)  # type: ignore[arg-type]


@pytest.fixture
def server_client(server_settings: ServerSettings) -> Iterator[TestClient]:
    with TestClient(create_app(server_settings)) as client:
        yield client


def unique(word: str) -> str:
    return f"{word}-{uuid.uuid4().hex[:8]}"


def login(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    body: dict[str, str] = response.json()
    return body


def make_tenant(client: TestClient, name: str | None = None) -> Tenant:
    """An organization with an admin and an hr user, both signed in through the API."""
    from sync_server.organizations import service

    name = name or unique("Org")
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        org = service.create_organization(session, name=name, slug=unique("org"))
        admin = service.create_user(
            session,
            organization_id=org.id,
            email=f"{unique('admin')}@example.org",
            password=PASSWORD,
            role=Role.admin,
        )
        hr = service.create_user(
            session,
            organization_id=org.id,
            email=f"{unique('hr')}@example.org",
            password=PASSWORD,
            role=Role.hr,
        )
        ids = (org.id, admin.id, admin.email, hr.id, hr.email)
    org_id, admin_id, admin_email, hr_id, hr_email = ids
    callers = []
    for user_id, email in ((admin_id, admin_email), (hr_id, hr_email)):
        tokens = login(client, email)
        callers.append(
            Caller(
                headers={"Authorization": f"Bearer {tokens['access_token']}"},
                id=user_id,
                organization_id=org_id,
                email=email,
                password=PASSWORD,
                tokens=tokens,
            )
        )
    return Tenant(organization_id=org_id, name=name, admin=callers[0], hr=callers[1])


def enroll_station(client: TestClient, tenant: Tenant, name: str = "Kiosk") -> Caller:
    code = client.post(
        "/api/v1/stations/enrollment-codes", json={"station_name": name}, headers=tenant.admin.headers
    )
    assert code.status_code == 201, code.text
    enrolled = client.post(
        "/api/v1/stations/enroll", json={"enrollment_code": code.json()["enrollment_code"]}
    )
    assert enrolled.status_code == 201, enrolled.text
    body = enrolled.json()
    return Caller(
        headers={"Authorization": f"Bearer {body['credential']}"},
        id=body["station_id"],
        organization_id=tenant.organization_id,
    )


def make_question_set(client: TestClient, caller: Caller, questions: int = 2) -> dict[str, object]:
    response = client.post(
        "/api/v1/question-sets",
        json={
            "name": unique("Set"),
            "questions": [
                {
                    "text": f"Question {i}?",
                    "type": "behavioral",
                    "key_points": ["a point"],
                    "answer_seconds": 60,
                }
                for i in range(1, questions + 1)
            ],
        },
        headers=caller.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def make_candidate(client: TestClient, caller: Caller, job_id: str | None = None) -> dict[str, object]:
    data = {"full_name": "Ada Lovelace", "email": f"{unique('ada')}@example.org"}
    if job_id:
        data["job_id"] = job_id
    response = client.post("/api/v1/candidates", data=data, headers=caller.headers)
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def make_invite(client: TestClient, caller: Caller) -> dict[str, str]:
    """A question set, a candidate and an invite; returns the invite with its access code."""
    question_set = make_question_set(client, caller)
    candidate = make_candidate(client, caller)
    response = client.post(
        "/api/v1/invites",
        json={"candidate_id": candidate["id"], "question_set_id": question_set["id"]},
        headers=caller.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, str] = response.json()
    return body


class LiveClient:
    """An httpx client to a server running elsewhere, shaped like TestClient for the helpers above:
    `.app.state.db` is a Database on the same database as the server."""

    def __init__(self, base_url: str, settings: ServerSettings) -> None:
        from types import SimpleNamespace

        import httpx

        from sync_server.db import Database

        self.database = Database(settings)
        self.app = SimpleNamespace(state=SimpleNamespace(db=self.database))
        self._client = httpx.Client(base_url=base_url, timeout=30)

    def __getattr__(self, name: str) -> object:
        return getattr(self._client, name)

    def close(self) -> None:
        self._client.close()
        self.database.dispose()


def make_answered_interview(client: TestClient, tenant: Tenant) -> dict[str, str]:
    """An interview opened at a station of `tenant` with one recorded answer (a Response row, no media)."""
    from sync_server.models import Response, new_id

    station = enroll_station(client, tenant)
    invite = make_invite(client, tenant.hr)
    plan = client.post(
        "/api/v1/station/sessions", json={"access_code": invite["access_code"]}, headers=station.headers
    )
    assert plan.status_code == 200, plan.text
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        row = Response(
            organization_id=tenant.organization_id,
            interview_id=invite["interview_id"],
            question_id=plan.json()["questions"][0]["id"],
            attempt=1,
            client_answer_id=new_id(),
        )
        session.add(row)
        session.flush()
        response_id = row.id
    return {"interview_id": invite["interview_id"], "response_id": response_id, "station_id": station.id}
