"""Rate limits hold across server processes: two uvicorn processes share their counters in Redis."""

import socket

import pytest

from sync_server.config import ServerSettings
from tests.support.server import TEST_SECRET, LiveClient, enroll_station, make_tenant
from tests.support.server_process import ServerProcess, server_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory, postgres_server_url, redis_config):
    """Two server processes for the module (each test uses its own tenant and station)."""
    tmp_path = tmp_path_factory.mktemp("two-servers")
    redis_url, prefix = redis_config
    prefix = f"{prefix}two:"
    env = server_env(
        data_dir=tmp_path,
        database_url=postgres_server_url,
        redis_url=redis_url,
        prefix=prefix,
        secret=TEST_SECRET,
    )
    env["INTERVIEW_SERVER_API_RATE_LIMIT"] = "12/minute"
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    servers = [ServerProcess(_free_port(), env) for _ in range(2)]
    try:
        for server in servers:
            server.wait_ready()
        settings = ServerSettings(
            data_dir=tmp_path,
            database_url=postgres_server_url,
            redis_url=redis_url,
            redis_key_prefix=prefix,
            secret_key=TEST_SECRET,
        )  # type: ignore[arg-type]
        clients = [LiveClient(server.url, settings) for server in servers]
        yield clients
        for client in clients:
            client.close()
    finally:
        for server in servers:
            server.stop()


def test_limits_are_shared_by_two_server_processes(two_servers):
    first, second = two_servers
    tenant = make_tenant(first)  # type: ignore[arg-type]

    # Failed sign-ins alternate between the processes; the account slows down after five in total.
    statuses = [
        (first if i % 2 == 0 else second)
        .post("/api/v1/auth/login", json={"email": tenant.hr.email, "password": "wrong password!"})
        .status_code
        for i in range(6)
    ]
    assert statuses == [401] * 5 + [429]

    # Wrong access codes from one station, alternating processes: ten, then locked.
    station = enroll_station(first, tenant)  # type: ignore[arg-type]
    codes = [
        (first if i % 2 == 0 else second)
        .post("/api/v1/station/sessions", json={"access_code": "NOPE-NOPE"}, headers=station.headers)
        .status_code
        for i in range(11)
    ]
    assert codes == [404] * 10 + [429]

    # The per-user API budget (12/minute here) is one budget across both processes (hr has not spent any).
    answers = [
        (first if i % 2 == 0 else second).get("/api/v1/jobs", headers=tenant.hr.headers).status_code
        for i in range(14)
    ]
    assert answers.count(200) == 12, answers
    assert answers[12:] == [429, 429]


def test_metrics_add_up_across_processes(two_servers):
    first, second = two_servers

    def healthz_count() -> float:
        text = second.get("/metrics").text
        return sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("http_requests_total{") and 'route="/healthz"' in line
        )

    before = healthz_count()
    for client in (first, first, second):
        assert client.get("/healthz").status_code == 200
    assert healthz_count() - before == 3  # two answered by the first process, one by the second
