"""What the interview engine tells the kiosk, as Qt signals on the GUI thread (see ui.events).

The kiosk's screens only react to these. `listener()` gives the engine's kiosk run
(desktop_app/session/kiosk_run.py) plain callbacks that queue each call for the GUI thread.
"""

from typing import Any

from desktop_app.errors import StationError
from desktop_app.findings import Finding
from desktop_app.session.kiosk_run import KioskRunListener
from desktop_app.session.kiosk_views import InterviewSummary, QuestionView, ResumeInfo
from ui.events import EventBridge
from ui.qt import Signal

__all__ = ["InterviewEvents", "InterviewSummary", "QuestionView", "ResumeInfo"]


class InterviewEvents(EventBridge):
    question_changed = Signal(object)  # QuestionView (also on every phase change)
    countdown = Signal(float, float)  # remaining, total seconds
    recorded = Signal(float)  # seconds recorded so far
    level = Signal(float, float)  # dBFS, peak dBFS
    frame = Signal(object)  # numpy BGR image
    device_checking = Signal()
    device_findings = Signal(object)  # list[Finding]
    stand_ins = Signal(object)  # list[str]: labels of demo stand-ins for missing devices (demo only)
    resumed = Signal(object)  # ResumeInfo: after a restart, before anything else
    finished = Signal(object)  # InterviewSummary
    failed = Signal(object)  # Exception that stopped the interview: shown with ui.errors
    problem = Signal(object)  # StationError the engine worked around (e.g. no speech model): for staff

    def listener(self) -> KioskRunListener:
        """Callbacks for the engine's threads; each one is delivered here, on the GUI thread."""
        return _Listener(self)


class _Listener:
    """The engine-facing side: plain methods that only put calls on the GUI thread's queue."""

    def __init__(self, events: InterviewEvents) -> None:
        forward, latest = events.forward, events.forward_latest
        self._question = forward(events.question_changed)
        self._countdown = latest(events.countdown)
        self._recorded = latest(events.recorded)
        self._level = latest(events.level)
        self._frame = latest(events.frame)
        self._device_checking = forward(events.device_checking)
        self._device_findings = forward(events.device_findings)
        self._stand_ins = forward(events.stand_ins)
        self._resumed = forward(events.resumed)
        self._finished = forward(events.finished)
        self._failed = forward(events.failed)
        self._problem = forward(events.problem)

    def question(self, view: QuestionView) -> None:
        self._question(view)

    def countdown(self, remaining: float, total: float) -> None:
        self._countdown(remaining, total)

    def recorded(self, seconds: float) -> None:
        self._recorded(seconds)

    def level(self, dbfs: float, peak_dbfs: float) -> None:
        self._level(dbfs, peak_dbfs)

    def frame(self, image: Any) -> None:
        self._frame(image)

    def device_checking(self) -> None:
        self._device_checking()

    def device_findings(self, findings: list[Finding]) -> None:
        self._device_findings(findings)

    def stand_ins(self, labels: list[str]) -> None:
        self._stand_ins(labels)

    def resumed(self, info: ResumeInfo) -> None:
        self._resumed(info)

    def finished(self, summary: InterviewSummary) -> None:
        self._finished(summary)

    def failed(self, error: Exception) -> None:
        self._failed(error)

    def problem(self, error: StationError) -> None:
        self._problem(error)
