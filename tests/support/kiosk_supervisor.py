"""Keeps one real kiosk running: starts it, restarts it when it dies (a crash) or stops reacting (a
"stuck": we kill it), and keeps the evidence of each (stderr tail, screenshot) in the output folder."""

import queue
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.kiosk_process import KioskExited, KioskProcess, Timed, describe_exit
from tests.support.x_display import VirtualScreen

QUICK_DEATH_SECONDS = 15.0
CRASH_LOOP_LIMIT = 3


class KioskCannotRun(RuntimeError):
    """Not a crash to count: the kiosk cannot run here at all any more."""


@dataclass(frozen=True)
class Incident:
    kind: str  # "crash" | "stuck"
    run: int  # which start of the kiosk it ended (1 = the first)
    why: str
    report: Path


class KioskSupervisor:
    def __init__(self, env: dict[str, str], out_dir: Path, screen: VirtualScreen) -> None:
        self.env = env
        self.out_dir = out_dir
        self.screen = screen
        self.runs = 0
        self.incidents: list[Incident] = []
        self._quick_deaths = 0
        self.kiosk = self._start()

    @property
    def crashes(self) -> list[Incident]:
        return [i for i in self.incidents if i.kind == "crash"]

    @property
    def stucks(self) -> list[Incident]:
        return [i for i in self.incidents if i.kind == "stuck"]

    def _start(self) -> KioskProcess:
        self.runs += 1
        self.kiosk = KioskProcess(self.env, self.out_dir / f"kiosk-run-{self.runs}.log")
        return self.kiosk

    def next_event(self, timeout: float) -> Timed | None:
        try:
            return self.kiosk.events.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return None

    def restart_after_crash(self, exited: KioskExited) -> Incident:
        """The kiosk died on its own: keep its last words, start it again (it resumes by itself).

        Raises:
            KioskCannotRun: the X server is gone, or the kiosk keeps dying right after its start:
                restarting would only count the same failure again and again.
        """
        self._refuse_without_x_server()
        lived = time.monotonic() - self.kiosk.started_at
        self._quick_deaths = self._quick_deaths + 1 if lived < QUICK_DEATH_SECONDS else 0
        if self._quick_deaths >= CRASH_LOOP_LIMIT:
            raise KioskCannotRun(
                f"the kiosk died within {QUICK_DEATH_SECONDS:.0f} s of its start {CRASH_LOOP_LIMIT} times in a "
                f"row; last log: {self.kiosk.log_path}"
            )
        why = describe_exit(exited.returncode)
        tail = self.kiosk.tail_text()
        if "Fatal Python error" in tail:
            fatal = next(line for line in tail.splitlines() if "Fatal Python error" in line)
            why = f"{why}; {fatal.strip()}"
        incident = self._record("crash", why, tail)
        self._start()
        return incident

    def restart_stuck(self, why: str) -> Incident:
        """The kiosk stopped answering our keys: picture and log first, then kill and start it again."""
        self._refuse_without_x_server()
        self.screen.screenshot(self.out_dir / f"stuck-{len(self.stucks) + 1}.png")
        incident = self._record("stuck", why, self.kiosk.tail_text())
        self.kiosk.kill()
        self._start()
        return incident

    def _refuse_without_x_server(self) -> None:
        if self.screen.process.poll() is not None:
            raise KioskCannotRun(
                f"the X server {self.screen.display} exited ({describe_exit(self.screen.process.returncode)}); "
                f"kiosk log: {self.kiosk.log_path}"
            )

    def _record(self, kind: str, why: str, tail: str) -> Incident:
        number = sum(1 for i in self.incidents if i.kind == kind) + 1
        report = self.out_dir / f"{kind}-{number}.txt"
        report.write_text(f"{kind} of kiosk run {self.runs}: {why}\nlog: {self.kiosk.log_path}\n\n{tail}")
        incident = Incident(kind, self.runs, why, report)
        self.incidents.append(incident)
        return incident

    def stop(self) -> None:
        self.kiosk.stop()
