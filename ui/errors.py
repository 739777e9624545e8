"""The one place that turns an error into words for a person, and the one dialog that shows it.

A StationError already carries a sentence and a fix. Anything else is a bug: the person sees a calm
sentence and who can help, the traceback goes to the log, never to the screen.
"""

import logging
from dataclasses import dataclass

from desktop_app.errors import StationError
from ui.qt import QDialog, QHBoxLayout, QLabel, QPushButton, Qt, QVBoxLayout, QWidget

log = logging.getLogger(__name__)

UNEXPECTED_MESSAGE = "Something unexpected went wrong."
UNEXPECTED_FIX = "Please try again. If it happens again, ask a member of staff for help."


@dataclass(frozen=True)
class Explanation:
    message: str
    fix: str | None

    @property
    def text(self) -> str:
        return f"{self.message} {self.fix}" if self.fix else self.message


def explain(error: BaseException) -> Explanation:
    """What happened and what to do, in plain words; unexpected errors are logged with their traceback."""
    if isinstance(error, StationError):
        return Explanation(error.message, error.fix)
    log.error("unexpected error shown to the user as a generic sentence", exc_info=error)
    return Explanation(UNEXPECTED_MESSAGE, UNEXPECTED_FIX)


class ErrorDialog(QDialog):
    """A modal message: the sentence, the fix, one button. Keyboard: Enter or Escape closes it."""

    def __init__(self, explanation: Explanation, *, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(12)
        self.message_label = QLabel(explanation.message)
        self.message_label.setObjectName("errorMessage")
        self.message_label.setWordWrap(True)
        layout.addWidget(self.message_label)
        self.fix_label = QLabel(explanation.fix or "")
        self.fix_label.setObjectName("errorFix")
        self.fix_label.setWordWrap(True)
        self.fix_label.setVisible(bool(explanation.fix))
        layout.addWidget(self.fix_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.ok_button = QPushButton("OK")
        self.ok_button.setAccessibleName("Close this message")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.accept)
        buttons.addWidget(self.ok_button)
        layout.addLayout(buttons)
        self.setAccessibleName(title)
        self.setAccessibleDescription(explanation.text)
        self.ok_button.setFocus(Qt.FocusReason.OtherFocusReason)


def show_error(error: BaseException, parent: QWidget | None = None, *, title: str = "Problem") -> ErrorDialog:
    """Show any error as a sentence and a fix (never a traceback). Returns the open, non-blocking dialog."""
    dialog = ErrorDialog(explain(error), title=title, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
