"""The kiosk window: full screen, frameless, no close; a stack of screens under a branded header."""

import logging

from ui.kiosk.idle import IdleWarning
from ui.kiosk.parts import KioskScreen, text_label
from ui.kiosk.staff import StaffGesture
from ui.kiosk.sync_status import SyncStatusLabel
from ui.qt import (
    QCloseEvent,
    QGuiApplication,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QMainWindow,
    QResizeEvent,
    QSize,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.style import logo_pixmap

log = logging.getLogger(__name__)


class KioskWindow(QMainWindow):
    """Shows one screen at a time. Refuses to close unless staff unlocked it (`allow_close`)."""

    def __init__(self, *, locked_down: bool = True) -> None:
        super().__init__()
        self.setWindowTitle("Interview Station")
        self.locked_down = locked_down
        if locked_down:
            self.setWindowFlags(
                Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
            )
        central = QWidget()
        central.setObjectName("kiosk")
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        header = QHBoxLayout()
        header.setContentsMargins(40, 20, 40, 0)
        header.setSpacing(16)
        self.logo = QLabel()
        self.logo.setAccessibleName("Organization logo")
        self.org_label = text_label("", role="orgName", wrap=False)
        header.addWidget(self.logo)
        header.addWidget(self.org_label)
        header.addStretch(1)
        outer.addLayout(header)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, stretch=1)
        footer = QHBoxLayout()
        footer.setContentsMargins(40, 0, 40, 14)
        footer.addStretch(1)
        self.sync_status = SyncStatusLabel()
        footer.addWidget(self.sync_status)
        outer.addLayout(footer)
        self.setCentralWidget(central)
        self.idle_warning = IdleWarning(central)
        self.staff_gesture = StaffGesture(self)
        self.allow_close = not locked_down
        self._logged_screen: KioskScreen | None = None
        self.set_branding("Interview Station", None)

    def set_branding(self, organization_name: str, logo_url: str | None) -> None:
        self.logo.setPixmap(logo_pixmap(logo_url, height=48))
        self.org_label.setText(organization_name)

    def add_screen(self, screen: KioskScreen) -> KioskScreen:
        self.stack.addWidget(screen)
        return screen

    def show_screen(self, screen: KioskScreen) -> None:
        self.idle_warning.hide()
        # compared with the last screen logged, not the stack's current one: the stack starts on the
        # first screen added, and the start screen must be announced like every other
        if screen is not self._logged_screen:
            self._logged_screen = screen
            log.info("kiosk screen: %s", type(screen).__name__)
        self.stack.setCurrentWidget(screen)
        if self.isVisible() and not self.isActiveWindow():
            self.activateWindow()  # a kiosk is always the active window: keys must reach the screen
        screen.focus_first()

    @property
    def current_screen(self) -> KioskScreen:
        screen = self.stack.currentWidget()
        assert isinstance(screen, KioskScreen)
        return screen

    def enter_kiosk_mode(self) -> None:
        if self.locked_down:
            screen = self.screen() or QGuiApplication.primaryScreen()
            if screen is not None:  # without a window manager (a bare X server) nobody resizes us
                self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:  # a window for setup or the demo: never larger than the screen (1366x768 laptops)
            screen = self.screen() or QGuiApplication.primaryScreen()
            available = screen.availableGeometry().size() if screen is not None else QSize(1600, 900)
            self.resize(QSize(1600, 900).boundedTo(available))
            self.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.allow_close:
            self.staff_gesture.shutdown()
            event.accept()
        else:  # Alt+F4 and friends: a candidate cannot close the station
            event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.locked_down:
            event.accept()  # Escape never leaves kiosk mode
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.idle_warning.isVisible():
            self.idle_warning.reposition()
