"""Idle timeout: when a candidate walks away, warn with a visible countdown, then clear the screen.

Armed only while a screen waits for the candidate and shows something about them; never while a
question is spoken, the candidate thinks or records (they may not touch anything for minutes then).
"""

from ui.kiosk.parts import KioskButton, button_row, text_label
from ui.qt import QApplication, QEvent, QFrame, QObject, Qt, QTimer, QVBoxLayout, QWidget, Signal
from ui.widgets.countdown import spoken_time

IDLE_SECONDS = 90
WARNING_SECONDS = 30
_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleGuard(QObject):
    """Watches the whole application's input; says when to warn and when time is up."""

    warning_started = Signal()
    warning_tick = Signal(int)  # seconds left
    warning_cancelled = Signal()
    timed_out = Signal()

    def __init__(self, *, idle_seconds: float = IDLE_SECONDS, warning_seconds: int = WARNING_SECONDS) -> None:
        super().__init__()
        self.idle_seconds = idle_seconds
        self.warning_seconds = warning_seconds
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.timeout.connect(self._start_warning)
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(1000)
        self._tick_timer.timeout.connect(self._tick)
        self._left = 0
        self.armed = False
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def warning(self) -> bool:
        return self._tick_timer.isActive()

    def set_armed(self, armed: bool) -> None:
        self.armed = armed
        self._stop_warning(announce=True)
        if armed:
            self._idle_timer.start(round(self.idle_seconds * 1000))
        else:
            self._idle_timer.stop()

    def poke(self) -> None:
        """The candidate did something: they are here."""
        if not self.armed:
            return
        self._stop_warning(announce=True)
        self._idle_timer.start(round(self.idle_seconds * 1000))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.armed and event.type() in _INPUT_EVENTS:
            self.poke()
        return False

    def _start_warning(self) -> None:
        self._left = self.warning_seconds
        self._tick_timer.start()
        self.warning_started.emit()
        self.warning_tick.emit(self._left)

    def _tick(self) -> None:
        self._left -= 1
        if self._left > 0:
            self.warning_tick.emit(self._left)
            return
        self._tick_timer.stop()
        self.armed = False
        self.timed_out.emit()

    def _stop_warning(self, *, announce: bool) -> None:
        if self._tick_timer.isActive():
            self._tick_timer.stop()
            if announce:
                self.warning_cancelled.emit()

    def shutdown(self) -> None:
        self.set_armed(False)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class IdleWarning(QFrame):
    """The visible warning, laid over the screen."""

    stay_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("idleWarning")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 36, 48, 36)
        layout.setSpacing(16)
        layout.addWidget(text_label("Are you still there?", role="kioskTitle", centre=True))
        self.countdown_label = text_label("", role="kioskLead", centre=True)
        layout.addWidget(self.countdown_label)
        layout.addWidget(
            text_label("Press any key or touch the screen to continue.", role="hint", centre=True)
        )
        self.stay_button = KioskButton("I'm still here", accessible_name="I am still here; continue")
        self.stay_button.clicked.connect(self.stay_requested)
        layout.addLayout(button_row(self.stay_button, centre=True))
        self.setAccessibleName("Are you still there?")
        self.hide()

    def show_left(self, seconds: int) -> None:
        self.countdown_label.setText(
            f"For your privacy, this interview closes in {spoken_time(seconds)} and the screen is cleared."
        )
        self.setAccessibleDescription(self.countdown_label.text())
        self.reposition()
        if not self.isVisible():
            self.show()
            self.raise_()
            self.stay_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def reposition(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            width = max(400, min(1100, parent.width() - 80))
            self.setFixedWidth(width)
            self.adjustSize()
            self.move((parent.width() - width) // 2, (parent.height() - self.height()) // 2)
