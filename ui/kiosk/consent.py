"""Notice and consent: what is recorded, who sees it, AI help, retention, deletion; a people-only choice.

Nothing is pre-chosen for the candidate: focus starts on the notice, not on "I agree", and "I do not
agree" asks once more, because it uses up the access code.
"""

import html
from dataclasses import dataclass

from sync_server.contract import InterviewPlan
from ui.kiosk.parts import KioskButton, KioskScreen, button_row, text_label
from ui.qt import QCheckBox, QFrame, QKeyEvent, Qt, QTextBrowser, QVBoxLayout, QWidget, Signal


@dataclass(frozen=True)
class ConsentChoice:
    agreed: bool
    people_only: bool
    version: str


def kept_for(plan: InterviewPlan) -> str:
    """How long recordings are kept, from the organization's retention setting when the plan has it."""
    org = plan.organization.name or "the organization that invited you"
    days = plan.consent.retention_days
    if days is None:
        return f"Until {org} deletes them."
    if days >= 60:
        months = round(days / 30.4)
        about = "about a year" if months == 12 else f"about {months} months"
        return f"{days} days ({about}) after your interview ends. Then they are deleted."
    return f"{days} day{'s' if days != 1 else ''} after your interview ends. Then they are deleted."


def notice_points(plan: InterviewPlan) -> list[tuple[str, str]]:
    """The notice in five short answers, so nobody has to read a wall of text to know what happens."""
    org = plan.organization.name or "The organization that invited you"
    return [
        (
            "What is recorded",
            "Video and sound of your answers, and a written transcript made here on this station.",
        ),
        ("Who sees it", f"The hiring team at {org}. Nobody else."),
        (
            "AI help",
            "AI may help the team evaluate the written transcript. A person makes every decision. "
            "You can choose to be evaluated by people only below.",
        ),
        ("How long it is kept", kept_for(plan)),
        (
            "Deletion",
            f"You can ask {org} to delete your recordings at any time. "
            f"Your interview reference is {plan.interview_id[:8].upper()}.",
        ),
    ]


def notice_html(plan: InterviewPlan) -> str:
    """The five points, then the organization's own notice: one text to read and scroll, by key or touch."""
    org = html.escape(plan.organization.name or "the organization")
    points = "".join(
        f"<p style='margin-bottom:10px'><b>{html.escape(heading)}:</b> {html.escape(text)}</p>"
        for heading, text in notice_points(plan)
    )
    full = "".join(f"<p>{html.escape(part)}</p>" for part in plan.consent.text.split("\n\n") if part.strip())
    return f"{points}<hr/><p><b>The full notice from {org}:</b></p>{full}"


