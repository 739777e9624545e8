"""The outbox: every finished answer, journaled until the server has confirmed it.

An answer row is written (in one durable SQLite commit) only after the recorder has fsync'ed its
media file. The sync loop walks the rows in the order they were added, records each step the server
confirms (upload location, response id, transcript stored), and only then may a media file be
deleted — and even then only after a retention period, so staff can still recover it by hand.
"""

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from desktop_app.store.answers import FinishedAnswer
from desktop_app.store.database import StoreError, ensure_schema, open_station_db
from sync_server.contract import Transcript
from sync_server.contract.transcript import stored_transcript

SCHEMA_PART = "outbox"
SCHEMA_STEPS = [
    """
    CREATE TABLE outbox_answers (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        answer_id TEXT NOT NULL UNIQUE,
        interview_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        media_path TEXT NOT NULL,
        media_sha256 TEXT NOT NULL,
        media_size INTEGER NOT NULL,
        duration_seconds REAL NOT NULL,
        recorded_at TEXT NOT NULL,
        metrics_json TEXT NOT NULL,
        transcript_json TEXT,
        upload_url TEXT,
        response_id TEXT,
        media_confirmed_at REAL,
        transcript_confirmed_at REAL,
        rejected_reason TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        media_deleted_at REAL,
        added_at REAL NOT NULL
    );
    CREATE TABLE outbox_posts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        post_id TEXT NOT NULL UNIQUE,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        body_json TEXT NOT NULL,
        confirmed_at REAL,
        rejected_reason TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        added_at REAL NOT NULL
    )
    """,
    # Why an answer will never get a transcript (its recording cannot be decoded); NULL = not known.
    "ALTER TABLE outbox_answers ADD COLUMN transcript_failed_reason TEXT",
    # Station-side retention (desktop_app.store.local_retention): when a refusal happened, whether it
    # was because the candidate was erased on the server, and when the personal data was removed.
    # Rows refused before this step start their retention clock now: the refusal time is unknown.
    """
    ALTER TABLE outbox_answers ADD COLUMN rejected_at REAL;
    ALTER TABLE outbox_answers ADD COLUMN rejected_candidate_erased INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE outbox_answers ADD COLUMN personal_data_removed_at REAL;
    ALTER TABLE outbox_posts ADD COLUMN rejected_at REAL;
    UPDATE outbox_answers SET rejected_at = CAST(strftime('%s', 'now') AS REAL) WHERE rejected_reason IS NOT NULL;
    UPDATE outbox_posts SET rejected_at = CAST(strftime('%s', 'now') AS REAL) WHERE rejected_reason IS NOT NULL
    """,
]

DEFAULT_RETENTION = timedelta(days=7)


@dataclass(frozen=True)
class PendingAnswer:
    """An answer the server has not fully confirmed yet, with what is already known about it."""

    answer_id: str
    interview_id: str
    question_id: str
    attempt: int
    media_path: Path
    media_sha256: str
    media_size: int
    duration_seconds: float
    recorded_at: str
    metrics: dict[str, Any]
    transcript: Transcript | None
    upload_url: str | None
    response_id: str | None
    media_confirmed: bool
    transcript_confirmed: bool
    added_at: float


@dataclass(frozen=True)
class UntranscribedAnswer:
    """An answer stored while its transcript was pending, whose recording is still on the station."""

    answer_id: str
    interview_id: str
    question_id: str
    attempt: int
    media_path: Path


@dataclass(frozen=True)
class PendingPost:
    post_id: str
    method: str
    path: str
    body: dict[str, Any]
    added_at: float


@dataclass(frozen=True)
class OutboxCounts:
    waiting: int  # answers whose media or transcript the server has not confirmed
    rejected: int  # answers the server refused for good (kept on disk; staff must look)
    delivered: int
    posts_waiting: int
    transcripts_pending: int = 0  # answers still waiting to be transcribed on the station
    transcripts_failed: int = 0  # answers whose recording could not be transcribed (reason kept)


