"""Generated media for tests: a video file that stands in for a camera, and spoken audio clips."""

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np


@lru_cache(maxsize=1)
def _face_bgr() -> "np.ndarray[Any, Any]":
    """A real photographed face that ships inside the scikit-image wheel (no download)."""
    from skimage import data

    return cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)


def face_frame(width: int, height: int, *, shift: int = 0) -> "np.ndarray[Any, Any]":
    """A BGR frame with one face in the middle on a gradient background."""
    x = np.linspace(0, 255, width, dtype=np.float32)
    frame = np.empty((height, width, 3), dtype=np.uint8)
    frame[..., 0] = (x + shift * 4) % 256
    frame[..., 1] = 128
    frame[..., 2] = (255 - x) % 256
    side = int(height * 0.8)
    face = cv2.resize(_face_bgr(), (side, side), interpolation=cv2.INTER_AREA)
    top, left = (height - side) // 2, (width - side) // 2
    frame[top : top + side, left : left + side] = face
    return frame


def write_test_video(
    path: Path,
    *,
    seconds: float = 2.0,
    width: int = 640,
    height: int = 480,
    fps: int = 30,
    face: bool = False,
    brightness: float = 1.0,
) -> Path:
    """A moving gradient with a frame counter stripe (optionally a face), encoded as H.264 MP4."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=fps, options={"preset": "ultrafast"})
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        x = np.linspace(0, 255, width, dtype=np.float32)
        for i in range(int(seconds * fps)):
            if face:
                frame = cv2.cvtColor(face_frame(width, height, shift=i), cv2.COLOR_BGR2RGB)
            else:
                frame = np.empty((height, width, 3), dtype=np.uint8)
                frame[..., 0] = (x + i * 4) % 256
                frame[..., 1] = 128
                frame[..., 2] = (255 - x) % 256
            frame[: height // 10, : (i * 7) % width] = 255
            if brightness != 1.0:
                frame = np.clip(frame.astype(np.float32) * brightness, 0, 255).astype(np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def write_speech_wav(
    path: Path, text: str, *, voice: str = "en-us", words_per_minute: int = 160, pad_seconds: float = 0.0
) -> Path:
    """Speak `text` with espeak-ng into a WAV file (optionally with silence after it)."""
    espeak = shutil.which("espeak-ng") or shutil.which("espeak")
    if espeak is None:
        raise RuntimeError("espeak-ng is not installed (sudo apt-get install espeak-ng)")
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [espeak, "-v", voice, "-s", str(words_per_minute), "-w", str(path), text],
        check=True,
        capture_output=True,
    )
    if pad_seconds > 0:
        import wave

        with wave.open(str(path), "rb") as src:
            params, frames = src.getparams(), src.readframes(src.getnframes())
        silence = b"\0" * int(params.framerate * pad_seconds) * params.sampwidth * params.nchannels
        with wave.open(str(path), "wb") as dst:
            dst.setparams(params)
            dst.writeframes(frames + silence)
    return path


def write_tone_wav(path: Path, *, seconds: float, frequency: float = 440.0, amplitude: float = 0.3) -> Path:
    """A sine tone as 16-bit mono 48 kHz WAV."""
    import wave

    rate = 48_000
    t = np.arange(int(seconds * rate)) / rate
    samples = (np.sin(2 * np.pi * frequency * t) * amplitude * 32767).astype(np.int16)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


def write_answer_recording(path: Path, speech_wav: Path, *, width: int = 160, height: int = 120) -> Path:
    """A recorded answer as the station writes it: H.264 video plus AAC audio carrying `speech_wav`."""
    fps = 10
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(speech_wav)) as source, av.open(str(path), mode="w") as container:
        video = container.add_stream("libx264", rate=fps, options={"preset": "ultrafast"})
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        audio = container.add_stream("aac", rate=48_000)
        audio.layout = "mono"
        resampler = av.AudioResampler(format="fltp", layout="mono", rate=48_000, frame_size=1024)
        samples = 0
        for frame in [*source.decode(audio=0), None]:
            for chunk in resampler.resample(frame):
                chunk.pts = samples
                samples += chunk.samples
                for packet in audio.encode(chunk):
                    container.mux(packet)
        for packet in audio.encode():
            container.mux(packet)
        picture = np.full((height, width, 3), 128, dtype=np.uint8)
        for _ in range(int(samples / 48_000 * fps) + 1):
            for packet in video.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
    return path
