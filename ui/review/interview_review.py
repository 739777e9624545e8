"""Interview review: each answer's video beside its transcript, the AI score with evidence, the reviewer's say."""

import shutil
from dataclasses import dataclass
from pathlib import Path

from desktop_app.desk.api import REVIEW_PATH, SCORE_PATH, DeskApi
from desktop_app.desk.errors import DeskError
from desktop_app.desk.export import CandidateReport
from desktop_app.desk.media_cache import MediaCache
from desktop_app.desk.media_stream import MediaRelay
from desktop_app.desk.reports import gather_candidate_report
from desktop_app.desk.views import ReviewDraft, ScoreView
from sync_server.contract import InterviewDetail, InterviewOut, QuestionOut, ResponseSummary, Transcript
from ui.qt import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.review.page import DeskPage
from ui.review.report_export import write_report
from ui.tasks import run_on_main
from ui.widgets.review_form import ReviewForm
from ui.widgets.score_panel import ScorePanel
from ui.widgets.transcript_view import TranscriptView
from ui.widgets.video_player import VideoPlayer, clock


@dataclass(frozen=True)
class AnswerItem:
    response: ResponseSummary
    question: QuestionOut | None
    number: int

    @property
    def label(self) -> str:
        text = self.question.text if self.question else "Question no longer in the set"
        attempt = f" · attempt {self.response.attempt}" if self.response.attempt > 1 else ""
        length = (
            f" · {clock(int((self.response.duration_seconds or 0) * 1000))}"
            if self.response.duration_seconds
            else ""
        )
        return f"{self.number}. {text}{attempt}{length}"


@dataclass(frozen=True)
class LoadedInterview:
    detail: InterviewDetail
    answers: list[AnswerItem]


@dataclass(frozen=True)
class LoadedAnswer:
    transcript: Transcript | None
    score: ScoreView | None
    review: ReviewDraft | None
    reviews_offered: bool
    scores_offered: bool


def picker_label(interview: InterviewOut) -> str:
    status = interview.status.value.replace("_", " ")
    return f"{interview.candidate_name} · {status}{' · people only' if interview.people_only else ''}"


def load_interview(api: DeskApi, interview_id: str) -> LoadedInterview:
    detail = api.interview(interview_id)
    questions = {q.id: q for q in api.question_set(detail.question_set_id).questions}
    order = {qid: q.position for qid, q in questions.items()}
    responses = sorted(detail.responses, key=lambda r: (order.get(r.question_id, 10_000), r.attempt))
    answers = []
    numbers: dict[str, int] = {}
    for response in responses:
        number = numbers.setdefault(response.question_id, len(numbers) + 1)
        answers.append(AnswerItem(response, questions.get(response.question_id), number))
    return LoadedInterview(detail, answers)


def load_answer(api: DeskApi, response: ResponseSummary, *, people_only: bool) -> LoadedAnswer:
    transcript = api.transcript(response.id) if response.has_transcript else None
    return LoadedAnswer(
        transcript=transcript,
        score=None if people_only else api.score(response.id),
        review=api.review(response.id),
        reviews_offered=api.offers("PUT", REVIEW_PATH),
        scores_offered=api.offers("GET", SCORE_PATH),
    )


