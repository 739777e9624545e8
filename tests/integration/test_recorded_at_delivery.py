"""When an answer was recorded reaches the server: through the station's outbox and sync loop (tus
upload metadata) into the response row, read back through the HR API."""

import hashlib
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from desktop_app.store.answers import FinishedAnswer
from desktop_app.store.outbox import Outbox
from desktop_app.sync.client import station_client
from desktop_app.sync.identity import StationIdentity
from desktop_app.sync.loop import SyncLoop
from desktop_app.sync.sessions import open_interview
from desktop_app.sync.tus import encode_metadata
from sync_server.contract import InterviewPlan
from tests.support.kiosk_server import KioskServer
from tests.support.live_server import live_server

pytestmark = pytest.mark.slow

QUESTIONS = [
    {"text": "Say hello.", "think_seconds": 1, "answer_seconds": 5, "max_attempts": 2},
    {"text": "Say goodbye.", "think_seconds": 1, "answer_seconds": 5},
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with live_server(tmp_path_factory.mktemp("recorded-at-server")) as live:
        yield KioskServer.seed(live)


@pytest.fixture
def station(server: KioskServer, tmp_path: Path) -> tuple[StationIdentity, InterviewPlan]:
    identity = server.enroll_station(tmp_path / "identity.json")
    code, _, _ = server.invite(QUESTIONS)
    with station_client(identity) as client:
        plan = open_interview(client, code)
    return identity, plan


def _answer(tmp_path: Path, plan: InterviewPlan, question: int, recorded_at: datetime) -> FinishedAnswer:
    answer_id = str(uuid.uuid4())
    media = tmp_path / "media" / f"{answer_id}.mp4"
    media.parent.mkdir(parents=True, exist_ok=True)
    media.write_bytes(b"not really a video, " * 500 + answer_id.encode())
    return FinishedAnswer(
        answer_id=answer_id,
        interview_id=plan.interview_id,
        question_id=plan.questions[question].id,
        attempt=1,
        media_path=media,
        media_sha256=hashlib.sha256(media.read_bytes()).hexdigest(),
        duration_seconds=4.2,
        recorded_at=recorded_at,
        transcript=None,
    )


def _deliver(tmp_path: Path, identity: StationIdentity, *answers: FinishedAnswer) -> None:
    outbox = Outbox.open(tmp_path / "station.db")
    try:
        for answer in answers:
            outbox.add_answer(answer)
        with station_client(identity) as client:
            report = SyncLoop(outbox, client).run_once()
        assert report.answers_delivered == len(answers), report
        assert outbox.counts().waiting == 0
    finally:
        outbox.close()


def test_the_moment_an_answer_was_recorded_reaches_the_server(server, station, tmp_path) -> None:  # type: ignore[no-untyped-def]
    identity, plan = station
    # a zone other than UTC, to the microsecond: the server keeps the moment, not the wall-clock text
    recorded = datetime(2026, 3, 14, 17, 9, 26, 535897, tzinfo=timezone(timedelta(hours=2)))
    good = _answer(tmp_path, plan, 0, recorded)
    # a station whose clock battery died reads 1970: the answer still arrives, without a recording time
    dead_clock = _answer(tmp_path, plan, 1, datetime(1970, 1, 1, 0, 5, tzinfo=UTC))
    _deliver(tmp_path, identity, good, dead_clock)

    responses = {r["question_id"]: r for r in server.interview(plan.interview_id)["responses"]}
    assert datetime.fromisoformat(responses[good.question_id]["recorded_at"]) == recorded
    assert responses[good.question_id]["has_media"]
    assert responses[dead_clock.question_id]["has_media"]
    assert responses[dead_clock.question_id]["recorded_at"] is None


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("yesterday at noon", "must be an ISO 8601 date and time"),
        ("2026-03-14T15:09:26", "must carry its UTC offset"),
    ],
)
def test_an_unreadable_recording_time_is_refused_with_a_reason(server, station, value, complaint) -> None:  # type: ignore[no-untyped-def]
    identity, plan = station
    with station_client(identity) as client:
        response = client.post(
            "/api/v1/uploads/",
            headers={
                "Tus-Resumable": "1.0.0",
                "Upload-Length": "10",
                "Upload-Metadata": _metadata(plan, recorded_at=value),
            },
        )
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "BadRequest"
    assert complaint in response.json()["detail"]


def _metadata(plan: InterviewPlan, *, recorded_at: str) -> str:
    return encode_metadata(
        {
            "kind": "video",
            "filename": "a.mp4",
            "sha256": hashlib.sha256(b"0123456789").hexdigest(),
            "interview": plan.interview_id,
            "question": plan.questions[0].id,
            "attempt": "1",
            "answer_id": str(uuid.uuid4()),
            "recorded_at": recorded_at,
        }
    )
