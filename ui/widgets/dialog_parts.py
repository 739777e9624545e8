"""Pieces every desk form dialog shares: the inline error line and the Cancel / confirm row."""

from ui.qt import QDialog, QHBoxLayout, QLabel, QPushButton


def inline_error_label() -> QLabel:
    """An empty, wrapping label styled as an inline error; forms set its text on failure."""
    label = QLabel("")
    label.setObjectName("inlineError")
    label.setWordWrap(True)
    return label


def cancel_confirm_row(dialog: QDialog, confirm_text: str) -> tuple[QHBoxLayout, QPushButton]:
    """Right-aligned Cancel (rejects the dialog) and confirm buttons; returns the row and the confirm button."""
    row = QHBoxLayout()
    row.addStretch(1)
    cancel = QPushButton("Cancel")
    cancel.setObjectName("secondary")
    confirm = QPushButton(confirm_text)
    row.addWidget(cancel)
    row.addWidget(confirm)
    cancel.clicked.connect(dialog.reject)
    return row, confirm
