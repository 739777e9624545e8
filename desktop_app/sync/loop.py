"""The background sync loop: deliver the outbox in order, back off while the server is away.

One pass walks the outbox oldest first, answers and posts (consent, declined, completed) in the
order they were added. For an answer: create the upload (its location is journaled before any byte
is sent), ask the server for its offset, send the rest, and record the response id the server
confirms; then the transcript (a PUT, so a repeat is harmless). Before and after, a heartbeat tells
the server how many answers wait here (admins see it on the desk's Stations screen): when that number
changed since the last one, or a minute passed. A heartbeat that does not get through is logged and
does not hold back the answers.
A transient failure ends the pass and the loop waits with exponential backoff and jitter; an answer
the server refuses for good is set aside (kept on disk) so it cannot block the ones after it.
After each pass, confirmed recordings past the retention period go, and (given a `LocalRetention`)
so does the personal data of every interview the server has settled (see store.local_retention).
"""

import hashlib
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import structlog

from desktop_app import __version__
from desktop_app.errors import StationError
from desktop_app.store.local_retention import LocalRetention
from desktop_app.store.outbox import Outbox, PendingAnswer, PendingPost
from desktop_app.sync.client import API, raise_for_delivery, server_error_kind, server_says
from desktop_app.sync.errors import (
    CANDIDATE_ERASED,
    VALIDATION_ERROR,
    DeliveryRejected,
    ServerUnreachable,
    SyncError,
)
from desktop_app.sync.sessions import without_station_time
from desktop_app.sync.tus import TusUploader, UploadGone, UploadState

log = structlog.get_logger(__name__)

# Retention is counted in days: once every few minutes is plenty, and it spares the station database
# a write lock on every idle pass.
LOCAL_PURGE_INTERVAL_SECONDS = 600.0

MAX_RESTARTS_PER_PASS = 3
HEARTBEAT_SECONDS = 60.0


class Backoff:
    """Exponential backoff with jitter: base * 2^n seconds, capped, times a random 0.5-1.0."""

    def __init__(self, *, base: float = 1.0, cap: float = 60.0) -> None:
        self.base = base
        self.cap = cap
        self.failures = 0

    def next_delay(self) -> float:
        delay = float(min(self.cap, self.base * 2**self.failures)) * random.uniform(0.5, 1.0)
        self.failures += 1
        return delay

    def reset(self) -> None:
        self.failures = 0


@dataclass
class PassReport:
    answers_delivered: int = 0
    transcripts_delivered: int = 0
    posts_delivered: int = 0
    rejected: list[str] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


