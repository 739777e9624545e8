"""Fixtures for the station engine: the virtual audio devices made visible to PortAudio, media files."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import pulse as pulse_support
from tests.support.media import write_speech_wav, write_test_video

SPOKEN_ANSWER = "I led the migration of our billing system to a new database with zero downtime."
SPOKEN_KEY_WORDS = ("billing", "database", "downtime")


@pytest.fixture
def virtual_audio(pulseaudio: pulse_support.PulseAudio) -> Iterator[pulse_support.PulseAudio]:
    """PulseAudio's virtual devices, with PortAudio re-enumerating so it sees them."""
    from desktop_app.devices.audio import refresh_devices

    refresh_devices()
    yield pulseaudio


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("station-media")


@pytest.fixture(scope="session")
def face_video(media_dir: Path) -> Path:
    """Two seconds of 640x480@30 with one face in the middle: the stand-in camera."""
    return write_test_video(media_dir / "face.mp4", seconds=2.0, face=True)


@pytest.fixture(scope="session")
def spoken_answer_wav(media_dir: Path) -> Path:
    return write_speech_wav(media_dir / "answer.wav", SPOKEN_ANSWER, pad_seconds=0.5)
