"""Schemathesis against the live server's OpenAPI, on SQLite and on PostgreSQL: generated requests for
every operation (bounded), signed in as an admin (and as a station for station routes). Zero 5xx, and
every response matches the documented status codes, content types and schemas."""

import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.configuration import set_hypothesis_home_dir
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sync_server.app import create_app
from sync_server.config import ServerSettings
from tests.support.server import (
    TEST_SECRET,
    enroll_station,
    login,
    make_invite,
    make_tenant,
    migrated_settings,
)

EXAMPLES_PER_OPERATION = 6
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# The tus protocol routes speak headers, not JSON; the tus conformance tests cover them.
SKIPPED_PREFIXES = ("/api/v1/uploads",)
SESSION_ENDING = {"/api/v1/auth/logout", "/api/v1/me/password"}


class LiveServer:
    def __init__(self, settings: ServerSettings, port: int) -> None:
        self.app = create_app(settings)
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(self.app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture(params=["sqlite", "postgres"])
def live_server(request, tmp_path, free_port) -> Iterator[LiveServer]:
    # PostgreSQL too: it refuses inputs SQLite stores (NUL in text), which were 500s there only.
    database_url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    migrated_settings(tmp_path, database_url)
    settings = ServerSettings(
        data_dir=tmp_path,
        database_url=database_url,
        secret_key=TEST_SECRET,
        api_rate_limit="100000/minute",
        station_rate_limit="100000/minute",
    )  # type: ignore[arg-type]
    with LiveServer(settings, free_port) as server:
        yield server


class _HttpxAdapter:
    """The seeding helpers take a TestClient-like object; this one talks HTTP to the live server."""

    def __init__(self, server: LiveServer) -> None:
        self.app = server.app
        self._client = httpx.Client(base_url=server.url, timeout=30)

    def __getattr__(self, name: str) -> object:
        return getattr(self._client, name)


def test_generated_requests_never_break_the_server_or_its_schema(live_server, tmp_path):
    set_hypothesis_home_dir(str(tmp_path / "hypothesis"))  # its caches stay out of the repository
    client = _HttpxAdapter(live_server)
    tenant = make_tenant(client)  # type: ignore[arg-type]
    station = enroll_station(client, tenant)  # type: ignore[arg-type]
    make_invite(client, tenant.hr)  # type: ignore[arg-type]
    schema = schemathesis.openapi.from_url(f"{live_server.url}/openapi.json")

    def fresh_headers() -> dict[str, str]:
        # Logout and password changes end the caller's session: each such request signs in anew.
        return {"Authorization": f"Bearer {login(client, tenant.admin.email)['access_token']}"}  # type: ignore[arg-type]

    failures: list[str] = []
    statuses: dict[int, int] = {}
    tested = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith(SKIPPED_PREFIXES):
            continue
        is_station_route = operation.path.startswith("/api/v1/station/") or operation.path.endswith(
            "/transcript"
        )
        headers = station.headers if is_station_route else tenant.admin.headers
        tested += 1

        run = _operation_test(operation, live_server.url, headers, fresh_headers, statuses)
        try:
            run()
        except (Exception, ExceptionGroup) as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
    assert tested >= 40
    # The run exercised both sides: requests that succeed and requests the server refused.
    assert sum(statuses.values()) >= tested * 2, statuses
    assert any(200 <= code < 300 for code in statuses), statuses
    assert any(400 <= code < 500 for code in statuses), statuses
    print("schemathesis statuses:", dict(sorted(statuses.items())))
    assert not failures, "\n\n".join(failures)


def _operation_test(operation, base_url, headers, fresh_headers, statuses):  # type: ignore[no-untyped-def]
    ends_session = operation.path in SESSION_ENDING

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:  # type: ignore[no-untyped-def]
        auth = fresh_headers() if ends_session else headers
        response = case.call_and_validate(base_url=base_url, headers=auth, checks=CHECKS)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    return run
