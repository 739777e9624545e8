"""The device check: real pictures through the Haar cascade, real sound through the virtual microphone."""

import threading

import numpy as np
import pytest

from desktop_app.devices.camera import CameraCapture
from desktop_app.devices.check import (
    check_devices,
    measure_microphone,
    microphone_findings,
)
from desktop_app.devices.microphone import AudioFileMicrophone, MicrophoneCapture
from desktop_app.findings import Status
from tests.support.media import write_test_video


def by_name(result):
    return {f.name: f for f in result.findings}


def check_camera(video, **kwargs):
    camera = CameraCapture(str(video), fps=30)
    camera.start()
    try:
        return check_devices(camera, None, seconds=1.5, fps=30, width=640, height=480, **kwargs)
    finally:
        camera.stop()


def test_one_face_in_good_light_passes(face_video):
    result = check_camera(face_video)
    findings = by_name(result)
    assert findings["face"].status is Status.ok
    assert findings["lighting"].status is Status.ok
    assert findings["frame rate"].status is Status.ok
    assert findings["resolution"].status is Status.ok
    assert result.camera is not None and 27 <= result.camera.fps <= 33
    assert not result.blocks


def test_no_face_fails_with_a_fix(tmp_path):
    result = check_camera(write_test_video(tmp_path / "empty.mp4", seconds=1.0))
    face = by_name(result)["face"]
    assert face.status is Status.fail
    assert "cannot see a face" in face.message
    assert face.fix
    assert result.blocks


def test_a_dark_picture_fails_the_lighting_check(tmp_path):
    dark = write_test_video(tmp_path / "dark.mp4", seconds=1.0, face=True, brightness=0.12)
    lighting = by_name(check_camera(dark))["lighting"]
    assert lighting.status is Status.fail
    assert "too dark" in lighting.message


def test_speech_from_a_file_is_heard_at_a_good_level(spoken_answer_wav):
    mic = AudioFileMicrophone(spoken_answer_wav)
    mic.start()
    result = check_devices(None, mic, seconds=mic.duration)
    mic.stop()
    findings = by_name(result)
    assert findings["speech"].status is Status.ok
    assert findings["microphone level"].status is Status.ok
    assert findings["clipping"].status is Status.ok
    assert result.microphone is not None and result.microphone.speech_seconds > 2


@pytest.mark.audio
def test_virtual_microphone_hears_speech_and_silence(virtual_audio, spoken_answer_wav):
    mic = MicrophoneCapture(None)
    mic.start()
    try:
        assert mic.wait_until_live()
        silent = check_devices(None, mic, seconds=1.0)
        threading.Timer(0.2, lambda: virtual_audio.play_into_microphone(spoken_answer_wav)).start()
        spoken = check_devices(None, mic, seconds=4.0)
    finally:
        mic.stop()
    assert by_name(silent)["speech"].status is Status.fail
    assert "could not hear you" in by_name(silent)["speech"].message
    assert by_name(spoken)["speech"].status is Status.ok
    assert by_name(spoken)["microphone level"].status is Status.ok


def test_clipping_and_noise_are_reported():
    rate = 16_000
    t = np.arange(rate * 2) / rate
    clipped = np.clip(np.sin(2 * np.pi * 200 * t) * 3, -1, 1).astype(np.float32)
    findings = {f.name: f for f in microphone_findings(measure_microphone(clipped, rate))}
    assert findings["clipping"].status is Status.fail
    noisy = (np.random.default_rng(1).normal(0, 0.1, rate * 2)).astype(np.float32)
    findings = {f.name: f for f in microphone_findings(measure_microphone(noisy, rate))}
    assert findings["background noise"].status is Status.fail
    quiet = (np.sin(2 * np.pi * 200 * t) * 0.001).astype(np.float32)
    m = measure_microphone(quiet, rate)
    assert m.rms_dbfs < -50
    findings = {f.name: f for f in microphone_findings(m)}
    assert findings["speech"].status is Status.fail  # one sentence for it, not "too quiet" as well
    assert "microphone level" not in findings
