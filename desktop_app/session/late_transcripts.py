"""Finishing an answer's live transcript after the candidate has moved on.

When the candidate says "I'm done", the recording is closed and journaled at once; the speech still
undecoded at that moment (usually the last second or so, more on a loaded station) is finished here,
on one background thread, while the next question runs. The transcript then lands wherever the
answer is by then:

- not yet handed to the sink (the candidate is still choosing keep or retake): in the journal, so
  the hand-over carries it;
- already handed over: in the journal and through `sink.set_transcript` (the outbox sends it with
  the answer's id; the server stores it once);
- discarded (a retake): nowhere.

One lock orders "transcript stored" against "answer handed over", so a transcript is never lost
between the two. A transcript that fails or runs out of time leaves the answer *pending*; the
station's pending-transcript worker transcribes it from the recording later.
"""

import logging
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

from desktop_app.errors import StationError
from desktop_app.session.journal import SessionJournal
from desktop_app.speech.transcription import TranscriptStream
from desktop_app.store.answers import AnswerSink
from sync_server.contract import Transcript

log = logging.getLogger(__name__)


class LateTranscripts:
    """Transcripts still being finished for one session's answers."""

    def __init__(
        self,
        journal: SessionJournal,
        sink: AnswerSink,
        *,
        timeout_seconds: float,
        shift: Callable[[Transcript, float], Transcript],
        on_problem: Callable[[StationError], None],
    ) -> None:
        self.journal = journal
        self.sink = sink
        self.timeout_seconds = timeout_seconds
        self._shift = shift
        self._on_problem = on_problem
        self.handover_lock = threading.Lock()
        """Held while an answer is handed to the sink, and while a late transcript is stored."""
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="late-transcript")
        self._futures: list[Future[None]] = []

    def finish_later(self, answer_id: str, stream: TranscriptStream, shift_seconds: float) -> None:
        """Finish `stream` in the background and store its transcript for `answer_id`."""
        self._futures.append(self._pool.submit(self._finish, answer_id, stream, shift_seconds))

    def _finish(self, answer_id: str, stream: TranscriptStream, shift_seconds: float) -> None:
        try:
            transcript = stream.finish(timeout=self.timeout_seconds)
        except StationError as exc:
            stream.cancel()
            self._on_problem(exc)
            return
        except Exception as exc:  # the answer is safe; its transcript is retried from the recording
            log.exception("finishing a transcript failed")
            stream.cancel()
            self._on_problem(StationError(f"An answer's transcript could not be finished ({exc})."))
            return
        transcript = self._shift(transcript, shift_seconds)
        try:
            with self.handover_lock:
                attempt = self.journal.attempt_transcribed(answer_id, transcript)
                if attempt is not None and attempt.status == "delivered":
                    self.sink.set_transcript(answer_id, transcript)
        except sqlite3.Error as exc:  # the station is shutting down: the answer stays pending
            log.warning(
                "a finished transcript could not be stored (%s); it is made again from the recording", exc
            )

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every transcript is stored or given up on; True when none is left running."""
        _, not_done = wait(list(self._futures), timeout=timeout)
        return not not_done

    def close(self) -> None:
        """Stop taking work; transcripts already running finish on their own (the pool's thread ends then)."""
        self._pool.shutdown(wait=False)
