"""The session's crash journal, in the station database (part "session").

Every step that must survive a crash is one durable SQLite commit: where the interview is, and
each attempt's life (recording -> recorded -> kept -> delivered, or discarded / interrupted). A
partial unique index allows at most one kept answer per question, so no crash window can make a
question's answer be recorded or delivered twice.
"""

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop_app.store.database import ensure_schema, open_station_db
from sync_server.contract import InterviewPlan, Transcript
from sync_server.contract.transcript import stored_transcript

SCHEMA_PART = "session"
SCHEMA_STEPS = [
    """
    CREATE TABLE session_interviews (
        journal_key TEXT PRIMARY KEY,
        interview_id TEXT NOT NULL,
        plan_sha256 TEXT NOT NULL,
        status TEXT NOT NULL,
        question_index INTEGER NOT NULL DEFAULT 0,
        consent_version TEXT,
        consent_at TEXT,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        finished_at TEXT
    );
    CREATE TABLE session_attempts (
        answer_id TEXT PRIMARY KEY,
        journal_key TEXT NOT NULL REFERENCES session_interviews (journal_key),
        question_id TEXT NOT NULL,
        question_index INTEGER NOT NULL,
        attempt INTEGER NOT NULL,
        status TEXT NOT NULL,
        media_path TEXT NOT NULL,
        media_sha256 TEXT,
        duration_seconds REAL,
        metrics_json TEXT,
        transcript_json TEXT,
        error TEXT,
        started_at TEXT NOT NULL,
        recorded_at TEXT
    );
    CREATE INDEX ix_session_attempts_question ON session_attempts (journal_key, question_index);
    CREATE UNIQUE INDEX ux_session_attempts_one_kept ON session_attempts (journal_key, question_id)
        WHERE status IN ('kept', 'delivered')
    """,
    # The plan itself, so a restarted kiosk can resume offline without asking the server again.
    "ALTER TABLE session_interviews ADD COLUMN plan_json TEXT",
    # What the kiosk must restore after a crash so the candidate barely notices: their screen
    # choices (contrast, text size) and the device check they already passed.
    "ALTER TABLE session_interviews ADD COLUMN kiosk_json TEXT",
]

ACTIVE, FINISHED, CANCELLED = "active", "finished", "cancelled"
COUNTED = ("recorded", "kept", "delivered", "discarded")  # attempts a candidate has used


def _now() -> str:
    return datetime.now(UTC).isoformat()


@dataclass(frozen=True)
class JournaledInterview:
    journal_key: str
    interview_id: str
    plan_sha256: str
    status: str
    question_index: int
    consent_at: str | None


@dataclass(frozen=True)
class JournaledAttempt:
    answer_id: str
    question_id: str
    question_index: int
    attempt: int
    status: str
    media_path: Path
    media_sha256: str | None
    duration_seconds: float | None
    metrics: dict[str, Any]
    transcript: Transcript | None
    error: str | None
    recorded_at: str | None


