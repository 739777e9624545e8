"""Kiosk screens on their own, driven by the keyboard: what a candidate sees and can do on each."""

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest

from desktop_app.findings import Finding, Status
from desktop_app.session.kiosk_views import Phase
from desktop_app.staff_pin import StaffPinGuard, hash_pin
from desktop_app.store.database import open_station_db
from sync_server.contract import InterviewPlan
from ui.kiosk.access_code import (
    MAX_WRONG_CODES,
    group_for_display,
    normalize_access_code,
    tries_left_sentence,
)
from ui.kiosk.consent import ConsentChoice
from ui.kiosk.idle import IdleGuard
from ui.kiosk.parts import KioskButton
from ui.kiosk.screens import KioskScreens
from ui.kiosk.staff import CORNER_SEQUENCE, corner_of
from ui.qt import QAbstractButton, QApplication, QComboBox, QLineEdit, Qt, QTextBrowser
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
    screen.code_refused("The station is offline.", counts_as_wrong=False)
    assert screen.error_label.text() == "The station is offline."  # not their fault: no count shown
    for attempt in range(1, MAX_WRONG_CODES):
        screen.code_refused("We could not find that access code.")
        left = MAX_WRONG_CODES - attempt
        tries = "1 try" if left == 1 else f"{left} tries"
        assert screen.error_label.text() == (
            f"We could not find that access code.\n{tries} left before the station pauses for 2 seconds."
        )
        assert screen.wrong_codes == attempt
    with qtbot.waitSignal(screen.too_many_wrong_codes):
        screen.code_refused("We could not find that access code.")
    assert screen.locked and not screen.code_edit.isEnabled()
    assert "ask a member of staff" in screen.error_label.text()
    assert "try again in 2 seconds" in screen.error_label.text()
    screen.reset()  # the next person (or the same one after an idle reset) is still locked out
    assert screen.locked and not screen.code_edit.isEnabled()
    qtbot.waitUntil(lambda: not screen.locked, timeout=4000)
    assert screen.code_edit.isEnabled() and screen.wrong_codes == 0


def test_the_tries_left_sentence_names_the_real_pause():
    assert tries_left_sentence(2, 60) == "2 tries left before the station pauses for a minute."
    assert tries_left_sentence(1, 90) == "1 try left before the station pauses for 1 minute 30 seconds."


def test_consent_lists_every_point_and_records_a_people_only_choice(qtbot, screens):
    screen = screens.consent
    screen.show_plan(PLAN)
    screens.window.show_screen(screen)
    notice = screen.notice.toPlainText()
    for needed in ("recorded", "Acme Care", "AI", "How long it is kept", "delete", "ABCDEF12"):
        assert needed in notice
    assert PLAN.consent.text[:40] in notice  # the organization's own notice follows the points
    assert screen.title.text() == "Hello Sam Lee, before we start"
    # nothing is chosen for the candidate: focus starts on the notice, not on "I agree"
    assert screen.notice.hasFocus() and not screen.agree_button.hasFocus()
    order = [screen.notice]
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [screen.notice, screen.people_only, screen.decline_button, screen.agree_button]
    screen.people_only.setFocus()
    qtbot.keyClick(screen.people_only, Qt.Key.Key_Space)
    qtbot.keyClick(screen.people_only, Qt.Key.Key_Tab)
    qtbot.keyClick(screen.decline_button, Qt.Key.Key_Tab)
    with qtbot.waitSignal(screen.decided) as decided:
        qtbot.keyClick(screen.agree_button, Qt.Key.Key_Return)
    assert decided.args == [ConsentChoice(agreed=True, people_only=True, version="default-1")]


def test_the_notice_scrolls_by_keyboard(qtbot, screens):
    long_plan = PLAN.model_copy(
        update={"consent": PLAN.consent.model_copy(update={"text": "\n\n".join(["A long paragraph."] * 80)})}
    )
    screen = screens.consent
    screen.show_plan(long_plan)
    screens.window.show_screen(screen)
    bar = screen.notice.verticalScrollBar()
    assert screen.notice.hasFocus() and bar.maximum() > 0 and bar.value() == 0
    qtbot.keyClick(screen.notice, Qt.Key.Key_PageDown)
    assert bar.value() > 0


@pytest.mark.parametrize(
    ("retention_days", "said"),
    [
        (None, "Until Acme Care deletes them."),
        (180, "180 days (about 6 months) after your interview ends. Then they are deleted."),
        (14, "14 days after your interview ends."),
    ],
)
def test_the_notice_says_how_long_recordings_are_kept(screens, retention_days, said):
    plan = PLAN.model_copy(
        update={"consent": PLAN.consent.model_copy(update={"retention_days": retention_days})}
    )
    screens.consent.show_plan(plan)
    assert f"How long it is kept: {said}" in screens.consent.notice.toPlainText()


