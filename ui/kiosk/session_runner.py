"""Runs the engine's InterviewSession for the kiosk, and turns its events into the kiosk's.

One worker thread per candidate does, in order:
  1. start the camera and microphone (shared by everything below, stopped at the end; in the
     demo, generated stand-ins replace missing ones: desktop_app/devices/demo.py);
  2. the device check the candidate watches (the engine's `check_devices`), repeated until they
     continue (a failed required check keeps Continue disabled: fix it or ask staff);
  3. the practice question: an engine session of its own whose answer goes to a sink that deletes
     it, so it is never kept or uploaded (skipped when resuming);
  4. the interview: the engine session with the outbox as its sink and the crash journal; its own
     device check is a short formality here because the candidate just passed the visible one.
Commands from the screens (replay, start now, done, retake, next) go to whichever session runs.
"""

import logging
import threading
from pathlib import Path
from typing import Any

from desktop_app.config import StationSettings
from desktop_app.devices.camera import CameraCapture, CameraFrame
from desktop_app.devices.check import check_devices
from desktop_app.devices.demo import (
    StandIns,
    demo_camera_source,
    findings_with_stand_ins,
    start_microphone_or_stand_in,
)
from desktop_app.devices.microphone import MicrophoneCapture
from desktop_app.errors import DeviceError, StationError
from desktop_app.findings import Finding, Status
from desktop_app.session.events import (
    CountdownTick,
    RecordingProgress,
    SessionEvents,
    SessionState,
    StateChange,
)
from desktop_app.session.interview import InterviewSession, SessionDevices, SessionOptions, SessionSummary
from desktop_app.session.journal import ACTIVE, CANCELLED, SessionJournal
from desktop_app.session.plan import plan_fingerprint
from desktop_app.speech.tts import QuestionSpeaker
from desktop_app.store.active_interview import ActiveInterview, kiosk_active_interview_file
from desktop_app.store.answers import FinishedAnswer
from sync_server.contract import InterviewPlan, PlanQuestion, Transcript
from ui.kiosk.interview_events import InterviewEvents, InterviewSummary, QuestionView
from ui.kiosk.question import Phase
from ui.kiosk.station import StationConnection

log = logging.getLogger(__name__)

PRACTICE_TEXT = (
    "This is a practice question. Please tell us your first name and what the weather is like today."
)
VISIBLE_CHECK_SECONDS = 3.0
FORMAL_CHECK_SECONDS = 0.3  # the session's own check, right after the candidate passed the visible one
_PHASES = {
    SessionState.speaking: Phase.speaking,
    SessionState.thinking: Phase.thinking,
    SessionState.recording: Phase.recording,
    SessionState.saving: Phase.saving,
    SessionState.reviewing: Phase.review,
}


class DiscardingSink:
    """Where the practice answer goes: deleted at once; nothing of it is kept or sent."""

    def add_answer(self, answer: FinishedAnswer) -> None:
        answer.media_path.unlink(missing_ok=True)

    def set_transcript(self, answer_id: str, transcript: Transcript) -> None:
        return None


class _Stopped(Exception):
    """The candidate left (idle timeout) or staff closed the interview."""


