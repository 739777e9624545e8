"""The pause chunker's cutting policy, driven by scripted speech probabilities (no model needed)."""

import numpy as np

from desktop_app.speech.chunking import ChunkPolicy, PauseChunker, SpeechChunk
from desktop_app.speech.vad import VAD_WINDOW_SAMPLES, VAD_WINDOW_SECONDS

SPEECH, SILENCE = 0.9, 0.05


def windows(seconds: float) -> int:
    return round(seconds / VAD_WINDOW_SECONDS)


def push(
    chunker: PauseChunker, pattern: list[tuple[float, float]], start_value: float = 0.0
) -> list[SpeechChunk]:
    """Push (probability, seconds) runs; each window's audio holds its stream window index."""
    chunks: list[SpeechChunk] = []
    index = int(start_value)
    for prob, seconds in pattern:
        for _ in range(windows(seconds)):
            audio = np.full(VAD_WINDOW_SAMPLES, index, dtype=np.float32)
            chunks += chunker.push(audio, np.array([prob], dtype=np.float32))
            index += 1
    return chunks


def window_indices(chunk: SpeechChunk) -> list[int]:
    return [int(v) for v in chunk.audio[::VAD_WINDOW_SAMPLES]]


def test_silence_alone_never_makes_a_chunk_and_is_not_kept() -> None:
    chunker = PauseChunker()

    assert push(chunker, [(SILENCE, 20.0)]) == []
    assert chunker.finish() is None
    assert chunker.pending_seconds <= ChunkPolicy().pad_seconds + VAD_WINDOW_SECONDS


def test_cuts_at_the_first_pause_after_the_minimum_length() -> None:
    policy = ChunkPolicy(min_seconds=4.0, pause_seconds=0.3, pad_seconds=0.2)
    chunker = PauseChunker(policy)

    chunks = push(chunker, [(SPEECH, 2.0), (SILENCE, 0.4), (SPEECH, 3.0), (SILENCE, 0.5), (SPEECH, 1.0)])

    assert len(chunks) == 1, "the first pause came before the minimum length"
    chunk = chunks[0]
    assert chunk.start == 0.0
    # speech 0-2 s, pause, speech 2.4-5.4 s; cut 0.2 s into the second pause
    assert abs(chunk.end - (5.4 + 0.2)) < 2 * VAD_WINDOW_SECONDS
    last = chunker.finish()
    assert last is not None
    assert last.start >= chunk.end, "no audio decoded twice"
    for piece in (chunk, last):  # each chunk's audio is exactly the stream audio at its start time
        assert window_indices(piece)[0] == round(piece.start / VAD_WINDOW_SECONDS)
        assert window_indices(piece) == list(range(window_indices(piece)[0], window_indices(piece)[-1] + 1))


def test_a_long_pause_ends_a_short_chunk_and_leading_silence_is_trimmed() -> None:
    policy = ChunkPolicy(min_seconds=10.0, long_pause_seconds=1.0, pad_seconds=0.2)
    chunker = PauseChunker(policy)

    chunks = push(chunker, [(SILENCE, 5.0), (SPEECH, 2.0), (SILENCE, 1.2)])

    assert len(chunks) == 1
    assert abs(chunks[0].start - (5.0 - 0.2)) < 2 * VAD_WINDOW_SECONDS, "only the pad before speech is kept"
    assert chunks[0].end - chunks[0].start < 2.6


def test_speech_without_pauses_is_cut_before_the_maximum() -> None:
    policy = ChunkPolicy(min_seconds=5.0, max_seconds=12.0)
    chunker = PauseChunker(policy)
    dip = [(SPEECH, 9.0), (0.4, 0.1), (SPEECH, 6.0)]  # a near-pause at 9 s, never a real one

    chunks = push(chunker, dip)

    assert len(chunks) == 1
    assert chunks[0].end <= policy.max_seconds
    assert abs(chunks[0].end - 9.0) < 3 * VAD_WINDOW_SECONDS, "cut at the quietest window"


def test_a_click_is_dropped_not_decoded() -> None:
    chunker = PauseChunker(ChunkPolicy(long_pause_seconds=1.0, min_speech_seconds=0.25))

    chunks = push(chunker, [(SILENCE, 1.0), (SPEECH, 0.1), (SILENCE, 2.0)])

    assert chunks == []
    assert chunker.finish() is None


def test_finish_trims_trailing_silence_to_the_pad() -> None:
    policy = ChunkPolicy(min_seconds=30.0, long_pause_seconds=5.0, pad_seconds=0.2)
    chunker = PauseChunker(policy)
    push(chunker, [(SPEECH, 3.0), (SILENCE, 0.8)])

    last = chunker.finish()

    assert last is not None
    assert abs(last.end - 3.2) < 2 * VAD_WINDOW_SECONDS


def test_a_long_chunk_settles_for_a_word_gap() -> None:
    policy = ChunkPolicy(min_seconds=4.0, max_seconds=12.0, pause_seconds=0.3, short_pause_seconds=0.1)
    chunker = PauseChunker(policy)
    gaps = [(SPEECH, 2.0), (SILENCE, 0.13)] * 5  # word gaps only, never a 0.3 s pause

    chunks = push(chunker, gaps)

    assert len(chunks) == 1
    assert 8.0 <= chunks[0].end <= 9.0, "cut in the first word gap past 8 s, not forced at 12 s"
