"""Text to speech: pyttsx3 renders a question to a WAV file (espeak-ng on Linux, SAPI5 on Windows).

Rendering to a file and playing it ourselves is deliberate: pyttsx3's `say()` on Linux shells
out to aplay and does not block correctly.
"""

import contextlib
import io
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.errors import TextToSpeechError

_ENGINE_LOCK = threading.Lock()  # pyttsx3 engines are process-wide singletons; one render at a time


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    languages: tuple[str, ...]


def _engine() -> Any:
    try:
        import pyttsx3

        return pyttsx3.init()
    except Exception as exc:  # driver missing (libespeak-ng1) or broken
        raise TextToSpeechError(
            f"The speech synthesizer could not start ({exc}).",
            fix="Install espeak-ng: sudo apt-get install espeak-ng libespeak-ng1",
        ) from None


def _languages(raw: object) -> tuple[str, ...]:
    items = raw if isinstance(raw, list | tuple) else [raw]
    out = []
    for item in items:
        text = item.decode("utf-8", "ignore") if isinstance(item, bytes) else str(item)
        out.append(text.lstrip("\x05").strip())
    return tuple(t for t in out if t)


def list_voices() -> list[Voice]:
    with _ENGINE_LOCK:
        engine = _engine()
        return [Voice(str(v.id), str(v.name), _languages(v.languages)) for v in engine.getProperty("voices")]


def default_voice_id(voices: list[Voice]) -> str | None:
    """Prefer an English voice so the bundled English speech model can follow it."""
    for preferred in ("gmw/en-us", "gmw/en", "english", "en"):
        for voice in voices:
            if voice.id.lower() == preferred or voice.name.lower() == preferred:
                return voice.id
    for voice in voices:
        if "english" in voice.name.lower():
            return voice.id
    return voices[0].id if voices else None


def render_to_wav(text: str, path: Path, *, voice: str | None = None, rate: int = 165) -> Path:
    """Render `text` to a WAV file at `path` (written to a temp name, then renamed)."""
    if not text.strip():
        raise TextToSpeechError("There is no text to speak.")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part.wav")
    with _ENGINE_LOCK:
        engine = _engine()
        try:
            if voice:
                engine.setProperty("voice", voice)
            engine.setProperty("rate", rate)
            with contextlib.redirect_stdout(io.StringIO()):  # pyttsx3 prints "Audio saved to ..."
                engine.save_to_file(text, str(tmp))
                engine.runAndWait()
        except Exception as exc:
            tmp.unlink(missing_ok=True)
            raise TextToSpeechError(f"The question could not be spoken ({exc}).") from None
    if not tmp.exists() or tmp.stat().st_size <= 44:
        tmp.unlink(missing_ok=True)
        raise TextToSpeechError(
            "The speech synthesizer produced no audio.", fix="Choose another voice in the station settings."
        )
    tmp.replace(path)
    return path
