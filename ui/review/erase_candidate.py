"""Erase a candidate (right to erasure): says what goes, asks why, and erases on the server."""

from desktop_app.desk.api import DeskApi
from sync_server.contract import CandidateErased, CandidateOut
from ui.errors import explain
from ui.qt import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget, Signal
from ui.tasks import run_in_background
from ui.widgets.dialog_parts import cancel_confirm_row, inline_error_label

MIN_REASON_LENGTH = 3


class EraseCandidateDialog(QDialog):
    erased = Signal(str)  # candidate id

    def __init__(self, api: DeskApi, candidate: CandidateOut, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.candidate = candidate
        self.result_: CandidateErased | None = None
        self.setWindowTitle(f"Erase {candidate.full_name}")
        self.setObjectName("eraseCandidateDialog")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        question = QLabel(f"Erase {candidate.full_name} for good? This cannot be undone.")
        question.setObjectName("sectionTitle")
        question.setWordWrap(True)
        explanation = QLabel(
            "Their recorded answers, transcripts, CV, AI scores and reviews are deleted, their name and "
            "email are removed, and unused access codes stop working. The audit log keeps that they "
            "were erased, by whom, and why."
        )
        explanation.setWordWrap(True)
        explanation.setMinimumHeight(explanation.heightForWidth(480))
        layout.addWidget(question)
        layout.addWidget(explanation)
        layout.addWidget(QLabel("Why? (kept in the audit log)"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. The candidate asked for their data to be deleted")
        self.reason.setMaxLength(500)
        self.reason.setAccessibleName("Reason for erasing")
        layout.addWidget(self.reason)
        self.error_label = inline_error_label()
        layout.addWidget(self.error_label)
        buttons, self.erase_button = cancel_confirm_row(self, "Erase candidate")
        self.erase_button.setObjectName("danger")
        layout.addLayout(buttons)
        self.erase_button.clicked.connect(self.submit)
        self.reason.returnPressed.connect(self.submit)

    def submit(self) -> None:
        reason = " ".join(self.reason.text().split())
        if len(reason) < MIN_REASON_LENGTH:
            self.error_label.setText("Type why this candidate's data is erased.")
            self.reason.setFocus()
            return
        self.erase_button.setEnabled(False)
        self.erase_button.setText("Erasing…")
        self.error_label.setText("")
        candidate_id = self.candidate.id
        run_in_background(
            lambda: self.api.erase_candidate(candidate_id, reason),
            on_success=self._erased,
            on_failure=self._failed,
            owner=self,
        )

    def _erased(self, result: CandidateErased) -> None:
        self.result_ = result
        self.erased.emit(result.candidate_id)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.erase_button.setEnabled(True)
        self.erase_button.setText("Erase candidate")
        self.error_label.setText(explain(error).text)
