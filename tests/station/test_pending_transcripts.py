"""Answers stored with their transcript pending are transcribed later, from their recording, with the
real model; the late transcript reaches the server once; an undecodable recording fails for good."""

import re
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from desktop_app.config import StationSettings
from desktop_app.session.activity import StationActivity
from desktop_app.speech.pending_transcripts import PendingTranscriptWorker, transcribe_pending
from desktop_app.speech.transcription import Transcriber
from desktop_app.store.answers import FinishedAnswer
from desktop_app.store.outbox import Outbox
from desktop_app.sync.loop import SyncLoop, file_sha256
from tests.support.media import write_answer_recording, write_speech_wav
from tests.support.server import enroll_station, make_invite, make_tenant

pytestmark = pytest.mark.slow

SPOKEN_ANSWER = (
    "I led the migration of our billing system to a new database. "
    "The hardest part was moving customer data without any downtime."
)
SPOKEN_KEY_WORDS = ("migration", "database", "customer", "downtime")


@pytest.fixture
def backend() -> str:
    """The station side is what is tested here: one server backend is enough."""
    return "sqlite"


@pytest.fixture(scope="module")
def transcriber() -> Transcriber:
    return Transcriber(StationSettings())  # type: ignore[call-arg]  # the station's own defaults


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A recorded answer (H.264 + AAC MP4) in which the candidate says SPOKEN_ANSWER."""
    folder = tmp_path_factory.mktemp("pending-transcripts")
    wav = write_speech_wav(folder / "answer.wav", SPOKEN_ANSWER, pad_seconds=0.5)
    return write_answer_recording(folder / "answer.mp4", wav)


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    box = Outbox.open(tmp_path / "station.db")
    yield box
    box.close()


def _store_untranscribed(
    outbox: Outbox, media: Path, *, interview_id: str = "interview-1", question_id: str = "question-1"
) -> str:
    """What the session hands over when the model was unavailable: the answer, transcript pending."""
    answer_id = str(uuid.uuid4())
    outbox.add_answer(
        FinishedAnswer(
            answer_id=answer_id,
            interview_id=interview_id,
            question_id=question_id,
            attempt=1,
            media_path=media,
            media_sha256=file_sha256(media),
            duration_seconds=4.7,
            recorded_at=datetime.now(UTC),
            transcript=None,
        )
    )
    return answer_id


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z']+", text.lower()))


def test_a_pending_transcript_is_made_late_and_reaches_the_server_once(
    server_client: TestClient, transcriber: Transcriber, recording: Path, outbox: Outbox, tmp_path: Path
) -> None:
    tenant = make_tenant(server_client)
    station = enroll_station(server_client, tenant)
    invite = make_invite(server_client, tenant.hr)
    plan = server_client.post(
        "/api/v1/station/sessions", json={"access_code": invite["access_code"]}, headers=station.headers
    ).json()
    media = tmp_path / "answer.mp4"
    media.write_bytes(recording.read_bytes())
    answer_id = _store_untranscribed(
        outbox, media, interview_id=plan["interview_id"], question_id=plan["questions"][0]["id"]
    )
    with TestClient(server_client.app, headers=station.headers) as station_http:  # type: ignore[arg-type]
        sync = SyncLoop(outbox, station_http)

        # the recording goes up at once; the server has no transcript to show yet
        first = sync.run_once()
        assert (first.answers_delivered, first.transcripts_delivered) == (1, 0)
        response_id = _response_id(tmp_path / "station.db", answer_id)
        before = server_client.get(f"/api/v1/responses/{response_id}/transcript", headers=tenant.hr.headers)
        assert before.status_code == 404

        # the retry transcribes it from the stored file and queues the transcript for delivery
        report = transcribe_pending(outbox, transcriber)
        assert [a.answer_id for a in report.transcribed] == [answer_id]
        assert report.failed == [] and report.left == 0
        [queued] = outbox.pending_answers()
        assert queued.answer_id == answer_id and queued.media_confirmed and not queued.transcript_confirmed
        assert queued.transcript is not None
        assert set(SPOKEN_KEY_WORDS) <= _words(queued.transcript.text), queued.transcript.text
        assert queued.transcript.segments[0].words, "word timings come with a late transcript too"

        # a second retry finds nothing to do
        again = transcribe_pending(outbox, transcriber)
        assert again.transcribed == [] and again.failed == []

        # the sync loop delivers it for the answer's client-generated id, exactly once
        second = sync.run_once()
        assert (second.answers_delivered, second.transcripts_delivered) == (0, 1)
        assert sync.run_once().transcripts_delivered == 0
        assert outbox.counts().waiting == 0 and outbox.counts().transcripts_pending == 0

    stored = server_client.get(f"/api/v1/responses/{response_id}/transcript", headers=tenant.hr.headers)
    assert stored.status_code == 200
    assert set(SPOKEN_KEY_WORDS) <= _words(stored.json()["text"])
    resent = server_client.put(
        f"/api/v1/responses/{response_id}/transcript", json=stored.json(), headers=station.headers
    )
    assert resent.status_code == 200 and resent.json()["changed"] is False


def _response_id(station_db: Path, answer_id: str) -> str:
    """The server's id for the answer, as the station journaled it when the server confirmed the media."""
    with sqlite3.connect(station_db) as db:
        row = db.execute(
            "SELECT response_id FROM outbox_answers WHERE answer_id = ?", (answer_id,)
        ).fetchone()
    assert row is not None and row[0], "the media was not confirmed"
    return str(row[0])


