"""The whole kiosk, driven by the keyboard only, against a real server, with a video file as the camera
and speech played into the PulseAudio virtual microphone."""

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import av
import httpx
import pytest

from desktop_app.session.journal import SessionJournal
from desktop_app.session.kiosk_views import Phase
from desktop_app.staff_pin import hash_pin
from desktop_app.store.outbox import Outbox
from tests.support.kiosk_driver import KioskDriver, kiosk_settings
from tests.support.kiosk_server import KioskServer
from tests.support.live_server import live_server
from tests.support.media import write_speech_wav, write_test_video
from ui.kiosk.app import build_kiosk
from ui.qt import QApplication, Qt

pytestmark = [pytest.mark.audio, pytest.mark.slow]

QUESTIONS = [
    {"text": "Say hello.", "think_seconds": 1, "answer_seconds": 20, "max_attempts": 2},
    {"text": "Say goodbye.", "think_seconds": 0, "answer_seconds": 20},
]
PIN = "2468"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("kiosk-flow-server")) as live:
        yield KioskServer.seed(live)


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kiosk-media")
    return {
        "camera": write_test_video(folder / "face.mp4", seconds=2.0, face=True),
        "speech": write_speech_wav(
            folder / "speech.wav", "Hello, my name is Robin and I am ready.", pad_seconds=0.3
        ),
    }


@pytest.fixture
def station(server, media, tmp_path, pulseaudio):
    from desktop_app.devices.audio import refresh_devices

    refresh_devices()  # PortAudio must see the virtual devices started for this session
    settings = kiosk_settings(
        tmp_path / "station",
        media["camera"],
        staff_pin_hash=hash_pin(PIN),
        kiosk_idle_seconds=60,
        kiosk_finish_seconds=3,
    )
    server.enroll_station(settings.identity_file)
    return settings


@pytest.fixture
def kiosk(qtbot, station):
    controller = build_kiosk(station, locked_down=True)
    qtbot.addWidget(controller.screens.window)
    controller.start()
    driver = KioskDriver(qtbot, controller)
    yield driver
    controller.shutdown()
    controller.screens.window.allow_close = True
    controller.screens.window.close()


def _to_consent(kiosk: KioskDriver, code: str) -> None:
    s = kiosk.screens
    kiosk.on(s.attract)
    kiosk.focus_is(s.attract.start_button)
    kiosk.enter()
    kiosk.on(s.access_code)
    kiosk.type(code)
    kiosk.enter()
    kiosk.on(s.consent)


def _agree(kiosk: KioskDriver) -> None:
    """Agree on the consent screen, keys only: focus starts on the notice, "I agree" is three Tabs on."""
    s = kiosk.screens
    kiosk.focus_is(s.consent.notice)
    kiosk.tab(3)
    kiosk.focus_is(s.consent.agree_button)
    kiosk.enter()


def _pass_device_check(kiosk: KioskDriver, pulseaudio, speech: Path) -> None:
    s = kiosk.screens
    kiosk.on(s.device_check)
    kiosk.wait(lambda: bool(s.device_check.finding_labels), 30_000)
    if not s.device_check.continue_button.isEnabled():  # silence: "we could not hear you speak"
        kiosk.focus_is(s.device_check.again_button)
        player = pulseaudio.play_into_microphone(speech)
        kiosk.enter()  # check again, while speaking
        kiosk.wait(lambda: not s.device_check.finding_labels, 5000)
        kiosk.wait(lambda: bool(s.device_check.finding_labels), 30_000)
        player.wait(30)
    assert s.device_check.continue_button.isEnabled(), s.device_check.finding_labels
    kiosk.focus_is(s.device_check.continue_button)
    kiosk.enter()


def _answer(kiosk: KioskDriver, pulseaudio, speech: Path) -> None:
    """Skip the spoken question and think time, speak, then press "I'm done"."""
    q = kiosk.screens.question
    kiosk.wait(lambda: q.phase in (Phase.speaking, Phase.thinking, Phase.recording))
    if q.phase is not Phase.recording:
        kiosk.focus_is(q.start_now_button)
        kiosk.enter()
    kiosk.phase(Phase.recording)
    pulseaudio.play_into_microphone(speech).wait(30)
    kiosk.focus_is(q.done_button)
    kiosk.enter()


