"""Station-side retention: a settled interview's personal data leaves the station after the retention
period; nothing undelivered is ever touched; what stays still stops any re-send or re-recording."""

import hashlib
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from desktop_app.cli import app
from desktop_app.config import StationSettings
from desktop_app.session.journal import CANCELLED, FINISHED, SessionJournal
from desktop_app.speech.tts import cache_key
from desktop_app.store.active_interview import ActiveInterview, kiosk_active_interview_file
from desktop_app.store.answers import FinishedAnswer
from desktop_app.store.database import ensure_schema, open_station_db
from desktop_app.store.local_retention import LocalRetention
from desktop_app.store.outbox import SCHEMA_PART, SCHEMA_STEPS, Outbox
from desktop_app.sync.client import raise_for_delivery
from desktop_app.sync.errors import DeliveryRejected
from desktop_app.sync.sessions import queue_consent_given, queue_interview_completed
from sync_server.contract import InterviewPlan, Transcript

RETENTION = timedelta(days=7)
LATER = datetime.now(UTC) + RETENTION + timedelta(hours=1)
SHARED_QUESTION = "Tell us about a project you are proud of."
TRANSCRIPT = Transcript(text="I led the migration to PostgreSQL", language="en", model="tiny.en")


class Station:
    """A station data folder with its database, as the kiosk leaves it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.db = root / "station.db"
        self.media = root / "media"
        self.tts = root / "tts-cache"
        self.outbox = Outbox.open(self.db, retention=RETENTION)
        self.journal = SessionJournal.open(self.db)
        self.active = kiosk_active_interview_file(root)
        self.retention = LocalRetention(
            open_station_db(self.db),
            retention=RETENTION,
            tts_cache_dir=self.tts,
            media_dir=self.media,
            active_interview=self.active,
        )

    def plan(self, interview_id: str) -> InterviewPlan:
        return InterviewPlan.model_validate(
            {
                "interview_id": interview_id,
                "candidate_display_name": f"Ada {interview_id}",
                "accommodations": {"time_multiplier": 1.5, "extra_attempts": 1, "large_text": True},
                "questions": [
                    {"id": "q-1", "text": SHARED_QUESTION, "think_seconds": 5, "answer_seconds": 60},
                    {
                        "id": "q-2",
                        "text": f"Ada {interview_id}, how did your CV project at Acme go?",
                        "think_seconds": 5,
                        "answer_seconds": 60,
                    },
                ],
            }
        )

    def interview(self, interview_id: str, *, answers: int = 1, status: str = FINISHED) -> list[str]:
        """Journal and record an interview as the kiosk does; return the answer ids."""
        plan = self.plan(interview_id)
        self.journal.begin_interview(interview_id, interview_id=interview_id, plan_sha256="f" * 64, plan=plan)
        self.journal.record_consent(interview_id, "v1")
        queue_consent_given(
            self.outbox,
            interview_id=interview_id,
            consent_version="v1",
            people_only=True,
            at=datetime.now(UTC),
        )
        for question in plan.questions:
            self.speak(question.text)
        ids = []
        for number in range(1, answers + 1):
            answer_id = f"{interview_id}-a{number}"
            media = self.media / interview_id / f"{answer_id}.mp4"
            media.parent.mkdir(parents=True, exist_ok=True)
            data = os.urandom(1024)
            media.write_bytes(data)
            self.journal.start_attempt(
                interview_id,
                answer_id=answer_id,
                question_id=f"q-{number}",
                question_index=number - 1,
                attempt=1,
                media_path=media,
            )
            self.journal.attempt_recorded(
                answer_id,
                media_sha256=hashlib.sha256(data).hexdigest(),
                duration_seconds=3.0,
                metrics={"peak_dbfs": -3.0},
                transcript=TRANSCRIPT,
                error=None,
            )
            self.outbox.add_answer(
                FinishedAnswer(
                    answer_id=answer_id,
                    interview_id=interview_id,
                    question_id=f"q-{number}",
                    attempt=1,
                    media_path=media,
                    media_sha256=hashlib.sha256(data).hexdigest(),
                    duration_seconds=3.0,
                    recorded_at=datetime.now(UTC),
                    transcript=TRANSCRIPT,
                    metrics={"peak_dbfs": -3.0},
                )
            )
            self.journal.attempt_delivered(interview_id, answer_id, next_question_index=number)
            ids.append(answer_id)
        queue_interview_completed(self.outbox, interview_id=interview_id)
        if status != "active":
            self.journal.set_status(interview_id, status)
        return ids

    def deliver_everything(self, interview_id: str | None = None) -> None:
        """What the sync loop records when the server confirms each step."""
        for pending in self.outbox.pending_answers():
            if interview_id in (None, pending.interview_id):
                self.outbox.confirm_media(pending.answer_id, f"resp-{pending.answer_id}")
                self.outbox.confirm_transcript(pending.answer_id)
        for post in self.outbox.pending_posts():
            if interview_id is None or f"/{interview_id}/" in post.path:
                self.outbox.confirm_post(post.post_id)

    def speak(self, text: str) -> Path:
        path = self.tts / f"{cache_key(text, voice='en', rate=165)}.wav"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"RIFF" + os.urandom(64))
        return path

    def raw(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.db)
        connection.row_factory = sqlite3.Row
        return connection

    def answer_row(self, answer_id: str) -> sqlite3.Row:
        with self.raw() as raw:
            return raw.execute("SELECT * FROM outbox_answers WHERE answer_id = ?", (answer_id,)).fetchone()

    def personal_data_left(self, interview_id: str) -> list[str]:
        """Everything personal still stored for the interview, named; [] when it is all gone."""
        left = []
        with self.raw() as raw:
            for row in raw.execute("SELECT * FROM outbox_answers WHERE interview_id = ?", (interview_id,)):
                if row["transcript_json"] is not None:
                    left.append(f"transcript of {row['answer_id']}")
                if row["metrics_json"] != "{}":
                    left.append(f"metrics of {row['answer_id']}")
                if Path(row["media_path"]).exists():
                    left.append(f"recording of {row['answer_id']}")
            for row in raw.execute("SELECT body_json, path FROM outbox_posts"):
                if f"/{interview_id}/" in row["path"] and row["body_json"] != "{}":
                    left.append("a progress report's body")
            for row in raw.execute(
                "SELECT * FROM session_interviews WHERE interview_id = ?", (interview_id,)
            ):
                if row["plan_json"] or row["consent_at"] or row["consent_version"]:
                    left.append("the journaled plan or consent")
            for row in raw.execute(
                "SELECT a.* FROM session_attempts a JOIN session_interviews i USING (journal_key)"
                " WHERE i.interview_id = ?",
                (interview_id,),
            ):
                if row["transcript_json"] or row["metrics_json"]:
                    left.append(f"journaled transcript of {row['answer_id']}")
        return left


@pytest.fixture
def station(tmp_path: Path) -> Station:
    return Station(tmp_path / "station")


def test_a_delivered_interview_loses_its_personal_data_after_retention_and_keeps_ids_states_hashes(
    station: Station,
) -> None:
    answers = station.interview("iv-done", answers=2)
    station.interview("iv-other", answers=1, status="active")  # shares one question text, still running
    station.deliver_everything("iv-done")
    personal_question = (
        station.tts
        / f"{cache_key('Ada iv-done, how did your CV project at Acme go?', voice='en', rate=165)}.wav"
    )
    shared_question = station.tts / f"{cache_key(SHARED_QUESTION, voice='en', rate=165)}.wav"
    before = {a: station.answer_row(a) for a in answers}
    legacy = station.tts / f"{'0' * 32}.wav"  # named before keys began with the text's digest
    legacy.write_bytes(b"RIFF")

    assert station.retention.purge().interviews == []  # within the retention period
    stored = station.personal_data_left("iv-done")
    assert len(stored) == 11  # 2 x (transcript, metrics, recording), 2 reports, plan, 2 journaled transcripts

    dry = station.retention.purge(now=LATER, dry_run=True)
    assert dry.interviews == ["iv-done"]
    assert personal_question in dry.files and shared_question not in dry.files
    assert station.personal_data_left("iv-done") == stored  # a dry run changes nothing

    report = station.retention.purge(now=LATER)

    assert report.interviews == ["iv-done"]
    assert station.personal_data_left("iv-done") == []
    assert not personal_question.exists()
    assert shared_question.exists()  # the running interview still speaks it
    assert not legacy.exists()
    assert not (station.media / "iv-done").exists()
    for answer_id, old in before.items():
        row = station.answer_row(answer_id)
        for kept in (
            "answer_id",
            "interview_id",
            "question_id",
            "attempt",
            "media_sha256",
            "media_size",
            "response_id",
            "media_confirmed_at",
            "transcript_confirmed_at",
        ):
            assert row[kept] == old[kept], kept
        assert row["personal_data_removed_at"] is not None and row["media_deleted_at"] is not None
    journaled = station.journal.interview("iv-done")
    assert journaled is not None and journaled.status == FINISHED  # a restart never resumes it
    assert [a.status for a in station.journal.all_attempts("iv-done")] == ["delivered", "delivered"]
    assert station.journal.unfinished() != []  # iv-other, untouched
    assert station.personal_data_left("iv-other") != []
    assert {a.interview_id for a in station.outbox.pending_answers()} == {"iv-other"}  # never re-sent
    assert all("iv-done" not in getattr(p, "path", "") for p in station.outbox.pending_posts())
    assert station.outbox.answers_without_transcript() == []
    assert station.outbox.counts().delivered == 2
    again = station.retention.purge(now=LATER + timedelta(days=30))
    assert (again.interviews, again.erased_answers, again.files) == ([], [], [])


def test_nothing_undelivered_is_ever_removed(station: Station) -> None:
    station.interview("iv-uploading")  # nothing confirmed yet
    pending_transcript = station.interview("iv-transcript-pending")[0]
    station.interview("iv-report-waiting")
    station.interview("iv-running", status="active")
    refused = station.interview("iv-refused")[0]
    station.deliver_everything("iv-transcript-pending")
    station.deliver_everything("iv-report-waiting")
    station.deliver_everything("iv-running")
    station.deliver_everything("iv-refused")
    with station.raw() as raw:  # the transcript is still to be made (the speech model failed)
        raw.execute(
            "UPDATE outbox_answers SET transcript_json = NULL, transcript_confirmed_at = NULL WHERE answer_id = ?",
            (pending_transcript,),
        )
    queue_interview_completed(station.outbox, interview_id="iv-report-waiting")  # not confirmed
    station.outbox.reject_answer(refused, "The server refused the recording: bad question")

    report = station.retention.purge(now=LATER + timedelta(days=365))

    assert report.interviews == [] and report.erased_answers == [] and report.files == []
    for interview_id in (
        "iv-uploading",
        "iv-transcript-pending",
        "iv-report-waiting",
        "iv-running",
        "iv-refused",
    ):
        assert station.personal_data_left(interview_id) != [], interview_id
    assert Path(station.answer_row(refused)["media_path"]).exists()  # kept for staff to look at


def test_answers_refused_because_the_candidate_was_erased_lose_recording_and_transcript(
    station: Station,
) -> None:
    first, second = station.interview("iv-erased", answers=2)
    station.outbox.confirm_media(first, "resp-1")  # sent before the erasure; its transcript was not
    for answer_id in (first, second):
        station.outbox.reject_answer(answer_id, "The server refused it: erased", candidate_erased=True)

    assert station.retention.purge().erased_answers == []  # within the retention period
    report = station.retention.purge(now=LATER)

    assert report.erased_answers == [first, second]  # the consent report still waits: the interview stays
    for answer_id in (first, second):
        row = station.answer_row(answer_id)
        assert row["transcript_json"] is None and not Path(row["media_path"]).exists()
        assert row["rejected_reason"] and row["media_sha256"]
    assert station.outbox.pending_answers() == [] and station.outbox.counts().rejected == 2
    assert station.personal_data_left("iv-erased") == [
        "a progress report's body",
        "a progress report's body",
        "the journaled plan or consent",
        "journaled transcript of iv-erased-a1",
        "journaled transcript of iv-erased-a2",
    ]
    for post in station.outbox.pending_posts():  # the server refuses the reports too
        station.outbox.reject_post(post.post_id, "The server refused a record: erased")
    assert station.retention.purge(now=LATER + RETENTION).interviews == ["iv-erased"]
    assert station.personal_data_left("iv-erased") == []


def test_the_kiosks_running_and_stale_active_interview_files(station: Station) -> None:
    # Starting: the kiosk wrote the file, the journal has nothing yet; an old consent report exists.
    starting = station.plan("iv-starting")
    station.active.save(ActiveInterview(starting, people_only=False))
    queue_consent_given(
        station.outbox,
        interview_id="iv-starting",
        consent_version="v1",
        people_only=False,
        at=datetime.now(UTC),
    )
    station.deliver_everything()
    assert station.retention.purge(now=LATER).interviews == []
    assert station.active.exists()

    # Stale: the file names an interview whose journal says it ended (cancelled: the candidate left).
    station.interview("iv-starting", status=CANCELLED)
    station.deliver_everything()
    report = station.retention.purge(now=LATER)
    assert report.interviews == ["iv-starting"]
    assert not station.active.exists()


def test_an_older_station_database_gains_the_retention_columns(tmp_path: Path) -> None:
    db = tmp_path / "station.db"
    old = open_station_db(db)
    ensure_schema(old, SCHEMA_PART, SCHEMA_STEPS[:2])  # as the station wrote it before this change
    old.execute(
        "INSERT INTO outbox_answers (answer_id, interview_id, question_id, attempt, media_path, media_sha256,"
        " media_size, duration_seconds, recorded_at, metrics_json, rejected_reason, added_at)"
        " VALUES ('a-1', 'iv', 'q', 1, '/nowhere.mp4', 'x', 1, 1.0, 'then', '{}', 'refused', 0)"
    )
    old.close()
    outbox = Outbox.open(db)
    with sqlite3.connect(db) as raw:
        rejected_at, erased = raw.execute(
            "SELECT rejected_at, rejected_candidate_erased FROM outbox_answers"
        ).fetchone()
    assert rejected_at is not None and erased == 0  # its clock starts at the upgrade; not an erasure
    assert outbox.counts().rejected == 1


def test_the_servers_candidate_erased_refusal_is_recognised() -> None:
    erased = httpx.Response(
        410, json={"error": "CandidateErased", "detail": "This candidate's data was erased."}
    )
    other = httpx.Response(409, json={"error": "Conflict", "detail": "This interview is cancelled."})
    with pytest.raises(DeliveryRejected) as caught:
        raise_for_delivery(erased, "the upload")
    assert caught.value.candidate_erased
    with pytest.raises(DeliveryRejected) as caught:
        raise_for_delivery(other, "the upload")
    assert not caught.value.candidate_erased


def test_purge_local_command_dry_run_then_purge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / "station-data"
    monkeypatch.setenv("INTERVIEW_STATION_DATA_DIR", str(data_dir))
    monkeypatch.setenv("INTERVIEW_STATION_MEDIA_RETENTION_DAYS", "0")
    settings = StationSettings()  # type: ignore[call-arg]
    station = Station(settings.data_dir)
    station.interview("iv-cli")
    station.deliver_everything()
    runner = CliRunner()

    dry = runner.invoke(app, ["purge-local", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert (
        "interview iv-cli: transcripts, plan, journal details and recordings would be removed" in dry.output
    )
    assert station.personal_data_left("iv-cli") != []

    done = runner.invoke(app, ["purge-local"])
    assert done.exit_code == 0, done.output
    assert "1 interview(s) and 0 refused answer(s)" in done.output and "Traceback" not in done.output
    assert station.personal_data_left("iv-cli") == []
    again = runner.invoke(app, ["purge-local"])
    assert (
        again.exit_code == 0 and "0 interview(s) and 0 refused answer(s); 0 file(s) removed." in again.output
    )
