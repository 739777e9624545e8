"""Transcription with the real bundled Whisper model: files, live streams, errors."""

import itertools
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from desktop_app.config import StationSettings
from desktop_app.errors import SpeechModelError, TranscriptionError
from desktop_app.speech.transcription import Transcriber
from sync_server.contract import Transcript
from tests.support.speech_clips import espeak_available, read_wav, speak_to_wav, write_wav

pytestmark = pytest.mark.slow

SENTENCE = (
    "I led the migration of our billing system to a new database. "
    "The hardest part was moving customer data without any downtime."
)
KEY_WORDS = ("migration", "database", "hardest", "customer", "downtime")


def _settings(**overrides: object) -> StationSettings:
    return StationSettings(**overrides)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def transcriber() -> Transcriber:
    return Transcriber(_settings())


@pytest.fixture(scope="module")
def spoken_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not espeak_available():
        pytest.fail("espeak-ng is missing: install espeak-ng (./dev.sh installs it)", pytrace=False)
    return speak_to_wav(SENTENCE, tmp_path_factory.mktemp("speech") / "answer.wav")


LONG_ANSWER = " ".join(
    [
        SENTENCE,
        "We ran both systems side by side for a month and compared every transaction.",
        "I prefer simple solutions that the whole team can understand and maintain.",
        "Afterwards we added tests for every currency we support, so it could not happen again.",
    ]
)


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 25 s of speech: long enough for chunks to be committed before the end."""
    return speak_to_wav(LONG_ANSWER, tmp_path_factory.mktemp("speech") / "long-answer.wav")


def _words(transcript: Transcript) -> set[str]:
    return set(re.findall(r"[a-z']+", transcript.text.lower()))


def _stream_wav(
    transcriber: Transcriber, wav: Path, *, block_seconds: float = 0.1
) -> tuple[Transcript, float]:
    """Feed a clip block by block (as fast as possible); (final transcript, clip seconds)."""
    samples, rate = read_wav(wav)
    stream = transcriber.open_stream(sample_rate=rate)
    block = int(rate * block_seconds)
    for start in range(0, len(samples), block):
        stream.feed(samples[start : start + block])
    return stream.finish(timeout=60), len(samples) / rate


def _assert_word_times_sane(transcript: Transcript, clip_seconds: float) -> None:
    words = [w for s in transcript.segments for w in s.words]
    assert words, "no word timestamps"
    for word in words:
        assert 0 <= word.start <= word.end <= clip_seconds + 0.05, word
    starts = [w.start for w in words]
    assert starts == sorted(starts), "word start times go backwards"


def test_file_transcript_has_key_words_and_segment_scores(
    transcriber: Transcriber, spoken_clip: Path
) -> None:
    transcript = transcriber.transcribe_file(spoken_clip)

    assert set(KEY_WORDS) <= _words(transcript), transcript.text
    assert transcript.language == "en"
    assert transcript.model
    for segment in transcript.segments:
        assert segment.avg_logprob < 0
        assert 0 <= segment.no_speech_prob <= 1
        assert isinstance(segment.start, float)
    _, rate = read_wav(spoken_clip)
    _assert_word_times_sane(transcript, len(read_wav(spoken_clip)[0]) / rate)


def test_stream_yields_key_words_with_monotonic_word_times(
    transcriber: Transcriber, spoken_clip: Path
) -> None:
    transcript, seconds = _stream_wav(transcriber, spoken_clip)

    assert set(KEY_WORDS) <= _words(transcript), transcript.text
    _assert_word_times_sane(transcript, seconds)


def test_stream_matches_file_transcript_on_a_short_clip(transcriber: Transcriber, spoken_clip: Path) -> None:
    streamed, _ = _stream_wav(transcriber, spoken_clip)
    whole = transcriber.transcribe_file(spoken_clip)

    streamed_words, whole_words = _words(streamed), _words(whole)
    overlap = len(streamed_words & whole_words) / len(streamed_words | whole_words)
    assert overlap >= 0.9, (streamed.text, whole.text)


def test_stream_encodes_each_chunk_over_its_own_length_and_files_over_30_s_windows(
    transcriber: Transcriber, spoken_clip: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """faster-whisper pads every window to 30 s; a stream chunk must not pay for that padding."""
    from faster_whisper import WhisperModel

    encoded_frames: list[int] = []
    library_encode = WhisperModel.encode

    def recording_encode(model: WhisperModel, features: np.ndarray) -> object:
        encoded_frames.append(features.shape[-1])
        return library_encode(model, features)

    monkeypatch.setattr(WhisperModel, "encode", recording_encode)
    _, seconds = _stream_wav(transcriber, spoken_clip)
    streamed_frames = list(encoded_frames)
    encoded_frames.clear()
    transcriber.transcribe_file(spoken_clip)

    assert seconds < 20
    assert streamed_frames, "the stream never ran the encoder"
    # Chunk plus a few seconds of silence, in whole seconds of 100 mel frames.
    assert all(frames <= (seconds + 5) * 100 for frames in streamed_frames), streamed_frames
    assert encoded_frames == [3000], "whole-file windows must stay 30 s"


def test_stream_of_silence_gives_an_empty_transcript(transcriber: Transcriber) -> None:
    rate = 48_000
    rng = np.random.default_rng(5)
    stream = transcriber.open_stream(sample_rate=rate)
    for _ in range(50):  # 5 s of faint room noise
        stream.feed((rng.standard_normal(rate // 10) * 0.002).astype(np.float32))

    transcript = stream.finish(timeout=30)

    assert transcript.text == ""
    assert transcript.segments == []


def test_feed_from_a_producer_thread_never_waits_for_decoding(
    transcriber: Transcriber, long_clip: Path
) -> None:
    samples, rate = read_wav(long_clip)
    decoded_at: list[float] = []
    stream = transcriber.open_stream(
        sample_rate=rate, on_update=lambda _t: decoded_at.append(time.perf_counter())
    )
    feed_times: list[float] = []
    block = rate // 50  # 20 ms blocks, as a capture callback delivers them

    def produce() -> None:  # about 2.5x real time, so chunk decodes happen while blocks keep coming
        for start in range(0, len(samples), block):
            began = time.perf_counter()
            stream.feed(samples[start : start + block])
            feed_times.append(time.perf_counter() - began)
            time.sleep(0.008)

    producer = threading.Thread(target=produce)
    producer.start()
    producer.join()
    fed_until = time.perf_counter()
    transcript = stream.finish(timeout=120)

    assert decoded_at and decoded_at[0] < fed_until, "no decode overlapped the feeding"
    # A feed() that waited for the model would take a whole chunk decode (0.5 s or more here);
    # the bound leaves room for a loaded CI machine descheduling the thread.
    assert max(feed_times) < 0.1, f"feed() took up to {max(feed_times) * 1000:.1f} ms"
    assert set(KEY_WORDS) <= _words(transcript)


def test_cancelled_stream_stops_and_finish_says_so(transcriber: Transcriber, spoken_clip: Path) -> None:
    samples, rate = read_wav(spoken_clip)
    stream = transcriber.open_stream(sample_rate=rate)
    stream.feed(samples)

    stream.cancel()
    stream.feed(samples)  # ignored after cancel, never raises

    with pytest.raises(TranscriptionError, match="cancelled"):
        stream.finish(timeout=30)


def test_missing_model_directory_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(SpeechModelError) as caught:
        Transcriber(_settings(speech_model_dir=tmp_path / "no-such-model"))

    assert "does not exist" in caught.value.message
    assert caught.value.fix and "speech_model_dir" in caught.value.fix


def test_broken_model_files_give_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "model.bin").write_bytes(b"not a model")
    (broken / "config.json").write_text("{}")

    with pytest.raises(SpeechModelError) as caught:
        Transcriber(_settings(speech_model_dir=broken))

    assert caught.value.fix


def test_unreadable_audio_file_is_a_transcription_error(transcriber: Transcriber, tmp_path: Path) -> None:
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF....not audio")

    with pytest.raises(TranscriptionError, match="could not be read"):
        transcriber.transcribe_file(junk)
    with pytest.raises(TranscriptionError, match="does not exist"):
        transcriber.transcribe_file(tmp_path / "missing.wav")


@pytest.fixture
def silent_wav(tmp_path: Path) -> Iterator[Path]:
    yield write_wav(tmp_path / "silence.wav", np.zeros(16_000 * 3, dtype=np.float32), 16_000)


def test_file_of_silence_gives_an_empty_transcript(transcriber: Transcriber, silent_wav: Path) -> None:
    transcript = transcriber.transcribe_file(silent_wav)

    assert transcript.text == ""


@pytest.mark.audio
def test_speech_played_into_the_virtual_microphone_is_transcribed_while_it_arrives(
    transcriber: Transcriber, spoken_clip: Path, pulseaudio: object
) -> None:
    import sounddevice as sd

    sd._terminate()  # PortAudio enumerated devices at import, before this PulseAudio existed
    sd._initialize()
    rate = 48_000
    updates: list[Transcript] = []
    stream = transcriber.open_stream(sample_rate=rate, on_update=updates.append)
    blocks: list[int] = []

    def on_audio(indata: np.ndarray, frames: int, _time: object, _status: object) -> None:
        blocks.append(frames)
        stream.feed(indata[:, 0])

    with sd.InputStream(
        samplerate=rate, channels=1, dtype="float32", blocksize=rate // 50, callback=on_audio
    ):
        time.sleep(0.3)
        player = pulseaudio.play_into_microphone(spoken_clip)  # type: ignore[attr-defined]
        assert player.wait(timeout=30) == 0
        time.sleep(0.5)
    transcript = stream.finish(timeout=30)

    assert sum(blocks) / rate > read_wav(spoken_clip)[0].size / read_wav(spoken_clip)[1]
    assert set(KEY_WORDS) <= _words(transcript), transcript.text
    assert updates, "on_update was never called"
    captured_seconds = sum(blocks) / rate
    _assert_word_times_sane(transcript, captured_seconds)


def test_long_answer_is_committed_in_pieces_while_it_arrives(
    transcriber: Transcriber, long_clip: Path
) -> None:
    samples, rate = read_wav(long_clip)
    updates: list[Transcript] = []
    stream = transcriber.open_stream(sample_rate=rate, on_update=updates.append)
    stream.feed(samples)

    final = stream.finish(timeout=120)

    assert len(samples) / rate > 20
    assert len(updates) >= 2, "nothing was committed before the end"
    for earlier, later in itertools.pairwise(updates):
        assert later.text.startswith(earlier.text), "committed text changed"
    assert final.text == updates[-1].text
    assert {"transaction", "currency", "maintain", *KEY_WORDS} <= _words(final), final.text
    _assert_word_times_sane(final, len(samples) / rate)
