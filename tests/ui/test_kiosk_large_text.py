"""Larger text scales every piece of text on every kiosk screen, and the idle warning still fits."""

import pytest
from PySide6.QtGui import QFontInfo

from desktop_app.staff_pin import StaffPinGuard, hash_pin
from desktop_app.store.database import open_station_db
from sync_server.contract import InterviewPlan
from ui.kiosk.screens import KioskScreens
from ui.qt import QAbstractButton, QApplication, QLabel, QLineEdit, QTextBrowser, QWidget
from ui.style import LARGE_TEXT_CAP_PX, LARGE_TEXT_SCALE, Look, look_stylesheet

PLAN = InterviewPlan.model_validate(
    {
        "interview_id": "abcdef12-0000-0000-0000-000000000000",
        "candidate_display_name": "Sam",
        "organization": {"name": "Acme Care"},
        "questions": [{"id": "q1", "text": "What motivates you?"}],
    }
)


@pytest.fixture
def screens(qtbot, tmp_path):
    built = KioskScreens(
        locked_down=False, pin_guard=StaffPinGuard(open_station_db(tmp_path / "s.db"), hash_pin("1234"))
    )
    qtbot.addWidget(built.window)
    built.window.enter_kiosk_mode()
    qtbot.waitExposed(built.window)
    built.consent.show_plan(PLAN)
    yield built
    QApplication.instance().setStyleSheet("")
    built.close_pin_dialog()
    built.shutdown()
    built.window.allow_close = True


def _text_sizes(roots: list[QWidget]) -> dict[str, int]:
    """Pixel size of every text-bearing widget, keyed by where it is (stable across two builds)."""
    sizes: dict[str, int] = {}
    for r, root in enumerate(roots):
        for kind in (QLabel, QAbstractButton, QLineEdit, QTextBrowser):
            for i, widget in enumerate(root.findChildren(kind)):
                widget.ensurePolished()
                text = getattr(widget, "text", lambda: "")()[:30]
                key = f"{r}.{i} {type(widget).__name__}#{widget.objectName()} {text!r}"
                sizes[key] = QFontInfo(widget.font()).pixelSize()
    return sizes


def _sizes_for(screens, look: Look) -> dict[str, int]:
    QApplication.instance().setStyleSheet(look_stylesheet(look))
    return _text_sizes([screens.window])  # the staff PIN dialog is the window's child


def test_larger_text_scales_every_label_button_and_field(screens):
    screens.open_pin_dialog()
    normal = _sizes_for(screens, Look())
    large = _sizes_for(screens, Look(large_text=True))
    assert normal.keys() == large.keys() and len(normal) > 50
    wanted = {
        name: min(round(px * LARGE_TEXT_SCALE), max(px, LARGE_TEXT_CAP_PX)) for name, px in normal.items()
    }
    too_small = {name: (normal[name], large[name]) for name in normal if large[name] < wanted[name] - 1}
    assert too_small == {}
    assert min(large.values()) >= 21  # the smallest kiosk text (16 px status line) included


def _fully_in_view(screen, widget) -> bool:
    viewport = screen.scroll_area.viewport()
    top_left = widget.mapTo(viewport, widget.rect().topLeft())
    bottom_right = widget.mapTo(viewport, widget.rect().bottomRight())
    return viewport.rect().contains(top_left) and viewport.rect().contains(bottom_right)


def test_on_a_short_screen_with_larger_text_the_focused_button_is_in_view(qtbot, screens):
    from desktop_app.findings import Finding, Status

    QApplication.instance().setStyleSheet(look_stylesheet(Look(high_contrast=True, large_text=True)))
    screens.window.resize(1366, 768)
    screen = screens.device_check
    screens.window.show_screen(screen)
    screen.set_checking()
    qtbot.wait(50)
    problem = Finding(
        "speech", Status.fail, "We could not hear you speak.", "Read the sentence out loud. " * 3
    )
    screen.show_findings([problem] + [Finding(f"ok{i}", Status.ok, "Fine.") for i in range(5)])
    assert screen.again_button.hasFocus()
    qtbot.waitUntil(lambda: _fully_in_view(screen, screen.again_button), timeout=2000)


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_idle_warning_fits_the_screen_it_appears_on(qtbot, screens, size):
    QApplication.instance().setStyleSheet(look_stylesheet(Look(high_contrast=True, large_text=True)))
    window = screens.window
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    warning = window.idle_warning
    warning.show_left(119)  # the longest words it says: "1 minute 59 seconds"
    qtbot.wait(20)
    parent = warning.parentWidget()
    assert parent.rect().contains(warning.geometry())
    for label in warning.findChildren(QLabel):
        needed = label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
        assert needed <= label.height(), (label.text(), needed, label.height())  # no line cut off
        assert label.sizeHint().width() <= warning.width() or label.wordWrap()
    assert warning.rect().contains(warning.stay_button.geometry())
    warning.hide()


def _prepare_every_screen(screens):
    from desktop_app.findings import Finding, Status

    screens.access_code.code_refused("That access code is not valid. Please check it and try again.")
    screens.device_check.show_findings(
        [
            Finding("speech", Status.fail, "We could not hear you speak.", "Read the sentence out loud."),
            Finding("face", Status.ok, "We can see your face."),
        ]
    )
    screens.farewell.show_finished(
        name="Alex Morgan", organization="Northwind Health", answers=2, online=False
    )
    return [screens.attract, screens.access_code, screens.consent, screens.device_check, screens.farewell]


def _cut_labels(screen) -> list[str]:
    """Labels shown shorter than their wrapped text needs (the last lines cut off)."""
    return [
        label.text()[:40]
        for label in screen.findChildren(QLabel)
        if label.isVisibleTo(screen)
        and label.wordWrap()
        and label.text()
        and label.heightForWidth(label.width()) > label.height() + 1
    ]


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_every_candidate_screen_fits_without_scrolling_in_the_default_look(qtbot, screens, size):
    QApplication.instance().setStyleSheet(look_stylesheet(Look()))
    screens.window.resize(*size)
    for screen in _prepare_every_screen(screens):
        screens.window.show_screen(screen)
        qtbot.wait(30)
        assert screen.scroll_area.verticalScrollBar().maximum() == 0, type(screen).__name__
        assert _cut_labels(screen) == [], type(screen).__name__
    screens.farewell.stop()


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_with_larger_text_nothing_is_cut_off_and_the_page_scrolls_instead(qtbot, screens, size):
    QApplication.instance().setStyleSheet(look_stylesheet(Look(high_contrast=True, large_text=True)))
    screens.window.resize(*size)
    for screen in _prepare_every_screen(screens):
        screens.window.show_screen(screen)
        qtbot.wait(30)
        assert _cut_labels(screen) == [], type(screen).__name__
        body = screen.scroll_area.widget()
        assert body.height() >= body.minimumSizeHint().height() - 1  # all of it reachable by scrolling
    screens.farewell.stop()
