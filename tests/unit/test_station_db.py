import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from desktop_app.store.database import ensure_schema, open_station_db


def test_station_db_is_durable_wal(tmp_path):
    connection = open_station_db(tmp_path / "station.db")
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_schema_steps_apply_once_and_in_order(tmp_path):
    path = tmp_path / "station.db"
    steps = ["CREATE TABLE a (x INTEGER)", "ALTER TABLE a ADD COLUMN y TEXT; CREATE INDEX ix_a_y ON a (y)"]
    ensure_schema(open_station_db(path), "part", steps[:1])
    connection = open_station_db(path)
    ensure_schema(connection, "part", steps)
    ensure_schema(connection, "part", steps)
    columns = [row[1] for row in connection.execute("PRAGMA table_info(a)")]
    assert columns == ["x", "y"]


def test_failed_step_leaves_nothing_half_applied(tmp_path):
    connection = open_station_db(tmp_path / "station.db")
    with pytest.raises(sqlite3.OperationalError):
        ensure_schema(connection, "part", ["CREATE TABLE b (x INTEGER); CREATE TABLE b (x INTEGER)"])
    assert connection.execute("SELECT name FROM sqlite_master WHERE name = 'b'").fetchone() is None
    assert connection.execute("SELECT applied FROM schema_steps WHERE part = 'part'").fetchone() is None


def _upgrade_together(path: str, barrier) -> None:  # type: ignore[no-untyped-def]
    connection = open_station_db(Path(path))
    barrier.wait()
    ensure_schema(connection, "part", UPGRADE_STEPS)


UPGRADE_STEPS = [
    "CREATE TABLE a (x INTEGER)",
    "ALTER TABLE a ADD COLUMN y TEXT",
    "ALTER TABLE a ADD COLUMN z TEXT",
]


def test_processes_upgrading_one_old_database_at_once_apply_each_step_once(tmp_path):
    path = tmp_path / "station.db"
    ensure_schema(open_station_db(path), "part", UPGRADE_STEPS[:1])  # an old station database
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(4)
    workers = [context.Process(target=_upgrade_together, args=(str(path), barrier)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    connection = open_station_db(path)
    assert [row[1] for row in connection.execute("PRAGMA table_info(a)")] == ["x", "y", "z"]
