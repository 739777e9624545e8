"""Microphone and speaker discovery through sounddevice (PortAudio)."""

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import ModuleType

from desktop_app.errors import DeviceError

COMMON_SAMPLE_RATES = (16_000, 22_050, 44_100, 48_000)

_streams_lock = threading.Lock()
_open_streams = 0


@dataclass(frozen=True)
class AudioDeviceInfo:
    index: int
    name: str
    host_api: str
    input_channels: int
    output_channels: int
    default_sample_rate: float
    supported_sample_rates: tuple[int, ...] = field(default=())
    is_default_input: bool = False
    is_default_output: bool = False


def _sounddevice() -> ModuleType:
    try:
        import sounddevice
    except OSError as exc:  # libportaudio2 missing
        raise DeviceError(
            f"The audio system is not available ({exc}).",
            fix="Install PortAudio: sudo apt-get install libportaudio2",
        ) from None
    module: ModuleType = sounddevice
    return module


def sounddevice_module() -> ModuleType:
    """The sounddevice module, or a DeviceError saying how to install PortAudio."""
    return _sounddevice()


def refresh_devices() -> None:
    """Make PortAudio enumerate devices again.

    PortAudio lists devices once, when it initializes; a sound server started (or a device
    plugged in) after sounddevice was imported is invisible until it re-initializes. Only safe
    while no stream is open.
    """
    sd = _sounddevice()
    with _streams_lock:
        if _open_streams:  # re-initializing would pull the device out from under a live stream
            return
        sd._terminate()
        sd._initialize()


@contextlib.contextmanager
def stream_in_use() -> Iterator[None]:
    """Mark a PortAudio stream as open for its lifetime, so a refresh does not break it."""
    global _open_streams
    with _streams_lock:
        _open_streams += 1
    try:
        yield
    finally:
        with _streams_lock:
            _open_streams -= 1


def list_audio_devices(*, refresh: bool = True) -> list[AudioDeviceInfo]:
    sd = _sounddevice()
    if refresh:
        try:
            refresh_devices()
        except sd.PortAudioError as exc:
            raise DeviceError(
                f"The audio system could not be restarted ({exc}).",
                fix="Close other programs using audio and try again.",
            ) from None
    try:
        devices = sd.query_devices()
        host_apis = sd.query_hostapis()
        default_in, default_out = sd.default.device
    except sd.PortAudioError as exc:
        raise DeviceError(
            f"Audio devices could not be listed ({exc}).", fix="Check that the sound server is running."
        ) from None
    found = []
    for index, dev in enumerate(devices):
        rates = []
        for rate in COMMON_SAMPLE_RATES:
            try:
                if dev["max_input_channels"] > 0:
                    sd.check_input_settings(device=index, samplerate=rate, channels=1)
                else:
                    sd.check_output_settings(device=index, samplerate=rate, channels=1)
                rates.append(rate)
            except Exception:  # noqa: S112  PortAudio says "invalid sample rate" in several ways
                continue
        found.append(
            AudioDeviceInfo(
                index=index,
                name=str(dev["name"]),
                host_api=str(host_apis[dev["hostapi"]]["name"]),
                input_channels=int(dev["max_input_channels"]),
                output_channels=int(dev["max_output_channels"]),
                default_sample_rate=float(dev["default_samplerate"]),
                supported_sample_rates=tuple(rates),
                is_default_input=index == default_in,
                is_default_output=index == default_out,
            )
        )
    return found


def list_microphones(*, refresh: bool = True) -> list[AudioDeviceInfo]:
    return [d for d in list_audio_devices(refresh=refresh) if d.input_channels > 0]


def list_speakers(*, refresh: bool = True) -> list[AudioDeviceInfo]:
    return [d for d in list_audio_devices(refresh=refresh) if d.output_channels > 0]


def device_spec(setting: str | None) -> int | str | None:
    """A device setting as sounddevice takes it: an index, a (part of a) name, or None for the default."""
    if setting is None or not setting.strip():
        return None
    return int(setting) if setting.strip().isdigit() else setting.strip()
