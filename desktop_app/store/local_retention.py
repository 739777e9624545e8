"""Station-side retention: once the server has everything of an interview, the candidate's personal
data leaves the station after the retention period (`media_retention_days`).

An interview is *settled* when

- every answer of it is delivered (recording confirmed, and its transcript confirmed or failed for
  good), or was refused by the server because the server erased the candidate;
- every progress report of it (consent given or declined, completed) was confirmed or refused
  (a refused report is a status line the server will never want: nothing is lost with it);
- the station is not running it (its journal is not `active`).

It is purged once the last of those confirmations or refusals (and the journal's last change) is
older than the retention period (an interview only the journal knows, such as a headless run into a
folder, has nothing to deliver and counts from its journal's last change). Anything undelivered keeps the whole interview as it is: an answer
still uploading, a transcript still to be made, or an answer the server refused for another reason
(kept for staff to look at). An answer refused because the candidate was erased loses its recording
and transcript after the same period on its own, even while other rows of its interview still wait.

What a purge removes, and what it keeps, row by row (what stays is ids, states and hashes: enough
that nothing is ever sent, resumed or recorded again, and that staff can tell what happened):

| where | removed | kept, and why |
|---|---|---|
| outbox_answers | transcript_json, metrics_json (-> {}), upload_url, last_error; the recording file | answer and question ids, attempt, media path/sha256/size, duration, recorded_at, response id, confirmation and refusal times and reason, media_deleted_at, personal_data_removed_at: the row is never pending again |
| outbox_posts | body_json (-> {}: consent version and time, the people-only choice, decline time) | post id, method, path, confirmed/refused state and times: never sent again |
| session_interviews | plan_json (candidate's name, accommodations, questions), consent_version, consent_at | journal key, interview id, plan sha256, status, question index, times: a restart never resumes it |
| session_attempts | transcript_json, metrics_json, error | answer id, question, attempt, status (at most one kept answer per question), media path and sha256, duration, times |
| tts-cache/ | every rendering of the plan's question texts that no plan still kept uses (and renderings cached under the old, text-blind names) | - |
| media/<interview id>/ | the folder, once empty | - |
| kiosk/active-interview.json | the file, if it still names this (finished) interview | - |
"""

import contextlib
import logging
import re
import sqlite3
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.session import journal as session_journal
from desktop_app.session.journal import ACTIVE
from desktop_app.speech.tts import text_digest
from desktop_app.store import outbox
from desktop_app.store.active_interview import ActiveInterviewFile, kiosk_active_interview_file
from desktop_app.store.database import StoreError, ensure_schema, open_station_db
from sync_server.contract import InterviewPlan

if TYPE_CHECKING:
    from desktop_app.config import StationSettings

log = logging.getLogger(__name__)

_PROGRESS_PATH = re.compile(r"/station/interviews/([^/]+)/")
EMPTY_BODY = "{}"


@dataclass
class LocalPurgeReport:
    """What a purge removed (or, on a dry run, would remove)."""

    interviews: list[str] = field(default_factory=list)  # interview ids whose personal data went
    erased_answers: list[str] = field(
        default_factory=list
    )  # refused (candidate erased) answers, on their own
    files: list[Path] = field(default_factory=list)  # recordings, spoken questions, stale files
    dry_run: bool = False


@dataclass
class _Interview:
    """What the database says about one interview, gathered for the decision."""

    settled: bool = True
    last_change: float = 0.0
    dirty: bool = False  # something personal is still stored
    active_in_journal: bool = False
    in_journal: bool = False
    plans: list[str] = field(default_factory=list)


