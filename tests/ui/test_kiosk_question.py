"""The question screen as the engine drives it (show_view), and the welcome-back screen after a restart.

Playback is proved on real recordings (H.264 + AAC, written like the station writes answers): frames
must arrive through the player's QVideoSink, and stopping must let go of the file.
"""

import re
from dataclasses import replace
from pathlib import Path

import pytest

from desktop_app.session.kiosk_views import Phase, QuestionView
from tests.support.media import write_answer_recording, write_tone_wav
from ui.kiosk.parts import KioskButton
from ui.kiosk.question import QuestionScreen, plan_overview_text, time_limits_text
from ui.kiosk.screens import KioskScreens
from ui.kiosk.welcome_back import TITLE, WelcomeBackScreen, resume_words
from ui.kiosk.window import KioskWindow
from ui.qt import QApplication, QLabel, QMediaPlayer, Qt, QUrl, QWidget
from ui.style import Look, look_stylesheet

QUESTION = QuestionView(
    number=1,
    total=3,
    text="Tell us about a time you helped a colleague.",
    practice=False,
    is_last=False,
    attempt=1,
    max_attempts=2,
    phase=Phase.speaking,
    think_seconds=30,
    answer_seconds=120,
)
PRACTICE = replace(QUESTION, number=0, practice=True, text="Please introduce yourself.")
LONG_QUESTION = (
    "Tell us about a time you had to explain a complicated idea to someone without a technical "
    "background. How did you make sure they understood?"
)


@pytest.fixture
def screens(qtbot):
    built = KioskScreens(locked_down=False)
    qtbot.addWidget(built.window)
    built.window.enter_kiosk_mode()
    qtbot.waitExposed(built.window)
    built.window.show_screen(built.question)
    yield built
    built.shutdown()
    built.window.allow_close = True


@pytest.fixture(scope="module")
def answer_file(tmp_path_factory) -> Path:
    """A 3 s answer as the station records it: H.264 video and AAC audio."""
    folder = tmp_path_factory.mktemp("answer")
    return write_answer_recording(folder / "answer.mp4", write_tone_wav(folder / "tone.wav", seconds=3.0))


def visible_buttons(screen: QWidget) -> set[str]:
    return {b.text() for b in screen.findChildren(KioskButton) if b.isVisibleTo(screen)}


def test_a_question_that_could_not_be_spoken_says_read_it_and_offers_no_replay(screens):
    screen = screens.question
    screen.show_view(replace(QUESTION, spoken_aloud=False))
    assert screen.phase_label.text() == "Read the question."
    assert not screen.replay_button.isVisibleTo(screen)
    screen.show_view(replace(QUESTION, spoken_aloud=False, phase=Phase.thinking))
    assert screen.phase_label.text().startswith("Read the question and take a moment to think.")
    assert visible_buttons(screen) == {"Start answering now"}

    screen.show_view(replace(QUESTION, number=2))
    assert screen.phase_label.text() == "Listen to the question."
    screen.show_view(replace(QUESTION, number=2, phase=Phase.thinking))
    assert screen.replay_button.isVisibleTo(screen) and screen.replay_button.isEnabled()


