"""Background jobs: retries with backoff, the dead-letter list and its retry API, scheduled jobs —
in process (embedded) and through Redis with `interview-server worker`."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sync_server.app import create_app
from sync_server.config import ServerSettings
from sync_server.db import Database
from sync_server.models import Interview, Invite, utcnow
from sync_server.worker import JobQueue, job, registered_jobs
from sync_server.worker.modules import import_job_modules
from sync_server.worker.scheduler import Scheduler
from tests.support.server import TEST_SECRET, make_invite, make_tenant

BIN = Path(sys.executable).parent
CALLS: dict[str, list[dict[str, object]]] = {}
FAILURES_LEFT: dict[str, int] = {}


@job(
    "tests.flaky",
    max_retries=3,
    min_backoff=timedelta(milliseconds=10),
    max_backoff=timedelta(milliseconds=50),
)
def flaky(ctx, *, key: str, organization_id: str | None = None) -> None:
    CALLS.setdefault(key, []).append({"at": time.monotonic()})
    if FAILURES_LEFT.get(key, 0) > 0:
        FAILURES_LEFT[key] -= 1
        raise RuntimeError(f"planned failure for {key}")


def wait_until(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_embedded_jobs_retry_then_succeed(server_client):
    FAILURES_LEFT["retry-ok"] = 2
    server_client.app.state.queue.enqueue("tests.flaky", key="retry-ok")
    wait_until(lambda: len(CALLS.get("retry-ok", [])) == 3)
    calls = CALLS["retry-ok"]
    assert calls[1]["at"] > calls[0]["at"]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_dead_letters_are_listed_and_retried_by_admins(server_client):
    tenant = make_tenant(server_client)
    other = make_tenant(server_client)
    FAILURES_LEFT["dead"] = 100
    server_client.app.state.queue.enqueue("tests.flaky", key="dead", organization_id=tenant.organization_id)

    def listed():
        page = server_client.get(
            "/api/v1/admin/jobs/dead", params={"job_name": "tests.flaky"}, headers=tenant.admin.headers
        )
        return [j for j in page.json()["items"] if j["arguments"].get("key") == "dead"]

    wait_until(lambda: bool(listed()))
    assert len(CALLS["dead"]) == 4  # the first try and three retries
    dead = listed()[0]
    assert dead["attempts"] == 4
    assert "planned failure for dead" in dead["error"]
    foreign = server_client.get("/api/v1/admin/jobs/dead", headers=other.admin.headers).json()
    assert dead["id"] not in {j["id"] for j in foreign["items"]}
    assert server_client.get("/api/v1/admin/jobs/dead", headers=tenant.hr.headers).status_code == 403
    assert (
        server_client.post(
            f"/api/v1/admin/jobs/dead/{dead['id']}/retry", headers=other.admin.headers
        ).status_code
        == 404
    )

    FAILURES_LEFT["dead"] = 0
    retried = server_client.post(f"/api/v1/admin/jobs/dead/{dead['id']}/retry", headers=tenant.admin.headers)
    assert retried.status_code == 200
    assert retried.json()["retried_at"] is not None
    wait_until(lambda: len(CALLS["dead"]) == 5)


def test_scheduled_jobs_claim_each_slot_once_across_processes(tmp_path, redis_config):
    redis_url, prefix = redis_config
    settings = ServerSettings(
        data_dir=tmp_path, redis_url=redis_url, redis_key_prefix=prefix, secret_key=TEST_SECRET
    )  # type: ignore[arg-type]
    database = Database(settings)
    import_job_modules()
    queues = [JobQueue(settings, database) for _ in range(2)]
    try:
        schedulers = [Scheduler(q) for q in queues]
        now = time.time()
        first = schedulers[0].tick(now)
        second = schedulers[1].tick(now)
        assert set(first) >= {"auth.purge_expired_credentials", "invites.expire_unused"}
        assert second == []  # the other worker already claimed this slot
        later = schedulers[1].tick(now + 601)
        assert "invites.expire_unused" in later
        for scheduler in schedulers:
            scheduler._redis.close()  # type: ignore[union-attr]
    finally:
        for q in queues:
            q.stop()
        database.dispose()


def test_worker_command_runs_jobs_from_redis(tmp_path, postgres_server_url, redis_config):
    """An expired invite's interview is expired by the worker process, enqueued from the API side."""
    redis_url, prefix = redis_config
    env = {
        **os.environ,
        "INTERVIEW_SERVER_DATA_DIR": str(tmp_path),
        "DATABASE_URL": postgres_server_url,
        "REDIS_URL": redis_url,
        "INTERVIEW_SERVER_REDIS_KEY_PREFIX": prefix,
        "INTERVIEW_SERVER_SECRET_KEY": TEST_SECRET,
    }
    settings = ServerSettings(
        data_dir=tmp_path,
        database_url=postgres_server_url,
        redis_url=redis_url,
        redis_key_prefix=prefix,
        secret_key=TEST_SECRET,
    )  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        assert not client.app.state.queue.in_process
        tenant = make_tenant(client)
        invite = make_invite(client, tenant.hr)
        with client.app.state.db.session() as session:
            row = session.get(Invite, invite["id"])
            row.expires_at = utcnow() - timedelta(minutes=1)
        worker = subprocess.Popen(
            [str(BIN / "interview-server"), "worker", "--threads", "1", "--no-schedule"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            client.app.state.queue.enqueue("invites.expire_unused")

            def expired() -> bool:
                with client.app.state.db.session() as session:
                    status = session.scalar(
                        select(Interview.status).where(Interview.id == invite["interview_id"])
                    )
                return status == "expired"

            wait_until(expired, timeout=60)
        finally:
            worker.terminate()
            output = worker.communicate(timeout=30)[0]
        assert worker.returncode == 0, output
        assert "invites.expire_unused" in output


def test_worker_without_redis_explains_embedded_mode(tmp_path):
    env = {**os.environ, "INTERVIEW_SERVER_DATA_DIR": str(tmp_path)}
    out = subprocess.run(
        [str(BIN / "interview-server"), "worker"], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 2
    assert "needs REDIS_URL" in out.stderr


def test_every_registered_job_has_a_unique_name():
    import_job_modules()
    names = list(registered_jobs())
    assert len(names) == len(set(names))
    assert {"auth.purge_expired_credentials", "invites.expire_unused", "interviews.expire_abandoned"} <= set(
        names
    )
