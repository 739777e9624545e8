"""Local speech recognition with faster-whisper: whole files, and live streams while a candidate speaks.

The model is loaded once per `Transcriber`. A `TranscriptStream` owns a worker thread: `feed()` only
queues audio (capture threads must never wait on the model), and the worker resamples to 16 kHz and
transcribes. CTranslate2 releases the GIL while it computes, so capture keeps running.
"""

import logging
import math
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from desktop_app.config import StationSettings
from desktop_app.errors import TranscriptionCancelled, TranscriptionError, UnreadableAudioError
from desktop_app.speech.chunking import ChunkPolicy, PauseChunker, SpeechChunk
from desktop_app.speech.model import load_model, resolve_model_dir
from desktop_app.speech.resample import (
    WHISPER_SAMPLE_RATE,
    FloatAudio,
    StreamingResampler,
    as_mono_float32,
)
from desktop_app.speech.vad import StreamingVad
from sync_server.contract import Transcript, TranscriptSegment, TranscriptWord
from sync_server.contract.base import without_control_characters

if TYPE_CHECKING:
    from faster_whisper import WhisperModel
    from faster_whisper.transcribe import Segment

TranscriptCallback = Callable[[Transcript], None]

WHISPER_WINDOW_SECONDS = 30
BUNDLED_MODEL_NAME = "whisper:tiny.en"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DecodeSettings:
    beam_size: int
    language: str | None


class Transcriber:
    """One loaded Whisper model; transcribes files and opens live streams."""

    def __init__(self, settings: StationSettings) -> None:
        """Load the model (settings.speech_model_dir, or the bundled tiny.en).

        Raises:
            SpeechModelError: the model directory is missing, incomplete or cannot be loaded.
        """
        self.model_dir = resolve_model_dir(settings.speech_model_dir)
        # Recorded in every transcript so reviewers know which model heard the answer.
        self.model_name = (
            BUNDLED_MODEL_NAME if settings.speech_model_dir is None else f"whisper:{self.model_dir.name}"
        )
        self._model: WhisperModel = load_model(
            self.model_dir, compute_type=settings.speech_compute_type, threads=settings.speech_threads
        )
        self._decode = DecodeSettings(beam_size=settings.speech_beam_size, language=settings.speech_language)
        # Two decodes at once on a 2-core station only thrash each other; take turns.
        self._model_lock = threading.Lock()

    def transcribe_file(self, path: Path, *, cancelled: Callable[[], bool] | None = None) -> Transcript:
        """Transcribe a whole audio (or audio+video) file.

        Raises:
            UnreadableAudioError: the file is missing or holds no decodable audio.
            TranscriptionCancelled: `cancelled()` turned true before the end.
            TranscriptionError: the model failed.
        """
        return self.transcribe_audio(read_audio_file(path), cancelled=cancelled)

    def transcribe_audio(
        self, audio: FloatAudio, *, cancelled: Callable[[], bool] | None = None
    ) -> Transcript:
        """Transcribe 16 kHz mono float32 samples in one pass (faster-whisper's own VAD skips silence).

        `cancelled` is asked between segments (a second or two of compute each), so a caller that
        needs the CPU back gets it soon instead of after a long recording.

        Raises:
            TranscriptionCancelled: `cancelled()` turned true before the end.
            TranscriptionError: the model failed.
        """
        segments, language = self._run(audio, vad_filter=True, cancelled=cancelled)
        return self._transcript(segments, language)

    def open_stream(
        self, *, sample_rate: int, on_update: TranscriptCallback | None = None
    ) -> "TranscriptStream":
        """Start transcribing live audio at `sample_rate`; `on_update` gets the transcript so far."""
        return TranscriptStream(self, sample_rate=sample_rate, on_update=on_update)

    def _run(
        self,
        audio: FloatAudio,
        *,
        vad_filter: bool,
        window_seconds: int = WHISPER_WINDOW_SECONDS,
        offset: float = 0.0,
        cancelled: Callable[[], bool] | None = None,
    ) -> tuple[list[TranscriptSegment], str]:
        with self._model_lock:
            try:
                segments, info = self._model.transcribe(
                    audio,
                    beam_size=self._decode.beam_size,
                    language=self._decode.language,
                    word_timestamps=True,
                    vad_filter=vad_filter,
                    # Always explicit: faster-whisper's feature extractor keeps the last value given.
                    chunk_length=window_seconds,
                )
                converted = []
                for segment in segments:  # decoding happens while iterating
                    if cancelled is not None and cancelled():
                        raise TranscriptionCancelled("The transcription was stopped before its end.")
                    converted.append(_segment(segment, offset))
            except TranscriptionCancelled:
                raise
            except Exception as exc:  # CTranslate2 reports runtime failures as RuntimeError/ValueError
                raise TranscriptionError(
                    f"The speech model failed while transcribing ({exc}).",
                    fix="Check speech_compute_type and speech_model_dir in the station settings.",
                ) from exc
        return [s for s in converted if s.text], info.language

    def _transcript(self, segments: Iterable[TranscriptSegment], language: str | None) -> Transcript:
        kept = list(segments)
        return Transcript(
            text=" ".join(s.text for s in kept),
            language=language or self._decode.language or "en",
            model=self.model_name,
            segments=kept,
        )


