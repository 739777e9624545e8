"""Audio/video sync measured from a recorded file: flash-and-beep.

The stimulus shows a white flash on camera and plays a beep into the microphone at the same
instant. In the OUTPUT file, the first bright frame and the beep's first sample must then share a
presentation time. Their difference is the end-to-end offset, including everything the capture
stamps cannot see (sound-server buffering, camera pacing, encoder delay, AAC priming, edit lists).

Presentation times are the decoder's: PyAV applies the container's edit list and drops the AAC
priming samples, so a frame's `pts * time_base` is what a player shows. Sign convention as in
`RecordingMetrics.av_offset_ms`: positive means sound comes before the picture.
"""

import math
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np

from desktop_app.errors import StationError

LEAD_LIMIT_MS = 15.0  # sound may come at most 15 ms before the picture (ITU-R BT.1359)
LAG_LIMIT_MS = 45.0  # and at most 45 ms after it
MIN_FLASH_CONTRAST = 40.0  # luma levels (0-255) between the dark and the bright frames
MIN_BEEP_LEVEL = 0.01  # RMS (-40 dBFS): quieter than this is not a beep
BEEP_ABOVE_FLOOR = 10.0  # RMS ratio (20 dB) between a beep and the noise floor
LEVEL_WINDOW_SECONDS = 0.001
MIN_BEEP_SECONDS = 0.01  # shorter bursts are clicks, not beeps
MIN_QUIET_BEFORE_SECONDS = 0.05  # an onset follows silence; a dip inside a beep is not a new one


class SyncAnalysisError(StationError):
    """The file cannot be analysed for audio/video sync (missing stream, no flash or no beep)."""


@dataclass(frozen=True)
class SyncEvent:
    """One flash paired with its beep, in presentation seconds of the file."""

    flash_seconds: float
    beep_seconds: float

    @property
    def offset_ms(self) -> float:
        """Positive: sound comes before the picture."""
        return (self.flash_seconds - self.beep_seconds) * 1000


@dataclass(frozen=True)
class SyncReport:
    events: tuple[SyncEvent, ...]
    unpaired_flashes: tuple[float, ...]
    unpaired_beeps: tuple[float, ...]
    frame_seconds: float  # a flash is only known to the frame: offsets carry +/- half of this

    @property
    def offsets_ms(self) -> list[float]:
        return [event.offset_ms for event in self.events]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.offsets_ms)

    @property
    def worst_ms(self) -> float:
        """The event furthest from zero (signed)."""
        return max(self.offsets_ms, key=abs)

    def within_target(self, *, lead_ms: float = LEAD_LIMIT_MS, lag_ms: float = LAG_LIMIT_MS) -> bool:
        """Every event inside the target: sound at most `lead_ms` early and at most `lag_ms` late."""
        return all(-lag_ms <= offset <= lead_ms for offset in self.offsets_ms)


def analyze_av_sync(path: Path, *, max_pair_seconds: float = 0.5) -> SyncReport:
    """Find the flashes and beeps in `path` and pair each flash with the nearest beep.

    Raises:
        SyncAnalysisError: the file cannot be read, lacks a stream, or holds no flash, no beep,
            or no flash with a beep within `max_pair_seconds`.
    """
    times, lumas, frame_seconds = _read_luma(path)
    flashes = find_flashes(times, lumas)
    samples, sample_times = _read_audio(path)
    beeps = find_beeps(samples, sample_times)
    events, lone_flashes, lone_beeps = pair_events(flashes, beeps, max_pair_seconds=max_pair_seconds)
    if not events:
        raise SyncAnalysisError(
            f"{path.name}: no flash has a beep within {max_pair_seconds * 1000:.0f} ms "
            f"(flashes at {_seconds_list(flashes)}, beeps at {_seconds_list(beeps)}).",
            fix="Check that the beeps are played at the moments the flashes are shown.",
        )
    return SyncReport(tuple(events), tuple(lone_flashes), tuple(lone_beeps), frame_seconds)


