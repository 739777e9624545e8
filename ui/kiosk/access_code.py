"""Access code entry: large, forgiving of case, spaces and dashes; clear errors; attempts limited."""

import re

from ui.kiosk.parts import KioskButton, KioskScreen, button_row, text_label
from ui.qt import QLineEdit, Qt, QTimer, Signal
from ui.widgets.countdown import spoken_time

MAX_CODE_LENGTH = 32
MAX_WRONG_CODES = 5
LOCKOUT_SECONDS = 60
_SEPARATORS = re.compile(r"[\s\-_.·–—]+")


def normalize_access_code(typed: str) -> str:
    """What the candidate typed, as the server expects it: upper case, no spaces or dashes."""
    return _SEPARATORS.sub("", typed).upper()


def tries_left_sentence(tries_left: int, lockout_seconds: int) -> str:
    """Before the lock, not after it: a person who knows they have one try left checks the letter first."""
    pause = "a minute" if lockout_seconds == 60 else spoken_time(lockout_seconds)
    tries = f"{tries_left} {'try' if tries_left == 1 else 'tries'}"
    return f"{tries} left before the station pauses for {pause}."


def group_for_display(code: str) -> str:
    """ABCD2345 -> ABCD-2345: easier to compare with the invitation."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class AccessCodeScreen(KioskScreen):
    code_entered = Signal(str)  # normalized
    back_requested = Signal()
    too_many_wrong_codes = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.page.addStretch(1)
        self.page.addWidget(text_label("Enter your access code", role="kioskTitle", centre=True))
        self.page.addWidget(
            text_label(
                "You find it in your invitation. Capital or small letters, spaces and dashes do not matter.",
                role="kioskLead",
                centre=True,
            )
        )
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("accessCode")
        self.code_edit.setAccessibleName("Access code")
        self.code_edit.setAccessibleDescription(
            "Type the access code from your invitation, then press Enter."
        )
        self.code_edit.setPlaceholderText("ABCD-2345")
        self.code_edit.setMaxLength(MAX_CODE_LENGTH + 8)
        self.code_edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_edit.setInputMethodHints(
            Qt.InputMethodHint.ImhNoPredictiveText | Qt.InputMethodHint.ImhPreferUppercase
        )
        self.code_edit.returnPressed.connect(self._submit)
        self.code_edit.textEdited.connect(lambda _: self.clear_error())
        self.page.addWidget(self.code_edit, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.error_label = text_label("", role="inlineError", centre=True)
        self.error_label.setAccessibleName("Problem with the access code")
        self.page.addWidget(self.error_label)
        self.back_button = KioskButton("Back", secondary=True, accessible_name="Back to the start")
        self.back_button.clicked.connect(self.back_requested)
        self.continue_button = KioskButton("Continue", accessible_name="Check the access code and continue")
        self.continue_button.clicked.connect(self._submit)
        self.page.addLayout(button_row(self.back_button, self.continue_button, centre=True))
        self.busy_label = text_label("", role="hint", centre=True)
        self.page.addWidget(self.busy_label)
        self.page.addStretch(2)
        self.setTabOrder(self.code_edit, self.continue_button)
        self.setTabOrder(self.continue_button, self.back_button)
        self.wrong_codes = 0
        self.lockout_seconds = LOCKOUT_SECONDS
        self._lock_left = 0
        self._lock_timer = QTimer(self)
        self._lock_timer.setInterval(1000)
        self._lock_timer.timeout.connect(self._tick_lock)

    def reset(self) -> None:
        """Clear what the last person typed. A running lock stays: walking away must not undo it."""
        self.code_edit.clear()
        self.set_busy(False)
        if not self.locked:
            self.clear_error()
            self.wrong_codes = 0

    def focus_first(self) -> None:
        self.code_edit.setFocus()

    def candidate_data_shown(self) -> bool:
        return True  # someone is in the middle of a visit: if they walk away, go back to the start

    def _submit(self) -> None:
        if self._lock_left or not self.continue_button.isEnabled():
            return
        code = normalize_access_code(self.code_edit.text())
        if not code:
            self.show_error("Please type your access code first.")
            return
        if len(code) > MAX_CODE_LENGTH or not code.isalnum():
            self.show_error("That does not look like an access code. It has only letters and digits.")
            return
        self.code_edit.setText(group_for_display(code))
        self.set_busy(True)
        self.code_entered.emit(code)

    def set_busy(self, busy: bool) -> None:
        self.code_edit.setReadOnly(busy)
        self.continue_button.setEnabled(not busy)
        self.busy_label.setText("Checking your code…" if busy else "")

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.setAccessibleDescription(message)

    def clear_error(self) -> None:
        self.error_label.setText("")

    def code_refused(self, message: str, *, counts_as_wrong: bool = True) -> None:
        """The server (or the network) refused the code: say why, count wrong codes, lock after too many."""
        self.set_busy(False)
        self.code_edit.selectAll()
        self.code_edit.setFocus()
        if counts_as_wrong:
            self.wrong_codes += 1
        if self.wrong_codes >= MAX_WRONG_CODES:
            self._lock_left = self.lockout_seconds
            self.code_edit.setEnabled(False)
            self.continue_button.setEnabled(False)
            self._tick_lock(initial=True)
            self._lock_timer.start()
            self.too_many_wrong_codes.emit()
            return
        if self.wrong_codes:
            message = f"{message}\n{tries_left_sentence(self.tries_left, self.lockout_seconds)}"
        self.show_error(message)

    @property
    def tries_left(self) -> int:
        return MAX_WRONG_CODES - self.wrong_codes

    def _tick_lock(self, *, initial: bool = False) -> None:
        if not initial:
            self._lock_left -= 1
        if self._lock_left <= 0:
            self._lock_timer.stop()
            self.wrong_codes = 0
            self.code_edit.setEnabled(True)
            self.continue_button.setEnabled(True)
            self.code_edit.clear()
            self.clear_error()
            self.code_edit.setFocus()
            return
        self.show_error(
            f"That was {MAX_WRONG_CODES} wrong codes. Please check your invitation or ask a member of staff. "
            f"You can try again in {spoken_time(self._lock_left)}."
        )

    @property
    def locked(self) -> bool:
        return self._lock_left > 0
