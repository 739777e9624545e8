"""Kiosk soak: N complete interviews back to back on the real kiosk, by keyboard, against a real server.

    python -m tests.benchmarks.kiosk_soak --interviews 25 [--demo-devices] [--out DIR]

Real parts: `interview-server serve` on the embedded default (SQLite in a temporary folder), seeded
through the HTTP API (an organization, one job with 2 questions, one access code per interview, an
enrolled station, a staff PIN); the kiosk as `python -m ui kiosk` (locked-down full screen, Qt's xcb
platform on Xvfb); keys as X events (xdotool). Devices: the drawn-face demo video as camera and a
PulseAudio virtual microphone into which each 15-20 s spoken answer is played when recording starts;
with --demo-devices, the demo's stand-ins instead (no camera, no PulseAudio: the kiosk's own demo
camera and talking demo microphone).

The driver reacts to the kiosk's log lines (tests/support/kiosk_keyboard_driver.py). A kiosk that dies
is restarted and counted as a crash (stderr tail kept in the output folder); one that stops reacting
is killed, restarted and counted as stuck. Ends with the line
    N interviews, C crashes, answers delivered D/E, I'm-done-to-next-screen p95 X s, RSS start->end A->B MB
D counts (interview, question) pairs with a recorded answer on the server (HR API); duplicates are
listed above that line. RSS is the kiosk and its children, from the end of the first interview (the
speech model is loaded by then) to the end of the last.
"""

import argparse
import logging
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from desktop_app.devices.demo import demo_camera_video
from desktop_app.staff_pin import hash_pin
from tests.support import pulse as pulse_support
from tests.support.candidate_voice import CandidateVoice
from tests.support.kiosk_keyboard_driver import (
    CONSENT_PRESETS,
    InterviewReport,
    KeyboardInterviewDriver,
    Outcome,
)
from tests.support.kiosk_process import kiosk_env
from tests.support.kiosk_server import KioskServer
from tests.support.kiosk_soak_world import Delivery, SoakJob, describe_media
from tests.support.kiosk_supervisor import Incident, KioskSupervisor
from tests.support.live_server import live_server
from tests.support.speech_clips import espeak_available
from tests.support.x_display import missing_x_tools, start_virtual_screen

log = logging.getLogger("kiosk_soak")

STAFF_PIN = "2468"
SCREEN_SIZES = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}
DELIVERY_QUIET_SECONDS = 120.0  # after the last interview: no new answer on the server for this long
PRACTICE_THINK_SECONDS = 5  # like the questions' think time: the driver skips it


@dataclass
class SoakResult:
    interviews: list[InterviewReport]
    incidents: list[Incident]
    delivery: Delivery
    rss_start: int
    rss_end: int
    out_dir: Path
    details: list[str] = field(default_factory=list)

    @property
    def crashes(self) -> int:
        return sum(1 for i in self.incidents if i.kind == "crash")

    @property
    def stucks(self) -> int:
        return sum(1 for i in self.incidents if i.kind == "stuck")

    @property
    def done_latencies(self) -> list[float]:
        return [seconds for report in self.interviews for seconds in report.done_latencies]

    def summary_line(self) -> str:
        p95 = percentile(self.done_latencies, 95)
        return (
            f"{len(self.interviews)} interviews, {self.crashes} crashes, "
            f"answers delivered {self.delivery.delivered}/{self.delivery.expected}, "
            f"I'm-done-to-next-screen p95 {p95:.2f} s, "
            f"RSS start->end {self.rss_start / 1e6:.0f}->{self.rss_end / 1e6:.0f} MB"
        )


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (nan for no values): with few samples, a value that really happened."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def missing_requirements(*, demo_devices: bool) -> list[str]:
    missing = missing_x_tools()
    if not demo_devices:
        missing += pulse_support.missing_tools()
    if not espeak_available():
        missing.append("espeak-ng")
    return missing


@contextmanager
def _pulse_or_none(demo_devices: bool) -> Iterator[pulse_support.PulseAudio | None]:
    if demo_devices:
        yield None
        return
    pulse = pulse_support.start_pulseaudio()
    try:
        yield pulse
    finally:
        pulse.stop()


