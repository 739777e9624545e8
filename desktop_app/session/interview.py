"""The interview state machine: consent -> device check -> for each question: speak -> think ->
record -> (keep | retake) -> next -> done.

`InterviewSession.run()` drives one interview on the calling thread (the kiosk calls it from a
worker thread; the headless runner from its main thread). The UI listens to `session.events` and
answers the questions the session waits on through the command methods (`give_consent`, `keep_answer`,
`retake`, ...), which are safe to call from any thread.

Every step that matters is journaled (see journal.py) before the session moves on, so a station
killed at any moment resumes at the same question when the same interview is run again, and an
answer handed to the sink is never recorded or handed over twice.
"""

import dataclasses
import hashlib
import logging
import queue
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from desktop_app.config import StationSettings
from desktop_app.devices.camera import CameraCapture, CameraFrame
from desktop_app.devices.check import DeviceCheckResult, check_devices, dbfs
from desktop_app.devices.demo import StandIns, findings_with_stand_ins
from desktop_app.devices.microphone import AudioBlock, AudioFileMicrophone, MicrophoneCapture
from desktop_app.errors import DeviceError, PlanError, StationError
from desktop_app.findings import Finding, Status
from desktop_app.recording.clock import monotonic
from desktop_app.recording.media_settings import media_format
from desktop_app.recording.recorder import PART_SUFFIX, AnswerRecorder, RecordingError
from desktop_app.session.events import (
    CountdownTick,
    RecordingProgress,
    SessionEvents,
    SessionState,
    StateChange,
)
from desktop_app.session.journal import CANCELLED, FINISHED, JournaledAttempt, SessionJournal
from desktop_app.session.late_transcripts import LateTranscripts
from desktop_app.session.plan import QuestionLimits, limits_for, plan_fingerprint
from desktop_app.speech.transcription import Transcriber, TranscriptStream
from desktop_app.speech.tts import QuestionSpeaker
from desktop_app.store.answers import AnswerSink, FinishedAnswer
from desktop_app.store.disk_space import DiskSpaceLow, check_disk_space
from sync_server.contract import InterviewPlan, PlanQuestion, Transcript

log = logging.getLogger(__name__)

TICK_SECONDS = 0.25
LEVEL_INTERVAL_SECONDS = 0.1


@dataclass(frozen=True)
class SessionOptions:
    consent_given: bool = False  # consent was taken before the session (headless --consent-given)
    keep_answers_automatically: bool = False  # never wait for keep/retake (headless)
    device_check_seconds: float = 3.0
    device_check_blocks: bool = True  # a failed required check waits for recheck or staff override
    review_timeout_seconds: float = 120.0  # no choice within this keeps the answer
    transcript_timeout_seconds: float = 30.0  # after this the transcript is left pending
    device_check_confirm: bool = False  # the candidate watches the check and continues (kiosk)
    wait_for_transcripts: bool = True  # run() returns once late transcripts are stored (headless)


@dataclass
class SessionDevices:
    """The camera and the microphone the interview uses.

    `scripted_answers` (headless): one audio file per question, played into that question's answer
    as if spoken; the answer ends when its file does (or time runs out). Without it, `microphone`
    is a live device running for the whole session.
    """

    camera: CameraCapture
    microphone: MicrophoneCapture | None = None
    scripted_answers: list[Path] | None = None
    stand_ins: StandIns = field(default_factory=StandIns)  # demo stand-ins: their findings never block


@dataclass
class SessionSummary:
    interview_id: str
    journal_key: str
    status: str  # finished | cancelled | failed | already_finished
    resumed_at_question: int | None  # 0-based index when this run resumed an interrupted interview
    answers: list[FinishedAnswer] = field(default_factory=list)  # handed to the sink by this run
    device_check: DeviceCheckResult | None = None
    errors: list[str] = field(default_factory=list)


class SessionCancelled(Exception):
    """The candidate or staff cancelled the interview."""


