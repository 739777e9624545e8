"""The shared UI pieces: background work, the event bridge, error display, styling and kiosk widgets."""

import threading

import numpy as np
import pytest

from desktop_app.errors import DeviceError
from ui.errors import UNEXPECTED_MESSAGE, ErrorDialog, explain, show_error
from ui.events import EventBridge
from ui.qt import QApplication, QObject, QWidget, Signal
from ui.style import (
    HIGH_CONTRAST_THEME,
    brand_accent,
    contrast_ratio,
    logo_pixmap,
    readable_accent,
    stylesheet,
)
from ui.tasks import pending_tasks, run_in_background
from ui.widgets.camera_preview import CameraPreview, frame_to_image
from ui.widgets.countdown import Countdown, clock_text, spoken_time
from ui.widgets.level_meter import LevelMeter


def test_background_work_runs_off_the_gui_thread_and_delivers_on_it(qtbot):
    gui_thread = threading.get_ident()
    seen: dict[str, int] = {}

    def work() -> int:
        seen["work"] = threading.get_ident()
        return 42

    results: list[int] = []

    def on_success(value: int) -> None:
        seen["delivery"] = threading.get_ident()
        results.append(value)

    run_in_background(work, on_success=on_success)
    qtbot.waitUntil(lambda: results == [42])
    assert seen["work"] != gui_thread
    assert seen["delivery"] == gui_thread
    qtbot.waitUntil(lambda: pending_tasks() == 0)


def test_background_failure_reaches_the_failure_handler_on_the_gui_thread(qtbot):
    failures: list[Exception] = []

    def work() -> None:
        raise DeviceError("The camera is unplugged.", fix="Plug it in.")

    run_in_background(
        work, on_success=lambda _: pytest.fail("no success expected"), on_failure=failures.append
    )
    qtbot.waitUntil(lambda: len(failures) == 1)
    assert isinstance(failures[0], DeviceError)


def test_nothing_is_delivered_to_an_owner_that_was_closed(qtbot):
    owner = QWidget()
    release = threading.Event()
    delivered: list[int] = []
    task = run_in_background(lambda: release.wait(5) and 1, on_success=delivered.append, owner=owner)
    owner.deleteLater()
    qtbot.wait(50)  # let deleteLater run
    release.set()
    qtbot.waitUntil(task.done.is_set)
    assert delivered == []


class _Events(EventBridge):
    changed = Signal(object)
    level = Signal(float)


def test_event_bridge_delivers_worker_thread_callbacks_on_the_gui_thread(qtbot):
    events = _Events()
    gui_thread = threading.get_ident()
    received: list[tuple[object, int]] = []
    events.changed.connect(lambda value: received.append((value, threading.get_ident())))
    callback = events.forward(events.changed)
    worker = threading.Thread(target=lambda: [callback(i) for i in range(5)])
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(received) == 5)
    assert [value for value, _ in received] == [0, 1, 2, 3, 4]
    assert {thread for _, thread in received} == {gui_thread}


def test_latest_only_forwarding_drops_stale_values_when_the_gui_is_busy(qtbot):
    events = _Events()
    received: list[float] = []
    events.level.connect(received.append)
    callback = events.forward_latest(events.level)
    worker = threading.Thread(target=lambda: [callback(float(i)) for i in range(200)])
    worker.start()
    worker.join()  # the GUI thread was busy (blocked in join): nothing delivered yet
    qtbot.waitUntil(lambda: bool(received) and received[-1] == 199.0)
    assert len(received) < 200


def test_errors_are_explained_in_sentences_never_tracebacks(qtbot):
    station = explain(DeviceError("The microphone is muted.", fix="Unmute it."))
    assert (station.message, station.fix) == ("The microphone is muted.", "Unmute it.")
    unexpected = explain(KeyError("plan"))
    assert unexpected.message == UNEXPECTED_MESSAGE
    assert "KeyError" not in unexpected.text and "Traceback" not in unexpected.text


