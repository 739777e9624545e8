"""Screenshots of every kiosk screen on a real X server (Xvfb), for people to look at.

    python -m ui.screenshots               # starts Xvfb :99 itself, writes screenshots/WxH/LOOK/NN-*.png
    python -m ui.screenshots --out DIR --display :98 --sizes 1366x768

Each screen is shown full screen with an example plan and captured from the X root window with
ImageMagick's `import` (what a person at the station would see): at every size (a 1366x768 laptop
and a 1920x1080 screen; one Xvfb of that size each), in the default theme with the organization's
colour and in high contrast with larger text.
"""

import argparse
import os
import re
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


SIZES = ("1366x768", "1920x1080")
LOOKS = ("normal", "contrast-large")


def start_xvfb(display: str, size: str = "1920x1080") -> subprocess.Popen[bytes]:
    if shutil.which("Xvfb") is None or shutil.which("import") is None:
        sys.exit("Xvfb and ImageMagick are needed: sudo apt-get install xvfb imagemagick")
    proc = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
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
    """Runs inside the X session: builds the kiosk and captures each screen in each look."""
    from desktop_app.devices.check import (
        CameraMeasurement,
        MicrophoneMeasurement,
        camera_findings,
        microphone_findings,
    )
    from desktop_app.session.kiosk_views import Phase, QuestionView
    from desktop_app.session.station import SyncStatus
    from sync_server.contract import InterviewPlan
    from ui.kiosk.access_code import MAX_WRONG_CODES
    from ui.kiosk.screens import KioskScreens
    from ui.kiosk.window import KioskWindow
    from ui.qt import QApplication
    from ui.style import Look, brand_accent, look_stylesheet
    from ui.tasks import install_main_thread_relay

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    install_main_thread_relay()
    plan = InterviewPlan.model_validate(EXAMPLE_PLAN)

    def open_kiosk() -> tuple[KioskScreens, KioskWindow]:
        built = KioskScreens(locked_down=True)
        built.window.enter_kiosk_mode()
        built.window.sync_status.show_status(SyncStatus(online=False, waiting=3))
        return built, built.window

    def close_kiosk() -> None:
        screens.close_pin_dialog()
        screens.shutdown()
        window.allow_close = True
        window.close()

    screens, window = open_kiosk()
    accent = brand_accent(plan.organization.colors)
    frame = example_camera_frame(1280, 720)
    # what the real check says for a good take in a slightly noisy room, and for a silent microphone
    heard = MicrophoneMeasurement(3.0, -24.0, -6.0, 0.0, -42.0, 2.6, -22.0)
    silent = MicrophoneMeasurement(3.0, -90.0, -80.0, 0.0, -90.0, 0.0, None)
    camera = CameraMeasurement(90, 30.0, 1280, 720, 120.0, (1, 1, 1, 1, 1))
    taken: list[Path] = []

    def settle() -> None:
        for _ in range(20):
            app.processEvents()
            time.sleep(0.02)

    def attract() -> None:
        window.set_branding("Northwind Health", None)
        screens.attract.show_branding("Northwind Health", None)
        window.show_screen(screens.attract)

    def code_wrong() -> None:
        window.show_screen(screens.access_code)
        screens.access_code.reset()
        screens.access_code.code_edit.setText("ABCD-2346")
        screens.access_code.code_refused("That access code is not valid. Please check it and try again.")
        screens.access_code.code_refused("That access code is not valid. Please check it and try again.")

    def code_locked() -> None:
        screens.access_code.reset()
        for _ in range(MAX_WRONG_CODES):
            screens.access_code.code_refused("wrong")

    def consent() -> None:
        screens.access_code.reset()
        screens.consent.show_plan(plan)
        window.show_screen(screens.consent)

    def consent_people_only() -> None:
        consent()
        screens.consent.people_only.setChecked(True)

    def consent_decline() -> None:
        consent()
        screens.consent.decline_button.click()

    def device_listening() -> None:
        screens.consent.clear()
        window.show_screen(screens.device_check)
        screens.device_check.preview.set_frame(frame)
        screens.device_check.set_checking()
        for level in (-24.0, -19.0, -30.0, -21.0):
            screens.device_check.set_level(level, level + 8)

    def device_check() -> None:
        screens.device_check.show_findings(
            microphone_findings(heard) + camera_findings(camera, fps=30, width=1280, height=720)
        )

    def device_problem() -> None:
        screens.device_check.set_level(-90.0, -80.0)
        screens.device_check.show_findings(
            microphone_findings(silent) + camera_findings(camera, fps=30, width=1280, height=720)
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

    def not_spoken() -> None:
        question(Phase.speaking)()
        view = QuestionView(
            number=1, total=len(plan.questions), text=plan.questions[0].text, practice=False, is_last=False,
            attempt=1, max_attempts=2, phase=Phase.speaking, spoken_aloud=False,
        )  # fmt: skip
        screens.question.show_view(view)

    def welcome_back() -> None:
        screens.welcome_back.show_resume(answers_saved=1, questions=len(plan.questions), next_question=2)
        window.show_screen(screens.welcome_back)

    def idle_warning() -> None:
        consent()
        window.idle_warning.show_left(27)

    def finished() -> None:
        window.idle_warning.hide()
        screens.consent.clear()
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

    shots: list[tuple[str, Callable[[], None]]] = [
        ("attract", attract),
        ("access-code-wrong", code_wrong),
        ("access-code-locked", code_locked),
        ("consent", consent),
        ("consent-people-only", consent_people_only),
        ("consent-confirm-decline", consent_decline),
        ("device-check-listening", device_listening),
        ("device-check", device_check),
        ("device-check-problem", device_problem),
        ("practice-question", question(Phase.speaking, practice=True)),
        ("question-think", question(Phase.thinking)),
        ("question-recording", question(Phase.recording)),
        ("question-review", question(Phase.review)),
        ("question-read-not-spoken", not_spoken),
        ("welcome-back", welcome_back),
        ("idle-warning", idle_warning),
        ("finish-offline", finished),
        ("declined", declined),
        ("staff-pin", staff_pin),
        ("staff-setup", staff_setup),
    ]
    size = f"{window.width()}x{window.height()}"
    for look_name in LOOKS:
        if taken:  # a fresh kiosk per look: no access-code lock or dialog carried over
            close_kiosk()
            screens, window = open_kiosk()
        large = look_name == "contrast-large"
        look = Look(high_contrast=True, large_text=True) if large else Look(accent=accent)
        for button in (screens.attract.contrast_button, screens.attract.large_text_button):
            button.setChecked(large)  # the welcome screen shows the candidate's choice as on
        app.setStyleSheet(look_stylesheet(look))
        folder = out / size / look_name
        folder.mkdir(parents=True, exist_ok=True)
        for number, (name, prepare) in enumerate(shots, start=1):
            prepare()
            settle()
            path = folder / f"{number:02d}-{name}.png"
            capture(display, path)
            taken.append(path)
    close_kiosk()
    return taken


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--display", default=":99")
    parser.add_argument(
        "--sizes", default=",".join(SIZES), help="screen sizes, comma separated (default: %(default)s)"
    )
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [size.strip() for size in args.sizes.split(",") if size.strip()]
    bad = [size for size in sizes if not re.fullmatch(r"[1-9]\d{2,4}x[1-9]\d{2,4}", size)]
    if bad:
        parser.error(f"--sizes takes WIDTHxHEIGHT values such as 1366x768, not {', '.join(bad)}")
    args.out.mkdir(parents=True, exist_ok=True)
    if args.inside:
        for path in take_screenshots(args.out, args.display):
            print(path)  # noqa: T201  the script's output is the list of files
        return 0
    for size in sizes:  # one X server per size: full screen means that screen's size
        xvfb = start_xvfb(args.display, size)
        try:
            env = {**os.environ, "DISPLAY": args.display, "QT_QPA_PLATFORM": "xcb"}
            for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):  # never touch a real station's settings
                env[var] = str(args.out / ".tmp" / var.lower())
            command = [sys.executable, "-m", "ui.screenshots", "--inside", "--out", str(args.out)]
            result = subprocess.run([*command, "--display", args.display], env=env, check=False)
            if result.returncode:
                return result.returncode
        finally:
            xvfb.terminate()
            xvfb.wait(timeout=10)
        socket = Path(f"/tmp/.X11-unix/X{args.display.lstrip(':')}")  # noqa: S108  fixed X11 path
        deadline = time.monotonic() + 10
        while socket.exists() and time.monotonic() < deadline:  # the next Xvfb needs the display free
            time.sleep(0.05)
    return 0


if __name__ == "__main__":
    sys.exit(main())
