"""The recording format the station settings ask for."""

from desktop_app.config import StationSettings
from desktop_app.errors import ConfigError
from desktop_app.recording.media_writer import MediaFormat

OPUS_RATES = (8_000, 12_000, 16_000, 24_000, 48_000)


def media_format(settings: StationSettings) -> MediaFormat:
    """Raises ConfigError for a combination the encoders refuse."""
    if settings.video_container == "webm" and settings.audio_sample_rate not in OPUS_RATES:
        raise ConfigError(
            f"WebM recordings (Opus audio) cannot use {settings.audio_sample_rate} Hz.",
            fix="Set audio_sample_rate to 48000, or video_container to mp4.",
        )
    if settings.video_width % 2 or settings.video_height % 2:
        raise ConfigError(
            f"The recording size {settings.video_width}x{settings.video_height} must use even numbers.",
            fix="Choose a size such as 1280x720 or 640x480.",
        )
    return MediaFormat(
        width=settings.video_width,
        height=settings.video_height,
        fps=settings.video_fps,
        video_bitrate=settings.video_bitrate,
        sample_rate=settings.audio_sample_rate,
        container=settings.video_container,
        x264_preset=settings.video_x264_preset,
    )
