"""Stand-ins for the demo on a machine with no camera or no microphone (servers, CI boxes, VMs).

Only the demo asks for them (setting `demo_stand_ins`). A missing camera becomes a video file
generated here on first use (a drawn face that OpenCV's face check recognises, swaying gently) and
cached in the demo's data folder; a missing microphone becomes a synthesized voice reading a short
answer, looped in real time. Nothing is downloaded. The device check names each stand-in, and what
it measures about a stand-in never blocks the demo: it would be judging our drawing, not a device.
"""

import logging
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from desktop_app.devices.camera import describe_camera
from desktop_app.devices.microphone import AudioBlock, MicrophoneCapture, load_audio_file
from desktop_app.errors import DeviceError, StationError
from desktop_app.findings import Finding, Status
from desktop_app.recording.clock import monotonic, sleep_until

log = logging.getLogger(__name__)

DEMO_CAMERA_LABEL = "Demo camera (no webcam found)"
DEMO_MICROPHONE_LABEL = "Demo microphone (no microphone found)"
DEMO_VOICE_TEXT = (
    "Hello, this is the demo microphone speaking for the candidate. "
    "I enjoy solving problems together with other people and explaining how things work."
)
_VIDEO_SECONDS = 4
_VOICE_PAUSE_SECONDS = 1.5
# What the device check measures about each device (desktop_app/devices/check.py names).
_CAMERA_FINDINGS = frozenset({"camera", "frame rate", "resolution", "lighting", "face"})
_MICROPHONE_FINDINGS = frozenset({"microphone", "speech", "microphone level", "clipping", "background noise"})


@dataclass(frozen=True)
class StandIns:
    """Which demo stand-ins this run uses."""

    camera: bool = False
    microphone: bool = False

    @property
    def labels(self) -> list[str]:
        """One line per stand-in: its name, and what it does in the candidate's place."""
        lines = []
        if self.camera:
            lines.append(f"{DEMO_CAMERA_LABEL}: a drawn face stands in for you.")
        if self.microphone:
            lines.append(f"{DEMO_MICROPHONE_LABEL}: a synthesized voice answers for you.")
        return lines


