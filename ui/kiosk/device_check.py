"""Device check: the candidate sees themselves, reads a sentence out loud, sees the microphone respond,
and reads what to fix, in plain words."""

from desktop_app.devices.voice_level import zone_sentence
from desktop_app.findings import Finding, Status
from ui.kiosk.parts import KioskButton, KioskScreen, button_row, text_label
from ui.qt import QApplication, QFrame, QHBoxLayout, QVBoxLayout, Signal
from ui.widgets.camera_preview import CameraPreview
from ui.widgets.level_meter import LevelMeter

_MARKS = {Status.ok: "✔", Status.warn: "!", Status.fail: "✖"}
_WORDS = {Status.ok: "OK", Status.warn: "Check", Status.fail: "Problem"}
SENTENCE_TO_READ = "Today is a good day for an interview, and I am ready to begin."


def finding_sentence(finding: Finding) -> str:
    """One finding as the candidate reads it: the sentence, then what to do when it is not fine."""
    if finding.status is not Status.ok and finding.fix:
        return f"{finding.message} {finding.fix}"
    return finding.message


class DeviceCheckScreen(KioskScreen):
    check_again_requested = Signal()
    continue_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.page.addWidget(text_label("Camera and microphone check", role="kioskTitle"))
        self.page.addWidget(
            text_label("Put your face in the middle of the picture and read this out loud:", role="kioskLead")
        )
        self.sentence_label = text_label(f"“{SENTENCE_TO_READ}”", role="sayThis")
        self.sentence_label.setAccessibleName(f"Sentence to read out loud: {SENTENCE_TO_READ}")
        self.page.addWidget(self.sentence_label)
        row = QHBoxLayout()
        row.setSpacing(32)
        picture = QVBoxLayout()
        picture.setSpacing(8)
        # Names a demo stand-in for a missing camera or microphone, right where the candidate looks.
        self.stand_in_label = text_label("", role="standIn")
        self.stand_in_label.hide()
        picture.addWidget(self.stand_in_label)
        self.preview = CameraPreview()
        self.preview.setMinimumSize(320, 180)
        picture.addWidget(self.preview, stretch=1)
        row.addLayout(picture, stretch=1)
        # Everything the check says sits beside the picture: on a 1366x768 screen there is no height
        # for a row of words under it.
        side = QVBoxLayout()
        side.setSpacing(10)
        side.addWidget(text_label("Microphone", role="hint"))
        self.level_meter = LevelMeter()
        side.addWidget(self.level_meter)
        self.level_words = text_label("", role="levelWords")
        self.level_words.hide()
        side.addWidget(self.level_words)
        self.findings_box = QFrame()
        self.findings_box.setAccessibleName("What the check found")
        self.findings_box.setObjectName("card")
        self.findings_layout = QVBoxLayout(self.findings_box)
        self.findings_layout.setContentsMargins(20, 12, 20, 12)
        self.findings_layout.setSpacing(10)
        side.addWidget(self.findings_box)
        self.status_label = text_label("", role="statusWords")
        side.addWidget(self.status_label)
        side.addStretch(1)
        row.addLayout(side, stretch=1)  # as wide as the picture: findings read in fewer lines
        self.page.addLayout(row, stretch=1)
        self.again_button = KioskButton(
            "Check again", secondary=True, accessible_name="Check the devices again"
        )
        self.again_button.clicked.connect(self.check_again_requested)
        self.continue_button = KioskButton("Continue", accessible_name="Devices are fine; continue")
        self.continue_button.clicked.connect(self.continue_requested)
        self.page.addLayout(button_row(self.continue_button, self.again_button))
        self.setTabOrder(self.continue_button, self.again_button)
        self.finding_labels: list[str] = []  # the lines shown
        self.finding_details: list[str] = []  # every finding in full (what a screen reader hears)
        self._listening = False

    def set_level(self, dbfs: float, peak_dbfs: float | None = None) -> None:
        self.level_meter.set_level(dbfs, peak_dbfs)
        if self._listening:  # afterwards the findings say it, in the same words: never two verdicts
            self._show_level_words(zone_sentence(self.level_meter.zone))

    def show_stand_ins(self, labels: list[str]) -> None:
        """Say which devices are demo stand-ins ("Demo camera (no webcam found): ..."); [] hides it."""
        self.stand_in_label.setText("\n".join(labels))
        self.stand_in_label.setAccessibleName(" ".join(labels))
        self.stand_in_label.setVisible(bool(labels))

    def set_checking(self) -> None:
        self._clear_findings()
        self._listening = True
        self.level_meter.clear()  # judge this check's voice only, as the check itself does
        self._show_level_words(zone_sentence(self.level_meter.zone))
        self.status_label.setText("Checking… please read the sentence out loud.")
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            focused.clearFocus()  # nothing to press while listening: show the top, where the sentence is
        self.scroll_area.verticalScrollBar().setValue(0)
        waiting = text_label("The results appear here in a few seconds.", role="hint")
        self.findings_layout.addWidget(waiting)  # not a finding: finding_labels stays empty
        self.continue_button.setEnabled(False)
        self.again_button.setEnabled(False)

    def show_findings(self, findings: list[Finding]) -> None:
        self._clear_findings()
        self._listening = False
        self._show_level_words("")
        # What needs doing comes first, one line each; what is fine is one line: a short screen with
        # larger text has no room for eight lines, and a nervous candidate no need for them.
        to_act_on = sorted(
            (f for f in findings if f.status is not Status.ok), key=lambda f: f.status != Status.fail
        )
        fine = [f for f in findings if f.status is Status.ok]
        for finding in to_act_on:
            self._add_line(
                f"{_MARKS[finding.status]}  {finding_sentence(finding)}",
                f"{_WORDS[finding.status]}: {finding_sentence(finding)}",
            )
        if fine:
            summary = "We can see and hear you well." if not to_act_on else "Everything else is fine."
            self._add_line(f"{_MARKS[Status.ok]}  {summary}", " ".join(f.message for f in fine))
        self.finding_details = [finding_sentence(f) for f in to_act_on] + [f.message for f in fine]
        blocking = [f for f in findings if f.blocks]
        if blocking:
            self.status_label.setText("Please fix this, then choose Check again. Or ask a member of staff.")
        elif any(f.status is not Status.ok for f in findings):
            self.status_label.setText("You can continue. The hint above may help your recording.")
        else:
            self.status_label.setText("Everything looks good.")
        self.continue_button.setEnabled(not blocking)
        self.again_button.setEnabled(True)
        (self.again_button if blocking else self.continue_button).setFocus()

    def _show_level_words(self, text: str) -> None:
        self.level_words.setText(text)
        self.level_words.setVisible(bool(text))

    def _add_line(self, text: str, spoken: str) -> None:
        label = text_label(text, role="finding")
        label.setAccessibleName(spoken)
        self.findings_layout.addWidget(label)
        self.finding_labels.append(text)

    def _clear_findings(self) -> None:
        self.finding_labels = []
        self.finding_details = []
        while self.findings_layout.count():
            item = self.findings_layout.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.hide()  # at once: deleteLater alone leaves it drawn until the event loop runs
                widget.setParent(None)
                widget.deleteLater()

    def focus_first(self) -> None:
        (self.continue_button if self.continue_button.isEnabled() else self.again_button).setFocus()