def test_a_whole_interview_by_keyboard_reaches_the_server(kiosk, server, station, media, pulseaudio):
    s = kiosk.screens
    code, interview_id, _ = server.invite(
        QUESTIONS, name="Robin Keyboard", accommodations={"time_multiplier": 2.0}
    )

    # a wrong code first: a sentence, not a crash, and the field keeps focus for another try
    kiosk.on(s.attract)
    kiosk.enter()
    kiosk.on(s.access_code)
    kiosk.type("zzzz-zzzz")
    kiosk.enter()
    kiosk.wait(lambda: "not valid" in s.access_code.error_label.text())
    assert s.access_code.code_edit.hasFocus()
    kiosk.press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    kiosk.type(" ".join(code.lower()))  # spaces between every character, small letters
    kiosk.enter()
    kiosk.on(s.consent)
    assert "Hello Robin" in s.consent.title.text()

    # consent: nothing pre-chosen; read, tick "people only", past "I do not agree", agree: keys only
    kiosk.focus_is(s.consent.notice)
    kiosk.tab()
    kiosk.focus_is(s.consent.people_only)
    kiosk.press(Qt.Key.Key_Space)
    assert s.consent.people_only.isChecked()
    kiosk.tab(2)
    kiosk.focus_is(s.consent.agree_button)
    kiosk.enter()

    _pass_device_check(kiosk, pulseaudio, media["speech"])
    assert s.device_check.preview.frames_shown > 0

    # practice: never saved
    kiosk.question_number("Practice question")
    _answer(kiosk, pulseaudio, media["speech"])
    kiosk.phase(Phase.review)
    assert s.question.next_button.text() == "Start the interview"
    kiosk.focus_is(s.question.next_button)
    kiosk.enter()

    # question 1: let the think time run, record, then retake once
    kiosk.question_number("Question 1 of 2")
    kiosk.phase(Phase.thinking)
    kiosk.wait(lambda: s.question.countdown.remaining > 0)
    assert s.question.countdown.total == 2.0  # 1 s think time, doubled for this candidate
    kiosk.phase(Phase.recording)
    kiosk.wait(lambda: s.question.countdown.total == 40.0)
    assert s.question.recording_badge.isVisible()
    pulseaudio.play_into_microphone(media["speech"]).wait(30)
    kiosk.wait(lambda: s.question.elapsed_label.text().startswith("Recorded"))
    kiosk.enter()  # "I'm done" has focus while recording
    kiosk.phase(Phase.review)
    assert s.question.attempt_label.text() == "Attempt 1 of 2"
    kiosk.focus_is(s.question.next_button)
    kiosk.tab()
    kiosk.focus_is(s.question.watch_button)  # the candidate watches the answer just given first
    kiosk.enter()
    kiosk.wait(lambda: s.question.playback.frames_shown > 5, 20_000)
    kiosk.focus_is(s.question.stop_button)
    kiosk.enter()
    kiosk.focus_is(s.question.watch_button)
    kiosk.tab()
    kiosk.focus_is(s.question.retake_button)
    kiosk.enter()
    _answer(kiosk, pulseaudio, media["speech"])  # the last attempt is kept without asking

    # question 2, then the finish screen
    kiosk.question_number("Question 2 of 2")
    _answer(kiosk, pulseaudio, media["speech"])
    kiosk.on(s.farewell, 60_000)
    assert "2 answers are saved" in s.farewell.lead.text()
    kiosk.on(s.attract, 15_000)  # resets by itself
    assert s.consent.title.text() == "Before we start" and s.question.question_label.text() == ""

    outbox = Outbox.open(station.station_db_path)
    journal = SessionJournal.open(station.station_db_path)
    kept = [a for a in journal.all_attempts(interview_id) if a.status == "delivered"]
    assert sorted((a.question_index, a.attempt) for a in kept) == [(0, 2), (1, 1)]
    assert not any("practice" in str(a.media_path) for a in kept)
    for attempt in kept:
        with av.open(str(attempt.media_path)) as container:
            assert {stream.type for stream in container.streams} >= {"video", "audio"}
    # transcripts follow their answers in the background (the candidate never waits for them)
    kiosk.wait(
        lambda: all(
            a.transcript is not None for a in journal.all_attempts(interview_id) if a.status == "delivered"
        ),
        60_000,
    )
    assert not list((station.data_dir / "practice").glob("*.*"))  # the practice answer was thrown away

    # the background sync loop delivers both answers and the interview is completed on the server
    deadline = time.monotonic() + 60
    while outbox.counts().waiting or outbox.pending_posts():
        assert time.monotonic() < deadline, outbox.counts()
        kiosk.qtbot.wait(250)
    shown = server.interview(interview_id)
    assert shown["status"] == "completed" and shown["people_only"] is True  # no AI scores Robin


