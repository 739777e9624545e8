"""Recording one answer: stamped camera frames and microphone blocks -> one media file.

Capture threads only enqueue (never encode): `add_frame` and `add_audio` return at once. One
writer thread places everything on the shared clock's timeline and encodes it:

- video is written at a constant frame rate; frame slot n shows the frame captured nearest to
  t0 + n/fps. A slot with no new frame repeats the previous one (counted as *duplicated*); a frame
  that arrives for a slot already filled, or finds the queue full, is *dropped*.
- audio is written as one continuous track placed by the first block's stamp; if the stamps and
  the sample count drift apart by more than RESYNC_SECONDS (lost blocks, a clock step), silence is
  inserted or samples trimmed so sound stays on the picture.
- the A/V offset is measured from the same numbers: how far each frame and each audio block sit in
  the file from where their capture stamps put them. Positive means sound comes before picture.

The file is written under a temporary name, fsync'ed and renamed when complete, so a crash
leaves either a whole file or a `.part` file to discard, never a half file under the real name.
"""

import logging
import math
import os
import queue
import statistics
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from desktop_app.devices.camera import CameraFrame
from desktop_app.devices.microphone import AudioBlock
from desktop_app.errors import StationError
from desktop_app.recording.clock import monotonic
from desktop_app.recording.media_writer import MediaFormat, MediaWriter
from desktop_app.signals import Signal

log = logging.getLogger(__name__)

RESYNC_SECONDS = 0.06
LATE_SLOTS = 0.3  # placement: at most 10 ms late, at most 23 ms early at 30 fps
EARLY_SNAP_SLOTS = 0.9  # rather than a duplicate, show a frame up to 30 ms early
LATE_SNAP_SLOTS = 0.45  # rather than a drop, show a frame up to 15 ms late
MAX_AUDIO_HELD_SECONDS = 0.5
PART_SUFFIX = ".part"


class RecordingError(StationError):
    """The answer could not be written to disk."""


@dataclass(frozen=True)
class RecordingMetrics:
    """How faithful a recording is; stored with the answer and printed by the benchmark."""

    frames_captured: int  # frames the camera delivered while recording
    frames_written: int  # video frames in the file, duplicates included
    frames_dropped: int  # captured but not in the file (queue full, or a second frame for one slot)
    frames_duplicated: int  # slots filled by repeating the previous frame
    audio_seconds: float
    video_seconds: float
    audio_silence_inserted_seconds: float
    audio_trimmed_seconds: float
    av_offset_ms: float  # median; positive: sound comes before the picture
    av_offset_worst_ms: float  # the 1-second window furthest from zero
    stopped_by: str

    @property
    def dropped_ratio(self) -> float:
        return self.frames_dropped / self.frames_captured if self.frames_captured else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "dropped_ratio": round(self.dropped_ratio, 5)}


@dataclass(frozen=True)
class RecordingResult:
    path: Path
    duration_seconds: float
    metrics: RecordingMetrics
    error: StationError | None  # a device failed mid-answer; what was recorded is still in `path`


_STOP = object()


