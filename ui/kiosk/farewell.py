"""The last screen: answers saved (or the candidate declined); then the station resets by itself."""

from ui.kiosk.parts import KioskButton, KioskScreen, button_row, text_label
from ui.qt import QFrame, QHBoxLayout, QTimer, QVBoxLayout, Signal

RESET_AFTER_SECONDS = 20


def what_happens_next(organization: str, *, online: bool) -> str:
    """Who looks at the answers, roughly when, and who gets in touch: a candidate leaves knowing."""
    org = organization or "the organization that invited you"
    sent = (
        f"1. Your answers go to the hiring team at {org}."
        if online
        else f"1. This station is offline right now. It sends your answers to {org} by itself when it "
        "is back online. Nothing is lost."
    )
    return (
        f"What happens next:\n{sent}\n"
        "2. A person on the hiring team watches them, usually within a few working days.\n"
        f"3. {org} contacts you about the next step."
    )


class FarewellScreen(KioskScreen):
    done = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.page.addStretch(2)
        self.title = text_label("", role="kioskTitle", centre=True)
        self.lead = text_label("", role="kioskLead", centre=True)
        self.detail = text_label("")
        self.detail.setObjectName("nextSteps")
        self.countdown_label = text_label("", role="hint", centre=True)
        self.page.addWidget(self.title)
        self.page.addWidget(self.lead)
        card = QFrame()
        card.setObjectName("card")
        inside = QVBoxLayout(card)
        inside.setContentsMargins(32, 20, 32, 20)
        inside.addWidget(self.detail)
        # centred by stretches, not by alignment: an aligned box gets its height for another width
        # and cuts the last wrapped lines off
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(card, stretch=8)
        centred.addStretch(1)
        self.page.addLayout(centred)
        self.done_button = KioskButton("Done", accessible_name="Done; return to the start")
        self.done_button.clicked.connect(self._finish)
        self.page.addSpacing(12)
        self.page.addLayout(button_row(self.done_button, centre=True))
        self.page.addWidget(self.countdown_label)
        self.page.addStretch(3)
        self.reset_after = RESET_AFTER_SECONDS
        self._left = 0
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)

    def show_finished(self, *, name: str, organization: str, answers: int, online: bool) -> None:
        self.title.setText(f"Thank you, {name}!" if name else "Thank you!")
        saved = "Your answer is saved" if answers == 1 else f"Your {answers} answers are saved"
        self.lead.setText(f"{saved}. You can leave now: there is nothing else to do.")
        self.detail.setText(what_happens_next(organization, online=online))
        self._start_countdown()

    def show_declined(self, *, organization: str) -> None:
        org = organization or "the organization that invited you"
        self.title.setText("Thank you for your time")
        self.lead.setText("You chose not to take part. Nothing was recorded.")
        self.detail.setText(
            f"Your choice is noted, and this access code is now used up. If you change your mind, "
            f"please contact {org} for a new invitation. You can leave now."
        )
        self._start_countdown()

    def show_message(self, title: str, lead: str, detail: str = "") -> None:
        self.title.setText(title)
        self.lead.setText(lead)
        self.detail.setText(detail)
        self._start_countdown()

    def _start_countdown(self) -> None:
        self._left = self.reset_after
        self._show_left()
        self._timer.start()
        self.done_button.setEnabled(True)

    def _show_left(self) -> None:
        self.countdown_label.setText(f"This screen returns to the start in {self._left} seconds.")

    def _tick(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self._finish()
        else:
            self._show_left()

    def _finish(self) -> None:
        self._timer.stop()
        self.done_button.setEnabled(False)
        self.done.emit()

    def stop(self) -> None:
        self._timer.stop()
        for label in (self.title, self.lead, self.detail, self.countdown_label):
            label.clear()

    def focus_first(self) -> None:
        self.done_button.setFocus()
