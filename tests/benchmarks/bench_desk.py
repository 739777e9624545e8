"""Review desk: how soon a long answer starts playing, and how a long list scrolls.

    python -m tests.benchmarks.bench_desk [--quick]

Playback: a real server receives an H.264+AAC answer from a real station upload (tus); the desk's player
opens it (a) streamed through the loopback relay with HTTP Range, and (b) the baseline: downloaded whole
through the media cache first, then played from disk. Time = from "open" to the first frame delivered
to the QVideoSink. Lists: a RecordTable with N rows: time to load the rows, and the time per page when
scrolling from top to bottom (each page painted). Prints tables, asserts nothing.
"""

import argparse
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _make_video(path: Path, seconds: int, width: int, height: int) -> Path:
    import av
    import numpy as np

    fps, rate = 30, 48_000
    with av.open(str(path), mode="w") as container:
        video = container.add_stream("libx264", rate=fps, options={"preset": "ultrafast"})
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        audio = container.add_stream("aac", rate=rate)
        x = np.linspace(0, 255, width, dtype=np.float32)
        samples_per_frame = rate // fps
        for i in range(seconds * fps):
            frame = np.empty((height, width, 3), dtype=np.uint8)
            frame[..., 0] = (x + i * 4) % 256
            frame[..., 1] = (i * 3) % 256
            frame[..., 2] = (255 - x) % 256
            for packet in video.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
            t = (np.arange(samples_per_frame) + i * samples_per_frame) / rate
            tone = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[None, :]
            sound = av.AudioFrame.from_ndarray(tone, format="fltp", layout="mono")
            sound.sample_rate = rate
            for packet in audio.encode(sound):
                container.mux(packet)
        for stream in (video, audio):
            for packet in stream.encode():
                container.mux(packet)
    return path


def _first_frame_seconds(app, source: str) -> float:  # type: ignore[no-untyped-def]
    from ui.widgets.video_player import VideoPlayer

    player = VideoPlayer()
    player.audio.setMuted(True)
    started = time.perf_counter()
    player.open(source, autoplay=True)
    deadline = started + 60
    while player.frames_shown == 0 and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    elapsed = time.perf_counter() - started
    player.close_media()
    player.deleteLater()
    app.processEvents()
    return elapsed


def bench_playback(app, quick: bool) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.desk.api import DeskApi
    from desktop_app.desk.media_cache import MediaCache
    from desktop_app.desk.media_stream import MediaRelay
    from sync_server.contract import (
        EnrollmentCodeCreate,
        InviteCreate,
        JobCreate,
        QuestionIn,
        QuestionSetCreate,
    )
    from tests.support.desk_seed import seed_org
    from tests.support.desk_world import RecordedAnswer, record_interview
    from tests.support.live_server import live_server

    seconds, width, height = (20, 854, 480) if quick else (120, 1280, 720)
    runs = 3 if quick else 5
    with tempfile.TemporaryDirectory() as tmp, live_server(Path(tmp) / "server") as server:
        root = Path(tmp)
        video = _make_video(root / "long.mp4", seconds, width, height)
        size_mb = video.stat().st_size / 1e6
        org = seed_org(server)
        admin, _ = DeskApi.sign_in(server.url, org.admin_email, org.password)
        qs = admin.create_question_set(
            QuestionSetCreate(name="Q", questions=[QuestionIn(text="Tell us more.")])
        )
        job = admin.create_job(JobCreate(title="J", question_set_id=qs.id))
        candidate = admin.add_candidate(full_name="Long Answer", email=None, job_id=job.id, cv=None)
        invite = admin.invite(InviteCreate(candidate_id=candidate.id))
        code = admin.enrollment_code(EnrollmentCodeCreate(station_name="Bench"))
        interview_id = record_interview(
            server_url=server.url,
            enrollment_code=code.enrollment_code,
            access_code=invite.access_code,
            answers=[RecordedAnswer(video, None, float(seconds))],
            workdir=root / "station",
        )
        response_id = admin.interview(interview_id).responses[0].id
        relay = MediaRelay(admin.client)
        streamed, downloaded = [], []
        for run in range(runs):
            streamed.append(_first_frame_seconds(app, relay.url_for(response_id)))
            cache = MediaCache(root / f"cache-{run}", admin.client)
            started = time.perf_counter()
            media = cache.fetch(response_id)
            download = time.perf_counter() - started
            downloaded.append(download + _first_frame_seconds(app, str(media.path)))
        relay.close()
        admin.sign_out()
    s, d = statistics.median(streamed), statistics.median(downloaded)
    print(
        f"\nTime to first frame, {seconds} s {width}x{height} H.264+AAC answer ({size_mb:.1f} MB), median of {runs}"
    )
    print(f"{'path':<42}{'first frame (s)':>16}{'vs baseline':>13}")
    print(f"{'download whole file, then play (baseline)':<42}{d:>16.3f}{1.0:>13.2f}")
    print(f"{'stream through the relay (HTTP Range)':<42}{s:>16.3f}{s / d:>13.2f}")


def bench_lists(app, quick: bool) -> None:  # type: ignore[no-untyped-def]
    from sync_server.contract import AuditEntryOut
    from ui.widgets.record_table import Column, RecordTable

    sizes = (1_000, 10_000) if quick else (1_000, 10_000, 50_000)
    now = datetime.now(UTC)
    print("\nA long list in the model/view table (audit-log rows), offscreen, 1200x800")
    print(f"{'rows':>8}{'load (ms)':>12}{'pages':>8}{'ms/page median':>16}{'ms/page max':>13}")
    for count in sizes:
        rows = [
            AuditEntryOut(
                id=str(i),
                actor_type="user",
                actor_id=f"user-{i % 7}",
                action="candidate.created",
                target_type="candidate",
                target_id=str(i),
                details={},
                ip_address="127.0.0.1",
                created_at=now - timedelta(seconds=i),
            )
            for i in range(count)
        ]
        table = RecordTable(
            [
                Column("When", lambda e: f"{e.created_at:%Y-%m-%d %H:%M:%S}"),
                Column("Who", lambda e: e.actor_id),
                Column("Action", lambda e: e.action),
                Column("Record", lambda e: e.target_id),
            ]
        )
        table.resize(1200, 800)
        table.show()
        app.processEvents()
        started = time.perf_counter()
        table.set_rows(rows)
        app.processEvents()
        load_ms = (time.perf_counter() - started) * 1000
        bar = table.verticalScrollBar()
        page_times = []
        while bar.value() < bar.maximum() and len(page_times) < 400:
            started = time.perf_counter()
            bar.setValue(bar.value() + bar.pageStep())
            table.viewport().repaint()
            page_times.append((time.perf_counter() - started) * 1000)
        print(
            f"{count:>8}{load_ms:>12.1f}{len(page_times):>8}{statistics.median(page_times):>16.2f}{max(page_times):>13.2f}"
        )
        table.deleteLater()
        app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="A shorter answer and fewer rows.")
    args = parser.parse_args()
    from ui.qt import QApplication
    from ui.tasks import install_main_thread_relay

    app = QApplication.instance() or QApplication([])
    install_main_thread_relay()
    bench_playback(app, args.quick)
    bench_lists(app, args.quick)


if __name__ == "__main__":
    main()
