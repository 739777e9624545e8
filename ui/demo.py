"""`interview-station demo`: a local server on the embedded default, then the station window.

What it prints, in order: where the server runs, the review desk's sign-in, the staff PIN, and last,
on a line of its own, the one access code to type at the kiosk.
"""

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import typer

from desktop_app.config import data_dir
from desktop_app.errors import StationError
from ui.demo_server import DemoServer, start_demo_server

if TYPE_CHECKING:
    from ui.demo_station import DemoStation

CREDENTIALS_FILE = "demo-credentials.txt"
# `demo-seed` output lines the demo shows: the sign-in. Its own access code is left out: the kiosk
# gets a fresh one every run, and two codes on the screen leave a person guessing which to type.
SIGN_IN_FIELDS = ("organization", "admin", "hr")


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or os.environ.get(
        "QT_QPA_PLATFORM", ""
    ) in {"offscreen", "windows", "cocoa"}


def demo_credentials(server_dir: Path) -> str:
    """The demo organization's sign-in (`interview-server demo-seed`, run once; later runs reuse it).

    Raises:
        StationError: the demo data could not be created.
    """
    saved = server_dir / CREDENTIALS_FILE
    if not saved.exists():
        env = {**os.environ, "INTERVIEW_SERVER_DATA_DIR": str(server_dir)}
        for var in ("DATABASE_URL", "REDIS_URL"):
            env.pop(var, None)
        seeded = subprocess.run(
            [sys.executable, "-m", "sync_server", "demo-seed"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if seeded.returncode != 0:
            raise StationError(f"The demo data could not be created: {seeded.stderr.strip()}")
        saved.touch(mode=0o600)
        saved.write_text(seeded.stdout)
    return saved.read_text()


def sign_in_lines(credentials: str) -> list[str]:
    return [line for line in credentials.splitlines() if line.split(":", 1)[0].strip() in SIGN_IN_FIELDS]


def demo_station(server_url: str, credentials: str) -> "DemoStation | None":
    """Enroll the demo kiosk and invite the demo candidate; None (and why) when that fails."""
    from ui.demo_station import prepare_demo_station, use_demo_station

    try:
        station = prepare_demo_station(server_url, credentials, data_dir() / "demo-station")
    except (httpx.HTTPError, RuntimeError, StationError) as exc:
        typer.secho(f"The demo kiosk could not be set up ({exc}); opening the station window.", fg="yellow")
        return None
    use_demo_station(station, server_url)
    return station


def run_demo(port: int) -> int:
    server_dir = data_dir() / "demo-server"
    url = f"http://127.0.0.1:{port}"
    typer.echo(f"Starting the demo server on {url} (data in {server_dir}) ...")
    try:
        server = start_demo_server(port, server_dir)
    except StationError as exc:  # a busy port, or a server that did not start: one line, no usage box
        typer.secho(str(exc), err=True, fg="red")
        return 1
    try:
        return _run_with_server(server, server_dir)
    except KeyboardInterrupt:
        return 0
    finally:
        server.stop()


def _run_with_server(server: DemoServer, server_dir: Path) -> int:
    os.environ.setdefault("INTERVIEW_STATION_SERVER_URL", server.url)
    typer.echo(f"Server ready: {server.url}/docs")
    try:
        credentials = demo_credentials(server_dir)
    except StationError as exc:
        typer.secho(str(exc), err=True, fg="red")
        credentials = ""
    station = demo_station(server.url, credentials) if credentials else None
    if credentials:
        typer.echo(f"Review desk sign-in (interview-station review --server {server.url}):")
        for line in sign_in_lines(credentials):
            typer.echo(f"  {line}")
    if station is not None:
        typer.echo(f"Staff PIN of the demo kiosk: {station.pin} (open the staff menu with Ctrl+Alt+Shift+S)")
        typer.secho(f"Use this code at the kiosk: {station.access_code}", fg="green", bold=True)
    if not has_display():
        typer.echo("No screen found: the server keeps running. Press Ctrl-C to stop.")
        typer.echo("(On a machine without a desktop, run: xvfb-run ./dev.sh demo)")
        server.process.wait()
        return 0
    if station is None:
        from ui.app import run_main_window

        return run_main_window()
    from ui.kiosk.app import run_kiosk

    return run_kiosk(windowed=True)
