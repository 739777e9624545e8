"""The device check a candidate passes before the interview: can we hear and see them properly?

Measurements are plain numbers (so the UI can show meters and the tests can check them); each
becomes a Finding with a human sentence and a fix. Thresholds are chosen for speech recorded at
arm's length in a quiet room.
"""

import math
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from desktop_app.devices.camera import CameraCapture, CameraFrame
from desktop_app.devices.microphone import AudioBlock, AudioFileMicrophone, MicrophoneCapture
from desktop_app.devices.voice_level import (
    WINDOW_SECONDS as VOICE_WINDOW_SECONDS,
)
from desktop_app.devices.voice_level import (
    ZONE_ADVICE,
    VoiceZone,
    voice_level_dbfs,
    zone_of,
)
from desktop_app.findings import Finding, Status, worst
from desktop_app.recording.clock import monotonic

SILENCE_DBFS = -120.0
CLIP_LEVEL = 0.999
WINDOW_SECONDS = 0.05
FACE_SAMPLES = 5
_FACE_DETECT_HEIGHT = 240  # the Haar cascade is fast and still reliable on a 240-line picture


def dbfs(rms: float) -> float:
    return 20 * math.log10(rms) if rms > 0 else SILENCE_DBFS


@dataclass(frozen=True)
class MicrophoneMeasurement:
    seconds: float
    rms_dbfs: float  # over the speech (or the whole take when no speech was found)
    peak_dbfs: float
    clipped_ratio: float  # share of samples at full scale
    noise_floor_dbfs: float  # the quietest 10 % of 50 ms windows
    speech_seconds: float  # as found by the Silero voice-activity model shipped with faster-whisper
    # The voice's level as the live meter computes it (voice_level.py), over the speech: the verdict
    # uses this, so the meter and the check agree. None: no window held sound.
    voice_dbfs: float | None = None


@dataclass(frozen=True)
class CameraMeasurement:
    frames: int
    fps: float
    width: int
    height: int
    brightness: float  # mean luma 0..255
    face_counts: tuple[int, ...]  # faces found in each sampled frame

    @property
    def faces(self) -> int:
        """The face count seen most often (one odd frame does not decide)."""
        return Counter(self.face_counts).most_common(1)[0][0] if self.face_counts else 0


@dataclass(frozen=True)
class DeviceCheckResult:
    microphone: MicrophoneMeasurement | None
    camera: CameraMeasurement | None
    findings: list[Finding]

    @property
    def status(self) -> Status:
        return worst(self.findings)

    @property
    def blocks(self) -> bool:
        return any(f.blocks for f in self.findings)


