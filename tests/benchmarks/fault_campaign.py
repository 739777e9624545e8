"""Randomized fault campaign for station -> server sync: does any answer get lost or duplicated?

    python -m tests.benchmarks.fault_campaign [--runs 200] [--seed 7] [--quick]

Real parts: PostgreSQL and Redis (a database and key prefix of its own), the sync server as a
uvicorn process, a TCP proxy between station and server, the station's SQLite outbox on disk.
Each run records 1-3 answers of random size (40 KB - 3 MB, 1 MiB chunks) for a fresh interview and
injects one fault drawn at random:
  none          nothing goes wrong
  cut           the connection is cut after a random number of bytes (mid-chunk)
  server-kill   the server gets SIGKILL mid-upload and is restarted
  server-down   the server is down when the answers are recorded, back after 0.2-1.5 s
  station-kill  the station's `interview-station sync` process gets SIGKILL mid-upload, then restarts
  repeat        the station forgets it sent an answer and sends it again, three times
Then it compares the station's answers with the server's rows and stored bytes (sha256).
Prints per-fault rows and the totals: answers lost and duplicates (both must be 0) and bytes
re-sent (wire bytes beyond the files' sizes; includes HTTP headers, about 0.5 KB per request).
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.services import redis_namespace, temporary_postgres_database
from tests.support.sync_rig import SyncRig, rig_settings

CHUNK = 1 << 20
FAULTS = ["none", "cut", "server-kill", "server-down", "station-kill", "repeat"]
DELIVERY_TIMEOUT = 90.0


@dataclass
class FaultStats:
    runs: int = 0
    answers: int = 0
    lost: int = 0
    duplicates: int = 0
    resent_bytes: int = 0
    max_resent: int = 0
    seconds: float = 0.0
    kills_mid_upload: int = 0  # kills that struck while an upload was incomplete


@dataclass
class CampaignResult:
    by_fault: dict[str, FaultStats] = field(default_factory=lambda: defaultdict(FaultStats))

    @property
    def lost(self) -> int:
        return sum(s.lost for s in self.by_fault.values())

    @property
    def duplicates(self) -> int:
        return sum(s.duplicates for s in self.by_fault.values())

    @property
    def resent(self) -> int:
        return sum(s.resent_bytes for s in self.by_fault.values())


def _wait(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _start_server(rig: SyncRig) -> None:
    """Start (or restart) the server; on a loaded machine a start can time out, so try again."""
    for attempt in range(3):
        try:
            rig.server.start()
            return
        except RuntimeError:
            rig.server.kill()
            if attempt == 2:
                raise


def _delivered(rig: SyncRig) -> bool:
    return rig.outbox.counts().waiting == 0


def _run_in_thread(rig: SyncRig, during) -> None:  # type: ignore[no-untyped-def]
    loop = rig.sync_loop(chunk_size=CHUNK)
    stop = threading.Event()
    thread = threading.Thread(target=loop.run, args=(stop,), daemon=True)
    thread.start()
    try:
        during(loop)
        _wait(lambda: _delivered(rig), DELIVERY_TIMEOUT)
    finally:
        stop.set()
        thread.join(15)
        loop.client.close()


def one_run(rig: SyncRig, fault: str, rng: random.Random, landed: list[bool]) -> list[str]:
    """Record answers for a new interview under `fault`; return their answer ids. A kill appends to
    `landed` whether an upload was still incomplete when it struck."""
    interview = rig.new_interview()
    # A kill must be able to land mid-upload: those runs get files of several chunks.
    smallest = 3 * CHUNK if fault in {"server-kill", "station-kill"} else 40_000
    sizes = [rng.randint(smallest, smallest + 3_000_000) for _ in range(rng.randint(1, 3))]
    total = sum(sizes)

    def record() -> list[str]:
        return [rig.record_answer(i, size, interview_id=interview).answer_id for i, size in enumerate(sizes)]

    if fault == "server-down":
        rig.server.stop()
        ids = record()

        def bring_back(loop) -> None:  # type: ignore[no-untyped-def]
            time.sleep(rng.uniform(0.2, 1.5))
            _start_server(rig)

        _run_in_thread(rig, bring_back)
        return ids

    ids = record()
    if fault == "none":
        _run_in_thread(rig, lambda loop: None)
    elif fault == "cut":
        rig.proxy.cut_after(rng.randint(1, total))
        _run_in_thread(rig, lambda loop: None)
        rig.proxy.cut_after(10**15)  # disarm if the cut never happened
        rig.proxy._cut_at = None
    elif fault == "server-kill":
        rig.proxy.rate_bytes_per_second = 12 * CHUNK

        def kill_mid_upload(loop) -> None:  # type: ignore[no-untyped-def]
            _wait(lambda: any(0 < o < n for o, n in rig.server_offsets()), 10)
            time.sleep(rng.uniform(0, 0.1))
            rig.server.kill()
            landed.append(any(o < n for o, n in rig.server_offsets()))
            rig.proxy.rate_bytes_per_second = None
            time.sleep(rng.uniform(0, 0.5))
            _start_server(rig)

        _run_in_thread(rig, kill_mid_upload)
        rig.proxy.rate_bytes_per_second = None
    elif fault == "station-kill":
        rig.proxy.rate_bytes_per_second = 12 * CHUNK
        command = [sys.executable, "-c", "from desktop_app.cli import app; app()", "sync"]
        env = {**os.environ, **rig.station_env()}
        with (rig.root / "station.log").open("ab") as log:
            first = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
            _wait(lambda: any(0 < o < n for o, n in rig.server_offsets()), 15)
            time.sleep(rng.uniform(0, 0.1))
            first.send_signal(signal.SIGKILL)
            first.wait(10)
            landed.append(any(o < n for o, n in rig.server_offsets()))
            rig.proxy.rate_bytes_per_second = None
            second = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
            _wait(lambda: _delivered(rig), DELIVERY_TIMEOUT)
            second.terminate()
            second.wait(15)
    elif fault == "repeat":
        _run_in_thread(rig, lambda loop: None)
        for _ in range(3):
            for answer_id in ids:
                rig.forget_delivery(answer_id)
            _run_in_thread(rig, lambda loop: None)
    return ids


def run_campaign(rig: SyncRig, *, runs: int, seed: int, faults: list[str] | None = None) -> CampaignResult:
    rng = random.Random(seed)
    result = CampaignResult()
    for number in range(runs):
        fault = faults[number % len(faults)] if faults else rng.choice(FAULTS)
        wire_before = rig.proxy.bytes_up
        started = time.monotonic()
        before = set(rig.answers)
        landed: list[bool] = []
        one_run(rig, fault, rng, landed)
        stats_landed = sum(landed)
        new_ids = [a for a in rig.answers if a not in before]
        payload = sum(rig.answers[a].media_path.stat().st_size for a in new_ids)
        if fault == "repeat":
            payload *= 4  # sent once, then three deliberate repeats: not "re-sent" by a fault
        delivery = rig.delivery()
        stats = result.by_fault[fault]
        stats.runs += 1
        stats.answers += len(new_ids)
        stats.lost += len([a for a in delivery.lost if a in new_ids])
        stats.duplicates += len(delivery.duplicates)
        resent = max(0, rig.proxy.bytes_up - wire_before - payload)
        stats.resent_bytes += resent
        stats.max_resent = max(stats.max_resent, resent)
        stats.seconds += time.monotonic() - started
        stats.kills_mid_upload += stats_landed
        if rig.server.process is None:
            _start_server(rig)
    return result


def print_result(result: CampaignResult, runs: int) -> None:
    print(f"\nfault campaign: {runs} runs, chunk {CHUNK // 1024} KiB")
    print(
        f"{'fault':<14}{'runs':>6}{'answers':>9}{'lost':>6}{'dup':>5}{'re-sent MB':>12}{'max/run KB':>12}{'s/run':>8}"
    )
    for fault in FAULTS:
        stats = result.by_fault.get(fault)
        if stats is None or not stats.runs:
            continue
        print(
            f"{fault:<14}{stats.runs:>6}{stats.answers:>9}{stats.lost:>6}{stats.duplicates:>5}"
            f"{stats.resent_bytes / 1e6:>12.2f}{stats.max_resent / 1024:>12.0f}{stats.seconds / stats.runs:>8.2f}"
            f"{stats.kills_mid_upload if fault.endswith('kill') else '':>18}"
        )
    answers = sum(s.answers for s in result.by_fault.values())
    print(
        f"\nanswers: {answers}   answers lost: {result.lost}   duplicates: {result.duplicates}   "
        f"bytes re-sent: {result.resent / 1e6:.2f} MB (wire bytes beyond the files, headers included)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="12 runs, each fault twice")
    args = parser.parse_args()
    runs = 12 if args.quick else args.runs
    with (
        tempfile.TemporaryDirectory(prefix="fault-campaign-") as tmp,
        temporary_postgres_database() as db_url,
        redis_namespace() as (redis_url, prefix),
    ):
        settings, env = rig_settings(Path(tmp), db_url, redis_url, prefix)
        rig = SyncRig(root=Path(tmp), server_settings=settings, server_env=env)
        rig.server.start()
        try:
            result = run_campaign(rig, runs=runs, seed=args.seed, faults=FAULTS if args.quick else None)
        finally:
            rig.close()
    print_result(result, runs)
    return 0 if result.lost == 0 and result.duplicates == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