def _device_env(
    work: Path, station_dir: Path, pulse: pulse_support.PulseAudio | None, *, demo_devices: bool
) -> dict[str, str]:
    if demo_devices:
        # No sound server for the kiosk to find (and none it may start): the demo microphone stands in.
        runtime = work / "no-pulse"
        runtime.mkdir(mode=0o700)
        client_conf = work / "pulse-client.conf"
        client_conf.write_text("autospawn = no\n")
        return {
            "INTERVIEW_STATION_DEMO_STAND_INS": "true",
            "XDG_RUNTIME_DIR": str(runtime),
            "PULSE_RUNTIME_PATH": str(runtime / "pulse"),
            "PULSE_SERVER": f"unix:{runtime / 'none'}",
            "PULSE_CLIENTCONFIG": str(client_conf),
        }
    assert pulse is not None
    camera = demo_camera_video(station_dir / "soak-camera", width=640, height=480, fps=30)
    return {
        "INTERVIEW_STATION_CAMERA": str(camera),
        "XDG_RUNTIME_DIR": pulse.env["XDG_RUNTIME_DIR"],
        "PULSE_RUNTIME_PATH": pulse.env["PULSE_RUNTIME_PATH"],
    }


def _binding_env(pyside_from: Path | None) -> dict[str, str]:
    """Another PySide6 build (a `pip install --target` folder) first on the kiosk's path: the soak is
    what decides which bindings the project may pin to."""
    if pyside_from is None:
        return {}
    if not (pyside_from / "PySide6" / "__init__.py").is_file():
        raise RuntimeError(f"{pyside_from} holds no PySide6 package (make it with pip install --target)")
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(pyside_from), os.environ.get("PYTHONPATH")]))}


