"""One candidate's visit to the kiosk, without Qt: device check, practice question, interview.

`KioskInterviewRun.start()` runs, on one worker thread of its own:
  1. the camera and microphone (station_devices.py: in the demo, stand-ins for missing ones), shared
     by everything below and stopped at the end;
  2. after a restart: the welcome-back step (the candidate's look and saved answers restored);
  3. the practice question: an `InterviewSession` of its own whose answer goes to a sink that deletes
     it (never kept or sent). Its device check is the one the candidate watches and continues from
     (`device_check_confirm`); skipped when the journal says this was already done;
  4. the interview: the session with the outbox as its sink; its own device check is a short
     formality when the candidate has just passed the visible one.
The kiosk's buttons call the command methods (any thread; they return at once), which drive the
running session through its own commands (`accept_device_check`, `recheck_devices`, `keep_answer`...).
What happens is told to a `KioskRunListener` (plain callbacks, called on engine threads; the UI hands
them to its GUI thread).
"""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

from desktop_app.devices.camera import CameraFrame
from desktop_app.devices.check import DeviceCheckResult
from desktop_app.devices.levels import block_level
from desktop_app.devices.microphone import AudioBlock
from desktop_app.errors import StationError
from desktop_app.findings import Finding
from desktop_app.memory import release_free_memory
from desktop_app.session.events import (
    CountdownTick,
    RecordingProgress,
    SessionEvents,
    SessionState,
    StateChange,
)
from desktop_app.session.interview import InterviewSession, SessionDevices, SessionOptions, SessionSummary
from desktop_app.session.journal import ACTIVE, CANCELLED
from desktop_app.session.kiosk_views import (
    CandidateLook,
    InterviewSummary,
    Phase,
    QuestionView,
    ResumeInfo,
)
from desktop_app.session.late_transcripts import LateTranscripts
from desktop_app.session.plan import limits_for, plan_fingerprint
from desktop_app.session.station import StationConnection
from desktop_app.session.station_devices import StationDevices, open_station_devices, station_speaker
from desktop_app.store.active_interview import ActiveInterview, kiosk_active_interview_file
from desktop_app.store.answers import FinishedAnswer
from sync_server.contract import InterviewPlan, PlanQuestion, Transcript

log = logging.getLogger(__name__)

PRACTICE_TEXT = (
    "This is a practice question. Please tell us your first name and what the weather is like today."
)
PRACTICE_ATTEMPTS = 2  # watch it, try again once: the point is to get comfortable
VISIBLE_CHECK_SECONDS = 3.0
FORMAL_CHECK_SECONDS = 0.3  # the session's own check, right after the candidate passed the visible one
LATE_TRANSCRIPT_WAIT_SECONDS = 60.0  # after the interview, before background transcription may start
_PHASES = {
    SessionState.speaking: Phase.speaking,
    SessionState.thinking: Phase.thinking,
    SessionState.recording: Phase.recording,
    SessionState.saving: Phase.saving,
    SessionState.reviewing: Phase.review,
}


class KioskRunListener(Protocol):
    """What a kiosk interview reports; every method may be called on any engine thread."""

    def question(self, view: QuestionView) -> None: ...
    def countdown(self, remaining: float, total: float) -> None: ...
    def recorded(self, seconds: float) -> None: ...
    def level(self, dbfs: float, peak_dbfs: float) -> None: ...
    def frame(self, image: Any) -> None: ...
    def device_checking(self) -> None: ...
    def device_findings(self, findings: list[Finding]) -> None: ...
    def stand_ins(self, labels: list[str]) -> None: ...
    def resumed(self, info: ResumeInfo) -> None: ...
    def finished(self, summary: InterviewSummary) -> None: ...
    def failed(self, error: Exception) -> None: ...
    def problem(self, error: StationError) -> None: ...


