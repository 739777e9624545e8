"""The reviewer's say on one answer: rating 1-5, comment, override of the AI score with a reason, decision."""

from desktop_app.desk.errors import DeskError
from desktop_app.desk.views import Decision, ReviewDraft
from ui.qt import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    Signal,
)


class ReviewForm(QFrame):
    save_requested = Signal(object)  # a checked ReviewDraft

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        form = QFormLayout()
        layout.addLayout(form)

        self.rating_group = QButtonGroup(self)
        rating_row = QHBoxLayout()
        for value in range(1, 6):
            button = QRadioButton(str(value))
            button.setAccessibleName(f"Rate {value} of 5")
            self.rating_group.addButton(button, value)
            rating_row.addWidget(button)
        rating_row.addStretch(1)
        form.addRow("Your rating", rating_row)

        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText("What stood out in this answer")
        self.comment.setFixedHeight(64)
        form.addRow("Comment", self.comment)

        self.override = QCheckBox("Override the AI score")
        self.override_score = QDoubleSpinBox()
        self.override_score.setRange(1.0, 5.0)
        self.override_score.setSingleStep(0.5)
        self.override_score.setValue(3.0)
        self.override_reason = QLineEdit()
        self.override_reason.setPlaceholderText("Why your score differs (required)")
        override_row = QHBoxLayout()
        override_row.addWidget(self.override)
        override_row.addWidget(self.override_score)
        form.addRow("", override_row)
        form.addRow("Reason", self.override_reason)
        self.override.toggled.connect(self._sync_override)

        self.decision = QComboBox()
        self.decision.addItem("No decision yet", None)
        self.decision.addItem("Shortlist", Decision.shortlist)
        self.decision.addItem("Reject", Decision.reject)
        self.decision_note = QLineEdit()
        self.decision_note.setPlaceholderText("A note for the decision")
        form.addRow("Decision", self.decision)
        form.addRow("Note", self.decision_note)

        self.error_label = QLabel("")
        self.error_label.setObjectName("inlineError")
        self.error_label.setWordWrap(True)
        self.saved_label = QLabel("")
        self.saved_label.setObjectName("muted")
        self.save_button = QPushButton("Save review")
        buttons = QHBoxLayout()
        buttons.addWidget(self.error_label, 1)
        buttons.addWidget(self.saved_label)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.submit)
        self._sync_override(False)

    def _sync_override(self, on: bool) -> None:
        self.override_score.setEnabled(on)
        self.override_reason.setEnabled(on)

    def draft(self) -> ReviewDraft:
        rating = self.rating_group.checkedId()
        return ReviewDraft(
            rating=rating if rating > 0 else None,
            comment=self.comment.toPlainText().strip(),
            override_score=self.override_score.value() if self.override.isChecked() else None,
            override_reason=self.override_reason.text().strip() if self.override.isChecked() else "",
            decision=Decision(self.decision.currentData()) if self.decision.currentData() else None,
            decision_note=self.decision_note.text().strip(),
        )

    def load(self, draft: ReviewDraft) -> None:
        self.rating_group.setExclusive(False)
        for button in self.rating_group.buttons():
            button.setChecked(self.rating_group.id(button) == draft.rating)
        self.rating_group.setExclusive(True)
        self.comment.setPlainText(draft.comment)
        self.override.setChecked(draft.override_score is not None)
        if draft.override_score is not None:
            self.override_score.setValue(draft.override_score)
        self.override_reason.setText(draft.override_reason)
        index = self.decision.findData(draft.decision) if draft.decision else 0
        self.decision.setCurrentIndex(max(0, index))
        self.decision_note.setText(draft.decision_note)
        self.error_label.setText("")
        self.saved_label.setText("")

    def submit(self) -> None:
        try:
            draft = self.draft().check()
        except DeskError as exc:
            self.show_error(str(exc))
            return
        self.error_label.setText("")
        self.save_requested.emit(draft)

    def show_error(self, sentence: str) -> None:
        self.saved_label.setText("")
        self.error_label.setText(sentence)

    def show_saved(self, text: str = "Saved.") -> None:
        self.error_label.setText("")
        self.saved_label.setText(text)
