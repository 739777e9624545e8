"""Driving the kiosk the way a candidate does: keys only. Used by the flow tests and the crash script."""

from collections.abc import Callable
from pathlib import Path

from desktop_app.config import StationSettings, load_settings
from desktop_app.session.kiosk_views import Phase
from ui.kiosk.controller import KioskController
from ui.qt import QApplication, Qt, QWidget
from ui.tasks import pending_tasks

KEY_WAIT_MS = 30_000


def kiosk_settings(data_dir: Path, camera: Path, **overrides: object) -> StationSettings:
    """Small and quick: 640x480 at 15 fps, short practice, the default (virtual) microphone and speaker."""
    values: dict[str, object] = {
        "data_dir": data_dir,
        "camera": str(camera),
        "video_width": 640,
        "video_height": 480,
        "video_fps": 15,
        "kiosk_practice_think_seconds": 0,
        "kiosk_practice_answer_seconds": 5,
        "speech_beam_size": 1,
        **overrides,
    }
    return load_settings(**values)


class KioskDriver:
    """Presses keys on whatever has focus, and waits for what a person would wait for."""

    def __init__(self, qtbot: object, controller: KioskController) -> None:
        self.qtbot = qtbot
        self.controller = controller
        self.screens = controller.screens

    def wait(self, condition: Callable[[], bool], timeout: int = KEY_WAIT_MS) -> None:
        self.qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)  # type: ignore[attr-defined]

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has keyboard focus"
        return widget

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(self.focused(), key, modifier)  # type: ignore[attr-defined]

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self.focused(), text)  # type: ignore[attr-defined]

    def enter(self) -> None:
        self.press(Qt.Key.Key_Return)

    def tab(self, times: int = 1) -> None:
        for _ in range(times):
            self.press(Qt.Key.Key_Tab)

    def on(self, screen: QWidget, timeout: int = KEY_WAIT_MS) -> None:
        self.wait(lambda: self.screens.window.current_screen is screen, timeout)

    def focus_is(self, widget: QWidget) -> None:
        self.wait(widget.hasFocus, 5000)

    def phase(self, phase: Phase, timeout: int = KEY_WAIT_MS) -> None:
        question = self.screens.question
        self.wait(lambda: self.screens.window.current_screen is question and question.phase is phase, timeout)

    def question_number(self, text: str, timeout: int = KEY_WAIT_MS) -> None:
        self.wait(lambda: self.screens.question.number_label.text() == text, timeout)

    def settle(self) -> None:
        self.wait(lambda: pending_tasks() == 0, 10_000)
