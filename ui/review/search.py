"""Search: candidates whose CV is like this one (semantic), and full text over transcripts within a job."""

from dataclasses import dataclass

from desktop_app.desk.api import DeskApi
from sync_server.contract import CandidateOut
from sync_server.contract.ai import SimilarCandidateOut
from ui.qt import QComboBox, QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget, Signal
from ui.review.page import DeskPage
from ui.widgets.record_table import Column, RecordTable

TRANSCRIPT_SEARCH_PATH = "/jobs/{job_id}/transcripts/search"


@dataclass(frozen=True)
class SimilarRow:
    candidate_id: str
    name: str
    similarity: float


class SearchPage(DeskPage):
    title = "Search"
    review_requested = Signal(str)  # candidate id

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
        self.page_layout.addWidget(like, 1)

        text = QFrame()
        text.setObjectName("card")
        text_layout = QVBoxLayout(text)
        text_heading = QLabel("What candidates said")
        text_heading.setObjectName("sectionTitle")
        self.query = QLineEdit()
        self.query.setPlaceholderText("Words from the transcripts, e.g. Kubernetes")
        self.text_note = QLabel("")
        self.text_note.setObjectName("muted")
        self.text_note.setWordWrap(True)
        text_layout.addWidget(text_heading)
        text_layout.addWidget(self.query)
        text_layout.addWidget(self.text_note)
        text_layout.addStretch(1)
        self.page_layout.addWidget(text)

        self.find_button.clicked.connect(self.find_similar)
        self.results.doubleClicked.connect(self._open_selected)

    def refresh(self) -> None:
        self.call(
            lambda api: (api.candidates(), api.offers("GET", TRANSCRIPT_SEARCH_PATH)),
            self._show,
            retry=self.refresh,
        )

    def _show(self, result: tuple[list[CandidateOut], bool]) -> None:
        candidates, transcript_search = result
        current = self.candidate.currentData()
        self.candidate.clear()
        for candidate in candidates:
            if candidate.cv_filename:
                self.candidate.addItem(candidate.full_name, candidate.id)
        if self.candidate.count() == 0:
            self.candidate.addItem("No candidate has a CV yet", None)
        index = self.candidate.findData(current) if current else 0
        self.candidate.setCurrentIndex(max(0, index))
        self.query.setEnabled(transcript_search)
        self.text_note.setText(
            "" if transcript_search else "This server does not offer a search over transcripts yet."
        )

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
        if not similar:
            self.error_banner.show_sentence("No other candidate's CV is close to this one yet.")

    def _open_selected(self) -> None:
        row = self.results.selected()
        if row is not None:
            self.review_requested.emit(row.candidate_id)