class Outbox:
    """Implements `AnswerSink`; shared by the session (writer) and the sync loop (reader/updater)."""

    def __init__(self, connection: sqlite3.Connection, *, retention: timedelta = DEFAULT_RETENTION) -> None:
        self._db = connection
        self._lock = threading.RLock()
        self.retention = retention
        ensure_schema(connection, SCHEMA_PART, SCHEMA_STEPS)

    @classmethod
    def open(cls, path: Path, *, retention: timedelta = DEFAULT_RETENTION) -> "Outbox":
        return cls(open_station_db(path), retention=retention)

    def close(self) -> None:
        """Close the database; under the lock, so no other thread is inside a statement when it goes
        (closing under a running statement crashed the process). Calls after it raise, never crash."""
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # -- the session's side (AnswerSink) -------------------------------------------------------
    def add_answer(self, answer: FinishedAnswer) -> None:
        """Journal a finished answer; adding the same answer_id again changes nothing."""
        try:
            size = answer.media_path.stat().st_size
        except OSError as exc:
            raise StoreError(
                f"The recording for answer {answer.answer_id} is missing ({exc.strerror}).",
                fix="The recorder must write and fsync the media file before handing the answer over.",
            ) from None
        transcript = answer.transcript.model_dump_json() if answer.transcript is not None else None
        with self._transaction() as db:
            db.execute(
                "INSERT INTO outbox_answers (answer_id, interview_id, question_id, attempt, media_path,"
                " media_sha256, media_size, duration_seconds, recorded_at, metrics_json, transcript_json,"
                " added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(answer_id) DO NOTHING",
                (
                    answer.answer_id,
                    answer.interview_id,
                    answer.question_id,
                    answer.attempt,
                    str(answer.media_path.resolve()),
                    answer.media_sha256,
                    size,
                    answer.duration_seconds,
                    answer.recorded_at.astimezone(UTC).isoformat(),
                    json.dumps(answer.metrics, default=str),
                    transcript,
                    time.time(),
                ),
            )

    def set_transcript(self, answer_id: str, transcript: Transcript) -> None:
        with self._transaction() as db:
            updated = db.execute(
                "UPDATE outbox_answers SET transcript_json = ?, transcript_confirmed_at = NULL,"
                " transcript_failed_reason = NULL WHERE answer_id = ? AND transcript_confirmed_at IS NULL",
                (transcript.model_dump_json(), answer_id),
            ).rowcount
            if (
                not updated
                and not db.execute(
                    "SELECT 1 FROM outbox_answers WHERE answer_id = ?", (answer_id,)
                ).fetchone()
            ):
                raise StoreError(f"No answer {answer_id} in the outbox to attach a transcript to.")

    def answers_without_transcript(self) -> list[UntranscribedAnswer]:
        """Answers to transcribe late, oldest first: no transcript, not failed for good, media kept.

        An answer the server refused is left out: its transcript could never be delivered.
        """
        with self._lock:
            rows = self._db.execute(
                "SELECT answer_id, interview_id, question_id, attempt, media_path FROM outbox_answers"
                " WHERE transcript_json IS NULL AND transcript_failed_reason IS NULL"
                " AND rejected_reason IS NULL AND media_deleted_at IS NULL ORDER BY seq"
            ).fetchall()
        return [
            UntranscribedAnswer(
                r["answer_id"], r["interview_id"], r["question_id"], r["attempt"], Path(r["media_path"])
            )
            for r in rows
        ]

    def transcript_failed(self, answer_id: str, reason: str) -> None:
        """This answer's recording cannot be transcribed: stop trying, keep the reason for staff."""
        self._update_answer(answer_id, "transcript_failed_reason = ?", reason[:500])

    def transcript_failure(self, answer_id: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT transcript_failed_reason FROM outbox_answers WHERE answer_id = ?", (answer_id,)
            ).fetchone()
        return None if row is None else row["transcript_failed_reason"]

    def add_post(self, post_id: str, path: str, body: dict[str, Any], *, method: str = "PUT") -> None:
        """Queue a request whose body carries the client-generated `post_id`; a repeat is a no-op."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO outbox_posts (post_id, method, path, body_json, added_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(post_id) DO NOTHING",
                (post_id, method, path, json.dumps(body), time.time()),
            )

    # -- the sync loop's side -----------------------------------------------------------------
    def pending_answers(self) -> list[PendingAnswer]:
        """Answers with something left to deliver, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM outbox_answers WHERE rejected_reason IS NULL AND (media_confirmed_at IS NULL"
                " OR (transcript_json IS NOT NULL AND transcript_confirmed_at IS NULL)) ORDER BY seq"
            ).fetchall()
        return [self._pending(row) for row in rows]

    def pending_posts(self) -> list[PendingPost]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM outbox_posts WHERE confirmed_at IS NULL AND rejected_reason IS NULL ORDER BY seq"
            ).fetchall()
        return [
            PendingPost(r["post_id"], r["method"], r["path"], json.loads(r["body_json"]), r["added_at"])
            for r in rows
        ]

    def pending_in_order(self) -> list[PendingAnswer | PendingPost]:
        """Answers and posts in the order they were added, so the server learns things as they happened:
        the candidate's consent (and people-only choice) before their first answer, and the
        interview's end after its last."""
        merged: list[PendingAnswer | PendingPost] = [*self.pending_answers(), *self.pending_posts()]
        return sorted(merged, key=lambda item: item.added_at)

    @staticmethod
    def _pending(row: sqlite3.Row) -> PendingAnswer:
        transcript = row["transcript_json"]
        return PendingAnswer(
            answer_id=row["answer_id"],
            interview_id=row["interview_id"],
            question_id=row["question_id"],
            attempt=row["attempt"],
            media_path=Path(row["media_path"]),
            media_sha256=row["media_sha256"],
            media_size=row["media_size"],
            duration_seconds=row["duration_seconds"],
            recorded_at=row["recorded_at"],
            metrics=json.loads(row["metrics_json"]),
            transcript=stored_transcript(transcript) if transcript else None,
            upload_url=row["upload_url"],
            response_id=row["response_id"],
            media_confirmed=row["media_confirmed_at"] is not None,
            transcript_confirmed=row["transcript_confirmed_at"] is not None,
            added_at=row["added_at"],
        )

    def record_upload_url(self, answer_id: str, url: str) -> None:
        self._update_answer(answer_id, "upload_url = ?", url)

    def forget_upload_url(self, answer_id: str) -> None:
        """The server no longer knows the upload (expired or removed): start a new one."""
        self._update_answer(answer_id, "upload_url = NULL")

    def confirm_media(self, answer_id: str, response_id: str) -> None:
        self._update_answer(
            answer_id, "media_confirmed_at = ?, response_id = ?, last_error = NULL", time.time(), response_id
        )

    def confirm_transcript(self, answer_id: str) -> None:
        self._update_answer(answer_id, "transcript_confirmed_at = ?", time.time())

    def reject_answer(self, answer_id: str, reason: str, *, candidate_erased: bool = False) -> None:
        """The server refused this answer for good; `candidate_erased`: because it erased the candidate
        (then the recording and transcript go after the retention period, see local_retention)."""
        self._update_answer(
            answer_id,
            "rejected_reason = ?, rejected_at = ?, rejected_candidate_erased = ?",
            reason,
            time.time(),
            int(candidate_erased),
        )

    def note_failure(self, answer_id: str, error: str) -> None:
        self._update_answer(answer_id, "failures = failures + 1, last_error = ?", error[:500])

    def confirm_post(self, post_id: str) -> None:
        with self._transaction() as db:
            db.execute("UPDATE outbox_posts SET confirmed_at = ? WHERE post_id = ?", (time.time(), post_id))

    def reject_post(self, post_id: str, reason: str) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE outbox_posts SET rejected_reason = ?, rejected_at = ? WHERE post_id = ?",
                (reason, time.time(), post_id),
            )

    def _update_answer(self, answer_id: str, assignments: str, *values: object) -> None:
        with self._transaction() as db:
            db.execute(f"UPDATE outbox_answers SET {assignments} WHERE answer_id = ?", (*values, answer_id))  # noqa: S608 - fixed column lists

    # -- housekeeping -------------------------------------------------------------------------
    def purge_delivered_media(self, *, now: datetime | None = None) -> list[Path]:
        """Delete media files the server confirmed longer than `retention` ago; return what went.

        A recording whose transcript is still pending stays, however old: it is what the transcript
        will be made from (once it is made, or failed for good, the recording may go).
        """
        cutoff = (now or datetime.now(UTC)).timestamp() - self.retention.total_seconds()
        with self._lock:
            rows = self._db.execute(
                "SELECT answer_id, media_path FROM outbox_answers WHERE media_confirmed_at IS NOT NULL"
                " AND media_confirmed_at <= ? AND media_deleted_at IS NULL"
                " AND (transcript_json IS NOT NULL OR transcript_failed_reason IS NOT NULL)",
                (cutoff,),
            ).fetchall()
        removed = []
        for row in rows:
            path = Path(row["media_path"])
            path.unlink(missing_ok=True)
            self._update_answer(row["answer_id"], "media_deleted_at = ?", time.time())
            removed.append(path)
        return removed

    def counts(self) -> OutboxCounts:
        with self._lock:
            row = self._db.execute(
                "SELECT"
                " SUM(rejected_reason IS NULL AND (media_confirmed_at IS NULL OR (transcript_json IS NOT NULL"
                "     AND transcript_confirmed_at IS NULL))) AS waiting,"
                " SUM(rejected_reason IS NOT NULL) AS rejected,"
                " SUM(media_confirmed_at IS NOT NULL AND (transcript_json IS NULL OR transcript_confirmed_at"
                "     IS NOT NULL)) AS delivered,"
                " SUM(transcript_json IS NULL AND transcript_failed_reason IS NULL AND rejected_reason IS NULL"
                "     AND media_deleted_at IS NULL) AS transcripts_pending,"
                " SUM(transcript_failed_reason IS NOT NULL) AS transcripts_failed FROM outbox_answers"
            ).fetchone()
            posts = self._db.execute(
                "SELECT COUNT(*) FROM outbox_posts WHERE confirmed_at IS NULL AND rejected_reason IS NULL"
            ).fetchone()[0]
        return OutboxCounts(
            waiting=row["waiting"] or 0,
            rejected=row["rejected"] or 0,
            delivered=row["delivered"] or 0,
            posts_waiting=posts,
            transcripts_pending=row["transcripts_pending"] or 0,
            transcripts_failed=row["transcripts_failed"] or 0,
        )
