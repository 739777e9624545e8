"""Both console entry points, run as a user runs them."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.media import write_test_video

BIN = Path(sys.executable).parent


def run(
    *args: str, env: dict[str, str] | None = None, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env or os.environ.copy())


@pytest.mark.parametrize("program", ["interview-station", "interview-server"])
def test_help_and_version(program):
    help_out = run(str(BIN / program), "--help")
    assert help_out.returncode == 0, help_out.stderr
    assert "Usage" in help_out.stdout
    version_out = run(str(BIN / program), "--version")
    assert version_out.returncode == 0
    assert version_out.stdout.strip() == f"{program} 0.1.0"


def test_server_config_error_is_one_sentence_not_a_traceback(tmp_path):
    env = {**os.environ, "DATABASE_URL": "mysql://x@y/z"}
    out = run(str(BIN / "interview-server"), "migrate", env=env)
    assert out.returncode == 2
    assert "Configuration error in DATABASE_URL" in out.stderr
    assert "Traceback" not in out.stderr


def test_serve_migrates_and_answers_healthz(tmp_path, free_port):
    env = {**os.environ, "INTERVIEW_SERVER_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [str(BIN / "interview-server"), "serve", "--port", str(free_port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{free_port}/readyz", timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert response.status_code == 200
        assert (tmp_path / "interview.db").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_doctor_passes_with_a_file_camera_and_virtual_microphone(tmp_path, pulseaudio):
    video = write_test_video(tmp_path / "camera.mp4")
    env = {**pulseaudio.env, "INTERVIEW_STATION_CAMERA": str(video)}
    out = run(str(BIN / "interview-station"), "doctor", env=env, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "[  ok] camera: video file" in out.stdout
    assert "[  ok] microphone" in out.stdout
    assert "[  ok] transcription: Heard" in out.stdout
    assert "This station is ready." in out.stdout


def test_doctor_fails_with_a_fix_when_the_camera_and_model_are_missing(tmp_path, pulseaudio):
    env = {
        **pulseaudio.env,
        "INTERVIEW_STATION_CAMERA": str(tmp_path / "none.mp4"),
        "INTERVIEW_STATION_SPEECH_MODEL_DIR": str(tmp_path / "no-model"),
    }
    out = run(str(BIN / "interview-station"), "doctor", env=env, timeout=300)
    assert out.returncode == 1
    assert "[FAIL] camera" in out.stdout
    assert "does not exist" in out.stdout
    assert "fix:" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr
