"""`interview-server serve` as a real process (uvicorn), for multi-process tests and benchmarks."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


class ServerProcess:
    def __init__(self, port: int, env: dict[str, str], *, workers: int = 1) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        # Output goes to a file: an unread pipe would block the server once it filled up.
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115  (closed in stop())
        self.proc = subprocess.Popen(
            [
                str(BIN / "interview-server"),
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--no-migrate",
            ],
            env={**os.environ, **env, "INTERVIEW_SERVER_LOG_LEVEL": "warning"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def wait_ready(self, timeout: float = 60) -> "ServerProcess":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.output()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("server did not become ready")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def server_env(
    *, data_dir: Path, database_url: str | None, redis_url: str | None, prefix: str, secret: str
) -> dict[str, str]:
    env = {"INTERVIEW_SERVER_DATA_DIR": str(data_dir), "INTERVIEW_SERVER_SECRET_KEY": secret}
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis_url:
        env["REDIS_URL"] = redis_url
        env["INTERVIEW_SERVER_REDIS_KEY_PREFIX"] = prefix
    return env
