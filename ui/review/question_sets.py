"""Write a question set: by hand, picked from the bank, or drafted by AI and then edited."""

from collections.abc import Sequence

from pydantic import ValidationError

from desktop_app.desk.api import DeskApi
from desktop_app.desk.question_bank import load_question_bank
from sync_server.contract import (
    QuestionIn,
    QuestionSetCreate,
    QuestionSetOut,
    QuestionSetUpdate,
    QuestionType,
)
from sync_server.contract.ai import QuestionDraftSet
from ui.errors import explain
from ui.qt import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.tasks import run_in_background


class QuestionSetEditor(QDialog):
    saved = Signal(object)  # QuestionSetOut

    def __init__(
        self,
        api: DeskApi,
        *,
        job_context: tuple[str, str, str] = ("", "", ""),
        job_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.job_id = job_id
        self.job_context = job_context
        self.setWindowTitle("Questions")
        self.setObjectName("questionSetEditor")
        self.resize(980, 640)
        self.question_set_id: str | None = None
        self.questions: list[QuestionIn] = []
        self._showing = -1

        layout = QVBoxLayout(self)
        top = QFormLayout()
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Backend engineer, first round")
        top.addRow("Name", self.name)
        layout.addLayout(top)

        body = QHBoxLayout()
        left = QVBoxLayout()
        self.list = QListWidget()
        self.list.setAccessibleName("Questions in order")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        self.up_button = QPushButton("Up")
        self.down_button = QPushButton("Down")
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setObjectName("secondary")
            row.addWidget(button)
        left.addLayout(row)
        source_row = QHBoxLayout()
        self.bank = QComboBox()
        self.bank.setAccessibleName("Question bank")
        self.bank_questions = load_question_bank()
        self.bank.addItem("Pick from the question bank…", None)
        for index, question in enumerate(self.bank_questions):
            self.bank.addItem(f"[{question.type.value}] {question.text[:70]}", index)
        self.draft_button = QPushButton("Draft with AI")
        self.draft_button.setObjectName("secondary")
        source_row.addWidget(self.bank, 1)
        source_row.addWidget(self.draft_button)
        left.addLayout(source_row)
        body.addLayout(left, 1)

        detail_host = QWidget()
        detail_host.setMinimumWidth(520)
        detail = QFormLayout(detail_host)
        detail.setContentsMargins(0, 0, 0, 0)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("The question as the candidate will hear and read it")
        self.type = QComboBox()
        for kind in QuestionType:
            self.type.addItem(kind.value.capitalize(), kind)
        self.think = QSpinBox()
        self.think.setRange(0, 600)
        self.think.setSuffix(" s")
        self.answer = QSpinBox()
        self.answer.setRange(5, 1800)
        self.answer.setSuffix(" s")
        self.attempts = QSpinBox()
        self.attempts.setRange(1, 10)
        self.key_points = QPlainTextEdit()
        self.key_points.setPlaceholderText("What a good answer covers, one point per line")
        detail.addRow("Question", self.text)
        detail.addRow("Type", self.type)
        detail.addRow("Think time", self.think)
        detail.addRow("Answer time", self.answer)
        detail.addRow("Attempts", self.attempts)
        detail.addRow("Key points", self.key_points)
        body.addWidget(detail_host, 1)
        layout.addLayout(body, 1)

        self.error_label = QLabel("")
        self.error_label.setObjectName("inlineError")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("secondary")
        self.save_button = QPushButton("Save questions")
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)

        self.list.currentRowChanged.connect(self._show_question)
        self.add_button.clicked.connect(lambda: self.add_question(QuestionIn(text="New question")))
        self.remove_button.clicked.connect(self.remove_question)
        self.up_button.clicked.connect(lambda: self.move_question(-1))
        self.down_button.clicked.connect(lambda: self.move_question(+1))
        self.bank.activated.connect(self._add_from_bank)
        self.draft_button.clicked.connect(self.draft_with_ai)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        self._set_detail_enabled(False)

    # --- loading --------------------------------------------------------------------------------
    def open_set(self, question_set_id: str | None) -> None:
        if question_set_id is None:
            self.name.setText(f"{self.job_context[0]} questions".strip() if self.job_context[0] else "")
            self.set_questions([])
            return
        self.question_set_id = question_set_id
        self.save_button.setEnabled(False)
        run_in_background(
            lambda: self.api.question_set(question_set_id),
            on_success=self._loaded,
            on_failure=self._failed,
            owner=self,
        )

    def _loaded(self, question_set: QuestionSetOut) -> None:
        self.save_button.setEnabled(True)
        self.name.setText(question_set.name)
        self.set_questions(
            [
                QuestionIn.model_validate(q.model_dump(include=set(QuestionIn.model_fields)))
                for q in question_set.questions
            ]
        )

    def set_questions(self, questions: Sequence[QuestionIn]) -> None:
        self.questions = list(questions)
        self._showing = -1
        self._rebuild_list(0 if self.questions else -1)

    # --- editing --------------------------------------------------------------------------------
    def _rebuild_list(self, select: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for number, question in enumerate(self.questions, start=1):
            self.list.addItem(QListWidgetItem(f"{number}. {question.text}"))
        self.list.blockSignals(False)
        self._showing = -1
        if 0 <= select < len(self.questions):
            self.list.setCurrentRow(select)
        else:
            self._show_question(-1)

    def _store_current(self) -> bool:
        """Write the form back into the question being shown. False (with a sentence) if it is not valid."""
        index = self._showing
        if not 0 <= index < len(self.questions):
            return True
        try:
            question = QuestionIn(
                text=self.text.toPlainText().strip(),
                type=self.type.currentData(),
                key_points=[p.strip() for p in self.key_points.toPlainText().splitlines() if p.strip()],
                think_seconds=self.think.value(),
                answer_seconds=self.answer.value(),
                max_attempts=self.attempts.value(),
            )
        except ValidationError:
            self.error_label.setText(
                f"Question {index + 1} needs its text (at most 2000 characters, 20 key points)."
            )
            return False
        self.questions[index] = question
        item = self.list.item(index)
        if item is not None:
            item.setText(f"{index + 1}. {question.text}")
        self.error_label.setText("")
        return True

    def _show_question(self, index: int) -> None:
        if index == self._showing:
            return
        if not self._store_current():
            self.list.blockSignals(True)
            self.list.setCurrentRow(self._showing)
            self.list.blockSignals(False)
            return
        self._showing = index
        if not 0 <= index < len(self.questions):
            self._set_detail_enabled(False)
            self.text.setPlainText("")
            self.key_points.setPlainText("")
            return
        question = self.questions[index]
        self._set_detail_enabled(True)
        self.text.setPlainText(question.text)
        self.type.setCurrentIndex(max(0, self.type.findData(question.type)))
        self.think.setValue(question.think_seconds)
        self.answer.setValue(question.answer_seconds)
        self.attempts.setValue(question.max_attempts)
        self.key_points.setPlainText("\n".join(question.key_points))

    def _set_detail_enabled(self, on: bool) -> None:
        for widget in (self.text, self.type, self.think, self.answer, self.attempts, self.key_points):
            widget.setEnabled(on)
        for button in (self.remove_button, self.up_button, self.down_button):
            button.setEnabled(on)

    def add_question(self, question: QuestionIn) -> None:
        if not self._store_current():
            return
        self.questions.append(question)
        self._rebuild_list(len(self.questions) - 1)
        self.text.setFocus()

    def remove_question(self) -> None:
        index = self._showing
        if 0 <= index < len(self.questions):
            del self.questions[index]
            self._showing = -1
            self._rebuild_list(min(index, len(self.questions) - 1))

    def move_question(self, step: int) -> None:
        index = self._showing
        target = index + step
        if not self._store_current() or not (
            0 <= index < len(self.questions) and 0 <= target < len(self.questions)
        ):
            return
        self.questions[index], self.questions[target] = self.questions[target], self.questions[index]
        self._rebuild_list(target)

    def _add_from_bank(self, combo_index: int) -> None:
        bank_index = self.bank.itemData(combo_index)
        self.bank.setCurrentIndex(0)
        if bank_index is not None:
            self.add_question(self.bank_questions[bank_index])

    def draft_with_ai(self) -> None:
        """Ask the server for a draft from the job (an LLM, or its bank ranked for the job); then edit it."""
        job_id = self.job_id
        if job_id is None:
            self.error_label.setText("Save the job first, so the draft can be made from its description.")
            return
        self.draft_button.setEnabled(False)
        self.draft_button.setText("Drafting…")
        self.error_label.setText("")

        def drafted(draft: QuestionDraftSet) -> None:
            self._reset_draft_button()
            if not self._store_current():
                return
            for question in draft.questions:
                self.questions.append(
                    QuestionIn.model_validate(question.model_dump(include=set(QuestionIn.model_fields)))
                )
            self._rebuild_list(len(self.questions) - len(draft.questions))
            self.error_label.setText(
                f"{len(draft.questions)} drafted questions added ({draft.provider}); edit them before saving."
            )

        def failed(error: Exception) -> None:
            self._reset_draft_button()
            self.error_label.setText(explain(error).text)

        run_in_background(
            lambda: self.api.draft_questions(job_id), on_success=drafted, on_failure=failed, owner=self
        )

    def _reset_draft_button(self) -> None:
        self.draft_button.setEnabled(True)
        self.draft_button.setText("Draft with AI")

    # --- saving ---------------------------------------------------------------------------------
    def save(self) -> None:
        if not self._store_current():
            return
        name = self.name.text().strip()
        if not name:
            self.error_label.setText("Give the question set a name.")
            self.name.setFocus()
            return
        if not self.questions:
            self.error_label.setText("Add at least one question.")
            return
        questions = list(self.questions)
        question_set_id = self.question_set_id
        self.save_button.setEnabled(False)

        def work() -> QuestionSetOut:
            if question_set_id is None:
                return self.api.create_question_set(QuestionSetCreate(name=name, questions=questions))
            return self.api.update_question_set(
                question_set_id, QuestionSetUpdate(name=name, questions=questions)
            )

        run_in_background(work, on_success=self._saved, on_failure=self._failed, owner=self)

    def _saved(self, question_set: QuestionSetOut) -> None:
        self.save_button.setEnabled(True)
        self.question_set_id = question_set.id
        self.saved.emit(question_set)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        self.error_label.setText(explain(error).text)
