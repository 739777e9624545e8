"""One question: its text while it is spoken (or to read), think time, recording, saving, then review.

In review the candidate may watch the answer just recorded, in place of the camera picture, before
choosing to record it again or to go on.
"""

from itertools import pairwise
from pathlib import Path

from desktop_app.session.kiosk_views import Phase, QuestionView
from ui.kiosk.answer_playback import PICTURE_MINIMUM, AnswerPlayback
from ui.kiosk.parts import KioskButton, KioskScreen, button_row, text_label
from ui.qt import QFrame, QHBoxLayout, QStackedWidget, QVBoxLayout, Signal
from ui.tasks import gui_thread_only
from ui.widgets.camera_preview import CameraPreview
from ui.widgets.countdown import Countdown, clock_text, spoken_time
from ui.widgets.level_meter import LevelMeter

WATCHING_WORDS = "Playing your answer. Choose Stop to end it."


def phase_words(
    phase: Phase, *, spoken_aloud: bool, practice: bool, can_watch: bool, can_retake: bool
) -> str:
    """What the candidate is told to do now, in plain words."""
    if phase is Phase.speaking:
        return "Listen to the question." if spoken_aloud else "Read the question."
    if phase is Phase.thinking:
        first = "Take a moment to think." if spoken_aloud else "Read the question and take a moment to think."
        return f"{first} Recording starts when the time is up."
    if phase is Phase.recording:
        return "Recording. Look at the camera and answer in your own words."
    if phase is Phase.saving:
        return "Your answer is being saved. You don't need to wait: the next step comes in a moment."
    choices = [c for c, offered in (("watch it", can_watch), ("try again", can_retake)) if offered]
    if practice:
        lead = "That was the practice question. It was not saved."
        return f"{lead} You can {' or '.join(choices)} before the interview starts." if choices else lead
    if not choices:
        return "Your answer is recorded. Go on when you are ready."
    choices = [c.replace("try again", "record it again") for c in choices]
    return f"Your answer is recorded. You can {' or '.join(choices)}, or go on."


def time_limits_text(think_seconds: float, answer_seconds: float) -> str:
    """The limits of one question: "You get up to 30 seconds to think and up to 2 minutes to answer."."""
    if think_seconds < 0 or answer_seconds <= 0:
        raise ValueError(
            f"time limits must be think >= 0 and answer > 0 seconds, got {think_seconds}, {answer_seconds}"
        )
    answer = f"up to {spoken_time(answer_seconds)} to answer"
    if think_seconds == 0:
        return f"You get {answer}."
    return f"You get up to {spoken_time(think_seconds)} to think and {answer}."


def plan_overview_text(questions: list[tuple[float, float]]) -> str:
    """How many questions follow and how long each may take, from (think, answer) seconds per question."""
    if not questions:
        raise ValueError("the plan overview needs at least one question")
    count = f"You will answer {len(questions)} question{'s' if len(questions) != 1 else ''}."
    think = max(t for t, _ in questions)
    answer = max(a for _, a in questions)
    limits = time_limits_text(think, answer).removeprefix("You get ")
    if len(set(questions)) == 1:
        return f"{count} For each you get {limits}"
    return f"{count} Each has its own time limits, at most {limits}"