def read_audio_file(path: Path) -> FloatAudio:
    """The audio track of a recording as 16 kHz mono float32 (decoded with PyAV).

    Raises:
        UnreadableAudioError: the file is missing, damaged, or has no audio track.
    """
    from faster_whisper.audio import decode_audio

    if not path.is_file():
        raise UnreadableAudioError(f"The recording {path} does not exist on the station's disk.")
    try:
        audio: FloatAudio = decode_audio(str(path), sampling_rate=WHISPER_SAMPLE_RATE)
    except Exception as exc:  # PyAV raises its own error types for unreadable or audio-less files
        raise UnreadableAudioError(
            f"The audio in {path} could not be read ({exc or type(exc).__name__}).",
            fix="Check that the file is a complete recording with an audio track.",
        ) from None
    return audio


def _segment(segment: "Segment", offset: float) -> TranscriptSegment:
    """faster-whisper's segment (numpy floats inside) as the wire contract's, shifted by `offset`."""
    words = [
        TranscriptWord(
            start=round(max(0.0, float(w.start) + offset), 3),
            end=round(max(0.0, float(w.end) + offset), 3),
            word=without_control_characters(w.word),
            probability=min(1.0, max(0.0, float(w.probability))),
        )
        for w in segment.words or []
    ]
    return TranscriptSegment(
        start=round(max(0.0, float(segment.start) + offset), 3),
        end=round(max(0.0, float(segment.end) + offset), 3),
        text=without_control_characters(segment.text).strip(),
        avg_logprob=float(segment.avg_logprob),
        no_speech_prob=min(1.0, max(0.0, float(segment.no_speech_prob))),
        words=words,
    )


_FINISH = object()
_BATCH_SECONDS = 0.25
_TRAILING_SILENCE_SECONDS = 3
"""Encoder window = chunk + this much padding: Whisper expects silence after speech."""


