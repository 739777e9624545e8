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


def station_camera(settings: StationSettings, source: str | None = None) -> tuple[CameraCapture, bool]:
    """The camera `source` (or the configured one), not started; in the demo (`demo_stand_ins`) its
    generated stand-in when it gives no picture. Returns (camera, whether it is the stand-in)."""
    wanted = source if source is not None else settings.camera
    if not settings.demo_stand_ins:
        return camera_capture(settings, wanted), False
    demo_video = demo_camera_source(
        wanted,
        demo_cache_dir(settings),
        width=settings.video_width,
        height=settings.video_height,
        fps=settings.video_fps,
    )
    return camera_capture(settings, demo_video or wanted), demo_video is not None


def station_microphone(
    settings: StationSettings, device: str | None = None
) -> tuple[MicrophoneCapture, bool]:
    """The microphone `device` (or the configured one); in the demo, started, or its stand-in (a
    synthesized voice) when it cannot be opened or stays silent. Outside the demo it is not started:
    the session starts it and reports a failure as a device-check finding.
    Returns (microphone, whether it is the stand-in)."""
    wanted = device if device is not None else settings.microphone
    if not settings.demo_stand_ins:
        return microphone_capture(settings, wanted), False
    return start_microphone_or_stand_in(
        wanted, demo_cache_dir(settings), sample_rate=settings.audio_sample_rate
    )


def open_station_devices(settings: StationSettings) -> StationDevices:
    """The configured devices for an interview, with the demo's stand-ins where needed (see above)."""
    camera, demo_camera = station_camera(settings)
    microphone, demo_microphone = station_microphone(settings)
    return StationDevices(camera, microphone, StandIns(camera=demo_camera, microphone=demo_microphone))


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