def test_declining_asks_first_because_it_uses_up_the_code(qtbot, screens):
    screen = screens.consent
    screen.show_plan(PLAN)
    screens.window.show_screen(screen)
    screen.decline_button.setFocus()
    with qtbot.assertNotEmitted(screen.decided):
        qtbot.keyClick(screen.decline_button, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: screen.confirming_decline)
        confirm = screen.confirm
        assert (
            "access code is then used up" in confirm.message.text() and "Acme Care" in confirm.message.text()
        )
        assert confirm.back_button.hasFocus()  # the safe choice is the default
        qtbot.keyClick(confirm.back_button, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not screen.confirming_decline)
        assert screen.decline_button.hasFocus() and screen.agree_button.isVisible()
        qtbot.keyClick(screen.decline_button, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: screen.confirming_decline)
        qtbot.keyClick(confirm.back_button, Qt.Key.Key_Escape)  # Escape is "go back" too
        assert not screen.confirming_decline
        qtbot.keyClick(screen.decline_button, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: screen.confirming_decline)
    qtbot.keyClick(confirm.back_button, Qt.Key.Key_Tab)
    assert confirm.end_button.hasFocus()
    with qtbot.waitSignal(screen.decided) as decided:
        qtbot.keyClick(confirm.end_button, Qt.Key.Key_Return)
    assert decided.args[0].agreed is False
    screen.clear()  # the next candidate starts on the notice, not on the question
    assert not screen.confirming_decline


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
    # what needs doing first; what is fine in one line
    assert screen.finding_labels == [
        "✖  We hear nothing. Check that it is not muted.",
        "✔  Everything else is fine.",
    ]
    screen.show_findings([Finding("noise", Status.warn, "Some noise.", "Close the door.", required=False)])
    assert screen.continue_button.isEnabled() and screen.continue_button.hasFocus()
    screen.show_findings(
        [Finding("camera", Status.ok, "The camera works."), Finding("face", Status.ok, "Face.")]
    )
    assert screen.finding_labels == ["✔  We can see and hear you well."]
    assert screen.finding_details == ["The camera works.", "Face."]  # each one, for a screen reader
    assert screen.status_label.text() == "Everything looks good."


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


def _corner_points(window):
    width, height = window.width(), window.height()
    return [QPoint(4, 4), QPoint(width - 4, 4), QPoint(width - 4, height - 4), QPoint(4, height - 4)]


def test_staff_gesture_by_four_real_mouse_clicks(qtbot, screens):
    """Real presses, through Qt's delivery (window, widget, parents), not calls of corner_clicked."""
    window = screens.window
    with qtbot.waitSignal(window.staff_gesture.requested, timeout=2000):
        for point in _corner_points(window):
            QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0), point)
    with qtbot.assertNotEmitted(window.staff_gesture.requested, wait=100):  # one click is one corner
        for point in _corner_points(window)[:2] + _corner_points(window)[:1]:
            QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0), point)


def test_staff_gesture_by_four_taps_on_a_touch_only_screen(qtbot, screens):
    window = screens.window
    touchscreen = QTest.createTouchDevice()
    with qtbot.waitSignal(window.staff_gesture.requested, timeout=2000):
        for point in _corner_points(window):
            QTest.touchEvent(window.windowHandle(), touchscreen).press(0, point)
            QTest.touchEvent(window.windowHandle(), touchscreen).release(0, point)
            qtbot.wait(10)
    with qtbot.assertNotEmitted(window.staff_gesture.requested, wait=100):
        for point in reversed(_corner_points(window)):  # the wrong way round
            QTest.touchEvent(window.windowHandle(), touchscreen).press(0, point)
            QTest.touchEvent(window.windowHandle(), touchscreen).release(0, point)
            qtbot.wait(10)


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


def test_the_finish_screen_says_what_happens_next(screens):
    screen = screens.farewell
    screen.show_finished(name="Sam", organization="Acme Care", answers=1, online=True)
    said = f"{screen.lead.text()} {screen.detail.text()}"
    assert "Your answer is saved" in said
    assert "hiring team at Acme Care" in said  # who
    assert "within a few working days" in said  # roughly when
    assert "Acme Care contacts you" in said  # what comes next
    assert "You can leave now" in said
    screen.show_declined(organization="Acme Care")
    assert "access code is now used up" in screen.detail.text() and "new invitation" in screen.detail.text()
    screen.stop()


def test_contrast_and_text_size_buttons_say_whether_they_are_on(qtbot, screens):
    from ui.style import Look, look_stylesheet

    QApplication.instance().setStyleSheet(look_stylesheet(Look()))
    attract = screens.attract
    screens.window.show_screen(attract)
    for button, spoken in (
        (attract.contrast_button, "High contrast display"),
        (attract.large_text_button, "Larger text"),
    ):
        assert button.accessibleName() == f"{spoken}: off" and button.text().endswith(": off")
        off_colour = button.grab().toImage().pixelColor(button.width() // 2, 8)
        button.setFocus()
        with qtbot.waitSignal(button.toggled) as toggled:
            qtbot.keyClick(button, Qt.Key.Key_Space)
        assert toggled.args == [True]
        assert button.accessibleName() == f"{spoken}: on" and button.text().endswith(": on")
        on_colour = button.grab().toImage().pixelColor(button.width() // 2, 8)
        assert on_colour != off_colour  # seen, not only read: the button is filled when on
        button.blockSignals(True)  # how the controller resets it for the next person
        button.setChecked(False)
        button.blockSignals(False)
        assert button.accessibleName() == f"{spoken}: off"
    QApplication.instance().setStyleSheet("")


def test_the_status_line_tells_the_truth_while_an_answer_is_being_saved():
    from desktop_app.session.station import SyncStatus
    from ui.kiosk.sync_status import status_text

    assert status_text(SyncStatus(True, 0, 0)) == "Online · all answers sent"
    assert status_text(SyncStatus(True, 0, 1)) == "Online · 1 answer being saved"
    assert (
        status_text(SyncStatus(False, 2, 1))
        == "Offline · 1 answer being saved · 2 answers waiting to be sent"
    )