class TranscriptStream:
    """Live transcription of one answer. Create it with `Transcriber.open_stream`.

    The worker cuts the audio into chunks at pauses (`PauseChunker`), decodes each chunk once,
    commits the result and drops the audio. When the answer ends only the speech since the last
    pause is left to decode.

    No previous-text prompt: with tiny.en it made chunk ends hallucinate ("Thank you very much.")
    and triggered temperature fallbacks; on the benchmark set WER went from 9.5 % to 12.3 % and
    compute up by 60-90 %. Chunks cut at pauses do not need the context.
    """

    def __init__(
        self,
        transcriber: Transcriber,
        *,
        sample_rate: int,
        on_update: TranscriptCallback | None,
        policy: ChunkPolicy | None = None,
    ) -> None:
        self._transcriber = transcriber
        self._resampler = StreamingResampler(sample_rate)
        self._vad = StreamingVad()
        self._chunker = PauseChunker(policy)
        self._on_update = on_update
        self._inbox: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._cancelled = threading.Event()
        self._wake = threading.Event()
        self._done = threading.Event()
        self._committed: list[TranscriptSegment] = []
        self._language: str | None = None
        self._result: Transcript | None = None
        self._error: BaseException | None = None
        self._finish_requested = False
        self.compute_seconds = 0.0
        """Time spent decoding (the model's busy time), for benchmarks."""
        self.chunks_decoded = 0
        self.last_chunk_seconds = 0.0
        """Length of the last decoded chunk: what was left to decode when the answer ended."""
        self._worker = threading.Thread(target=self._work, name="transcript-stream", daemon=True)
        self._worker.start()

    def feed(self, samples: npt.ArrayLike) -> None:
        """Queue a block of mono float32 samples in [-1, 1] at the stream's rate; returns at once.

        Blocks of shape (frames, channels) are mixed to mono; int16 is scaled. Samples fed after
        `finish()` or `cancel()` are ignored.
        """
        if self._finish_requested or self._cancelled.is_set() or self._done.is_set():
            return  # the done check: a failed worker must not leave audio piling up in the queue
        self._inbox.put(as_mono_float32(samples).copy())

    def end_of_audio(self) -> None:
        """The answer has ended: start decoding what is left now, without waiting for it (see finish)."""
        if not self._finish_requested:
            self._finish_requested = True
            self._inbox.put(_FINISH)
            self._wake.set()

    def finish(self, timeout: float | None = None) -> Transcript:
        """Decode what is left and return the whole transcript (times from the first fed sample).

        Raises:
            TranscriptionError: the stream was cancelled, the worker failed, or `timeout` passed.
        """
        self.end_of_audio()
        if not self._done.wait(timeout):
            raise TranscriptionError(f"The transcript was not ready within {timeout:.1f} s.")
        if isinstance(self._error, TranscriptionError):
            raise self._error
        if self._error is not None:
            raise TranscriptionError(f"Transcription failed ({self._error}).") from self._error
        if self._result is None:
            raise TranscriptionError("The transcription was cancelled.")
        return self._result

    def cancel(self) -> None:
        """Stop after the current decode and drop the audio; `finish()` then raises."""
        self._cancelled.set()
        self._inbox.put(_FINISH)
        self._wake.set()

    def _work(self) -> None:
        try:
            finishing = False
            while not finishing:
                blocks, finishing = self._next_blocks()
                if self._cancelled.is_set():
                    return
                if blocks:
                    self._take_audio(self._resampler.convert(np.concatenate(blocks)))
            self._take_audio(self._resampler.flush())
            self._take_audio(self._vad.padding_to_window())
            last = self._chunker.finish()
            if last is not None and not self._cancelled.is_set():
                self._decode(last)
            if not self._cancelled.is_set():
                self._result = self._transcriber._transcript(self._committed, self._language)
        except BaseException as exc:  # reported to whoever calls finish(); a worker must not die silently
            self._error = exc
        finally:
            self._done.set()

    def _next_blocks(self) -> tuple[list[FloatAudio], bool]:
        """Everything queued since the last call, and whether the end was asked for.

        Capture delivers a block every 10-20 ms; waking for each one would spend more time in
        per-call overhead (resampler, VAD session) than in the work itself, so the worker takes
        what has gathered every `_BATCH_SECONDS` unless finish() or cancel() wakes it sooner
        (measured on 106 s of speech: resampler + VAD + chunker 0.41 CPU-s at 0.1 s batches,
        0.30 at 0.25 s; a cut is then noticed at most 0.25 s late, and the end is never waited for).
        """
        if self._inbox.empty():
            self._wake.wait(_BATCH_SECONDS)
        blocks: list[FloatAudio] = []
        while True:
            try:
                item = self._inbox.get(block=not blocks and not self._wake.is_set())
            except queue.Empty:
                return blocks, False
            if item is _FINISH:
                return blocks, True
            assert isinstance(item, np.ndarray)
            blocks.append(item)

    def _take_audio(self, audio: FloatAudio) -> None:
        if audio.size == 0:
            return
        for chunk in self._chunker.push(audio, self._vad.push(audio)):
            if self._cancelled.is_set():
                return
            self._decode(chunk)

    def _decode(self, chunk: SpeechChunk) -> None:
        # The encoder runs over the chunk plus a little silence, not a padded 30 s window (see
        # load_model): encoder cost follows the audio, so many short chunks cost about what a few
        # long windows do. Measured on the five benchmark clips (7.5 min, fed in real time):
        # 0.85x the CPU of the whole-file run (was 1.15x with 30 s windows), same words (WER
        # 9.8 % vs 10.2 % fed at full speed). On 40 isolated 2.6 s phrases the short window also
        # heard more (WER 20.0 % vs 25.5 % with the 30 s one).
        window = min(
            WHISPER_WINDOW_SECONDS,
            math.ceil(len(chunk.audio) / WHISPER_SAMPLE_RATE) + _TRAILING_SILENCE_SECONDS,
        )
        started = time.perf_counter()
        segments, self._language = self._transcriber._run(
            chunk.audio, vad_filter=False, window_seconds=window, offset=chunk.start
        )
        self.compute_seconds += time.perf_counter() - started
        self.chunks_decoded += 1
        self.last_chunk_seconds = chunk.end - chunk.start
        for segment in segments:
            heard = _within_speech(_clamped(segment, chunk.start, chunk.end), chunk.speech_end)
            if heard is not None:
                self._committed.append(heard)
        if self._on_update is not None:
            try:
                self._on_update(self._transcriber._transcript(self._committed, self._language))
            except Exception:  # a broken listener must not stop the transcription
                logger.exception("on_update callback failed")


_WORD_AFTER_SPEECH_SECONDS = 0.3
"""Word timestamps may trail the VAD's last speech window a little; more than this is not speech."""


def _within_speech(segment: TranscriptSegment, speech_end: float) -> TranscriptSegment | None:
    """Drop what Whisper "heard" after the VAD's last speech: a phrase hallucinated into silence."""
    words = [w for w in segment.words if w.start < speech_end + _WORD_AFTER_SPEECH_SECONDS]
    if segment.start >= speech_end or (segment.words and not words):
        return None
    if len(words) == len(segment.words):
        return segment
    text = "".join(w.word for w in words).strip()
    return segment.model_copy(update={"words": words, "text": text, "end": words[-1].end})


def _clamped(segment: TranscriptSegment, start: float, end: float) -> TranscriptSegment:
    """Keep times inside the chunk: Whisper may place a last timestamp in the padding after it."""

    def clamp(t: float) -> float:
        return round(min(max(t, start), end), 3)

    words = [w.model_copy(update={"start": clamp(w.start), "end": clamp(w.end)}) for w in segment.words]
    return segment.model_copy(
        update={"start": clamp(segment.start), "end": clamp(segment.end), "words": words}
    )