class InterviewSession:
    """One interview, run with `run()`. See the module docstring for the flow."""

    def __init__(
        self,
        plan: InterviewPlan,
        *,
        settings: StationSettings,
        devices: SessionDevices,
        sink: AnswerSink,
        journal: SessionJournal,
        recordings_dir: Path,
        journal_key: str | None = None,
        speaker: QuestionSpeaker | None = None,
        load_transcriber: "Callable[[], Transcriber] | None" = None,
        options: SessionOptions | None = None,
        events: SessionEvents | None = None,
    ) -> None:
        if devices.microphone is None and devices.scripted_answers is None:
            raise DeviceError("No microphone was given.", fix="Choose a microphone in the station settings.")
        if devices.scripted_answers is not None and len(devices.scripted_answers) < len(plan.questions):
            raise PlanError(
                f"{len(plan.questions)} questions but only {len(devices.scripted_answers)} answer audio files.",
                fix="Give one audio file per question, in order.",
            )
        self.plan = plan
        self.settings = settings
        self.devices = devices
        self.sink = sink
        self.journal = journal
        self.recordings_dir = recordings_dir
        self.journal_key = journal_key or plan.interview_id
        self.speaker = speaker
        self.options = options or SessionOptions()
        self.events = events or SessionEvents()
        self.media = media_format(settings)
        self._load_transcriber = load_transcriber
        self._transcriber: Transcriber | None = None
        self._transcriber_ready = threading.Event()
        self._commands: queue.Queue[str] = queue.Queue()
        self._stop_speaking = threading.Event()
        self._last_level_at = 0.0
        self._started_devices: list[CameraCapture | MicrophoneCapture] = []
        self._summary = SessionSummary(plan.interview_id, self.journal_key, "failed", None)
        self._state = SessionState.starting
        self._device_problems: list[Finding] = []  # devices that would not start (shown in the check)
        self._level_connected = False
        self._voice_works = speaker is not None
        self.late_transcripts = LateTranscripts(
            journal,
            sink,
            timeout_seconds=self.options.transcript_timeout_seconds,
            shift=_shifted,
            on_problem=self._report,
        )

    # --- commands (any thread) ---------------------------------------------------------------

    def give_consent(self, accepted: bool) -> None:
        self._commands.put("consent_yes" if accepted else "consent_no")

    def recheck_devices(self) -> None:
        self._commands.put("recheck")

    def override_device_check(self) -> None:
        """Staff accept a failed device check (e.g. a candidate who cannot be seen by design)."""
        self._commands.put("override")

    def accept_device_check(self) -> None:
        """The candidate saw a passing device check and goes on (`device_check_confirm`)."""
        self._commands.put("continue")

    def skip_question_audio(self) -> None:
        self._stop_speaking.set()

    def start_answer_now(self) -> None:
        """End the think time early."""
        self._commands.put("start_now")

    def stop_answer(self) -> None:
        """The candidate has finished speaking."""
        self._commands.put("stop_answer")

    def keep_answer(self) -> None:
        self._commands.put("keep")

    def retake(self) -> None:
        self._commands.put("retake")

    def cancel(self) -> None:
        self._stop_speaking.set()
        self._commands.put("cancel")

    @property
    def state(self) -> SessionState:
        return self._state

    # --- the flow ----------------------------------------------------------------------------

    def run(self) -> SessionSummary:
        """Run (or resume) the interview to its end; returns what happened.

        Raises:
            PlanError: the journal holds this interview with a different plan.
        """
        journaled = self.journal.begin_interview(
            self.journal_key,
            interview_id=self.plan.interview_id,
            plan_sha256=plan_fingerprint(self.plan),
            plan=self.plan,
        )
        if journaled.plan_sha256 != plan_fingerprint(self.plan):
            raise PlanError(
                f"Interview {self.plan.interview_id} was started on this station with a different plan.",
                fix="Finish or cancel that interview first, or give this plan another interview_id.",
            )
        if journaled.status == FINISHED:
            self._summary.status = "already_finished"
            return self._summary
        if journaled.question_index > 0 or self.journal.all_attempts(self.journal_key):
            self._summary.resumed_at_question = journaled.question_index
        try:
            self._start_transcriber()
            self._start_devices()
            if journaled.consent_at is None:
                self._take_consent()
            self._check_devices()
            if self.speaker is not None:
                self.speaker.prepare([q.text for q in self.plan.questions])
            for index in range(journaled.question_index, len(self.plan.questions)):
                self._run_question(index)
            self.journal.set_status(self.journal_key, FINISHED)
            self._summary.status = "finished"
            self._set_state(SessionState.finished)
        except SessionCancelled:
            self.journal.set_status(self.journal_key, CANCELLED)
            self._summary.status = "cancelled"
            self._set_state(SessionState.cancelled)
        except StationError as exc:
            # The journal stays active: running the same interview again resumes here.
            self._report(exc)
            self._summary.status = "failed"
            self._set_state(SessionState.failed)
        finally:
            self._stop_devices()
            if self.options.wait_for_transcripts:
                self.late_transcripts.wait(self.options.transcript_timeout_seconds + 5)
                self._summary.answers = [self._with_late_transcript(a) for a in self._summary.answers]
            self.late_transcripts.close()
        return self._summary

    def _with_late_transcript(self, answer: FinishedAnswer) -> FinishedAnswer:
        journaled = self.journal.attempt(answer.answer_id)
        if answer.transcript is None and journaled is not None and journaled.transcript is not None:
            return dataclasses.replace(answer, transcript=journaled.transcript)
        return answer

    def _start_transcriber(self) -> None:
        if self._load_transcriber is None:
            self._transcriber_ready.set()
            return
        loader = self._load_transcriber

        def load() -> None:
            try:
                self._transcriber = loader()
            except StationError as exc:  # a missing model: record anyway, transcripts stay pending
                self._report(exc)
            except Exception as exc:
                log.exception("speech model failed to load")
                self._report(StationError(f"The speech model could not be loaded ({exc})."))
            finally:
                self._transcriber_ready.set()

        threading.Thread(target=load, name="load-transcriber", daemon=True).start()

    def _start_devices(self) -> None:
        """Start what is not running. With a candidate watching (`device_check_confirm`) a device that
        will not start becomes a failed finding of the device check, which they can retry; otherwise
        it ends the session before anything is recorded."""
        camera, microphone = self.devices.camera, self.devices.microphone
        self._device_problems = []
        if microphone is not None and not self._level_connected:
            microphone.block.connect(self._on_level)
            self._level_connected = True
        try:
            if not camera.running:
                camera.start()
                if camera not in self._started_devices:
                    self._started_devices.append(camera)
        except DeviceError as exc:
            if not self.options.device_check_confirm:
                raise
            self._device_problems.append(Finding("camera", Status.fail, exc.message, exc.fix))
        try:
            if microphone is not None:
                if not microphone.running:
                    from desktop_app.devices.audio import refresh_devices

                    refresh_devices()  # a microphone plugged in since the last try
                    microphone.start()
                    if microphone not in self._started_devices:
                        self._started_devices.append(microphone)
                microphone.wait_until_live()
        except DeviceError as exc:
            if not self.options.device_check_confirm:
                raise
            self._device_problems.append(Finding("microphone", Status.fail, exc.message, exc.fix))

    def _stop_devices(self) -> None:
        if self.devices.microphone is not None and self._level_connected:
            self.devices.microphone.block.disconnect(self._on_level)
            self._level_connected = False
        for device in reversed(self._started_devices):
            device.stop()
        self._started_devices.clear()

    def _take_consent(self) -> None:
        self._set_state(SessionState.consent)
        if not self.options.consent_given and self._wait_for({"consent_yes", "consent_no"}) != "consent_yes":
            raise SessionCancelled
        self.journal.record_consent(self.journal_key, self.plan.consent.version)

    def _check_devices(self) -> None:
        while True:
            self._set_state(SessionState.device_check)
            if self.options.device_check_confirm and self._device_problems:
                self._start_devices()  # a retry: the candidate or staff may have fixed it
            if self._device_problems:
                result = DeviceCheckResult(None, None, list(self._device_problems))
            else:
                result = check_devices(
                    self.devices.camera,
                    self.devices.microphone,
                    seconds=self.options.device_check_seconds,
                    fps=self.media.fps,
                    width=self.media.width,
                    height=self.media.height,
                )
            result = DeviceCheckResult(
                result.microphone,
                result.camera,
                findings_with_stand_ins(result.findings, self.devices.stand_ins),
            )
            self._summary.device_check = result
            self.events.device_check_done.emit(result)
            if self.options.device_check_confirm:
                wanted = {"recheck", "override"} if result.blocks else {"recheck", "continue"}
                if result.blocks:
                    self._set_state(SessionState.device_check_failed)
                if self._wait_for(wanted) == "recheck":
                    continue
                return
            if not (result.blocks and self.options.device_check_blocks):
                return
            self._set_state(SessionState.device_check_failed)
            if self._wait_for({"recheck", "override"}) == "override":
                return

    def _run_question(self, index: int) -> None:
        question = self.plan.questions[index]
        limits = limits_for(self.plan, question)
        attempts = self.journal.attempts(self.journal_key, index)
        for interrupted in (a for a in attempts if a.status == "recording"):
            if self._recover_saved_answer(interrupted):
                continue  # killed between closing the file and journaling it: the answer is whole
            # Killed mid-answer: that file is incomplete and the attempt does not count.
            interrupted.media_path.with_name(interrupted.media_path.name + PART_SUFFIX).unlink(
                missing_ok=True
            )
            interrupted.media_path.unlink(missing_ok=True)
            self.journal.set_attempt_status(interrupted.answer_id, "interrupted")
        if any(a.status == "recording" for a in attempts):
            attempts = self.journal.attempts(self.journal_key, index)
        kept = [a for a in attempts if a.status in ("kept", "delivered")]
        if kept:  # chosen before a crash, perhaps not yet handed over: (re)deliver, idempotently
            self._deliver(index, kept[0])
            return
        waiting = [a for a in attempts if a.status == "recorded"]
        candidate = waiting[-1] if waiting else None
        spoken = False
        while True:
            if candidate is None:
                if not spoken:
                    self._speak(index, question)
                    spoken = True
                self._think(index, question, limits)
                candidate = self._record(index, question, limits)
            used = self.journal.attempts_used(self.journal_key, index)
            if used >= limits.attempts_allowed or self.options.keep_answers_automatically:
                choice = "keep"
            else:
                self._set_state(
                    SessionState.reviewing, index, candidate.attempt, limits, media_path=candidate.media_path
                )
                try:
                    choice = (
                        self._wait_for({"keep", "retake"}, timeout=self.options.review_timeout_seconds)
                        or "keep"
                    )
                except SessionCancelled:
                    # The candidate walked away (or staff stopped) on the review screen: the answer
                    # they recorded is their work, so it is kept and sent before the session ends.
                    self._deliver(index, candidate)
                    raise
            if choice == "keep":
                self._deliver(index, candidate)
                return
            self.journal.set_attempt_status(candidate.answer_id, "discarded")
            candidate.media_path.unlink(missing_ok=True)  # the candidate asked for it to be thrown away
            candidate = None

    def _speak(self, index: int, question: PlanQuestion) -> None:
        if self.speaker is not None and self._voice_works:
            try:
                self.speaker.render(question.text)  # a synthesizer that fails is known before "Listen"
            except StationError as exc:
                log.warning("question shown as text only: %s", exc.message)
                self._voice_works = False
        self._set_state(SessionState.speaking, index)
        if self.speaker is not None and self._voice_works:
            self._stop_speaking.clear()
            played = self.speaker.speak(question.text, stop=self._stop_speaking)
            if not played and not self._stop_speaking.is_set():
                self._voice_works = False  # no speaker: the next questions say "Read the question"
                self._set_state(SessionState.speaking, index)

    def _think(self, index: int, question: PlanQuestion, limits: QuestionLimits) -> None:
        if limits.think_seconds <= 0:
            return
        self._set_state(SessionState.thinking, index, None, limits)
        deadline = monotonic() + limits.think_seconds
        while (remaining := deadline - monotonic()) > 0:
            self.events.countdown_tick.emit(
                CountdownTick(SessionState.thinking, remaining, limits.think_seconds)
            )
            if self._wait_for({"start_now"}, timeout=min(TICK_SECONDS, remaining)) == "start_now":
                return

    def _record(self, index: int, question: PlanQuestion, limits: QuestionLimits) -> JournaledAttempt:
        """Record one attempt to a finished file and journal it as 'recorded'."""
        self._ensure_devices()
        self._warn_if_disk_is_low(limits.answer_seconds)
        attempt = self.journal.attempts_used(self.journal_key, index) + 1
        answer_id = str(uuid.uuid4())
        path = self.recordings_dir / f"{_file_stem(question.id)}-attempt{attempt}{self.media.suffix}"
        self.journal.start_attempt(
            self.journal_key,
            answer_id=answer_id,
            question_id=question.id,
            question_index=index,
            attempt=attempt,
            media_path=path,
        )
        audio: MicrophoneCapture | AudioFileMicrophone
        if self.devices.scripted_answers is not None:
            audio = AudioFileMicrophone(
                self.devices.scripted_answers[index], sample_rate=self.media.sample_rate
            )
        else:
            assert self.devices.microphone is not None
            audio = self.devices.microphone
        recorder = AnswerRecorder(path, self.media, max_seconds=limits.answer_seconds)
        stream = self._open_transcript_stream(audio.sample_rate)
        ended = threading.Event()
        first_fed: list[float] = []

        def on_audio(block: AudioBlock) -> None:
            if recorder.add_audio(block) and stream is not None:
                if not first_fed:
                    first_fed.append(block.timestamp)
                stream.feed(block.samples)

        def on_failure(error: DeviceError) -> None:
            recorder.note_device_failure(error)
            ended.set()

        def on_camera_end(_: None) -> None:
            on_failure(DeviceError("The camera stopped delivering pictures.", fix="Check the camera."))

        def on_frame(frame: CameraFrame) -> None:
            recorder.add_frame(frame)

        connections: list[tuple[object, Callable[..., None]]] = [
            (self.devices.camera.frame, on_frame),
            (self.devices.camera.failed, on_failure),
            (self.devices.camera.ended, on_camera_end),
            (audio.block, on_audio),
            (audio.failed, on_failure),
            (recorder.limit_reached, lambda _: ended.set()),
        ]
        if isinstance(audio, AudioFileMicrophone):
            connections += [(audio.ended, lambda _: ended.set()), (audio.block, self._on_level)]
        for signal, listener in connections:
            signal.connect(listener)  # type: ignore[attr-defined]
        self._set_state(SessionState.recording, index, attempt, limits)
        try:
            recorder.start()
            if isinstance(audio, AudioFileMicrophone):
                audio.start()
            self._wait_for_answer_end(recorder, ended, limits)
            self._set_state(SessionState.saving, index, attempt, limits)
            if isinstance(audio, AudioFileMicrophone):
                audio.stop()
            if stream is not None:
                stream.end_of_audio()  # decode the rest while the file is closed
            result = recorder.finish()
        except RecordingError:
            if stream is not None:
                stream.cancel()
            self.journal.set_attempt_status(answer_id, "interrupted")
            raise
        except BaseException:
            recorder.abort()
            if stream is not None:
                stream.cancel()
            raise
        finally:
            for signal, listener in connections:
                signal.disconnect(listener)  # type: ignore[attr-defined]
        if result.error is not None:
            self._report(result.error)
        self.journal.attempt_recorded(
            answer_id,
            media_sha256=_sha256(path),
            duration_seconds=result.duration_seconds,
            metrics=result.metrics.as_dict(),
            transcript=None,
            error=result.error.message if result.error else None,
        )
        if stream is not None:  # the candidate moves on now; the transcript follows (late_transcripts.py)
            self.late_transcripts.finish_later(
                answer_id, stream, first_fed[0] - recorder.timeline_origin if first_fed else 0.0
            )
        return next(a for a in self.journal.attempts(self.journal_key, index) if a.answer_id == answer_id)

    def _recover_saved_answer(self, attempt: JournaledAttempt) -> bool:
        """An attempt journaled as 'recording' whose file was closed and renamed before a crash is a
        whole answer: journal it as recorded (its transcript is made later from the file)."""
        if not attempt.media_path.is_file():
            return False
        try:
            duration = _media_duration(attempt.media_path)
        except Exception:  # unreadable: it is not the whole answer after all
            log.warning("an interrupted answer's file cannot be read; it is not kept")
            return False
        self.journal.attempt_recorded(
            attempt.answer_id,
            media_sha256=_sha256(attempt.media_path),
            duration_seconds=duration,
            metrics={"recovered_after_restart": True},
            transcript=None,
            error=None,
        )
        log.info("interview %s: an answer saved just before a restart was kept", self.plan.interview_id)
        return True

    def _wait_for_answer_end(
        self, recorder: AnswerRecorder, ended: threading.Event, limits: QuestionLimits
    ) -> None:
        while not ended.is_set():
            elapsed = recorder.elapsed
            self.events.recording_progress.emit(RecordingProgress(elapsed, limits.answer_seconds))
            self.events.countdown_tick.emit(
                CountdownTick(
                    SessionState.recording, max(0.0, limits.answer_seconds - elapsed), limits.answer_seconds
                )
            )
            if elapsed >= limits.answer_seconds + 1.0:  # no frame or block arrived to trip the limit
                return
            if self._wait_for({"stop_answer"}, timeout=TICK_SECONDS) == "stop_answer":
                return

    def _ensure_devices(self) -> None:
        """A device that failed during an earlier answer gets one restart; failing that ends the session."""
        if not self.devices.camera.running:
            self.devices.camera.start()
            if self.devices.camera not in self._started_devices:
                self._started_devices.append(self.devices.camera)
        microphone = self.devices.microphone
        if microphone is not None and not microphone.running:
            microphone.start()

    def _open_transcript_stream(self, sample_rate: int) -> "TranscriptStream | None":
        self._transcriber_ready.wait(timeout=30)
        if self._transcriber is None:
            return None
        try:
            return self._transcriber.open_stream(
                sample_rate=sample_rate, on_update=self.events.transcript_update.emit
            )
        except StationError as exc:
            self._report(exc)
            return None

    def _deliver(self, index: int, attempt: JournaledAttempt) -> None:
        with self.late_transcripts.handover_lock:  # a transcript finishing now lands in one place
            self._hand_over(index, self.journal.attempt(attempt.answer_id) or attempt)

    def _hand_over(self, index: int, attempt: JournaledAttempt) -> None:
        if attempt.status == "recorded":
            self.journal.keep_attempt(attempt.answer_id)
        answer = FinishedAnswer(
            answer_id=attempt.answer_id,
            interview_id=self.plan.interview_id,
            question_id=attempt.question_id,
            attempt=attempt.attempt,
            media_path=attempt.media_path,
            media_sha256=attempt.media_sha256 or _sha256(attempt.media_path),
            duration_seconds=attempt.duration_seconds or 0.0,
            recorded_at=datetime.fromisoformat(attempt.recorded_at)
            if attempt.recorded_at
            else datetime.now(UTC),
            transcript=attempt.transcript,
            metrics={**attempt.metrics, **({"device_error": attempt.error} if attempt.error else {})},
        )
        self.sink.add_answer(answer)  # idempotent on answer_id: a redelivery after a crash is a no-op
        self.journal.attempt_delivered(self.journal_key, attempt.answer_id, next_question_index=index + 1)
        self._summary.answers.append(answer)
        self.events.answer_saved.emit(answer)

    # --- helpers -----------------------------------------------------------------------------

    def _wait_for(self, wanted: set[str], timeout: float | None = None) -> str | None:
        """The next wanted command (others are dropped), or None after `timeout`. Raises on cancel."""
        deadline = None if timeout is None else monotonic() + timeout
        while True:
            remaining = None if deadline is None else deadline - monotonic()
            if remaining is not None and remaining <= 0:
                return None
            try:
                command = self._commands.get(timeout=remaining)
            except queue.Empty:
                return None
            if command == "cancel":
                raise SessionCancelled
            if command in wanted:
                return command

    def _set_state(
        self,
        state: SessionState,
        index: int | None = None,
        attempt: int | None = None,
        limits: QuestionLimits | None = None,
        *,
        media_path: Path | None = None,
    ) -> None:
        self._state = state
        question = self.plan.questions[index] if index is not None else None
        if limits is None and question is not None:
            limits = limits_for(self.plan, question)
        self.events.state_changed.emit(
            StateChange(
                state=state,
                question_index=index,
                question_count=len(self.plan.questions),
                question=question,
                attempt=attempt,
                attempts_allowed=limits.attempts_allowed if limits else None,
                spoken_aloud=self._voice_works,
                media_path=media_path,
            )
        )

    def _on_level(self, block: AudioBlock) -> None:
        now = monotonic()
        if now - self._last_level_at >= LEVEL_INTERVAL_SECONDS:
            self._last_level_at = now
            rms = (
                float(np.sqrt(np.mean(np.square(block.samples, dtype=np.float64))))
                if len(block.samples)
                else 0.0
            )
            self.events.level_meter.emit(dbfs(rms))

    def _warn_if_disk_is_low(self, answer_seconds: float) -> None:
        """Tell staff before recording when the next answer might not fit. The candidate still records:
        refusing would lose the answer for sure, while most of it usually fits."""
        try:
            check_disk_space(
                self.recordings_dir, answer_seconds=answer_seconds, video_bitrate=self.settings.video_bitrate
            )
        except DiskSpaceLow as low:
            self._report(low)

    def _report(self, error: StationError) -> None:
        log.warning("interview %s: %s", self.plan.interview_id, error.message)
        self._summary.errors.append(error.message)
        self.events.error.emit(error)


def _file_stem(question_id: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", question_id).strip("._") or "question"
    if safe != question_id:  # two ids that sanitize alike must not share a file
        safe += "-" + hashlib.sha256(question_id.encode()).hexdigest()[:8]
    return safe[:80]


def _media_duration(path: Path) -> float:
    """Seconds of a finished recording, read from its container."""
    import av

    with av.open(str(path)) as container:
        if container.duration is None:
            raise ValueError("no duration")
        return float(container.duration) / 1_000_000


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _shifted(transcript: Transcript, seconds: float) -> Transcript:
    """Move transcript times from "first sample fed" to the answer file's timeline."""
    if seconds <= 0:
        return transcript

    def later(value: float) -> float:
        return round(value + seconds, 3)

    segments = [
        segment.model_copy(
            update={
                "start": later(segment.start),
                "end": later(segment.end),
                "words": [
                    word.model_copy(update={"start": later(word.start), "end": later(word.end)})
                    for word in segment.words
                ],
            }
        )
        for segment in transcript.segments
    ]
    return transcript.model_copy(update={"segments": segments})
