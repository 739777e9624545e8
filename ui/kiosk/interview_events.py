"""What the interview engine tells the kiosk, as Qt signals on the GUI thread (see ui.events).

The kiosk's screens only react to these; the adapter around the engine's session
(ui/kiosk/session_runner.py) forwards the engine's plain callbacks into them.
"""

from dataclasses import dataclass, field

from ui.events import EventBridge
from ui.kiosk.question import Phase
from ui.qt import Signal


@dataclass(frozen=True)
class QuestionView:
    """Which question is on screen and what is happening to it."""

    number: int  # 1-based; 0 for the practice question
    total: int
    text: str
    practice: bool
    is_last: bool
    attempt: int
    max_attempts: int
    phase: Phase


@dataclass(frozen=True)
class InterviewSummary:
    answers_saved: int
    questions: int
    online: bool | None = None
    notes: list[str] = field(default_factory=list)


class InterviewEvents(EventBridge):
    question_changed = Signal(object)  # QuestionView (also on every phase change)
    countdown = Signal(float, float)  # remaining, total seconds
    recorded = Signal(float)  # seconds recorded so far
    level = Signal(float, float)  # dBFS, peak dBFS
    frame = Signal(object)  # numpy BGR image
    device_checking = Signal()
    device_findings = Signal(object)  # list[Finding]
    stand_ins = Signal(object)  # list[str]: labels of demo stand-ins for missing devices (demo only)
    finished = Signal(object)  # InterviewSummary
    failed = Signal(object)  # Exception that stopped the interview: shown with ui.errors
    problem = Signal(object)  # StationError the engine worked around (e.g. no speech model): for staff