class QuestionScreen(KioskScreen):
    replay_requested = Signal()
    start_now_requested = Signal()
    done_requested = Signal()
    retake_requested = Signal()
    next_requested = Signal()
    playback_changed = Signal(bool)  # True while the candidate watches their answer (no input for minutes)

    def __init__(self) -> None:
        super().__init__()
        # Everything must fit a 1366x768 screen with larger text without scrolling (a candidate who is
        # recording cannot scroll back to the question): the question reads down the left column,
        # the picture and the clock stand in the right one, the buttons run under both.
        self.page.setContentsMargins(80, 12, 80, 16)
        self.page.setSpacing(12)
        columns = QHBoxLayout()
        columns.setSpacing(40)
        left = QVBoxLayout()
        left.setSpacing(12)
        header = QHBoxLayout()
        header.setSpacing(24)
        self.number_label = text_label("", role="questionNumber", wrap=False)
        self.attempt_label = text_label("", role="questionNumber", wrap=False)
        header.addWidget(self.number_label)
        header.addWidget(self.attempt_label)
        header.addStretch(1)
        left.addLayout(header)
        self.practice_label = text_label("Practice: this answer is not saved or sent.", role="hint")
        left.addWidget(self.practice_label)
        self.question_label = text_label("", role="questionText")
        self.question_label.setAccessibleName("Question")
        left.addWidget(self.question_label)
        self.phase_label = text_label("", role="kioskLead")
        left.addWidget(self.phase_label)
        left.addStretch(1)
        self.plan_card = QFrame()
        self.plan_card.setObjectName("card")
        card = QVBoxLayout(self.plan_card)
        card.setContentsMargins(20, 12, 20, 12)
        self.plan_label = text_label("")
        self.plan_label.setAccessibleName("What comes next")
        card.addWidget(self.plan_label)
        left.addWidget(self.plan_card)
        columns.addLayout(left, stretch=3)
        right = QVBoxLayout()
        right.setSpacing(10)
        self.preview = CameraPreview()
        self.preview.setMinimumSize(PICTURE_MINIMUM)
        self.playback = AnswerPlayback()
        self.picture = QStackedWidget()
        self.picture.addWidget(self.preview)
        self.picture.addWidget(self.playback)
        right.addWidget(self.picture, stretch=1)
        recording_row = QHBoxLayout()
        self.recording_badge = text_label("● Recording", role="recordingBadge", wrap=False)
        self.recording_badge.setAccessibleName("Recording now")
        self.elapsed_label = text_label("", role="hint", wrap=False)
        recording_row.addWidget(self.recording_badge)
        recording_row.addStretch(1)
        recording_row.addWidget(self.elapsed_label)
        right.addLayout(recording_row)
        self.countdown = Countdown("Think time left")
        right.addWidget(self.countdown)
        self.limits_label = text_label("", role="hint")
        right.addWidget(self.limits_label)
        level_row = QHBoxLayout()
        level_row.setSpacing(12)
        self.level_caption = text_label("Microphone", role="hint", wrap=False)
        self.level_meter = LevelMeter()
        level_row.addWidget(self.level_caption)
        level_row.addWidget(self.level_meter, stretch=1)
        right.addLayout(level_row)
        self.playback_note = text_label("", role="hint")
        right.addWidget(self.playback_note)
        columns.addLayout(right, stretch=2)
        self.page.addLayout(columns, stretch=1)
        self.replay_button = KioskButton(
            "Replay question", secondary=True, accessible_name="Hear the question again"
        )
        self.start_now_button = KioskButton(
            "Start answering now", accessible_name="Skip the thinking time; start recording"
        )
        self.done_button = KioskButton(
            "I'm done", accessible_name="I have finished my answer; stop recording"
        )
        self.watch_button = KioskButton(
            "Watch my answer", secondary=True, accessible_name="Watch and hear the answer you just recorded"
        )
        self.stop_button = KioskButton("Stop", secondary=True, accessible_name="Stop playing my answer")
        self.retake_button = KioskButton(
            "Record again", secondary=True, accessible_name="Record this answer again"
        )
        self.next_button = KioskButton("Next question", accessible_name="Go to the next question")
        self.replay_button.clicked.connect(self.replay_requested)
        self.start_now_button.clicked.connect(self.start_now_requested)
        self.done_button.clicked.connect(self.done_requested)
        self.watch_button.clicked.connect(self.watch_answer)
        self.stop_button.clicked.connect(self.playback.stop)
        self.retake_button.clicked.connect(self._retake)
        self.next_button.clicked.connect(self._next)
        self.playback.stopped.connect(self._playback_stopped)
        self.playback.failed.connect(self._playback_failed)
        order = (
            self.start_now_button,
            self.done_button,
            self.next_button,
            self.watch_button,
            self.stop_button,
            self.retake_button,
            self.replay_button,
        )
        self.page.addLayout(button_row(*order))
        for first, second in pairwise(order):
            self.setTabOrder(first, second)
        self.phase = Phase.speaking
        self.practice = False
        self.is_last = False
        self.can_retake = False
        self.spoken_aloud = True
        self.answer_media: Path | None = None
        self.plan_overview = ""
        self._shown_question: tuple[bool, int, int, str] | None = None
        self.show_phase(Phase.speaking)

    # -- what the controller calls ------------------------------------------------------------------
    @gui_thread_only
    def show_view(self, view: QuestionView) -> None:
        """Show the engine's view of the question: a new question, or a new phase of the one shown."""
        if (view.practice, view.number, view.total, view.text) != self._shown_question:
            self.show_question(
                number=view.number,
                total=view.total,
                text=view.text,
                practice=view.practice,
                is_last=view.is_last,
                attempt=view.attempt,
                max_attempts=view.max_attempts,
            )
        self.spoken_aloud = view.spoken_aloud
        self.set_time_limits(view.think_seconds, view.answer_seconds)
        self.set_attempt(view.attempt, view.max_attempts)
        self.set_answer_media(view.answer_media if view.phase is Phase.review else None)
        self.show_phase(view.phase)

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
        self.playback.stop()
        self._shown_question = (practice, number, total, text)
        self.practice = practice
        self.is_last = is_last
        self.answer_media = None
        self.number_label.setText("Practice question" if practice else f"Question {number} of {total}")
        self.practice_label.setVisible(practice)
        self.question_label.setText(text)
        self.question_label.setAccessibleDescription(text)
        self.set_attempt(attempt, max_attempts)
        self.elapsed_label.setText("")
        self.limits_label.setText("")
        self.next_button.setText(
            "Start the interview" if practice else ("Finish" if is_last else "Next question")
        )
        self.next_button.setAccessibleName(self.next_button.text())
        if practice:
            self.retake_button.setText("Try again")
            self.retake_button.setAccessibleName("Try the practice question again")
        else:
            self.retake_button.setText("Record again")
            self.retake_button.setAccessibleName("Record this answer again")
        self.show_phase(Phase.speaking)
        self.focus_first()

    @gui_thread_only
    def show_plan_overview(self, questions: list[tuple[float, float]]) -> None:
        """Shown on the practice question's review, above "Start the interview"."""
        self.plan_overview = plan_overview_text(questions)
        self.plan_label.setText(self.plan_overview)
        self._show_buttons()

    def set_time_limits(self, think_seconds: float, answer_seconds: float) -> None:
        """Told while the question is read out, so the candidate knows what to expect; 0 answer: not known."""
        self.limits_label.setText(time_limits_text(think_seconds, answer_seconds) if answer_seconds else "")

    def set_answer_media(self, path: Path | None) -> None:
        """The answer just recorded, which "Watch my answer" plays; None (or no such file) offers no watching."""
        if path is not None and not path.is_file():
            path = None
        if path != self.answer_media:
            self.playback.stop()
            self.playback_note.setText("")
        self.answer_media = path

    def clear(self) -> None:
        """Nothing of the last candidate stays behind on this screen."""
        self.playback.stop()
        self._shown_question = None
        self.answer_media = None
        self.plan_overview = ""
        for label in (
            self.question_label,
            self.number_label,
            self.elapsed_label,
            self.limits_label,
            self.playback_note,
            self.plan_label,
        ):
            label.clear()
        self.preview.clear()

    def set_attempt(self, attempt: int, max_attempts: int) -> None:
        self.attempt_label.setText(f"Attempt {attempt} of {max_attempts}" if max_attempts > 1 else "")
        self.can_retake = attempt < max_attempts

    def show_phase(self, phase: Phase, *, can_retake: bool | None = None) -> None:
        changed = phase is not self.phase
        self.phase = phase
        if can_retake is not None:
            self.can_retake = can_retake
        if phase is not Phase.review:
            self.playback.stop()
            self.playback_note.setText("")
        recording = phase is Phase.recording
        self.recording_badge.setVisible(recording)
        self.level_meter.setVisible(recording)
        self.level_caption.setVisible(recording)
        self.countdown.setVisible(phase in (Phase.thinking, Phase.recording))
        self.countdown.set_caption("Time left to answer" if recording else "Think time left")
        self.limits_label.setVisible(phase in (Phase.speaking, Phase.thinking))
        self._show_buttons()
        if changed or not self._focus_is_usable():
            self.focus_first()

    @gui_thread_only
    def set_countdown(self, remaining: float, total: float) -> None:
        self.countdown.set_remaining(remaining, total)

    @gui_thread_only
    def set_recorded(self, seconds: float) -> None:
        self.elapsed_label.setText(f"Recorded {clock_text(seconds)}")

    def focus_first(self) -> None:
        for button in (self.done_button, self.next_button, self.start_now_button, self.stop_button):
            if button.isVisibleTo(self) and button.isEnabled():
                button.setFocus()
                return

    # -- watching the answer ------------------------------------------------------------------------
    def watch_answer(self) -> None:
        if self.phase is not Phase.review or self.answer_media is None:
            return
        self.playback_note.setText("")
        self.playback.play(self.answer_media)
        if not self.playback.playing:
            return  # refused (the file is gone): _playback_failed said so
        self.picture.setCurrentWidget(self.playback)
        self._show_buttons()
        self.stop_button.setFocus()
        self.playback_changed.emit(True)

    def _playback_stopped(self) -> None:
        self.picture.setCurrentWidget(self.preview)
        stop_had_focus = self.stop_button.hasFocus()
        self._show_buttons()
        if stop_had_focus and self.watch_button.isVisibleTo(self):
            self.watch_button.setFocus()  # where the candidate was before watching
        elif not self._focus_is_usable():
            self.focus_first()
        self.playback_changed.emit(False)

    def _playback_failed(self, sentence: str) -> None:
        was_watching = self.watch_button.hasFocus() or self.stop_button.hasFocus()
        self.playback_note.setText(sentence)
        self._show_buttons()  # Qt hands a hidden button's focus to the next one: "Record again"
        if was_watching or not self._focus_is_usable():
            self.focus_first()

    def _retake(self) -> None:
        self.playback.stop()
        self.retake_requested.emit()

    def _next(self) -> None:
        self.playback.stop()
        self.next_requested.emit()

    # -- which buttons and words ----------------------------------------------------------------------
    def _show_buttons(self) -> None:
        phase = self.phase
        review = phase is Phase.review
        watching = review and self.playback.playing
        can_watch = review and self.answer_media is not None and not self.playback_note.text()
        asking = phase in (Phase.speaking, Phase.thinking)
        shown = {
            self.replay_button: asking and self.spoken_aloud,
            self.start_now_button: asking,
            self.done_button: phase is Phase.recording,
            self.watch_button: can_watch and not watching,
            self.stop_button: watching,
            self.retake_button: review and self.can_retake,
            self.next_button: review,
            self.plan_card: review and self.practice and bool(self.plan_overview),
            self.playback_note: review and bool(self.playback_note.text()),
            self.elapsed_label: phase in (Phase.recording, Phase.saving, Phase.review),
        }
        # hide before showing: for a moment the old and the new buttons together are wider than the
        # screen, and the window would grow to hold them (and never shrink back)
        for widget in sorted(shown, key=lambda w: shown[w]):
            widget.setVisible(shown[widget])
        self.replay_button.setEnabled(phase is Phase.thinking)
        self.phase_label.setText(
            WATCHING_WORDS
            if watching
            else phase_words(
                phase,
                spoken_aloud=self.spoken_aloud,
                practice=self.practice,
                can_watch=can_watch,
                can_retake=self.can_retake,
            )
        )

    def _focus_is_usable(self) -> bool:
        focused = self.focusWidget()
        return focused is not None and focused.isVisibleTo(self) and focused.isEnabled()
