"""Drives whole interviews on the real kiosk by keyboard, reacting to what the kiosk logs.

A state machine, not a script of sleeps: each `kiosk screen:` / `kiosk question:` / `kiosk device
check:` line says where the kiosk is, and the driver presses the keys for that place (the named
key sequences below; they follow the kiosk's focus contract). After keys it expects the next line
within a bound; when none comes the kiosk counts as stuck and is killed and restarted. When the
kiosk dies on its own, that is a crash: it is restarted, and resumes the interview by itself.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from tests.support.candidate_voice import CandidateVoice
from tests.support.kiosk_log import DeviceCheckDone, QuestionPhase, ScreenShown
from tests.support.kiosk_process import KioskExited, Timed
from tests.support.kiosk_soak_world import Invitation
from tests.support.kiosk_supervisor import KioskSupervisor
from tests.support.x_display import VirtualScreen

log = logging.getLogger("kiosk_soak")

# -- the keys for each place (X keysym names) ------------------------------------------------------
ATTRACT_START_KEYS = ("Return",)  # "Start" has the focus
ACCESS_CODE_SUBMIT_KEYS = ("Return",)  # typed into the code field, which has the focus
# Consent: the final contract puts the first focus on the notice, Tab order notice -> "people only" ->
# "I do not agree" -> "I agree". Main before that focused "I agree" at once.
CONSENT_NOTICE_FIRST_KEYS = ("Tab", "Tab", "Tab", "Return")
CONSENT_AGREE_FOCUSED_KEYS = ("Return",)
CONSENT_PRESETS = {"notice-first": CONSENT_NOTICE_FIRST_KEYS, "agree-focused": CONSENT_AGREE_FOCUSED_KEYS}
DEVICE_CHECK_CONTINUE_KEYS = ("Return",)  # ready: "Continue" has the focus
DEVICE_CHECK_AGAIN_KEYS = ("Return",)  # not ready: "Check again" has the focus
START_ANSWER_KEYS = ("Return",)  # thinking: "Start answering now"
DONE_KEYS = ("Return",)  # recording: "I'm done"
REVIEW_NEXT_KEYS = ("Return",)  # review: "Start the interview" / "Next question" / "Finish"
WELCOME_BACK_KEYS = ("Return",)  # after a crash restart: "Continue"
FAREWELL_KEYS = ("Return",)  # "Done" (it also returns by itself)

# -- bounds ----------------------------------------------------------------------------------------
KEY_RESPONSE_SECONDS = 30.0  # keys pressed -> the next kiosk line
DEVICE_CHECK_SECONDS = 60.0  # device check screen -> its result
CONSENT_PROBE_SECONDS = 8.0  # auto: Enter on consent; no device check by then -> the notice-first keys
STALL_SECONDS = 180.0
RESUME_GRACE_SECONDS = 10.0  # a restarted kiosk's start screen -> the resumed interview  # no line at all for this long (saving, transcribing) -> stuck
INTERVIEW_LIMIT_SECONDS = 900.0
# Pressing "Start answering now" this late into the think time could land on "I'm done" instead.
START_NOW_LATEST_SECONDS = 2.0
MAX_DEVICE_CHECKS = 4
KIOSK_WINDOW_TITLE = "Interview Station"
WINDOW_SECONDS = 30.0
WINDOW_SETTLE_SECONDS = 0.5  # X focus given -> Qt has processed it and made the window active
SPEECH_TAIL_SECONDS = 0.6  # the microphone path's latency: the last word must be recorded


class Outcome(StrEnum):
    finished = "finished"
    lost = "lost"  # the kiosk came back to the start without finishing (e.g. a crash before consent)
    gave_up = "gave up"


@dataclass
class InterviewReport:
    number: int
    outcome: Outcome = Outcome.gave_up
    seconds: float = 0.0
    answers_recorded: int = 0  # questions (not practice) for which "I'm done" was pressed
    done_latencies: list[float] = field(default_factory=list)
    crashes: int = 0
    stucks: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class _Expectation:
    what: str
    seconds: float
    deadline: float
    on_timeout: Callable[[], None] | None = None  # None: the kiosk is stuck


@dataclass
class _Scheduled:
    at: float
    action: Callable[[], None]


class KeyboardInterviewDriver:
    def __init__(
        self,
        supervisor: KioskSupervisor,
        screen: VirtualScreen,
        voice: CandidateVoice,
        *,
        consent: str = "auto",
    ) -> None:
        if consent != "auto" and consent not in CONSENT_PRESETS:
            raise ValueError(
                f"consent keys must be auto or one of {sorted(CONSENT_PRESETS)}, not {consent!r}"
            )
        self.supervisor = supervisor
        self.screen = screen
        self.voice = voice
        self.consent = consent  # "auto" becomes the preset that worked, once one did
        self.current_screen: str | None = None

    # -- one interview -------------------------------------------------------------------------------
    def run_interview(self, number: int, invitation: Invitation) -> InterviewReport:
        self.report = InterviewReport(number)
        self.invitation = invitation
        self.code_typed = False
        self.finished = False
        self.device_checks = 0
        self.done_pressed_at: float | None = None
        self.expectation: _Expectation | None = None
        self.scheduled: _Scheduled | None = None
        self.last_line_at = started = time.monotonic()
        self.outcome: Outcome | None = None
        self.consent_tried: str | None = None
        if self.current_screen == "AttractScreen":  # left there by the previous interview
            self._press("attract", ATTRACT_START_KEYS, expect="the access code screen")
        while self.outcome is None:
            now = time.monotonic()
            if now - started > INTERVIEW_LIMIT_SECONDS:
                self.report.notes.append(f"gave up after {INTERVIEW_LIMIT_SECONDS:.0f} s")
                self.outcome = Outcome.gave_up
                break
            timed = self.supervisor.next_event(self._wait_seconds(now))
            if timed is not None:
                self._on_event(timed)
            else:
                self._on_quiet(time.monotonic())
        self.voice.stop()
        self.report.outcome = self.outcome
        self.report.seconds = time.monotonic() - started
        return self.report

    def _wait_seconds(self, now: float) -> float:
        deadlines = [self.last_line_at + STALL_SECONDS, now + 1.0]
        if self.expectation is not None:
            deadlines.append(self.expectation.deadline)
        if self.scheduled is not None:
            deadlines.append(self.scheduled.at)
        return max(0.02, min(deadlines) - now)

    def _on_quiet(self, now: float) -> None:
        if self.scheduled is not None and now >= self.scheduled.at:
            scheduled, self.scheduled = self.scheduled, None
            scheduled.action()
        elif self.expectation is not None and now >= self.expectation.deadline:
            expectation, self.expectation = self.expectation, None
            if expectation.on_timeout is not None:
                expectation.on_timeout()
            else:
                self._stuck(f"no kiosk line within {expectation.seconds:.0f} s: expected {expectation.what}")
        elif now - self.last_line_at >= STALL_SECONDS:
            self._stuck(f"no kiosk line for {STALL_SECONDS:.0f} s on {self.current_screen}")

    # -- reacting to the kiosk ---------------------------------------------------------------------------
    def _on_event(self, timed: Timed) -> None:
        event = timed.event
        if isinstance(event, KioskExited):
            if not self.supervisor.kiosk.asked_to_stop:
                self._crashed(event)
            return
        self.last_line_at = timed.at
        self.expectation = None
        self.scheduled = None  # whatever was planned belonged to the place the kiosk just left
        # "Saving your answer" is a wait, not a place to go on from: the latency runs to the review, the
        # next question or the farewell, wherever the candidate can act again
        saving = isinstance(event, QuestionPhase) and event.phase == "saving"
        if self.done_pressed_at is not None and not saving:
            self.report.done_latencies.append(max(0.0, timed.at - self.done_pressed_at))
            self.done_pressed_at = None
        log.info("kiosk -> %s", event)
        if self.current_screen is None:  # a kiosk just started: its window may not be up yet
            self._wait_for_window()
        if not self.supervisor.kiosk.events.empty():
            # the kiosk is somewhere else already (a restarted kiosk shows the start screen, then
            # resumes): keys meant for this place would land on the next one
            self._pass_by(event)
            return
        if isinstance(event, ScreenShown):
            self.current_screen = event.name
            self._on_screen(event.name)
        elif isinstance(event, QuestionPhase):
            self.current_screen = "QuestionScreen"
            self._on_phase(event, timed.at)
        elif isinstance(event, DeviceCheckDone):
            self._on_device_check(event)

    def _pass_by(self, event: ScreenShown | QuestionPhase | DeviceCheckDone) -> None:
        log.info("no keys for %s: the kiosk has moved on", event)
        if isinstance(event, QuestionPhase):
            self.current_screen = "QuestionScreen"
        elif isinstance(event, ScreenShown):
            self.current_screen = event.name
            if event.name == "FarewellScreen" and self.code_typed:
                self.finished = True
            elif event.name == "AttractScreen" and self.finished:
                self.outcome = Outcome.finished

    def _on_screen(self, name: str) -> None:
        if name == "AttractScreen":
            if self.finished:
                self.outcome = Outcome.finished
            elif self.code_typed:  # a restarted kiosk starts here, then resumes the interview
                self._expect("a resumed interview", RESUME_GRACE_SECONDS, on_timeout=self._lost_at_start)
            else:
                self._press("attract", ATTRACT_START_KEYS, expect="the access code screen")
        elif name == "AccessCodeScreen":
            if self.code_typed:  # the code is spent once typed: a second visit cannot finish it
                self.report.notes.append("the access code screen came back after the code was typed")
                self.outcome = Outcome.lost
                return
            self.screen.type_text(self.invitation.access_code)
            self.code_typed = True
            self._press("access code", ACCESS_CODE_SUBMIT_KEYS, expect="the consent screen")
        elif name == "ConsentScreen":
            self._give_consent()
        elif name == "DeviceCheckScreen":
            if self.consent == "auto" and self.consent_tried is not None:
                self.consent = self.consent_tried
                log.info("consent keys that work on this kiosk: %s", self.consent)
            self.voice.say_sentence()  # a candidate talks while the check listens
            self._expect("the device check result", DEVICE_CHECK_SECONDS)
        elif name == "WelcomeBackScreen":
            self._press("welcome back", WELCOME_BACK_KEYS, expect="the interview to go on")
        elif name == "FarewellScreen":
            self.finished = self.finished or self.code_typed
            self._press("farewell", FAREWELL_KEYS, expect="the attract screen")
        elif name != "QuestionScreen":
            self.report.notes.append(f"unexpected screen {name}")

    def _lost_at_start(self) -> None:
        self.report.notes.append("back at the start before the interview finished")
        self.outcome = Outcome.lost

    def _give_consent(self) -> None:
        if self.consent in CONSENT_PRESETS:
            self._press("consent", CONSENT_PRESETS[self.consent], expect="the device check")
            return
        # auto: Enter first. On the notice (the final contract) it does nothing; on a focused "I agree"
        # (main before it) it agrees. No device check soon after means the notice had the focus.
        self._send(CONSENT_AGREE_FOCUSED_KEYS)
        self.consent_tried = "agree-focused"
        self._expect(
            "the device check (consent by Enter)", CONSENT_PROBE_SECONDS, on_timeout=self._consent_by_tabs
        )

    def _consent_by_tabs(self) -> None:
        log.info("Enter on the consent screen did not agree: Tab to 'I agree'")
        self.consent_tried = "notice-first"
        self._press("consent", CONSENT_NOTICE_FIRST_KEYS, expect="the device check")

    def _on_device_check(self, event: DeviceCheckDone) -> None:
        self.device_checks += 1
        if event.ready:
            self._press("device check", DEVICE_CHECK_CONTINUE_KEYS, expect="the practice question")
        elif self.device_checks < MAX_DEVICE_CHECKS:
            self.voice.say_sentence()
            self._press("device check again", DEVICE_CHECK_AGAIN_KEYS, expect="the device check result")
        else:
            self._stuck(f"the device check was not ready {self.device_checks} times")

    def _on_phase(self, event: QuestionPhase, at: float) -> None:
        if event.phase == "thinking":
            if time.monotonic() - at <= START_NOW_LATEST_SECONDS:
                self._press("start answering", START_ANSWER_KEYS, expect="recording")
        elif event.phase == "recording":
            seconds = self.voice.answer()
            key = event.answer_key
            self.scheduled = _Scheduled(
                time.monotonic() + seconds + SPEECH_TAIL_SECONDS, lambda: self._done(key)
            )
        elif event.phase == "review":
            self._press("review", REVIEW_NEXT_KEYS, expect="the next question or the farewell")

    def _done(self, key: tuple[bool, int, int]) -> None:
        if self.voice.still_speaking():  # paplay buffers ahead: wait for the last word
            self.scheduled = _Scheduled(time.monotonic() + 0.2, lambda: self._done(key))
            return
        log.info("I'm done: %s", " ".join(DONE_KEYS))
        self._send(DONE_KEYS)
        self.done_pressed_at = time.monotonic()
        if not key[0]:
            self.report.answers_recorded += 1
        self._expect("the answer to be saved", KEY_RESPONSE_SECONDS)

    def _wait_for_window(self) -> None:
        if self.screen.wait_for_focused_window(KIOSK_WINDOW_TITLE, WINDOW_SECONDS):
            time.sleep(WINDOW_SETTLE_SECONDS)
        else:
            self.report.notes.append(f"the kiosk window had no keyboard focus after {WINDOW_SECONDS:.0f} s")

    # -- incidents -------------------------------------------------------------------------------------------
    def _crashed(self, exited: KioskExited) -> None:
        incident = self.supervisor.restart_after_crash(exited)
        log.warning("kiosk crashed (%s); restarted; report %s", incident.why, incident.report)
        self.report.crashes += 1
        self.report.notes.append(f"crash on {self.current_screen}: {incident.why}")
        self._after_restart()

    def _stuck(self, why: str) -> None:
        incident = self.supervisor.restart_stuck(why)
        log.warning("kiosk stuck (%s); killed and restarted; report %s", why, incident.report)
        self.report.stucks += 1
        self.report.notes.append(f"stuck on {self.current_screen}: {why}")
        self._after_restart()

    def _after_restart(self) -> None:
        self.voice.stop()
        self.current_screen = None
        self.expectation = None
        self.scheduled = None
        self.done_pressed_at = None  # a crash is not a slow answer
        self.device_checks = 0
        self.consent_tried = None
        self.last_line_at = time.monotonic()

    # -- keys ------------------------------------------------------------------------------------------------
    def _press(self, place: str, keys: tuple[str, ...], *, expect: str) -> None:
        log.info("%s: %s", place, " ".join(keys))
        self._send(keys)
        self._expect(expect, KEY_RESPONSE_SECONDS)

    def _send(self, keys: tuple[str, ...]) -> None:
        self.screen.key(*keys)

    def _expect(self, what: str, seconds: float, on_timeout: Callable[[], None] | None = None) -> None:
        self.expectation = _Expectation(what, seconds, time.monotonic() + seconds, on_timeout)
