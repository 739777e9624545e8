"""The demo's own sync server: a child process that serves on a port the demo bound, and ends with it.

The demo binds the port itself before starting anything. A busy port (an earlier demo, another
program) is found at once and named with a free one to use instead; and since the listening socket is
the demo's, handed to the child (`serve --fd`), whatever answers on it can only be that child: an
orphan server from an earlier crash can never be taken for ours. (Windows cannot hand a socket over
this way: there the child binds the port the demo just found free, and must answer while alive.)

The child's standard input is a pipe the demo holds: when the demo ends, however it ends, the server
stops (`serve --exit-with-parent`, see sync_server/lifeline.py for why a pipe and not a signal).
"""

import errno
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from desktop_app.errors import StationError

READY_TIMEOUT_SECONDS = 60.0
PORTS_TRIED_FOR_A_SUGGESTION = 50
_CAN_HAND_OVER_SOCKETS = os.name == "posix"


class PortInUse(StationError):
    """The demo's port is taken; `free_port` is one nearby that is not (None when none was found)."""

    def __init__(self, port: int, free_port: int | None) -> None:
        fix = f"try --port {free_port}" if free_port else "stop the program that uses it, or choose --port"
        super().__init__(f"port {port} is in use;", fix=fix)
        self.port = port
        self.free_port = free_port


class DemoServerFailed(StationError):
    """The demo server stopped or did not become ready; the message names its log."""


def _bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if os.name == "posix":
        # A demo that just ended leaves its port in TIME_WAIT; that must not count as "in use".
        # (On Windows this option would let two listeners share the port, so it stays off there.)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        sock.close()
        raise
    return sock


def reserve_port(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:port, or PortInUse naming a free port nearby."""
    try:
        sock = _bind(port)
    except OSError as exc:
        if exc.errno not in {errno.EADDRINUSE, errno.EACCES}:
            raise
        raise PortInUse(port, _free_port_after(port)) from None
    sock.listen(128)
    return sock


def _free_port_after(port: int) -> int | None:
    for candidate in range(port + 1, min(port + 1 + PORTS_TRIED_FOR_A_SUGGESTION, 65536)):
        try:
            _bind(candidate).close()
        except OSError:
            continue
        return candidate
    return None


@dataclass
class DemoServer:
    process: subprocess.Popen[bytes]
    url: str
    log_file: Path

    def stop(self, *, timeout: float = 15.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdin is not None:
            self.process.stdin.close()


def _server_env(server_dir: Path) -> dict[str, str]:
    env = {**os.environ, "INTERVIEW_SERVER_DATA_DIR": str(server_dir), "INTERVIEW_SERVER_LOG_JSON": "false"}
    for var in ("DATABASE_URL", "REDIS_URL"):
        env.pop(var, None)  # the demo always runs on the embedded default
    return env


def start_demo_server(port: int, server_dir: Path, *, timeout: float = READY_TIMEOUT_SECONDS) -> DemoServer:
    """`interview-server serve` on 127.0.0.1:port (SQLite under server_dir), ready to answer.

    Raises:
        PortInUse: the port is taken (nothing was started).
        DemoServerFailed: the server stopped, or did not become ready in time (it is stopped).
    """
    server_dir.mkdir(parents=True, exist_ok=True)
    log_file = server_dir / "server.log"
    listener = reserve_port(port)
    command = [sys.executable, "-m", "sync_server", "serve", "--exit-with-parent"]
    if _CAN_HAND_OVER_SOCKETS:
        command += ["--fd", str(listener.fileno())]
    else:
        listener.close()
        command += ["--host", "127.0.0.1", "--port", str(port)]
    try:
        with log_file.open("ab") as log:
            process = subprocess.Popen(
                command,
                env=_server_env(server_dir),
                stdin=subprocess.PIPE,  # the lifeline: closed by the kernel when this process ends
                stdout=log,
                stderr=log,
                pass_fds=(listener.fileno(),) if _CAN_HAND_OVER_SOCKETS else (),
                # Ctrl-C in the terminal reaches the demo alone, which stops the server after the
                # kiosk has shut down (it may still be handing over answers).
                start_new_session=_CAN_HAND_OVER_SOCKETS,
            )
    finally:
        listener.close()  # the child has its own copy; a dead child then leaves the port free
    server = DemoServer(process, f"http://127.0.0.1:{port}", log_file)
    try:
        _wait_until_ready(server, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_ready(server: DemoServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise DemoServerFailed(f"The demo server stopped; see {server.log_file}.")
        try:
            answered = httpx.get(f"{server.url}/readyz", timeout=1).status_code == 200
        except httpx.TransportError:
            answered = False
        # Alive after the answer too: without a handed-over socket (Windows), a stranger on the port
        # could answer while our child is still failing to bind it.
        if answered and server.process.poll() is None:
            return
        time.sleep(0.25)
    raise DemoServerFailed(f"The demo server did not become ready in {timeout:.0f} s; see {server.log_file}.")
