"""Upload throughput, server memory and re-sent bytes for the tus path, against a raw socket copy.

    python -m tests.benchmarks.bench_uploads [--quick] [--chunk-mib 4]

For 10 MB, 200 MB and 1 GB files (--quick: 10 MB and 50 MB) on loopback:
  * tus: the station's TusUploader (HEAD/PATCH, sha256 per chunk) -> the sync server as a uvicorn
    process (embedded SQLite, local storage: fsync per chunk, whole-file sha256 check, atomic rename);
  * raw: the same bytes sent with socket.sendall to a receiver process that writes them to a file
    and fsyncs once — the floor for moving these bytes to disk over TCP;
  * ratio = tus MB/s / raw MB/s (same process, same run);
  * server peak RSS (psutil, sampled every 10 ms) against file size: it should stay flat;
  * a cut: the connection is dropped at a random byte mid-upload (TCP proxy) and the upload resumes;
    bytes re-sent are counted by the uploader (at most one chunk is the target).
Prints tables; asserts nothing.
"""

import argparse
import hashlib
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from desktop_app.sync.client import station_client
from desktop_app.sync.errors import ServerUnreachable
from desktop_app.sync.identity import StationIdentity
from desktop_app.sync.tus import TusUploader
from sync_server.config import ServerSettings
from tests.support.cut_proxy import CutProxy
from tests.support.killable_server import KillableServer, free_tcp_port
from tests.support.sync_world import migrated, seed_world

MB = 1_000_000
MIB = 1 << 20

RECEIVER = """
import os, socket, sys
out = sys.argv[2]
with socket.create_server(("127.0.0.1", int(sys.argv[1]))) as server:
    print("ready", flush=True)
    conn, _ = server.accept()
    with conn, open(out, "wb") as handle:
        while data := conn.recv(1 << 20):
            handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
        conn.sendall(b"ok")
"""


def make_file(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    with path.open("wb") as handle:
        remaining = size
        while remaining:
            block = os.urandom(min(remaining, 4 * MIB))
            handle.write(block)
            digest.update(block)
            remaining -= len(block)
    return digest.hexdigest()


def raw_copy_seconds(path: Path, target: Path) -> float:
    port = free_tcp_port()
    receiver = subprocess.Popen(
        [sys.executable, "-c", RECEIVER, str(port), str(target)], stdout=subprocess.PIPE
    )
    assert receiver.stdout is not None
    receiver.stdout.readline()
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port)) as sock, path.open("rb") as handle:
        while block := handle.read(MIB):
            sock.sendall(block)
        sock.shutdown(socket.SHUT_WR)
        sock.recv(2)
    elapsed = time.perf_counter() - started
    receiver.wait(30)
    target.unlink(missing_ok=True)
    return elapsed


class PeakRss:
    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = self.process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.Error:
                return

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def metadata(world, question: int, answer_id: str, sha: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "kind": "video",
        "filename": "answer.mp4",
        "sha256": sha,
        "interview": world.interview_id,
        "question": world.question_ids[question],
        "attempt": "1",
        "answer_id": answer_id,
    }


def tus_upload(uploader: TusUploader, path: Path, meta: dict[str, str]) -> float:
    size = path.stat().st_size
    started = time.perf_counter()
    location, state = uploader.create(length=size, metadata=meta)
    final = uploader.send(location, path, state)
    elapsed = time.perf_counter() - started
    assert final.offset == size and final.response_id, final
    return elapsed


def upload_through_cut(
    uploader: TusUploader, proxy: CutProxy, path: Path, meta: dict[str, str], rng: random.Random
) -> int:
    size = path.stat().st_size
    location, state = uploader.create(length=size, metadata=meta)
    before = uploader.bytes_sent
    proxy.cut_after(rng.randint(size // 4, 3 * size // 4))
    while True:
        try:
            final = uploader.send(location, path, state)
            break
        except ServerUnreachable:
            state = uploader.state(location)  # resume from the server's offset
    assert final.offset == size and final.response_id
    return uploader.bytes_sent - before - size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--chunk-mib", type=int, default=4, help="PATCH size (the station's default is 4)")
    args = parser.parse_args()
    sizes = [10 * MB, 50 * MB] if args.quick else [10 * MB, 200 * MB, 1000 * MB]
    chunk = args.chunk_mib * MIB
    rng = random.Random(3)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-uploads-") as tmp_name:
        tmp = Path(tmp_name)
        settings = ServerSettings(data_dir=tmp / "server", upload_max_size=2 * 1000 * MB)  # type: ignore[call-arg]
        migrated(settings)
        world = seed_world(settings, questions=12)
        server = KillableServer(
            env={
                "INTERVIEW_SERVER_DATA_DIR": str(settings.data_dir),
                "INTERVIEW_SERVER_UPLOAD_MAX_SIZE": str(settings.upload_max_size),
                "INTERVIEW_SERVER_LOG_LEVEL": "warning",
                "INTERVIEW_SERVER_STATION_RATE_LIMIT": "100000/minute",
            },
            log_path=tmp / "server.log",
        ).start()
        proxy = CutProxy(target_port=server.port).start()
        try:
            identity = StationIdentity(
                server.url, world.station_id, "bench", "bench", world.station_credential
            )
            cut_identity = StationIdentity(
                proxy.url, world.station_id, "bench", "bench", world.station_credential
            )
            with (
                station_client(identity, timeout=120) as client,
                station_client(cut_identity, timeout=120) as cut_client,
            ):
                uploader = TusUploader(client, chunk_size=chunk)
                cut_uploader = TusUploader(cut_client, chunk_size=chunk)
                warmup = tmp / "warmup.bin"
                tus_upload(uploader, warmup, metadata(world, 11, "warmup", make_file(warmup, MIB)))
                idle_rss = psutil.Process(server.pid()).memory_info().rss
                for index, size in enumerate(sizes):
                    path = tmp / f"answer-{size}.bin"
                    sha = make_file(path, size)
                    raw = raw_copy_seconds(path, tmp / "raw-copy.bin")
                    with PeakRss(server.pid()) as rss:
                        seconds = tus_upload(uploader, path, metadata(world, index, f"bench-{index}", sha))
                    resent = upload_through_cut(
                        cut_uploader, proxy, path, metadata(world, index + 6, f"cut-{index}", sha), rng
                    )
                    rows.append((size, size / raw / MB, size / seconds / MB, raw / seconds, rss.peak, resent))
                    path.unlink()
                    for stored in (settings.media_dir / world.organization_id / "video").glob("*"):
                        stored.unlink()
        finally:
            proxy.stop()
            server.stop()
    print(
        f"\nupload benchmark (loopback, {chunk // MIB} MiB chunks with sha256, server on embedded SQLite + local storage)"
    )
    print(f"server RSS when idle: {idle_rss / MIB:.0f} MiB")
    print(
        f"{'file':>8} {'raw MB/s':>9} {'tus MB/s':>9} {'ratio':>6} {'server peak RSS':>16} {'re-sent after cut':>18}"
    )
    for size, raw_rate, tus_rate, ratio, peak, resent in rows:
        print(
            f"{size // MB:>5} MB {raw_rate:>9.0f} {tus_rate:>9.0f} {ratio:>6.2f} {peak / MIB:>12.0f} MiB "
            f"{resent / MIB:>11.2f} MiB ({resent / chunk:.2f} chunk)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
