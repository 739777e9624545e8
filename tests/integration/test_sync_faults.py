"""Answers survive real faults: the server killed mid-upload, the connection cut mid-chunk, the
station's sync process killed, the server away for a whole interview, the same answer sent three
times. Server and station run as real processes on PostgreSQL + Redis; a proxy plays the network."""

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop_app.sync.loop import SyncLoop
from tests.support.sync_rig import SyncRig, rig_settings

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

CHUNK = 1 << 20


@pytest.fixture
def rig(tmp_path: Path, postgres_url: str, redis_config: tuple[str, str]) -> Iterator[SyncRig]:
    settings, env = rig_settings(tmp_path, postgres_url, *redis_config)
    rig = SyncRig(root=tmp_path, server_settings=settings, server_env=env)
    rig.server.start()
    try:
        yield rig
    finally:
        rig.close()


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class LoopThread:
    """The station's background sync loop, as the kiosk runs it."""

    def __init__(self, loop: SyncLoop) -> None:
        self.loop = loop
        self.stop = threading.Event()
        self.thread = threading.Thread(target=loop.run, args=(self.stop,), daemon=True)

    def __enter__(self) -> "LoopThread":
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join(15)
        self.loop.client.close()


def all_delivered(rig: SyncRig) -> Callable[[], bool]:
    return lambda: rig.outbox.counts().waiting == 0


def assert_exactly_once(rig: SyncRig) -> None:
    delivery = rig.delivery()
    assert delivery.lost == [] and delivery.duplicates == []
    assert delivery.rows == len(rig.answers)


def test_tuspy_client_uploads_to_our_server(rig: SyncRig, tmp_path: Path) -> None:
    from tusclient import client as tus

    path = tmp_path / "answer.mp4"
    data = os.urandom(3 * CHUNK + 123)
    path.write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    tus_client = tus.TusClient(
        f"{rig.server.url}/api/v1/uploads/",
        headers={"Authorization": f"Bearer {rig.world.station_credential}"},
    )
    uploader = tus_client.uploader(
        file_path=str(path),
        chunk_size=CHUNK,
        upload_checksum=True,  # tuspy sends sha1 per chunk, the algorithm the spec requires
        metadata={
            "kind": "video",
            "filename": "answer.mp4",
            "sha256": sha,
            "interview": rig.world.interview_id,
            "question": rig.world.question_ids[0],
            "attempt": "1",
            "answer_id": "tuspy-answer",
        },
    )
    uploader.upload()
    assert uploader.offset == len(data)
    [row] = [r for r in rig_rows(rig) if r.client_answer_id == "tuspy-answer"]
    assert row.media_sha256 == sha
    assert (
        hashlib.sha256((rig.server_settings.media_dir / row.media_object_key).read_bytes()).hexdigest() == sha
    )


def rig_rows(rig: SyncRig):  # type: ignore[no-untyped-def]
    from tests.support.sync_world import responses_of

    return responses_of(rig.server_settings, rig.world.interview_id)


def test_kill_server_mid_upload_then_restart(rig: SyncRig) -> None:
    answer = rig.record_answer(0, 12 * CHUNK + 777)
    rig.proxy.rate_bytes_per_second = 8 * CHUNK  # about 1.5 s for the whole file
    loop = rig.sync_loop(chunk_size=CHUNK)
    with LoopThread(loop):
        rig.wait_mid_upload()
        rig.server.kill()  # SIGKILL, mid-chunk
        time.sleep(0.5)
        rig.proxy.rate_bytes_per_second = None
        rig.server.start()
        wait_for(all_delivered(rig), 60, "delivery after the restart")
    assert_exactly_once(rig)
    resent = loop.uploader.bytes_sent - answer.media_path.stat().st_size
    assert 0 <= resent <= 2 * CHUNK  # the chunk in flight (and at most one more in the kill window)