# -- camera -------------------------------------------------------------------------------------
def draw_demo_face(width: int, height: int, *, phase: float = 0.0) -> "np.ndarray[Any, np.dtype[np.uint8]]":
    """A BGR picture of a simple drawn face (hair, brows, eyes, nose, mouth) on a grey gradient.

    The proportions follow a frontal face closely enough for the Haar cascade the device check uses.
    `phase` (radians) sways the head a little, so the preview visibly moves. No caption: the kiosk's
    preview is mirrored, and the device check names the stand-in in its own words anyway.
    """
    image = np.empty((height, width, 3), dtype=np.uint8)
    image[:] = np.linspace(150, 210, width, dtype=np.uint8)[None, :, None]
    scale = height / 480
    cx, cy = width // 2 + int(10 * scale * np.sin(phase)), height // 2 + int(10 * scale)
    fw, fh = int(height * 0.28), int(height * 0.36)

    def ellipse(center: tuple[int, int], axes: tuple[float, float], colour: tuple[int, int, int]) -> None:
        cv2.ellipse(image, center, (int(axes[0]), int(axes[1])), 0, 0, 360, colour, -1, cv2.LINE_AA)

    ellipse((cx, cy - int(fh * 0.25)), (fw * 1.08, fh * 0.95), (40, 50, 70))  # hair
    cv2.rectangle(image, (cx - fw // 3, cy + fh // 2), (cx + fw // 3, height), (120, 150, 190), -1)  # neck
    ellipse((cx, cy), (fw, fh), (150, 180, 220))  # face
    eye_x, eye_y = int(fw * 0.42), cy - int(fh * 0.18)
    for side in (-1, 1):
        x = cx + side * eye_x
        cv2.ellipse(
            image,
            (x, eye_y - int(fh * 0.17)),
            (int(fw * 0.25), int(fh * 0.06)),
            0,
            180,
            360,
            (40, 45, 60),
            -1,
            cv2.LINE_AA,
        )  # brow
        ellipse((x, eye_y), (fw * 0.24, fh * 0.1), (90, 110, 140))  # eye socket
        ellipse((x, eye_y), (fw * 0.16, fh * 0.06), (240, 240, 240))  # eye white
        cv2.circle(image, (x, eye_y), int(fh * 0.05), (40, 30, 20), -1, cv2.LINE_AA)  # iris
    ellipse((cx, cy + int(fh * 0.15)), (fw * 0.14, fh * 0.08), (110, 135, 170))  # nose
    ellipse((cx, cy + int(fh * 0.45)), (fw * 0.35, fh * 0.08), (70, 70, 140))  # mouth
    return image


def demo_camera_video(cache_dir: Path, *, width: int, height: int, fps: int) -> Path:
    """The demo camera's video (H.264 MP4), generated once per size and frame rate, then reused."""
    import av

    path = cache_dir / f"demo-camera-{width}x{height}-{fps}.mp4"
    if path.is_file():
        return path
    cache_dir.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part.mp4")
    frames = _VIDEO_SECONDS * fps
    try:
        with av.open(str(part), mode="w") as container:
            stream = container.add_stream("libx264", rate=fps, options={"preset": "ultrafast"})
            stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
            for index in range(frames):  # one full sway per loop, so the loop point does not jump
                picture = draw_demo_face(width, height, phase=2 * np.pi * index / frames)
                for packet in stream.encode(av.VideoFrame.from_ndarray(picture, format="bgr24")):
                    container.mux(packet)
            for packet in stream.encode():
                container.mux(packet)
    except (av.FFmpegError, OSError) as exc:
        part.unlink(missing_ok=True)
        raise DeviceError(f"The demo camera video could not be made ({exc}).") from None
    part.replace(path)
    return path


def demo_camera_source(configured: str, cache_dir: Path, *, width: int, height: int, fps: int) -> str | None:
    """The demo video to use instead of `configured`, or None when `configured` gives a picture."""
    if describe_camera(configured) is not None:
        return None
    log.info("no picture from camera %r: the demo uses its generated camera video", configured)
    return str(demo_camera_video(cache_dir, width=width, height=height, fps=fps))


# -- microphone ---------------------------------------------------------------------------------
class DemoMicrophone(MicrophoneCapture):
    """A voice clip "spoken" into the station again and again, in real time, like a live microphone.

    Never ends and never fails, so the interview runs as it would with a person talking.
    """

    def __init__(
        self, voice: "np.ndarray[Any, np.dtype[np.float32]]", *, sample_rate: int, block_seconds: float = 0.02
    ) -> None:
        super().__init__("demo", sample_rate=sample_rate, block_seconds=block_seconds)
        pause = np.zeros(int(_VOICE_PAUSE_SECONDS * sample_rate), dtype=np.float32)
        self._loop = np.concatenate([voice.astype(np.float32), pause])
        self._halt = threading.Event()
        self._feeder: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._feeder is not None and self._feeder.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._halt.clear()
        self._feeder = threading.Thread(target=self._feed, name="demo-microphone", daemon=True)
        self._feeder.start()

    def stop(self) -> None:
        self._halt.set()
        if self._feeder is not None and self._feeder is not threading.current_thread():
            self._feeder.join(timeout=2)
        self._feeder = None

    def _feed(self) -> None:
        started = monotonic()
        sent = 0
        while not self._halt.is_set():
            offset = sent % len(self._loop)
            block = self._loop[offset : offset + self.block_frames]
            first_sample_at = started + sent / self.sample_rate
            sleep_until(first_sample_at + len(block) / self.sample_rate)  # handed over once "heard"
            sent += len(block)
            self.blocks_delivered += 1
            self.block.emit(AudioBlock(block.copy(), first_sample_at, self.sample_rate))


def demo_voice(cache_dir: Path, *, sample_rate: int) -> "np.ndarray[Any, np.dtype[np.float32]]":
    """The demo microphone's voice (rendered once with the station's text-to-speech); silence without it."""
    from desktop_app.speech.tts import render_to_wav

    path = cache_dir / "demo-microphone-voice.wav"
    try:
        if not path.is_file():
            render_to_wav(DEMO_VOICE_TEXT, path)
        return load_audio_file(path, sample_rate=sample_rate)
    except StationError as exc:
        log.warning("the demo microphone stays silent: %s", exc.message)
        return np.zeros(sample_rate, dtype=np.float32)


def start_microphone_or_stand_in(
    device: str | None, cache_dir: Path, *, sample_rate: int
) -> tuple[MicrophoneCapture, bool]:
    """The configured microphone, started; or, when it cannot be opened or stays silent, a demo one.

    Returns (microphone, whether it is the demo stand-in).
    """
    from desktop_app.devices.audio import refresh_devices

    real = MicrophoneCapture(device, sample_rate=sample_rate)
    try:
        refresh_devices()
        real.start()
        if real.wait_until_live():
            return real, False
        real.stop()
    except DeviceError as exc:
        real.stop()
        log.info("no microphone (%s): the demo uses its demo microphone", exc.message)
    stand_in = DemoMicrophone(demo_voice(cache_dir, sample_rate=sample_rate), sample_rate=sample_rate)
    stand_in.start()
    return stand_in, True


# -- the device check ---------------------------------------------------------------------------
def findings_with_stand_ins(findings: list[Finding], stand_ins: StandIns) -> list[Finding]:
    """What was measured about a stand-in becomes a hint that never blocks: it judges our drawing
    or our synthesized voice, not a device the candidate could fix."""
    demo_names = (_CAMERA_FINDINGS if stand_ins.camera else frozenset()) | (
        _MICROPHONE_FINDINGS if stand_ins.microphone else frozenset()
    )
    return [
        replace(finding, status=Status.warn, fix="(demo stand-in)", required=False)
        if finding.name in demo_names and finding.status is Status.fail
        else finding
        for finding in findings
    ]
