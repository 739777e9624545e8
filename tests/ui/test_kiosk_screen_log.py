"""The kiosk's log names every screen it shows, the first one included: staff and the soak benchmark
(tests/benchmarks/kiosk_soak.py) read where the kiosk is from these lines."""

import logging

import pytest

from ui.kiosk.parts import KioskScreen
from ui.kiosk.window import KioskWindow


class StartScreen(KioskScreen):
    pass


class NextScreen(KioskScreen):
    pass


def test_each_screen_change_is_logged_once_starting_with_the_first(
    qtbot, caplog: pytest.LogCaptureFixture
) -> None:
    window = KioskWindow(locked_down=False)
    qtbot.addWidget(window)
    start = window.add_screen(StartScreen())  # the stack's current widget from here on
    following = window.add_screen(NextScreen())

    with caplog.at_level(logging.INFO, logger="ui.kiosk.window"):
        for screen in (start, start, following, following, start):
            window.show_screen(screen)

    assert [r.getMessage() for r in caplog.records if r.name == "ui.kiosk.window"] == [
        "kiosk screen: StartScreen",
        "kiosk screen: NextScreen",
        "kiosk screen: StartScreen",
    ]
