"""The shared UI pieces: background work, the event bridge, error display, styling and kiosk widgets."""

import sys
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


def test_the_thread_guard_fails_loudly_off_the_gui_thread(qtbot):
    from ui import tasks

    outcome: list[BaseException] = []

    def off_thread() -> None:
        try:
            tasks.assert_gui_thread("a widget update")
        except tasks.WrongThread as exc:
            outcome.append(exc)

    worker = threading.Thread(target=off_thread, name="not-the-gui")
    worker.start()
    worker.join()
    assert len(outcome) == 1 and "not-the-gui" in str(outcome[0])
    assert tasks.thread_violations[-1].startswith("a widget update ran on thread 'not-the-gui'")
    tasks.thread_violations.pop()  # seen and checked here; the autouse guard would fail the test
    tasks.assert_gui_thread("on the GUI thread")  # no error


def test_guarded_widget_updates_refuse_worker_threads(qtbot):
    from ui import tasks

    meter = LevelMeter()
    qtbot.addWidget(meter)
    failures: list[BaseException] = []
    worker = threading.Thread(target=lambda: _capture(lambda: meter.set_level(-20.0, -10.0), failures))
    worker.start()
    worker.join()
    assert failures and isinstance(failures[0], tasks.WrongThread)
    tasks.thread_violations.clear()


def _capture(call, into: list[BaseException]) -> None:  # type: ignore[no-untyped-def]
    try:
        call()
    except BaseException as exc:
        into.append(exc)


def test_no_qt_object_is_emitted_from_worker_threads_under_load(qtbot):
    """Four threads hand 20,000 results over through the bridge; every one arrives, on the GUI thread."""
    events = _Events()
    gui_thread = threading.get_ident()
    threads_seen: set[int] = set()
    count = [0]

    def on_change(_value: object) -> None:
        threads_seen.add(threading.get_ident())
        count[0] += 1

    events.changed.connect(on_change)
    forward = events.forward(events.changed)
    workers = [
        threading.Thread(target=lambda: [forward(lambda: None) for _ in range(5000)]) for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    qtbot.waitUntil(lambda: count[0] == 20_000, timeout=30_000)
    assert threads_seen == {gui_thread}


def test_this_pyside6_does_not_leak_references_on_emit():
    """PySide6 6.12.0 dropped a reference to True per Signal.emit(): the kiosk died within minutes (issue 11)."""
    from ui.binding_check import signal_emit_leaks_references

    assert not signal_emit_leaks_references()
    before = sys.getrefcount(True)
    events = _Events()
    for _ in range(1000):
        events.level.emit(1.0)
    assert sys.getrefcount(True) >= before - 5


def test_a_leaking_binding_stops_the_station_with_one_sentence(monkeypatch):
    from desktop_app.errors import StationError
    from ui import binding_check

    monkeypatch.setattr(binding_check, "signal_emit_leaks_references", lambda: True)
    with pytest.raises(StationError) as raised:
        binding_check.check_qt_binding((3, 11))
    assert "crashes the station" in raised.value.message and "6.11.3" in (raised.value.fix or "")
