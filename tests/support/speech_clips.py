"""Spoken test clips generated with espeak-ng, and WAV helpers for feeding them to the transcriber."""

import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def speak_to_wav(text: str, path: Path, *, voice: str = "en-us", words_per_minute: int = 160) -> Path:
    """Render `text` with espeak-ng into a mono 16-bit 22050 Hz WAV."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(words_per_minute), "-w", str(path), text],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return path


def read_wav(path: Path) -> tuple[npt.NDArray[np.float32], int]:
    """(mono float32 samples in [-1, 1], sample rate) of a 16-bit PCM WAV."""
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2, "only 16-bit PCM test clips"
        rate = wav.getframerate()
        channels = wav.getnchannels()
        raw = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    samples = raw.reshape(-1, channels).mean(axis=1) / 32768.0
    return samples.astype(np.float32), rate


def write_wav(path: Path, samples: npt.NDArray[np.float32], rate: int) -> Path:
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm.tobytes())
    return path