class DiscardingSink:
    """Where the practice answer goes: deleted at once; nothing of it is kept or sent."""

    def add_answer(self, answer: FinishedAnswer) -> None:
        answer.media_path.unlink(missing_ok=True)

    def set_transcript(self, answer_id: str, transcript: Transcript) -> None:
        return None


class _Stopped(Exception):
    """The candidate left (idle timeout) or staff closed the interview."""


class KioskInterviewRun:
    """One candidate's run. Command methods may be called from any thread and return at once."""

    def __init__(
        self,
        interviews: "KioskInterviews",
        plan: InterviewPlan,
        listener: KioskRunListener,
        *,
        resumed: bool,
        people_only: bool = False,
        look: CandidateLook | None = None,
    ) -> None:
        self.interviews = interviews
        self.settings = interviews.settings
        self.journal = interviews.journal
        self.plan = plan
        self.listener = listener
        self.resumed = resumed
        self.people_only = people_only
        self.look = look or CandidateLook()
        self._stopped = threading.Event()
        self._welcomed = threading.Event()  # the candidate continued from the welcome-back screen
        self._start_interview = threading.Event()  # the candidate is done practising
        self._session: InterviewSession | None = None
        self._practice = False
        self._question: PlanQuestion | None = None
        self._view: QuestionView | None = None
        self._thread: threading.Thread | None = None
        self._session_plan = plan  # the plan of the session running now (the practice has its own)
        self._late_transcripts: LateTranscripts | None = None
        self._check_passed = False  # journaled once per interview
        self._visible_check = False  # the running session's device check is the one the candidate watches
        self._voice = ThreadPoolExecutor(max_workers=1, thread_name_prefix="question-replay")
        self._replay_stops: list[threading.Event] = []
        self._replay_lock = threading.Lock()

    @property
    def key(self) -> str:
        return self.plan.interview_id

    # -- commands (any thread) -----------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="kiosk-interview", daemon=True)
        self._thread.start()

    def continue_after_resume(self) -> None:
        self._welcomed.set()

    def check_devices_again(self) -> None:
        if self._session is not None:
            self._session.recheck_devices()

    def devices_accepted(self) -> None:
        if self._session is not None:
            self._session.accept_device_check()

    def replay_question(self) -> None:
        """Say the question again (one voice thread per run; a new replay cuts the previous one)."""
        question = self._question
        if question is None:
            return
        session = self._session
        if session is not None:
            session.skip_question_audio()  # never two voices at once
        stop = threading.Event()
        with self._replay_lock:
            for earlier in self._replay_stops:
                earlier.set()
            self._replay_stops = [stop]
        try:
            self._voice.submit(self.interviews.speaker.speak, question.text, stop=stop)
        except RuntimeError:  # the run was closed meanwhile: nobody is there to hear it
            return

    def _stop_replays(self) -> None:
        with self._replay_lock:
            for stop in self._replay_stops:
                stop.set()
            self._replay_stops = []

    def start_answer_now(self) -> None:
        if self._session is not None:
            self._session.skip_question_audio()
            self._session.start_answer_now()

    def finish_answer(self) -> None:
        if self._session is not None:
            self._session.stop_answer()

    def retake(self) -> None:
        if self._session is not None:
            self._session.retake()

    def next_question(self) -> None:
        if self._practice:
            self._start_interview.set()  # "Start the interview" on the practice's review
        if self._session is not None:
            self._session.keep_answer()

    def decline(self) -> None:
        """Record that the candidate did not consent (the journal: cancelled). May block (disk)."""
        self._record_cancelled()

    def abandon(self) -> None:
        """The candidate walked away: stop here. Answers recorded so far are kept and sent."""
        self._stop()

    def close(self) -> None:
        self._stop()
        self._voice.shutdown(wait=False)

    def _stop(self) -> None:
        self._stopped.set()
        self._welcomed.set()
        self._start_interview.set()
        self._stop_replays()
        session = self._session
        if session is not None and session.state not in (SessionState.finished, SessionState.cancelled):
            session.cancel()

    # -- the worker thread --------------------------------------------------------------------------
    def _run(self) -> None:
        # The station is busy from the first device check until this interview's transcripts are
        # stored: background transcription of older pending answers waits, and is woken after.
        with self.interviews.station.activity.interview():
            try:
                self._prepare()
                self._run_with_devices()
            except StationError as exc:
                self.listener.failed(exc)
            except Exception as exc:  # the kiosk must never be left on a frozen screen
                log.exception("the kiosk interview failed")
                self.listener.failed(exc)

    def _prepare(self) -> None:
        """Journal the interview and the candidate's look before anything is recorded."""
        if not self.resumed:
            self.interviews.active.save(ActiveInterview(self.plan, self.people_only))
        self.journal.begin_interview(
            self.key, interview_id=self.key, plan_sha256=plan_fingerprint(self.plan), plan=self.plan
        )
        if not self.resumed:
            self.journal.update_kiosk_state(
                self.key, high_contrast=self.look.high_contrast, large_text=self.look.large_text
            )

    def _run_with_devices(self) -> None:
        devices = open_station_devices(self.settings)
        devices.camera.frame.connect(self._on_frame)
        devices.microphone.block.connect(self._on_audio)
        self.listener.stand_ins(devices.stand_ins.labels)
        summary: SessionSummary | None = None
        try:
            state = self.journal.kiosk_state(self.key)
            self._check_passed = bool(state.get("device_check_passed"))
            if self.resumed:
                self._welcome_back(state)
            visible_check = not state.get("device_check_passed")
            if not state.get("practice_done") and not self._answers_saved():
                self._run_practice(devices, visible_check=visible_check)
                visible_check = False
            summary = self._run_interview(devices, visible_check=visible_check)
            self._finish(summary)
        except _Stopped:
            log.info("interview %s stopped before its end", self.key)
            self._record_cancelled()
        finally:
            devices.camera.frame.disconnect(self._on_frame)
            devices.microphone.block.disconnect(self._on_audio)
            devices.stop()
            if summary is not None and self._late_transcripts is not None:
                # the candidate has gone on; this only keeps older pending work from competing
                self._late_transcripts.wait(LATE_TRANSCRIPT_WAIT_SECONDS)
            release_free_memory()  # a kiosk runs for days: hand back what this visit freed

    def _welcome_back(self, state: dict[str, Any]) -> None:
        self.look = CandidateLook(
            high_contrast=bool(state.get("high_contrast")), large_text=bool(state.get("large_text"))
        )
        journaled = self.journal.interview(self.key)
        next_index = journaled.question_index if journaled is not None else 0
        self.listener.resumed(
            ResumeInfo(
                answers_saved=self._answers_saved(),
                questions=len(self.plan.questions),
                next_question=min(next_index, len(self.plan.questions) - 1) + 1,
                look=self.look,
                plan=self.plan,
            )
        )
        self._welcomed.wait()
        if self._stopped.is_set():
            raise _Stopped

    def _answers_saved(self) -> int:
        return sum(1 for a in self.journal.all_attempts(self.key) if a.status == "delivered")

    def _on_frame(self, frame: CameraFrame) -> None:
        self.listener.frame(frame.image)

    def _on_audio(self, block: AudioBlock) -> None:
        self.listener.level(*block_level(block.samples))

    def _run_practice(self, devices: StationDevices, *, visible_check: bool) -> None:
        practice_plan = InterviewPlan(
            interview_id=f"practice-{self.key}",
            candidate_display_name=self.plan.candidate_display_name,
            organization=self.plan.organization,
            consent=self.plan.consent,
            accommodations=self.plan.accommodations,
            questions=[
                PlanQuestion(
                    id="practice",
                    text=PRACTICE_TEXT,
                    think_seconds=self.settings.kiosk_practice_think_seconds,
                    answer_seconds=self.settings.kiosk_practice_answer_seconds,
                    max_attempts=PRACTICE_ATTEMPTS,
                )
            ],
        )
        self._practice = True
        self._start_interview.clear()
        try:
            session = self._new_session(
                practice_plan,
                devices,
                sink=DiscardingSink(),
                recordings_dir=self.settings.data_dir / "practice",
                journal_key=f"practice:{self.key}",
                transcribe=False,
                visible_check=visible_check,
            )
            summary = self._run_session(session)
            if summary.status != "finished":
                raise _Stopped
            if not self._start_interview.is_set():  # the last try was kept by itself: ask to go on
                self._show(Phase.review)
            self._start_interview.wait()
            if self._stopped.is_set():
                raise _Stopped
        finally:
            self._practice = False
        self.journal.update_kiosk_state(self.key, practice_done=True)

    def _run_interview(self, devices: StationDevices, *, visible_check: bool) -> SessionSummary:
        session = self._new_session(
            self.plan,
            devices,
            sink=self.interviews.station.outbox,
            recordings_dir=self.interviews.recordings_dir(self.plan),
            journal_key=None,
            transcribe=True,
            visible_check=visible_check,
        )
        self._late_transcripts = session.late_transcripts
        return self._run_session(session)

    def _new_session(
        self,
        plan: InterviewPlan,
        devices: StationDevices,
        *,
        sink: Any,
        recordings_dir: Path,
        journal_key: str | None,
        transcribe: bool,
        visible_check: bool,
    ) -> InterviewSession:
        recordings_dir.mkdir(parents=True, exist_ok=True)
        self._session_plan = plan
        self._visible_check = visible_check
        return InterviewSession(
            plan,
            settings=self.settings,
            devices=SessionDevices(
                camera=devices.camera, microphone=devices.microphone, stand_ins=devices.stand_ins
            ),
            sink=sink,
            journal=self.journal,
            recordings_dir=recordings_dir,
            journal_key=journal_key,
            speaker=self.interviews.speaker,
            load_transcriber=self.interviews.station.speech_model if transcribe else None,
            options=SessionOptions(
                consent_given=True,  # the candidate agreed on the consent screen before this started
                device_check_seconds=VISIBLE_CHECK_SECONDS if visible_check else FORMAL_CHECK_SECONDS,
                device_check_confirm=visible_check,
                device_check_blocks=visible_check,
                # the kiosk's idle timeout (warning included) must win over the engine's "keep it"
                review_timeout_seconds=self.settings.kiosk_idle_seconds
                + self.settings.kiosk_idle_warning_seconds
                + 60,
                wait_for_transcripts=False,  # the candidate never waits for a transcript
            ),
            events=self._session_events(),
        )

    def _session_events(self) -> SessionEvents:
        events = SessionEvents()
        events.state_changed.connect(self._on_state)
        events.countdown_tick.connect(self._on_tick)
        events.recording_progress.connect(self._on_progress)
        events.device_check_done.connect(self._on_device_check)
        events.error.connect(self.listener.problem)  # the engine carries on: not the candidate's business
        return events

    def _on_device_check(self, result: DeviceCheckResult) -> None:
        if self._visible_check:  # the formal check after a visible one is not shown to anyone
            self.listener.device_findings(result.findings)

    def _run_session(self, session: InterviewSession) -> SessionSummary:
        if self._stopped.is_set():
            raise _Stopped
        self._session = session
        try:
            summary = session.run()
        finally:
            self._session = None
        if summary.status == "cancelled" and self._stopped.is_set():
            raise _Stopped
        return summary

    def _finish(self, summary: SessionSummary) -> None:
        saved = self._answers_saved()
        if summary.status in ("finished", "already_finished"):
            self.interviews.active.clear()
            self.interviews.station.interview_completed(self.plan)
            self.listener.finished(InterviewSummary(answers_saved=saved, questions=len(self.plan.questions)))
        elif summary.status == "cancelled":
            self.interviews.active.clear()
        else:  # failed: the journal stays active, so the station resumes this interview when restarted
            self.listener.finished(
                InterviewSummary(
                    answers_saved=saved, questions=len(self.plan.questions), notes=summary.errors
                )
            )

    def _record_cancelled(self) -> None:
        """The interview ended early: journal it as cancelled, so no restart resumes it."""
        journaled = self.journal.begin_interview(
            self.key, interview_id=self.key, plan_sha256=plan_fingerprint(self.plan)
        )
        if journaled.status == ACTIVE:
            self.journal.set_status(self.key, CANCELLED)
        self.interviews.active.clear()
        self.interviews.station.wake_sync()  # answers kept before leaving go out now

    # -- engine events (engine threads) -------------------------------------------------------------
    def _on_state(self, change: StateChange) -> None:
        if change.state in (SessionState.device_check, SessionState.device_check_failed):
            if self._visible_check and change.state is SessionState.device_check:
                self.listener.device_checking()
            return
        if change.question is not None:
            self._question = change.question
        if change.state is SessionState.recording:
            self._stop_replays()
        if change.state is SessionState.speaking and not self._check_passed:
            self._check_passed = True  # past the device check: a restart need not repeat it
            self.journal.update_kiosk_state(self.key, device_check_passed=True)
        phase = _PHASES.get(change.state)
        if phase is None or change.question_index is None:
            return
        self._show(phase, change)

    def _show(self, phase: Phase, change: StateChange | None = None) -> None:
        if change is not None and change.question is not None:
            limits = limits_for(self._session_plan, change.question)
            self._view = QuestionView(
                number=0 if self._practice else (change.question_index or 0) + 1,
                total=change.question_count,
                text=change.question.text,
                practice=self._practice,
                is_last=(change.question_index or 0) + 1 >= change.question_count,
                attempt=change.attempt or (self._view.attempt if self._view else 1),
                max_attempts=change.attempts_allowed or limits.attempts_allowed,
                phase=phase,
                spoken_aloud=change.spoken_aloud,
                answer_media=change.media_path if phase is Phase.review else None,
                think_seconds=limits.think_seconds,
                answer_seconds=limits.answer_seconds,
            )
        elif self._view is not None:
            self._view = QuestionView(**{**self._view.__dict__, "phase": phase, "answer_media": None})
        if self._view is not None:
            self.listener.question(self._view)

    def _on_tick(self, tick: CountdownTick) -> None:
        self.listener.countdown(tick.remaining_seconds, tick.total_seconds)

    def _on_progress(self, progress: RecordingProgress) -> None:
        self.listener.recorded(progress.elapsed_seconds)


