"""The device check speaks plain words, and its live meter and its findings never contradict each other."""

import re
from pathlib import Path

import numpy as np
import pytest

from desktop_app.devices.check import (
    CameraMeasurement,
    MicrophoneMeasurement,
    camera_findings,
    measure_microphone,
    microphone_findings,
)
from desktop_app.devices.voice_level import WINDOW_SECONDS, VoiceZone, zone_sentence
from desktop_app.findings import Finding, Status
from tests.support.media import write_speech_wav
from tests.support.speech_clips import read_wav
from ui.kiosk.device_check import SENTENCE_TO_READ, DeviceCheckScreen, finding_sentence
from ui.widgets.level_meter import LevelMeter

# What a candidate must never have to read: units, sizes, rates, percentages.
JARGON = re.compile(
    r"dBFS|\bdB\b|\d+\s*x\s*\d+|pictures a second|frames per second|\bfps\b|%|\d+(\.\d+)?\s*s\b"
)


@pytest.fixture(scope="module")
def spoken_sentence(tmp_path_factory) -> tuple[np.ndarray, int]:
    """The device check's own sentence, spoken, trimmed to the check's 3 seconds of listening."""
    path = write_speech_wav(tmp_path_factory.mktemp("speech") / "sentence.wav", SENTENCE_TO_READ)
    samples, rate = read_wav(Path(path))
    return samples[: int(rate * 2.9)], rate


def _every_microphone_measurement():
    for speech in (0.0, 2.5):
        for voice in (None, -70.0, -52.0, -40.0, -20.0, -3.0):
            for clipped in (0.0, 0.005, 0.05):
                for noise in (-80.0, -40.0, -20.0):
                    yield MicrophoneMeasurement(3.0, -30.0, -3.0, clipped, noise, speech, voice)


def _every_camera_measurement():
    for fps in (5.0, 25.0, 30.0):
        for size in ((320, 240), (1280, 720)):
            for brightness in (20.0, 60.0, 120.0, 240.0):
                for faces in ((), (0, 0), (1, 1), (2, 2)):
                    yield CameraMeasurement(30 if faces else 0, fps, *size, brightness, faces)


def test_no_finding_a_candidate_reads_has_units_sizes_or_rates():
    findings = [f for m in _every_microphone_measurement() for f in microphone_findings(m)]
    findings += [
        f for m in _every_camera_measurement() for f in camera_findings(m, fps=30, width=1280, height=720)
    ]
    sentences = {finding_sentence(f) for f in findings} | {f.message for f in findings}
    assert len(sentences) > 20
    jargon = sorted(s for s in sentences if JARGON.search(s))
    assert jargon == []


def _meter_after(samples: np.ndarray, rate: int) -> LevelMeter:
    """Feed the meter block by block, as the microphone delivers them (20 ms each)."""
    now = [0.0]
    meter = LevelMeter(clock=lambda: now[0])
    block = int(rate * WINDOW_SECONDS)
    for start in range(0, len(samples) - block + 1, block):
        chunk = samples[start : start + block].astype(np.float64)
        power = float(np.mean(chunk**2))
        meter.set_level(10 * np.log10(power) if power > 0 else -120.0)
        now[0] += WINDOW_SECONDS
    return meter


@pytest.mark.parametrize("gain_db", list(range(-42, 24, 3)))
def test_the_meter_and_the_findings_say_the_same_about_the_same_voice(qtbot, spoken_sentence, gain_db):
    samples, rate = spoken_sentence
    heard = np.clip(samples * 10 ** (gain_db / 20), -1, 1).astype(np.float32)
    meter = _meter_after(heard, rate)
    qtbot.addWidget(meter)
    findings = {f.name: f for f in microphone_findings(measure_microphone(heard, rate))}
    if "microphone level" not in findings:  # no speech found: the meter must not call the voice fine
        assert findings["speech"].status is Status.fail
        assert meter.zone in (VoiceZone.silent, VoiceZone.too_quiet)
        return
    level = findings["microphone level"]
    said = finding_sentence(level) if level.status is not Status.ok else level.message
    zone = VoiceZone.too_quiet if meter.zone is VoiceZone.silent else meter.zone
    assert said == zone_sentence(zone), (gain_db, meter.zone)
    if meter.zone is VoiceZone.good:
        assert level.status is Status.ok


def test_the_spoken_sentence_is_judged_good_and_quieter_ones_are_not(spoken_sentence):
    """The range above really covers every zone (a test that only ever saw 'good' would prove little)."""
    samples, rate = spoken_sentence
    zones = {
        _meter_after(np.clip(samples * 10 ** (g / 20), -1, 1).astype(np.float32), rate).zone
        for g in range(-42, 24, 3)
    }
    assert zones >= {VoiceZone.too_quiet, VoiceZone.quiet, VoiceZone.good, VoiceZone.too_loud}


def test_the_screen_shows_the_sentence_and_live_words_only_while_listening(qtbot):
    screen = DeviceCheckScreen()
    qtbot.addWidget(screen)
    assert SENTENCE_TO_READ in screen.sentence_label.text()
    screen.set_checking()
    assert screen.level_words.text() == zone_sentence(VoiceZone.silent)
    assert "read the sentence" in screen.status_label.text()
    for _ in range(20):
        screen.set_level(-20.0, -10.0)
    assert screen.level_words.text() == zone_sentence(VoiceZone.good)
    screen.show_findings(
        [Finding("microphone level", Status.warn, "Your voice is a little quiet.", "Speak up.")]
    )
    screen.set_level(-20.0, -10.0)
    assert screen.level_words.text() == ""  # one verdict on screen: the findings'
