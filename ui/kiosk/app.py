"""`interview-station kiosk`: the full-screen candidate station."""

import logging
import signal
import sys

from desktop_app.config import StationSettings, load_settings
from desktop_app.errors import StationError
from desktop_app.session.kiosk_run import KioskInterviews
from desktop_app.session.station import StationConnection
from desktop_app.staff_pin import StaffPinGuard
from desktop_app.store.database import open_station_db
from ui.binding_check import check_qt_binding
from ui.kiosk.controller import KioskController
from ui.kiosk.log_setup import configure_kiosk_logging
from ui.kiosk.screens import KioskScreens
from ui.qt import QApplication, QTimer
from ui.tasks import install_main_thread_relay

log = logging.getLogger(__name__)


def build_kiosk(settings: StationSettings, *, locked_down: bool = True) -> KioskController:
    """The kiosk's window, screens, engine connection and flow, ready to `start()`."""
    install_main_thread_relay()
    station = StationConnection(settings)
    pin_guard = StaffPinGuard(open_station_db(settings.station_db_path), settings.staff_pin_hash)
    screens = KioskScreens(locked_down=locked_down, pin_guard=pin_guard)
    interviews = KioskInterviews(station)
    return KioskController(
        screens,
        station,
        make_runner=interviews.new_interview,
        find_interrupted=interviews.interrupted_interview,
    )


def run_kiosk(*, windowed: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Interview Station")
    try:
        check_qt_binding()
        settings = load_settings()
        configure_kiosk_logging(settings.data_dir)
        controller = build_kiosk(settings, locked_down=not windowed)
    except StationError as exc:
        sys.stderr.write(f"Error: {exc.message}\n")
        if exc.fix:
            sys.stderr.write(f"Fix: {exc.fix}\n")
        return 2
    # Ctrl+C (or SIGTERM) from the terminal: a windowed kiosk quits; a locked-down one asks for the PIN
    if windowed:
        signal.signal(signal.SIGINT, lambda *_: app.quit())
    else:
        signal.signal(signal.SIGINT, lambda *_: controller.screens.window.staff_gesture.requested.emit())
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    heartbeat = QTimer()
    heartbeat.start(500)  # lets Python run signal handlers while Qt's loop waits
    heartbeat.timeout.connect(lambda: None)
    controller.start()
    try:
        return app.exec()
    finally:
        controller.shutdown()
