"""The kiosk's connection to the engine: settings, outbox, enrollment, the speech model, and the
background work (the sync loop; transcribing answers whose transcript is still pending).

No Qt here: every method may block (network, disk); the kiosk calls them through `ui.tasks`.
"""

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import httpx

from desktop_app.config import StationSettings, save_settings_values
from desktop_app.session.activity import StationActivity
from desktop_app.session.journal import SessionJournal
from desktop_app.speech.pending_transcripts import PendingTranscriptWorker
from desktop_app.store.local_retention import LocalRetention
from desktop_app.store.outbox import Outbox
from desktop_app.sync.client import enroll, station_client
from desktop_app.sync.errors import NotEnrolled
from desktop_app.sync.identity import StationIdentity, load_identity, save_identity
from desktop_app.sync.loop import Backoff, SyncLoop
from desktop_app.sync.sessions import (
    open_interview,
    queue_consent_declined,
    queue_consent_given,
    queue_interview_completed,
)
from sync_server.contract import InterviewPlan

if TYPE_CHECKING:
    from desktop_app.speech.transcription import Transcriber


@dataclass(frozen=True)
class SyncStatus:
    online: bool | None  # None: not known yet (or the station is not enrolled)
    waiting: int  # answers (or their transcripts) in the outbox, not yet confirmed by the server
    saving: int = 0  # answers recorded in a running interview, not in the outbox yet


@dataclass(frozen=True)
class QueueEntry:
    interview: str
    question: str
    attempt: int
    size_bytes: int
    state: str

    @property
    def line(self) -> str:
        return (
            f"Interview {self.interview[:8]} · question {self.question[:8]} · attempt {self.attempt} · "
            f"{self.size_bytes / 1_000_000:.1f} MB · {self.state}"
        )


class StationConnection:
    """What the kiosk needs from the station engine and the sync layer, in one place."""

    def __init__(self, settings: StationSettings) -> None:
        self.settings = settings
        self.outbox = Outbox.open(
            settings.station_db_path, retention=timedelta(days=settings.media_retention_days)
        )
        self.journal = SessionJournal.open(settings.station_db_path)
        self._lock = threading.Lock()
        self._client: httpx.Client | None = None
        self._loop: SyncLoop | None = None
        self._loop_thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.activity = StationActivity()
        """Busy while a candidate's interview runs: background transcription waits for idle."""
        self._transcriber: Transcriber | None = None
        self._transcriber_lock = threading.Lock()
        self.transcript_retry = PendingTranscriptWorker(
            self.outbox,
            load_transcriber=self.speech_model,
            activity=self.activity,
            on_transcribed=self.wake_sync,
        )
        self.identity: StationIdentity | None = None
        try:
            self.identity = load_identity(settings.identity_file)
        except NotEnrolled:
            self.identity = None

    # -- the candidate's side ------------------------------------------------------------------
    def _http(self) -> httpx.Client:
        with self._lock:
            if self.identity is None:
                raise NotEnrolled(
                    "This station is not connected to an interview server yet.",
                    fix="Please ask a member of staff to set up the station.",
                )
            if self._client is None:
                self._client = station_client(self.identity, timeout=15.0)
            return self._client

    def open_interview(self, access_code: str) -> InterviewPlan:
        return open_interview(self._http(), access_code)

    def consent_given(self, plan: InterviewPlan, *, people_only: bool) -> None:
        queue_consent_given(
            self.outbox,
            interview_id=plan.interview_id,
            consent_version=plan.consent.version,
            people_only=people_only,
            at=datetime.now(UTC),
        )
        self.wake_sync()

    def consent_declined(self, plan: InterviewPlan) -> None:
        queue_consent_declined(self.outbox, interview_id=plan.interview_id, at=datetime.now(UTC))
        self.wake_sync()

    def interview_completed(self, plan: InterviewPlan) -> None:
        queue_interview_completed(self.outbox, interview_id=plan.interview_id)
        self.wake_sync()

    # -- speech ----------------------------------------------------------------------------------
    def speech_model(self) -> "Transcriber":
        """The speech model, loaded once per kiosk process and shared by interviews and retries.

        Raises:
            SpeechModelError: it cannot be loaded (asked again next time: it may be fixed by then).
        """
        with self._transcriber_lock:
            if self._transcriber is None:
                from desktop_app.speech.transcription import Transcriber

                self._transcriber = Transcriber(self.settings)
            return self._transcriber

    def start_transcript_retry(self) -> None:
        """Transcribe answers stored with a pending transcript, whenever no candidate is here."""
        self.transcript_retry.start()

    # -- sync ------------------------------------------------------------------------------------
    def start_sync(self) -> None:
        """Deliver waiting answers in the background for as long as the kiosk runs."""
        if self.identity is None or self._loop_thread is not None:
            return
        self._stop.clear()
        loop = SyncLoop(
            self.outbox,
            station_client(self.identity),
            chunk_size=self.settings.sync_chunk_bytes,
            backoff=Backoff(cap=self.settings.sync_backoff_max_seconds),
            local_retention=LocalRetention.open(self.settings),
        )
        self._loop = loop
        self._loop_thread = threading.Thread(
            target=loop.run, args=(self._stop,), name="kiosk-sync", daemon=True
        )
        self._loop_thread.start()

    def stop_sync(self) -> None:
        self._stop.set()
        if self._loop_thread is not None:
            self._loop_thread.join(timeout=20)
        if self._loop is not None:
            self._loop.client.close()
            if self._loop.local_retention is not None:
                self._loop.local_retention.close()
        self._loop_thread = None
        self._loop = None

    def wake_sync(self) -> None:
        if self._loop is not None:
            self._loop.wake()

    def sync_status(self) -> SyncStatus:
        counts = self.outbox.counts()
        waiting = counts.waiting + counts.rejected
        saving = self.journal.answers_not_yet_queued()
        if self.identity is None or self._loop is None:
            return SyncStatus(None, waiting, saving)
        # the loop backs off only after the server could not be reached; no failures = it answered
        return SyncStatus(self._loop.backoff.failures == 0, waiting, saving)

    def queue(self) -> list[QueueEntry]:
        return [
            QueueEntry(
                a.interview_id,
                a.question_id,
                a.attempt,
                a.media_size,
                "video sent, transcript waiting" if a.media_confirmed else "waiting",
            )
            for a in self.outbox.pending_answers()
        ]

    # -- staff -----------------------------------------------------------------------------------
    def enroll(self, server_url: str, code: str) -> StationIdentity:
        identity = enroll(server_url, code)
        save_identity(self.settings.identity_file, identity)
        self.stop_sync()
        with self._lock:
            if self._client is not None:
                self._client.close()
            self._client = None
            self.identity = identity
        save_settings_values({"server_url": identity.server_url})
        self.start_sync()
        return identity

    def close(self) -> None:
        self.transcript_retry.stop()
        self.stop_sync()
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None
        self.outbox.close()
        self.journal.close()
