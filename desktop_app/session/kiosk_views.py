"""What a kiosk interview shows, as plain data: the engine fills these, the kiosk's screens draw them."""

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from sync_server.contract import InterviewPlan


class Phase(StrEnum):
    speaking = "speaking"
    thinking = "thinking"
    recording = "recording"
    saving = "saving"
    review = "review"


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
    spoken_aloud: bool = True  # False when the question could not be spoken (no speaker, TTS failure)
    answer_media: Path | None = None  # in phase review: the file of the answer just recorded (playable)
    think_seconds: float = 0.0
    answer_seconds: float = 0.0


@dataclass(frozen=True)
class InterviewSummary:
    answers_saved: int
    questions: int
    online: bool | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CandidateLook:
    """The candidate's screen choices, kept across a restart."""

    high_contrast: bool = False
    large_text: bool = False


@dataclass(frozen=True)
class ResumeInfo:
    """After a restart: what the candidate is told on the welcome-back screen, and their look."""

    answers_saved: int
    questions: int
    next_question: int  # 1-based
    look: CandidateLook
    plan: InterviewPlan  # the organization's name, logo and colours come back with it
