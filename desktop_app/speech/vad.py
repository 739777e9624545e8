"""Incremental voice activity detection with the Silero VAD model that ships inside faster-whisper.

faster-whisper's `get_speech_timestamps` scores a whole array at once. Live audio arrives in small
blocks, and re-scoring a growing buffer would cost more and more; so this keeps Silero's recurrent
state and the 64-sample context between calls and scores each 32 ms window exactly once.
"""

from typing import Any

import numpy as np
import numpy.typing as npt

from desktop_app.speech.resample import WHISPER_SAMPLE_RATE, FloatAudio

VAD_WINDOW_SAMPLES = 512  # 32 ms at 16 kHz, the window Silero v5/v6 scores
VAD_WINDOW_SECONDS = VAD_WINDOW_SAMPLES / WHISPER_SAMPLE_RATE
_CONTEXT_SAMPLES = 64


class StreamingVad:
    """Speech probability for each consecutive 512-sample window of a 16 kHz stream."""

    def __init__(self) -> None:
        from faster_whisper.vad import get_vad_model

        self._session: Any = get_vad_model().session  # cached per process by faster-whisper
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(_CONTEXT_SAMPLES, dtype=np.float32)
        self._leftover = np.zeros(0, dtype=np.float32)

    def push(self, samples: FloatAudio) -> npt.NDArray[np.float32]:
        """Probabilities for the windows completed by `samples` (a partial window waits for more)."""
        audio = np.concatenate((self._leftover, samples)) if self._leftover.size else samples
        whole = len(audio) // VAD_WINDOW_SAMPLES * VAD_WINDOW_SAMPLES
        self._leftover = audio[whole:].copy()
        if whole == 0:
            return np.zeros(0, dtype=np.float32)
        windows = audio[:whole].reshape(-1, VAD_WINDOW_SAMPLES)
        contexts = np.concatenate((self._context[None, :], windows[:-1, -_CONTEXT_SAMPLES:]))
        self._context = windows[-1, -_CONTEXT_SAMPLES:].copy()
        batch = np.ascontiguousarray(np.concatenate((contexts, windows), axis=1), dtype=np.float32)
        output, self._h, self._c = self._session.run(None, {"input": batch, "h": self._h, "c": self._c})
        return np.asarray(output, dtype=np.float32).reshape(-1)

    def padding_to_window(self) -> FloatAudio:
        """The silence that completes the last partial window (empty when none is pending)."""
        missing = (VAD_WINDOW_SAMPLES - self._leftover.size) % VAD_WINDOW_SAMPLES
        return np.zeros(missing, dtype=np.float32)
