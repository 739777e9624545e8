"""What the interview session hands over when an answer is finished, and who takes it."""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sync_server.contract import Transcript


@dataclass(frozen=True)
class FinishedAnswer:
    """One recorded attempt at one question, complete on disk (media fsync'ed before this exists)."""

    answer_id: str  # client-generated UUID: a repeat delivery of the same answer is a no-op
    interview_id: str
    question_id: str
    attempt: int
    media_path: Path
    media_sha256: str
    duration_seconds: float
    recorded_at: datetime
    transcript: Transcript | None  # None while transcription is pending
    metrics: dict[str, Any] = field(default_factory=dict)


class AnswerSink(Protocol):
    """Takes finished answers durably: once `add_answer` returns, the answer survives a crash."""

    def add_answer(self, answer: FinishedAnswer) -> None: ...

    def set_transcript(self, answer_id: str, transcript: Transcript) -> None:
        """Attach a transcript that finished after the answer was handed over."""
        ...
