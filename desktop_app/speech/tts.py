"""Text to speech: pyttsx3 renders a question to a WAV file (espeak-ng on Linux, SAPI5 on Windows).

Rendering to a file and playing it ourselves is deliberate: pyttsx3's `say()` on Linux shells
out to aplay and does not block correctly.
"""

import contextlib
import hashlib
import io
import logging
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.errors import StationError, TextToSpeechError

log = logging.getLogger(__name__)

_ENGINE_LOCK = threading.Lock()  # pyttsx3 engines are process-wide singletons; one render at a time
_WAV_HEADER_BYTES = 44
_RENDER_WAIT_SECONDS = 10.0


def _wait_for_wav(path: Path, timeout: float) -> bool:
    """Wait until `path` is a whole WAV file with sound in it.

    The first `runAndWait()` of a process (espeak driver) can return before the synthesis callback
    has written the file; the file then appears a moment later, on espeak's thread.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            with wave.open(str(path), "rb") as wav:
                expected = _WAV_HEADER_BYTES + wav.getnframes() * wav.getsampwidth() * wav.getnchannels()
            if wav.getnframes() > 0 and path.stat().st_size >= expected:
                return True
        except (OSError, EOFError, wave.Error):
            pass  # not there yet, or its header is still being written
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


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
        tmp.unlink(missing_ok=True)  # a leftover must not pass for this rendering
        engine = _engine()
        try:
            if voice:
                engine.setProperty("voice", voice)
            engine.setProperty("rate", rate)
            with contextlib.redirect_stdout(io.StringIO()):  # pyttsx3 prints "Audio saved to ..."
                engine.save_to_file(text, str(tmp))
                engine.runAndWait()
                written = _wait_for_wav(tmp, _RENDER_WAIT_SECONDS)
        except Exception as exc:
            tmp.unlink(missing_ok=True)
            raise TextToSpeechError(f"The question could not be spoken ({exc}).") from None
    if not written:
        tmp.unlink(missing_ok=True)
        raise TextToSpeechError(
            "The speech synthesizer produced no audio.", fix="Choose another voice in the station settings."
        )
    tmp.replace(path)
    return path


def cache_key(text: str, *, voice: str | None, rate: int) -> str:
    """One cached rendering per voice, rate and exact question text.

    The key starts with the text's own digest, so every rendering of one text (whatever the voice)
    can be found and removed when that text must not stay on the station (a personalized question).
    """
    rendering = hashlib.sha256(f"{voice or ''}\0{rate}".encode()).hexdigest()[:16]
    return f"{text_digest(text)}-{rendering}"


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class QuestionSpeaker:
    """Speaks questions aloud: rendered once per (voice, rate, text) into `cache_dir`, played on `speaker`.

    Speaking never blocks the interview on a failure: a broken synthesizer or speaker is logged
    and `speak` returns False, and the UI keeps showing the question as text.
    """

    def __init__(
        self, *, cache_dir: Path, voice: str | None = None, rate: int = 165, speaker: str | None = None
    ) -> None:
        self.cache_dir = cache_dir
        self.rate = rate
        self.speaker = speaker
        self._voice = voice
        self._voice_resolved = voice is not None

    @property
    def voice(self) -> str | None:
        if not self._voice_resolved:
            self._voice_resolved = True
            try:
                self._voice = default_voice_id(list_voices())
            except TextToSpeechError as exc:
                log.warning("no voice list: %s", exc.message)
        return self._voice

    def render(self, text: str) -> Path:
        """The cached WAV for `text`, rendered now if it is not cached yet.

        Raises:
            TextToSpeechError: the synthesizer failed.
        """
        voice = self.voice
        path = self.cache_dir / f"{cache_key(text, voice=voice, rate=self.rate)}.wav"
        if not path.is_file():
            render_to_wav(text, path, voice=voice, rate=self.rate)
        return path

    def prepare(self, texts: list[str]) -> None:
        """Render every question ahead of time so speaking starts without delay; failures are logged."""
        for text in texts:
            try:
                self.render(text)
            except TextToSpeechError as exc:
                log.warning("could not prepare a spoken question: %s", exc.message)

    def speak(self, text: str, *, stop: threading.Event | None = None) -> bool:
        """Say `text` and return once it has been heard (True), or at once on failure (False, logged).

        `stop` cuts the speech short (the candidate pressed "skip"); that returns False too.
        """
        from desktop_app.devices.speaker import play_file

        try:
            return play_file(self.render(text), device=self.speaker, stop=stop)
        except StationError as exc:
            log.warning("question shown as text only: %s", exc.message)
            return False
        except Exception:  # an unexpected audio failure must not end the interview either
            log.exception("question shown as text only")
            return False
