"""Transcript JSON: stored per answer on the station, uploaded, and served to reviewers."""

import json
from typing import Any

from pydantic import Field

from sync_server.contract.base import ContractModel, as_plain_text


class TranscriptWord(ContractModel):
    start: float = Field(ge=0)
    end: float = Field(ge=0)
    word: str
    probability: float = Field(ge=0, le=1)


class TranscriptSegment(ContractModel):
    start: float = Field(ge=0)
    end: float = Field(ge=0)
    text: str
    avg_logprob: float
    no_speech_prob: float = Field(ge=0, le=1)
    words: list[TranscriptWord] = Field(default_factory=list)


class Transcript(ContractModel):
    text: str
    language: str
    model: str
    segments: list[TranscriptSegment] = Field(default_factory=list)


def stored_transcript(stored: str | dict[str, Any]) -> Transcript:
    """A transcript read back from storage (its JSON text, or the parsed document).

    Stored before control characters were refused, it may hold one (speech recognition emitted it):
    dropped here, so the reader (the station's outbox and journal, the server's scoring and reviewers'
    pages) gets the transcript instead of a validation error.

    Raises:
        ValidationError / ValueError: not a transcript at all.
    """
    document = json.loads(stored) if isinstance(stored, str) else stored
    return Transcript.model_validate(as_plain_text(document))
