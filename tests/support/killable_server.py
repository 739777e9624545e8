"""The sync server as a real process (uvicorn) that tests can kill -9 and start again on the same port.

The test binds the listening socket itself and hands it to uvicorn (`--fd`): a port picked up front and
bound only seconds later by a slow-starting child could be taken in between by another process on a
busy machine ("address already in use"). The parent closes its copy once the child has it, so a killed
server refuses connections exactly like a crashed one.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx


def free_tcp_port() -> int:
    with bound_socket() as sock:
        return int(sock.getsockname()[1])


def bound_socket(port: int = 0) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart reuses its own port at once
    sock.bind(("127.0.0.1", port))
    return sock


@dataclass
class KillableServer:
    """`uvicorn sync_server.app:create_app` on a port, with the given environment."""

    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    # Held from construction to the first start, so the port is ours before anyone is told about it.
    _reserved: socket.socket | None = field(default_factory=bound_socket, repr=False)
    port: int = field(init=False)

    def __post_init__(self) -> None:
        assert self._reserved is not None
        self.port = int(self._reserved.getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 90.0) -> "KillableServer":
        env = {**os.environ, **self.env}
        listener, self._reserved = self._reserved or bound_socket(self.port), None
        listener.listen(128)
        log = self.log_path.open("ab")
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "sync_server.app:create_app",
                    "--factory",
                    "--fd",
                    str(listener.fileno()),
                    "--log-level",
                    "warning",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=(listener.fileno(),),
            )
        finally:
            log.close()
            listener.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"server exited with {self.process.returncode}: {self.log_path.read_text()[-3000:]}"
                )
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"server did not start: {self.log_path.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing — a power cut as far as the process knows."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None

    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid
