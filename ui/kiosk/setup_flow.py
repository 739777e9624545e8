"""Station setup behind the staff PIN: enroll, choose and test devices, see the sync queue.

Device tests use the engine's capture classes; their callbacks arrive on capture threads and reach
the widgets through an EventBridge. Everything that may block runs through `ui.tasks`.
In the demo (setting `demo_stand_ins`) the lists and the tests show what an interview would really
use: the demo's stand-in where the configured camera or microphone gives nothing.
"""

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app.config import StationSettings, save_settings_values
from desktop_app.devices.camera import CameraCapture, describe_camera, list_cameras
from desktop_app.devices.demo import (
    DEMO_CAMERA_LABEL,
    DEMO_MICROPHONE_LABEL,
)
from desktop_app.devices.levels import block_level
from desktop_app.devices.microphone import MicrophoneCapture
from desktop_app.session.station import StationConnection
from desktop_app.session.station_devices import station_camera, station_microphone
from ui.errors import explain
from ui.events import EventBridge
from ui.kiosk.screens import KioskScreens
from ui.kiosk.setup import Choice, DeviceChoices
from ui.qt import QTimer, Signal
from ui.tasks import run_in_background

TEST_SECONDS = 15
MAX_PROBLEMS = 5
SPEAKER_TEST_SENTENCE = "This is the interview station speaker test. If you can hear this, the speaker works."


class _DeviceTestEvents(EventBridge):
    frame = Signal(object)
    level = Signal(float, float)


def _configured_camera(settings: StationSettings) -> Choice:
    """The configured camera as the list names it when no probed device matches it."""
    source = settings.camera
    if describe_camera(source) is not None:
        return Choice(f"{source} (configured)", source)
    if settings.demo_stand_ins:
        return Choice(DEMO_CAMERA_LABEL, source)  # what the interview shows instead (devices.demo)
    return Choice(f"{source} (configured; no picture from it)", source)


def _available_devices(settings: StationSettings) -> dict[str, list[Choice]]:
    from desktop_app.devices.audio import list_microphones, list_speakers
    from desktop_app.speech.tts import list_voices

    cameras = [Choice(f"Camera {c.source} ({c.width}x{c.height})", c.source) for c in list_cameras()]
    if settings.camera not in {c.value for c in cameras}:
        cameras.insert(0, _configured_camera(settings))
    found: dict[str, list[Choice]] = {"cameras": cameras}
    for key, lister in (("microphones", list_microphones), ("speakers", list_speakers)):
        try:
            devices = lister()
        except Exception:  # no audio system: only the default entry is offered
            devices = []
        default = "System default"
        if key == "microphones" and not devices and settings.demo_stand_ins:
            default = DEMO_MICROPHONE_LABEL  # no microphone at all: the demo's voice answers instead
        found[key] = [Choice(default, None)] + [Choice(f"{d.name} ({d.host_api})", d.name) for d in devices]
    try:
        voices = list_voices()
    except Exception:
        voices = []
    found["voices"] = [Choice("Default voice", None)] + [Choice(v.name, v.id) for v in voices]
    return found