def find_flashes(times: "np.ndarray[Any, Any]", lumas: "np.ndarray[Any, Any]") -> list[float]:
    """Presentation times of the first bright frame of each flash (mean luma crossing mid-level)."""
    if len(lumas) < 2:
        raise SyncAnalysisError("The video has fewer than two frames: no flash can be found.", fix=None)
    dark, bright = float(np.percentile(lumas, 5)), float(lumas.max())
    if bright - dark < MIN_FLASH_CONTRAST:
        raise SyncAnalysisError(
            f"No flash in the video (mean brightness stays between {dark:.0f} and {bright:.0f}).",
            fix="Record the flash stimulus: a dark picture with white flashes.",
        )
    middle = (dark + bright) / 2
    lit = lumas > middle
    onsets = np.flatnonzero(lit[1:] & ~lit[:-1]) + 1
    return [float(times[i]) for i in onsets]


def find_beeps(samples: "np.ndarray[Any, Any]", sample_times: "np.ndarray[Any, Any]") -> list[float]:
    """Presentation times of each beep's first sample.

    A beep is a run of 1 ms windows whose RMS is above a threshold a quarter of the way from the
    noise floor (median window) to the loudest window, lasting at least MIN_BEEP_SECONDS and
    following MIN_QUIET_BEFORE_SECONDS of quiet. Its onset is the first sample whose magnitude
    crosses the threshold, so the time is sample-accurate, not window-accurate.
    """
    rate = _rate(sample_times)
    window = max(1, round(LEVEL_WINDOW_SECONDS * rate))
    count = len(samples) // window
    if count < 2:
        raise SyncAnalysisError("The audio is too short to hold a beep.", fix=None)
    levels = np.sqrt(np.mean(np.square(samples[: count * window].reshape(count, window)), axis=1))
    floor, loudest = float(np.median(levels)), float(levels.max())
    if loudest < MIN_BEEP_LEVEL or loudest < floor * BEEP_ABOVE_FLOOR:
        raise SyncAnalysisError(
            f"No beep in the audio (loudest {_dbfs(loudest):.0f} dBFS over a floor of {_dbfs(floor):.0f} dBFS).",
            fix="Record the beep stimulus into the microphone.",
        )
    threshold = floor + (loudest - floor) / 4
    loud = levels > threshold
    quiet_needed = round(MIN_QUIET_BEFORE_SECONDS / LEVEL_WINDOW_SECONDS)
    loud_needed = round(MIN_BEEP_SECONDS / LEVEL_WINDOW_SECONDS)
    onsets: list[float] = []
    last_loud = -1  # a beep already sounding when the file starts has no onset in it
    for found in np.flatnonzero(loud):
        index = int(found)
        starts_a_beep = index - last_loud > quiet_needed
        last_loud = index
        if not starts_a_beep or np.count_nonzero(loud[index : index + loud_needed]) < loud_needed * 0.8:
            continue
        begin: int = max(
            0, (index - 1) * window
        )  # the crossing can sit at the end of the quiet window before
        segment = np.abs(samples[begin : (index + 1) * window])
        first = begin + int(np.argmax(segment > threshold))
        onsets.append(float(sample_times[first]))
    if not onsets:
        raise SyncAnalysisError("No beep in the audio (only clicks shorter than 10 ms).", fix=None)
    return onsets


def pair_events(
    flashes: list[float], beeps: list[float], *, max_pair_seconds: float
) -> tuple[list[SyncEvent], list[float], list[float]]:
    """Pair each flash with the nearest unused beep within `max_pair_seconds`, in time order."""
    events: list[SyncEvent] = []
    used: set[int] = set()
    lone_flashes: list[float] = []
    for flash in flashes:
        candidates = [
            (abs(beep - flash), i)
            for i, beep in enumerate(beeps)
            if i not in used and abs(beep - flash) <= max_pair_seconds
        ]
        if not candidates:
            lone_flashes.append(flash)
            continue
        _, nearest = min(candidates)
        used.add(nearest)
        events.append(SyncEvent(flash, beeps[nearest]))
    lone_beeps = [beep for i, beep in enumerate(beeps) if i not in used]
    return events, lone_flashes, lone_beeps


