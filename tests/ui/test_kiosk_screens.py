"""Kiosk screens on their own, driven by the keyboard: what a candidate sees and can do on each."""

import pytest

from desktop_app.findings import Finding, Status
from desktop_app.session.kiosk_views import Phase
from desktop_app.staff_pin import StaffPinGuard, hash_pin
from desktop_app.store.database import open_station_db
from sync_server.contract import InterviewPlan
from ui.kiosk.access_code import MAX_WRONG_CODES, group_for_display, normalize_access_code
from ui.kiosk.consent import ConsentChoice
from ui.kiosk.idle import IdleGuard
from ui.kiosk.parts import KioskButton
from ui.kiosk.screens import KioskScreens
from ui.kiosk.staff import CORNER_SEQUENCE, corner_of
from ui.qt import QAbstractButton, QComboBox, QLineEdit, Qt, QTextBrowser
from ui.tasks import pending_tasks

PLAN = InterviewPlan.model_validate(
    {
        "interview_id": "abcdef12-0000-0000-0000-000000000000",
        "candidate_display_name": "Sam Lee",
        "organization": {"name": "Acme Care"},
        "questions": [{"id": "q1", "text": "What motivates you?", "max_attempts": 2}],
    }
)


@pytest.fixture
def screens(qtbot):
    built = KioskScreens(locked_down=False)
    qtbot.addWidget(built.window)
    built.window.enter_kiosk_mode()
    qtbot.waitExposed(built.window)
    yield built
    built.shutdown()
    built.window.allow_close = True


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("abcd-2345", "ABCD2345"), ("  ab cd 23 45 ", "ABCD2345"), ("AbCd_23.45", "ABCD2345"), ("", "")],
)
def test_access_codes_forgive_case_spaces_and_dashes(typed, expected):
    assert normalize_access_code(typed) == expected


def test_access_code_is_grouped_for_reading():
    assert group_for_display("ABCD2345XY") == "ABCD-2345-XY"


def test_access_code_entry_by_keyboard_emits_the_normalized_code(qtbot, screens):
    screen = screens.access_code
    screens.window.show_screen(screen)
    assert screen.code_edit.hasFocus()
    qtbot.keyClicks(screen.code_edit, "abcd 2345")
    with qtbot.waitSignal(screen.code_entered) as entered:
        qtbot.keyClick(screen.code_edit, Qt.Key.Key_Return)
    assert entered.args == ["ABCD2345"]
    assert screen.code_edit.text() == "ABCD-2345"
    assert not screen.continue_button.isEnabled()  # busy until the server answers


def test_empty_and_garbage_codes_are_refused_before_asking_the_server(qtbot, screens):
    screen = screens.access_code
    screens.window.show_screen(screen)
    with qtbot.assertNotEmitted(screen.code_entered):
        qtbot.keyClick(screen.code_edit, Qt.Key.Key_Return)
        assert "type your access code" in screen.error_label.text()
        qtbot.keyClicks(screen.code_edit, "ab$cd")
        qtbot.keyClick(screen.code_edit, Qt.Key.Key_Return)
    assert "only letters and digits" in screen.error_label.text()


def test_wrong_codes_are_limited_then_entry_locks_for_a_while(qtbot, screens):
    screen = screens.access_code
    screen.lockout_seconds = 2
    screens.window.show_screen(screen)
    for attempt in range(1, MAX_WRONG_CODES):
        screen.code_refused("We could not find that access code.")
        assert screen.error_label.text() == "We could not find that access code."
        assert screen.wrong_codes == attempt
    with qtbot.waitSignal(screen.too_many_wrong_codes):
        screen.code_refused("We could not find that access code.")
    assert screen.locked and not screen.code_edit.isEnabled()
    assert "ask a member of staff" in screen.error_label.text()
    screen.reset()  # the next person (or the same one after an idle reset) is still locked out
    assert screen.locked and not screen.code_edit.isEnabled()
    qtbot.waitUntil(lambda: not screen.locked, timeout=4000)
    assert screen.code_edit.isEnabled() and screen.wrong_codes == 0