class SetupFlow:
    def __init__(
        self,
        screens: KioskScreens,
        station: StationConnection,
        *,
        on_leave: Callable[[], None],
        on_exit: Callable[[], None],
    ) -> None:
        self.screens = screens
        self.station = station
        self.screen = screens.setup
        self.events = _DeviceTestEvents()
        self.events.frame.connect(self.screen.preview.set_frame)
        self.events.level.connect(self.screen.level_meter.set_level)
        self._camera: CameraCapture | None = None
        self._microphone: MicrophoneCapture | None = None
        self._tests_started = 0  # a test that finishes opening after a newer one (or after leaving) stops
        self._stop_timer = QTimer()
        self._stop_timer.setSingleShot(True)
        self._stop_timer.timeout.connect(self.stop)
        s = self.screen
        s.enroll_requested.connect(self._enroll)
        s.save_devices_requested.connect(self._save_devices)
        s.test_camera_requested.connect(self._test_camera)
        s.test_microphone_requested.connect(self._test_microphone)
        s.test_speaker_requested.connect(self._test_speaker)
        s.refresh_queue_requested.connect(self.refresh_queue)
        self.problems: list[str] = []
        self._on_leave = on_leave
        self._on_exit = on_exit
        s.back_requested.connect(self._leave)
        s.exit_requested.connect(self._exit)

    def note_problem(self, sentence: str) -> None:
        """Something the engine worked around during an interview; the newest few are kept for staff."""
        self.problems = [sentence, *(p for p in self.problems if p != sentence)][:MAX_PROBLEMS]
        self.screen.show_problems(self.problems)

    def _leave(self) -> None:
        self.stop()
        self._on_leave()

    def _exit(self) -> None:
        self.stop()
        self._on_exit()

    def show(self) -> None:
        settings = self.station.settings
        identity = self.station.identity
        self.screen.show_enrollment(
            server_url=identity.server_url if identity else settings.server_url,
            station_name=identity.station_name if identity else None,
        )
        self.screens.window.show_screen(self.screen)
        self.screen.show_device_message("Looking for devices…")
        run_in_background(
            lambda: _available_devices(settings),
            on_success=self._devices_found,
            on_failure=lambda e: self.screen.show_device_message(explain(e).text, problem=True),
            owner=self.screen,
        )
        self.refresh_queue()

    def _devices_found(self, found: dict[str, list[Choice]]) -> None:
        settings = self.station.settings
        self.screen.show_devices(
            cameras=found["cameras"],
            microphones=found["microphones"],
            speakers=found["speakers"],
            voices=found["voices"],
            selected=DeviceChoices(
                settings.camera, settings.microphone, settings.speaker, settings.tts_voice
            ),
        )
        self.screen.show_device_message("")

    def refresh_queue(self) -> None:
        def load() -> tuple[list[str], str]:
            entries = self.station.queue()
            status = self.station.sync_status()
            state = {None: "not connected", True: "online", False: "offline"}[status.online]
            return [e.line for e in entries], f"{len(entries)} answer(s) waiting · {state}"

        run_in_background(load, on_success=lambda result: self.screen.show_queue(*result), owner=self.screen)

    def _enroll(self, server_url: str, code: str) -> None:
        if not server_url or not code:
            self.screen.enroll_message.setText("Type the server address and the enrollment code.")
            return
        self.screen.enroll_button.setEnabled(False)
        self.screen.enroll_message.setText("Enrolling…")

        def done(identity: Any) -> None:
            self.screen.enroll_button.setEnabled(True)
            self.screen.enrollment_code_edit.clear()
            self.screen.enroll_message.setText(f"Enrolled. This station is “{identity.station_name}”.")
            self.screen.show_enrollment(server_url=identity.server_url, station_name=identity.station_name)
            self.screens.window.set_branding(identity.organization_name, None)
            self.screens.attract.show_branding(identity.organization_name, None)

        def failed(error: Exception) -> None:
            self.screen.enroll_button.setEnabled(True)
            self.screen.enroll_message.setText(explain(error).text)

        run_in_background(
            lambda: self.station.enroll(server_url, code),
            on_success=done,
            on_failure=failed,
            owner=self.screen,
        )

    def _save_devices(self, choices: DeviceChoices) -> None:
        values: dict[str, str | int | float | bool | None] = {
            "camera": choices.camera or "0",
            "microphone": choices.microphone,
            "speaker": choices.speaker,
            "tts_voice": choices.voice,
        }

        def saved(path: Path) -> None:
            settings = self.station.settings
            for key, value in values.items():
                setattr(settings, key, value)
            self.screen.show_device_message(f"Saved in {path}.")

        run_in_background(
            lambda: save_settings_values(values),
            on_success=saved,
            on_failure=lambda e: self.screen.show_device_message(explain(e).text, problem=True),
            owner=self.screen,
        )

    def _still_wanted(self, test: int, device: CameraCapture | MicrophoneCapture) -> bool:
        if test == self._tests_started:
            return True
        run_in_background(device.stop)
        return False

    def _test_camera(self, source: str | None) -> None:
        self.stop()
        test = self._tests_started
        settings = self.station.settings
        forward = self.events.forward_latest(self.events.frame)

        def open_and_start() -> tuple[CameraCapture, bool]:
            camera, stand_in = station_camera(settings, source)
            camera.frame.connect(lambda frame: forward(frame.image))
            camera.start()
            return camera, stand_in

        def started(result: tuple[CameraCapture, bool]) -> None:
            if not self._still_wanted(test, result[0]):
                return
            self._camera, stand_in = result
            self._stop_timer.start(TEST_SECONDS * 1000)
            what = DEMO_CAMERA_LABEL if stand_in else "the camera"
            self.screen.show_device_message(f"Showing {what} for {TEST_SECONDS} seconds.")
            self.screen.reveal(self.screen.preview)

        self.screen.show_device_message("Opening the camera…")
        run_in_background(
            open_and_start,
            on_success=started,
            on_failure=lambda e: self.screen.show_device_message(explain(e).text, problem=True),
            owner=self.screen,
        )

    def _test_microphone(self, device: str | None) -> None:
        self.stop()
        test = self._tests_started
        settings = self.station.settings
        forward = self.events.forward_latest(self.events.level)

        def open_and_start() -> tuple[MicrophoneCapture, bool]:
            microphone, stand_in = station_microphone(settings, device)  # as the interview would
            if not microphone.running:
                microphone.start()
            microphone.block.connect(lambda block: forward(*block_level(block.samples)))
            return microphone, stand_in

        def started(result: tuple[MicrophoneCapture, bool]) -> None:
            if not self._still_wanted(test, result[0]):
                return
            self._microphone, stand_in = result
            self._stop_timer.start(TEST_SECONDS * 1000)
            self.screen.show_device_message(
                f"{DEMO_MICROPHONE_LABEL}: the bar shows the demo voice."
                if stand_in
                else "Speak: the bar shows what the microphone hears."
            )
            self.screen.reveal(self.screen.level_meter)

        self.screen.show_device_message("Opening the microphone…")
        run_in_background(
            open_and_start,
            on_success=started,
            on_failure=lambda e: self.screen.show_device_message(explain(e).text, problem=True),
            owner=self.screen,
        )

    def _test_speaker(self, speaker: str | None, voice: str | None) -> None:
        from desktop_app.devices.speaker import play_file
        from desktop_app.speech.tts import render_to_wav

        rate = self.station.settings.tts_rate

        def speak() -> None:
            with tempfile.TemporaryDirectory(prefix="speaker-test-") as tmp:
                clip = render_to_wav(SPEAKER_TEST_SENTENCE, Path(tmp) / "test.wav", voice=voice, rate=rate)
                play_file(clip, device=speaker)

        self.screen.show_device_message("Playing a test sentence…")
        run_in_background(
            speak,
            on_success=lambda _: self.screen.show_device_message("The test sentence was played."),
            on_failure=lambda e: self.screen.show_device_message(explain(e).text, problem=True),
            owner=self.screen,
        )

    def stop(self) -> None:
        """Stop any device test (leaving setup, or the test time is up)."""
        self._stop_timer.stop()
        self._tests_started += 1
        camera, microphone = self._camera, self._microphone
        self._camera = self._microphone = None
        if camera is not None:
            self.screen.preview.clear()  # a last picture left standing would look like a live camera
        if camera is not None or microphone is not None:
            run_in_background(lambda: [d.stop() for d in (camera, microphone) if d is not None])
