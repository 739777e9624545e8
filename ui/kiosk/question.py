"""One question: its text while it is spoken, think time, recording with time left, then retake or next."""

from desktop_app.session.kiosk_views import Phase
from ui.kiosk.parts import KioskButton, KioskScreen, button_row, text_label
from ui.qt import QHBoxLayout, QVBoxLayout, Signal
from ui.widgets.camera_preview import CameraPreview
from ui.widgets.countdown import Countdown, clock_text
from ui.widgets.level_meter import LevelMeter

_PHASE_WORDS = {
    Phase.speaking: "Listen to the question.",
    Phase.thinking: "Take a moment to think. Recording starts when the time is up.",
    Phase.recording: "Recording. Look at the camera and answer in your own words.",
    Phase.saving: "Saving your answer…",
    Phase.review: "Your answer is recorded. Go on to the next question, or record this answer again.",
}


class QuestionScreen(KioskScreen):
    replay_requested = Signal()
    start_now_requested = Signal()
    done_requested = Signal()
    retake_requested = Signal()
    next_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.page.setSpacing(18)
        header = QHBoxLayout()
        self.number_label = text_label("", role="questionNumber", wrap=False)
        self.practice_label = text_label("Practice question: this answer is not saved or sent.", role="hint")
        self.practice_label.setObjectName("hint")
        header.addWidget(self.number_label)
        header.addStretch(1)
        header.addWidget(self.practice_label)
        self.page.addLayout(header)
        self.question_label = text_label("", role="questionText")
        self.question_label.setAccessibleName("Question")
        self.page.addWidget(self.question_label)
        self.phase_label = text_label("", role="kioskLead")
        self.page.addWidget(self.phase_label)
        body = QHBoxLayout()
        body.setSpacing(48)
        self.preview = CameraPreview()
        self.preview.setMinimumSize(400, 225)
        body.addWidget(self.preview, stretch=3)
        side = QVBoxLayout()
        side.setSpacing(12)
        self.recording_badge = text_label("● Recording", role="recordingBadge", wrap=False)
        self.recording_badge.setAccessibleName("Recording now")
        side.addWidget(self.recording_badge)
        self.countdown = Countdown("Think time left")
        side.addWidget(self.countdown)
        self.elapsed_label = text_label("", role="hint")
        side.addWidget(self.elapsed_label)
        self.level_caption = text_label("Microphone", role="hint")
        side.addWidget(self.level_caption)
        self.level_meter = LevelMeter()
        side.addWidget(self.level_meter)
        self.attempt_label = text_label("", role="hint")
        side.addWidget(self.attempt_label)
        side.addStretch(1)
        body.addLayout(side, stretch=2)
        self.page.addLayout(body, stretch=1)
        self.replay_button = KioskButton(
            "Replay question", secondary=True, accessible_name="Hear the question again"
        )
        self.start_now_button = KioskButton(
            "Start answering now", accessible_name="Skip the thinking time; start recording"
        )
        self.done_button = KioskButton(
            "I'm done", accessible_name="I have finished my answer; stop recording"
        )
        self.retake_button = KioskButton(
            "Record again", secondary=True, accessible_name="Record this answer again"
        )
        self.next_button = KioskButton("Next question", accessible_name="Go to the next question")
        self.replay_button.clicked.connect(self.replay_requested)
        self.start_now_button.clicked.connect(self.start_now_requested)
        self.done_button.clicked.connect(self.done_requested)
        self.retake_button.clicked.connect(self.retake_requested)
        self.next_button.clicked.connect(self.next_requested)
        self.page.addLayout(
            button_row(
                self.start_now_button,
                self.done_button,
                self.next_button,
                self.retake_button,
                self.replay_button,
            )
        )
        for first, second in (
            (self.start_now_button, self.done_button),
            (self.done_button, self.next_button),
            (self.next_button, self.retake_button),
            (self.retake_button, self.replay_button),
        ):
            self.setTabOrder(first, second)
        self.phase = Phase.speaking
        self.practice = False
        self.is_last = False
        self.can_retake = False
        self.show_phase(Phase.speaking)

    def show_question(
        self,
        *,
        number: int,
        total: int,
        text: str,
        practice: bool,
        is_last: bool,
        attempt: int,
        max_attempts: int,
    ) -> None:
        self.practice = practice
        self.is_last = is_last
        self.number_label.setText("Practice question" if practice else f"Question {number} of {total}")
        self.practice_label.setVisible(practice)
        self.question_label.setText(text)
        self.question_label.setAccessibleDescription(text)
        self.set_attempt(attempt, max_attempts)
        self.elapsed_label.setText("")
        self.next_button.setText(
            "Start the interview" if practice else ("Finish" if is_last else "Next question")
        )
        self.next_button.setAccessibleName(self.next_button.text())
        self.show_phase(Phase.speaking)

    def clear(self) -> None:
        """Nothing of the last candidate stays behind on this screen."""
        self.question_label.clear()
        self.number_label.clear()
        self.elapsed_label.clear()
        self.preview.clear()

    def set_attempt(self, attempt: int, max_attempts: int) -> None:
        self.attempt_label.setText(f"Attempt {attempt} of {max_attempts}" if max_attempts > 1 else "")
        self.can_retake = attempt < max_attempts

    def show_phase(self, phase: Phase, *, can_retake: bool | None = None) -> None:
        self.phase = phase
        if can_retake is not None:
            self.can_retake = can_retake
        self.phase_label.setText(_PHASE_WORDS[phase])
        recording = phase is Phase.recording
        self.recording_badge.setVisible(recording)
        self.level_meter.setVisible(recording)
        self.level_caption.setVisible(recording)
        self.countdown.setVisible(phase in (Phase.thinking, Phase.recording))
        self.countdown.set_caption("Time left to answer" if recording else "Think time left")
        self.replay_button.setVisible(phase in (Phase.speaking, Phase.thinking))
        self.replay_button.setEnabled(phase is Phase.thinking)
        self.start_now_button.setVisible(phase in (Phase.speaking, Phase.thinking))
        self.done_button.setVisible(recording)
        self.retake_button.setVisible(phase is Phase.review and self.can_retake)
        self.next_button.setVisible(phase is Phase.review)
        if phase is Phase.review and self.practice:
            self.phase_label.setText("That was the practice question. It was not saved.")
        self.focus_first()

    def set_countdown(self, remaining: float, total: float) -> None:
        self.countdown.set_remaining(remaining, total)

    def set_recorded(self, seconds: float) -> None:
        self.elapsed_label.setText(f"Recorded {clock_text(seconds)}")

    def focus_first(self) -> None:
        for button in (self.done_button, self.next_button, self.start_now_button):
            if button.isVisibleTo(self) and button.isEnabled():
                button.setFocus()
                return
