"""Spoken questions: cached per voice, rate and text; failures never stop the interview."""

import time

from desktop_app.speech.tts import QuestionSpeaker


def test_questions_are_rendered_once_per_voice_rate_and_text(tmp_path):
    speaker = QuestionSpeaker(cache_dir=tmp_path)
    first = speaker.render("Tell me about yourself.")
    modified = first.stat().st_mtime_ns
    assert speaker.render("Tell me about yourself.") == first
    assert first.stat().st_mtime_ns == modified  # served from the cache, not rendered again
    faster = QuestionSpeaker(cache_dir=tmp_path, rate=220).render("Tell me about yourself.")
    other = speaker.render("Why this job?")
    assert len({first, faster, other}) == 3


def test_a_speaker_that_cannot_play_returns_false_instead_of_raising(tmp_path):
    speaker = QuestionSpeaker(cache_dir=tmp_path, speaker="no such speaker anywhere")
    started = time.monotonic()
    assert speaker.speak("Tell me about yourself.") is False
    assert time.monotonic() - started < 5
