"""`interview-station doctor`: is this machine ready to run interviews?"""

import re
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from desktop_app.config import StationSettings
from desktop_app.errors import StationError
from desktop_app.findings import Finding, Status

PROBE_SENTENCE = "Please describe a project you are proud of."
PROBE_KEY_WORDS = ("describe", "project", "proud")


def _guard(name: str, check: Callable[[], Finding], *, required: bool = True) -> Finding:
    try:
        return check()
    except StationError as exc:
        return Finding(name, Status.fail, exc.message, exc.fix, required)
    except Exception as exc:  # a doctor reports every failure, it never crashes
        return Finding(name, Status.fail, f"Unexpected error: {type(exc).__name__}: {exc}", None, required)


def check_camera(settings: StationSettings) -> Finding:
    from desktop_app.devices.camera import describe_camera, list_cameras

    info = describe_camera(settings.camera)
    if info is None:
        others = list_cameras()
        fix = (
            f"Set camera to one of: {', '.join(c.source for c in others)}."
            if others
            else "Connect a camera, or set camera to a video file for a demo."
        )
        return Finding("camera", Status.fail, f"The camera '{settings.camera}' gives no picture.", fix)
    kind = "video file" if info.is_file else "camera"
    return Finding(
        "camera", Status.ok, f"{kind} {info.source}: {info.width}x{info.height} at {info.fps:.0f} fps."
    )


def check_microphones(settings: StationSettings) -> Finding:
    from desktop_app.devices.audio import list_microphones

    mics = list_microphones()
    if not mics:
        return Finding(
            "microphone",
            Status.fail,
            "No microphone was found.",
            "Connect a microphone and check the sound settings.",
        )
    names = ", ".join(f"{m.name} ({m.host_api})" for m in mics[:4])
    return Finding("microphone", Status.ok, f"{len(mics)} found: {names}.")


def check_speakers(settings: StationSettings) -> Finding:
    from desktop_app.devices.audio import list_speakers

    speakers = list_speakers()
    if not speakers:
        return Finding(
            "speaker",
            Status.warn,
            "No speaker was found; questions will be shown as text only.",
            "Connect speakers or headphones.",
            required=False,
        )
    return Finding(
        "speaker",
        Status.ok,
        f"{len(speakers)} found: {', '.join(s.name for s in speakers[:4])}.",
        required=False,
    )


def check_tts(settings: StationSettings, clip: Path) -> Finding:
    from desktop_app.speech.tts import default_voice_id, list_voices, render_to_wav

    voices = list_voices()
    voice = settings.tts_voice or default_voice_id(voices)
    started = time.perf_counter()
    render_to_wav(PROBE_SENTENCE, clip, voice=voice, rate=settings.tts_rate)
    elapsed = (time.perf_counter() - started) * 1000
    return Finding(
        "speech output",
        Status.ok,
        f"{len(voices)} voices; '{voice}' rendered a question in {elapsed:.0f} ms.",
        required=False,
    )


def check_speech_model(settings: StationSettings, clip: Path) -> Iterator[Finding]:
    from desktop_app.speech.model import load_model, resolve_model_dir

    model_dir = resolve_model_dir(settings.speech_model_dir)
    yield Finding("speech model path", Status.ok, str(model_dir))
    started = time.perf_counter()
    model = load_model(model_dir, compute_type=settings.speech_compute_type, threads=settings.speech_threads)
    yield Finding("speech model load", Status.ok, f"Loaded in {time.perf_counter() - started:.2f} s.")
    if not clip.exists():
        yield Finding(
            "transcription",
            Status.warn,
            "Skipped: no spoken test clip (speech output failed).",
            required=False,
        )
        return
    started = time.perf_counter()
    segments, _ = model.transcribe(
        str(clip), beam_size=settings.speech_beam_size, language=settings.speech_language
    )
    text = " ".join(s.text.strip() for s in segments)
    elapsed = time.perf_counter() - started
    heard = set(re.findall(r"[a-z']+", text.lower()))
    missing = [w for w in PROBE_KEY_WORDS if w not in heard]
    if missing:
        yield Finding(
            "transcription",
            Status.fail,
            f"Heard '{text}' for '{PROBE_SENTENCE}' (missing: {', '.join(missing)}).",
            "Check speech_model_dir and speech_compute_type.",
        )
    else:
        yield Finding("transcription", Status.ok, f"Heard '{text}' in {elapsed:.2f} s.")


def run_checks(settings: StationSettings) -> Iterator[Finding]:
    """Every check, in order; each yields as soon as it is known."""
    yield _guard("camera", lambda: check_camera(settings))
    yield _guard("microphone", lambda: check_microphones(settings))
    yield _guard("speaker", lambda: check_speakers(settings), required=False)
    with tempfile.TemporaryDirectory(prefix="interview-doctor-") as tmp:
        clip = Path(tmp) / "probe.wav"
        yield _guard("speech output", lambda: check_tts(settings, clip), required=False)
        try:
            yield from check_speech_model(settings, clip)
        except StationError as exc:
            yield Finding("speech model", Status.fail, exc.message, exc.fix)
        except Exception as exc:
            yield Finding("speech model", Status.fail, f"Unexpected error: {type(exc).__name__}: {exc}")