class SyncLoop:
    def __init__(
        self,
        outbox: Outbox,
        client: httpx.Client,
        *,
        chunk_size: int = 4 * 1024 * 1024,
        backoff: Backoff | None = None,
        idle_seconds: float = 5.0,
        on_problem: Callable[[SyncError], None] | None = None,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
        local_retention: LocalRetention | None = None,
    ) -> None:
        self.outbox = outbox
        self.client = client
        self.uploader = TusUploader(client, chunk_size=chunk_size)
        self.backoff = backoff or Backoff()
        self.idle_seconds = idle_seconds
        self.on_problem = on_problem
        self.heartbeat_seconds = heartbeat_seconds
        self.local_retention = local_retention
        self._next_local_purge = 0.0  # monotonic time of the next station-side retention run
        self._last_heartbeat: tuple[float, int] | None = None  # (monotonic time, answers waiting)
        self._wake = threading.Event()

    # -- one pass -----------------------------------------------------------------------------
    def run_once(self) -> PassReport:
        """Deliver everything pending, in order. Raises ServerUnreachable on a transient failure."""
        report = PassReport()
        self._heartbeat_if_due()  # before uploads that may take minutes, so admins see what waits
        for item in self.outbox.pending_in_order():
            if isinstance(item, PendingPost):
                self._deliver_post(item, report)
                continue
            try:
                self._deliver_answer(item, report)
            except DeliveryRejected as exc:
                log.warning("answer_rejected", answer_id=item.answer_id, reason=exc.message)
                self.outbox.reject_answer(item.answer_id, exc.message, candidate_erased=exc.candidate_erased)
                report.rejected.append(item.answer_id)
                if self.on_problem is not None:
                    self.on_problem(exc)
            except ServerUnreachable as exc:
                self.outbox.note_failure(item.answer_id, exc.message)
                raise
        self.outbox.purge_delivered_media()
        self._remove_settled_personal_data()
        self._heartbeat_if_due()
        return report

    def _remove_settled_personal_data(self) -> None:
        """Station-side retention, after each pass: a failure here must never stop deliveries."""
        if self.local_retention is None or time.monotonic() < self._next_local_purge:
            return
        self._next_local_purge = time.monotonic() + LOCAL_PURGE_INTERVAL_SECONDS
        try:
            self.local_retention.purge()
        except (sqlite3.Error, OSError, StationError) as exc:
            log.warning("station_retention_failed", error=str(exc))

    def _heartbeat_if_due(self) -> None:
        waiting = self.outbox.counts().waiting
        last = self._last_heartbeat
        if last is not None and last[1] == waiting and time.monotonic() - last[0] < self.heartbeat_seconds:
            return
        try:
            self.send_heartbeat(waiting)
        except ServerUnreachable as exc:
            # Only informational: answers still go out (their own failure ends the pass); the next
            # pass says the count again, since this one was not recorded as said.
            log.info("heartbeat_failed", reason=exc.message)

    def send_heartbeat(self, waiting: int) -> None:
        """Tell the server this station is alive and how many answers wait here (admins see it)."""
        try:
            response = self.client.post(
                f"{API}/station/heartbeat", json={"app_version": __version__, "pending_uploads": waiting}
            )
        except httpx.TransportError as exc:
            raise ServerUnreachable(f"Sending a heartbeat was interrupted ({type(exc).__name__}).") from None
        try:
            raise_for_delivery(response, "the heartbeat")
        except DeliveryRejected as exc:  # an old server, say: answers still flow, so carry on
            log.warning("heartbeat_refused", reason=exc.message)
        self._last_heartbeat = (time.monotonic(), waiting)

    def _deliver_answer(self, answer: PendingAnswer, report: PassReport) -> None:
        response_id = answer.response_id
        if not answer.media_confirmed:
            response_id = self._upload_media(answer)
            self.outbox.confirm_media(answer.answer_id, response_id)
            report.answers_delivered += 1
        if answer.transcript is not None and not answer.transcript_confirmed:
            assert response_id is not None
            try:
                response = self.client.put(
                    f"{API}/responses/{response_id}/transcript",
                    content=answer.transcript.model_dump_json(),
                    headers={"Content-Type": "application/json"},
                )
            except httpx.TransportError as exc:
                raise ServerUnreachable(
                    f"Sending a transcript was interrupted ({type(exc).__name__})."
                ) from None
            if response.status_code == 404:
                self._refuse_if_candidate_erased(answer.interview_id)
            raise_for_delivery(response, "a transcript")
            self.outbox.confirm_transcript(answer.answer_id)
            report.transcripts_delivered += 1

    def _refuse_if_candidate_erased(self, interview_id: str) -> None:
        """The server no longer knows an answer it confirmed: erasing its candidate deletes answers,
        but not the interview, whose plan then answers CandidateErased (see store.local_retention)."""
        try:
            probe = self.client.get(f"{API}/station/interviews/{interview_id}/plan")
        except httpx.TransportError as exc:
            raise ServerUnreachable(
                f"Asking about an interview was interrupted ({type(exc).__name__})."
            ) from None
        if server_error_kind(probe) == CANDIDATE_ERASED:
            raise DeliveryRejected(
                f"The server refused a transcript: {server_says(probe)}", server_error=CANDIDATE_ERASED
            )

    def _upload_media(self, answer: PendingAnswer) -> str:
        location = answer.upload_url
        for _ in range(MAX_RESTARTS_PER_PASS):
            try:
                if location is None:
                    location, state = self._create_upload(answer)
                else:
                    state = self.uploader.state(location)  # resume where the server is
                final = self.uploader.send(location, answer.media_path, state)
            except UploadGone:
                self.outbox.forget_upload_url(answer.answer_id)
                location = None
                continue
            if final.response_id is None:
                raise DeliveryRejected("The server stored the recording but named no response for it.")
            return final.response_id
        raise ServerUnreachable("The server keeps discarding this upload; will try again later.")

    def _create_upload(self, answer: PendingAnswer) -> tuple[str, UploadState]:
        if not answer.media_path.exists():
            raise DeliveryRejected(f"The recording {answer.media_path} is missing from the station's disk.")
        if file_sha256(answer.media_path) != answer.media_sha256:
            raise DeliveryRejected(
                f"The recording {answer.media_path} no longer matches the checksum taken when it was "
                "recorded (disk damage?); it is kept for staff to inspect."
            )
        metadata = {
            "kind": "video",
            "filename": answer.media_path.name,
            "sha256": answer.media_sha256,
            "interview": answer.interview_id,
            "question": answer.question_id,
            "attempt": str(answer.attempt),
            "answer_id": answer.answer_id,
            "duration": f"{answer.duration_seconds:.3f}",
            "recorded_at": answer.recorded_at,  # ISO 8601 in UTC, as the outbox keeps it
        }
        location, state = self.uploader.create(length=answer.media_size, metadata=metadata)
        self.outbox.record_upload_url(answer.answer_id, location)
        return location, state

    def _deliver_post(self, post: PendingPost, report: PassReport) -> None:
        body = post.body
        while True:
            try:
                response = self.client.request(post.method, post.path, json=body)
            except httpx.TransportError as exc:
                raise ServerUnreachable(f"Sending a record was interrupted ({type(exc).__name__}).") from None
            try:
                raise_for_delivery(response, "a record")
            except DeliveryRejected as exc:
                untimed = without_station_time(body) if exc.server_error == VALIDATION_ERROR else None
                if untimed is not None:
                    # A time from this station's clock the server finds implausible (days ahead):
                    # the report itself (consent, the people-only choice) must still arrive.
                    log.warning("station_time_refused", path=post.path, reason=exc.message)
                    body = untimed
                    continue
                self.outbox.reject_post(post.post_id, exc.message)
                report.rejected.append(post.post_id)
                return
            break
        self.outbox.confirm_post(post.post_id)
        report.posts_delivered += 1

    # -- forever --------------------------------------------------------------------------------
    def wake(self) -> None:
        """Something new is waiting: start a pass now instead of after the idle wait."""
        self._wake.set()

    def run(self, stop: threading.Event) -> None:
        """Run passes until `stop` is set (the kiosk runs this in a background thread)."""
        while not stop.is_set():
            try:
                report = self.run_once()
            except ServerUnreachable as exc:
                delay = self.backoff.next_delay()
                log.info("sync_waiting", reason=exc.message, retry_in=round(delay, 1))
                self._sleep(stop, delay)
                continue
            except SyncError as exc:  # e.g. the credential was revoked: staff must act
                log.warning("sync_blocked", reason=exc.message)
                if self.on_problem is not None:
                    self.on_problem(exc)
                self._sleep(stop, self.backoff.cap)
                continue
            self.backoff.reset()
            if report.answers_delivered or report.transcripts_delivered or report.posts_delivered:
                log.info(
                    "sync_pass",
                    answers=report.answers_delivered,
                    transcripts=report.transcripts_delivered,
                    posts=report.posts_delivered,
                )
            self._sleep(stop, self.idle_seconds)

    def _sleep(self, stop: threading.Event, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not stop.is_set() and (remaining := deadline - time.monotonic()) > 0:
            if self._wake.wait(min(0.25, remaining)):
                break
        self._wake.clear()
