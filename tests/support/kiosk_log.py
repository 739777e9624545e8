"""What the kiosk says on stderr, as events a driver can react to.

The kiosk logs (ui/kiosk/log_setup.py, names only, no candidate data):
    kiosk screen: ConsentScreen
    kiosk question: practice=False number=1 of=2 attempt=1/1 phase=recording
    kiosk device check: ready=True
Every other line is kept as text only (for crash reports).
"""

import re
from dataclasses import dataclass

_SCREEN = re.compile(r"kiosk screen: (?P<name>\w+)")
_QUESTION = re.compile(
    r"kiosk question: practice=(?P<practice>True|False) number=(?P<number>\d+) of=(?P<total>\d+) "
    r"attempt=(?P<attempt>\d+)/(?P<attempts>\d+) phase=(?P<phase>\w+)"
)
_DEVICE_CHECK = re.compile(r"kiosk device check: ready=(?P<ready>True|False)")


@dataclass(frozen=True)
class ScreenShown:
    name: str


@dataclass(frozen=True)
class QuestionPhase:
    practice: bool
    number: int
    total: int
    attempt: int
    max_attempts: int
    phase: str

    @property
    def answer_key(self) -> tuple[bool, int, int]:
        """Which answer this phase belongs to: the same key from "thinking" to "review"."""
        return (self.practice, self.number, self.attempt)


@dataclass(frozen=True)
class DeviceCheckDone:
    ready: bool


KioskEvent = ScreenShown | QuestionPhase | DeviceCheckDone


def parse_kiosk_line(line: str) -> KioskEvent | None:
    """The event a kiosk log line announces, or None for any other line."""
    if match := _QUESTION.search(line):
        return QuestionPhase(
            practice=match["practice"] == "True",
            number=int(match["number"]),
            total=int(match["total"]),
            attempt=int(match["attempt"]),
            max_attempts=int(match["attempts"]),
            phase=match["phase"],
        )
    if match := _SCREEN.search(line):
        return ScreenShown(match["name"])
    if match := _DEVICE_CHECK.search(line):
        return DeviceCheckDone(match["ready"] == "True")
    return None
