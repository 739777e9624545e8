"""Microphone capture: a sounddevice input, or an audio file "spoken" into the answer.

Both emit `AudioBlock`s: mono float32 samples in [-1, 1], stamped on the shared clock with the
moment their FIRST sample reached the microphone.
"""

import contextlib
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from desktop_app.devices.audio import device_spec, sounddevice_module, stream_in_use
from desktop_app.errors import DeviceError
from desktop_app.recording.clock import monotonic, sleep_until
from desktop_app.signals import Signal

ORIGIN_WINDOW_SECONDS = 10.0


@dataclass(frozen=True)
class AudioBlock:
    samples: "np.ndarray[Any, np.dtype[np.float32]]"  # mono float32 in [-1, 1]
    timestamp: float  # shared clock, first sample
    sample_rate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


class MicrophoneCapture:
    """A sounddevice InputStream on the chosen device, emitting stamped mono blocks.

    Signals: `block` (AudioBlock; emitted on PortAudio's thread, so listeners must be quick),
    `failed` (DeviceError: the stream stopped, or no audio arrived for `stall_seconds`).
    """

    def __init__(
        self,
        device: str | None = None,
        *,
        sample_rate: int = 48_000,
        block_seconds: float = 0.02,
        stall_seconds: float = 2.0,
    ) -> None:
        self.device = device
        self.sample_rate = sample_rate
        self.block_frames = max(1, int(sample_rate * block_seconds))
        self.stall_seconds = stall_seconds
        self.block: Signal[AudioBlock] = Signal("microphone.block")
        self.failed: Signal[DeviceError] = Signal("microphone.failed")
        self.overflows = 0
        self.blocks_delivered = 0
        self._stream: Any = None
        self._guard: contextlib.ExitStack | None = None
        self._last_block_at = 0.0
        self._stopping = threading.Event()
        self._watchdog: threading.Thread | None = None
        self._failed_once = threading.Event()
        self._origins: deque[float] = deque(maxlen=max(1, int(ORIGIN_WINDOW_SECONDS / block_seconds)))
        self._samples_seen = 0

    @property
    def running(self) -> bool:
        return self._stream is not None

    def start(self) -> None:
        """Open the input stream.

        Raises:
            DeviceError: no such microphone, or it cannot record at the sample rate.
        """
        sd = sounddevice_module()
        guard = contextlib.ExitStack()
        guard.enter_context(stream_in_use())
        try:
            self._stream = sd.InputStream(
                device=device_spec(self.device),
                samplerate=self.sample_rate,
                channels=1,
                dtype="float32",
                blocksize=self.block_frames,
                latency="low",  # PulseAudio's ALSA bridge otherwise holds up to ~0.6 s of sound
                callback=self._on_audio,
                finished_callback=self._on_finished,
            )
            self._stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            guard.close()
            self._stream = None
            raise DeviceError(
                f"The microphone '{self.device or 'default'}' could not be opened ({exc}).",
                fix="Choose another microphone in the station settings, or check it is connected.",
            ) from None
        self._guard = guard
        self._stopping.clear()
        self._failed_once.clear()
        self._origins.clear()
        self._samples_seen = 0
        self._last_block_at = monotonic()
        self._watchdog = threading.Thread(target=self._watch, name="microphone-watchdog", daemon=True)
        self._watchdog.start()

    def wait_until_live(self, timeout: float = 3.0) -> bool:
        """Wait until sound flows (a sound server can take a second to start a new stream)."""
        deadline = monotonic() + timeout
        while self.blocks_delivered == 0 and monotonic() < deadline:
            self._stopping.wait(0.01)
        return self.blocks_delivered > 0

    def stop(self) -> None:
        """Stop and close the stream (safe to call twice)."""
        self._stopping.set()
        stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.stop()
            with contextlib.suppress(Exception):
                stream.close()
        if self._guard is not None:
            self._guard.close()
            self._guard = None
        if self._watchdog is not None and self._watchdog is not threading.current_thread():
            self._watchdog.join(timeout=2)
        self._watchdog = None

    def _on_audio(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        now = monotonic()
        if status and status.input_overflow:
            self.overflows += 1
        # The block's first sample was taken one block length before its last one, which had just
        # arrived. Neither PortAudio latency figure is added: the per-callback inputBufferAdcTime
        # through PulseAudio claimed 590 ms at start, decaying to 25 ms over a second, while the
        # samples were on time; and the stream's `latency` (40 ms here) is the host buffer's size,
        # how late a block CAN be when we read slowly, not how late it is when we keep up. Adding
        # it put sound 35-39 ms before the picture in the recorded files (flash-and-beep,
        # tests/benchmarks/bench_av_sync.py), past the +15 ms lead allowed; without it, 0-3 ms.
        latency = frames / self.sample_rate
        # Callbacks arrive with scheduling jitter, but samples arrive at an exact rate. Each block
        # gives an estimate of when sample 0 was taken; delays only ever make it later, so the
        # smallest recent estimate is the truest. A window (not all time) lets it follow real
        # losses of samples and the small drift between the sound card's clock and ours.
        self._origins.append(now - latency - self._samples_seen / self.sample_rate)
        origin = min(self._origins)
        stamp = origin + self._samples_seen / self.sample_rate
        self._samples_seen += frames
        self._last_block_at = now
        self.blocks_delivered += 1
        self.block.emit(AudioBlock(indata[:, 0].copy(), stamp, self.sample_rate))

    def _on_finished(self) -> None:
        if not self._stopping.is_set():
            self._fail("The microphone stopped recording.")

    def _fail(self, message: str) -> None:
        if self._failed_once.is_set():
            return
        self._failed_once.set()
        self.failed.emit(DeviceError(message, fix="Check the microphone cable and the sound settings."))

    def _watch(self) -> None:
        while not self._stopping.wait(0.25):
            if monotonic() - self._last_block_at > self.stall_seconds:
                self._fail(f"No sound arrived from the microphone for {self.stall_seconds:.0f} s.")
                return


def load_audio_file(path: Path, *, sample_rate: int) -> "np.ndarray[Any, np.dtype[np.float32]]":
    """Decode any audio file FFmpeg reads into mono float32 at `sample_rate`.

    Raises:
        DeviceError: the file is missing or holds no decodable audio.
    """
    import av

    if not path.is_file():
        raise DeviceError(f"The audio file {path} does not exist.", fix="Give an existing audio file.")
    resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
    chunks: list[np.ndarray[Any, np.dtype[np.float32]]] = []
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise DeviceError(f"{path} holds no audio.", fix="Give a WAV, FLAC, MP3 or similar file.")
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1).astype(np.float32, copy=False))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1).astype(np.float32, copy=False))
    except av.FFmpegError as exc:
        raise DeviceError(f"The audio file {path} could not be read ({exc}).", fix=None) from None
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)