class LocalRetention:
    """Removes delivered interviews' personal data from the station database and data folder."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        *,
        retention: timedelta,
        tts_cache_dir: Path | None = None,
        media_dir: Path | None = None,
        active_interview: ActiveInterviewFile | None = None,
    ) -> None:
        self._db = connection
        self._lock = threading.Lock()
        self.retention = retention
        self.tts_cache_dir = tts_cache_dir
        self.media_dir = media_dir
        self.active_interview = active_interview
        ensure_schema(connection, outbox.SCHEMA_PART, outbox.SCHEMA_STEPS)
        ensure_schema(connection, session_journal.SCHEMA_PART, session_journal.SCHEMA_STEPS)

    @classmethod
    def open(cls, settings: "StationSettings") -> "LocalRetention":
        return cls(
            open_station_db(settings.station_db_path),
            retention=timedelta(days=settings.media_retention_days),
            tts_cache_dir=settings.tts_cache_dir,
            media_dir=settings.media_dir,
            active_interview=kiosk_active_interview_file(settings.data_dir),
        )

    def close(self) -> None:
        self._db.close()

    def purge(self, *, now: datetime | None = None, dry_run: bool = False) -> LocalPurgeReport:
        """Remove the personal data of every interview settled longer than the retention period ago.

        Files go before the commit that records it: a crash in between leaves a row that says the
        file is there when it is not, and the next purge finishes the row (never the other way round).
        """
        cutoff = (now or datetime.now(UTC)).timestamp() - self.retention.total_seconds()
        report = LocalPurgeReport(dry_run=dry_run)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._purge(cutoff, report)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("ROLLBACK" if dry_run else "COMMIT")
        return report

    # -- the decision --------------------------------------------------------------------------
    def _gather(self) -> dict[str, _Interview]:
        interviews: dict[str, _Interview] = defaultdict(_Interview)
        for row in self._db.execute("SELECT * FROM outbox_answers"):
            found = interviews[row["interview_id"]]
            found.dirty |= row["personal_data_removed_at"] is None
            settled_at = _answer_settled_at(row)
            if settled_at is None:
                found.settled = False
            else:
                found.last_change = max(found.last_change, settled_at)
        for row in self._db.execute("SELECT path, body_json, confirmed_at, rejected_at FROM outbox_posts"):
            match = _PROGRESS_PATH.search(row["path"])
            if match is None:
                continue
            found = interviews[match.group(1)]
            found.dirty |= row["body_json"] != EMPTY_BODY
            settled_at = row["confirmed_at"] or row["rejected_at"]
            if settled_at is None:
                found.settled = False
            else:
                found.last_change = max(found.last_change, settled_at)
        for row in self._db.execute(
            "SELECT i.interview_id, i.status, i.updated_at, i.plan_json, i.consent_at, EXISTS (SELECT 1 FROM"
            " session_attempts a WHERE a.journal_key = i.journal_key AND (a.transcript_json IS NOT NULL"
            " OR a.metrics_json IS NOT NULL OR a.error IS NOT NULL)) AS attempts_dirty"
            " FROM session_interviews i"
        ):
            found = interviews[row["interview_id"]]
            found.in_journal = True
            found.active_in_journal |= row["status"] == ACTIVE
            found.last_change = max(found.last_change, _epoch(row["updated_at"]))
            found.dirty |= bool(row["plan_json"] or row["consent_at"] or row["attempts_dirty"])
            if row["plan_json"]:
                found.plans.append(row["plan_json"])
        return interviews

    def _purge(self, cutoff: float, report: LocalPurgeReport) -> None:
        interviews = self._gather()
        running = self._running_interview_id()
        due: list[str] = []
        for interview_id, found in interviews.items():
            if not found.settled or found.active_in_journal or found.last_change > cutoff:
                continue
            if interview_id == running and not found.in_journal:
                continue  # the kiosk is starting it: its journal is not written yet
            if found.dirty:
                due.append(interview_id)
        report.interviews = sorted(due)
        kept_texts = {
            text
            for interview_id, found in interviews.items()
            if interview_id not in due
            for plan in found.plans
            for text in _question_texts(plan)
        }
        if running is not None and running not in due and self.active_interview is not None:
            kept_texts |= self._running_question_texts()
        purged_texts = {text for i in due for plan in interviews[i].plans for text in _question_texts(plan)}

        erased = self._db.execute(
            "SELECT answer_id FROM outbox_answers WHERE rejected_candidate_erased = 1 AND rejected_at <= ?"
            " AND personal_data_removed_at IS NULL",
            (cutoff,),
        ).fetchall()
        due_set = set(due)
        report.erased_answers = sorted(
            row["answer_id"] for row in erased if self._interview_of(row["answer_id"]) not in due_set
        )
        report.files = self._files_to_remove(due, report.erased_answers, purged_texts - kept_texts, running)
        if report.dry_run:
            return
        for path in report.files:
            path.unlink(missing_ok=True)
        self._forget_rows(due, report.erased_answers)
        if self.media_dir is not None:
            for interview_id in due:
                _remove_if_empty(self.media_dir / interview_id)
        if due or report.erased_answers:
            log.info(
                "station retention removed the personal data of %d interview(s) and %d refused answer(s)",
                len(due),
                len(report.erased_answers),
            )

    def _interview_of(self, answer_id: str) -> str:
        row = self._db.execute("SELECT interview_id FROM outbox_answers WHERE answer_id = ?", (answer_id,))
        return str(row.fetchone()["interview_id"])

    def _running_interview_id(self) -> str | None:
        if self.active_interview is None:
            return None
        try:
            active = self.active_interview.load()
        except StoreError as exc:  # staff see it when the kiosk starts; retention just leaves it alone
            log.warning("station retention: %s", exc.message)
            return None
        return None if active is None else active.plan.interview_id

    def _running_question_texts(self) -> set[str]:
        assert self.active_interview is not None
        try:
            active = self.active_interview.load()
        except StoreError:
            return set()
        return set() if active is None else {q.text for q in active.plan.questions}

    def _files_to_remove(
        self, due: list[str], erased_answers: list[str], spoken_texts: set[str], running: str | None
    ) -> list[Path]:
        files: list[Path] = []
        for interview_id in due:
            files += _existing_media(
                self._db.execute(
                    "SELECT media_path FROM outbox_answers WHERE interview_id = ?", (interview_id,)
                )
            )
        for answer_id in erased_answers:
            files += _existing_media(
                self._db.execute("SELECT media_path FROM outbox_answers WHERE answer_id = ?", (answer_id,))
            )
        if self.tts_cache_dir is not None:
            files += sorted(_spoken_files(self.tts_cache_dir, spoken_texts))
            # Renderings named before keys began with the text's digest cannot be told apart: the
            # cache renders them again when needed.
            files += sorted(p for p in self.tts_cache_dir.glob("*.wav") if "-" not in p.stem)
        if running is not None and running in due and self.active_interview is not None:
            files.append(self.active_interview.path)  # its journal says it ended: the file is stale
        return files

    # -- the removal ---------------------------------------------------------------------------
    def _forget_rows(self, interview_ids: Iterable[str], erased_answer_ids: Iterable[str]) -> None:
        now = time.time()
        for interview_id in interview_ids:
            self._db.execute(
                _SCRUB_ANSWERS + " WHERE interview_id = ? AND personal_data_removed_at IS NULL",
                (now, now, interview_id),
            )
            self._db.execute(
                "UPDATE outbox_posts SET body_json = ? WHERE instr(path, ?) > 0",
                (EMPTY_BODY, f"/station/interviews/{interview_id}/"),
            )
            self._db.execute(
                "UPDATE session_attempts SET transcript_json = NULL, metrics_json = NULL, error = NULL"
                " WHERE journal_key IN (SELECT journal_key FROM session_interviews WHERE interview_id = ?)",
                (interview_id,),
            )
            self._db.execute(
                "UPDATE session_interviews SET plan_json = NULL, consent_version = NULL, consent_at = NULL"
                " WHERE interview_id = ?",
                (interview_id,),
            )
        for answer_id in erased_answer_ids:
            self._db.execute(_SCRUB_ANSWERS + " WHERE answer_id = ?", (now, now, answer_id))


_SCRUB_ANSWERS = (
    "UPDATE outbox_answers SET transcript_json = NULL, metrics_json = '{}', upload_url = NULL,"
    " last_error = NULL, media_deleted_at = COALESCE(media_deleted_at, ?), personal_data_removed_at = ?"
)


def _answer_settled_at(row: sqlite3.Row) -> float | None:
    """When the server last settled this answer, or None while something of it is still undelivered."""
    if row["personal_data_removed_at"] is not None:
        return float(row["personal_data_removed_at"])
    if row["rejected_reason"] is not None:
        return float(row["rejected_at"]) if row["rejected_candidate_erased"] and row["rejected_at"] else None
    if row["media_confirmed_at"] is None:
        return None
    if row["transcript_confirmed_at"] is not None:
        return max(float(row["media_confirmed_at"]), float(row["transcript_confirmed_at"]))
    if row["transcript_json"] is None and row["transcript_failed_reason"] is not None:
        return float(row["media_confirmed_at"])
    return None  # a transcript still to be made or sent


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


def _question_texts(plan_json: str) -> set[str]:
    return {question.text for question in InterviewPlan.model_validate_json(plan_json).questions}


def _existing_media(rows: Iterable[sqlite3.Row]) -> list[Path]:
    paths = (Path(row["media_path"]) for row in rows)
    return [path for path in paths if path.exists()]


def _spoken_files(cache_dir: Path, texts: set[str]) -> set[Path]:
    return {path for text in texts for path in cache_dir.glob(f"{text_digest(text)}-*.wav")}


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not there, or something else (not ours to judge) still in it
        folder.rmdir()
