"""The kiosk's flow: which screen comes next, what the engine is asked to do, when the screen is cleared.

Screens emit what the candidate chose; the controller turns that into engine calls (always through
`ui.tasks`, never on the GUI thread) and the engine's events back into screens.
"""

import logging
from collections.abc import Callable
from typing import Protocol

from desktop_app.session.kiosk_run import KioskRunListener
from desktop_app.session.kiosk_views import CandidateLook, Phase
from desktop_app.session.plan import limits_for
from desktop_app.session.station import StationConnection
from desktop_app.sync.errors import NotEnrolled, ServerUnreachable
from desktop_app.sync.sessions import AccessCodeRefused, CodeProblem
from sync_server.contract import InterviewPlan
from ui.errors import explain, show_error
from ui.kiosk.consent import ConsentChoice
from ui.kiosk.idle import IdleGuard
from ui.kiosk.interview_events import InterviewEvents, InterviewSummary, QuestionView, ResumeInfo
from ui.kiosk.parts import KioskScreen
from ui.kiosk.screens import KioskScreens
from ui.kiosk.setup_flow import SetupFlow
from ui.qt import QApplication, QObject, QTimer
from ui.style import Look, brand_accent, look_stylesheet
from ui.tasks import run_in_background

log = logging.getLogger(__name__)
SYNC_STATUS_EVERY_MS = 3000


class InterviewRunner(Protocol):
    """The engine's kiosk interview as the kiosk drives it (desktop_app/session/kiosk_run.py).

    Every method returns quickly; the work happens on the engine's threads and is reported through
    the listener the runner was made with.
    """

    def start(self) -> None: ...  # device check first, then the practice question, then the questions
    def continue_after_resume(self) -> None: ...
    def check_devices_again(self) -> None: ...
    def devices_accepted(self) -> None: ...
    def replay_question(self) -> None: ...
    def start_answer_now(self) -> None: ...
    def finish_answer(self) -> None: ...
    def retake(self) -> None: ...
    def next_question(self) -> None: ...
    def decline(self) -> None: ...  # no consent: record it, record nothing else (may block)
    def abandon(self) -> None: ...  # the candidate left: stop, keep what was saved, clear
    def close(self) -> None: ...


RunnerFactory = Callable[[InterviewPlan, bool, KioskRunListener, CandidateLook], InterviewRunner]
ResumeFinder = Callable[[KioskRunListener], InterviewRunner | None]