def test_error_dialog_shows_message_and_fix_and_closes_with_the_keyboard(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = show_error(DeviceError("The camera gives no picture.", fix="Check its cable."), parent)
    assert isinstance(dialog, ErrorDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.message_label.text() == "The camera gives no picture."
    assert dialog.fix_label.text() == "Check its cable."
    assert dialog.ok_button.accessibleName()
    from ui.qt import Qt

    qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_branding_colour_is_kept_when_readable_and_darkened_when_not():
    assert readable_accent("#1d4ed8") == "#1d4ed8"
    pale = readable_accent("#ffe680")  # pale yellow: white text on it would be unreadable
    assert contrast_ratio(pale, "#ffffff") >= 4.5
    assert readable_accent("red; background: url(x)") == readable_accent(None)
    assert brand_accent({"primary": "#123456"}) == "#123456"
    assert brand_accent({"primary": "not a colour"}) is None


def test_large_text_scales_fonts_and_high_contrast_ignores_branding():
    normal = stylesheet("#1d4ed8")
    large = stylesheet("#1d4ed8", large_text=True)
    assert "font-size: 15px" in normal and "font-size: 20px" in large
    contrast = stylesheet("#1d4ed8", high_contrast=True)
    assert "#1d4ed8" not in contrast
    assert HIGH_CONTRAST_THEME["window"] in contrast
    assert "@" not in contrast.replace("@media", "")  # every token was filled in


def test_logo_falls_back_to_the_bundled_logo(qtbot, tmp_path):
    assert not logo_pixmap(None, height=64).isNull()
    assert logo_pixmap(str(tmp_path / "missing.png"), height=64).height() == 64
    assert not logo_pixmap("data:image/png;base64,!!!", height=32).isNull()


def test_camera_preview_paints_bgr_frames(qtbot):
    preview = CameraPreview()
    qtbot.addWidget(preview)
    preview.resize(320, 240)
    frame = np.zeros((120, 160, 3), dtype=np.uint8)
    frame[..., 2] = 255  # pure red in BGR
    assert frame_to_image(frame).pixelColor(5, 5).red() == 255
    preview.set_frame(frame)
    image = preview.grab().toImage()
    centre = image.pixelColor(160, 120)
    assert (centre.red(), centre.blue()) == (255, 0)
    assert preview.frames_shown == 1
    with pytest.raises(ValueError):
        frame_to_image(np.zeros((10, 10), dtype=np.uint8))


def test_level_meter_reports_zones_in_words(qtbot):
    now = [0.0]
    meter = LevelMeter(clock=lambda: now[0])
    qtbot.addWidget(meter)
    assert meter.words == "silent"
    meter.set_level(-20.0)
    assert meter.words == "good"
    assert "good" in meter.accessibleDescription()
    meter.set_level(-1.0)  # the voice over the last seconds: -20 and -1 together are too loud
    assert meter.words == "too loud"
    now[0] += 10  # what was heard long ago no longer counts
    meter.set_level(-45.0)
    assert meter.words == "quiet"
    meter.set_level(+5.0)
    assert meter.dbfs == 0.0


def test_countdown_shows_time_left_for_eyes_and_screen_readers(qtbot):
    countdown = Countdown("Time left to answer")
    qtbot.addWidget(countdown)
    countdown.set_remaining(75.2, 120)
    assert countdown.text == "1:16"
    assert countdown.accessibleDescription() == "1 minute 16 seconds left"
    assert 600 < countdown.bar.value() < 650
    assert clock_text(-3) == "0:00"
    assert spoken_time(1) == "1 second"


def test_qt_door_exports_only_names_that_exist():
    import ui.qt

    missing = [name for name in ui.qt.__all__ if not hasattr(ui.qt, name)]
    assert missing == []
    assert isinstance(QApplication.instance(), QApplication)
    assert issubclass(EventBridge, QObject)