def _open(path: Path) -> Any:
    if not path.is_file():
        raise SyncAnalysisError(f"The recording {path} does not exist.", fix=None)
    try:
        return av.open(str(path))
    except av.FFmpegError as exc:
        raise SyncAnalysisError(f"The recording {path.name} cannot be read ({exc}).", fix=None) from None


def _read_luma(path: Path) -> tuple["np.ndarray[Any, Any]", "np.ndarray[Any, Any]", float]:
    """(presentation seconds, mean luma) of every decoded video frame, and one frame's duration."""
    with _open(path) as container:
        if not container.streams.video:
            raise SyncAnalysisError(f"{path.name} has no video stream.", fix=None)
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        times: list[float] = []
        lumas: list[float] = []
        try:
            for frame in container.decode(stream):
                if frame.pts is None:
                    continue
                times.append(float(frame.pts * frame.time_base))
                lumas.append(_mean_luma(frame))
        except av.FFmpegError as exc:
            raise SyncAnalysisError(
                f"The video of {path.name} cannot be decoded ({exc}).", fix=None
            ) from None
        rate = stream.average_rate or stream.guessed_rate
        frame_seconds = (
            1.0 / float(rate) if rate else float(np.median(np.diff(times))) if len(times) > 1 else 0.0
        )
    return np.array(times), np.array(lumas), frame_seconds


def _mean_luma(frame: Any) -> float:
    name = frame.format.name
    if name.startswith(("yuv", "yuvj", "nv12", "gray")) and "p10" not in name and "p12" not in name:
        plane = np.frombuffer(frame.planes[0], np.uint8)  # 8-bit luma, rows padded to line_size
        return float(plane.reshape(frame.height, -1)[:, : frame.width].mean())
    return float(frame.to_ndarray(format="gray").mean())


def _read_audio(path: Path) -> tuple["np.ndarray[Any, Any]", "np.ndarray[Any, Any]"]:
    """Mono float samples of the first audio stream and each sample's presentation seconds."""
    with _open(path) as container:
        if not container.streams.audio:
            raise SyncAnalysisError(f"{path.name} has no audio stream.", fix=None)
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="fltp", layout="mono", rate=stream.rate)
        chunks: list[np.ndarray[Any, Any]] = []
        stamps: list[np.ndarray[Any, Any]] = []
        try:
            for frame in container.decode(stream):
                if frame.pts is None:
                    continue
                start = float(frame.pts * frame.time_base)
                rate = frame.sample_rate
                for out in resampler.resample(frame):
                    mono = out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
                    chunks.append(mono)
                    stamps.append(start + np.arange(len(mono)) / rate)
                    start += len(mono) / rate
        except av.FFmpegError as exc:
            raise SyncAnalysisError(
                f"The audio of {path.name} cannot be decoded ({exc}).", fix=None
            ) from None
    if not chunks:
        raise SyncAnalysisError(f"The audio stream of {path.name} holds no samples.", fix=None)
    return np.concatenate(chunks), np.concatenate(stamps)


def _rate(sample_times: "np.ndarray[Any, Any]") -> float:
    if len(sample_times) < 2:
        return 48_000.0
    return 1.0 / float(np.median(np.diff(sample_times[: min(len(sample_times), 4096)])))


def _dbfs(level: float) -> float:
    return 20 * math.log10(level) if level > 0 else -math.inf


def _seconds_list(times: list[float], limit: int = 5) -> str:
    shown = ", ".join(f"{t:.2f} s" for t in times[:limit])
    return shown + (", ..." if len(times) > limit else "") if times else "none"
