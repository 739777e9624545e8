"""A real `interview-server serve` in a subprocess, for clients that talk HTTP (the review desk)."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass(frozen=True)
class LiveServer:
    url: str
    data_dir: Path
    env: dict[str, str]
    log_file: Path

    def cli(self, *args: str) -> str:
        """Run `interview-server <args>` against this server's database; return its output.

        In this process (typer's runner with the server's environment), because a fresh interpreter per
        command costs seconds of imports.
        """
        from typer.testing import CliRunner

        from sync_server.cli import app

        result = CliRunner().invoke(app, list(args), env=self.env)
        if result.exit_code != 0:
            raise RuntimeError(f"interview-server {' '.join(args)} failed: {result.output.strip()}")
        return result.output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(
    data_dir: Path, *, database_url: str | None = None, redis: tuple[str, str] | None = None
) -> Iterator[LiveServer]:
    """Migrate, serve on a free port, wait for /readyz; stop (and wait) on exit."""
    port = _free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEW_SERVER_")}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(INTERVIEW_SERVER_DATA_DIR=str(data_dir), INTERVIEW_SERVER_LOG_JSON="true")
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis:
        env["REDIS_URL"], env["INTERVIEW_SERVER_REDIS_KEY_PREFIX"] = redis
    log_file = data_dir / "server.log"
    with log_file.open("ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sync_server", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=log,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited early:\n{log_file.read_text()[-3000:]}")
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not become ready:\n{log_file.read_text()[-3000:]}")
            time.sleep(0.2)
        yield LiveServer(url=url, data_dir=data_dir, env=env, log_file=log_file)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
