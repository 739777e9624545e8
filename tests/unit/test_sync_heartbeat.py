"""The sync loop tells the server how many answers wait in the outbox (admins see it on Stations):
before a pass's uploads, again when the number changed, and not on every idle pass."""

import hashlib
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from desktop_app.store.answers import FinishedAnswer
from desktop_app.store.outbox import Outbox
from desktop_app.sync.errors import ServerUnreachable
from desktop_app.sync.loop import SyncLoop
from desktop_app.sync.sessions import queue_consent_declined


class FakeServer:
    """Answers heartbeats and refuses uploads with the status it is set to."""

    def __init__(self) -> None:
        self.upload_status = 503
        self.heartbeats: list[int] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/station/heartbeat":
            self.heartbeats.append(json.loads(request.content)["pending_uploads"])
            return httpx.Response(200, json={"station_id": "s", "server_time": "2026-11-25T20:00:00Z"})
        if request.url.path.startswith("/api/v1/uploads"):
            return httpx.Response(self.upload_status, json={"error": "X", "detail": "Not now."})
        return httpx.Response(404, json={"error": "NotFound", "detail": "No such route."})


def add_answer(outbox: Outbox, folder: Path) -> None:
    media = folder / f"{uuid.uuid4()}.mp4"
    media.write_bytes(b"recorded bytes")
    outbox.add_answer(
        FinishedAnswer(
            answer_id=str(uuid.uuid4()),
            interview_id="interview",
            question_id="question",
            attempt=1,
            media_path=media,
            media_sha256=hashlib.sha256(b"recorded bytes").hexdigest(),
            duration_seconds=3.0,
            recorded_at=datetime.now(UTC),
            transcript=None,
        )
    )


def test_the_loop_reports_the_outbox_count_when_it_changes(tmp_path: Path) -> None:
    server = FakeServer()
    outbox = Outbox.open(tmp_path / "station.db")
    client = httpx.Client(base_url="http://server", transport=httpx.MockTransport(server))
    loop = SyncLoop(outbox, client)
    try:
        for _ in range(2):
            add_answer(outbox, tmp_path)
        with pytest.raises(ServerUnreachable):
            loop.run_once()  # the count goes out before the uploads, which fail
        assert server.heartbeats == [2]
        with pytest.raises(ServerUnreachable):
            loop.run_once()
        assert server.heartbeats == [2], "the same count is not sent again within the minute"
        server.upload_status = 400  # refused for good: set aside, no longer waiting
        report = loop.run_once()
        assert len(report.rejected) == 2 and outbox.counts().waiting == 0
        assert server.heartbeats == [2, 0]
    finally:
        client.close()
        outbox.close()


class HeartbeatDownServer(FakeServer):
    """The heartbeat route fails as a network would (dropped connection, then 503); records go through."""

    def __init__(self) -> None:
        super().__init__()
        self.heartbeat_failures = [httpx.ConnectError("dropped"), 503]
        self.posts: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/station/heartbeat" and self.heartbeat_failures:
            failure = self.heartbeat_failures.pop(0)
            if isinstance(failure, Exception):
                raise failure
            return httpx.Response(failure, json={"error": "ServiceUnavailable", "detail": "Busy."})
        if request.url.path.endswith("/progress"):
            self.posts.append(json.loads(request.content)["status"])
            return httpx.Response(200, json={})
        return super().__call__(request)


def test_a_failed_heartbeat_does_not_hold_back_deliveries(tmp_path: Path) -> None:
    server = HeartbeatDownServer()
    outbox = Outbox.open(tmp_path / "station.db")
    client = httpx.Client(base_url="http://server", transport=httpx.MockTransport(server))
    loop = SyncLoop(outbox, client)
    try:
        queue_consent_declined(outbox, interview_id="interview", at=datetime.now(UTC))
        server.upload_status = 400  # the answer is refused for good: handled in this pass, not waiting
        add_answer(outbox, tmp_path)
        report = loop.run_once()  # both heartbeats of the pass fail; the pass still delivers
        assert server.posts == ["declined"] and report.posts_delivered == 1
        assert len(report.rejected) == 1 and outbox.counts().waiting == 0
        assert server.heartbeats == [], "neither heartbeat got through"
        loop.run_once()
        assert server.heartbeats == [0], "the next pass says the count again"
    finally:
        client.close()
        outbox.close()
