"""The station database: one SQLite file in WAL mode, shared by the outbox and the session journal.

Each part of the engine owns its tables and declares them as numbered schema steps; `ensure_schema`
applies the steps it has not applied yet, so parts evolve independently.
"""

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

from desktop_app.errors import StationError

_SCHEMA_LOCK = threading.Lock()


class StoreError(StationError):
    """The station's local database could not be used."""


def open_station_db(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the station database with durable settings.

    synchronous=FULL: a committed answer survives power loss; that is worth the fsync per commit.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("PRAGMA busy_timeout=10000")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_steps (part TEXT PRIMARY KEY, applied INTEGER NOT NULL)"
        )
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"The station database {path} could not be opened ({exc}).",
            fix="Check the disk; if the file is damaged, move it aside (answers not yet sent are in its media folder).",
        ) from None
    return connection


def ensure_schema(connection: sqlite3.Connection, part: str, steps: Sequence[str]) -> None:
    """Apply `steps[n:]` for `part`, where n steps were applied before; each step in its own transaction."""
    with _SCHEMA_LOCK:
        row = connection.execute("SELECT applied FROM schema_steps WHERE part = ?", (part,)).fetchone()
        if row is not None and int(row["applied"]) >= len(steps):
            return  # up to date: the usual case, without taking the write lock
        for number, statement in enumerate(steps, start=1):
            # Read what is applied inside the write lock: another process (the kiosk and the `sync`
            # command) may be upgrading the same file, and must not apply a step twice.
            connection.execute("BEGIN IMMEDIATE")
            try:
                row = connection.execute(
                    "SELECT applied FROM schema_steps WHERE part = ?", (part,)
                ).fetchone()
                if row is not None and int(row["applied"]) >= number:
                    connection.execute("COMMIT")
                    continue
                for single in filter(None, (s.strip() for s in statement.split(";"))):
                    connection.execute(single)
                connection.execute(
                    "INSERT INTO schema_steps (part, applied) VALUES (?, ?) "
                    "ON CONFLICT(part) DO UPDATE SET applied = excluded.applied",
                    (part, number),
                )
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