class InterviewReviewPage(DeskPage):
    title = "Interview review"
    review_saved = Signal(str)  # response id
    report_written = Signal(str)  # path

    def __init__(
        self, api: DeskApi, relay: MediaRelay, media_cache: MediaCache, parent: QWidget | None = None
    ) -> None:
        super().__init__(api, parent)
        self.relay = relay
        self.media_cache = media_cache
        self.interview_picker = QComboBox()
        self.interview_picker.setAccessibleName("Interview to review")
        self.interview_picker.setMinimumWidth(360)
        self.header_layout.addWidget(self.interview_picker)
        self.loaded: LoadedInterview | None = None
        self.current: AnswerItem | None = None
        self._focus: tuple[str, int] | None = None  # (response id, ms): the answer and moment to open at
        self._opened_at: tuple[str, int] | None = None  # the same, once that answer is open

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.answers = QListWidget()
        self.answers.setObjectName("answerList")
        self.answers.setAccessibleName("Answers in this interview")
        self.answers.setWordWrap(True)
        splitter.addWidget(self.answers)

        middle = QSplitter(Qt.Orientation.Vertical)
        self.player = VideoPlayer()
        self.transcript = TranscriptView()
        middle.addWidget(self.player)
        middle.addWidget(self.transcript)
        middle.setSizes([420, 220])
        splitter.addWidget(middle)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.question_label = QLabel("")
        self.question_label.setObjectName("questionTitle")
        self.question_label.setWordWrap(True)
        self.key_points = QLabel("")
        self.key_points.setObjectName("muted")
        self.key_points.setWordWrap(True)
        self.score_panel = ScorePanel()
        self.review_form = ReviewForm()
        side_layout.addWidget(self.question_label)
        side_layout.addWidget(self.key_points)
        side_layout.addWidget(self.score_panel)
        side_layout.addWidget(self.review_form)
        side_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(460)
        scroll.setWidget(side)
        splitter.addWidget(scroll)
        splitter.setSizes([260, 640, 420])
        self.page_layout.addWidget(splitter, 1)

        bottom = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Export progress")
        self.progress.setMaximumWidth(320)
        self.progress.hide()
        self.progress_label = QLabel("")
        self.progress_label.setObjectName("muted")
        self.save_video_button = QPushButton("Save video…")
        self.save_video_button.setObjectName("secondary")
        self.export_button = QPushButton("Export report…")
        self.export_button.setObjectName("secondary")
        bottom.addWidget(self.progress)
        bottom.addWidget(self.progress_label, 1)
        bottom.addWidget(self.save_video_button)
        bottom.addWidget(self.export_button)
        self.page_layout.addLayout(bottom)
        self.export_button.clicked.connect(self.choose_report_file)
        self.save_video_button.clicked.connect(self.choose_video_file)
        self.export_button.setEnabled(False)
        self.save_video_button.setEnabled(False)

        self.interview_picker.activated.connect(lambda _: self._open_picked())
        self.answers.currentRowChanged.connect(self._open_answer)
        self.player.position_changed.connect(self.transcript.set_position)
        self.transcript.seek_requested.connect(self.player.seek_and_play)
        self.score_panel.seek_requested.connect(self.player.seek_and_play)
        self.review_form.save_requested.connect(self.save_review)
        self.score_panel.rescore_requested.connect(self.rescore)
        self.review_form.setEnabled(False)

    # --- choosing what to review ----------------------------------------------------------------
    def refresh(self) -> None:
        self.call(lambda api: api.interviews(), self._fill_picker, retry=self.refresh)

    def _fill_picker(self, interviews: list[InterviewOut], select: str | None = None) -> None:
        current = select or self.interview_picker.currentData()
        self.interview_picker.clear()
        for interview in interviews:
            when = interview.completed_at or interview.created_at
            self.interview_picker.addItem(f"{picker_label(interview)} · {when:%Y-%m-%d}", interview.id)
        if self.interview_picker.count() == 0:
            self.interview_picker.addItem("No interviews yet", None)
        index = self.interview_picker.findData(current) if current else -1
        if index >= 0:
            self.interview_picker.setCurrentIndex(index)
            if self.loaded is None or self.loaded.detail.id != current:
                self._open_picked()

    def show_candidate(self, candidate_id: str) -> None:
        """Open the newest interview of this candidate."""
        self.call(lambda api: api.interviews(candidate_id=candidate_id), self._open_first, retry=None)

    def _open_first(self, interviews: list[InterviewOut]) -> None:
        if interviews:
            self.open_interview(interviews[0].id)
        else:
            self.error_banner.show_sentence("This candidate has no interview yet; invite them first.")

    def show_answer_at(self, interview_id: str, response_id: str, seconds: float) -> None:
        """Open this answer of this interview with the video at `seconds` (e.g. from a search hit)."""
        self._focus = (response_id, max(0, int(seconds * 1000)))
        if self.loaded is not None and self.loaded.detail.id == interview_id:
            self._show_focused_answer()
        else:
            self.open_interview(interview_id)

    def _show_focused_answer(self) -> bool:
        if self._focus is None or self.loaded is None:
            return False
        for row, answer in enumerate(self.loaded.answers):
            if answer.response.id == self._focus[0]:
                if self.answers.currentRow() == row:
                    self._open_answer(row)
                else:
                    self.answers.setCurrentRow(row)
                return True
        self._focus = None
        return False

    def open_interview(self, interview_id: str) -> None:
        self.call(
            lambda api: load_interview(api, interview_id),
            self._show_interview,
            retry=lambda: self.open_interview(interview_id),
        )

    def _open_picked(self) -> None:
        interview_id = self.interview_picker.currentData()
        if interview_id:
            self.open_interview(interview_id)

    def _show_interview(self, loaded: LoadedInterview) -> None:
        self.loaded = loaded
        if self.interview_picker.findData(loaded.detail.id) < 0:
            self.interview_picker.addItem(picker_label(loaded.detail), loaded.detail.id)
        self.interview_picker.setCurrentIndex(self.interview_picker.findData(loaded.detail.id))
        self.heading.setText(f"Interview review — {loaded.detail.candidate_name}")
        self.answers.blockSignals(True)
        self.answers.clear()
        for answer in loaded.answers:
            self.answers.addItem(QListWidgetItem(answer.label))
        self.answers.blockSignals(False)
        self.current = None
        self.export_button.setEnabled(True)
        if self._show_focused_answer():
            return
        if loaded.answers:
            self.answers.setCurrentRow(0)
        else:
            self.player.close_media("No answers recorded yet")
            self.transcript.show_message("No answers recorded yet.")
            self._show_no_score()
            self.question_label.setText("")
            self.key_points.setText("")
            self.review_form.setEnabled(False)

    # --- one answer -----------------------------------------------------------------------------
    def _open_answer(self, row: int) -> None:
        if self.loaded is None or not 0 <= row < len(self.loaded.answers):
            return
        answer = self.loaded.answers[row]
        self.current = answer
        question = answer.question
        self.question_label.setText(question.text if question else "")
        self.key_points.setText(
            "Key points: " + "; ".join(question.key_points) if question and question.key_points else ""
        )
        self.save_video_button.setEnabled(answer.response.has_media)
        focus = self._focus if self._focus and self._focus[0] == answer.response.id else None
        self._focus, self._opened_at = None, focus
        if answer.response.has_media:
            self.player.open(self.relay.url_for(answer.response.id))
            if focus is not None:
                self.player.seek_once_loaded(focus[1])
        else:
            self.player.close_media("This answer's video has not arrived from the station yet")
        self.transcript.show_message("Loading the transcript…")
        self._show_no_score("Loading the score…")
        self.review_form.setEnabled(False)
        response = answer.response
        people_only = self._people_only()
        self.call(
            lambda api: load_answer(api, response, people_only=people_only),
            lambda loaded: self._show_answer(response.id, loaded),
        )

    def _people_only(self) -> bool:
        return self.loaded is not None and self.loaded.detail.people_only

    def _show_no_score(self, pending_text: str = "Not scored yet.") -> None:
        if self._people_only():
            self.score_panel.show_people_only()
        else:
            self.score_panel.show_score(None, pending_text=pending_text)

    def _show_answer(self, response_id: str, loaded: LoadedAnswer) -> None:
        if self.current is None or self.current.response.id != response_id:
            return  # the reviewer moved on meanwhile
        if loaded.transcript is not None:
            self.transcript.set_transcript(loaded.transcript)
            if self._opened_at is not None and self._opened_at[0] == response_id:
                self.transcript.set_position(self._opened_at[1])  # the searched words show at once
        elif self.current.response.has_transcript:
            self.transcript.show_message("This server does not serve transcripts to reviewers yet.")
        else:
            self.transcript.show_message("The transcript has not arrived from the station yet.")
        self.score_panel.rescore_button.setVisible(
            loaded.scores_offered and self.current.response.has_transcript
        )
        if self._people_only():
            self.score_panel.show_people_only()
        else:
            self.score_panel.allow_rescore(True)
            self.score_panel.show_score(
                loaded.score,
                pending_text="Not scored yet."
                if loaded.scores_offered
                else "This server does not score answers yet.",
            )
        self.review_form.load(loaded.review or ReviewDraft())
        self.review_form.setEnabled(loaded.reviews_offered)
        if not loaded.reviews_offered:
            self.review_form.show_error(
                "This server can't store reviews yet; ask your administrator to update it."
            )

    def save_review(self, draft: ReviewDraft) -> None:
        if self.current is None or self.loaded is None:
            return
        response_id = self.current.response.id

        def work(api: DeskApi) -> ReviewDraft:
            return api.save_review(response_id, draft)

        self.review_form.save_button.setEnabled(False)

        def saved(stored: ReviewDraft) -> None:
            self.review_form.save_button.setEnabled(True)
            self.review_form.load(stored)
            self.review_form.show_saved("Saved.")
            self.review_saved.emit(response_id)

        def failed(error: BaseException) -> None:
            from ui.errors import explain

            self.review_form.save_button.setEnabled(True)
            self.review_form.show_error(explain(error).text)

        self.call(work, saved, failed=failed)

    def rescore(self) -> None:
        if self.current is None or self._people_only():
            return
        response_id = self.current.response.id
        self.score_panel.rescore_button.setEnabled(False)

        def queued(_: None) -> None:
            self.score_panel.allow_rescore(not self._people_only())
            self.score_panel.source.setText(
                "Scoring again; the new version appears when you reopen this answer."
            )

        def failed(error: BaseException) -> None:
            self.score_panel.allow_rescore(not self._people_only())
            self.show_error(error)

        self.call(lambda api: api.rescore(response_id), queued, failed=failed)

    # --- exports --------------------------------------------------------------------------------
    def _show_progress(self, done: int, total: int | None, what: str) -> None:
        self.progress.show()
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        else:
            self.progress.setRange(0, 0)
        self.progress_label.setText(what)

    def _finish_progress(self, text: str) -> None:
        self.progress.hide()
        self.progress_label.setText(text)

    def choose_report_file(self) -> None:
        if self.loaded is None:
            return
        name = self.loaded.detail.candidate_name.replace("/", "-")
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the candidate report", f"{name}.pdf", "PDF (*.pdf);;HTML (*.html)"
        )
        if path:
            self.export_report(Path(path))

    def export_report(self, path: Path) -> None:
        """Gather scores, evidence and notes in the background; lay the file out on the GUI thread."""
        if self.loaded is None:
            return
        candidate_id = self.loaded.detail.candidate_id
        self.export_button.setEnabled(False)
        self._show_progress(0, None, "Gathering the report…")

        def progress(done: int, total: int) -> None:
            run_on_main(lambda: self._show_progress(done, total, f"Gathering answer {done} of {total}…"))

        def gathered(report: CandidateReport) -> None:
            self.export_button.setEnabled(True)
            try:
                written = write_report(report, path)
            except DeskError as exc:
                self._finish_progress("")
                self.show_error(exc)
                return
            self._finish_progress(f"Report saved to {written}.")
            self.report_written.emit(str(written))

        def failed(error: BaseException) -> None:
            self.export_button.setEnabled(True)
            self._finish_progress("")
            self.show_error(error, lambda: self.export_report(path))

        self.call(
            lambda api: gather_candidate_report(api, candidate_id, on_progress=progress),
            gathered,
            failed=failed,
        )

    def choose_video_file(self) -> None:
        if self.current is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the answer video", "answer.mp4", "Video (*.mp4 *.webm)"
        )
        if path:
            self.save_video(Path(path))

    def save_video(self, path: Path) -> None:
        """Download the answer through the resumable cache (progress shown), then copy it where asked."""
        if self.current is None:
            return
        response_id = self.current.response.id
        cache = self.media_cache

        def progress(done: int, total: int | None) -> None:
            run_on_main(lambda: self._show_progress(done, total, f"Downloading… {done // 1024} KB"))

        def work(_: DeskApi) -> Path:
            media = cache.fetch(response_id, on_progress=progress)
            try:
                shutil.copyfile(media.path, path)
            except OSError as exc:
                raise DeskError(
                    f"Can't save the video to {path} ({exc.strerror}).", fix="Choose another folder."
                ) from None
            return path

        self.save_video_button.setEnabled(False)

        def saved(written: Path) -> None:
            self.save_video_button.setEnabled(True)
            self._finish_progress(f"Video saved to {written}.")

        def failed(error: BaseException) -> None:
            self.save_video_button.setEnabled(True)
            self._finish_progress("")
            self.show_error(error, lambda: self.save_video(path))

        self.call(work, saved, failed=failed)
