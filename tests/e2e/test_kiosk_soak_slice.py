"""One interview of the kiosk soak (tests/benchmarks/kiosk_soak.py), through the same code: the real
kiosk process on Xvfb, driven by X key events, a PulseAudio microphone hearing spoken answers, a real
server on the embedded default. About two and a half minutes."""

from pathlib import Path

import pytest

from tests.benchmarks.kiosk_soak import missing_requirements, run_soak
from tests.support.kiosk_keyboard_driver import Outcome
from tests.support.kiosk_soak_world import SOAK_QUESTIONS
from tests.support.services import IN_CI

pytestmark = [pytest.mark.slow, pytest.mark.audio]


def test_one_keyboard_interview_on_the_real_kiosk_delivers_each_answer_once(tmp_path: Path) -> None:
    missing = missing_requirements(demo_devices=False)
    if missing:
        message = f"the kiosk soak needs {', '.join(missing)} (APT_PACKAGES in dev.sh)"
        if IN_CI:
            pytest.fail(f"{message}; CI must have them", pytrace=False)
        pytest.skip(message)

    result = run_soak(1, demo_devices=False, out_dir=tmp_path / "soak")

    crash_reports = [incident.report.read_text()[-4000:] for incident in result.incidents]
    assert result.crashes == 0, crash_reports
    assert result.stucks == 0, crash_reports
    (interview,) = result.interviews
    assert interview.outcome is Outcome.finished, interview.notes
    assert interview.answers_recorded == len(SOAK_QUESTIONS)
    # every answer on the server exactly once, each with its recording
    assert result.delivery.duplicates == 0
    assert result.delivery.delivered == result.delivery.expected == len(SOAK_QUESTIONS)
    # "I'm done" was pressed for the practice question and each question, and the kiosk moved on each time
    assert len(result.done_latencies) == len(SOAK_QUESTIONS) + 1
    assert result.rss_start > 0
    sample = result.out_dir / "sample-answer.mp4"
    assert any("video" in line and "audio" in line for line in result.details if sample.name in line)
