"""Small building blocks every kiosk screen uses: buttons that Enter activates, labels, the screen base."""

from ui.qt import (
    QApplication,
    QEvent,
    QFrame,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QObject,
    QPushButton,
    QScrollArea,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    is_alive,
)


class KioskButton(QPushButton):
    """A big button with an accessible name; Enter and Return press it, as people expect."""

    def __init__(self, text: str, *, accessible_name: str | None = None, secondary: bool = False) -> None:
        super().__init__(text)
        self.setAccessibleName(accessible_name or text.replace("&", ""))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        if secondary:
            self.setObjectName("secondary")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.isEnabled():
            self.animateClick()
            return
        super().keyPressEvent(event)


class OnOffButton(KioskButton):
    """A setting the candidate switches: it says whether it is on, in its text, look and accessible name.

    The state is shown from `checkStateSet`/`nextCheckState`, not from `toggled`, so a reset with
    signals blocked still shows the truth.
    """

    def __init__(self, text: str, *, accessible_name: str) -> None:
        super().__init__(text, accessible_name=accessible_name, secondary=True)
        self.setObjectName("onOff")
        self._label = text
        self._spoken = accessible_name
        self.setCheckable(True)
        self._show_state()

    def checkStateSet(self) -> None:
        super().checkStateSet()
        self._show_state()

    def nextCheckState(self) -> None:
        super().nextCheckState()
        self._show_state()

    def _show_state(self) -> None:
        on = self.isChecked()
        self.setText(f"✔ {self._label}: on" if on else f"{self._label}: off")
        self.setAccessibleName(f"{self._spoken}: {'on' if on else 'off'}")


def text_label(text: str = "", *, role: str | None = None, wrap: bool = True, centre: bool = False) -> QLabel:
    label = QLabel(text)
    if role:
        label.setObjectName(role)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)  # plan text from a server is shown, never interpreted
    if centre:
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def button_row(*buttons: QWidget, centre: bool = False) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(24)
    if centre:
        row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


class _PageBody(QWidget):
    """A page that asks its scroll area for the least height its content needs at a width.

    A scroll area sizes its page by the page's preferred height; a camera picture that would like
    360 px then makes a 768 px screen scroll although it can shrink. With the least height, the page
    fills the screen when it fits (stretches still share out the room) and scrolls only when even
    the least does not fit.
    """

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        return (
            layout.totalMinimumHeightForWidth(width) if layout is not None else super().heightForWidth(width)
        )


class KioskScreen(QWidget):
    """One page of the flow. It shows what it is told and says what the candidate chose, nothing more."""

    title_text = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # Larger text on a 1366x768 screen needs more height than there is: the page scrolls rather
        # than pushing its last buttons off the screen, and follows the keyboard focus.
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("screenScroll")
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        body = _PageBody()
        body.setObjectName("screenBody")
        self.page = QVBoxLayout(body)
        self.page.setContentsMargins(100, 20, 100, 20)
        self.page.setSpacing(16)
        self.scroll_area.setWidget(body)
        self._body = body
        outer.addWidget(self.scroll_area)
        # The page grows after the focus moved (findings, an error line arrive in the same call):
        # follow the focus when it moves and again whenever the page changes size.
        body.installEventFilter(self)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self._body.isAncestorOf(new):
            QTimer.singleShot(0, self._keep_focus_in_view)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._body and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self._keep_focus_in_view)
        return False

    def _keep_focus_in_view(self) -> None:
        focused = QApplication.focusWidget()
        if focused is not None and is_alive(self._body) and self._body.isAncestorOf(focused):
            self.scroll_area.ensureWidgetVisible(focused, 16, 16)

    def focus_first(self) -> None:
        """Where keyboard focus goes when the screen appears."""
        first = self.nextInFocusChain()
        if first is not None and first is not self:
            first.setFocus(Qt.FocusReason.TabFocusReason)

    def candidate_data_shown(self) -> bool:
        """Whether this screen shows anything about a candidate (the idle timeout then clears it)."""
        return True
