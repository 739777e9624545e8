"""The pipeline of one job: how many candidates are at each stage, and everyone ranked."""

from pathlib import Path

from desktop_app.desk.api import DeskApi, JobInsights
from desktop_app.desk.export import write_job_csv
from desktop_app.desk.pipeline import (
    STAGES,
    JobPipeline,
    PipelineFacts,
    PipelineRow,
    assemble,
    gather_facts,
    gather_insights,
)
from sync_server.contract import JobOut
from ui.qt import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.review.page import DeskPage
from ui.widgets.record_table import Column, RecordTable

PIPELINE_COLUMNS: list[Column[PipelineRow]] = [
    Column("Candidate", lambda r: r.candidate_name),
    Column("Stage", lambda r: r.stage.replace("_", " ")),
    Column("Match", lambda r: r.match_score, align_right=True),
    Column("Interview score", lambda r: r.interview_score, align_right=True),
    Column("Your rating", lambda r: r.rating, align_right=True),
    Column("Decision", lambda r: r.decision or None),
]


class StageCount(QFrame):
    def __init__(self, stage: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stageCard")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        self.count = QLabel("0")
        self.count.setObjectName("stageCount")
        self.name = QLabel(stage.replace("_", " ").capitalize())
        self.name.setObjectName("muted")
        layout.addWidget(self.count)
        layout.addWidget(self.name)
        self.setAccessibleName(self.name.text())


class PipelinePage(DeskPage):
    title = "Pipeline"
    review_requested = Signal(str)  # candidate id

    def __init__(self, api: DeskApi, parent: QWidget | None = None) -> None:
        super().__init__(api, parent)
        self.pipeline: JobPipeline | None = None
        self.job_picker = QComboBox()
        self.job_picker.setAccessibleName("Job")
        self.job_picker.setMinimumWidth(280)
        self.rank_by = QComboBox()
        self.rank_by.addItem("Rank by interview score", 3)
        self.rank_by.addItem("Rank by match score", 2)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setObjectName("secondary")
        self.header_layout.addWidget(self.job_picker)
        self.header_layout.addWidget(self.rank_by)
        self.header_layout.addWidget(self.export_button)

        counts = QHBoxLayout()
        self.stage_cards = {stage: StageCount(stage) for stage in STAGES}
        for card in self.stage_cards.values():
            counts.addWidget(card)
        counts.addStretch(1)
        self.page_layout.addLayout(counts)
        self.notes = QLabel("")
        self.notes.setObjectName("muted")
        self.notes.setWordWrap(True)
        self.page_layout.addWidget(self.notes)
        self.table = RecordTable(PIPELINE_COLUMNS)
        self.table.setAccessibleName("Candidates ranked")
        self.page_layout.addWidget(self.table, 1)
        open_row = QHBoxLayout()
        open_row.addStretch(1)
        self.review_button = QPushButton("Review interview")
        open_row.addWidget(self.review_button)
        self.page_layout.addLayout(open_row)

        self.job_picker.activated.connect(lambda _: self.load_pipeline())
        self.rank_by.activated.connect(lambda _: self._rank())
        self.export_button.clicked.connect(self.choose_export)
        self.review_button.clicked.connect(self._review_selected)
        self.table.doubleClicked.connect(lambda _: self._review_selected())

    def refresh(self) -> None:
        self.call(lambda api: api.jobs(), self._show_jobs, retry=self.refresh)

    def _show_jobs(self, jobs: list[JobOut]) -> None:
        current = self.job_picker.currentData()
        self.job_picker.clear()
        for job in jobs:
            self.job_picker.addItem(job.title, job.id)
        if not jobs:
            self.job_picker.addItem("No jobs yet — create one under Jobs", None)
        index = self.job_picker.findData(current) if current else 0
        self.job_picker.setCurrentIndex(max(0, index))
        self.load_pipeline()

    def show_job(self, job_id: str) -> None:
        index = self.job_picker.findData(job_id)
        if index >= 0:
            self.job_picker.setCurrentIndex(index)
            self.load_pipeline()

    def load_pipeline(self) -> None:
        job_id = self.job_picker.currentData()
        if job_id is None:
            self._show_pipeline(None)
            return
        self.call(lambda api: gather_facts(api, job_id), self._show_facts, retry=self.load_pipeline)

    def _show_facts(self, facts: PipelineFacts) -> None:
        """Show the stages at once; fill in match and interview scores when they arrive."""
        self._show_pipeline(assemble(facts, None))
        self.call(
            lambda api: gather_insights(api, facts),
            lambda insights: self._show_insights(facts, insights),
            retry=lambda: self._show_facts(facts),
        )

    def _show_insights(self, facts: PipelineFacts, insights: JobInsights) -> None:
        if self.job_picker.currentData() == facts.job.id:
            self._show_pipeline(assemble(facts, insights))

    def _show_pipeline(self, pipeline: JobPipeline | None) -> None:
        self.pipeline = pipeline
        counts = pipeline.counts if pipeline else {}
        for stage, card in self.stage_cards.items():
            card.count.setText(str(counts.get(stage, 0)))
        self.notes.setText(" ".join(pipeline.notes) if pipeline else "")
        self.table.set_rows(pipeline.rows if pipeline else [])
        self._rank()
        self.export_button.setEnabled(bool(pipeline and pipeline.rows))

    def _rank(self) -> None:
        from ui.qt import Qt

        self.table.sortByColumn(self.rank_by.currentData(), Qt.SortOrder.DescendingOrder)

    def _review_selected(self) -> None:
        row = self.table.selected()
        if row is not None:
            self.review_requested.emit(row.candidate_id)

    def choose_export(self) -> None:
        if self.pipeline is None:
            return
        default = f"{self.pipeline.job.title.replace('/', '-')}.csv"
        path, _ = QFileDialog.getSaveFileName(self, "Export the job as CSV", default, "CSV (*.csv)")
        if path:
            self.export_csv(Path(path))

    def export_csv(self, path: Path) -> None:
        pipeline = self.pipeline
        if pipeline is None:
            return
        rows = [row.as_job_row() for row in pipeline.rows]
        self.call(
            lambda _api: write_job_csv(rows, path),
            lambda written: self.notes.setText(f"Exported to {written}."),
        )
