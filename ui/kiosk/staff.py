"""Staff access: a hidden gesture (a key chord, or a touch or click in each corner in turn) and then the PIN."""

import time

from desktop_app.staff_pin import PinCheck, StaffPinGuard
from ui.errors import explain
from ui.kiosk.parts import KioskButton, button_row, text_label
from ui.qt import (
    QApplication,
    QDialog,
    QEvent,
    QKeySequence,
    QLineEdit,
    QMouseEvent,
    QObject,
    QShortcut,
    Qt,
    QTouchEvent,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.tasks import run_in_background

STAFF_CHORD = "Ctrl+Alt+Shift+S"
CORNER_SIZE = 90  # pixels from each corner that count as "in the corner"
CORNER_SEQUENCE = ("top-left", "top-right", "bottom-right", "bottom-left")
CORNER_WINDOW_SECONDS = 6.0


def corner_of(x: int, y: int, width: int, height: int) -> str | None:
    horizontal = "left" if x < CORNER_SIZE else "right" if x >= width - CORNER_SIZE else None
    vertical = "top" if y < CORNER_SIZE else "bottom" if y >= height - CORNER_SIZE else None
    return f"{vertical}-{horizontal}" if horizontal and vertical else None


def press_position(event: QEvent) -> tuple[int, int] | None:
    """Where a finger or the mouse went down, in the receiver's coordinates; None for other events.

    A touch screen sends TouchBegin and then Qt's own mouse press made from it: only the touch counts,
    so one tap is one corner. A mouse press the system made from a touch (no touch events) counts.
    """
    if event.type() == QEvent.Type.TouchBegin and isinstance(event, QTouchEvent) and event.points():
        point = event.points()[0].position()
        return int(point.x()), int(point.y())
    if (
        event.type() == QEvent.Type.MouseButtonPress
        and isinstance(event, QMouseEvent)
        and event.source() is not Qt.MouseEventSource.MouseEventSynthesizedByQt
    ):
        return int(event.position().x()), int(event.position().y())
    return None


class StaffGesture(QObject):
    """Emits `requested` on Ctrl+Alt+Shift+S, or a touch or click in the four corners clockwise from
    top left."""

    requested = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._corners: list[tuple[str, float]] = []
        shortcut = QShortcut(QKeySequence(STAFF_CHORD), window)
        shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(self.requested)
        self.shortcut = shortcut
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Only at the window's QWindow: a press reaches it once, then Qt hands it to the widget under it
        # and to each parent that ignores it; counting those too made one click three corners.
        if watched is self._window.windowHandle():
            position = press_position(event)
            if position is not None:
                width, height = self._window.width(), self._window.height()
                self.corner_clicked(corner_of(*position, width, height))
        return False

    def corner_clicked(self, corner: str | None) -> None:
        now = time.monotonic()
        self._corners = [(c, t) for c, t in self._corners if now - t <= CORNER_WINDOW_SECONDS]
        if corner is None:
            self._corners = []
            return
        if corner == CORNER_SEQUENCE[len(self._corners)]:
            self._corners.append((corner, now))
        else:  # out of order: a click in the first corner starts over, anything else forgets
            self._corners = [(corner, now)] if corner == CORNER_SEQUENCE[0] else []
        if len(self._corners) == len(CORNER_SEQUENCE):
            self._corners = []
            self.requested.emit()

    def shutdown(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class PinDialog(QDialog):
    """Asks for the staff PIN; checks it off the GUI thread; `accepted` only for the right PIN."""

    def __init__(self, guard: StaffPinGuard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffDialog")
        self.setWindowTitle("Staff only")
        self.setModal(True)
        self.setMinimumWidth(520)
        self._guard = guard
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 24)
        layout.setSpacing(14)
        layout.addWidget(text_label("Staff only", role="title"))
        layout.addWidget(text_label("Enter the staff PIN to leave the interview screen."))
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setMaxLength(12)
        self.pin_edit.setAccessibleName("Staff PIN")
        self.pin_edit.returnPressed.connect(self._check)
        layout.addWidget(self.pin_edit)
        self.message_label = text_label("", role="errorMessage")
        layout.addWidget(self.message_label)
        self.cancel_button = KioskButton(
            "Cancel", secondary=True, accessible_name="Cancel; back to the interview"
        )
        self.cancel_button.clicked.connect(self.reject)
        self.ok_button = KioskButton("Unlock", accessible_name="Check the PIN")
        self.ok_button.clicked.connect(self._check)
        layout.addLayout(button_row(self.ok_button, self.cancel_button))
        self.last_check: PinCheck | None = None
        if not guard.is_set:
            self.pin_edit.setEnabled(False)
            self.ok_button.setEnabled(False)
            self.message_label.setText(
                "No staff PIN is set on this station. Set one with: interview-station set-pin"
            )
        self.pin_edit.setFocus()

    def _check(self) -> None:
        pin = self.pin_edit.text()
        if not pin or not self.ok_button.isEnabled():
            return
        self.ok_button.setEnabled(False)
        self.pin_edit.setReadOnly(True)
        run_in_background(
            lambda: self._guard.check(pin), on_success=self._checked, on_failure=self._failed, owner=self
        )

    def _checked(self, check: PinCheck) -> None:
        self.last_check = check
        if check.accepted:
            self.accept()
            return
        self.pin_edit.setReadOnly(False)
        self.pin_edit.clear()
        self.pin_edit.setFocus()
        self.ok_button.setEnabled(True)
        self.message_label.setText(check.message)

    def _failed(self, error: Exception) -> None:
        self.pin_edit.setReadOnly(False)
        self.ok_button.setEnabled(True)
        self.message_label.setText(explain(error).text)