def test_consent_lists_every_point_and_records_a_people_only_choice(qtbot, screens):
    screen = screens.consent
    screen.show_plan(PLAN)
    screens.window.show_screen(screen)
    texts = " ".join(
        screen.points.itemAt(i).widget().text()
        for i in range(screen.points.count())  # type: ignore[union-attr]
    )
    for needed in ("recorded", "Acme Care", "AI", "retention", "delete", "ABCDEF12"):
        assert needed in texts
    assert screen.title.text() == "Hello Sam Lee, before we start"
    assert screen.agree_button.hasFocus()
    qtbot.keyClick(
        screen.agree_button, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier
    )  # back to the checkbox
    assert screen.people_only.hasFocus()
    qtbot.keyClick(screen.people_only, Qt.Key.Key_Space)
    qtbot.keyClick(screen.people_only, Qt.Key.Key_Tab)
    with qtbot.waitSignal(screen.decided) as decided:
        qtbot.keyClick(screen.agree_button, Qt.Key.Key_Return)
    assert decided.args == [ConsentChoice(agreed=True, people_only=True, version="default-1")]


def test_declining_consent_is_one_keypress_away(qtbot, screens):
    screen = screens.consent
    screen.show_plan(PLAN)
    screens.window.show_screen(screen)
    qtbot.keyClick(screen.agree_button, Qt.Key.Key_Tab)
    assert screen.decline_button.hasFocus()
    with qtbot.waitSignal(screen.decided) as decided:
        qtbot.keyClick(screen.decline_button, Qt.Key.Key_Space)
    assert decided.args[0].agreed is False


def test_device_check_blocks_on_a_failed_required_check_and_says_what_to_do(qtbot, screens):
    screen = screens.device_check
    screens.window.show_screen(screen)
    screen.set_checking()
    assert not screen.continue_button.isEnabled()
    screen.show_findings(
        [
            Finding("camera", Status.ok, "The camera works."),
            Finding("microphone", Status.fail, "We hear nothing.", "Check that it is not muted."),
        ]
    )
    assert not screen.continue_button.isEnabled()
    assert screen.again_button.hasFocus()
    assert "We hear nothing. Check that it is not muted." in screen.finding_labels[1]
    screen.show_findings([Finding("noise", Status.warn, "Some noise.", "Close the door.", required=False)])
    assert screen.continue_button.isEnabled() and screen.continue_button.hasFocus()


def test_question_screen_offers_the_right_buttons_in_each_phase(qtbot, screens):
    screen = screens.question
    screens.window.show_screen(screen)
    screen.show_question(
        number=1, total=3, text="Why us?", practice=False, is_last=False, attempt=1, max_attempts=2
    )
    visible = lambda: {b.text() for b in screen.findChildren(KioskButton) if b.isVisibleTo(screen)}  # noqa: E731
    assert visible() == {"Replay question", "Start answering now"}
    screen.show_phase(Phase.thinking)
    assert screen.replay_button.isEnabled() and screen.start_now_button.hasFocus()
    screen.show_phase(Phase.recording)
    assert visible() == {"I'm done"} and screen.recording_badge.isVisibleTo(screen)
    with qtbot.waitSignal(screen.done_requested):
        qtbot.keyClick(screen.done_button, Qt.Key.Key_Return)
    screen.show_phase(Phase.review)
    assert visible() == {"Next question", "Record again"}
    screen.set_attempt(2, 2)
    screen.show_phase(Phase.review)
    assert visible() == {"Next question"}
    screen.show_question(
        number=0, total=3, text="Hi", practice=True, is_last=False, attempt=1, max_attempts=1
    )
    assert screen.practice_label.isVisibleTo(screen) and screen.number_label.text() == "Practice question"


def test_every_control_on_every_screen_has_an_accessible_name(screens):
    screens.consent.show_plan(PLAN)
    nameless = [
        f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()!r}"
        for kind in (QAbstractButton, QLineEdit, QComboBox, QTextBrowser)
        for widget in screens.window.findChildren(kind)
        if not widget.accessibleName()
    ]
    assert nameless == []


