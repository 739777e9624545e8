"""`interview-station review` / `admin`: the desk window on its own Qt application."""

import sys

from desktop_app.config import load_settings
from desktop_app.errors import StationError
from ui.binding_check import check_qt_binding
from ui.qt import QApplication
from ui.review.window import DeskWindow
from ui.style import stylesheet
from ui.tasks import install_main_thread_relay


def run_desk(*, mode: str, server_url: str | None, email: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Interview Station")
    app.setStyleSheet(stylesheet())
    install_main_thread_relay()
    try:
        check_qt_binding()
        settings = load_settings()
    except StationError as exc:
        sys.stderr.write(f"Error: {exc}\n")
        return 2
    window = DeskWindow(mode=mode, server_url=server_url or settings.server_url or "", email=email or "")
    window.show()
    return app.exec()
