"""Speaker playback through sounddevice, returning only once the sound has been played out."""

import threading
from pathlib import Path
from typing import Any

import numpy as np

from desktop_app.devices.audio import device_spec, sounddevice_module, stream_in_use
from desktop_app.devices.microphone import load_audio_file
from desktop_app.errors import DeviceError
from desktop_app.recording.clock import monotonic

PLAYBACK_RATE = 48_000
STALL_SECONDS = 5.0


def play_samples(
    samples: "np.ndarray[Any, np.dtype[np.float32]]",
    sample_rate: int,
    *,
    device: str | None = None,
    stop: threading.Event | None = None,
) -> bool:
    """Play mono float32 samples on `device` (None: the default output).

    Blocks until the last sample has left the speaker (the stream is drained, not just fed), or
    until `stop` is set. Returns True when played to the end, False when stopped early.

    Raises:
        DeviceError: the output cannot be opened or fails while playing.
    """
    sd = sounddevice_module()
    data = np.ascontiguousarray(samples, dtype=np.float32).reshape(-1, 1)
    position = 0
    finished = threading.Event()
    stopped_early = False

    def fill(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        nonlocal position
        if stop is not None and stop.is_set():
            raise sd.CallbackAbort
        chunk = data[position : position + frames]
        outdata[: len(chunk)] = chunk
        outdata[len(chunk) :] = 0
        position += frames
        if position >= len(data):
            raise sd.CallbackStop  # PortAudio plays out what is queued, then calls finished

    with stream_in_use():
        try:
            stream = sd.OutputStream(
                device=device_spec(device),
                samplerate=sample_rate,
                channels=1,
                dtype="float32",
                callback=fill,
                # The default ("high") buffer made PulseAudio's ALSA bridge start sound ~1.5 s late.
                latency="low",
                finished_callback=finished.set,
            )
        except (sd.PortAudioError, ValueError) as exc:
            raise DeviceError(
                f"The speaker '{device or 'default'}' could not be opened ({exc}).",
                fix="Choose another speaker in the station settings, or check it is connected.",
            ) from None
        try:
            stream.start()
            # A speaker that stops asking for sound must not hang the interview; a slow one (a busy
            # sound server) is fine as long as it keeps making progress.
            last_position, last_progress = -1, monotonic()
            while not finished.wait(0.05):
                if stop is not None and stop.is_set():
                    stopped_early = True
                    stream.abort()
                    break
                if position != last_position:
                    last_position, last_progress = position, monotonic()
                elif monotonic() - last_progress > STALL_SECONDS:
                    raise DeviceError("The speaker stopped playing.", fix="Check the speaker and its cable.")
            return not stopped_early and not (stop is not None and stop.is_set())
        except sd.PortAudioError as exc:
            raise DeviceError(f"Playback on the speaker failed ({exc}).", fix=None) from None
        finally:
            stream.close()


def play_file(path: Path, *, device: str | None = None, stop: threading.Event | None = None) -> bool:
    """Play an audio file (any format FFmpeg reads) on `device`; see `play_samples`."""
    return play_samples(
        load_audio_file(path, sample_rate=PLAYBACK_RATE), PLAYBACK_RATE, device=device, stop=stop
    )