def test_an_undecodable_recording_fails_for_good_with_its_reason(
    transcriber: Transcriber, outbox: Outbox, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"not really a video" * 100)
    answer_id = _store_untranscribed(outbox, broken)

    report = transcribe_pending(outbox, transcriber)

    assert report.transcribed == []
    [(failed, reason)] = report.failed
    assert failed.answer_id == answer_id
    assert "could not be read" in reason and str(broken) in reason
    assert outbox.transcript_failure(answer_id) == reason
    assert outbox.counts().transcripts_failed == 1 and outbox.counts().transcripts_pending == 0
    assert transcribe_pending(outbox, transcriber).failed == []  # not retried forever


def test_the_worker_waits_while_a_candidate_is_at_the_station(
    transcriber: Transcriber, recording: Path, outbox: Outbox
) -> None:
    answer_id = _store_untranscribed(outbox, recording)
    activity = StationActivity()
    delivered = threading.Event()
    worker = PendingTranscriptWorker(
        outbox, load_transcriber=lambda: transcriber, activity=activity, on_transcribed=delivered.set
    )
    with activity.interview():
        assert worker.run_pass() is None  # busy: nothing starts
        # a pass already running lets go of the CPU as soon as the station is busy
        stopped = transcribe_pending(outbox, transcriber, cancelled=lambda: activity.busy)
        assert stopped.transcribed == [] and stopped.left == 1
        worker.start()
    try:
        # the interview ended: the worker is woken and transcribes, and the sync loop is woken
        assert delivered.wait(60), "the worker did not run after the interview"
        assert outbox.counts().transcripts_pending == 0
        [queued] = outbox.pending_answers()
        assert queued.answer_id == answer_id and queued.transcript is not None
    finally:
        worker.stop()


def test_the_worker_backs_off_while_the_model_is_unavailable(recording: Path, outbox: Outbox) -> None:
    from desktop_app.errors import SpeechModelError

    _store_untranscribed(outbox, recording)
    attempts: list[float] = []

    def no_model() -> Transcriber:
        attempts.append(time.monotonic())
        raise SpeechModelError("The speech model directory /nowhere does not exist.")

    worker = PendingTranscriptWorker(outbox, load_transcriber=no_model, activity=StationActivity())
    report = worker.run_pass()
    assert report is not None and report.model_problem is not None and report.left == 1
    assert worker.schedule.delay(1) <= worker.schedule.delay(5) <= worker.schedule.max_seconds
    assert outbox.counts().transcripts_pending == 1  # still waiting, not failed


def test_cli_transcribe_pending_prints_what_it_did(
    recording: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.cli import app

    data_dir = tmp_path / "station-data"
    monkeypatch.setenv("INTERVIEW_STATION_DATA_DIR", str(data_dir))
    settings = StationSettings()  # type: ignore[call-arg]
    outbox = Outbox.open(settings.station_db_path)
    try:
        good = _store_untranscribed(outbox, recording)
        broken = tmp_path / "broken.mp4"
        broken.write_bytes(b"garbage" * 50)
        bad = _store_untranscribed(outbox, broken)
    finally:
        outbox.close()
    runner = CliRunner()

    result = runner.invoke(app, ["transcribe-pending"])

    assert result.exit_code == 0, result.output
    assert f"transcribed answer {good}" in result.output
    assert f"failed answer {bad}" in result.output and "could not be read" in result.output
    assert "1 transcribed, 1 failed for good, 0 still pending" in result.output
    assert "Traceback" not in result.output
    again = runner.invoke(app, ["transcribe-pending"])
    assert again.exit_code == 0 and "No answers are waiting for a transcript." in again.output
