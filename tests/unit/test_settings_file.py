"""Writing station settings back to station.toml: other keys kept, bad values refused, nothing half-written."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from desktop_app.config import config_file, load_settings, save_settings_values
from desktop_app.errors import ConfigError
from desktop_app.staff_pin import pin_matches


def test_values_are_merged_into_the_file_and_none_removes(monkeypatch):
    config_file().parent.mkdir(parents=True, exist_ok=True)
    config_file().write_text('camera = "lobby.mp4"\ntts_rate = 150\n')
    monkeypatch.setenv("INTERVIEW_STATION_VIDEO_FPS", "15")  # the environment is not written to the file
    save_settings_values({"microphone": "USB mic", "tts_rate": None})
    saved = tomllib.loads(config_file().read_text())
    assert saved == {"camera": "lobby.mp4", "microphone": "USB mic"}
    assert load_settings().microphone == "USB mic"


def test_bad_values_are_refused_and_the_file_is_untouched():
    config_file().parent.mkdir(parents=True, exist_ok=True)
    config_file().write_text('camera = "0"\n')
    with pytest.raises(ConfigError, match="video_fps"):
        save_settings_values({"video_fps": 1000})
    with pytest.raises(ConfigError, match="not a station setting"):
        save_settings_values({"no_such_thing": 1})
    assert config_file().read_text() == 'camera = "0"\n'
    assert not list(config_file().parent.glob("*.tmp"))


def test_set_pin_command_stores_only_a_hash():
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(
        [str(bin_dir / "interview-station"), "set-pin", "--pin", "8642"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    text = config_file().read_text()
    assert "8642" not in text
    assert pin_matches("8642", tomllib.loads(text)["staff_pin_hash"])
    refused = subprocess.run(
        [str(bin_dir / "interview-station"), "set-pin", "--pin", "12"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (
        refused.returncode == 2 and "4 to 12 digits" in refused.stderr and "Traceback" not in refused.stderr
    )
