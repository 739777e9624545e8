"""Search: candidates whose CV is like this one (semantic), and full text over transcripts within a job."""

from dataclasses import dataclass

from desktop_app.desk.api import TRANSCRIPT_SEARCH_PATH, DeskApi
from desktop_app.desk.views import marked_snippet
from sync_server.contract import CandidateOut, JobOut, Page, TranscriptHit
from sync_server.contract.ai import SimilarCandidateOut
from ui.qt import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.review.page import DeskPage
from ui.widgets.record_table import Column, RecordTable
from ui.widgets.video_player import clock

PAGE_SIZE = 50


@dataclass(frozen=True)
class SimilarRow:
    candidate_id: str
    name: str
    similarity: float


@dataclass(frozen=True)
class SaidRow:
    """One answer that mentions the words, as the results table shows it."""

    hit: TranscriptHit

    @property
    def said(self) -> str:
        return marked_snippet(self.hit.snippet, [(s.start, s.end) for s in self.hit.highlights])

    @property
    def question(self) -> str:
        attempt = f" (attempt {self.hit.attempt})" if self.hit.attempt > 1 else ""
        return self.hit.question_text + attempt


@dataclass(frozen=True)
class TranscriptSearch:
    job_id: str
    text: str


class SearchPage(DeskPage):
    title = "Search"
    review_requested = Signal(str)  # candidate id
    answer_requested = Signal(str, str, float)  # interview id, response id, second to start at

    def __init__(self, api: DeskApi, parent: QWidget | None = None) -> None:
        super().__init__(api, parent)
        like = QFrame()
        like.setObjectName("card")
        like_layout = QVBoxLayout(like)
        heading = QLabel("Candidates like this CV")
        heading.setObjectName("sectionTitle")
        like_layout.addWidget(heading)
        self.candidate = QComboBox()
        self.candidate.setAccessibleName("Find candidates like")
        self.find_button = QPushButton("Find similar candidates")
        like_layout.addWidget(self.candidate)
        like_layout.addWidget(self.find_button)
        self.results = RecordTable(
            [
                Column("Candidate", lambda r: r.name),
                Column("Similarity", lambda r: round(r.similarity, 2), align_right=True),
            ]
        )
        like_layout.addWidget(self.results, 1)
        self.like_note = QLabel("")
        self.like_note.setObjectName("muted")
        self.like_note.setWordWrap(True)
        like_layout.addWidget(self.like_note)
        self.page_layout.addWidget(like, 1)

        text = QFrame()
        text.setObjectName("card")
        text_layout = QVBoxLayout(text)
        text_heading = QLabel("What candidates said")
        text_heading.setObjectName("sectionTitle")
        text_layout.addWidget(text_heading)
        search_row = QHBoxLayout()
        self.job = QComboBox()
        self.job.setAccessibleName("Job whose answers to search")
        self.job.setMinimumWidth(220)
        self.query = QLineEdit()
        self.query.setAccessibleName("Words to find in the transcripts")
        self.query.setPlaceholderText('Words from the transcripts, e.g. Kubernetes or "regression test"')
        self.query.setMaxLength(200)
        self.search_button = QPushButton("Search answers")
        search_row.addWidget(self.job)
        search_row.addWidget(self.query, 1)
        search_row.addWidget(self.search_button)
        text_layout.addLayout(search_row)
        self.text_note = QLabel("")
        self.text_note.setObjectName("muted")
        self.text_note.setWordWrap(True)
        text_layout.addWidget(self.text_note)
        self.said = RecordTable(
            [
                Column("Candidate", lambda r: r.hit.candidate_name),
                Column("Question", lambda r: r.question),
                Column("At", lambda r: clock(int(r.hit.start_seconds * 1000)), align_right=True),
                Column("What they said", lambda r: r.said),
            ]
        )
        self.said.setAccessibleName("Answers that mention the words; double-click to watch")
        text_layout.addWidget(self.said, 1)
        buttons = QHBoxLayout()
        self.more_button = QPushButton("Show more")
        self.more_button.setObjectName("secondary")
        self.more_button.hide()
        self.open_button = QPushButton("Watch this answer")
        self.open_button.setEnabled(False)
        buttons.addWidget(self.more_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        text_layout.addLayout(buttons)
        self.page_layout.addWidget(text, 2)

        self.searching: TranscriptSearch | None = None
        self.hits: list[TranscriptHit] = []
        self.total = 0
        self.find_button.clicked.connect(self.find_similar)
        self.results.doubleClicked.connect(self._open_selected)
        self.search_button.clicked.connect(self.search_transcripts)
        self.query.returnPressed.connect(self.search_transcripts)
        self.more_button.clicked.connect(self.show_more)
        self.said.doubleClicked.connect(lambda _: self.open_answer())
        self.open_button.clicked.connect(self.open_answer)
        self.said.selectionModel().selectionChanged.connect(
            lambda *_: self.open_button.setEnabled(self.said.selected() is not None)
        )
        self._set_transcript_search(False)

    def refresh(self) -> None:
        self.call(
            lambda api: (api.candidates(), api.jobs(), api.offers("GET", TRANSCRIPT_SEARCH_PATH)),
            self._show,
            retry=self.refresh,
        )

    def _show(self, result: tuple[list[CandidateOut], list[JobOut], bool]) -> None:
        candidates, jobs, transcript_search = result
        current = self.candidate.currentData()
        self.candidate.clear()
        for candidate in candidates:
            if candidate.cv_filename:
                self.candidate.addItem(candidate.full_name, candidate.id)
        if self.candidate.count() == 0:
            self.candidate.addItem("No candidate has a CV yet", None)
        index = self.candidate.findData(current) if current else 0
        self.candidate.setCurrentIndex(max(0, index))

        current_job = self.job.currentData()
        self.job.clear()
        for job in jobs:
            self.job.addItem(job.title, job.id)
        if self.job.count() == 0:
            self.job.addItem("No jobs yet", None)
        job_index = self.job.findData(current_job) if current_job else 0
        self.job.setCurrentIndex(max(0, job_index))
        self._set_transcript_search(transcript_search)

    def _set_transcript_search(self, offered: bool) -> None:
        for widget in (self.job, self.query, self.search_button):
            widget.setEnabled(offered)
        if not offered:
            self.text_note.setText("This server does not offer a search over transcripts yet.")
        elif self.searching is None:
            self.text_note.setText("Finds answers in the chosen job that use all the words you type.")

    # --- what candidates said -------------------------------------------------------------------
    def search_transcripts(self) -> None:
        job_id = self.job.currentData()
        text = self.query.text().strip()
        if job_id is None:
            self.error_banner.show_sentence("Pick a job to search its answers.")
            return
        if not text:
            self.error_banner.show_sentence("Type a word or two that a candidate might have said.")
            return
        search = TranscriptSearch(job_id, text)
        self.call(
            lambda api: api.search_transcripts(search.job_id, search.text, limit=PAGE_SIZE),
            lambda page: self._show_hits(search, page, append=False),
            retry=self.search_transcripts,
        )

    def show_more(self) -> None:
        search = self.searching
        if search is None:
            return
        offset = len(self.hits)
        self.call(
            lambda api: api.search_transcripts(search.job_id, search.text, limit=PAGE_SIZE, offset=offset),
            lambda page: self._show_hits(search, page, append=True),
            retry=self.show_more,
        )

    def _show_hits(self, search: TranscriptSearch, page: Page[TranscriptHit], *, append: bool) -> None:
        if append and search != self.searching:
            return  # a new search replaced the one this page belonged to
        self.searching = search
        self.hits = [*self.hits, *page.items] if append else list(page.items)
        self.total = page.total
        self.said.set_rows([SaidRow(hit) for hit in self.hits])
        self.more_button.setVisible(len(self.hits) < self.total and bool(page.items))
        if self.total == 0:
            self.text_note.setText(f"No answer in this job mentions “{search.text}”.")
        elif len(self.hits) < self.total:
            self.text_note.setText(
                f"Showing {len(self.hits)} of {self.total} answers that mention “{search.text}”; "
                "double-click one to watch it from that moment."
            )
        else:
            answers = "answer mentions" if self.total == 1 else "answers mention"
            self.text_note.setText(
                f"{self.total} {answers} “{search.text}”; double-click one to watch it from that moment."
            )

    def open_answer(self) -> None:
        row = self.said.selected()
        if row is not None:
            self.answer_requested.emit(row.hit.interview_id, row.hit.response_id, row.hit.start_seconds)

    # --- candidates like this CV ----------------------------------------------------------------
    def find_similar(self) -> None:
        candidate_id = self.candidate.currentData()
        if candidate_id is None:
            self.error_banner.show_sentence("Pick a candidate who has a CV.")
            return
        self.call(
            lambda api: api.similar_candidates(candidate_id), self._show_similar, retry=self.find_similar
        )

    def _show_similar(self, similar: list[SimilarCandidateOut]) -> None:
        self.results.set_rows([SimilarRow(s.candidate_id, s.candidate_name, s.similarity) for s in similar])
        # An empty result is an answer, not an error: it goes in the card, not in the red banner.
        self.like_note.setText("" if similar else "No other candidate's CV is close to this one yet.")

    def _open_selected(self) -> None:
        row = self.results.selected()
        if row is not None:
            self.review_requested.emit(row.candidate_id)
