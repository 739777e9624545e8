"""The real kiosk (`python -m ui kiosk`, full screen, locked down) as a child process whose stderr is
read line by line: every line goes to a log file, and the kiosk's screen/phase lines become events.

Whoever drives it learns of an exit (a crash, unless we asked for it) through the same event queue,
so a driver waiting for the next screen notices a dead kiosk at once.
"""

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import psutil

from tests.support.kiosk_log import KioskEvent, parse_kiosk_line

REPO_ROOT = Path(__file__).resolve().parents[2]
TAIL_LINES = 300


@dataclass(frozen=True)
class KioskExited:
    returncode: int


@dataclass(frozen=True)
class Timed:
    """An event and when this process read it (time.monotonic())."""

    at: float
    event: KioskEvent | KioskExited


class KioskProcess:
    """One run of the kiosk, from start to exit."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self.events: queue.Queue[Timed] = queue.Queue()
        self.tail: deque[str] = deque(maxlen=TAIL_LINES)
        self.started_at = time.monotonic()
        self._stopping = False
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ui", "kiosk"],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            bufsize=1,
        )
        self._reader = threading.Thread(target=self._read_stderr, name="kiosk-stderr", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def asked_to_stop(self) -> bool:
        return self._stopping

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        with self.log_path.open("a", encoding="utf-8") as log:
            for line in self.process.stderr:
                now = time.monotonic()
                log.write(line)
                log.flush()
                self.tail.append(line)
                event = parse_kiosk_line(line)
                if event is not None:
                    self.events.put(Timed(now, event))
        # stderr closes when the process ends: report the exit after every line before it
        self.events.put(Timed(time.monotonic(), KioskExited(self.process.wait())))

    def rss_bytes(self) -> int:
        """Resident memory of the kiosk and all its children; 0 once it is gone."""
        try:
            root = psutil.Process(self.process.pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0
        total = 0
        for process in processes:
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return total

    def tail_text(self) -> str:
        return "".join(self.tail)

    def kill(self) -> None:
        """SIGKILL, for a kiosk that stopped reacting (a "stuck", not a crash)."""
        self._stopping = True
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)
        self._reader.join(10)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM (the kiosk quits cleanly on it), SIGKILL if it does not within `timeout`."""
        self._stopping = True
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(30)
        self._reader.join(10)


def describe_exit(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit code {returncode}"


def kiosk_env(base: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
    """The environment for the kiosk: ours, minus any station/server settings of the machine, plus `extra`."""
    env = {
        key: value
        for key, value in {**os.environ, **base}.items()
        if not key.startswith(("INTERVIEW_STATION_", "INTERVIEW_SERVER_"))
    }
    env.update(extra)
    return env
