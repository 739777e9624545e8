"""The server's wiring: health, readiness, migrations, error shape, request ids — on SQLite and PostgreSQL."""

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect

from sync_server import migrate
from sync_server.app import create_app
from sync_server.config import ServerSettings
from sync_server.db import build_engine


def _client(**env: str) -> TestClient:
    settings = ServerSettings(**env)  # type: ignore[arg-type]
    return TestClient(create_app(settings))


def test_healthz_and_readyz_on_embedded_sqlite(tmp_path):
    with _client(data_dir=str(tmp_path)) as client:
        assert client.get("/healthz").json()["status"] == "ok"
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["checks"]["database"] == "ok"
        assert ready.json()["checks"]["redis"].startswith("not configured")


def test_readyz_on_postgres_and_redis(tmp_path, postgres_url, redis_config):
    redis_url, _ = redis_config
    with _client(data_dir=str(tmp_path), database_url=postgres_url, redis_url=redis_url) as client:
        body = client.get("/readyz").json()
        assert body == {"status": "ready", "checks": {"database": "ok", "redis": "ok"}}


def test_readyz_reports_unreachable_redis_as_503(tmp_path):
    with _client(data_dir=str(tmp_path), redis_url="redis://127.0.0.1:1/0") as client:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["checks"]["redis"].startswith("unreachable")


def test_unknown_route_uses_the_one_error_shape(tmp_path):
    with _client(data_dir=str(tmp_path)) as client:
        response = client.get("/api/v1/nope")
        assert response.status_code == 404
        assert set(response.json()) == {"error", "detail"}


def test_request_id_is_returned_and_logged(tmp_path, capsys):
    with _client(data_dir=str(tmp_path)) as client:
        response = client.get("/healthz", headers={"x-request-id": "abcdef123456"})
    assert response.headers["x-request-id"] == "abcdef123456"
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    request_lines = [line for line in lines if line.get("event") == "request"]
    assert request_lines[-1]["request_id"] == "abcdef123456"
    assert request_lines[-1]["status"] == 200
    assert request_lines[-1]["duration_ms"] >= 0


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_migrations_upgrade_from_empty_and_downgrade(tmp_path, backend, request):
    url = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    settings = ServerSettings(data_dir=tmp_path, database_url=url)  # type: ignore[arg-type]
    engine = build_engine(settings)
    try:
        migrate.upgrade(engine, "head")
        assert migrate.current_revision(engine) is not None
        assert "alembic_version" in inspect(engine).get_table_names()
        migrate.downgrade(engine, "base")
        assert migrate.current_revision(engine) is None
        migrate.upgrade(engine, "head")
    finally:
        engine.dispose()