def test_focus_goes_where_the_keyboard_expects_it_in_every_phase(qtbot, screens, answer_file):
    screen = screens.question
    for view, focused in (
        (replace(QUESTION, phase=Phase.thinking), screen.start_now_button),
        (replace(QUESTION, phase=Phase.recording), screen.done_button),
        (replace(QUESTION, phase=Phase.review, answer_media=answer_file), screen.next_button),
        (replace(QUESTION, phase=Phase.review, attempt=2, answer_media=answer_file), screen.next_button),
        (replace(PRACTICE, phase=Phase.review, answer_media=answer_file), screen.next_button),
        (
            replace(QUESTION, number=3, is_last=True, phase=Phase.review, answer_media=answer_file),
            screen.next_button,
        ),
    ):
        screen.show_view(view)
        assert QApplication.focusWidget() is focused, view
        assert QApplication.focusWidget() is not screen.retake_button
    assert screen.next_button.text() == "Finish"
    assert visible_buttons(screen) == {"Finish", "Watch my answer", "Record again"}
    # Tab order follows the row: next, watch, record again
    qtbot.keyClick(screen.next_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is screen.watch_button
    qtbot.keyClick(screen.watch_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is screen.retake_button


def test_saving_says_the_answer_is_being_saved_and_they_can_go_on(screens):
    screen = screens.question
    screen.show_view(replace(QUESTION, phase=Phase.recording))
    screen.set_recorded(42)
    screen.show_view(replace(QUESTION, phase=Phase.saving))
    assert screen.phase_label.text() == (
        "Your answer is being saved. You don't need to wait: the next step comes in a moment."
    )
    assert visible_buttons(screen) == set()
    assert screen.elapsed_label.text() == "Recorded 0:42"


def test_the_candidate_watches_their_answer_and_stops_it_by_keyboard(qtbot, screens, answer_file):
    screen = screens.question
    screen.playback.audio.setMuted(True)  # sound is heard on a station; not in the test run
    changes: list[bool] = []
    screen.playback_changed.connect(changes.append)
    screen.show_view(replace(QUESTION, phase=Phase.review, answer_media=answer_file))
    assert screen.phase_label.text() == (
        "Your answer is recorded. You can watch it or record it again, or go on."
    )
    screen.watch_button.setFocus()
    qtbot.keyClick(screen.watch_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.playback.frames_shown >= 5, timeout=20000)
    assert screen.picture.currentWidget() is screen.playback
    assert screen.stop_button.hasFocus() and visible_buttons(screen) == {
        "Next question",
        "Stop",
        "Record again",
    }
    assert screen.phase_label.text() == "Playing your answer. Choose Stop to end it."
    qtbot.waitUntil(
        lambda: bool(re.fullmatch(r"0:0\d of 0:04", screen.playback.time_label.text())), timeout=5000
    )
    # the engine repeating the same view (e.g. a sync update) neither stops the answer nor moves focus
    screen.show_view(replace(QUESTION, phase=Phase.review, answer_media=answer_file))
    assert screen.playback.playing and screen.stop_button.hasFocus()

    qtbot.keyClick(screen.stop_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not screen.playback.playing, timeout=5000)
    player = screen.playback.player
    # the file is let go (the station may move it next), by the event loop: see answer_playback.py
    qtbot.waitUntil(lambda: player.source() == QUrl(), timeout=5000)
    assert player.playbackState() == QMediaPlayer.PlaybackState.StoppedState
    assert screen.picture.currentWidget() is screen.preview
    assert screen.watch_button.hasFocus()
    assert changes == [True, False]


def test_the_answer_plays_to_its_end_and_the_camera_comes_back(qtbot, screens, answer_file):
    screen = screens.question
    screen.playback.audio.setMuted(True)
    screen.show_view(replace(QUESTION, phase=Phase.review, answer_media=answer_file))
    with qtbot.waitSignal(screen.playback_changed, timeout=20000) as ended:
        screen.watch_answer()
        qtbot.waitUntil(lambda: screen.playback.frames_shown > 0, timeout=20000)
    assert ended.args == [True]
    with qtbot.waitSignal(screen.playback_changed, timeout=20000) as ended:
        pass
    assert ended.args == [False]
    assert screen.picture.currentWidget() is screen.preview
    assert screen.watch_button.isVisibleTo(screen)


@pytest.mark.parametrize("choice", ["retake", "next", "new phase"])
def test_record_again_or_moving_on_stops_the_answer_first(qtbot, screens, answer_file, choice):
    screen = screens.question
    screen.playback.audio.setMuted(True)
    screen.show_view(replace(QUESTION, phase=Phase.review, answer_media=answer_file))
    screen.watch_answer()
    qtbot.waitUntil(lambda: screen.playback.frames_shown > 0, timeout=20000)
    emitted: list[str] = []
    screen.retake_requested.connect(lambda: emitted.append(f"retake, playing={screen.playback.playing}"))
    screen.next_requested.connect(lambda: emitted.append(f"next, playing={screen.playback.playing}"))
    if choice == "retake":
        screen.retake_button.click()
        assert emitted == ["retake, playing=False"]
    elif choice == "next":
        screen.next_button.click()
        assert emitted == ["next, playing=False"]
    else:
        screen.show_view(replace(QUESTION, attempt=2, phase=Phase.thinking))
    assert not screen.playback.playing
    qtbot.waitUntil(lambda: screen.playback.player.source() == QUrl(), timeout=5000)
    assert screen.picture.currentWidget() is screen.preview


def test_a_damaged_answer_file_is_explained_and_not_offered_again(qtbot, screens, tmp_path):
    screen = screens.question
    damaged = tmp_path / "answer.mp4"
    damaged.write_bytes(b"not a video" * 1000)
    screen.show_view(replace(QUESTION, phase=Phase.review, answer_media=damaged))
    screen.watch_button.setFocus()
    qtbot.keyClick(screen.watch_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(screen.playback_note.text()), timeout=20000)
    assert screen.playback_note.text().startswith("We can't play this recording back here.")
    assert not screen.watch_button.isVisibleTo(screen) and screen.next_button.hasFocus()
    assert screen.picture.currentWidget() is screen.preview

    screen.show_view(replace(QUESTION, phase=Phase.review, answer_media=tmp_path / "gone.mp4"))
    assert "Watch my answer" not in visible_buttons(screen)


def test_practice_can_be_watched_and_tried_again_and_shows_what_follows(screens, answer_file):
    screen = screens.question
    screen.show_plan_overview([(30, 120), (30, 120)])
    screen.show_view(replace(PRACTICE, phase=Phase.review, answer_media=answer_file))
    assert visible_buttons(screen) == {"Start the interview", "Watch my answer", "Try again"}
    assert screen.phase_label.text() == (
        "That was the practice question. It was not saved. "
        "You can watch it or try again before the interview starts."
    )
    assert screen.plan_card.isVisibleTo(screen)
    assert screen.plan_label.text() == (
        "You will answer 2 questions. For each you get up to 30 seconds to think and up to 2 minutes to answer."
    )
    # the plan sits above the primary button
    assert (
        screen.plan_card.geometry().bottom()
        < screen.next_button.mapTo(screen, screen.next_button.rect().topLeft()).y()
    )

    screen.show_view(replace(PRACTICE, phase=Phase.review, attempt=2, answer_media=answer_file))
    assert visible_buttons(screen) == {"Start the interview", "Watch my answer"}
    screen.show_view(replace(QUESTION, phase=Phase.review, answer_media=answer_file))
    assert not screen.plan_card.isVisibleTo(screen)
    assert screen.retake_button.text() == "Record again"


def test_time_limits_are_told_in_words():
    assert time_limits_text(30, 120) == "You get up to 30 seconds to think and up to 2 minutes to answer."
    assert time_limits_text(0, 90) == "You get up to 1 minute 30 seconds to answer."
    assert plan_overview_text([(20, 60), (30, 120)]) == (
        "You will answer 2 questions. Each has its own time limits, at most up to 30 seconds to think "
        "and up to 2 minutes to answer."
    )
    assert plan_overview_text([(0, 60)]).startswith(
        "You will answer 1 question. For each you get up to 1 minute"
    )
    with pytest.raises(ValueError, match="at least one question"):
        plan_overview_text([])
    with pytest.raises(ValueError, match="think >= 0 and answer > 0"):
        time_limits_text(-1, 60)


def test_the_question_says_its_time_limits_while_it_is_read(screens):
    screen = screens.question
    screen.show_view(QUESTION)
    assert screen.limits_label.isVisibleTo(screen)
    assert screen.limits_label.text() == "You get up to 30 seconds to think and up to 2 minutes to answer."
    screen.show_view(replace(QUESTION, phase=Phase.recording))
    assert not screen.limits_label.isVisibleTo(screen)


def test_welcome_back_says_what_is_saved_and_continues_by_keyboard(qtbot, screens):
    screen = screens.welcome_back
    screens.window.show_screen(screen)
    screen.show_resume(2, 5, 3)
    assert screen.title.text() == TITLE
    assert screen.saved_label.text() == "The station restarted. 2 of your 5 answers are saved."
    assert screen.next_label.text() == "Next is question 3 of 5. Choose Continue when you are ready."
    assert screen.continue_button.hasFocus() and visible_buttons(screen) == {"Continue"}
    assert screen.continue_button.accessibleDescription().startswith(TITLE)
    with qtbot.waitSignal(screen.continue_requested):
        qtbot.keyClick(screen.continue_button, Qt.Key.Key_Return)


@pytest.mark.parametrize(
    ("saved", "questions", "next_question", "expected"),
    [
        (
            0,
            3,
            1,
            (
                "The station restarted before your first answer was finished. Nothing is lost.",
                "Next is question 1 of 3.",
            ),
        ),
        (1, 3, 2, ("The station restarted. 1 of your 3 answers is saved.", "Next is question 2 of 3.")),
        (
            3,
            3,
            4,
            ("The station restarted. All 3 of your answers are saved.", "All the questions are answered"),
        ),
        (1, 1, 2, ("The station restarted. Your answer is saved.", "All the questions are answered")),
    ],
)
def test_resume_words(saved, questions, next_question, expected):
    said, upcoming = resume_words(answers_saved=saved, questions=questions, next_question=next_question)
    assert said == expected[0] and upcoming.startswith(expected[1])


@pytest.mark.parametrize(
    ("saved", "questions", "next_question"), [(4, 3, 4), (1, 3, 0), (0, 0, 1), (1, 3, 5)]
)
def test_impossible_resume_counts_are_refused(saved, questions, next_question):
    with pytest.raises(ValueError, match="cannot resume"):
        resume_words(answers_saved=saved, questions=questions, next_question=next_question)


def clipped(screen: QWidget) -> list[str]:
    """Visible labels and buttons that are cut off: outside the screen, or shorter than their text needs."""
    problems = []
    area = screen.rect()
    for widget in screen.findChildren(QWidget):
        if not widget.isVisibleTo(screen) or not isinstance(widget, QLabel | KioskButton):
            continue
        rect = widget.rect().translated(widget.mapTo(screen, widget.rect().topLeft()))
        text = widget.text()
        if not text:
            continue
        if not area.contains(rect):
            problems.append(f"{text!r} outside the screen: {rect} not in {area}")
        elif isinstance(widget, QLabel) and widget.wordWrap():
            if widget.height() < widget.heightForWidth(widget.width()):
                problems.append(
                    f"{text!r} needs {widget.heightForWidth(widget.width())} px, has {widget.height()}"
                )
        else:  # a one-line label or a button: its text fits (a button's with room for its 4 px focus border)
            metrics = widget.fontMetrics()
            border = 8 if isinstance(widget, KioskButton) else 0
            need = (metrics.horizontalAdvance(text) + border, metrics.height() + border)
            if widget.width() < need[0] or widget.height() < need[1]:
                problems.append(f"{text!r} cut: {widget.size()} for text needing {need}")
    return problems


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_nothing_is_clipped_in_large_high_contrast_text(qtbot, answer_file, size):
    """In the real window chrome, with only these screens, so another screen's size cannot hide a problem."""
    app = QApplication.instance()
    app.setStyleSheet(look_stylesheet(Look(large_text=True, high_contrast=True)))
    window = KioskWindow(locked_down=False)
    qtbot.addWidget(window)
    question, welcome_back = QuestionScreen(), WelcomeBackScreen()
    window.add_screen(question)
    window.add_screen(welcome_back)
    window.show()
    window.resize(*size)
    qtbot.waitExposed(window)
    try:
        question.show_plan_overview([(30, 120), (20, 90)])
        window.show_screen(question)
        for view in (
            replace(PRACTICE, text=LONG_QUESTION),
            replace(QUESTION, text=LONG_QUESTION, phase=Phase.thinking),
            replace(QUESTION, text=LONG_QUESTION, phase=Phase.recording),
            replace(QUESTION, text=LONG_QUESTION, phase=Phase.saving),
            replace(PRACTICE, phase=Phase.review, answer_media=answer_file),
            replace(QUESTION, text=LONG_QUESTION, phase=Phase.review, answer_media=answer_file),
        ):
            question.show_view(view)
            question.set_countdown(23, 45)
            question.set_recorded(49)
            qtbot.wait(50)
            assert (window.width(), window.height()) == size, view.phase
            assert clipped(question) == [], view.phase
        window.show_screen(welcome_back)
        welcome_back.show_resume(2, 5, 3)
        qtbot.wait(50)
        assert (window.width(), window.height()) == size
        assert clipped(welcome_back) == []
    finally:
        question.playback.stop()
        window.allow_close = True
        app.setStyleSheet(look_stylesheet(Look()))