class SessionRunner:
    """One candidate's run: device check, practice, interview. Commands may come from any thread."""

    def __init__(
        self,
        factory: "SessionRunnerFactory",
        plan: InterviewPlan,
        events: InterviewEvents,
        *,
        resumed: bool,
    ) -> None:
        self.factory = factory
        self.settings = factory.settings
        self.plan = plan
        self.events = events
        self.resumed = resumed
        self._commands: list[str] = []
        self._command_ready = threading.Condition()
        self._stopped = threading.Event()
        self._session: InterviewSession | None = None
        self._practice = False
        self._question: PlanQuestion | None = None
        self._view: QuestionView | None = None
        self._thread: threading.Thread | None = None
        self._practice_done_waiting = False
        self._replay_stop = threading.Event()  # recording must not start over a replayed question
        self._forward_frame = events.forward_latest(events.frame)
        self._forward_level = events.forward_latest(events.level)
        self._emit_question = events.forward(events.question_changed)
        self._emit_countdown = events.forward(events.countdown)
        self._emit_recorded = events.forward(events.recorded)
        self._emit_failed = events.forward(events.failed)
        self._emit_problem = events.forward(events.problem)
        self._emit_finished = events.forward(events.finished)
        self._emit_checking = events.forward(events.device_checking)
        self._emit_findings = events.forward(events.device_findings)
        self._emit_stand_ins = events.forward(events.stand_ins)
        self._stand_ins = StandIns()

    # -- commands (GUI thread) ---------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="kiosk-interview", daemon=True)
        self._thread.start()

    def _command(self, name: str) -> None:
        with self._command_ready:
            self._commands.append(name)
            self._command_ready.notify_all()

    def _wait_command(self, wanted: set[str]) -> str:
        with self._command_ready:
            while True:
                if self._stopped.is_set():
                    raise _Stopped
                for name in self._commands:
                    if name in wanted:
                        self._commands.clear()
                        return name
                self._commands.clear()
                self._command_ready.wait(0.2)

    def check_devices_again(self) -> None:
        self._command("recheck")

    def devices_accepted(self) -> None:
        self._command("continue")

    def replay_question(self) -> None:
        question = self._question
        if question is not None:
            self._replay_stop.clear()
            threading.Thread(
                target=self.factory.speaker.speak,
                args=(question.text,),
                kwargs={"stop": self._replay_stop},
                name="replay-question",
                daemon=True,
            ).start()

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
        if self._practice_done_waiting:
            self._command("start_interview")
        elif self._session is not None:
            self._session.keep_answer()

    def decline(self) -> None:
        """Record that the candidate did not consent, as the engine does (the journal: cancelled)."""
        self._record_cancelled()

    def _record_cancelled(self) -> None:
        """The interview ended without its last answer: journal it as cancelled, so no restart resumes it."""
        journal = self.factory.journal
        key = self.plan.interview_id
        journaled = journal.begin_interview(key, interview_id=key, plan_sha256=plan_fingerprint(self.plan))
        if journaled.status == ACTIVE:
            journal.set_status(key, CANCELLED)
        self.factory.active.clear()

    def abandon(self) -> None:
        """The candidate walked away: stop here. Answers already saved stay saved (and are sent)."""
        self._stopped.set()
        with self._command_ready:
            self._command_ready.notify_all()
        if self._session is not None:
            self._session.cancel()

    def close(self) -> None:
        self._stopped.set()
        with self._command_ready:
            self._command_ready.notify_all()
        session = self._session
        if session is not None and session.state not in (SessionState.finished, SessionState.cancelled):
            session.cancel()

    # -- the worker thread -------------------------------------------------------------------------
    def _run(self) -> None:
        # The station is busy from the first device check to the last answer: background
        # transcription of pending answers waits, and is woken when this ends.
        with self.factory.station.activity.interview():
            self._run_devices_and_sessions()

    def _run_devices_and_sessions(self) -> None:
        try:
            camera, microphone = self._open_devices()
        except StationError as exc:
            self._emit_failed(exc)
            return
        camera.frame.connect(self._on_frame)
        try:
            self._visible_device_check(camera, microphone)
            if not self.resumed:
                self._run_practice(camera, microphone)
            summary = self._run_interview(camera, microphone)
            self._finish(summary)
        except _Stopped:
            log.info("interview %s stopped before its end", self.plan.interview_id)
            self._record_cancelled()
        except StationError as exc:
            self._emit_failed(exc)
        except Exception as exc:  # the kiosk must never be left on a frozen screen
            log.exception("the interview runner failed")
            self._emit_failed(exc)
        finally:
            camera.frame.disconnect(self._on_frame)
            for device in (camera, microphone):
                try:
                    device.stop()
                except Exception:
                    log.exception("stopping a device failed")

    def _open_devices(self) -> tuple[CameraCapture, MicrophoneCapture]:
        """The configured camera and microphone; in the demo, stand-ins for the ones that are missing."""
        settings = self.settings
        camera_source, microphone = settings.camera, None
        if settings.demo_stand_ins:
            cache = settings.data_dir / "demo-devices"
            demo_video = demo_camera_source(
                settings.camera,
                cache,
                width=settings.video_width,
                height=settings.video_height,
                fps=settings.video_fps,
            )
            microphone, demo_microphone = start_microphone_or_stand_in(
                settings.microphone, cache, sample_rate=settings.audio_sample_rate
            )
            camera_source = demo_video or settings.camera
            self._stand_ins = StandIns(camera=demo_video is not None, microphone=demo_microphone)
        camera = CameraCapture(
            camera_source,
            fps=settings.video_fps,
            width=settings.video_width,
            height=settings.video_height,
            loop=settings.camera_file_loop,
        )
        return camera, microphone or MicrophoneCapture(
            settings.microphone, sample_rate=settings.audio_sample_rate
        )

    def _on_frame(self, frame: CameraFrame) -> None:
        self._forward_frame(frame.image)

    def _start_devices(self, camera: CameraCapture, microphone: MicrophoneCapture) -> list[Finding]:
        problems = []
        if not camera.running:
            try:
                camera.start()
            except DeviceError as exc:
                problems.append(Finding("camera", Status.fail, exc.message, exc.fix))
        if not microphone.running:
            try:
                from desktop_app.devices.audio import refresh_devices

                refresh_devices()
                microphone.start()
                microphone.wait_until_live()
            except DeviceError as exc:
                problems.append(Finding("microphone", Status.fail, exc.message, exc.fix))
        return problems

    def _visible_device_check(self, camera: CameraCapture, microphone: MicrophoneCapture) -> None:
        microphone.block.connect(self._on_audio)
        self._emit_stand_ins(self._stand_ins.labels)
        try:
            while True:
                self._emit_checking()
                findings = self._start_devices(camera, microphone)
                if not findings:
                    result = check_devices(
                        camera,
                        microphone,
                        seconds=VISIBLE_CHECK_SECONDS,
                        fps=self.settings.video_fps,
                        width=self.settings.video_width,
                        height=self.settings.video_height,
                        stop=self._stopped,
                    )
                    findings = result.findings
                if self._stopped.is_set():
                    raise _Stopped
                findings = findings_with_stand_ins(findings, self._stand_ins)
                self._emit_findings(findings)
                blocking = any(f.blocks for f in findings)
                choice = self._wait_command({"recheck"} if blocking else {"recheck", "continue"})
                if choice == "continue":
                    return
        finally:
            microphone.block.disconnect(self._on_audio)

    def _on_audio(self, block: Any) -> None:
        from ui.kiosk.setup_flow import block_level

        self._forward_level(*block_level(block))

    def _session_events(self) -> SessionEvents:
        events = SessionEvents()
        events.state_changed.connect(self._on_state)
        events.countdown_tick.connect(self._on_tick)
        events.recording_progress.connect(self._on_progress)
        events.level_meter.connect(lambda level: self._forward_level(level, level))
        events.error.connect(self._emit_problem)  # the engine carries on: not the candidate's business
        return events

    def _run_practice(self, camera: CameraCapture, microphone: MicrophoneCapture) -> None:
        practice_plan = InterviewPlan(
            interview_id=f"practice-{self.plan.interview_id}",
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
                    max_attempts=1,
                )
            ],
        )
        self._practice = True
        session = self._new_session(
            practice_plan,
            camera,
            microphone,
            sink=DiscardingSink(),
            recordings_dir=self.settings.data_dir / "practice",
            journal_key=f"practice:{self.plan.interview_id}",
            transcribe=False,
        )
        summary = self._run_session(session)
        if summary.status != "finished":
            raise _Stopped
        self._practice_done_waiting = True
        self._show(Phase.review)
        try:
            self._wait_command({"start_interview"})
        finally:
            self._practice_done_waiting = False
            self._practice = False

    def _run_interview(self, camera: CameraCapture, microphone: MicrophoneCapture) -> SessionSummary:
        session = self._new_session(
            self.plan,
            camera,
            microphone,
            sink=self.factory.station.outbox,
            recordings_dir=self.factory.recordings_dir(self.plan),
            journal_key=None,
            transcribe=True,
        )
        return self._run_session(session)

    def _new_session(
        self,
        plan: InterviewPlan,
        camera: CameraCapture,
        microphone: MicrophoneCapture,
        *,
        sink: Any,
        recordings_dir: Path,
        journal_key: str | None,
        transcribe: bool,
    ) -> InterviewSession:
        recordings_dir.mkdir(parents=True, exist_ok=True)
        return InterviewSession(
            plan,
            settings=self.settings,
            devices=SessionDevices(camera=camera, microphone=microphone),
            sink=sink,
            journal=self.factory.journal,
            recordings_dir=recordings_dir,
            journal_key=journal_key,
            speaker=self.factory.speaker,
            load_transcriber=self.factory.transcriber if transcribe else None,
            options=SessionOptions(
                consent_given=False,
                device_check_seconds=FORMAL_CHECK_SECONDS,
                device_check_blocks=False,
                # the kiosk's idle timeout (warning included) must win over the engine's "keep it"
                review_timeout_seconds=self.settings.kiosk_idle_seconds
                + self.settings.kiosk_idle_warning_seconds
                + 60,
            ),
            events=self._session_events(),
        )

    def _run_session(self, session: InterviewSession) -> SessionSummary:
        if self._stopped.is_set():
            raise _Stopped
        self._session = session
        try:
            return session.run()
        finally:
            self._session = None

    def _finish(self, summary: SessionSummary) -> None:
        if summary.status in ("finished", "already_finished"):
            saved = sum(
                1
                for a in self.factory.journal.all_attempts(self.plan.interview_id)
                if a.status == "delivered"
            )
            self.factory.active.clear()
            self.factory.station.interview_completed(self.plan)
            self._emit_finished(InterviewSummary(answers_saved=saved, questions=len(self.plan.questions)))
        elif summary.status == "cancelled":
            self.factory.active.clear()
        else:  # failed: the journal stays active, so the station resumes this interview when restarted
            self._emit_finished(
                InterviewSummary(
                    answers_saved=sum(
                        1
                        for a in self.factory.journal.all_attempts(self.plan.interview_id)
                        if a.status == "delivered"
                    ),
                    questions=len(self.plan.questions),
                    notes=summary.errors,
                )
            )

    # -- engine events (engine threads) -------------------------------------------------------------
    def _on_state(self, change: StateChange) -> None:
        session = self._session
        if change.state is SessionState.consent and session is not None:
            session.give_consent(True)  # the candidate agreed on the consent screen before this started
            return
        if change.question is not None:
            self._question = change.question
        if change.state is SessionState.recording:
            self._replay_stop.set()
        phase = _PHASES.get(change.state)
        if phase is None or change.question_index is None:
            return
        self._show(phase, change)

    def _show(self, phase: Phase, change: StateChange | None = None) -> None:
        if change is not None:
            self._view = QuestionView(
                number=0 if self._practice else (change.question_index or 0) + 1,
                total=change.question_count,
                text=change.question.text if change.question else "",
                practice=self._practice,
                is_last=(change.question_index or 0) + 1 >= change.question_count,
                attempt=change.attempt or (self._view.attempt if self._view else 1),
                max_attempts=change.attempts_allowed or 1,
                phase=phase,
            )
        elif self._view is not None:
            self._view = QuestionView(**{**self._view.__dict__, "phase": phase})
        if self._view is not None:
            self._emit_question(self._view)

    def _on_tick(self, tick: CountdownTick) -> None:
        self._emit_countdown(tick.remaining_seconds, tick.total_seconds)

    def _on_progress(self, progress: RecordingProgress) -> None:
        self._emit_recorded(progress.elapsed_seconds)


