"""/metrics (request counts and latency by route template, DB pool gauges) and logs without secrets."""

import json

import pytest
from fastapi.testclient import TestClient

from sync_server.app import create_app
from tests.support.server import PASSWORD, enroll_station, make_invite, make_tenant


def _sample(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_by_route_template_and_status(server_client):
    tenant = make_tenant(server_client)
    for _ in range(3):
        server_client.get("/api/v1/jobs/does-not-exist", headers=tenant.hr.headers)
    server_client.get("/api/v1/jobs", headers=tenant.hr.headers)
    text = server_client.get("/metrics").text
    labels = {"method": "GET", "route": "/api/v1/jobs/{job_id}", "status": "404"}
    assert _sample(text, "http_requests_total", **labels) == 3
    assert _sample(text, "http_request_duration_seconds_count", method="GET", route="/api/v1/jobs") == 1
    assert "does-not-exist" not in text  # raw paths never become labels
    assert "db_pool_checked_out" in text


@pytest.mark.parametrize("backend", ["postgres"])
def test_metrics_show_the_postgres_pool(server_client):
    text = server_client.get("/metrics").text
    assert "db_pool_size" in text
    assert _sample(text, "db_pool_checked_out") >= 0


@pytest.mark.parametrize("backend", ["sqlite"])
def test_logs_carry_no_passwords_tokens_or_access_codes(server_settings, capsys):
    # The app is built here so its log output goes to the stream capsys captures.
    with TestClient(create_app(server_settings)) as server_client:
        _exercise_secrets(server_client, capsys)


def _exercise_secrets(server_client, capsys):
    tenant = make_tenant(server_client)
    station = enroll_station(server_client, tenant)
    invite = make_invite(server_client, tenant.hr)
    code = invite["access_code"]
    server_client.post("/api/v1/station/sessions", json={"access_code": code}, headers=station.headers)
    server_client.post(
        "/api/v1/station/sessions", json={"access_code": "WRONG-CODE-1"}, headers=station.headers
    )
    server_client.post("/api/v1/auth/login", json={"email": tenant.hr.email, "password": "a wrong password"})
    logged = capsys.readouterr().err
    lines = [json.loads(line) for line in logged.splitlines() if line.startswith("{")]
    assert any(line.get("event") == "request" for line in lines)
    secrets = [
        PASSWORD,
        "a wrong password",
        code,
        code.replace("-", ""),
        "WRONG-CODE-1",
        tenant.hr.tokens["access_token"],
        tenant.hr.tokens["refresh_token"],
        station.headers["Authorization"].split()[1],
    ]
    for secret in secrets:
        assert secret not in logged
