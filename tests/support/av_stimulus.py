"""The flash-and-beep stimulus: a flashing video for the file camera, beeps into the virtual mic.

The camera file shows a dark picture with a white flash (FLASH_FRAMES frames) every
`interval_seconds`; the first flash is half an interval in, and the file is a whole number of
intervals long so it loops without breaking the rhythm. The beeps are played into PulseAudio's
`micfeed` sink (heard by the `virtmic` microphone) at the instants the camera shows the flashes.

Timing of the harness itself. The file camera stamps frame n at `start + n / fps` on the shared
clock (its pacing; see CameraCapture), so once the first frame is seen every later flash instant
is known in advance. The beeps are written through `TimedPlayback`, which knows when each written
sample will be played; each beep's first sample is placed at the predicted flash instant. What is
left is (a) the play-out estimate (1-2 ms spread idle, about 10 ms under load) and (b) a flash the camera shows off its
schedule (a read more than one frame late re-anchors its pacing). (b) is measured: every flash
frame the camera really delivered is compared with the beep placed for it (`stimulus_offsets_ms`,
same sign as the recorder: positive when the beep came first).
"""

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import av
import numpy as np

from desktop_app.devices.camera import CameraCapture, CameraFrame
from desktop_app.devices.microphone import AudioBlock, MicrophoneCapture
from desktop_app.recording.media_writer import MediaFormat, MediaWriter
from desktop_app.recording.recorder import AnswerRecorder, RecordingResult
from tests.support.pulse_playback import TimedPlayback

FLASH_FRAMES = 3
BEEP_SECONDS = 0.1
BEEP_HZ = 1000.0
BEEP_AMPLITUDE = 0.5
DARK_LEVEL = 24
BRIGHT_LEVEL = 235


@dataclass(frozen=True)
class FlashVideo:
    path: Path
    fps: int
    frame_count: int  # one loop of the file
    flash_onsets: tuple[int, ...]  # frame indices within one loop where a flash begins


def flash_onset_frames(*, seconds: float, interval_seconds: float, fps: int) -> tuple[int, ...]:
    count = round(seconds / interval_seconds)
    return tuple(round((k + 0.5) * interval_seconds * fps) for k in range(count))


def flash_picture(width: int, height: int, *, lit: bool) -> "np.ndarray[Any, np.dtype[np.uint8]]":
    """BGR: white while the flash is lit, else dark grey."""
    return np.full((height, width, 3), BRIGHT_LEVEL if lit else DARK_LEVEL, np.uint8)


def write_flash_video(
    path: Path, *, seconds: float = 10.0, interval_seconds: float = 2.0, width: int = 640, height: int = 480,
    fps: int = 30,
) -> FlashVideo:  # fmt: skip
    """H.264 MP4 for the file camera: dark, with a white flash every `interval_seconds`."""
    seconds = max(1, round(seconds / interval_seconds)) * interval_seconds
    onsets = flash_onset_frames(seconds=seconds, interval_seconds=interval_seconds, fps=fps)
    lit_frames = {onset + i for onset in onsets for i in range(FLASH_FRAMES)}
    frame_count = round(seconds * fps)
    dark, lit = flash_picture(width, height, lit=False), flash_picture(width, height, lit=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=fps, options={"preset": "ultrafast"})
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for index in range(frame_count):
            image = lit if index in lit_frames else dark
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="bgr24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return FlashVideo(path, fps, frame_count, onsets)


def beep_samples(start: float, times: "np.ndarray[Any, Any]") -> "np.ndarray[Any, np.dtype[np.float32]]":
    """The beep that starts at `start` (sine from phase zero), sampled at `times`; zero outside it."""
    relative = times - start
    inside = (relative >= 0) & (relative < BEEP_SECONDS)
    return np.where(inside, BEEP_AMPLITUDE * np.sin(2 * np.pi * BEEP_HZ * relative), 0.0).astype(np.float32)


def write_known_offset_recording(
    path: Path, *, offset_ms: float, media: MediaFormat, seconds: float = 5.0, interval_seconds: float = 1.0
) -> list[float]:
    """A recording as the station writes it (MediaWriter) with each beep `offset_ms` off its flash.

    Positive `offset_ms`: the beep comes before the flash (sound before picture). Returns the flash
    instants (seconds in the file).
    """
    onsets = flash_onset_frames(seconds=seconds, interval_seconds=interval_seconds, fps=media.fps)
    lit_frames = {onset + i for onset in onsets for i in range(FLASH_FRAMES)}
    writer = MediaWriter(path, media)
    dark = flash_picture(media.width, media.height, lit=False)
    lit = flash_picture(media.width, media.height, lit=True)
    for slot in range(round(seconds * media.fps)):
        writer.write_video(lit if slot in lit_frames else dark, slot)
    flashes = [onset / media.fps for onset in onsets]
    times = np.arange(round(seconds * media.sample_rate)) / media.sample_rate
    audio = np.zeros(len(times), np.float32)
    for flash in flashes:
        audio += beep_samples(flash - offset_ms / 1000, times)
    writer.write_audio(audio)
    writer.close()
    return flashes


