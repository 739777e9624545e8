"""How loud a block of microphone samples is, as the level meters show it."""

import math
from typing import Any

import numpy as np

SILENCE_DBFS = -120.0


def block_level(samples: "np.ndarray[Any, Any]") -> tuple[float, float]:
    """(RMS dBFS, peak dBFS) of one block of float samples in [-1, 1]."""
    if samples.size == 0:
        return SILENCE_DBFS, SILENCE_DBFS
    rms = float(math.sqrt(float(np.mean(np.square(samples, dtype=np.float64)))))
    peak = float(np.max(np.abs(samples)))
    return (20 * math.log10(rms) if rms > 0 else SILENCE_DBFS), (
        20 * math.log10(peak) if peak > 0 else SILENCE_DBFS
    )