def test_used_and_expired_codes_are_explained(kiosk, server):
    s = kiosk.screens
    used_code, _, _ = server.invite(QUESTIONS)
    with httpx.Client(base_url=server.live.url) as client:  # another station already used it
        other = server.enroll_station(Path(os.environ["XDG_DATA_HOME"]) / "other-identity.json")
        client.headers["Authorization"] = f"Bearer {other.credential}"
        assert client.post("/api/v1/station/sessions", json={"access_code": used_code}).status_code == 200
    expired_code, _, invite_id = server.invite(QUESTIONS)
    server.expire_invite(invite_id)
    kiosk.on(s.attract)
    kiosk.enter()
    for code, words in ((used_code, "used already"), (expired_code, "expired")):
        kiosk.on(s.access_code)
        kiosk.press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        kiosk.type(code)
        kiosk.enter()
        kiosk.wait(lambda words=words: words in s.access_code.error_label.text())
        assert "staff" in s.access_code.error_label.text()
    assert s.access_code.wrong_codes == 0  # not the candidate's fault: they do not count as wrong


def test_declining_consent_ends_politely_and_is_recorded(kiosk, server, station):
    s = kiosk.screens
    code, interview_id, _ = server.invite(QUESTIONS)
    _to_consent(kiosk, code)
    kiosk.focus_is(s.consent.notice)
    kiosk.tab(2)
    kiosk.focus_is(s.consent.decline_button)
    kiosk.enter()
    kiosk.focus_is(s.consent.confirm.back_button)  # it asks first: the code is used up
    kiosk.tab()
    kiosk.focus_is(s.consent.confirm.end_button)
    kiosk.enter()
    kiosk.on(s.farewell)
    assert "Nothing was recorded" in s.farewell.lead.text()
    kiosk.settle()
    journaled = SessionJournal.open(station.station_db_path).interview(interview_id)
    assert journaled is not None and journaled.status == "cancelled" and journaled.consent_at is None
    assert not (station.media_dir / interview_id).exists() or not any(
        (station.media_dir / interview_id).iterdir()
    )
    # the kiosk's sync loop tells the server, which closes the interview as declined
    kiosk.wait(lambda: server.interview(interview_id)["status"] == "declined", 30_000)
    kiosk.on(s.attract, 15_000)


def test_an_idle_candidate_is_warned_then_cleared_from_the_screen(kiosk, server):
    s = kiosk.screens
    kiosk.controller.idle.idle_seconds = 0.5
    kiosk.controller.idle.warning_seconds = 2
    code, _, _ = server.invite(QUESTIONS, name="Idle Person", accommodations={"large_text": True})
    _to_consent(kiosk, code)
    assert "Hello Idle" in s.consent.title.text()
    assert kiosk.controller.current_look.large_text  # the invite's accommodation, applied at once
    assert "font-size: 28px" in QApplication.instance().styleSheet()  # 21 px kiosk text, scaled
    kiosk.wait(s.window.idle_warning.isVisible, 5000)
    assert "closes in" in s.window.idle_warning.countdown_label.text()
    kiosk.press(Qt.Key.Key_Shift)  # still here
    kiosk.wait(lambda: not s.window.idle_warning.isVisible(), 5000)
    assert kiosk.screens.window.current_screen is s.consent
    kiosk.on(s.attract, 10_000)  # nobody touches anything again
    assert "Idle" not in s.consent.title.text()
    assert not s.window.idle_warning.isVisible()
    assert not kiosk.controller.current_look.large_text  # the next person gets the default look