class AnswerRecorder:
    """Writes one answer to `path` (written as `path.part`, renamed by `finish`).

    Signal `limit_reached` (None) fires once, from a capture thread, when `max_seconds` is reached;
    later frames and blocks are ignored. The owner then calls `finish()`.
    """

    def __init__(
        self,
        path: Path,
        media: MediaFormat,
        *,
        max_seconds: float,
        max_queued_frames: int | None = None,
    ) -> None:
        self.path = path
        self.part_path = path.with_name(path.name + PART_SUFFIX)
        self.media = media
        self.max_seconds = max_seconds
        self.max_queued_frames = max_queued_frames or media.fps  # about 1 s of frames in memory
        self.limit_reached: Signal[None] = Signal("recorder.limit_reached")
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._queued_frames = 0
        self._count_lock = threading.Lock()
        self._accepting = False
        self._end_at = float("inf")
        self._audio_covered_until = 0.0
        self._limit_fired = False
        self._t0 = 0.0
        self._origin: float | None = None  # the file's time zero on the shared clock (writer thread)
        self._held_audio: list[AudioBlock] = []  # sound that came before the first picture
        self._writer: MediaWriter | None = None
        self._thread: threading.Thread | None = None
        self._write_error: BaseException | None = None
        self._device_error: StationError | None = None
        self._stopped_by = "stopped"
        # timeline state, owned by the writer thread
        self._frames_captured = 0
        self._frames_dropped_queue = 0
        self._frames_dropped_slot = 0
        self._frames_duplicated = 0
        self._next_slot = 0
        self._last_image: np.ndarray[Any, np.dtype[np.uint8]] | None = None
        self._audio_position = 0  # samples written
        self._silence_inserted = 0
        self._trimmed = 0
        self._video_errors: list[tuple[float, float]] = []  # (capture time, placement error)
        self._audio_errors: list[tuple[float, float]] = []

    @property
    def started_at(self) -> float:
        return self._t0

    @property
    def timeline_origin(self) -> float:
        """The shared-clock instant shown at 0:00 in the file (known once the first frame is placed)."""
        return self._origin if self._origin is not None else self._t0

    @property
    def elapsed(self) -> float:
        return max(0.0, monotonic() - self._t0) if self._t0 else 0.0

    def start(self) -> None:
        """Open the file and start the writer; t0 (the answer's zero) is now.

        Raises:
            RecordingError: the file cannot be created.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._writer = MediaWriter(self.part_path, self.media)
        except (OSError, ValueError) as exc:
            raise RecordingError(
                f"The recording file {self.path} could not be created ({exc}).",
                fix="Check that the station's disk has space and is writable.",
            ) from None
        self._t0 = monotonic()
        self._accepting = True
        self._thread = threading.Thread(target=self._write_loop, name="recorder-writer", daemon=True)
        self._thread.start()

    # --- called from capture threads: never block ---------------------------------------------

    def add_frame(self, frame: CameraFrame) -> bool:
        """Queue a frame; False when it is outside the answer (before start, after the end)."""
        if not self._accepting or not self._within_limit(frame.timestamp):
            return False
        with self._count_lock:
            self._frames_captured += 1
            if self._queued_frames >= self.max_queued_frames:
                self._frames_dropped_queue += 1
                return True
            self._queued_frames += 1
        self._queue.put(("video", frame))
        return True

    def add_audio(self, block: AudioBlock) -> bool:
        """Queue a block; False when it is outside the answer (before start, after the end)."""
        if not self._accepting or not self._within_limit(block.timestamp):
            return False
        self._audio_covered_until = block.timestamp + block.duration
        self._queue.put(("audio", block))
        return True

    def note_device_failure(self, error: StationError) -> None:
        """A camera or microphone failed mid-answer: remember why; the owner then calls `finish`."""
        if self._device_error is None:
            self._device_error = error
            self._stopped_by = "device_failed"

    def _within_limit(self, timestamp: float) -> bool:
        if timestamp >= self._end_at:
            return False
        if timestamp - self._t0 < self.max_seconds:
            return True
        if not self._limit_fired:
            self._limit_fired = True
            self._stopped_by = "max_duration"
            self.limit_reached.emit(None)
        return False

    # --- the writer thread ------------------------------------------------------------------

    def _write_loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                if self._origin is None and self._write_error is None:
                    self._set_origin(self._t0)  # no picture ever came: place the sound from the start
                return
            if self._write_error is not None:
                if item[0] == "video":
                    with self._count_lock:
                        self._queued_frames -= 1
                continue  # keep draining so producers never wait on a dead writer
            try:
                if item[0] == "video":
                    with self._count_lock:
                        self._queued_frames -= 1
                    if self._origin is None:
                        self._set_origin(self._phase_aligned_origin(item[1].timestamp))
                    self._place_frame(item[1])
                elif self._origin is None:
                    self._held_audio.append(item[1])
                    if sum(b.duration for b in self._held_audio) > MAX_AUDIO_HELD_SECONDS:
                        self._set_origin(self._t0)  # the camera is late: do not hold sound forever
                else:
                    self._place_audio(item[1])
            except Exception as exc:  # disk full, encoder failure: stop writing, report at finish
                log.exception("recording %s failed", self.path)
                self._write_error = exc

    def _phase_aligned_origin(self, first_frame_at: float) -> float:
        """The file's time zero: on the camera's cadence, at most one frame before the answer began.

        Starting the timeline in phase with the camera puts every frame on a slot boundary instead
        of up to half a frame off, and audio is placed on the same zero, so sound and picture line up.
        """
        period = 1.0 / self.media.fps
        frames_before = max(0, int((first_frame_at - self._t0) // period))
        return first_frame_at - frames_before * period

    def _set_origin(self, origin: float) -> None:
        self._origin = origin
        held, self._held_audio = self._held_audio, []
        for block in held:
            self._place_audio(block)

    def _place_frame(self, frame: CameraFrame) -> None:
        assert self._writer is not None and self._origin is not None
        fps = self.media.fps
        relative = frame.timestamp - self._origin
        position = relative * fps  # in slots
        # Sound before picture is noticed sooner than picture before sound (hence the +15 / -45 ms
        # target), so a frame goes to the slot at or before it unless it is within LATE_SLOTS of the
        # next one: it is shown at most LATE_SLOTS late and at most 1 - LATE_SLOTS early.
        slot = max(0, math.floor(position + LATE_SLOTS))
        if slot == self._next_slot + 1 and position - self._next_slot < EARLY_SNAP_SLOTS:
            slot = self._next_slot  # a little late: show it early rather than repeat the previous frame
        elif slot == self._next_slot - 1 and self._next_slot - position <= LATE_SNAP_SLOTS:
            slot = self._next_slot  # a little early for a slot already filled: show it slightly late
        if slot < self._next_slot:
            self._frames_dropped_slot += 1
            return
        fill_from = self._last_image if self._last_image is not None else frame.image
        for missing in range(self._next_slot, slot):
            self._writer.write_video(fill_from, missing)
            self._frames_duplicated += 1
        self._writer.write_video(frame.image, slot)
        self._video_errors.append((relative, slot / fps - relative))
        self._last_image = frame.image
        self._next_slot = slot + 1

    def _place_audio(self, block: AudioBlock) -> None:
        assert self._writer is not None and self._origin is not None
        rate = self.media.sample_rate
        samples = block.samples
        if block.sample_rate != rate:
            samples = _resample(samples, block.sample_rate, rate)
        relative = block.timestamp - self._origin
        expected = round(relative * rate)
        drift = self._audio_position - expected
        first = self._audio_position == 0 and self._silence_inserted == 0
        if (first or drift < -RESYNC_SECONDS * rate) and expected > self._audio_position:
            gap = expected - self._audio_position  # lead-in before the first block, or lost audio
            self._writer.write_audio(np.zeros(gap, dtype=np.float32))
            self._silence_inserted += 0 if first else gap
            self._audio_position += gap
        if expected < self._audio_position and (first or drift > RESYNC_SECONDS * rate):
            cut = min(len(samples), self._audio_position - expected)
            samples = samples[cut:]
            self._trimmed += 0 if first else cut  # before the first block: lead-in, not a loss
            expected += cut
        if len(samples) == 0:
            return
        self._audio_errors.append((relative, (self._audio_position - expected) / rate))
        self._writer.write_audio(samples)
        self._audio_position += len(samples)

    # --- finishing --------------------------------------------------------------------------

    def finish(self, *, audio_grace_seconds: float = 0.5) -> RecordingResult:
        """End the answer now: encode what is queued, close, fsync and rename the file.

        Sound captured before this moment may still be in the microphone's buffers; it is waited
        for (at most `audio_grace_seconds`) so the end of the last sentence is not cut.

        Raises:
            RecordingError: the file could not be written; the partial file is removed.
        """
        self._end_at = min(monotonic(), self._t0 + self.max_seconds)
        deadline = monotonic() + audio_grace_seconds
        while self._audio_covered_until < self._end_at and monotonic() < deadline:
            if self._device_error is not None:
                break
            time.sleep(0.01)
        self._accepting = False
        self._queue.put(_STOP)
        if self._thread is not None:
            self._thread.join()
        writer = self._writer
        assert writer is not None, "finish() before start()"
        if self._write_error is None:
            try:
                self._pad_audio_to_video(writer)
                writer.close()
            except Exception as exc:
                self._write_error = exc
        if self._write_error is not None:
            writer.abort()
            self.part_path.unlink(missing_ok=True)
            raise RecordingError(
                f"The answer could not be written to {self.path} ({self._write_error}).",
                fix="Check that the station's disk has space.",
            )
        os.replace(self.part_path, self.path)
        _fsync_directory(self.path.parent)
        metrics = self._metrics(writer)
        duration = max(metrics.audio_seconds, metrics.video_seconds)
        return RecordingResult(self.path, duration, metrics, self._device_error)

    def _pad_audio_to_video(self, writer: MediaWriter) -> None:
        """A microphone that failed (or never started) leaves the sound short: fill with silence so
        both streams cover the answer and players, transcription and the review desk see one length."""
        missing = round(self._next_slot / self.media.fps * self.media.sample_rate) - self._audio_position
        if missing > 0:
            writer.write_audio(np.zeros(missing, dtype=np.float32))
            self._audio_position += missing
            self._silence_inserted += missing

    def abort(self) -> None:
        """Throw the recording away (the candidate left, the session is cancelled)."""
        self._accepting = False
        self._queue.put(_STOP)
        if self._thread is not None:
            self._thread.join()
        if self._writer is not None:
            self._writer.abort()
        self.part_path.unlink(missing_ok=True)

    def _metrics(self, writer: MediaWriter) -> RecordingMetrics:
        rate, fps = self.media.sample_rate, self.media.fps
        median, worst = _offset(self._video_errors, self._audio_errors)
        return RecordingMetrics(
            frames_captured=self._frames_captured,
            frames_written=writer.video_frames_written,
            frames_dropped=self._frames_dropped_queue + self._frames_dropped_slot,
            frames_duplicated=self._frames_duplicated,
            audio_seconds=round(self._audio_position / rate, 3),
            video_seconds=round(self._next_slot / fps, 3),
            audio_silence_inserted_seconds=round(self._silence_inserted / rate, 3),
            audio_trimmed_seconds=round(self._trimmed / rate, 3),
            av_offset_ms=round(median * 1000, 1),
            av_offset_worst_ms=round(worst * 1000, 1),
            stopped_by=self._stopped_by,
        )


def _offset(video: list[tuple[float, float]], audio: list[tuple[float, float]]) -> tuple[float, float]:
    """(median, worst 1-second window) of video placement error minus audio placement error."""
    if not video or not audio:
        return 0.0, 0.0
    overall = statistics.median(e for _, e in video) - statistics.median(e for _, e in audio)
    worst = overall
    last_second = int(max(video[-1][0], audio[-1][0]))
    for second in range(last_second + 1):
        v = [e for t, e in video if second <= t < second + 1]
        a = [e for t, e in audio if second <= t < second + 1]
        if v and a:
            window = statistics.median(v) - statistics.median(a)
            if abs(window) > abs(worst):
                worst = window
    return overall, worst


def _resample(
    samples: "np.ndarray[Any, np.dtype[np.float32]]", source_rate: int, target_rate: int
) -> "np.ndarray[Any, np.dtype[np.float32]]":
    count = round(len(samples) * target_rate / source_rate)
    positions = np.linspace(0, len(samples) - 1, count) if count else np.zeros(0)
    resampled: np.ndarray[Any, np.dtype[np.float32]] = np.interp(
        positions, np.arange(len(samples)), samples
    ).astype(np.float32)
    return resampled


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
