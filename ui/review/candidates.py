"""Candidates: the list (per job), adding one with a CV, and inviting them to an interview."""

from html import escape
from pathlib import Path

from desktop_app.desk.api import DeskApi
from sync_server.contract import CandidateOut, JobOut
from sync_server.contract.ai import CVProfileOut, MatchOut
from ui.errors import explain
from ui.qt import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.review.erase_candidate import EraseCandidateDialog
from ui.review.invites import InviteDialog
from ui.review.page import DeskPage
from ui.tasks import run_in_background
from ui.widgets.dialog_parts import cancel_confirm_row, inline_error_label
from ui.widgets.record_table import Column, RecordTable


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1048576:.1f} MB"


CV_STATUS_TEXT = {None: "no CV", "pending": "reading CV…", "done": "CV read", "failed": "CV unreadable"}


class CandidatesPage(DeskPage):
    title = "Candidates"
    review_requested = Signal(str)  # candidate id

    def __init__(self, api: DeskApi, parent: QWidget | None = None) -> None:
        super().__init__(api, parent)
        self.jobs: list[JobOut] = []
        self.job_filter = QComboBox()
        self.job_filter.setAccessibleName("Show candidates for job")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search name or email")
        self.search.setMinimumWidth(220)
        self.add_button = QPushButton("Add candidate")
        self.header_layout.addWidget(self.job_filter)
        self.header_layout.addWidget(self.search)
        self.header_layout.addWidget(self.add_button)

        job_title = self._job_title
        self.table = RecordTable(
            [
                Column("Name", lambda c: c.full_name),
                Column("Email", lambda c: c.email),
                Column("Job", lambda c: job_title(c.job_id)),
                Column("CV", lambda c: CV_STATUS_TEXT.get(c.cv_status, c.cv_status)),
                Column("Added", lambda c: f"{c.created_at:%Y-%m-%d}"),
            ]
        )
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        self.detail = CandidateDetail()
        splitter.addWidget(self.detail)
        splitter.setSizes([620, 380])
        self.page_layout.addWidget(splitter, 1)

        self.job_filter.currentIndexChanged.connect(lambda _: self.load_candidates())
        self.search.returnPressed.connect(self.load_candidates)
        self.add_button.clicked.connect(self.open_add_dialog)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        self.detail.invite_button.clicked.connect(self.open_invite_dialog)
        self.detail.review_button.clicked.connect(self._review_selected)
        self.detail.erase_button.clicked.connect(self.open_erase_dialog)
        self.add_dialog: AddCandidateDialog | None = None
        self.invite_dialog: InviteDialog | None = None
        self.erase_dialog: EraseCandidateDialog | None = None

    def _job_title(self, job_id: str | None) -> str:
        return next((j.title for j in self.jobs if j.id == job_id), "—")

    def refresh(self) -> None:
        self.call(lambda api: api.jobs(), self._show_jobs, retry=self.refresh)

    def _show_jobs(self, jobs: list[JobOut]) -> None:
        current = self.job_filter.currentData()
        self.jobs = jobs
        self.job_filter.blockSignals(True)
        self.job_filter.clear()
        self.job_filter.addItem("All jobs", None)
        for job in jobs:
            self.job_filter.addItem(job.title, job.id)
        self.job_filter.setCurrentIndex(max(0, self.job_filter.findData(current)) if current else 0)
        self.job_filter.blockSignals(False)
        self.load_candidates()

    def show_job(self, job_id: str) -> None:
        index = self.job_filter.findData(job_id)
        if index >= 0:
            self.job_filter.setCurrentIndex(index)

    def load_candidates(self) -> None:
        job_id, search = self.job_filter.currentData(), self.search.text().strip()
        self.call(
            lambda api: api.candidates(job_id=job_id, search=search or None),
            self._show_candidates,
            retry=self.load_candidates,
        )

    def _show_candidates(self, candidates: list[CandidateOut]) -> None:
        selected = self.table.selected()
        self.table.set_rows(candidates)
        if selected is not None:
            self.table.select_where(lambda c: c.id == selected.id)
        if self.table.selected() is None:
            self.detail.show_candidate(None, "")

    def _show_selected(self) -> None:
        candidate = self.table.selected()
        self.detail.show_candidate(candidate, self._job_title(candidate.job_id) if candidate else "")
        if candidate is not None and candidate.cv_status in ("done", "failed"):
            job_id, candidate_id = candidate.job_id, candidate.id

            def work(api: DeskApi) -> tuple[CVProfileOut | None, MatchOut | None]:
                profile = api.cv_profile(candidate_id)
                matches = api.matches(job_id) if job_id and candidate.cv_status == "done" else []
                return profile, next((m for m in matches if m.candidate_id == candidate_id), None)

            self.call(work, lambda found: self._show_screening(candidate_id, *found))

    def _show_screening(
        self, candidate_id: str, profile: CVProfileOut | None, match: MatchOut | None
    ) -> None:
        selected = self.table.selected()
        if selected is not None and selected.id == candidate_id:
            self.detail.show_screening(profile, match)

    def _review_selected(self) -> None:
        candidate = self.table.selected()
        if candidate is not None:
            self.review_requested.emit(candidate.id)

    def open_add_dialog(self) -> None:
        self.add_dialog = AddCandidateDialog(self.api, self.jobs, self.job_filter.currentData(), parent=self)
        self.add_dialog.added.connect(self._added)
        self.add_dialog.open()

    def _added(self, candidate: CandidateOut) -> None:
        rows = [*self.table.records.rows, candidate]
        self.table.set_rows(rows)
        self.table.select_where(lambda c: c.id == candidate.id)

    def open_invite_dialog(self) -> None:
        candidate = self.table.selected()
        if candidate is None:
            return
        self.invite_dialog = InviteDialog(self.api, candidate, parent=self)
        self.invite_dialog.open()

    def open_erase_dialog(self) -> None:
        candidate = self.table.selected()
        if candidate is None:
            return
        self.erase_dialog = EraseCandidateDialog(self.api, candidate, parent=self)
        self.erase_dialog.erased.connect(self._erased)
        # A failure midway may still have erased the candidate on the server: reload either way.
        self.erase_dialog.rejected.connect(self.load_candidates)
        self.erase_dialog.open()

    def _erased(self, candidate_id: str) -> None:
        self.table.set_rows([c for c in self.table.records.rows if c.id != candidate_id])
        self.detail.show_candidate(None, "")
        self.load_candidates()


