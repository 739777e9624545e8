"""After the station restarted mid-interview: reassure the candidate that their answers are kept, then go on."""

from ui.kiosk.parts import KioskButton, KioskScreen, button_row, text_label
from ui.qt import Signal
from ui.tasks import gui_thread_only

TITLE = "Welcome back — we saved your answers so far"


def resume_words(*, answers_saved: int, questions: int, next_question: int) -> tuple[str, str]:
    """(what is saved, what comes next) in plain words. Raises ValueError for counts that cannot be."""
    if questions < 1 or not 0 <= answers_saved <= questions or not 1 <= next_question <= questions + 1:
        raise ValueError(
            f"cannot resume at question {next_question} with {answers_saved} of {questions} answers saved"
        )
    if answers_saved == 0:
        saved = "The station restarted before your first answer was finished. Nothing is lost."
    elif answers_saved == questions:
        saved = "The station restarted. " + (
            "Your answer is saved." if questions == 1 else f"All {questions} of your answers are saved."
        )
    else:
        verb = "is" if answers_saved == 1 else "are"
        saved = f"The station restarted. {answers_saved} of your {questions} answers {verb} saved."
    if next_question > questions:
        upcoming = "All the questions are answered: choose Continue to finish."
    else:
        upcoming = f"Next is question {next_question} of {questions}. Choose Continue when you are ready."
    return saved, upcoming


class WelcomeBackScreen(KioskScreen):
    continue_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.page.addStretch(2)
        self.title = text_label(TITLE, role="kioskTitle", centre=True)
        self.saved_label = text_label("", role="kioskLead", centre=True)
        self.next_label = text_label("", role="kioskLead", centre=True)
        for label in (self.title, self.saved_label, self.next_label):
            self.page.addWidget(label)
        self.continue_button = KioskButton("Continue", accessible_name="Continue the interview")
        self.continue_button.clicked.connect(self.continue_requested)
        self.page.addSpacing(16)
        self.page.addLayout(button_row(self.continue_button, centre=True))
        self.page.addStretch(3)

    @gui_thread_only
    def show_resume(self, answers_saved: int, questions: int, next_question: int) -> None:
        """`next_question` is 1-based; one past the last means every answer is in and only finishing is left."""
        saved, upcoming = resume_words(
            answers_saved=answers_saved, questions=questions, next_question=next_question
        )
        self.saved_label.setText(saved)
        self.next_label.setText(upcoming)
        # the button is what a screen reader lands on: it carries the whole message
        self.continue_button.setAccessibleDescription(f"{TITLE}. {saved} {upcoming}")
        self.focus_first()

    def focus_first(self) -> None:
        self.continue_button.setFocus()

    def clear(self) -> None:
        self.saved_label.clear()
        self.next_label.clear()
        self.continue_button.setAccessibleDescription("")
