"""Compare two or more candidates side by side on the same question: video, transcript, score."""

from dataclasses import dataclass

from desktop_app.desk.api import DeskApi
from desktop_app.desk.media_stream import MediaRelay
from desktop_app.desk.pipeline import latest_interview
from desktop_app.desk.views import ScoreView
from sync_server.contract import InterviewStatus, JobOut, QuestionOut, ResponseSummary, Transcript
from ui.qt import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.review.page import DeskPage
from ui.widgets.score_panel import ScorePanel
from ui.widgets.transcript_view import TranscriptView
from ui.widgets.video_player import VideoPlayer


@dataclass(frozen=True)
class JobQuestions:
    job: JobOut
    questions: list[QuestionOut]
    candidates: list[tuple[str, str]]  # (candidate id, name) with an interview


@dataclass(frozen=True)
class ComparedAnswer:
    candidate_name: str
    response: ResponseSummary | None
    transcript: Transcript | None
    score: ScoreView | None


def load_job_questions(api: DeskApi, job_id: str) -> JobQuestions:
    job = api.job(job_id)
    questions = api.question_set(job.question_set_id).questions if job.question_set_id else []
    seen: dict[str, str] = {}
    for interview in api.interviews(job_id=job_id):
        if interview.status in (InterviewStatus.in_progress, InterviewStatus.completed):  # someone answered
            seen.setdefault(interview.candidate_id, interview.candidate_name)
    return JobQuestions(job, questions, sorted(seen.items(), key=lambda item: item[1].lower()))


def load_answers(
    api: DeskApi, job_id: str, question_id: str, candidates: list[tuple[str, str]]
) -> list[ComparedAnswer]:
    answers = []
    for candidate_id, name in candidates:
        interview = latest_interview(api.interviews(job_id=job_id, candidate_id=candidate_id))
        response = None
        if interview is not None:
            attempts = [r for r in api.interview(interview.id).responses if r.question_id == question_id]
            response = max(attempts, key=lambda r: r.attempt) if attempts else None
        transcript = api.transcript(response.id) if response and response.has_transcript else None
        score = api.score(response.id) if response else None
        answers.append(ComparedAnswer(name, response, transcript, score))
    return answers


class CompareColumn(QFrame):
    def __init__(self, answer: ComparedAnswer, relay: MediaRelay, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        self.name_label = QLabel(answer.candidate_name)
        self.name_label.setObjectName("sectionTitle")
        layout.addWidget(self.name_label)
        self.player = VideoPlayer()
        self.player.setMinimumHeight(240)
        self.transcript = TranscriptView()
        self.transcript.setMinimumHeight(140)
        self.score = ScorePanel()
        layout.addWidget(self.player)
        layout.addWidget(self.transcript)
        layout.addWidget(self.score)
        if answer.response is None:
            self.player.close_media("No answer to this question")
            self.transcript.show_message("No answer to this question.")
        else:
            if answer.response.has_media:
                self.player.open(relay.url_for(answer.response.id))
            else:
                self.player.close_media("The video has not arrived yet")
            if answer.transcript is not None:
                self.transcript.set_transcript(answer.transcript)
            elif answer.response.has_transcript:
                self.transcript.show_message("This server does not serve transcripts to reviewers yet.")
            else:
                self.transcript.show_message("The transcript has not arrived from the station yet.")
        self.score.show_score(answer.score)
        self.player.position_changed.connect(self.transcript.set_position)
        self.transcript.seek_requested.connect(self.player.seek_and_play)
        self.score.seek_requested.connect(self.player.seek_and_play)


class ComparePage(DeskPage):
    title = "Compare"

    def __init__(self, api: DeskApi, relay: MediaRelay, parent: QWidget | None = None) -> None:
        super().__init__(api, parent)
        self.relay = relay
        self.job_questions: JobQuestions | None = None
        self.job_picker = QComboBox()
        self.job_picker.setMinimumWidth(240)
        self.question_picker = QComboBox()
        self.question_picker.setMinimumWidth(360)
        self.header_layout.addWidget(self.job_picker)
        self.header_layout.addWidget(self.question_picker)

        body = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel("Candidates (tick two or more)"))
        self.candidate_list = QListWidget()
        self.candidate_list.setAccessibleName("Candidates to compare")
        self.candidate_list.setFixedWidth(240)
        left.addWidget(self.candidate_list, 1)
        self.compare_button = QPushButton("Compare")
        left.addWidget(self.compare_button)
        body.addLayout(left)
        self.columns_host = QWidget()
        self.columns_layout = QHBoxLayout(self.columns_host)
        self.columns_layout.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.hint = QLabel("Pick a job, a question and two or more candidates.")
        self.hint.setObjectName("muted")
        self.columns_layout.addWidget(self.hint)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.columns_host)
        body.addWidget(scroll, 1)
        self.page_layout.addLayout(body, 1)
        self.columns: list[CompareColumn] = []

        self.job_picker.activated.connect(lambda _: self.load_job())
        self.compare_button.clicked.connect(self.compare)

    def refresh(self) -> None:
        self.call(lambda api: api.jobs(), self._show_jobs, retry=self.refresh)

    def _show_jobs(self, jobs: list[JobOut]) -> None:
        current = self.job_picker.currentData()
        self.job_picker.clear()
        for job in jobs:
            self.job_picker.addItem(job.title, job.id)
        index = self.job_picker.findData(current) if current else 0
        self.job_picker.setCurrentIndex(max(0, index))
        self.load_job()

    def load_job(self) -> None:
        job_id = self.job_picker.currentData()
        if job_id:
            self.call(lambda api: load_job_questions(api, job_id), self._show_job, retry=self.load_job)

    def _show_job(self, loaded: JobQuestions) -> None:
        self.job_questions = loaded
        self.question_picker.clear()
        if not loaded.questions:
            self.question_picker.addItem("This job has no questions yet", None)
        for number, question in enumerate(sorted(loaded.questions, key=lambda q: q.position), start=1):
            self.question_picker.addItem(f"{number}. {question.text}", question.id)
        self.candidate_list.clear()
        for candidate_id, name in loaded.candidates:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, candidate_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.candidate_list.addItem(item)

    def ticked(self) -> list[tuple[str, str]]:
        chosen = []
        for row in range(self.candidate_list.count()):
            item = self.candidate_list.item(row)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                chosen.append((item.data(Qt.ItemDataRole.UserRole), item.text()))
        return chosen

    def compare(self) -> None:
        chosen = self.ticked()
        question_id = self.question_picker.currentData()
        if len(chosen) < 2 or question_id is None or self.job_questions is None:
            self.error_banner.show_sentence("Pick a question and tick at least two candidates to compare.")
            return
        job_id = self.job_questions.job.id
        self.call(
            lambda api: load_answers(api, job_id, question_id, chosen), self._show_answers, retry=self.compare
        )

    def _show_answers(self, answers: list[ComparedAnswer]) -> None:
        for column in self.columns:
            column.player.close_media()
            column.deleteLater()
        self.columns = []
        self.hint.hide()
        for answer in answers:
            column = CompareColumn(answer, self.relay)
            self.columns.append(column)
            self.columns_layout.addWidget(column)
