"""Screenshots of every kiosk screen on a real X server (Xvfb), for people to look at.

    python -m ui.screenshots               # starts Xvfb :99 itself, writes screenshots/kiosk-*.png
    python -m ui.screenshots --out DIR --display :98

Each screen is shown full screen at 1920x1080 with an example plan and captured from the X root
window with ImageMagick's `import` (what a person at the station would see), in the default theme;
a few also in high contrast and large text.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXAMPLE_PLAN = {
    "interview_id": "5f0c9a7e-2b1d-4c55-9d1e-8f3a2b7c6d10",
    "candidate_display_name": "Alex Morgan",
    "organization": {"name": "Northwind Health", "logo_url": None, "colors": {"primary": "#0b6e4f"}},
    "accommodations": {"time_multiplier": 1.5, "extra_attempts": 1, "large_text": False},
    "questions": [
        {
            "id": "q1",
            "text": "Tell us about a time you had to explain a complicated idea to someone "
            "without a technical background. How did you make sure they understood?",
            "think_seconds": 30,
            "answer_seconds": 120,
            "max_attempts": 2,
        },
        {"id": "q2", "text": "Why do you want to work with us?", "think_seconds": 20, "answer_seconds": 90},
    ],
}


def example_camera_frame(width: int, height: int) -> "Any":
    """A stand-in camera picture: a soft background and a head-and-shoulders shape."""
    import cv2
    import numpy as np

    frame = np.empty((height, width, 3), dtype=np.uint8)
    frame[:] = np.linspace(150, 90, height, dtype=np.uint8)[:, None, None]
    frame[..., 0] = np.clip(frame[..., 0].astype(int) + 40, 0, 255)
    centre = (width // 2, height // 2 - height // 10)
    cv2.ellipse(frame, (width // 2, height), (width // 4, height // 3), 0, 180, 360, (70, 60, 50), -1)
    cv2.ellipse(frame, centre, (height // 7, height // 5), 0, 0, 360, (140, 170, 210), -1)
    return frame


def start_xvfb(display: str) -> subprocess.Popen[bytes]:
    if shutil.which("Xvfb") is None or shutil.which("import") is None:
        sys.exit("Xvfb and ImageMagick are needed: sudo apt-get install xvfb imagemagick")
    proc = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{display.lstrip(':')}").exists():  # noqa: S108  the X11 socket path is fixed
        if proc.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"Xvfb did not start on {display} (is another X server using it?)")
        time.sleep(0.05)
    return proc


def capture(display: str, path: Path) -> None:
    subprocess.run(["import", "-display", display, "-window", "root", str(path)], check=True)


def take_screenshots(out: Path, display: str) -> list[Path]:
    """Runs inside the X session: builds the kiosk and captures each screen."""
    from desktop_app.findings import Finding, Status
    from desktop_app.session.kiosk_views import Phase
    from desktop_app.session.station import SyncStatus
    from sync_server.contract import InterviewPlan
    from ui.kiosk.access_code import MAX_WRONG_CODES
    from ui.kiosk.screens import KioskScreens
    from ui.qt import QApplication
    from ui.style import Look, brand_accent, look_stylesheet
    from ui.tasks import install_main_thread_relay

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    install_main_thread_relay()
    plan = InterviewPlan.model_validate(EXAMPLE_PLAN)
    screens = KioskScreens(locked_down=True)
    window = screens.window
    window.enter_kiosk_mode()
    window.sync_status.show_status(SyncStatus(online=False, waiting=3))
    accent = brand_accent(plan.organization.colors)
    frame = example_camera_frame(1280, 720)
    taken: list[Path] = []

    def settle() -> None:
        for _ in range(20):
            app.processEvents()
            time.sleep(0.02)

    def shot(name: str, prepare: Callable[[], None], look: Look | None = None) -> None:
        app.setStyleSheet(look_stylesheet(look or Look(accent=accent)))
        prepare()
        settle()
        path = out / f"kiosk-{len(taken) + 1:02d}-{name}.png"
        capture(display, path)
        taken.append(path)

    def attract() -> None:
        window.set_branding("Northwind Health", None)
        screens.attract.show_branding("Northwind Health", None)
        window.show_screen(screens.attract)

    def code_wrong() -> None:
        window.show_screen(screens.access_code)
        screens.access_code.reset()
        screens.access_code.code_edit.setText("ABCD-2346")
        screens.access_code.code_refused("We could not find that access code. Please check it and try again.")

    def code_locked() -> None:
        screens.access_code.reset()
        for _ in range(MAX_WRONG_CODES):
            screens.access_code.code_refused("wrong")

    def consent() -> None:
        screens.access_code.reset()
        screens.consent.show_plan(plan)
        window.show_screen(screens.consent)

    def device_check() -> None:
        window.show_screen(screens.device_check)
        screens.device_check.preview.set_frame(frame)
        screens.device_check.set_level(-18.0, -9.0)
        screens.device_check.show_findings(
            [
                Finding("camera", Status.ok, "The camera shows 1280x720 at 30 frames per second."),
                Finding("face", Status.ok, "One face is clearly visible."),
                Finding(
                    "noise",
                    Status.warn,
                    "There is some background noise.",
                    "Close a door or window if you can.",
                ),
                Finding("microphone", Status.ok, "We can hear you well."),
            ]
        )

    def device_problem() -> None:
        screens.device_check.show_findings(
            [
                Finding("camera", Status.ok, "The camera shows 1280x720 at 30 frames per second."),
                Finding(
                    "microphone",
                    Status.fail,
                    "We could not hear anything from the microphone.",
                    "Check that it is plugged in and not muted.",
                ),
            ]
        )

    def question(phase: Phase, *, practice: bool = False) -> Callable[[], None]:
        def prepare() -> None:
            q = plan.questions[0]
            screens.question.show_question(
                number=1,
                total=len(plan.questions),
                text="Please introduce yourself in a few sentences." if practice else q.text,
                practice=practice,
                is_last=False,
                attempt=1,
                max_attempts=q.max_attempts + plan.accommodations.extra_attempts,
            )
            screens.question.preview.set_frame(frame)
            screens.question.show_phase(phase)
            if phase is Phase.thinking:
                screens.question.set_countdown(23, 45)
            if phase is Phase.recording:
                screens.question.set_countdown(131, 180)
                screens.question.set_recorded(49)
                screens.question.level_meter.set_level(-16, -8)
            window.show_screen(screens.question)

        return prepare

    def idle_warning() -> None:
        window.idle_warning.show_left(27)

    def finished() -> None:
        window.idle_warning.hide()
        screens.farewell.show_finished(
            name="Alex Morgan", organization="Northwind Health", answers=2, online=False
        )
        window.show_screen(screens.farewell)

    def declined() -> None:
        screens.farewell.show_declined(organization="Northwind Health")
        window.show_screen(screens.farewell)

    def staff_pin() -> None:
        from desktop_app.staff_pin import StaffPinGuard, hash_pin
        from desktop_app.store.database import open_station_db

        screens.farewell.stop()
        window.show_screen(screens.attract)
        screens.pin_guard = StaffPinGuard(open_station_db(out / ".tmp" / "station.db"), hash_pin("2468"))
        dialog = screens.open_pin_dialog()
        dialog.pin_edit.setText("1234")
        dialog.message_label.setText("Wrong PIN. 3 tries left.")

    def staff_setup() -> None:
        from ui.kiosk.setup import Choice, DeviceChoices

        screens.close_pin_dialog()
        screens.setup.show_enrollment(
            server_url="https://interviews.northwind.example", station_name="Lobby kiosk"
        )
        screens.setup.show_devices(
            cameras=[Choice("Camera 0 (1280x720)", "0")],
            microphones=[Choice("System default", None), Choice("USB Microphone (ALSA)", "USB Microphone")],
            speakers=[Choice("System default", None), Choice("Speakers (ALSA)", "Speakers")],
            voices=[Choice("Default voice", None), Choice("English (America)", "gmw/en-US")],
            selected=DeviceChoices("0", "USB Microphone", None, None),
        )
        screens.setup.preview.set_frame(frame)
        screens.setup.level_meter.set_level(-22, -12)
        screens.setup.show_queue(
            [
                "Interview 5F0C9A7E · question q1 · attempt 2 · 14.2 MB · waiting",
                "Interview 5F0C9A7E · question q2 · attempt 1 · 9.8 MB · waiting",
                "Interview 81D2C4AA · question q1 · attempt 1 · 11.0 MB · video sent, transcript waiting",
            ],
            "3 answer(s) waiting · offline",
        )
        screens.setup.show_problems(
            ["The speech model could not be loaded; answers are kept, transcripts pending."]
        )
        screens.show_setup()

    shot("attract", attract)
    shot("access-code-wrong", code_wrong)
    shot("access-code-locked", code_locked)
    shot("consent", consent)
    shot("device-check", device_check)
    shot("device-check-problem", device_problem)
    shot("practice-question", question(Phase.speaking, practice=True))
    shot("question-think", question(Phase.thinking))
    shot("question-recording", question(Phase.recording))
    shot("question-review", question(Phase.review))
    shot("idle-warning", idle_warning)
    shot("finish-offline", finished)
    shot("declined", declined)
    shot("staff-pin", staff_pin)
    shot("staff-setup", staff_setup)
    shot("attract-high-contrast", attract, Look(high_contrast=True))
    shot("question-high-contrast-large", question(Phase.recording), Look(high_contrast=True, large_text=True))

    def consent_people_only() -> None:
        consent()
        screens.consent.people_only.setChecked(True)

    shot("consent-large-text-people-only", consent_people_only, Look(accent=accent, large_text=True))
    screens.shutdown()
    window.allow_close = True
    window.close()
    return taken


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--display", default=":99")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.inside:
        for path in take_screenshots(args.out, args.display):
            print(path)  # noqa: T201  the script's output is the list of files
        return 0
    xvfb = start_xvfb(args.display)
    try:
        env = {**os.environ, "DISPLAY": args.display, "QT_QPA_PLATFORM": "xcb"}
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):  # never touch a real station's settings
            env[var] = str(args.out / ".tmp" / var.lower())
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "ui.screenshots",
                "--inside",
                "--out",
                str(args.out),
                "--display",
                args.display,
            ],
            env=env,
            check=False,
        )
        return result.returncode
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