class KioskInterviews:
    """Everything the kiosk's interviews share: journal, speaker, speech model, the active-interview file."""

    def __init__(self, station: StationConnection) -> None:
        self.station = station
        self.settings = station.settings
        self.journal = station.journal
        self.active = kiosk_active_interview_file(self.settings.data_dir)
        self.speaker = station_speaker(self.settings)

    def recordings_dir(self, plan: InterviewPlan) -> Path:
        return self.settings.media_dir / plan.interview_id

    def new_interview(
        self, plan: InterviewPlan, people_only: bool, listener: KioskRunListener, look: CandidateLook
    ) -> KioskInterviewRun:
        return KioskInterviewRun(self, plan, listener, resumed=False, people_only=people_only, look=look)

    def interrupted_interview(self, listener: KioskRunListener) -> KioskInterviewRun | None:
        """The interview a crash or power cut interrupted, ready to resume; None when there is none."""
        active = self.active.load()
        if active is None:
            return None
        journaled = self.journal.interview(active.plan.interview_id)
        if journaled is not None and journaled.status != ACTIVE:
            self.active.clear()  # it ended (finished or cancelled) before the file was removed
            return None
        return KioskInterviewRun(
            self, active.plan, listener, resumed=journaled is not None, people_only=active.people_only
        )