def measure_microphone(samples: "np.ndarray[Any, Any]", sample_rate: int) -> MicrophoneMeasurement:
    samples = np.asarray(samples, dtype=np.float32).reshape(-1)
    if samples.size == 0:
        return MicrophoneMeasurement(0.0, SILENCE_DBFS, SILENCE_DBFS, 0.0, SILENCE_DBFS, 0.0)
    window = max(1, int(sample_rate * WINDOW_SECONDS))
    usable = samples[: len(samples) // window * window] if len(samples) >= window else samples
    windows = usable.reshape(-1, min(window, len(usable)))
    window_rms = np.sqrt(np.mean(windows.astype(np.float64) ** 2, axis=1))
    noise_floor = float(np.percentile(window_rms, 10))
    speech = _speech_spans(samples, sample_rate)
    speech_samples = sum(end - start for start, end in speech)
    voiced = np.concatenate([samples[s:e] for s, e in speech]) if speech else samples
    rms = float(np.sqrt(np.mean(voiced.astype(np.float64) ** 2)))
    peak = float(np.max(np.abs(samples)))
    voice = voice_level_dbfs(_window_levels(voiced, max(1, int(sample_rate * VOICE_WINDOW_SECONDS))))
    return MicrophoneMeasurement(
        seconds=round(len(samples) / sample_rate, 3),
        rms_dbfs=round(dbfs(rms), 1),
        peak_dbfs=round(dbfs(peak), 1),
        clipped_ratio=float(np.mean(np.abs(samples) >= CLIP_LEVEL)),
        noise_floor_dbfs=round(dbfs(noise_floor), 1),
        speech_seconds=round(speech_samples / sample_rate, 2),
        voice_dbfs=voice,  # not rounded: the meter judges the same number unrounded
    )


def _window_levels(samples: "np.ndarray[Any, Any]", window: int) -> list[float]:
    """dBFS of each window, cut as the microphone cuts its blocks (what the meter is fed)."""
    whole = samples[: len(samples) // window * window].astype(np.float64).reshape(-1, window)
    power = np.mean(whole**2, axis=1)
    return [10 * math.log10(p) if p > 0 else SILENCE_DBFS for p in power]


def _speech_spans(samples: "np.ndarray[Any, Any]", sample_rate: int) -> list[tuple[int, int]]:
    """Speech regions (sample ranges at `sample_rate`) found by Silero VAD at 16 kHz."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    vad_rate = 16_000
    count = round(len(samples) * vad_rate / sample_rate)
    if count < vad_rate // 10:
        return []
    audio16 = np.interp(np.linspace(0, len(samples) - 1, count), np.arange(len(samples)), samples).astype(
        np.float32
    )
    spans = get_speech_timestamps(audio16, VadOptions(min_speech_duration_ms=200))
    ratio = sample_rate / vad_rate
    return [(int(s["start"] * ratio), int(s["end"] * ratio)) for s in spans]


def microphone_findings(m: MicrophoneMeasurement) -> list[Finding]:
    """Plain words only: a candidate reads these (no decibels, no percentages)."""
    out: list[Finding] = []
    if m.speech_seconds < 0.5:
        out.append(
            Finding(
                "speech",
                Status.fail,
                "We could not hear you speak.",
                "Read the sentence on the screen out loud. If you did, please ask a member of staff.",
            )
        )
    else:
        out += [Finding("speech", Status.ok, "We heard you speak."), _voice_level_finding(m)]
    out += _sound_quality_findings(m)
    return out


def _voice_level_finding(m: MicrophoneMeasurement) -> Finding:
    """Said only when there was speech: with none, "too quiet" would repeat "we could not hear you"."""
    zone = zone_of(m.voice_dbfs)
    if zone is VoiceZone.silent:  # speech was found, but below what the meter counts as sound
        zone = VoiceZone.too_quiet
    message, fix = ZONE_ADVICE[zone]
    level_status = {
        VoiceZone.too_quiet: Status.fail,
        VoiceZone.quiet: Status.warn,
        VoiceZone.good: Status.ok,
        VoiceZone.too_loud: Status.warn,
    }[zone]
    return Finding("microphone level", level_status, message, fix, required=zone is not VoiceZone.too_loud)


def _sound_quality_findings(m: MicrophoneMeasurement) -> list[Finding]:
    out: list[Finding] = []
    if m.clipped_ratio > 0.01:
        out.append(
            Finding(
                "clipping",
                Status.fail,
                "The sound is distorted.",
                "Sit a little further from the microphone, or ask a member of staff to turn its volume down.",
            )
        )
    elif m.clipped_ratio > 0.001:
        out.append(
            Finding(
                "clipping",
                Status.warn,
                "Your loudest words are slightly distorted.",
                "Sit a little further from the microphone.",
                required=False,
            )
        )
    else:
        out.append(Finding("clipping", Status.ok, "The sound is clear."))
    if m.noise_floor_dbfs > -30:
        out.append(
            Finding(
                "background noise",
                Status.fail,
                "The room is very noisy.",
                "Ask a member of staff about a quieter place, or close the door.",
            )
        )
    elif m.noise_floor_dbfs > -45:
        out.append(
            Finding(
                "background noise",
                Status.warn,
                "There is some background noise.",
                "Close doors and windows if you can.",
                required=False,
            )
        )
    else:
        out.append(Finding("background noise", Status.ok, "The room is quiet."))
    return out


def count_faces(image: "np.ndarray[Any, Any]", cascade: Any) -> int:
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    scale = min(1.0, _FACE_DETECT_HEIGHT / gray.shape[0])
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    faces = cascade.detectMultiScale(
        cv2.equalizeHist(small), scaleFactor=1.1, minNeighbors=5, minSize=(24, 24)
    )
    return len(faces)


def face_cascade() -> Any:
    """OpenCV's bundled frontal-face Haar cascade (opencv-python-headless<5 ships it)."""
    path = str(getattr(cv2, "data").haarcascades) + "haarcascade_frontalface_default.xml"  # noqa: B009  (untyped in the stubs)
    cascade = cv2.CascadeClassifier(path)
    if cascade.empty():
        from desktop_app.errors import DeviceError

        raise DeviceError(
            f"The face detector could not be loaded from {path}.",
            fix="Reinstall the station (opencv-python-headless<5 ships the face detector).",
        )
    return cascade


def measure_camera(timestamps: list[float], pictures: "list[np.ndarray[Any, Any]]") -> CameraMeasurement:
    """Judge a camera from when its frames arrived and a few of its pictures."""
    if not timestamps or not pictures:
        return CameraMeasurement(0, 0.0, 0, 0, 0.0, ())
    span = timestamps[-1] - timestamps[0]
    fps = (len(timestamps) - 1) / span if span > 0 else 0.0
    height, width = pictures[0].shape[:2]
    brightness = float(np.mean([cv2.cvtColor(p, cv2.COLOR_BGR2GRAY).mean() for p in pictures]))
    cascade = face_cascade()
    return CameraMeasurement(
        frames=len(timestamps),
        fps=round(fps, 1),
        width=int(width),
        height=int(height),
        brightness=round(brightness, 1),
        face_counts=tuple(count_faces(p, cascade) for p in pictures),
    )


def camera_findings(m: CameraMeasurement, *, fps: int, width: int, height: int) -> list[Finding]:
    if m.frames == 0:
        return [
            Finding(
                "camera",
                Status.fail,
                "The camera shows no picture.",
                "Check that the camera is connected and its cover is open.",
            )
        ]
    out: list[Finding] = []
    if m.fps < fps * 0.5:
        out.append(
            Finding(
                "frame rate",
                Status.fail,
                "The camera picture is too jerky to record.",
                "Please ask a member of staff to check the camera.",
            )
        )
    elif m.fps < fps * 0.9:
        out.append(
            Finding(
                "frame rate",
                Status.warn,
                "The camera picture is a little jerky.",
                "More light in front of you often helps the camera.",
                required=False,
            )
        )
    else:
        out.append(Finding("frame rate", Status.ok, "The camera picture moves smoothly."))
    if m.width * m.height < width * height * 0.5:
        out.append(
            Finding(
                "resolution",
                Status.warn,
                "The camera picture is not very sharp.",
                "You can still go on; staff can choose a better camera for this station.",
                required=False,
            )
        )
    else:
        out.append(Finding("resolution", Status.ok, "The camera picture is sharp."))
    if m.brightness < 40:
        out.append(
            Finding(
                "lighting",
                Status.fail,
                "The picture is too dark to see you.",
                "Turn on a light in front of you; avoid a window behind you.",
            )
        )
    elif m.brightness < 70:
        out.append(
            Finding(
                "lighting",
                Status.warn,
                "The picture is quite dark.",
                "More light in front of you will help.",
                required=False,
            )
        )
    elif m.brightness > 220:
        out.append(
            Finding(
                "lighting",
                Status.warn,
                "The picture is very bright.",
                "Move away from direct light behind or beside the camera.",
                required=False,
            )
        )
    else:
        out.append(Finding("lighting", Status.ok, "The lighting is good."))
    faces = m.faces
    if faces == 1:
        out.append(Finding("face", Status.ok, "We can see your face."))
    elif faces == 0:
        out.append(
            Finding(
                "face",
                Status.fail,
                "We cannot see a face.",
                "Sit in front of the camera with your face in the middle of the picture.",
            )
        )
    else:
        out.append(
            Finding(
                "face",
                Status.fail,
                f"We see {faces} faces.",
                "Only the candidate may be in front of the camera during the interview.",
            )
        )
    return out


def check_devices(
    camera: CameraCapture | None,
    microphone: MicrophoneCapture | AudioFileMicrophone | None,
    *,
    seconds: float = 3.0,
    fps: int = 30,
    width: int = 640,
    height: int = 480,
    stop: threading.Event | None = None,
) -> DeviceCheckResult:
    """Listen and watch the RUNNING camera and microphone for `seconds`, then judge them."""
    stamps: list[float] = []
    pictures: list[np.ndarray[Any, Any]] = []
    blocks: list[AudioBlock] = []
    picture_every = max(1, int(fps * seconds) // FACE_SAMPLES)

    def keep_frame(frame: CameraFrame) -> None:  # stamps of all, pictures of a few: 720p is 2.7 MB each
        if len(stamps) % picture_every == 0 and len(pictures) < FACE_SAMPLES:
            pictures.append(frame.image)
        stamps.append(frame.timestamp)

    if camera is not None:
        camera.frame.connect(keep_frame)
    if microphone is not None:
        microphone.block.connect(blocks.append)
    deadline = monotonic() + seconds
    waiter = stop or threading.Event()
    try:
        while monotonic() < deadline and not waiter.is_set():
            waiter.wait(min(0.05, max(0.0, deadline - monotonic())))
    finally:
        if camera is not None:
            camera.frame.disconnect(keep_frame)
        if microphone is not None:
            microphone.block.disconnect(blocks.append)
    findings: list[Finding] = []
    mic_m = cam_m = None
    if microphone is not None:
        rate = blocks[0].sample_rate if blocks else microphone.sample_rate
        samples = np.concatenate([b.samples for b in blocks]) if blocks else np.zeros(0, np.float32)
        mic_m = measure_microphone(samples, rate)
        findings += microphone_findings(mic_m)
    if camera is not None:
        cam_m = measure_camera(stamps, pictures)
        findings += camera_findings(cam_m, fps=fps, width=width, height=height)
    return DeviceCheckResult(mic_m, cam_m, findings)
