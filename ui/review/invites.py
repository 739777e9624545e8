"""Invite a candidate: expiry and accommodations, then the access code, shown once, to copy or print."""

from desktop_app.desk.api import DeskApi
from sync_server.contract import Accommodations, CandidateOut, InviteCreate, InviteCreated
from ui.errors import explain
from ui.qt import (
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGuiApplication,
    QHBoxLayout,
    QLabel,
    QPrintDialog,
    QPrinter,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    Qt,
    QTextDocument,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.tasks import run_in_background
from ui.widgets.dialog_parts import cancel_confirm_row, inline_error_label


def access_code_sheet(candidate_name: str, code: str, expires: str) -> str:
    """The printable slip handed to the candidate (HTML for QTextDocument)."""
    from html import escape

    return (
        "<h2>Your interview</h2>"
        f"<p>Hello {escape(candidate_name)},</p>"
        "<p>At the interview station, type this access code:</p>"
        f"<p style='font-size:28pt; font-family:monospace; letter-spacing:4px'><b>{escape(code)}</b></p>"
        f"<p>The code works once and until {escape(expires)}.</p>"
    )


class InviteDialog(QDialog):
    invited = Signal(object)  # InviteCreated

    def __init__(self, api: DeskApi, candidate: CandidateOut, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.candidate = candidate
        self.created: InviteCreated | None = None
        self.setWindowTitle(f"Invite {candidate.full_name}")
        self.setObjectName("inviteDialog")
        self.setMinimumWidth(560)
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.addWidget(self.stack)

        # Step 1: the invitation
        ask = QWidget()
        layout = QVBoxLayout(ask)
        intro = QLabel(f"Invite {candidate.full_name} to a one-way video interview.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.expires_hours = QSpinBox()
        self.expires_hours.setRange(1, 24 * 60)
        self.expires_hours.setValue(72)
        self.expires_hours.setSuffix(" hours")
        self.time_multiplier = QDoubleSpinBox()
        self.time_multiplier.setRange(1.0, 4.0)
        self.time_multiplier.setSingleStep(0.25)
        self.time_multiplier.setValue(1.0)
        self.time_multiplier.setSuffix(" × time")
        self.extra_attempts = QSpinBox()
        self.extra_attempts.setRange(0, 5)
        self.large_text = QCheckBox("Large text on the station")
        form.addRow("Code valid for", self.expires_hours)
        form.addRow("More time", self.time_multiplier)
        form.addRow("Extra attempts", self.extra_attempts)
        form.addRow("", self.large_text)
        layout.addLayout(form)
        self.error_label = inline_error_label()
        layout.addWidget(self.error_label)
        buttons, self.invite_button = cancel_confirm_row(self, "Create invite")
        layout.addLayout(buttons)
        self.stack.addWidget(ask)
        self.invite_button.clicked.connect(self.submit)

        # Step 2: the code, once
        show = QWidget()
        code_layout = QVBoxLayout(show)
        self.code_intro = QLabel("")
        self.code_intro.setWordWrap(True)
        self.code_label = QLabel("")
        self.code_label.setObjectName("accessCode")
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        warning = QLabel("This code is shown only now. Copy or print it before you close this window.")
        warning.setObjectName("warning")
        warning.setWordWrap(True)
        code_layout.addWidget(self.code_intro)
        code_layout.addWidget(self.code_label)
        code_layout.addWidget(warning)
        self.copied_label = QLabel("")
        self.copied_label.setObjectName("muted")
        code_layout.addWidget(self.copied_label)
        row = QHBoxLayout()
        self.copy_button = QPushButton("Copy code")
        self.copy_button.setObjectName("secondary")
        self.print_button = QPushButton("Print…")
        self.print_button.setObjectName("secondary")
        self.done_button = QPushButton("Done")
        row.addWidget(self.copy_button)
        row.addWidget(self.print_button)
        row.addStretch(1)
        row.addWidget(self.done_button)
        code_layout.addLayout(row)
        self.stack.addWidget(show)
        self.copy_button.clicked.connect(self.copy_code)
        self.print_button.clicked.connect(self.print_code)
        self.done_button.clicked.connect(self.accept)

    def accommodations(self) -> Accommodations:
        return Accommodations(
            time_multiplier=self.time_multiplier.value(),
            extra_attempts=self.extra_attempts.value(),
            large_text=self.large_text.isChecked(),
        )

    def submit(self) -> None:
        request = InviteCreate(
            candidate_id=self.candidate.id,
            expires_in_hours=self.expires_hours.value(),
            accommodations=self.accommodations(),
        )
        self.invite_button.setEnabled(False)
        self.error_label.setText("")
        run_in_background(
            lambda: self.api.invite(request), on_success=self._created, on_failure=self._failed, owner=self
        )

    def _created(self, created: InviteCreated) -> None:
        self.created = created
        self.code_intro.setText(
            f"{self.candidate.full_name} types this code at an interview station. "
            f"It works once, until {created.expires_at:%Y-%m-%d %H:%M} UTC."
        )
        self.code_label.setText(created.access_code)
        self.stack.setCurrentIndex(1)
        self.done_button.setFocus()
        self.invited.emit(created)

    def _failed(self, error: Exception) -> None:
        self.invite_button.setEnabled(True)
        self.error_label.setText(explain(error).text)

    def copy_code(self) -> None:
        if self.created is not None:
            QGuiApplication.clipboard().setText(self.created.access_code)
            self.copied_label.setText("Copied to the clipboard.")

    def sheet(self) -> QTextDocument:
        document = QTextDocument()
        if self.created is not None:
            document.setHtml(
                access_code_sheet(
                    self.candidate.full_name,
                    self.created.access_code,
                    f"{self.created.expires_at:%Y-%m-%d %H:%M} UTC",
                )
            )
        return document

    def print_code(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.sheet().print_(printer)