def test_connection_cut_mid_chunk(rig: SyncRig) -> None:
    answer = rig.record_answer(1, 5 * CHUNK + 10)
    rig.proxy.cut_after(2 * CHUNK + CHUNK // 2)  # halfway through the third chunk
    loop = rig.sync_loop(chunk_size=CHUNK)
    with LoopThread(loop):
        wait_for(all_delivered(rig), 60, "delivery after the cut")
    assert rig.proxy.cuts_done == 1
    assert_exactly_once(rig)
    resent = loop.uploader.bytes_sent - answer.media_path.stat().st_size
    assert 0 < resent <= CHUNK  # exactly the chunk that was cut


def test_kill_station_sync_process_mid_upload_then_resume(rig: SyncRig) -> None:
    rig.record_answer(2, 10 * CHUNK + 5)
    rig.record_answer(3, 2 * CHUNK)
    rig.proxy.rate_bytes_per_second = 6 * CHUNK
    command = [sys.executable, "-c", "from desktop_app.cli import app; app()", "sync"]
    env = {**os.environ, **rig.station_env()}
    log = (rig.root / "station.log").open("ab")
    first = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        rig.wait_mid_upload()
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        offsets = rig.server_offsets()
        assert any(0 < o < n for o, n in offsets)  # the server kept what arrived
        rig.proxy.rate_bytes_per_second = None
        second = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for(all_delivered(rig), 60, "delivery by the restarted sync process")
        finally:
            second.terminate()
            second.wait(15)
    finally:
        if first.poll() is None:
            first.kill()
        log.close()
    assert_exactly_once(rig)


def test_server_unreachable_for_a_whole_interview(rig: SyncRig) -> None:
    rig.server.stop()
    loop = rig.sync_loop(chunk_size=CHUNK)
    with LoopThread(loop):
        for question in range(4):  # the interview goes on while the server is away
            rig.record_answer(question, CHUNK + question * 1000)
            loop.wake()
            time.sleep(0.3)
        assert rig.outbox.counts().waiting == 4
        assert loop.backoff.failures > 0  # it kept trying, backing off
        rig.server.start()
        wait_for(all_delivered(rig), 60, "delivery once the server is back")
    assert_exactly_once(rig)


def test_same_answer_retried_three_times_is_one_response(rig: SyncRig) -> None:
    answer = rig.record_answer(4, CHUNK // 2)
    for _ in range(2):
        rig.outbox.add_answer(answer)  # handed over again by a session that resumed after a crash
    loop = rig.sync_loop()
    loop.run_once()
    for _ in range(3):
        # The station forgets it ever sent it (a journal restored from before the upload) and sends again.
        rig.forget_delivery(answer.answer_id)
        report = loop.run_once()
        assert report.answers_delivered == 1
    loop.client.close()
    assert_exactly_once(rig)


def test_enroll_then_sync_once_from_the_command_line(rig: SyncRig, tmp_path: Path) -> None:
    from sqlalchemy.orm import Session
    from typer.testing import CliRunner

    from desktop_app.cli import app
    from desktop_app.store.outbox import Outbox
    from sync_server.db import build_engine
    from sync_server.stations.service import issue_enrollment_code

    engine = build_engine(rig.server_settings)
    with Session(engine) as session:
        _, code = issue_enrollment_code(
            session,
            rig.server_settings,
            organization_id=rig.world.organization_id,
            station_name="Second kiosk",
            expires_in_minutes=10,
            actor=("user", rig.world.hr_user_id),
        )
        session.commit()
    engine.dispose()
    station_dir = tmp_path / "second-station"
    env = {"INTERVIEW_STATION_DATA_DIR": str(station_dir)}
    runner = CliRunner()
    refused = runner.invoke(app, ["enroll", "--server", rig.server.url, "--code", "WRONG-CODE-0000"], env=env)
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    enrolled = runner.invoke(app, ["enroll", "--server", rig.server.url, "--code", code], env=env)
    assert enrolled.exit_code == 0, enrolled.output
    assert "Second kiosk" in enrolled.output and code not in enrolled.output
    identity = (station_dir / "station-identity.json").read_text()
    assert '"credential": "ist_' in identity
    Outbox.open(station_dir / "station.db").close()
    done = runner.invoke(app, ["sync", "--once"], env=env)
    assert done.exit_code == 0, done.output
    assert "0 waiting" in done.output