def kiosk_binding_version(env: dict[str, str]) -> str:
    """The PySide6 version the kiosk imports with `env` (asked of a Python started like the kiosk)."""
    done = subprocess.run(
        [sys.executable, "-c", "import PySide6; print(PySide6.__version__, PySide6.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.stdout.strip() or f"unknown ({done.stderr.strip()[-200:]})"


def run_soak(
    interviews: int,
    *,
    demo_devices: bool,
    out_dir: Path,
    screen_size: str = "1366x768",
    display: str | None = None,
    consent_keys: str = "auto",
    pyside_from: Path | None = None,
) -> SoakResult:
    """Everything the module docstring says; returns the numbers (prints progress lines as it goes)."""
    if interviews < 1:
        raise ValueError("--interviews must be at least 1")
    missing = missing_requirements(demo_devices=demo_devices)
    if missing:
        raise RuntimeError(f"the soak needs: {', '.join(missing)} (see APT_PACKAGES in dev.sh)")
    out_dir.mkdir(parents=True, exist_ok=True)
    _log_to(out_dir / "driver.log")
    width, height = SCREEN_SIZES[screen_size]
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kiosk-soak-")))
        screen = start_virtual_screen(width, height, display=display)
        stack.callback(screen.stop)
        pulse = stack.enter_context(_pulse_or_none(demo_devices))
        live = stack.enter_context(live_server(work / "server"))
        server = KioskServer.seed(live)
        job = SoakJob(server)
        invitations = [job.invite(number) for number in range(1, interviews + 1)]
        station_dir = work / "station"
        server.enroll_station(station_dir / "station-identity.json")
        for sub in ("config", "data", "cache"):
            (work / sub).mkdir()
        env = kiosk_env(
            screen.env,
            {
                "QT_QPA_PLATFORM": "xcb",
                "XDG_CONFIG_HOME": str(work / "config"),  # no station.toml of this machine's user
                "XDG_DATA_HOME": str(work / "data"),
                "XDG_CACHE_HOME": str(work / "cache"),
                "HF_HUB_OFFLINE": "1",
                "INTERVIEW_STATION_DATA_DIR": str(station_dir),
                "INTERVIEW_STATION_SERVER_URL": live.url,
                "INTERVIEW_STATION_STAFF_PIN_HASH": hash_pin(STAFF_PIN),
                "INTERVIEW_STATION_KIOSK_PRACTICE_THINK_SECONDS": str(PRACTICE_THINK_SECONDS),
                **_device_env(work, station_dir, pulse, demo_devices=demo_devices),
                **_binding_env(pyside_from),
            },
        )
        voice = CandidateVoice(work / "voice", pulse)
        stack.callback(voice.stop)
        supervisor = KioskSupervisor(env, out_dir, screen)
        stack.callback(supervisor.stop)
        driver = KeyboardInterviewDriver(supervisor, screen, voice, consent=consent_keys)
        reports: list[InterviewReport] = []
        rss_start = rss_end = 0
        for number, invitation in enumerate(invitations, start=1):
            report = driver.run_interview(number, invitation)
            reports.append(report)
            rss_end = supervisor.kiosk.rss_bytes()
            if number == 1:
                rss_start = rss_end
            print(_interview_line(report, rss_end), flush=True)
        delivery = job.wait_for_delivery(
            [i.interview_id for i in invitations], timeout=DELIVERY_QUIET_SECONDS
        )
        details = [
            f"kiosk's PySide6 {kiosk_binding_version(env)}, Python {sys.version.split()[0]}, screen {screen_size}, "
            f"devices: {'demo stand-ins' if demo_devices else 'PulseAudio microphone + demo camera video'}, "
            f"consent keys: {driver.consent}",
            f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
            f"kiosk starts: {supervisor.runs}; stucks: {len(supervisor.stucks)}; "
            f"duplicates on the server: {delivery.duplicates}; "
            f"delivered answers with their transcript: {delivery.with_transcript}",
        ]
        if supervisor.runs > 1:
            details.append(
                f"RSS start->end spans {supervisor.runs} kiosk processes: each restart starts from scratch"
            )
        details += [f"{i.kind} {i.why} (kiosk run {i.run}): {i.report}" for i in supervisor.incidents]
        if delivery.response_ids:
            sample = job.download_media(delivery.response_ids[-1], out_dir / "sample-answer.mp4")
            details.append(f"downloaded answer: {describe_media(sample)}")
            words = job.transcript_text(delivery.response_ids[-1])
            if words is None:
                details.append("its transcript is not on the server yet (it follows the recording)")
            else:
                details.append(
                    f"its transcript on the server: {words[:90]!r}{'...' if len(words) > 90 else ''}"
                )
        supervisor.stop()
        return SoakResult(reports, supervisor.incidents, delivery, rss_start, rss_end, out_dir, details)


def _interview_line(report: InterviewReport, rss: int) -> str:
    latencies = ", ".join(f"{s:.2f}" for s in report.done_latencies) or "-"
    extra = f"; {'; '.join(report.notes)}" if report.notes else ""
    return (
        f"interview {report.number}: {report.outcome} in {report.seconds:.0f} s, "
        f"{report.answers_recorded} answers recorded, I'm-done->next {latencies} s, "
        f"crashes {report.crashes}, stucks {report.stucks}, RSS {rss / 1e6:.0f} MB, "
        f"load {os.getloadavg()[0]:.2f}{extra}"
    )


def _log_to(path: Path) -> None:
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interviews", type=int, default=5)
    parser.add_argument(
        "--demo-devices", action="store_true", help="the demo's stand-in camera and microphone"
    )
    parser.add_argument("--out", type=Path, help="output folder (default: a new folder under the temp dir)")
    parser.add_argument("--screen", choices=sorted(SCREEN_SIZES), default="1366x768")
    parser.add_argument("--display", help="X display to start Xvfb on, e.g. :61 (default: a free one)")
    parser.add_argument(
        "--consent-keys",
        choices=["auto", *CONSENT_PRESETS],
        default="auto",
        help="auto: Enter, then Tab x3 + Enter if Enter did not agree",
    )
    parser.add_argument(
        "--pyside-from",
        type=Path,
        help="a folder with another PySide6 build (pip install --target DIR pyside6-essentials==X "
        "pyside6-addons==X) to run the kiosk with",
    )
    args = parser.parse_args()
    if args.interviews < 1:
        parser.error("--interviews must be at least 1")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out_dir = args.out or Path(tempfile.gettempdir()) / f"kiosk-soak-{stamp}"
    print(f"output folder: {out_dir}", flush=True)
    started = time.monotonic()
    try:
        result = run_soak(
            args.interviews,
            demo_devices=args.demo_devices,
            out_dir=out_dir,
            screen_size=args.screen,
            display=args.display,
            consent_keys=args.consent_keys,
            pyside_from=args.pyside_from,
        )
    except RuntimeError as exc:
        sys.exit(f"kiosk soak: {exc}")
    finished = [r.seconds for r in result.interviews if r.outcome is Outcome.finished]
    for line in result.details:
        print(line)
    if finished:
        print(
            f"one interview: median {statistics.median(finished):.0f} s "
            f"(min {min(finished):.0f}, max {max(finished):.0f}); whole soak {time.monotonic() - started:.0f} s"
        )
    print(
        f"I'm-done-to-next-screen p50 {percentile(result.done_latencies, 50):.2f} s over "
        f"{len(result.done_latencies)} answers (practice included)"
    )
    print(f"output folder: {out_dir}")
    print(result.summary_line())


if __name__ == "__main__":
    main()