def test_staff_exit_needs_the_right_pin(kiosk, qtbot):
    s = kiosk.screens
    kiosk.on(s.attract)
    kiosk.press(
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.ShiftModifier,
    )
    kiosk.wait(lambda: s.pin_dialog is not None and s.pin_dialog.isVisible())
    dialog = s.pin_dialog
    assert dialog is not None
    kiosk.focus_is(dialog.pin_edit)
    kiosk.type("1111")
    kiosk.enter()
    kiosk.wait(lambda: "Wrong PIN. 4 tries left." in dialog.message_label.text())
    assert kiosk.screens.window.current_screen is s.attract
    kiosk.type(PIN)
    kiosk.enter()
    kiosk.on(s.setup)
    kiosk.wait(lambda: s.setup.camera_combo.count() > 0)
    assert "answer(s) waiting" in s.setup.queue_summary.text()
    kiosk.focus_is(s.setup.back_button)
    kiosk.tab()
    kiosk.focus_is(s.setup.exit_button)
    with qtbot.waitSignal(s.setup.exit_requested):
        kiosk.enter()
    kiosk.wait(lambda: not s.window.isVisible())


def test_a_station_killed_mid_interview_resumes_at_the_same_question(
    qtbot, server, station, media, pulseaudio, caplog
):
    code, interview_id, _ = server.invite(QUESTIONS, name="Crash Candidate")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "KIOSK_TEST_DATA_DIR": str(station.data_dir),
        "KIOSK_TEST_CAMERA": str(media["camera"]),
        "KIOSK_TEST_CODE": code,
        "KIOSK_TEST_SPEECH": str(media["speech"]),
    }
    crashing = subprocess.Popen(
        [sys.executable, "-m", "tests.support.kiosk_until_crash"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = []
    assert crashing.stdout is not None
    watchdog = threading.Timer(240, crashing.kill)  # a hung kiosk ends the read loop below
    watchdog.start()
    for line in crashing.stdout:
        output.append(line)
        if line.startswith("RECORDING QUESTION 2"):
            break
    else:
        pytest.fail("the kiosk never reached question 2:\n" + "".join(output[-40:]))
    watchdog.cancel()
    crashing.send_signal(signal.SIGKILL)  # a power cut, as far as the station knows
    crashing.wait(10)

    caplog.set_level(logging.INFO, logger="ui.kiosk.window")
    controller = build_kiosk(station, locked_down=True)
    qtbot.addWidget(controller.screens.window)
    controller.start()
    kiosk = KioskDriver(qtbot, controller)
    try:
        s = kiosk.screens
        # no consent again, no device check again (it was passed), no practice, not question 1
        kiosk.on(s.welcome_back)
        assert s.welcome_back.saved_label.text() == "The station restarted. 1 of your 2 answers is saved."
        kiosk.focus_is(s.welcome_back.continue_button)
        kiosk.enter()
        kiosk.question_number("Question 2 of 2")
        assert controller.current_look.high_contrast  # chosen before the crash, restored after it
        assert s.window.org_label.text() == server.organization  # and the organization's branding
        shown = [r.getMessage() for r in caplog.records if r.getMessage().startswith("kiosk screen:")]
        assert "kiosk screen: DeviceCheckScreen" not in shown, shown
        _answer(kiosk, pulseaudio, media["speech"])
        kiosk.on(s.farewell, 60_000)
        journal = SessionJournal.open(station.station_db_path)
        kept = [a for a in journal.all_attempts(interview_id) if a.status == "delivered"]
        assert sorted(a.question_index for a in kept) == [0, 1]  # each question exactly once
        assert [a.status for a in journal.attempts(interview_id, 1)].count("interrupted") == 1
    finally:
        controller.shutdown()
        controller.screens.window.allow_close = True
        controller.screens.window.close()


def test_staff_setup_enrolls_tests_the_camera_and_saves_devices(kiosk, server, station):
    import tomllib

    from desktop_app.config import config_file
    from desktop_app.sync.identity import load_identity

    s = kiosk.screens
    kiosk.on(s.attract)
    s.window.staff_gesture.requested.emit()
    kiosk.wait(lambda: s.pin_dialog is not None and s.pin_dialog.isVisible())
    kiosk.focus_is(s.pin_dialog.pin_edit)  # type: ignore[union-attr]
    kiosk.type(PIN)
    kiosk.enter()
    kiosk.on(s.setup)
    kiosk.wait(lambda: s.setup.camera_combo.count() > 0)
    assert s.setup.devices_message.text() == "", s.setup.devices_message.text()
    before = load_identity(station.identity_file)

    s.setup.server_url_edit.setFocus()
    kiosk.press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    kiosk.type(server.live.url)
    s.setup.enrollment_code_edit.setFocus()
    kiosk.type(server.enrollment_code("Front desk kiosk"))
    kiosk.enter()
    kiosk.wait(lambda: s.setup.enroll_message.text().startswith("Enrolled"))
    after = load_identity(station.identity_file)
    assert after.station_name == "Front desk kiosk" and after.station_id != before.station_id

    s.setup.test_camera_button.setFocus()
    kiosk.enter()
    kiosk.wait(lambda: s.setup.preview.frames_shown > 3)

    assert s.setup.camera_combo.currentData() == station.camera  # the configured video file is offered
    s.setup.save_devices_button.setFocus()
    kiosk.enter()
    kiosk.wait(lambda: s.setup.devices_message.text().startswith("Saved"))
    saved = tomllib.loads(config_file().read_text())
    assert saved["camera"] == station.camera and saved["server_url"] == server.live.url

    # what the engine worked around during an interview is shown to staff here, not to the candidate
    from desktop_app.errors import SpeechModelError

    kiosk.controller._note_problem(SpeechModelError("The speech model could not be loaded."))
    assert s.setup.problems_label.isVisible()
    assert "speech model could not be loaded" in s.setup.problems_label.text()
    assert QApplication.activeModalWidget() is None

    s.setup.back_button.setFocus()
    kiosk.enter()
    kiosk.on(s.attract)
    assert s.window.org_label.text() == after.organization_name


def test_walking_away_mid_interview_cancels_it_so_no_restart_resumes_it(kiosk, server, station):
    s = kiosk.screens
    code, interview_id, _ = server.invite(QUESTIONS)
    _to_consent(kiosk, code)
    kiosk.focus_is(s.consent.notice)
    kiosk.tab(3)
    kiosk.focus_is(s.consent.agree_button)
    kiosk.enter()
    kiosk.on(s.device_check)
    kiosk.wait(lambda: bool(s.device_check.finding_labels))  # nobody speaks: the check waits for them
    active_file = station.data_dir / "kiosk" / "active-interview.json"
    assert active_file.exists()
    kiosk.controller.idle.idle_seconds = 0.3
    kiosk.controller.idle.warning_seconds = 1
    kiosk.controller.idle.set_armed(True)
    kiosk.on(s.attract, 10_000)
    kiosk.wait(lambda: not active_file.exists(), 10_000)
    journaled = SessionJournal.open(station.station_db_path).interview(interview_id)
    assert journaled is not None and journaled.status == "cancelled"
    assert s.device_check.preview.has_picture is False


def test_walking_away_on_the_review_screen_keeps_and_delivers_the_answer(
    kiosk, server, station, media, pulseaudio
):
    """A recorded answer is the candidate's work: leaving on "keep or record again" must not lose it."""
    s = kiosk.screens
    code, interview_id, _ = server.invite(QUESTIONS)
    _to_consent(kiosk, code)
    _agree(kiosk)
    _pass_device_check(kiosk, pulseaudio, media["speech"])
    kiosk.question_number("Practice question")
    _answer(kiosk, pulseaudio, media["speech"])
    kiosk.phase(Phase.review)
    kiosk.focus_is(s.question.next_button)
    kiosk.enter()
    kiosk.question_number("Question 1 of 2")
    kiosk.controller.idle.idle_seconds = 0.5
    kiosk.controller.idle.warning_seconds = 1
    _answer(kiosk, pulseaudio, media["speech"])
    kiosk.phase(Phase.review)  # attempt 1 of 2: the candidate could record again, but walks away
    kiosk.on(s.attract, 20_000)

    journal = SessionJournal.open(station.station_db_path)
    kept = [a for a in journal.all_attempts(interview_id) if a.status == "delivered"]
    assert [(a.question_index, a.attempt) for a in kept] == [(0, 1)]
    assert journal.interview(interview_id).status == "cancelled"  # no restart resumes it
    deadline = time.monotonic() + 90
    while len(server.interview(interview_id)["responses"]) < 1:
        assert time.monotonic() < deadline, "the answer never reached the server"
        kiosk.qtbot.wait(250)
    (response,) = server.interview(interview_id)["responses"]
    assert response["question_id"] == kept[0].question_id
