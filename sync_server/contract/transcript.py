"""Transcript JSON: stored per answer on the station, uploaded, and served to reviewers."""

from pydantic import Field

from sync_server.contract.base import ContractModel


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
