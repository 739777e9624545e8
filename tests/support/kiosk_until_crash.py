"""A kiosk that runs an interview by keyboard up to the recording of question 2, then waits to be killed.

`python -m tests.support.kiosk_until_crash` with KIOSK_TEST_DATA_DIR, KIOSK_TEST_CAMERA, KIOSK_TEST_CODE
and KIOSK_TEST_SPEECH set; the crash-and-resume test starts it, waits for "RECORDING QUESTION 2" and
sends SIGKILL. Uses the real PulseAudio of the test (inherited environment) for the microphone.
"""

import os
import sys
import time
from pathlib import Path

from desktop_app.session.kiosk_views import Phase
from ui.kiosk.app import build_kiosk
from ui.qt import QApplication, Qt
from ui.tasks import install_main_thread_relay


def main() -> int:
    from PySide6.QtTest import QTest

    from tests.support.kiosk_driver import kiosk_settings

    app = QApplication(sys.argv)
    install_main_thread_relay()
    settings = kiosk_settings(Path(os.environ["KIOSK_TEST_DATA_DIR"]), Path(os.environ["KIOSK_TEST_CAMERA"]))
    speech = os.environ["KIOSK_TEST_SPEECH"]
    controller = build_kiosk(settings, locked_down=True)
    controller.start()
    s = controller.screens

    def until(condition, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                print(f"TIMEOUT on {s.window.current_screen}", flush=True)
                sys.exit(3)
            app.processEvents()
            time.sleep(0.02)

    def enter() -> None:
        until(lambda: QApplication.focusWidget() is not None)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    def speak() -> None:
        """Play the speech into the virtual microphone while the kiosk keeps running."""
        import subprocess

        player = subprocess.Popen(["paplay", "--device=micfeed", speech])
        until(lambda: player.poll() is not None, 30)

    until(lambda: s.window.current_screen is s.attract)
    s.attract.contrast_button.click()  # the candidate's look must come back after the restart
    enter()
    until(lambda: s.access_code.code_edit.hasFocus())
    QTest.keyClicks(s.access_code.code_edit, os.environ["KIOSK_TEST_CODE"])
    enter()
    until(lambda: s.window.current_screen is s.consent and s.consent.notice.hasFocus())
    for _ in range(3):  # notice -> people only -> I do not agree -> I agree
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    until(lambda: s.consent.agree_button.hasFocus())
    enter()
    until(lambda: bool(s.device_check.finding_labels))
    if not s.device_check.continue_button.isEnabled():
        enter()  # check again while speaking
        until(lambda: not s.device_check.finding_labels)
        speak()
        until(lambda: bool(s.device_check.finding_labels) and s.device_check.continue_button.isEnabled())
    until(lambda: s.device_check.continue_button.hasFocus())
    enter()
    for label in ("Practice question", "Question 1 of 2"):
        until(
            lambda label=label: (
                s.question.number_label.text() == label and s.question.start_now_button.hasFocus()
            )
        )
        enter()
        until(lambda: s.question.phase is Phase.recording and s.question.done_button.hasFocus())
        speak()
        enter()
        until(lambda: s.question.phase is Phase.review or s.question.number_label.text() == "Question 2 of 2")
        if s.question.phase is Phase.review:
            until(lambda: s.question.next_button.hasFocus())
            enter()
    until(lambda: s.question.number_label.text() == "Question 2 of 2" and s.question.phase is Phase.recording)
    print("RECORDING QUESTION 2", flush=True)
    while True:  # recording until the test pulls the plug
        app.processEvents()
        time.sleep(0.02)


if __name__ == "__main__":
    sys.exit(main())
