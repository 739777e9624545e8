"""The review desk's own widgets: player frames counted through the sink, transcript sync, score, review form."""

from desktop_app.desk.views import CriterionView, Decision, ReviewDraft, ScoreView
from sync_server.contract import Transcript
from tests.support.media import write_test_video
from ui.qt import Qt
from ui.widgets.review_form import ReviewForm
from ui.widgets.score_panel import ScorePanel
from ui.widgets.transcript_view import TranscriptView
from ui.widgets.video_player import VideoPlayer

TRANSCRIPT = Transcript.model_validate(
    {
        "text": "I fixed the cache. It was fast.",
        "language": "en",
        "model": "tiny.en",
        "segments": [
            {
                "start": 0.0,
                "end": 1.6,
                "text": "I fixed the cache.",
                "avg_logprob": -0.2,
                "no_speech_prob": 0.01,
                "words": [
                    {"start": 0.0, "end": 0.2, "word": " I", "probability": 0.9},
                    {"start": 0.2, "end": 0.6, "word": " fixed", "probability": 0.9},
                    {"start": 0.6, "end": 0.8, "word": " the", "probability": 0.9},
                    {"start": 0.8, "end": 1.6, "word": " cache.", "probability": 0.9},
                ],
            },
            {
                "start": 2.0,
                "end": 3.0,
                "text": " It was fast.",
                "avg_logprob": -0.3,
                "no_speech_prob": 0.02,
                "words": [],
            },
        ],
    }
)


def test_player_plays_a_local_h264_file_and_frames_arrive_through_the_sink(qtbot, tmp_path):
    video = write_test_video(tmp_path / "answer.mp4", seconds=1.5, width=320, height=240)
    player = VideoPlayer()
    qtbot.addWidget(player)
    player.audio.setMuted(True)
    player.open(str(video))
    qtbot.waitUntil(lambda: player.frames_shown >= 1, timeout=15000)  # the first picture, before Play
    player.play()
    qtbot.waitUntil(lambda: player.frames_shown >= 20, timeout=15000)
    assert player.player.duration() >= 1400
    player.seek(1000)
    qtbot.waitUntil(lambda: player.position >= 1000, timeout=5000)


def test_player_says_one_sentence_for_a_broken_file(qtbot, tmp_path):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00not a video" * 100)
    player = VideoPlayer()
    qtbot.addWidget(player)
    with qtbot.waitSignal(player.failed, timeout=10000) as failure:
        player.open(str(broken), autoplay=True)
    assert failure.args[0].endswith(".")
    assert player.frames_shown == 0


def test_transcript_highlights_the_current_word_and_a_click_seeks(qtbot):
    view = TranscriptView()
    qtbot.addWidget(view)
    view.set_transcript(TRANSCRIPT)
    assert view.word_count == 5  # four timed words + one untimed segment
    view.set_position(700)
    assert view.word_text(view.current_word) == "the"
    view.set_position(2500)
    assert view.word_text(view.current_word) == "It was fast."
    with qtbot.waitSignal(view.seek_requested) as seek:
        view.click_word(1)
    assert seek.args == [200]
    char = view.toPlainText().index("cache")
    assert view.word_text(view.word_at_char(char)) == "cache."


def test_empty_transcript_reads_as_a_sentence(qtbot):
    view = TranscriptView()
    qtbot.addWidget(view)
    view.set_transcript(Transcript(text="", language="en", model="tiny.en"))
    assert view.toPlainText() == "The candidate said nothing in this answer."
    view.set_position(1000)
    assert view.current_word == -1


def test_score_panel_evidence_click_seeks(qtbot):
    panel = ScorePanel()
    qtbot.addWidget(panel)
    panel.show_score(
        ScoreView(
            scored=True,
            overall=3.8,
            feedback="Specific.",
            provider="local",
            model="rubric-v1",
            criteria=[
                CriterionView("specificity", 4, "I fixed the cache", 0.0, "names the fix"),
                CriterionView("clarity", 3, "It was fast", 2.0, ""),
            ],
        )
    )
    assert panel.headline.text() == "AI score 3.8 / 5"
    assert len(panel.evidence_buttons) == 2
    with qtbot.waitSignal(panel.seek_requested) as seek:
        qtbot.mouseClick(panel.evidence_buttons[1], Qt.MouseButton.LeftButton)
    assert seek.args == [2000]
    panel.show_score(
        ScoreView(scored=False, reason="The answer is too short to score.", provider="local", model="x")
    )
    assert panel.headline.text() == "Not enough to score"
    assert panel.evidence_buttons == []


def test_review_form_needs_a_reason_to_override(qtbot):
    form = ReviewForm()
    qtbot.addWidget(form)
    saved = []
    form.save_requested.connect(saved.append)
    form.submit()
    assert "nothing to save" in form.error_label.text()
    form.rating_group.button(4).setChecked(True)
    form.override.setChecked(True)
    form.override_score.setValue(4.5)
    form.submit()
    assert saved == []
    assert "needs a reason" in form.error_label.text()
    form.override_reason.setText("The AI missed the second example")
    form.decision.setCurrentIndex(form.decision.findData(Decision.shortlist))
    form.submit()
    assert saved == [
        ReviewDraft(
            rating=4,
            override_score=4.5,
            override_reason="The AI missed the second example",
            decision=Decision.shortlist,
        )
    ]
    form.load(ReviewDraft(rating=2, comment="meh"))
    assert form.rating_group.checkedId() == 2
    assert not form.override.isChecked()
