"""Answers stored with their transcript pending get one later, on the station.

When the speech model could not be loaded, or a live transcription failed or ran out of time, the
answer was still recorded and journaled in the outbox with no transcript. `transcribe_pending`
decodes each such recording's audio (PyAV) and transcribes it whole with the same model and
decoding settings as live answers, then hands it to `Outbox.set_transcript`; the sync loop sends it
like any other transcript (PUT /responses/{id}/transcript for the answer's response, which the
server stores once and treats a repeat as a no-op). A recording whose audio cannot be decoded is
marked failed with the reason and never tried again.

`PendingTranscriptWorker` does this in the kiosk's background: when the kiosk starts, whenever the
last interview ends, and on a backoff schedule while the model is unavailable. It runs only while
no candidate is at the station (`StationActivity`) and lets go of the CPU, between segments, the
moment one arrives.
"""

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop_app.errors import StationError, TranscriptionCancelled, TranscriptionError, UnreadableAudioError
from desktop_app.session.activity import StationActivity
from desktop_app.speech.transcription import Transcriber, read_audio_file
from desktop_app.store.outbox import Outbox, UntranscribedAnswer

log = logging.getLogger(__name__)


@dataclass
class PendingTranscriptsReport:
    transcribed: list[UntranscribedAnswer] = field(default_factory=list)
    failed: list[tuple[UntranscribedAnswer, str]] = field(default_factory=list)  # (answer, reason)
    left: int = 0  # still pending: the pass was interrupted, or the model failed
    model_problem: str | None = None


def transcribe_pending(
    outbox: Outbox,
    transcriber: Transcriber,
    *,
    cancelled: Callable[[], bool] | None = None,
    on_answer: Callable[[UntranscribedAnswer, str | None], None] | None = None,
) -> PendingTranscriptsReport:
    """Transcribe every answer still waiting for its transcript, oldest first.

    Args:
        cancelled: asked before each answer and between segments; true stops the pass (the
            answers not done stay pending).
        on_answer: told about each answer done: None when transcribed, else why it failed.
    """
    report = PendingTranscriptsReport()
    waiting = outbox.answers_without_transcript()
    for done, answer in enumerate(waiting):
        if cancelled is not None and cancelled():
            report.left = len(waiting) - done
            break
        try:
            audio = read_audio_file(answer.media_path)
        except UnreadableAudioError as exc:
            outbox.transcript_failed(answer.answer_id, exc.message)
            report.failed.append((answer, exc.message))
            log.warning("answer %s cannot be transcribed: %s", answer.answer_id, exc.message)
            if on_answer is not None:
                on_answer(answer, exc.message)
            continue
        try:
            transcript = transcriber.transcribe_audio(audio, cancelled=cancelled)
        except TranscriptionCancelled:
            report.left = len(waiting) - done
            break
        except TranscriptionError as exc:  # the model failed, not the recording: try again later
            report.model_problem = exc.message
            report.left = len(waiting) - done
            break
        outbox.set_transcript(answer.answer_id, transcript)
        report.transcribed.append(answer)
        if on_answer is not None:
            on_answer(answer, None)
    return report


@dataclass(frozen=True)
class RetrySchedule:
    """How long to wait before trying again while answers wait and the model is unavailable."""

    first_seconds: float = 30.0
    max_seconds: float = 30 * 60.0
    idle_check_seconds: float = 15 * 60.0  # with nothing pending: look again this often anyway

    def delay(self, failures: int) -> float:
        base = min(self.max_seconds, self.first_seconds * 2 ** max(0, failures - 1))
        return float(base) * random.uniform(0.75, 1.0)


class PendingTranscriptWorker:
    """The kiosk's background retry of pending transcripts; see the module docstring."""

    def __init__(
        self,
        outbox: Outbox,
        *,
        load_transcriber: Callable[[], Transcriber],
        activity: StationActivity,
        on_transcribed: Callable[[], None] | None = None,
        schedule: RetrySchedule | None = None,
    ) -> None:
        self.outbox = outbox
        self.load_transcriber = load_transcriber
        self.activity = activity
        self.on_transcribed = on_transcribed
        self.schedule = schedule or RetrySchedule()
        self.failures = 0  # passes in a row that could not finish for want of a working model
        self.last_report: PendingTranscriptsReport | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        activity.on_idle(self.wake)  # after each interview

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="pending-transcripts", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 20.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None

    def wake(self) -> None:
        """Try now (if the station is idle) instead of at the next scheduled time."""
        self._wake.set()

    def run_pass(self) -> PendingTranscriptsReport | None:
        """One pass, if the station is idle and anything waits; None when there was nothing to do."""
        if self.activity.busy or not self.outbox.answers_without_transcript():
            return None
        try:
            transcriber = self.load_transcriber()
        except StationError as exc:
            log.info("pending transcripts wait for the speech model: %s", exc.message)
            return PendingTranscriptsReport(
                left=len(self.outbox.answers_without_transcript()), model_problem=exc.message
            )
        return transcribe_pending(
            self.outbox, transcriber, cancelled=lambda: self._stop.is_set() or self.activity.busy
        )

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self.activity.idle.wait(0.5):  # never start while a candidate is at the station
                continue
            self._wake.clear()
            try:
                report = self.run_pass()
            except Exception:  # a bug here must not take the kiosk down; try again later
                log.exception("transcribing pending answers failed")
                report = PendingTranscriptsReport(model_problem="unexpected error")
            if report is not None:
                self.last_report = report
                if report.transcribed and self.on_transcribed is not None:
                    self.on_transcribed()
            if report is not None and report.model_problem is not None:
                self.failures += 1
                wait = self.schedule.delay(self.failures)
            else:
                self.failures = 0
                wait = self.schedule.idle_check_seconds
            self._wake.wait(wait)
