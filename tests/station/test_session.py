"""The interview session in-process: live virtual microphone, spoken questions, retakes, transcription."""

import subprocess
import threading
import time

import pytest

from desktop_app.config import load_settings
from desktop_app.devices.camera import CameraCapture
from desktop_app.devices.microphone import MicrophoneCapture
from desktop_app.session.events import SessionState, StateChange
from desktop_app.session.interview import InterviewSession, SessionDevices, SessionOptions
from desktop_app.session.journal import SessionJournal
from desktop_app.speech.tts import QuestionSpeaker
from desktop_app.store.directory_sink import DirectoryAnswerSink
from sync_server.contract import InterviewPlan
from tests.station.conftest import SPOKEN_KEY_WORDS


@pytest.fixture(scope="module")
def transcriber():
    from desktop_app.speech.transcription import Transcriber

    return Transcriber(load_settings())


@pytest.mark.audio
def test_spoken_interview_with_a_retake_through_the_virtual_devices(
    virtual_audio, tmp_path, face_video, spoken_answer_wav, transcriber
):
    settings = load_settings(video_width=640, video_height=480)
    plan = InterviewPlan.model_validate(
        {
            "interview_id": "iv-live",
            "accommodations": {"extra_attempts": 1},
            "questions": [
                {"id": "q1", "text": "Describe a project you are proud of.", "think_seconds": 1,
                 "answer_seconds": 8, "max_attempts": 1},
            ],
        }
    )  # fmt: skip
    journal = SessionJournal.open(tmp_path / "station.db")
    out = tmp_path / "out"
    heard = tmp_path / "speaker.wav"
    speaker_tap = subprocess.Popen(
        ["parec", "--device=spk.monitor", "--file-format=wav", "--channels=1", str(heard)],
        env=virtual_audio.env,
    )
    session = InterviewSession(
        plan,
        settings=settings,
        devices=SessionDevices(camera=CameraCapture(str(face_video)), microphone=MicrophoneCapture(None)),
        sink=DirectoryAnswerSink(out),
        journal=journal,
        recordings_dir=out,
        speaker=QuestionSpeaker(cache_dir=tmp_path / "tts"),
        load_transcriber=lambda: transcriber,
        options=SessionOptions(device_check_seconds=1.0, device_check_blocks=False),
    )
    states: list[StateChange] = []
    updates, levels, ticks = [], [], []
    session.events.transcript_update.connect(updates.append)
    session.events.level_meter.connect(levels.append)
    session.events.countdown_tick.connect(ticks.append)

    def drive(change: StateChange) -> None:  # what the kiosk UI does, from the session's events
        states.append(change)
        if change.state is SessionState.consent:
            session.give_consent(True)
        elif change.state is SessionState.recording:

            def speak_then_stop() -> None:
                virtual_audio.play_into_microphone(spoken_answer_wav).wait(20)
                time.sleep(0.5)
                session.stop_answer()

            threading.Thread(target=speak_then_stop, daemon=True).start()
        elif change.state is SessionState.reviewing:
            session.retake() if change.attempt == 1 else session.keep_answer()

    session.events.state_changed.connect(drive)
    try:
        summary = session.run()
    finally:
        speaker_tap.terminate()
        speaker_tap.wait(5)
    assert summary.status == "finished", summary.errors
    order = [s.state for s in states]
    assert order[:3] == [SessionState.consent, SessionState.device_check, SessionState.speaking]
    assert order.count(SessionState.recording) == 2  # first attempt, then the retake
    assert SessionState.reviewing in order and order[-1] is SessionState.finished
    (answer,) = summary.answers
    assert answer.attempt == 2
    assert not (out / "q1-attempt1.mp4").exists()  # the retaken attempt was thrown away
    assert answer.media_path == out / "q1-attempt2.mp4" and answer.media_path.exists()
    assert answer.transcript is not None
    text = answer.transcript.text.lower()
    assert sum(word in text for word in SPOKEN_KEY_WORDS) >= 2, text
    assert updates, "the UI got no transcript update"
    assert max(levels) > -30 and min(levels) < -60  # the meter saw speech and silence
    assert any(t.phase is SessionState.thinking for t in ticks)
    assert abs(answer.metrics["av_offset_ms"]) < 100  # target checked by the benchmark, not under test load
    assert heard.stat().st_size > 48_000, "the question was not played on the speaker"


def test_cancel_from_the_ui_stops_and_journals_it(tmp_path, face_video, spoken_answer_wav):
    plan = InterviewPlan.model_validate(
        {"questions": [{"id": "q1", "text": "Anything?", "think_seconds": 30, "answer_seconds": 10}]}
    )
    journal = SessionJournal.open(tmp_path / "station.db")
    session = InterviewSession(
        plan,
        settings=load_settings(video_width=320, video_height=240),
        devices=SessionDevices(camera=CameraCapture(str(face_video)), scripted_answers=[spoken_answer_wav]),
        sink=DirectoryAnswerSink(tmp_path / "out"),
        journal=journal,
        recordings_dir=tmp_path / "out",
        options=SessionOptions(consent_given=True, device_check_seconds=0.5, device_check_blocks=False),
    )
    session.events.state_changed.connect(
        lambda change: session.cancel() if change.state is SessionState.thinking else None
    )
    summary = session.run()
    assert summary.status == "cancelled"
    interview = journal.interview(plan.interview_id)
    assert interview is not None and interview.status == "cancelled"
    assert not list((tmp_path / "out").glob("*.mp4"))


def test_low_disk_space_warns_staff_before_recording_and_still_records(
    tmp_path, face_video, spoken_answer_wav, monkeypatch
):
    import shutil

    from desktop_app.store import disk_space

    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(disk_space.shutil, "disk_usage", lambda _: usage._replace(free=50 * disk_space.MIB))
    plan = InterviewPlan.model_validate(
        {"questions": [{"id": "q1", "text": "Anything?", "think_seconds": 0, "answer_seconds": 5}]}
    )
    session = InterviewSession(
        plan,
        settings=load_settings(video_width=320, video_height=240),
        devices=SessionDevices(camera=CameraCapture(str(face_video)), scripted_answers=[spoken_answer_wav]),
        sink=DirectoryAnswerSink(tmp_path / "out"),
        journal=SessionJournal.open(tmp_path / "station.db"),
        recordings_dir=tmp_path / "out",
        options=SessionOptions(consent_given=True, device_check_seconds=0.5, device_check_blocks=False),
    )
    warnings = []
    session.events.error.connect(warnings.append)
    summary = session.run()
    assert any(isinstance(w, disk_space.DiskSpaceLow) for w in warnings)
    assert "almost full" in " ".join(summary.errors)
    assert list((tmp_path / "out").glob("*.mp4")), "the answer is still recorded"
