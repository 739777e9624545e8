"""Notice and consent: what is recorded, who sees it, AI help, retention, deletion; a people-only choice."""

from dataclasses import dataclass

from sync_server.contract import InterviewPlan
from ui.kiosk.parts import KioskButton, KioskScreen, button_row, text_label
from ui.qt import QCheckBox, QFrame, QGridLayout, QTextBrowser, Signal


@dataclass(frozen=True)
class ConsentChoice:
    agreed: bool
    people_only: bool
    version: str


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
        ("How long it is kept", f"Only as long as {org}'s retention policy allows."),
        (
            "Deletion",
            f"You can ask {org} to delete your recordings at any time. "
            f"Your interview reference is {plan.interview_id[:8].upper()}.",
        ),
    ]


class ConsentScreen(KioskScreen):
    decided = Signal(object)  # ConsentChoice

    def __init__(self) -> None:
        super().__init__()
        self.page.setSpacing(16)
        self.title = text_label("Before we start", role="kioskTitle")
        self.page.addWidget(self.title)
        card = QFrame()
        card.setObjectName("card")
        self.points = QGridLayout(card)
        self.points.setContentsMargins(28, 20, 28, 20)
        self.points.setHorizontalSpacing(28)
        self.points.setVerticalSpacing(12)
        self.points.setColumnStretch(1, 1)
        self.page.addWidget(card)
        self.page.addWidget(text_label("The full notice from the organization:", role="hint"))
        self.notice = QTextBrowser()
        self.notice.setObjectName("consentText")
        self.notice.setAccessibleName("Full privacy notice")
        self.notice.setOpenLinks(False)
        self.notice.setMinimumHeight(120)
        self.page.addWidget(self.notice, stretch=1)
        self.people_only = QCheckBox("I want to be evaluated by people only, without AI help")
        self.people_only.setAccessibleName("Evaluate me by people only, without AI help")
        self.page.addWidget(self.people_only)
        self.decline_button = KioskButton(
            "I do not agree", secondary=True, accessible_name="I do not agree; end"
        )
        self.agree_button = KioskButton(
            "I agree, continue", accessible_name="I agree to the recording; continue"
        )
        self.decline_button.clicked.connect(lambda: self._decide(agreed=False))
        self.agree_button.clicked.connect(lambda: self._decide(agreed=True))
        self.page.addLayout(button_row(self.agree_button, self.decline_button))
        self.setTabOrder(self.notice, self.people_only)
        self.setTabOrder(self.people_only, self.agree_button)
        self.setTabOrder(self.agree_button, self.decline_button)
        self._version = "default-1"

    def show_plan(self, plan: InterviewPlan) -> None:
        self._clear_points()
        for row, (heading, text) in enumerate(notice_points(plan)):
            self.points.addWidget(text_label(heading, role="orgName", wrap=False), row, 0)
            self.points.addWidget(text_label(text), row, 1)
        name = plan.candidate_display_name.strip()
        self.title.setText(f"Hello {name}, before we start" if name else "Before we start")
        self.notice.setPlainText(plan.consent.text)
        self.people_only.setChecked(False)
        self._version = plan.consent.version
        self.agree_button.setEnabled(True)
        self.decline_button.setEnabled(True)

    def clear(self) -> None:
        """Nothing of the last candidate stays behind on this screen."""
        self._clear_points()
        self.title.setText("Before we start")
        self.notice.clear()
        self.people_only.setChecked(False)

    def _clear_points(self) -> None:
        while self.points.count():
            item = self.points.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.hide()  # at once: deleteLater alone leaves it drawn until the event loop runs
                widget.setParent(None)
                widget.deleteLater()

    def focus_first(self) -> None:
        self.agree_button.setFocus()

    def _decide(self, *, agreed: bool) -> None:
        self.agree_button.setEnabled(False)
        self.decline_button.setEnabled(False)
        self.decided.emit(ConsentChoice(agreed, self.people_only.isChecked(), self._version))
