"""Playing into a PulseAudio sink from Python with a known play-out time for every sample.

`paplay` and `pacat` fill a client buffer of up to 2 s as fast as they can, so when a sample is
actually heard is unknown. Here the stream is written in 20 ms blocks through libpulse-simple
(ctypes, no extra package) with a 500 ms target buffer, from a thread at raised priority; before each block `pa_simple_get_latency`
says how long until the next written sample is played, so sample n plays at
`monotonic() + latency - (written - n) / rate`. That estimate of where sample 0 played (the
stream's origin) is smoothed over the last 0.5 s; the caller fills each block knowing when its
first sample will be heard, up to the buffer (500 ms) ahead. Measured here: the raw estimates
spread by about 1-2 ms once the stream runs on an idle machine, about 10 ms while transcription
keeps both cores busy.
"""

import contextlib
import ctypes
import ctypes.util
import math
import os
import statistics
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

import numpy as np

from desktop_app.recording.clock import monotonic

PA_STREAM_PLAYBACK = 1
PA_SAMPLE_FLOAT32LE = 5
BLOCK_SECONDS = 0.02
SMOOTHING_BLOCKS = 25  # 0.5 s: under load single estimates wander by about 10 ms
STEADY_TOLERANCE_SECONDS = 0.003
TARGET_BUFFER_SECONDS = 0.5  # smaller buffers underran on the loaded 2-core machine, shifting play-out
PRIORITY_NICENESS = -10  # like the sound server's own -11: transcription must not starve the stimulus


class _SampleSpec(ctypes.Structure):
    _fields_ = [("format", ctypes.c_int), ("rate", ctypes.c_uint32), ("channels", ctypes.c_uint8)]


class _BufferAttr(ctypes.Structure):
    _fields_ = [
        ("maxlength", ctypes.c_uint32),
        ("tlength", ctypes.c_uint32),
        ("prebuf", ctypes.c_uint32),
        ("minreq", ctypes.c_uint32),
        ("fragsize", ctypes.c_uint32),
    ]


def _library() -> Any:
    name = ctypes.util.find_library("pulse-simple") or "libpulse-simple.so.0"
    lib = ctypes.CDLL(name)
    lib.pa_simple_new.restype = ctypes.c_void_p
    lib.pa_simple_new.argtypes = [
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.POINTER(_SampleSpec),
        ctypes.c_void_p,
        ctypes.POINTER(_BufferAttr),
        ctypes.POINTER(ctypes.c_int),
    ]
    lib.pa_simple_write.argtypes = [
        ctypes.c_void_p,
        ctypes.c_void_p,
        ctypes.c_size_t,
        ctypes.POINTER(ctypes.c_int),
    ]
    lib.pa_simple_get_latency.restype = ctypes.c_uint64
    lib.pa_simple_get_latency.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
    lib.pa_simple_drain.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
    lib.pa_simple_free.argtypes = [ctypes.c_void_p]
    lib.pa_strerror.restype = ctypes.c_char_p
    return lib


# fill(first_sample_index, when_it_plays, sample_count) -> float32 samples
BlockSource = Callable[[int, float, int], "np.ndarray[Any, np.dtype[np.float32]]"]


class TimedPlayback:
    """A mono float32 stream into `sink`, filled block by block by `fill` on its own thread.

    `trace` keeps every raw estimate of when sample 0 played (shared clock); `played_at` uses
    the estimates taken after a sample was heard, so a later underrun (which moves the stream's
    timeline) is seen in the result. The PulseAudio server is the one named by the environment (PULSE_RUNTIME_PATH).
    """

    def __init__(self, sink: str, fill: BlockSource, *, sample_rate: int = 48_000) -> None:
        self.sink = sink
        self.fill = fill
        self.sample_rate = sample_rate
        self.trace: list[tuple[float, float]] = []  # (when read, raw origin estimate), per block
        self._lib = _library()
        self._handle: Any = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._error: str | None = None

    def start(self) -> None:
        """Connect and start streaming. Raises RuntimeError when the server refuses the stream."""
        spec = _SampleSpec(PA_SAMPLE_FLOAT32LE, self.sample_rate, 1)
        target = int(TARGET_BUFFER_SECONDS * self.sample_rate) * 4
        attr = _BufferAttr(0xFFFFFFFF, target, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        error = ctypes.c_int(0)
        self._handle = self._lib.pa_simple_new(
            None, b"av-sync-stimulus", PA_STREAM_PLAYBACK, self.sink.encode(), b"beeps",
            ctypes.byref(spec), None, ctypes.byref(attr), ctypes.byref(error),
        )  # fmt: skip
        if not self._handle:
            raise RuntimeError(f"PulseAudio refused the playback stream: {self._strerror(error)}")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="timed-playback", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop writing and close the stream (safe to call twice)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._handle:
            self._lib.pa_simple_free(self._handle)
            self._handle = None
        if self._error:
            raise RuntimeError(self._error)

    def wait_until_steady(self, timeout: float = 10.0) -> bool:
        """Wait until the stream plays and SMOOTHING_BLOCKS estimates in a row agree within 3 ms
        (a sound server that just started, or a starved start, moves the timeline at first)."""
        deadline = monotonic() + timeout
        while monotonic() < deadline:
            recent = [origin for _, origin in self.trace[-SMOOTHING_BLOCKS:]]
            if len(recent) == SMOOTHING_BLOCKS and max(recent) - min(recent) <= STEADY_TOLERANCE_SECONDS:
                return True
            self._stop.wait(0.05)
        return False

    def played_at(self, sample_index: int) -> float:
        """When sample `sample_index` was heard: from the estimates read within 0.25 s of it."""
        guess = self.trace[-1][1] + sample_index / self.sample_rate if self.trace else math.nan
        near = [origin for read_at, origin in self.trace if abs(read_at - guess) <= 0.25]
        origin = statistics.median(near) if near else math.nan
        return origin + sample_index / self.sample_rate

    def spread_ms(self, begin: float, end: float) -> float:
        """5th-95th percentile spread of the origin estimates read between `begin` and `end`
        (shared clock): how exactly play-out is known then (an underrun shows up as a jump)."""
        origins = [origin for read_at, origin in self.trace if begin <= read_at <= end]
        if len(origins) < 2:
            return math.nan
        return float(np.percentile(origins, 95) - np.percentile(origins, 5)) * 1000

    def _run(self) -> None:
        with contextlib.suppress(OSError):  # only root may raise a thread's priority; best effort
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), PRIORITY_NICENESS)
        block = max(1, round(BLOCK_SECONDS * self.sample_rate))
        error = ctypes.c_int(0)
        written = 0
        recent: deque[float] = deque(maxlen=SMOOTHING_BLOCKS)
        while not self._stop.is_set():
            latency = self._lib.pa_simple_get_latency(self._handle, ctypes.byref(error)) / 1e6
            now = monotonic()
            if latency > 0:  # zero while the server is still prebuffering: nothing is known yet
                recent.append(now + latency - written / self.sample_rate)
                self.trace.append((now, recent[-1]))
            origin = statistics.median(recent) if recent else now
            samples = np.ascontiguousarray(
                self.fill(written, origin + written / self.sample_rate, block), dtype=np.float32
            )
            written += block
            if self._lib.pa_simple_write(
                self._handle, samples.ctypes.data, samples.nbytes, ctypes.byref(error)
            ):
                self._error = f"PulseAudio playback failed: {self._strerror(error)}"
                return

    def _strerror(self, error: ctypes.c_int) -> str:
        return str(self._lib.pa_strerror(error.value).decode())