class KioskController(QObject):
    def __init__(
        self,
        screens: KioskScreens,
        station: StationConnection,
        *,
        make_runner: RunnerFactory,
        find_interrupted: ResumeFinder | None = None,
    ) -> None:
        super().__init__()
        self.screens = screens
        self.station = station
        self.make_runner = make_runner
        self.find_interrupted = find_interrupted
        self.plan: InterviewPlan | None = None
        self.runner: InterviewRunner | None = None
        self.events: InterviewEvents | None = None
        self.candidate_look = Look()
        self.station_look = Look()
        settings = station.settings
        self.idle = IdleGuard(
            idle_seconds=settings.kiosk_idle_seconds, warning_seconds=settings.kiosk_idle_warning_seconds
        )
        self.screens.farewell.reset_after = settings.kiosk_finish_seconds
        self.setup = SetupFlow(screens, station, on_leave=self._leave_setup, on_exit=self._exit_kiosk)
        self._shut_down = False
        self._last_logged_view: tuple[object, ...] | None = None
        self._sync_timer = QTimer(self)
        self._sync_timer.setInterval(SYNC_STATUS_EVERY_MS)
        self._sync_timer.timeout.connect(self._refresh_sync_status)
        self._connect_screens()

    # -- wiring ------------------------------------------------------------------------------------
    def _connect_screens(self) -> None:
        s = self.screens
        s.attract.start_requested.connect(self._show_code_entry)
        s.attract.high_contrast_toggled.connect(lambda on: self._set_station_look(high_contrast=on))
        s.attract.large_text_toggled.connect(lambda on: self._set_station_look(large_text=on))
        s.access_code.code_entered.connect(self._open_interview)
        s.access_code.back_requested.connect(self.reset)
        s.access_code.code_edit.textEdited.connect(lambda _: self._arm_idle())
        s.consent.decided.connect(self._consent_decided)
        s.device_check.check_again_requested.connect(lambda: self._runner_call("check_devices_again"))
        s.device_check.continue_requested.connect(lambda: self._runner_call("devices_accepted"))
        s.question.replay_requested.connect(lambda: self._runner_call("replay_question"))
        s.question.start_now_requested.connect(lambda: self._runner_call("start_answer_now"))
        s.question.done_requested.connect(lambda: self._runner_call("finish_answer"))
        s.question.retake_requested.connect(lambda: self._runner_call("retake"))
        s.question.next_requested.connect(lambda: self._runner_call("next_question"))
        s.question.playback_changed.connect(self._watching_answer)
        s.welcome_back.continue_requested.connect(lambda: self._runner_call("continue_after_resume"))
        s.farewell.done.connect(self.reset)
        w = s.window
        w.idle_warning.stay_requested.connect(self.idle.poke)
        self.idle.warning_tick.connect(w.idle_warning.show_left)
        self.idle.warning_cancelled.connect(w.idle_warning.hide)
        self.idle.timed_out.connect(self._idle_timed_out)
        w.staff_gesture.requested.connect(self._staff_requested)

    def start(self) -> None:
        """Show the kiosk; resume an interrupted interview if the engine's journal has one."""
        self.station.start_sync()
        self.station.start_transcript_retry()
        self._sync_timer.start()
        self._refresh_sync_status()
        self._apply_look()
        name = self.station.identity.organization_name if self.station.identity else "Interview Station"
        self.screens.window.set_branding(name, None)
        self.screens.attract.show_branding(name, None)
        self.screens.window.enter_kiosk_mode()
        if self.find_interrupted is not None:
            events = self._new_events()
            runner = self.find_interrupted(events.listener())
            if runner is not None:
                log.info("resuming an interrupted interview")
                self.runner = runner
                self.runner.start()
                return
            events.close()
            events.deleteLater()
            self.events = None
        self.reset()

    def _new_events(self) -> InterviewEvents:
        events = InterviewEvents(self)
        events.question_changed.connect(self._show_question)
        events.countdown.connect(self.screens.question.set_countdown)
        events.recorded.connect(self.screens.question.set_recorded)
        events.level.connect(self._show_level)
        events.frame.connect(self._show_frame)
        events.device_checking.connect(self._show_device_check)
        events.device_findings.connect(self._show_findings)
        events.stand_ins.connect(self.screens.device_check.show_stand_ins)
        events.resumed.connect(self._resumed)
        events.finished.connect(self._finished)
        events.failed.connect(self._engine_failed)
        events.problem.connect(self._note_problem)
        self.events = events
        return events

    # -- screens -------------------------------------------------------------------------------------
    def _show(self, screen: KioskScreen, *, idle: bool) -> None:
        self.screens.window.show_screen(screen)
        self.idle.set_armed(idle and screen.candidate_data_shown())

    def _arm_idle(self) -> None:
        if not self.idle.armed and self.screens.window.current_screen.candidate_data_shown():
            self.idle.set_armed(True)

    def _show_code_entry(self) -> None:
        self.screens.access_code.reset()
        self._show(self.screens.access_code, idle=True)

    def _open_interview(self, code: str) -> None:
        screen = self.screens.access_code
        run_in_background(
            lambda: self.station.open_interview(code),
            on_success=self._plan_received,
            on_failure=self._code_failed,
            owner=screen,
        )

    def _code_failed(self, error: Exception) -> None:
        screen = self.screens.access_code
        text = explain(error).text
        if isinstance(error, AccessCodeRefused):
            screen.code_refused(
                text, counts_as_wrong=error.problem in (CodeProblem.wrong, CodeProblem.locked)
            )
        elif isinstance(error, ServerUnreachable | NotEnrolled):
            screen.code_refused(text, counts_as_wrong=False)
        else:
            screen.code_refused(text, counts_as_wrong=False)

    def _plan_received(self, plan: InterviewPlan) -> None:
        self.plan = plan
        accommodations = plan.accommodations
        self.candidate_look = Look(
            accent=brand_accent(plan.organization.colors),
            large_text=accommodations.large_text or self.station_look.large_text,
            high_contrast=self.station_look.high_contrast,
        )
        self._apply_look()
        self.screens.window.set_branding(plan.organization.name, plan.organization.logo_url)
        self.screens.access_code.reset()
        self.screens.consent.show_plan(plan)
        self._show_plan_overview(plan)
        self._show(self.screens.consent, idle=True)

    def _show_plan_overview(self, plan: InterviewPlan) -> None:
        self.screens.question.show_plan_overview(
            [
                (limits.think_seconds, limits.answer_seconds)
                for limits in (limits_for(plan, q) for q in plan.questions)
            ]
        )

    def _consent_decided(self, choice: ConsentChoice) -> None:
        plan = self.plan
        if plan is None:
            return
        if not choice.agreed:
            self._declined(plan, choice)
            return
        people_only = choice.people_only
        run_in_background(
            lambda: self.station.consent_given(plan, people_only=people_only),
            on_failure=self._engine_failed,
            owner=self,
        )
        events = self._new_events()
        self.runner = self.make_runner(plan, choice.people_only, events.listener(), self._chosen_look())
        self.runner.start()

    def _declined(self, plan: InterviewPlan, choice: ConsentChoice) -> None:
        runner = self.make_runner(
            plan, choice.people_only, self._new_events().listener(), self._chosen_look()
        )
        self.runner = None  # nothing runs for a candidate who declined

        def record_decline() -> None:
            try:
                runner.decline()
                self.station.consent_declined(plan)
            finally:
                runner.close()

        run_in_background(record_decline, on_failure=self._engine_failed, owner=self)
        self.screens.farewell.show_declined(organization=plan.organization.name)
        self._show(self.screens.farewell, idle=False)

    def _chosen_look(self) -> CandidateLook:
        look = self.current_look
        return CandidateLook(high_contrast=look.high_contrast, large_text=look.large_text)

    def _resumed(self, info: ResumeInfo) -> None:
        """After a restart: the organization's branding and the candidate's look come back first."""
        plan = info.plan
        self.plan = plan
        self.candidate_look = Look(accent=brand_accent(plan.organization.colors))
        self._set_station_look(high_contrast=info.look.high_contrast, large_text=info.look.large_text)
        self.screens.window.set_branding(plan.organization.name, plan.organization.logo_url)
        self._show_plan_overview(plan)
        self.screens.welcome_back.show_resume(info.answers_saved, info.questions, info.next_question)
        self._show(self.screens.welcome_back, idle=False)  # Continue calls runner.continue_after_resume

    def _show_device_check(self) -> None:
        self.screens.device_check.set_checking()
        self._show(self.screens.device_check, idle=False)

    def _show_findings(self, findings: list) -> None:  # type: ignore[type-arg]
        self.screens.device_check.show_findings(findings)
        log.info("kiosk device check: ready=%s", not any(f.blocks for f in findings))
        self.idle.set_armed(True)

    def _show_level(self, dbfs: float, peak: float) -> None:
        if self.screens.window.current_screen is self.screens.device_check:
            self.screens.device_check.set_level(dbfs, peak)
        else:
            self.screens.question.level_meter.set_level(dbfs, peak)

    def _show_frame(self, image: object) -> None:
        current = self.screens.window.current_screen
        if current is self.screens.device_check:
            self.screens.device_check.preview.set_frame(image)
        elif current is self.screens.question:
            self.screens.question.preview.set_frame(image)

    def _show_question(self, view: QuestionView) -> None:
        screen = self.screens.question
        screen.show_view(view)
        if self.screens.window.current_screen is not screen:
            self.screens.window.show_screen(screen)
        shown = (view.practice, view.number, view.attempt, view.phase)
        if shown != self._last_logged_view:
            self._last_logged_view = shown
            log.info(
                "kiosk question: practice=%s number=%d of=%d attempt=%d/%d phase=%s",
                view.practice,
                view.number,
                view.total,
                view.attempt,
                view.max_attempts,
                view.phase.value,
            )
        # a candidate thinking, answering or watching their answer may not touch anything for minutes
        self.idle.set_armed(view.phase is Phase.review and not screen.playback.playing)

    def _watching_answer(self, watching: bool) -> None:
        if self.screens.window.current_screen is self.screens.question:
            self.idle.set_armed(not watching and self.screens.question.phase is Phase.review)

    def _finished(self, summary: InterviewSummary) -> None:
        plan = self.plan
        status = self.station.sync_status()
        name = plan.candidate_display_name if plan else ""
        organization = plan.organization.name if plan else self.screens.window.org_label.text()
        if summary.answers_saved < summary.questions and summary.notes:  # the engine had to stop early
            saved = f"{summary.answers_saved} answer{'s' if summary.answers_saved != 1 else ''}"
            self.screens.farewell.show_message(
                "We had to stop here",
                f"Sorry, the station ran into a problem. Your {saved} so far are saved on this station.",
                "Please tell a member of staff; they can continue your interview from where it stopped.",
            )
        else:
            self.screens.farewell.show_finished(
                name=name,
                organization=organization,
                answers=summary.answers_saved,
                online=bool(status.online),
            )
        self._show(self.screens.farewell, idle=False)
        self._refresh_sync_status()

    def _engine_failed(self, error: Exception) -> None:
        show_error(error, self.screens.window)

    def _note_problem(self, error: Exception) -> None:
        """Staff see it on the setup screen; the candidate is not interrupted by it."""
        sentence = explain(error).text
        log.warning("station problem during an interview: %s", sentence)
        self.setup.note_problem(sentence)

    def _runner_call(self, method: str) -> None:
        if self.runner is not None:
            getattr(self.runner, method)()

    # -- leaving ----------------------------------------------------------------------------------------
    def _idle_timed_out(self) -> None:
        log.info("idle timeout: the candidate's data is cleared from the screen")
        if self.runner is not None:
            self.runner.abandon()
        self.reset()

    def reset(self) -> None:
        """Back to the attract screen with nothing of the last candidate left on screen."""
        if self.runner is not None:
            self.runner.close()
        self.runner = None
        if self.events is not None:
            self.events.close()
            self.events.deleteLater()
            self.events = None
        self.plan = None
        s = self.screens
        s.farewell.stop()
        s.access_code.reset()
        s.consent.clear()
        s.question.clear()
        s.welcome_back.clear()
        s.device_check.preview.clear()
        s.device_check.show_stand_ins([])
        s.window.idle_warning.hide()
        self.candidate_look = Look()
        self.station_look = Look()
        for toggle in (s.attract.contrast_button, s.attract.large_text_button):
            toggle.blockSignals(True)
            toggle.setChecked(False)
            toggle.blockSignals(False)
        self._apply_look()
        name = self.station.identity.organization_name if self.station.identity else "Interview Station"
        s.window.set_branding(name, None)
        self._show(s.attract, idle=False)

    # -- staff ------------------------------------------------------------------------------------------
    def _staff_requested(self) -> None:
        busy = (Phase.recording, Phase.speaking, Phase.thinking)
        if (
            self.runner is not None
            and self.screens.window.current_screen is self.screens.question
            and self.screens.question.phase in busy
        ):
            return  # a candidate is answering: staff wait for the answer (or the idle timeout)
        dialog = self.screens.open_pin_dialog()
        # after the dialog has closed and handed focus back, so setup's first button keeps the focus
        dialog.accepted.connect(lambda: QTimer.singleShot(0, self._staff_unlocked))

    def _staff_unlocked(self) -> None:
        self.idle.set_armed(False)
        if self.runner is not None:
            self.runner.abandon()
            self.runner.close()
            self.runner = None
        self.setup.show()

    def _leave_setup(self) -> None:
        self.reset()

    def _exit_kiosk(self) -> None:
        self.shutdown()
        self.screens.window.allow_close = True
        self.screens.window.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def shutdown(self) -> None:
        if self._shut_down:
            return
        self._shut_down = True
        self._sync_timer.stop()
        self.idle.shutdown()
        self.setup.stop()
        if self.runner is not None:
            self.runner.close()
            self.runner = None
        self.screens.shutdown()
        self.station.close()

    # -- look and status ----------------------------------------------------------------------------------
    def _set_station_look(self, *, high_contrast: bool | None = None, large_text: bool | None = None) -> None:
        self.station_look = Look(
            high_contrast=self.station_look.high_contrast if high_contrast is None else high_contrast,
            large_text=self.station_look.large_text if large_text is None else large_text,
        )
        self.candidate_look = Look(
            accent=self.candidate_look.accent,
            high_contrast=self.station_look.high_contrast,
            large_text=self.station_look.large_text or self.candidate_look.large_text,
        )
        self._apply_look()

    def _apply_look(self) -> None:
        look = Look(
            accent=self.candidate_look.accent,
            high_contrast=self.station_look.high_contrast or self.candidate_look.high_contrast,
            large_text=self.station_look.large_text or self.candidate_look.large_text,
        )
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setStyleSheet(look_stylesheet(look))
        self.current_look = look

    def _refresh_sync_status(self) -> None:
        run_in_background(
            self.station.sync_status, on_success=self.screens.window.sync_status.show_status, owner=self
        )