class CandidateDetail(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        self.name = QLabel("")
        self.name.setObjectName("sectionTitle")
        self.facts = QLabel("")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.name)
        layout.addWidget(self.facts)
        self.match = QLabel("")
        self.match.setWordWrap(True)
        self.match.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.match)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.review_button = QPushButton("Interviews")
        self.review_button.setObjectName("secondary")
        self.invite_button = QPushButton("Invite…")
        self.erase_button = QPushButton("Erase candidate…")
        self.erase_button.setObjectName("danger")
        self.erase_button.setToolTip("Right to erasure: delete this candidate's recordings, CV and data")
        buttons.addWidget(self.erase_button)
        buttons.addStretch(1)
        buttons.addWidget(self.review_button)
        buttons.addWidget(self.invite_button)
        layout.addLayout(buttons)
        self.show_candidate(None, "")

    def show_screening(self, profile: CVProfileOut | None, match: MatchOut | None) -> None:
        parts = []
        if profile is not None:
            if profile.error:
                parts.append(f"<p><b>CV:</b> {escape(profile.error)}</p>")
            else:
                facts = []
                if profile.recent_titles:
                    facts.append("Recent roles: " + escape(", ".join(profile.recent_titles[:3])))
                if profile.years_experience is not None:
                    facts.append(f"Experience: about {profile.years_experience:g} years")
                if profile.education:
                    facts.append("Education: " + escape("; ".join(profile.education[:2])))
                if profile.skills:
                    facts.append("Skills: " + escape(", ".join(profile.skills[:15])))
                if facts:
                    parts.append("<p><b>From the CV</b><br>" + "<br>".join(facts) + "</p>")
        if match is not None:
            parts.append(self._match_html(match))
        self.match.setText("".join(parts))

    @staticmethod
    def _match_html(match: MatchOut) -> str:
        rows = "".join(
            f"<li>{escape(r.requirement)}: <b>{r.status}</b>"
            + (f" — “{escape(r.evidence[:140])}”" if r.evidence else "")
            + (" <i>(only in a skills list)</i>" if r.skills_list_only else "")
            + "</li>"
            for r in match.requirements
        )
        return f"<p><b>Match {match.score:.0f} / 100</b> — {escape(match.explanation)}</p><ul>{rows}</ul>"

    def show_candidate(self, candidate: CandidateOut | None, job_title: str) -> None:
        self.match.setText("")
        self.invite_button.setEnabled(candidate is not None)
        self.review_button.setEnabled(candidate is not None)
        self.erase_button.setEnabled(candidate is not None)
        if candidate is None:
            self.name.setText("No candidate selected")
            self.facts.setText("Pick a candidate to see their CV and invite them.")
            return
        self.name.setText(candidate.full_name)
        cv = (
            f"{candidate.cv_filename} ({size_text(candidate.cv_size or 0)}, "
            f"{CV_STATUS_TEXT.get(candidate.cv_status, candidate.cv_status)})"
            if candidate.cv_filename
            else "no CV"
        )
        self.facts.setText(
            f"Email: {candidate.email or '—'}\nJob: {job_title}\nCV: {cv}\nAdded: {candidate.created_at:%Y-%m-%d %H:%M}"
        )


