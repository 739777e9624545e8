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
from ui.demo_station import prepare_demo_station, use_demo_station
from ui.kiosk.app import build_kiosk

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
        kiosk.focus_is(s.consent.agree_button)
        kiosk.enter()

        check = s.device_check
        kiosk.on(check)
        kiosk.wait(lambda: bool(check.finding_labels), 60_000)
        assert check.stand_in_label.isVisible()
        assert DEMO_CAMERA_LABEL in check.stand_in_label.text()
        assert DEMO_MICROPHONE_LABEL in check.stand_in_label.text()
        assert not any(label.startswith("✖") for label in check.finding_labels), check.finding_labels
        assert any("We can see your face" in label for label in check.finding_labels), check.finding_labels
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
