"""The one place that builds a station's camera, microphone and speaker from its settings.

Shared by the headless runner, the kiosk's interviews and the staff setup screen, so all three open
the same devices the same way (and the demo's stand-ins replace missing ones in one place).
"""

from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.config import StationSettings
from desktop_app.devices.camera import CameraCapture
from desktop_app.devices.demo import StandIns, demo_camera_source, start_microphone_or_stand_in
from desktop_app.devices.microphone import MicrophoneCapture
from desktop_app.speech.tts import QuestionSpeaker


@dataclass
class StationDevices:
    """A camera and a microphone for one interview (not necessarily started), and which are stand-ins."""

    camera: CameraCapture
    microphone: MicrophoneCapture
    stand_ins: StandIns = field(default_factory=StandIns)

    def stop(self) -> None:
        """Stop both; safe to call more than once."""
        for device in (self.camera, self.microphone):
            device.stop()


def camera_capture(
    settings: StationSettings, source: str | None = None, *, fps: int | None = None
) -> CameraCapture:
    """The camera `source` (a device index or a video file), or the configured one; not started."""
    return CameraCapture(
        source if source is not None else settings.camera,
        fps=fps or settings.video_fps,
        width=settings.video_width,
        height=settings.video_height,
        loop=settings.camera_file_loop,
    )


def microphone_capture(settings: StationSettings, device: str | None = None) -> MicrophoneCapture:
    """The microphone `device` (name or index), or the configured one; not started."""
    from desktop_app.devices.audio import refresh_devices

    refresh_devices()  # a sound server started (or a microphone plugged in) after PortAudio was loaded
    return MicrophoneCapture(
        device if device is not None else settings.microphone, sample_rate=settings.audio_sample_rate
    )


def open_station_devices(settings: StationSettings) -> StationDevices:
    """The configured devices for an interview; in the demo (`demo_stand_ins`), generated stand-ins for
    a camera or microphone this machine does not have (desktop_app/devices/demo.py).

    A stand-in microphone is returned started (finding out that the real one is missing meant trying
    it); everything else is started by the session.
    """
    if not settings.demo_stand_ins:
        return StationDevices(camera_capture(settings), microphone_capture(settings))
    cache = demo_cache_dir(settings)
    demo_video = demo_camera_source(
        settings.camera,
        cache,
        width=settings.video_width,
        height=settings.video_height,
        fps=settings.video_fps,
    )
    microphone, demo_microphone = start_microphone_or_stand_in(
        settings.microphone, cache, sample_rate=settings.audio_sample_rate
    )
    return StationDevices(
        camera_capture(settings, demo_video),
        microphone,
        StandIns(camera=demo_video is not None, microphone=demo_microphone),
    )


def demo_cache_dir(settings: StationSettings) -> Path:
    return settings.data_dir / "demo-devices"


def station_speaker(settings: StationSettings) -> QuestionSpeaker:
    """Speaks questions with the configured voice, rate and speaker (rendered once into the TTS cache)."""
    return QuestionSpeaker(
        cache_dir=settings.tts_cache_dir,
        voice=settings.tts_voice,
        rate=settings.tts_rate,
        speaker=settings.speaker,
    )
