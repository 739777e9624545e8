"""The PyAV side of a recording: one container with one video and one audio stream.

MP4 holds H.264 (libx264) + AAC and plays in Qt Multimedia and every browser; WebM holds VP8 +
Opus. Frames arrive already placed on the timeline (pts); this class only encodes and muxes.
"""

import contextlib
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import av
import numpy as np

ContainerKind = Literal["mp4", "webm"]


@dataclass(frozen=True)
class MediaFormat:
    """What a recording is written as. Built from the station settings by the session."""

    width: int = 640
    height: int = 480
    fps: int = 30
    video_bitrate: int = 1_200_000
    sample_rate: int = 48_000
    audio_bitrate: int = 96_000
    container: ContainerKind = "mp4"
    x264_preset: str = "ultrafast"  # the cheapest preset: encoding must keep up beside transcription

    @property
    def suffix(self) -> str:
        return f".{self.container}"


_CODECS: dict[ContainerKind, tuple[str, str]] = {"mp4": ("libx264", "aac"), "webm": ("libvpx", "libopus")}
# Samples per encoded audio frame (AAC: 1024; Opus: 20 ms at 48 kHz). Known before the codec opens.
_AUDIO_FRAME_SIZE = {"aac": 1024, "libopus": 960}


class MediaWriter:
    """Encodes video frames and audio samples into `path`; `close()` flushes, fsyncs and closes."""

    def __init__(self, path: Path, media: MediaFormat) -> None:
        self.path = path
        self.media = media
        video_codec, audio_codec = _CODECS[media.container]
        options = {"movflags": "+faststart"} if media.container == "mp4" else {}
        self._container: Any = av.open(str(path), mode="w", format=media.container, options=options)
        video_options = (
            {"preset": media.x264_preset}
            if video_codec == "libx264"
            else {"deadline": "realtime", "cpu-used": "8"}
        )
        video: Any = self._container.add_stream(video_codec, rate=media.fps, options=video_options)
        video.width, video.height, video.pix_fmt = media.width, media.height, "yuv420p"
        video.bit_rate = media.video_bitrate
        video.codec_context.gop_size = media.fps * 2  # a keyframe every 2 s keeps seeking quick
        video.codec_context.time_base = Fraction(1, media.fps)
        audio: Any = self._container.add_stream(audio_codec, rate=media.sample_rate, layout="mono")
        audio.bit_rate = media.audio_bitrate
        audio.codec_context.time_base = Fraction(1, media.sample_rate)
        self._video: Any = video
        self._audio: Any = audio
        self._audio_format: str = audio.codec_context.format.name
        self._audio_frame_size = _AUDIO_FRAME_SIZE[audio_codec]
        self._pending_audio = np.zeros(0, dtype=np.float32)
        self._audio_pts = 0
        self.video_frames_written = 0
        self.audio_samples_written = 0

    def write_video(self, image: "np.ndarray[Any, np.dtype[np.uint8]]", pts: int) -> None:
        """Encode one BGR image shown from frame slot `pts` (in 1/fps units)."""
        frame = av.VideoFrame.from_ndarray(image, format="bgr24")
        frame = frame.reformat(self.media.width, self.media.height, "yuv420p")
        frame.pts = pts
        self._mux(self._video.encode(frame))
        self.video_frames_written += 1

    def write_audio(self, samples: "np.ndarray[Any, np.dtype[np.float32]]") -> None:
        """Append mono float32 samples to the audio track (continuous: gaps are the caller's silence)."""
        self._pending_audio = np.concatenate((self._pending_audio, samples.astype(np.float32, copy=False)))
        self._drain_audio(final=False)

    def _drain_audio(self, *, final: bool) -> None:
        size = self._audio_frame_size
        while len(self._pending_audio) >= size or (final and len(self._pending_audio)):
            chunk = self._pending_audio[:size]
            self._pending_audio = self._pending_audio[size:]
            if len(chunk) < size:  # encoders with a fixed frame size want the last frame padded
                chunk = np.concatenate((chunk, np.zeros(size - len(chunk), dtype=np.float32)))
            self._mux(self._audio.encode(self._audio_frame(chunk)))

    def _audio_frame(self, chunk: "np.ndarray[Any, np.dtype[np.float32]]") -> Any:
        if self._audio_format.startswith("s16"):
            data: Any = (np.clip(chunk, -1.0, 1.0) * 32767).astype(np.int16)
        else:
            data = chunk
        frame = av.AudioFrame.from_ndarray(data.reshape(1, -1), format=self._audio_format, layout="mono")
        frame.sample_rate = self.media.sample_rate
        frame.pts = self._audio_pts
        self._audio_pts += len(chunk)
        self.audio_samples_written += len(chunk)
        return frame

    def _mux(self, packets: Any) -> None:
        for packet in packets:
            self._container.mux(packet)

    def close(self) -> None:
        """Flush both encoders, write the trailer, and fsync the file to disk."""
        try:
            self._drain_audio(final=True)
            self._mux(self._video.encode(None))
            self._mux(self._audio.encode(None))
        finally:
            self._container.close()
        with open(self.path, "rb+") as handle:
            os.fsync(handle.fileno())

    def abort(self) -> None:
        """Close without caring about the content (the caller deletes the file)."""
        with contextlib.suppress(Exception):  # the file is being thrown away anyway
            self._container.close()
