"""What an interview session tells its UI: states and the plain-callback signals carrying them.

The kiosk connects a Qt slot to each signal (via a queued connection: they fire on the session's
worker thread or on capture threads); the headless runner prints them.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from desktop_app.devices.check import DeviceCheckResult
from desktop_app.errors import StationError
from desktop_app.signals import Signal
from desktop_app.store.answers import FinishedAnswer
from sync_server.contract import PlanQuestion, Transcript


class SessionState(StrEnum):
    starting = "starting"
    consent = "consent"  # waiting for the candidate to accept (give_consent)
    device_check = "device_check"
    device_check_failed = "device_check_failed"  # waiting: fix and recheck, or staff override
    speaking = "speaking"  # the question is being read aloud (and shown)
    thinking = "thinking"  # the think-time countdown
    recording = "recording"
    saving = "saving"  # closing the file (the transcript follows in the background)
    reviewing = "reviewing"  # waiting: keep this answer or retake
    finished = "finished"
    cancelled = "cancelled"
    failed = "failed"


@dataclass(frozen=True)
class StateChange:
    state: SessionState
    question_index: int | None = None  # 0-based
    question_count: int = 0
    question: PlanQuestion | None = None
    attempt: int | None = None  # 1-based attempt being recorded or reviewed
    attempts_allowed: int | None = None
    spoken_aloud: bool = True  # False: no speaker or speaking failed, the question is read on screen
    media_path: Path | None = None  # reviewing: the finished file of the answer just recorded


@dataclass(frozen=True)
class CountdownTick:
    phase: SessionState  # thinking or recording
    remaining_seconds: float
    total_seconds: float


@dataclass(frozen=True)
class RecordingProgress:
    elapsed_seconds: float
    limit_seconds: float


@dataclass(frozen=True)
class SessionEvents:
    """Subscribe with e.g. `session.events.state_changed.connect(callback)`."""

    state_changed: Signal[StateChange] = field(default_factory=lambda: Signal("session.state_changed"))
    countdown_tick: Signal[CountdownTick] = field(default_factory=lambda: Signal("session.countdown_tick"))
    level_meter: Signal[float] = field(default_factory=lambda: Signal("session.level_meter"))  # dBFS, ~10/s
    recording_progress: Signal[RecordingProgress] = field(
        default_factory=lambda: Signal("session.recording_progress")
    )
    transcript_update: Signal[Transcript] = field(default_factory=lambda: Signal("session.transcript_update"))
    device_check_done: Signal[DeviceCheckResult] = field(
        default_factory=lambda: Signal("session.device_check_done")
    )
    answer_saved: Signal[FinishedAnswer] = field(default_factory=lambda: Signal("session.answer_saved"))
    error: Signal[StationError] = field(default_factory=lambda: Signal("session.error"))  # shown, not fatal
