"""Jobs: the list, and a form to create or edit one (title, description, requirements, question set)."""

from desktop_app.desk.api import DeskApi
from sync_server.contract import JobCreate, JobOut, JobStatus, JobUpdate, QuestionSetOut, QuestionSetSummary
from ui.qt import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.review.page import DeskPage
from ui.review.question_sets import QuestionSetEditor
from ui.widgets.record_table import Column, RecordTable

JOB_COLUMNS: list[Column[JobOut]] = [
    Column("Title", lambda j: j.title),
    Column("Status", lambda j: j.status.value),
    Column("Created", lambda j: f"{j.created_at:%Y-%m-%d}"),
]


class JobsPage(DeskPage):
    title = "Jobs"
    job_saved = Signal(object)  # JobOut

    def __init__(self, api: DeskApi, parent: QWidget | None = None) -> None:
        super().__init__(api, parent)
        self.jobs_by_id: dict[str, JobOut] = {}
        self.question_sets: list[QuestionSetSummary] = []
        self.new_button = QPushButton("New job")
        self.header_layout.addWidget(self.new_button)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.table = RecordTable(JOB_COLUMNS)
        self.table.setAccessibleName("Jobs")
        splitter.addWidget(self.table)

        form_card = QFrame()
        form_card.setObjectName("card")
        form_layout = QVBoxLayout(form_card)
        self.form_title = QLabel("New job")
        self.form_title.setObjectName("sectionTitle")
        form_layout.addWidget(self.form_title)
        form = QFormLayout()
        self.title_field = QLineEdit()
        self.title_field.setPlaceholderText("e.g. Backend engineer")
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText("What the job is about")
        self.requirements = QPlainTextEdit()
        self.requirements.setPlaceholderText("Skills and experience the job needs, one per line")
        self.question_set = QComboBox()
        self.status = QComboBox()
        for status in JobStatus:
            self.status.addItem(status.value.capitalize(), status)
        form.addRow("Title", self.title_field)
        form.addRow("Description", self.description)
        form.addRow("Requirements", self.requirements)
        form.addRow("Questions", self.question_set)
        form.addRow("Status", self.status)
        form_layout.addLayout(form)
        buttons = QHBoxLayout()
        self.edit_questions_button = QPushButton("Write questions…")
        self.edit_questions_button.setObjectName("secondary")
        self.save_button = QPushButton("Create job")
        self.form_error = QLabel("")
        self.form_error.setObjectName("inlineError")
        self.form_error.setWordWrap(True)
        buttons.addWidget(self.edit_questions_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        form_layout.addWidget(self.form_error)
        form_layout.addLayout(buttons)
        splitter.addWidget(form_card)
        splitter.setSizes([420, 560])
        self.page_layout.addWidget(splitter, 1)

        self.editing: JobOut | None = None
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.edit_questions_button.clicked.connect(self.open_question_editor)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._load_selected())
        self.editor: QuestionSetEditor | None = None

    def refresh(self) -> None:
        self.call(lambda api: (api.jobs(), api.question_sets()), self._show, retry=self.refresh)

    def _show(self, result: tuple[list[JobOut], list[QuestionSetSummary]]) -> None:
        jobs, sets = result
        self.jobs_by_id = {j.id: j for j in jobs}
        self.question_sets = sets
        selected = self.editing.id if self.editing else None
        self.table.set_rows(jobs)
        self._fill_question_sets()
        if selected:
            self.table.select_where(lambda j: j.id == selected)
        elif not jobs:
            self.start_new()

    def _fill_question_sets(self, select_id: str | None = None) -> None:
        current = select_id or self.question_set.currentData()
        self.question_set.clear()
        self.question_set.addItem("No questions yet", None)
        for qs in self.question_sets:
            self.question_set.addItem(f"{qs.name} ({qs.question_count} questions)", qs.id)
        index = self.question_set.findData(current) if current else 0
        self.question_set.setCurrentIndex(max(0, index))

    def start_new(self) -> None:
        self.editing = None
        self.table.clearSelection()
        self.form_title.setText("New job")
        self.save_button.setText("Create job")
        for field in (self.title_field,):
            field.clear()
        self.description.clear()
        self.requirements.clear()
        self.question_set.setCurrentIndex(0)
        self.status.setCurrentIndex(0)
        self.form_error.setText("")
        self.title_field.setFocus()

    def _load_selected(self) -> None:
        job = self.table.selected()
        if job is None:
            return
        self.editing = job
        self.form_title.setText(f"Edit “{job.title}”")
        self.save_button.setText("Save changes")
        self.title_field.setText(job.title)
        self.description.setPlainText(job.description)
        self.requirements.setPlainText(job.requirements)
        self._fill_question_sets(job.question_set_id)
        self.status.setCurrentIndex(max(0, self.status.findData(job.status)))
        self.form_error.setText("")

    def save(self) -> None:
        title = self.title_field.text().strip()
        if not title:
            self.form_error.setText("A job needs a title.")
            self.title_field.setFocus()
            return
        self.form_error.setText("")
        description = self.description.toPlainText().strip()
        requirements = self.requirements.toPlainText().strip()
        question_set_id = self.question_set.currentData()
        editing = self.editing
        self.save_button.setEnabled(False)

        def work(api: DeskApi) -> JobOut:
            if editing is None:
                return api.create_job(
                    JobCreate(
                        title=title,
                        description=description,
                        requirements=requirements,
                        question_set_id=question_set_id,
                    )
                )
            return api.update_job(
                editing.id,
                JobUpdate(
                    title=title,
                    description=description,
                    requirements=requirements,
                    question_set_id=question_set_id,
                    status=self.status.currentData(),
                ),
            )

        self.call(work, self._saved, failed=self._save_failed)

    def _saved(self, job: JobOut) -> None:
        self.save_button.setEnabled(True)
        self.editing = job
        self.job_saved.emit(job)
        self.refresh()

    def _save_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        from ui.errors import explain

        self.form_error.setText(explain(error).text)

    def open_question_editor(self) -> None:
        """Write a new question set (or edit the chosen one) in a dialog; it becomes this job's set."""
        question_set_id = self.question_set.currentData()
        job_context = (
            self.title_field.text().strip(),
            self.description.toPlainText(),
            self.requirements.toPlainText(),
        )
        job_id = self.editing.id if self.editing else None
        self.editor = QuestionSetEditor(self.api, job_context=job_context, job_id=job_id, parent=self)
        self.editor.saved.connect(self._question_set_saved)
        self.editor.open_set(question_set_id)
        self.editor.open()

    def _question_set_saved(self, question_set: QuestionSetOut) -> None:
        summary = QuestionSetSummary(
            id=question_set.id,
            name=question_set.name,
            description=question_set.description,
            question_count=len(question_set.questions),
            created_at=question_set.created_at,
            updated_at=question_set.updated_at,
        )
        self.question_sets = [qs for qs in self.question_sets if qs.id != summary.id] + [summary]
        self._fill_question_sets(question_set.id)