class AudioFileMicrophone:
    """An audio file played into the answer as if spoken: blocks in real time, then `ended`.

    Signals: `block` (AudioBlock), `failed` (never emitted; present so both sources look alike),
    `ended` (None, after the last block).
    """

    def __init__(self, path: Path, *, sample_rate: int = 48_000, block_seconds: float = 0.02) -> None:
        self.path = path
        self.sample_rate = sample_rate
        self.block_frames = max(1, int(sample_rate * block_seconds))
        self.block: Signal[AudioBlock] = Signal("file-microphone.block")
        self.failed: Signal[DeviceError] = Signal("file-microphone.failed")
        self.ended: Signal[None] = Signal("file-microphone.ended")
        self.blocks_delivered = 0
        self.overflows = 0
        self._samples = load_audio_file(path, sample_rate=sample_rate)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def duration(self) -> float:
        return len(self._samples) / self.sample_rate

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="file-microphone", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)
        self._thread = None

    def _run(self) -> None:
        started = monotonic()
        for offset in range(0, len(self._samples), self.block_frames):
            if self._stop.is_set():
                return
            first_sample_at = started + offset / self.sample_rate
            # A real microphone hands a block over once its last sample is in.
            block = self._samples[offset : offset + self.block_frames]
            sleep_until(first_sample_at + len(block) / self.sample_rate)
            self.blocks_delivered += 1
            self.block.emit(AudioBlock(block.copy(), first_sample_at, self.sample_rate))
        self.ended.emit(None)