class SessionJournal:
    """Durable progress of interviews on this station. Thread-safe."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._lock = threading.Lock()
        ensure_schema(connection, SCHEMA_PART, SCHEMA_STEPS)

    @classmethod
    def open(cls, path: Path) -> "SessionJournal":
        return cls(open_station_db(path))

    def close(self) -> None:
        """Close the database under the lock (see Outbox.close): later calls raise, never crash."""
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    # --- interviews --------------------------------------------------------------------------

    def interview(self, journal_key: str) -> JournaledInterview | None:
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM session_interviews WHERE journal_key = ?", (journal_key,)
            ).fetchone()
        if row is None:
            return None
        return JournaledInterview(
            row["journal_key"],
            row["interview_id"],
            row["plan_sha256"],
            row["status"],
            int(row["question_index"]),
            row["consent_at"],
        )

    def begin_interview(
        self, journal_key: str, *, interview_id: str, plan_sha256: str, plan: InterviewPlan | None = None
    ) -> JournaledInterview:
        """Start journaling an interview, or return the journal of the one already started."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO session_interviews (journal_key, interview_id, plan_sha256, plan_json, status,"
                " started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (journal_key) DO NOTHING",
                (
                    journal_key,
                    interview_id,
                    plan_sha256,
                    plan.model_dump_json() if plan is not None else None,
                    ACTIVE,
                    _now(),
                    _now(),
                ),
            )
        found = self.interview(journal_key)
        assert found is not None
        return found

    def unfinished(self) -> list[tuple[str, InterviewPlan]]:
        """(journal key, plan) of interviews a crash or power cut interrupted, oldest first.

        A kiosk calls this on start: running `InterviewSession` again with that plan and key
        resumes at the interrupted question.
        """
        with self._lock:
            rows = self._db.execute(
                "SELECT journal_key, plan_json FROM session_interviews WHERE status = ? AND plan_json IS NOT NULL"
                " ORDER BY started_at",
                (ACTIVE,),
            ).fetchall()
        return [(row["journal_key"], InterviewPlan.model_validate_json(row["plan_json"])) for row in rows]

    def kiosk_state(self, journal_key: str) -> dict[str, Any]:
        """The kiosk's saved choices for this interview ({} when none were saved)."""
        with self._lock:
            row = self._db.execute(
                "SELECT kiosk_json FROM session_interviews WHERE journal_key = ?", (journal_key,)
            ).fetchone()
        if row is None or not row["kiosk_json"]:
            return {}
        try:
            state = json.loads(row["kiosk_json"])
        except ValueError:
            return {}  # a damaged note only costs the candidate a repeated choice, never the interview
        return state if isinstance(state, dict) else {}

    def update_kiosk_state(self, journal_key: str, **values: Any) -> None:
        """Merge `values` (JSON-able) into the kiosk's saved choices, in one durable commit."""
        with self._transaction() as db:
            row = db.execute(
                "SELECT kiosk_json FROM session_interviews WHERE journal_key = ?", (journal_key,)
            ).fetchone()
            if row is None:
                raise KeyError(journal_key)
            try:
                state = json.loads(row["kiosk_json"]) if row["kiosk_json"] else {}
            except ValueError:
                state = {}
            state.update(values)
            db.execute(
                "UPDATE session_interviews SET kiosk_json = ?, updated_at = ? WHERE journal_key = ?",
                (json.dumps(state), _now(), journal_key),
            )

    def answers_not_yet_queued(self) -> int:
        """Answers of running interviews recorded (or being recorded) but not handed to the outbox yet."""
        with self._lock:
            row = self._db.execute(
                "SELECT count(*) AS n FROM session_attempts a JOIN session_interviews i USING (journal_key)"
                " WHERE i.status = ? AND i.journal_key NOT LIKE 'practice:%'"
                " AND a.status IN ('recording', 'recorded', 'kept')",
                (ACTIVE,),
            ).fetchone()
        return int(row["n"])

    def record_consent(self, journal_key: str, version: str) -> None:
        self._set_interview(journal_key, "consent_version = ?, consent_at = ?", version, _now())

    def set_status(self, journal_key: str, status: str) -> None:
        finished = _now() if status in (FINISHED, CANCELLED) else None
        self._set_interview(journal_key, "status = ?, finished_at = ?", status, finished)

    def _set_interview(self, journal_key: str, assignments: str, *values: object) -> None:
        with self._transaction() as db:
            db.execute(
                f"UPDATE session_interviews SET {assignments}, updated_at = ? WHERE journal_key = ?",  # noqa: S608  fixed column lists
                (*values, _now(), journal_key),
            )

    # --- attempts ----------------------------------------------------------------------------

    def attempts(self, journal_key: str, question_index: int) -> list[JournaledAttempt]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM session_attempts WHERE journal_key = ? AND question_index = ? ORDER BY attempt, started_at",
                (journal_key, question_index),
            ).fetchall()
        return [_attempt(row) for row in rows]

    def all_attempts(self, journal_key: str) -> list[JournaledAttempt]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM session_attempts WHERE journal_key = ? ORDER BY question_index, attempt",
                (journal_key,),
            ).fetchall()
        return [_attempt(row) for row in rows]

    def attempts_used(self, journal_key: str, question_index: int) -> int:
        return sum(a.status in COUNTED for a in self.attempts(journal_key, question_index))

    def start_attempt(
        self,
        journal_key: str,
        *,
        answer_id: str,
        question_id: str,
        question_index: int,
        attempt: int,
        media_path: Path,
    ) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO session_attempts (answer_id, journal_key, question_id, question_index, attempt, status,"
                " media_path, started_at) VALUES (?, ?, ?, ?, ?, 'recording', ?, ?)",
                (answer_id, journal_key, question_id, question_index, attempt, str(media_path), _now()),
            )

    def attempt_recorded(
        self,
        answer_id: str,
        *,
        media_sha256: str,
        duration_seconds: float,
        metrics: dict[str, Any],
        transcript: Transcript | None,
        error: str | None,
    ) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE session_attempts SET status = 'recorded', media_sha256 = ?, duration_seconds = ?,"
                " metrics_json = ?, transcript_json = ?, error = ?, recorded_at = ? WHERE answer_id = ?",
                (
                    media_sha256,
                    duration_seconds,
                    json.dumps(metrics),
                    transcript.model_dump_json() if transcript is not None else None,
                    error,
                    _now(),
                    answer_id,
                ),
            )

    def attempt_transcribed(self, answer_id: str, transcript: Transcript) -> JournaledAttempt | None:
        """Store a transcript that finished after its answer was recorded; returns the attempt as it is now.

        Only a recorded, kept or delivered attempt takes it (a discarded one stays without).
        """
        with self._transaction() as db:
            db.execute(
                "UPDATE session_attempts SET transcript_json = ? WHERE answer_id = ?"
                " AND status IN ('recorded', 'kept', 'delivered')",
                (transcript.model_dump_json(), answer_id),
            )
            row = db.execute("SELECT * FROM session_attempts WHERE answer_id = ?", (answer_id,)).fetchone()
        return _attempt(row) if row is not None else None

    def attempt(self, answer_id: str) -> JournaledAttempt | None:
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM session_attempts WHERE answer_id = ?", (answer_id,)
            ).fetchone()
        return _attempt(row) if row is not None else None

    def set_attempt_status(self, answer_id: str, status: str) -> None:
        with self._transaction() as db:
            db.execute("UPDATE session_attempts SET status = ? WHERE answer_id = ?", (status, answer_id))

    def keep_attempt(self, answer_id: str) -> None:
        """The candidate keeps this answer (no more retakes). At most one per question, ever."""
        self.set_attempt_status(answer_id, "kept")

    def attempt_delivered(self, journal_key: str, answer_id: str, *, next_question_index: int) -> None:
        """The answer sink has the answer durably: move the interview on, in the same commit."""
        with self._transaction() as db:
            db.execute("UPDATE session_attempts SET status = 'delivered' WHERE answer_id = ?", (answer_id,))
            db.execute(
                "UPDATE session_interviews SET question_index = ?, updated_at = ? WHERE journal_key = ?",
                (next_question_index, _now(), journal_key),
            )

    def skip_question(self, journal_key: str, *, next_question_index: int) -> None:
        self._set_interview(journal_key, "question_index = ?", next_question_index)


def _attempt(row: sqlite3.Row) -> JournaledAttempt:
    return JournaledAttempt(
        answer_id=row["answer_id"],
        question_id=row["question_id"],
        question_index=int(row["question_index"]),
        attempt=int(row["attempt"]),
        status=row["status"],
        media_path=Path(row["media_path"]),
        media_sha256=row["media_sha256"],
        duration_seconds=row["duration_seconds"],
        metrics=json.loads(row["metrics_json"]) if row["metrics_json"] else {},
        transcript=stored_transcript(row["transcript_json"]) if row["transcript_json"] else None,
        error=row["error"],
        recorded_at=row["recorded_at"],
    )
