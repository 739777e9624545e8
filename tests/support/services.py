"""Real PostgreSQL and Redis for tests: a database of our own per run, a key prefix of our own.

With CI=true an unreachable service FAILS the test; on a laptop it skips with the reason.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ADMIN_URLS = [
    os.environ.get("TEST_POSTGRES_ADMIN_URL", ""),
    "postgresql://postgres@127.0.0.1:5432/postgres",
    "postgresql://root@127.0.0.1:5432/postgres",
]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def unavailable(what: str, why: object) -> None:
    message = f"{what} is not reachable ({why})"
    if IN_CI:
        pytest.fail(f"{message}; CI needs it", pytrace=False)
    pytest.skip(message)


def _admin_connection():  # type: ignore[no-untyped-def]
    import psycopg

    errors = []
    for url in filter(None, ADMIN_URLS):
        try:
            return psycopg.connect(url, autocommit=True, connect_timeout=3), url
        except psycopg.OperationalError as exc:
            errors.append(f"{url.split('@')[-1]}: {str(exc).strip().splitlines()[0]}")
    unavailable("PostgreSQL", "; ".join(errors))
    raise AssertionError("unreachable")


@contextmanager
def temporary_postgres_database() -> Iterator[str]:
    """Create a fresh database, yield its SQLAlchemy URL, drop it afterwards."""
    connection, admin_url = _admin_connection()
    name = f"interview_test_{uuid.uuid4().hex[:12]}"
    with connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    finally:
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def redis_namespace() -> Iterator[tuple[str, str]]:
    """Yield (url, key prefix); every key under the prefix is deleted afterwards."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        unavailable("Redis", exc)
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    try:
        yield REDIS_URL, prefix
    finally:
        for key in client.scan_iter(match=f"{prefix}*", count=1000):
            client.delete(key)
        client.close()