class SessionRunnerFactory:
    """Everything the kiosk's interviews share: journal, speaker, speech model, the active-interview file."""

    def __init__(self, settings: StationSettings, station: StationConnection) -> None:
        self.settings = settings
        self.station = station
        self.journal = SessionJournal.open(settings.station_db_path)
        self.active = kiosk_active_interview_file(settings.data_dir)
        self.speaker = QuestionSpeaker(
            cache_dir=settings.tts_cache_dir,
            voice=settings.tts_voice,
            rate=settings.tts_rate,
            speaker=settings.speaker,
        )

    def transcriber(self) -> Any:
        """The speech model, loaded once per kiosk process (the first interview pays for it)."""
        return self.station.speech_model()

    def recordings_dir(self, plan: InterviewPlan) -> Path:
        return self.settings.media_dir / plan.interview_id

    def new_interview(self, plan: InterviewPlan, people_only: bool, events: InterviewEvents) -> SessionRunner:
        self.active.save(ActiveInterview(plan, people_only))
        return SessionRunner(self, plan, events, resumed=False)

    def interrupted_interview(self, events: InterviewEvents) -> SessionRunner | None:
        active = self.active.load()
        if active is None:
            return None
        journaled = self.journal.interview(active.plan.interview_id)
        if journaled is not None and journaled.status != ACTIVE:
            self.active.clear()  # it ended (finished or cancelled) before the file was removed
            return None
        # journaled is None: the crash came before the engine journaled anything; start from the top
        return SessionRunner(self, active.plan, events, resumed=journaled is not None)
