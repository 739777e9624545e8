"""How decoded segments are kept inside their chunk and cut at the end of the heard speech."""

from desktop_app.speech.transcription import _clamped, _within_speech
from sync_server.contract import TranscriptSegment, TranscriptWord


def segment(start: float, end: float, *words: tuple[str, float, float]) -> TranscriptSegment:
    return TranscriptSegment(
        start=start,
        end=end,
        text="".join(w for w, _, _ in words).strip(),
        avg_logprob=-0.3,
        no_speech_prob=0.1,
        words=[TranscriptWord(word=w, start=s, end=e, probability=0.9) for w, s, e in words],
    )


def test_a_phrase_after_the_last_speech_is_dropped() -> None:
    hallucinated = segment(12.0, 13.0, (" Thank", 12.0, 12.4), (" you.", 12.4, 13.0))

    assert _within_speech(hallucinated, speech_end=11.5) is None


def test_words_trailing_past_the_speech_are_cut_and_the_text_follows() -> None:
    mixed = segment(
        9.0, 13.0, (" We", 9.0, 9.2), (" shipped.", 9.2, 10.0), (" Thank", 12.0, 12.4), (" you.", 12.4, 13.0)
    )

    kept = _within_speech(mixed, speech_end=10.1)

    assert kept is not None
    assert kept.text == "We shipped."
    assert [w.word for w in kept.words] == [" We", " shipped."]
    assert kept.end == 10.0


def test_speech_inside_the_heard_region_is_untouched() -> None:
    spoken = segment(1.0, 2.0, (" Hello", 1.0, 1.5), (" there.", 1.5, 2.0))

    assert _within_speech(spoken, speech_end=1.9) is spoken


def test_times_are_clamped_into_the_chunk() -> None:
    late = segment(4.5, 10.4, (" end", 9.8, 10.4))

    clamped = _clamped(late, 5.0, 10.0)

    assert (clamped.start, clamped.end) == (5.0, 10.0)
    assert (clamped.words[0].start, clamped.words[0].end) == (9.8, 10.0)
