"""The demo on a machine with no camera and no microphone (a server, a CI box): generated stand-ins take
their place, the device check names them, and a candidate gets past it with the keyboard alone."""

import os
from pathlib import Path

import cv2
import pytest

from desktop_app.config import load_settings
from desktop_app.devices.check import count_faces, face_cascade
from desktop_app.devices.demo import DEMO_CAMERA_LABEL, DEMO_MICROPHONE_LABEL
from desktop_app.session.kiosk_views import Phase
from tests.support.kiosk_driver import KioskDriver
from tests.support.live_server import live_server
from ui.demo_station import DEMO_PIN, prepare_demo_station, use_demo_station
from ui.kiosk.app import build_kiosk
from ui.kiosk.setup import StationSetupScreen
from ui.qt import QPoint, QWidget

pytestmark = pytest.mark.slow

NO_CAMERA = "7"  # a camera index no machine running the tests has
NO_MICROPHONE = "no microphone by this name"


@pytest.fixture
def demo_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The demo's own set-up (ui/demo.py): seeded server, enrolled demo kiosk, fresh access code."""
    with live_server(tmp_path / "server") as live:
        station = prepare_demo_station(live.url, live.cli("demo-seed"), tmp_path / "demo-station")
        for var in ("DATA_DIR", "SERVER_URL", "STAFF_PIN_HASH", "DEMO_STAND_INS"):
            monkeypatch.delenv(f"INTERVIEW_STATION_{var}", raising=False)  # restored after the test
        use_demo_station(station, live.url)
        assert os.environ["INTERVIEW_STATION_DEMO_STAND_INS"] == "true"
        settings = load_settings(
            camera=NO_CAMERA,
            microphone=NO_MICROPHONE,
            video_fps=15,
            kiosk_practice_think_seconds=0,
            kiosk_practice_answer_seconds=5,
        )
        yield settings, station.access_code


def test_the_demo_gets_past_the_device_check_without_camera_or_microphone(qtbot, demo_settings) -> None:  # type: ignore[no-untyped-def]
    settings, access_code = demo_settings
    controller = build_kiosk(settings, locked_down=False)
    qtbot.addWidget(controller.screens.window)
    controller.start()
    kiosk = KioskDriver(qtbot, controller)
    s = kiosk.screens
    try:
        kiosk.on(s.attract)
        kiosk.focus_is(s.attract.start_button)
        kiosk.enter()
        kiosk.on(s.access_code)
        kiosk.type(access_code)
        kiosk.enter()
        kiosk.on(s.consent)
        kiosk.focus_is(s.consent.notice)  # nothing pre-chosen: notice, people only, decline, agree
        kiosk.tab(3)
        kiosk.focus_is(s.consent.agree_button)
        kiosk.enter()

        check = s.device_check
        kiosk.on(check)
        kiosk.wait(lambda: bool(check.finding_labels), 60_000)
        assert check.stand_in_label.isVisible()
        assert DEMO_CAMERA_LABEL in check.stand_in_label.text()
        assert DEMO_MICROPHONE_LABEL in check.stand_in_label.text()
        assert not any(label.startswith("✖") for label in check.finding_labels), check.finding_labels
        assert "We can see your face." in check.finding_details, check.finding_details
        kiosk.wait(lambda: check.preview.frames_shown > 0)
        assert check.continue_button.isEnabled()
        kiosk.focus_is(check.continue_button)
        kiosk.enter()

        kiosk.question_number("Practice question")
        kiosk.wait(lambda: s.question.phase in (Phase.speaking, Phase.thinking, Phase.recording))
    finally:
        controller.shutdown()
        controller.screens.window.allow_close = True
        controller.screens.window.close()

    # the stand-in video was generated once, in the demo's data folder, and passes the face check
    [video] = (settings.data_dir / "demo-devices").glob("demo-camera-*.mp4")
    capture = cv2.VideoCapture(str(video))
    ok, picture = capture.read()
    capture.release()
    assert ok and count_faces(picture, face_cascade()) == 1


def _shown_whole(screen: StationSetupScreen, widget: QWidget) -> bool:
    """`widget` lies inside the setup screen's scrolled view and inside the window: nothing to scroll."""
    viewport = screen.scroller.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    in_view = top_left.y() >= 0 and top_left.y() + widget.height() <= viewport.height()
    window = widget.window()
    bottom = widget.mapTo(window, QPoint(0, widget.height())).y()
    return widget.isVisible() and in_view and bottom <= window.height()


def _open_setup_at_1366x768(qtbot, settings) -> tuple[KioskDriver, StationSetupScreen]:  # type: ignore[no-untyped-def]
    controller = build_kiosk(settings, locked_down=False)
    qtbot.addWidget(controller.screens.window)
    controller.start()
    controller.screens.window.resize(1366, 768)  # the smallest common laptop screen
    kiosk = KioskDriver(qtbot, controller)
    s = kiosk.screens
    kiosk.on(s.attract)
    s.window.staff_gesture.requested.emit()
    kiosk.wait(lambda: s.pin_dialog is not None and s.pin_dialog.isVisible())
    kiosk.focus_is(s.pin_dialog.pin_edit)  # type: ignore[union-attr]
    kiosk.type(DEMO_PIN)
    kiosk.enter()
    kiosk.on(s.setup)
    kiosk.wait(lambda: s.setup.camera_combo.count() > 0, 30_000)
    return kiosk, s.setup


def _close(kiosk: KioskDriver) -> None:
    kiosk.controller.shutdown()
    kiosk.screens.window.allow_close = True
    kiosk.screens.window.close()


def test_staff_setup_in_the_demo_names_and_tests_the_stand_in_camera(qtbot, demo_settings) -> None:  # type: ignore[no-untyped-def]
    settings, _ = demo_settings
    kiosk, setup = _open_setup_at_1366x768(qtbot, settings)
    try:
        assert setup.camera_combo.currentText() == DEMO_CAMERA_LABEL  # not "7 (configured)"
        assert setup.camera_combo.currentData() == NO_CAMERA  # saving keeps the configured camera
        setup.test_camera_button.click()
        kiosk.wait(lambda: setup.preview.frames_shown > 3, 30_000)
        assert setup.devices_message.text() == f"Showing {DEMO_CAMERA_LABEL} for 15 seconds."
        assert _shown_whole(setup, setup.devices_message)
        assert _shown_whole(setup, setup.preview)
    finally:
        _close(kiosk)


def test_a_failed_camera_test_says_why_where_staff_look(qtbot, demo_settings) -> None:  # type: ignore[no-untyped-def]
    settings, _ = demo_settings
    settings.demo_stand_ins = False  # a real station: no stand-in covers the missing camera
    kiosk, setup = _open_setup_at_1366x768(qtbot, settings)
    try:
        assert setup.camera_combo.currentText() == f"{NO_CAMERA} (configured; no picture from it)"
        setup.test_camera_button.click()
        kiosk.wait(lambda: "could not be opened" in setup.devices_message.text(), 30_000)
        assert setup.devices_message.objectName() == "problems"  # shown in the warning colour
        assert _shown_whole(setup, setup.devices_message)
        assert setup.preview.frames_shown == 0
    finally:
        _close(kiosk)