class AddCandidateDialog(QDialog):
    added = Signal(object)  # CandidateOut

    def __init__(
        self, api: DeskApi, jobs: list[JobOut], job_id: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.setWindowTitle("Add a candidate")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.full_name = QLineEdit()
        self.email = QLineEdit()
        self.job = QComboBox()
        self.job.addItem("No job yet", None)
        for job in jobs:
            self.job.addItem(job.title, job.id)
        self.job.setCurrentIndex(max(0, self.job.findData(job_id)) if job_id else 0)
        cv_row = QHBoxLayout()
        self.cv_path = QLineEdit()
        self.cv_path.setPlaceholderText("PDF, Word (.docx) or text; optional")
        self.browse_button = QPushButton("Choose…")
        self.browse_button.setObjectName("secondary")
        cv_row.addWidget(self.cv_path, 1)
        cv_row.addWidget(self.browse_button)
        form.addRow("Full name", self.full_name)
        form.addRow("Email", self.email)
        form.addRow("Job", self.job)
        form.addRow("CV", cv_row)
        layout.addLayout(form)
        self.error_label = inline_error_label()
        layout.addWidget(self.error_label)
        buttons, self.add_button = cancel_confirm_row(self, "Add candidate")
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.submit)
        self.browse_button.clicked.connect(self._browse)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose the CV", "", "CV (*.pdf *.docx *.txt)")
        if path:
            self.cv_path.setText(path)

    def submit(self) -> None:
        name = self.full_name.text().strip()
        if not name:
            self.error_label.setText("Enter the candidate's name.")
            return
        email = self.email.text().strip() or None
        job_id = self.job.currentData()
        cv = Path(self.cv_path.text().strip()) if self.cv_path.text().strip() else None
        self.add_button.setEnabled(False)
        self.add_button.setText("Uploading…")
        self.error_label.setText("")
        run_in_background(
            lambda: self.api.add_candidate(full_name=name, email=email, job_id=job_id, cv=cv),
            on_success=self._added,
            on_failure=self._failed,
            owner=self,
        )

    def _added(self, candidate: CandidateOut) -> None:
        self.added.emit(candidate)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.add_button.setEnabled(True)
        self.add_button.setText("Add candidate")
        self.error_label.setText(explain(error).text)
