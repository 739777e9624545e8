"""Cutting live speech into chunks at pauses, so each chunk is transcribed once and never again.

Why pauses: a chunk that ends mid-word is where naive fixed-length chunking loses accuracy (the word
is split between two decodes). Cutting in silence gives Whisper complete phrases, so everything it
returns for a chunk can be committed, and the chunk's audio dropped: no buffer grows, no audio is
decoded twice. Silence before speech is trimmed as it arrives, so a silent stream costs nothing.

The length trade-off: longer chunks give Whisper more context (fewer errors), but the last chunk is
decoded after the answer ends, so long chunks cost latency. `min_seconds` sets the balance.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from desktop_app.speech.resample import WHISPER_SAMPLE_RATE, FloatAudio
from desktop_app.speech.vad import VAD_WINDOW_SAMPLES, VAD_WINDOW_SECONDS


@dataclass(frozen=True)
class ChunkPolicy:
    min_seconds: float = 12.0
    """Commit at the first pause once the chunk is at least this long (benchmark: 6 s -> WER 10.5 %,
    10 s -> 10.5 %, 12 s -> 9.5 %, 15 s -> 8.3 %, whole file 11.1 %; the last chunk grows with it)."""
    max_seconds: float = 24.0
    """Force a cut (at the quietest recent window) before Whisper's 30 s window is full."""
    pause_seconds: float = 0.3
    """Silence that counts as a pause between phrases."""
    short_pause_seconds: float = 0.1
    """Enough of a pause once a chunk is past the midpoint between min_seconds and max_seconds."""
    long_pause_seconds: float = 0.8
    """A pause this long ends a chunk whatever its length: no chunk holds long silences, and when
    the candidate stops talking the last phrase is decoded before they press "done"."""
    min_speech_seconds: float = 0.25
    """A chunk with less speech than this is dropped, not decoded."""
    pad_seconds: float = 0.2
    """Silence kept around speech at each cut, as faster-whisper's own VAD pads."""
    threshold: float = 0.5
    """Silero speech probability at or above which a window is speech."""
    neg_threshold: float = 0.35
    """Probability below which a window is silence (in between keeps the previous state)."""


@dataclass(frozen=True)
class SpeechChunk:
    audio: FloatAudio
    start: float
    """Seconds from the first sample of the stream."""
    speech_end: float
    """Where the VAD last heard speech in this chunk (seconds from the stream's first sample)."""

    @property
    def end(self) -> float:
        return self.start + len(self.audio) / WHISPER_SAMPLE_RATE


class PauseChunker:
    """Collects 16 kHz audio with its per-window speech probabilities and emits chunks at pauses."""

    def __init__(self, policy: ChunkPolicy | None = None) -> None:
        self.policy = policy or ChunkPolicy()
        self._audio = np.zeros(0, dtype=np.float32)
        self._audio_start = 0  # stream sample index of self._audio[0]; always on a VAD window edge
        self._probs: list[float] = []  # one per complete window of self._audio
        self._in_speech = False
        self._has_speech = False
        self._silence_start: int | None = None  # window index (in self._probs) where silence began
        self._pad_windows = round(self.policy.pad_seconds / VAD_WINDOW_SECONDS)

    def push(self, audio: FloatAudio, probs: npt.NDArray[np.float32]) -> list[SpeechChunk]:
        """Add samples and the probabilities of the windows they completed; return finished chunks.

        At the end of a stream, push the silence that completes the last window (see
        `StreamingVad.padding_to_window`) so no sample is left unscored.
        """
        self._audio = np.concatenate((self._audio, audio)) if self._audio.size else audio
        chunks: list[SpeechChunk] = []
        for prob in probs:
            chunk = self._take_window(float(prob))
            if chunk is not None:
                chunks.append(chunk)
        return chunks

    def finish(self) -> SpeechChunk | None:
        """The last chunk (trailing silence trimmed), or None when no speech is pending."""
        if not self._has_speech:
            return None
        end = len(self._probs) * VAD_WINDOW_SAMPLES
        if self._silence_start is not None:
            end = min(end, (self._silence_start + self._pad_windows) * VAD_WINDOW_SAMPLES)
        return self._cut(end)

    @property
    def pending_seconds(self) -> float:
        return len(self._audio) / WHISPER_SAMPLE_RATE

    def _take_window(self, prob: float) -> SpeechChunk | None:
        policy = self.policy
        self._probs.append(prob)
        index = len(self._probs) - 1
        if prob >= policy.threshold:
            self._in_speech = self._has_speech = True
            self._silence_start = None
        elif prob < policy.neg_threshold and self._in_speech:
            self._in_speech = False
            self._silence_start = index
        if not self._has_speech:
            self._drop_leading_silence()
            return None
        windows = len(self._probs)
        if self._silence_start is not None:
            silence = (windows - self._silence_start) * VAD_WINDOW_SECONDS
            length = windows * VAD_WINDOW_SECONDS
            # Past the midpoint to max_seconds, a word gap will do: fast speakers rarely leave
            # pause_seconds, and the longer a chunk grows the later the last one is ready.
            needed = policy.pause_seconds
            if length >= (policy.min_seconds + policy.max_seconds) / 2:
                needed = policy.short_pause_seconds
            if silence >= policy.long_pause_seconds or (silence >= needed and length >= policy.min_seconds):
                cut = min(self._silence_start + self._pad_windows, windows)
                return self._cut(cut * VAD_WINDOW_SAMPLES)
        if windows * VAD_WINDOW_SECONDS >= policy.max_seconds:
            return self._cut(self._quietest_recent_window() * VAD_WINDOW_SAMPLES)
        return None

    def _drop_leading_silence(self) -> None:
        """Keep only `pad_seconds` of silence before speech starts."""
        excess = len(self._probs) - self._pad_windows
        if excess > 0:
            self._advance(excess)

    def _quietest_recent_window(self) -> int:
        """Where to force a cut: the least speech-like window in the last third of the chunk."""
        first = len(self._probs) * 2 // 3
        recent = np.asarray(self._probs[first:])
        return first + int(np.argmin(recent))

    def _cut(self, end_sample: int) -> SpeechChunk | None:
        end_sample = max(VAD_WINDOW_SAMPLES, end_sample - end_sample % VAD_WINDOW_SAMPLES)
        probs_of_chunk = self._probs[: end_sample // VAD_WINDOW_SAMPLES]
        speech = [i for i, p in enumerate(probs_of_chunk) if p >= self.policy.threshold]
        start = self._audio_start / WHISPER_SAMPLE_RATE
        chunk = SpeechChunk(
            audio=self._audio[:end_sample].copy(),
            start=start,
            speech_end=start + ((speech[-1] + 1) if speech else 0) * VAD_WINDOW_SECONDS,
        )
        self._advance(end_sample // VAD_WINDOW_SAMPLES)
        self._has_speech = any(p >= self.policy.threshold for p in self._probs)
        if not self._has_speech:
            self._in_speech = False
            self._silence_start = None
        elif self._silence_start is not None:
            self._silence_start = max(0, self._silence_start)
        if len(speech) * VAD_WINDOW_SECONDS < self.policy.min_speech_seconds:
            return None  # a click or a cough: decoding it only invites a hallucinated phrase
        return chunk

    def _advance(self, windows: int) -> None:
        """Drop the first `windows` windows of audio and their probabilities."""
        samples = windows * VAD_WINDOW_SAMPLES
        self._audio = self._audio[samples:]
        self._audio_start += samples
        del self._probs[:windows]
        if self._silence_start is not None:
            self._silence_start -= windows
