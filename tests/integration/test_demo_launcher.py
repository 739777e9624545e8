"""`interview-station demo` as a person starts it, in a real process: its server ends with it (even on
kill -9), a busy port is named with a free one, and a second start reuses the demo organization and
prints one access code."""

import http.server
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from desktop_app.sync.client import station_client
from desktop_app.sync.identity import load_identity
from desktop_app.sync.sessions import AccessCodeRefused, CodeProblem, open_interview
from tests.support.live_server import live_server
from ui.demo_station import DEMO_CANDIDATE, DEMO_JOB, DEMO_QUESTION_SET, prepare_demo_station

pytestmark = pytest.mark.slow

CODE_LINE = re.compile(r"^Use this code at the kiosk: (\S+)$", re.MULTILINE)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the demo binds: TIME_WAIT is free
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _gone(pid: int) -> bool:
    try:
        return bool(psutil.Process(pid).status() == psutil.STATUS_ZOMBIE)  # dead, not yet reaped by init
    except psutil.NoSuchProcess:
        return True


def _headless_env(home: Path) -> dict[str, str]:
    """No screen: the demo starts its server, prints what a person needs, and waits (no kiosk window)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    env.update(XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"), PYTHONUNBUFFERED="1")
    return env


def _start_demo(port: int, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """`python -m ui demo` until it says it waits; returns the process and everything it printed."""
    demo = subprocess.Popen(
        [sys.executable, "-m", "ui", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert demo.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = demo.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("No screen found"):
            return demo, "".join(lines)
    demo.kill()
    raise AssertionError("the demo did not get ready:\n" + "".join(lines))


def _kill_demo_and_check_its_server_goes(demo: subprocess.Popen[str], port: int) -> float:
    [server] = psutil.Process(demo.pid).children()
    assert "sync_server" in server.cmdline()
    demo.send_signal(signal.SIGKILL)  # no finally, no atexit: only the kernel closing its files
    demo.wait()
    killed = time.monotonic()
    while not (_gone(server.pid) and _port_is_free(port)):
        assert time.monotonic() - killed < 15, "the demo's server outlived the demo"
        time.sleep(0.1)
    return time.monotonic() - killed


def test_two_demo_starts_reuse_the_organization_print_one_code_and_leave_no_server(tmp_path: Path) -> None:
    port, env = _free_port(), _headless_env(tmp_path)

    first, first_output = _start_demo(port, env)
    first_gone_after = _kill_demo_and_check_its_server_goes(first, port)
    second, second_output = _start_demo(port, env)
    second_gone_after = _kill_demo_and_check_its_server_goes(second, port)

    for output in (first_output, second_output):
        assert "Server ready" in output
        assert len(CODE_LINE.findall(output)) == 1, output
        assert len(re.findall(r"[A-Z0-9]{4}-[A-Z0-9]{4}", output)) == 1, output  # no second code anywhere
    organization = re.compile(r"organization\s*:\s*(.+)")
    assert organization.findall(first_output) == organization.findall(second_output) != []
    assert CODE_LINE.findall(first_output) != CODE_LINE.findall(second_output)
    # the code printed last works at the demo kiosk; the earlier one no longer does
    identity = load_identity(
        tmp_path / "data" / "interview-station" / "demo-station" / "station-identity.json"
    )
    restarted, restarted_output = _start_demo(port, env)
    try:
        with station_client(identity) as client:
            for earlier in (first_output, second_output):
                with pytest.raises(AccessCodeRefused) as refused:
                    open_interview(client, CODE_LINE.findall(earlier)[0])
                assert refused.value.problem is CodeProblem.wrong
            plan = open_interview(client, CODE_LINE.findall(restarted_output)[0])
            assert plan.candidate_display_name and len(plan.questions) == 2
    finally:
        _kill_demo_and_check_its_server_goes(restarted, port)
    print(f"server gone {first_gone_after:.2f} s and {second_gone_after:.2f} s after kill -9 of the demo")


class _StrangerSaysReady(http.server.BaseHTTPRequestHandler):
    """An orphan server from an earlier crash: it answers /readyz like ours would."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"status": "ready", "checks": {}}')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def stranger_on_a_port() -> Iterator[int]:
    stranger = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _StrangerSaysReady)
    thread = threading.Thread(target=stranger.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(stranger.server_address[1])
    finally:
        stranger.shutdown()
        stranger.server_close()


def test_a_busy_port_is_named_with_a_free_one_and_a_stranger_is_not_taken_for_the_server(
    stranger_on_a_port: int, tmp_path: Path
) -> None:
    port = stranger_on_a_port
    demo = subprocess.run(
        [sys.executable, "-m", "ui", "demo", "--port", str(port)],
        env=_headless_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert demo.returncode == 1
    suggestion = re.fullmatch(rf"port {port} is in use; try --port (\d+)\n", demo.stderr)
    assert suggestion, demo.stderr
    assert _port_is_free(int(suggestion.group(1)))
    assert "Server ready" not in demo.stdout
    assert "Usage" not in demo.stderr + demo.stdout
    assert not (tmp_path / "data" / "interview-station" / "demo-server" / "server.log").exists()


def test_the_demo_station_set_up_twice_has_one_job_question_set_and_candidate(tmp_path: Path) -> None:
    with live_server(tmp_path / "server") as live:
        credentials = live.cli("demo-seed")
        first = prepare_demo_station(live.url, credentials, tmp_path / "station")
        second = prepare_demo_station(live.url, credentials, tmp_path / "station")
        assert first.access_code != second.access_code
        hr = _hr_headers(live.url, credentials)

        def named(path: str, field: str, value: str) -> list[dict[str, Any]]:
            response = httpx.get(f"{live.url}/api/v1{path}", headers=hr, params={"q": value})
            return [item for item in response.json()["items"] if item[field] == value]

        assert len(named("/question-sets", "name", DEMO_QUESTION_SET)) == 1
        assert len(named("/jobs", "title", DEMO_JOB)) == 1
        [candidate] = named("/candidates", "full_name", DEMO_CANDIDATE)
        invites = httpx.get(
            f"{live.url}/api/v1/invites", headers=hr, params={"candidate_id": candidate["id"]}
        ).json()["items"]
        assert len(invites) == 2
        assert [invite["revoked_at"] is None for invite in invites] == [True, False]  # newest first


def _hr_headers(url: str, credentials: str) -> dict[str, str]:
    account = re.search(r"^hr\s*:\s*(\S+)\s+password:\s*(\S+)", credentials, re.MULTILINE)
    assert account
    response = httpx.post(
        f"{url}/api/v1/auth/login", json={"email": account.group(1), "password": account.group(2)}, timeout=30
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