def test_the_kiosk_window_refuses_to_close_and_ignores_escape(qtbot):
    screens = KioskScreens(locked_down=True)
    qtbot.addWidget(screens.window)
    screens.window.enter_kiosk_mode()
    qtbot.waitExposed(screens.window)
    assert screens.window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert screens.window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert screens.window.geometry().contains(screens.window.screen().geometry())  # covers the screen
    qtbot.keyClick(screens.window, Qt.Key.Key_Escape)
    assert not screens.window.close()
    assert screens.window.isVisible()
    screens.shutdown()
    screens.window.allow_close = True
    assert screens.window.close()


def test_idle_guard_warns_with_a_countdown_then_times_out_unless_someone_is_there(qtbot, screens):
    guard = IdleGuard(idle_seconds=0.1, warning_seconds=2)
    ticks: list[int] = []
    guard.warning_tick.connect(ticks.append)
    guard.set_armed(True)
    with qtbot.waitSignal(guard.warning_started, timeout=2000):
        pass
    with qtbot.waitSignal(guard.warning_cancelled, timeout=2000):
        qtbot.keyClick(screens.window, Qt.Key.Key_Shift)  # any key: still here
    assert not guard.warning
    with qtbot.waitSignal(guard.timed_out, timeout=5000):
        pass
    assert ticks[:2] == [2, 2] or ticks[0] == 2
    assert not guard.armed
    guard.shutdown()


def test_idle_guard_never_fires_when_disarmed(qtbot):
    guard = IdleGuard(idle_seconds=0.05, warning_seconds=1)
    guard.set_armed(False)
    with qtbot.assertNotEmitted(guard.warning_started, wait=300):
        pass
    guard.shutdown()


@pytest.mark.parametrize(
    ("x", "y", "corner"),
    [(5, 5, "top-left"), (1900, 10, "top-right"), (1910, 1070, "bottom-right"), (960, 540, None)],
)
def test_corners_are_recognized(x, y, corner):
    assert corner_of(x, y, 1920, 1080) == corner


def test_staff_gesture_by_corners_in_order_or_by_key_chord(qtbot, screens):
    gesture = screens.window.staff_gesture
    with qtbot.assertNotEmitted(gesture.requested):
        for corner in ("top-left", "bottom-right", "top-right", "bottom-left"):
            gesture.corner_clicked(corner)
    with qtbot.waitSignal(gesture.requested):
        for corner in CORNER_SEQUENCE:
            gesture.corner_clicked(corner)
    with qtbot.waitSignal(gesture.requested):
        qtbot.keyClick(
            screens.window,
            Qt.Key.Key_S,
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.ShiftModifier,
        )


def test_pin_dialog_refuses_a_wrong_pin_and_accepts_the_right_one(qtbot, screens, tmp_path):
    screens.pin_guard = StaffPinGuard(open_station_db(tmp_path / "station.db"), hash_pin("4321"))
    dialog = screens.open_pin_dialog()
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.pin_edit, "1111")
    qtbot.keyClick(dialog.pin_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Wrong PIN" in dialog.message_label.text())
    assert dialog.isVisible() and dialog.pin_edit.text() == ""
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClicks(dialog.pin_edit, "4321")
        qtbot.keyClick(dialog.pin_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pending_tasks() == 0)


def test_pin_dialog_explains_when_no_pin_is_set(qtbot, screens, tmp_path):
    screens.pin_guard = StaffPinGuard(open_station_db(tmp_path / "station.db"), None)
    dialog = screens.open_pin_dialog()
    assert not dialog.pin_edit.isEnabled()
    assert "interview-station set-pin" in dialog.message_label.text()
    screens.close_pin_dialog()


def test_farewell_returns_to_the_start_by_itself(qtbot, screens):
    screen = screens.farewell
    screen.reset_after = 1
    screens.window.show_screen(screen)
    with qtbot.waitSignal(screen.done, timeout=3000):
        screen.show_finished(name="Sam", organization="Acme Care", answers=2, online=False)
    assert "offline" in screen.detail.text() and "2 answers" in screen.lead.text()