class DeclineConfirmation(QFrame):
    """Asked before declining: the access code is used up, so a slip of the finger must not end it."""

    go_back = Signal()
    confirmed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("declineConfirm")  # not "card": card buttons are the small kind
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 32, 40, 32)
        layout.setSpacing(20)
        layout.addWidget(text_label("End without taking part?", role="kioskTitle"))
        self.message = text_label("", role="kioskLead")
        layout.addWidget(self.message)
        self.back_button = KioskButton("Go back", accessible_name="Go back to the notice")
        self.back_button.clicked.connect(self.go_back)
        self.end_button = KioskButton(
            "Yes, end without recording",
            secondary=True,
            accessible_name="Yes, I do not agree: end the interview; my access code is used up",
        )
        self.end_button.clicked.connect(self.confirmed)
        layout.addLayout(button_row(self.back_button, self.end_button))
        layout.addStretch(1)
        self.setTabOrder(self.back_button, self.end_button)

    def ask(self, organization: str) -> None:
        org = organization or "the organization that invited you"
        text = (
            "Nothing will be recorded and the interview ends now. Your access code is then used up: "
            f"it will not work again. To take part later you would need a new invitation from {org}."
        )
        self.message.setText(text)
        self.setAccessibleDescription(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:  # the safe way out, as in any dialog
            self.go_back.emit()
            return
        super().keyPressEvent(event)


class ConsentScreen(KioskScreen):
    decided = Signal(object)  # ConsentChoice

    def __init__(self) -> None:
        super().__init__()
        self.page.setSpacing(16)
        self.form = QWidget()
        form = QVBoxLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(16)
        self.title = text_label("Before we start", role="kioskTitle")
        form.addWidget(self.title)
        form.addWidget(
            text_label("Please read this first. Scroll with the arrow keys or your finger.", role="hint")
        )
        self.notice = QTextBrowser()
        self.notice.setObjectName("consentText")
        self.notice.setAccessibleName("Privacy notice: what is recorded and who sees it")
        self.notice.setOpenLinks(False)
        self.notice.setTabChangesFocus(True)  # Tab leaves the text for the choice, it does not walk links
        self.notice.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.notice.setMinimumHeight(120)
        form.addWidget(self.notice, stretch=1)
        self.people_only = QCheckBox("I want to be evaluated by people only, without AI help")
        self.people_only.setAccessibleName("Evaluate me by people only, without AI help")
        form.addWidget(self.people_only)
        self.decline_button = KioskButton(
            "I do not agree", secondary=True, accessible_name="I do not agree; asks before ending"
        )
        self.agree_button = KioskButton(
            "I agree, continue", accessible_name="I agree to the recording; continue"
        )
        self.decline_button.clicked.connect(self._ask_to_confirm_decline)
        self.agree_button.clicked.connect(lambda: self._decide(agreed=True))
        form.addLayout(button_row(self.decline_button, self.agree_button))
        self.page.addWidget(self.form, stretch=1)
        self.confirm = DeclineConfirmation()
        self.confirm.go_back.connect(self._back_to_notice)
        self.confirm.confirmed.connect(lambda: self._decide(agreed=False))
        self.confirm.hide()
        self.page.addWidget(self.confirm, stretch=1)
        # The order the soak benchmark (and a keyboard user) relies on: read, choose, then decide.
        self.setTabOrder(self.notice, self.people_only)
        self.setTabOrder(self.people_only, self.decline_button)
        self.setTabOrder(self.decline_button, self.agree_button)
        self._version = "default-1"
        self._organization = ""

    def show_plan(self, plan: InterviewPlan) -> None:
        name = plan.candidate_display_name.strip()
        self.title.setText(f"Hello {name}, before we start" if name else "Before we start")
        self.notice.setHtml(notice_html(plan))
        self.notice.verticalScrollBar().setValue(0)
        self.people_only.setChecked(False)
        self._version = plan.consent.version
        self._organization = plan.organization.name
        self.agree_button.setEnabled(True)
        self.decline_button.setEnabled(True)
        self.confirm.end_button.setEnabled(True)
        self._show_form()

    def clear(self) -> None:
        """Nothing of the last candidate stays behind on this screen."""
        self.title.setText("Before we start")
        self.notice.clear()
        self.people_only.setChecked(False)
        self._organization = ""
        self._show_form()

    @property
    def confirming_decline(self) -> bool:
        return self.confirm.isVisibleTo(self)

    def focus_first(self) -> None:
        if self.confirming_decline:
            self.confirm.back_button.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.notice.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_form(self) -> None:
        self.confirm.hide()
        self.form.show()

    def _ask_to_confirm_decline(self) -> None:
        self.confirm.ask(self._organization)
        self.form.hide()
        self.confirm.show()
        self.confirm.back_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _back_to_notice(self) -> None:
        self._show_form()
        self.decline_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _decide(self, *, agreed: bool) -> None:
        self.agree_button.setEnabled(False)
        self.decline_button.setEnabled(False)
        self.confirm.end_button.setEnabled(False)
        self.decided.emit(ConsentChoice(agreed, self.people_only.isChecked(), self._version))