@dataclass
class FlashBeepStimulus:
    """Plays a beep at every flash the file camera will show.

    Connect `on_frame` to the camera's `frame` signal and pass `fill` to a `TimedPlayback` on the
    microphone's feed. Thread-safe between the camera's thread and the playback thread.
    """

    video: FlashVideo
    sample_rate: int = 48_000
    beeps_placed: list[tuple[int, float]] = field(default_factory=list)  # (sample index, planned time)
    flashes_shown: list[float] = field(default_factory=list)  # shared clock, camera stamp
    _anchor: float | None = None  # shared-clock instant of camera frame 0 on its pacing schedule
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def on_frame(self, frame: CameraFrame) -> None:
        period = 1.0 / self.video.fps
        expected_at = frame.timestamp - frame.index * period
        with self._lock:
            if self._anchor is None or abs(expected_at - self._anchor) > 0.001:
                self._anchor = expected_at  # first frame, or the camera re-anchored its pacing
            if frame.index % self.video.frame_count in self.video.flash_onsets:
                self.flashes_shown.append(frame.timestamp)

    def fill(self, first_sample: int, plays_at: float, count: int) -> "np.ndarray[Any, np.dtype[np.float32]]":
        times = plays_at + np.arange(count) / self.sample_rate
        samples = np.zeros(count, np.float32)
        for flash in self._flashes_between(plays_at - BEEP_SECONDS, float(times[-1])):
            samples += beep_samples(flash, times)
            first = math.ceil((flash - plays_at) * self.sample_rate)
            if 0 <= first < count:
                self.beeps_placed.append((first_sample + first, plays_at + first / self.sample_rate))
        return samples

    def _flashes_between(self, begin: float, end: float) -> list[float]:
        with self._lock:
            anchor = self._anchor
        if anchor is None:
            return []
        period = 1.0 / self.video.fps
        loop_seconds = self.video.frame_count * period
        first_loop = max(0, math.floor((begin - anchor) / loop_seconds))
        flashes = []
        for loop in range(first_loop, first_loop + 2 + math.ceil((end - begin) / loop_seconds)):
            for onset in self.video.flash_onsets:
                at = anchor + (loop * self.video.frame_count + onset) * period
                if begin <= at <= end:
                    flashes.append(at)
        return flashes

    def stimulus_offsets_ms(
        self, playback: TimedPlayback, *, max_pair_seconds: float = 0.5
    ) -> list[tuple[float, float]]:
        """(flash stamp, offset ms) for each flash the camera showed: when its beep was really heard
        relative to it (positive: the beep came first). The harness's own error, to take off what
        the file shows."""
        heard = [playback.played_at(index) for index, _ in self.beeps_placed]
        offsets = []
        for flash in self.flashes_shown:
            nearest = min(heard, key=lambda beep: abs(beep - flash), default=None)
            if nearest is not None and abs(nearest - flash) <= max_pair_seconds:
                offsets.append((flash, (flash - nearest) * 1000))
        return offsets


@dataclass(frozen=True)
class StimulusRecording:
    result: RecordingResult
    stimulus_offsets: list[tuple[float, float]]  # (flash time in the file, harness offset ms) per flash
    playout_spread_ms: float  # spread (5th-95th percentile) of the play-out estimates while recording

    def harness_offset_ms(self, flash_seconds: float, *, tolerance: float = 0.1) -> float | None:
        """The harness's own offset for the flash shown at `flash_seconds` in the file."""
        near = [offset for at, offset in self.stimulus_offsets if abs(at - flash_seconds) <= tolerance]
        return near[0] if near else None


def record_flash_and_beep(
    out: Path, video: FlashVideo, media: MediaFormat, *, seconds: float,
    on_audio: Callable[[AudioBlock], None] | None = None,
) -> StimulusRecording:  # fmt: skip
    """Record `seconds` of the stimulus as the interview session does: file camera, real
    microphone (the PulseAudio virtual one, default source), AnswerRecorder. Needs the PulseAudio
    test server named by the environment (the `pulseaudio` fixture)."""
    stimulus = FlashBeepStimulus(video, sample_rate=media.sample_rate)
    playback = TimedPlayback("micfeed", stimulus.fill, sample_rate=media.sample_rate)
    camera = CameraCapture(str(video.path), fps=video.fps, loop=True)
    mic = MicrophoneCapture(None, sample_rate=media.sample_rate)
    recorder = AnswerRecorder(out, media, max_seconds=seconds)
    done = threading.Event()

    def on_block(block: AudioBlock) -> None:
        if recorder.add_audio(block) and on_audio is not None:
            on_audio(block)

    camera.frame.connect(stimulus.on_frame)
    camera.frame.connect(recorder.add_frame)
    mic.block.connect(on_block)
    for source in (camera, mic):
        source.failed.connect(lambda error: (recorder.note_device_failure(error), done.set()))
    recorder.limit_reached.connect(lambda _: done.set())
    playback.start()
    try:
        if not playback.wait_until_steady():
            raise RuntimeError("the stimulus playback did not settle within 10 s")
        mic.start()
        try:
            if not mic.wait_until_live(10):
                raise RuntimeError("no sound came from the virtual microphone within 10 s")
            camera.start()
            try:
                time.sleep(0.5)  # as in an interview: the devices run before the answer starts
                recorder.start()
                done.wait(seconds + 10)
                result = recorder.finish()
            finally:
                camera.stop()
        finally:
            mic.stop()
    finally:
        playback.stop()
    in_file = [
        (stamp - recorder.timeline_origin, offset) for stamp, offset in stimulus.stimulus_offsets_ms(playback)
    ]
    answer_end = recorder.timeline_origin + result.duration_seconds
    return StimulusRecording(result, in_file, playback.spread_ms(recorder.timeline_origin, answer_end))
