"""Streaming conversion of microphone audio to the 16 kHz mono float32 Whisper expects."""

import av
import numpy as np
import numpy.typing as npt

WHISPER_SAMPLE_RATE = 16_000

FloatAudio = npt.NDArray[np.float32]


class StreamingResampler:
    """Resamples consecutive blocks of one stream without clicks at block edges.

    libswresample (through PyAV) keeps the filter state between blocks, which per-block
    resampling (e.g. scipy's resample_poly on each block) cannot do.
    """

    def __init__(self, source_rate: int) -> None:
        if source_rate <= 0:
            raise ValueError(f"sample_rate must be positive, not {source_rate}")
        self.source_rate = source_rate
        self._resampler = (
            None
            if source_rate == WHISPER_SAMPLE_RATE
            else av.AudioResampler(format="flt", layout="mono", rate=WHISPER_SAMPLE_RATE)
        )

    def convert(self, samples: FloatAudio) -> FloatAudio:
        if self._resampler is None or samples.size == 0:
            return samples
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = self.source_rate
        return self._collect(self._resampler.resample(frame))

    def flush(self) -> FloatAudio:
        """The samples still inside the filter at the end of the stream."""
        if self._resampler is None:
            return np.zeros(0, dtype=np.float32)
        return self._collect(self._resampler.resample(None))

    @staticmethod
    def _collect(frames: list[av.AudioFrame]) -> FloatAudio:
        if not frames:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate([f.to_ndarray().reshape(-1) for f in frames]).astype(np.float32, copy=False)


def as_mono_float32(samples: npt.ArrayLike) -> FloatAudio:
    """Accept (n,) or (n, channels) float or int16 blocks as sounddevice delivers them; mix to mono."""
    array = np.asarray(samples)
    if array.dtype == np.int16:
        array = array.astype(np.float32) / 32768.0
    if array.ndim == 2:
        array = array.mean(axis=1) if array.shape[1] > 1 else array[:, 0]
    if array.ndim != 1:
        raise ValueError(f"expected mono or (frames, channels) audio, got shape {array.shape}")
    return np.ascontiguousarray(array, dtype=np.float32)
