"""`interview-station demo`: a local server on the embedded default, then the station window."""

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import typer

from desktop_app.config import data_dir
from desktop_app.errors import StationError

if TYPE_CHECKING:
    from ui.demo_station import DemoStation


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or os.environ.get(
        "QT_QPA_PLATFORM", ""
    ) in {"offscreen", "windows", "cocoa"}


def start_demo_server(port: int, server_dir: Path) -> subprocess.Popen[bytes]:
    """Start `interview-server serve` on SQLite under server_dir; wait until it is ready."""
    env = {**os.environ, "INTERVIEW_SERVER_DATA_DIR": str(server_dir), "INTERVIEW_SERVER_LOG_JSON": "false"}
    for var in ("DATABASE_URL", "REDIS_URL"):
        env.pop(var, None)
    server_dir.mkdir(parents=True, exist_ok=True)
    log = (server_dir / "server.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "sync_server", "serve", "--port", str(port)], env=env, stdout=log, stderr=log
    )
    deadline = time.monotonic() + 60
    url = f"http://127.0.0.1:{port}/readyz"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise typer.BadParameter(f"the demo server stopped; see {server_dir / 'server.log'}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    proc.terminate()
    raise typer.BadParameter(f"the demo server did not become ready; see {server_dir / 'server.log'}")


def demo_credentials(server_dir: Path) -> str:
    """Seed the demo organization once (`interview-server demo-seed`); later runs reuse it."""
    saved = server_dir / "demo-credentials.txt"
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
            return f"(demo data could not be created: {seeded.stderr.strip()})"
        saved.touch(mode=0o600)
        saved.write_text(seeded.stdout)
    return saved.read_text().strip()


def demo_station(server_url: str, server_dir: Path) -> "DemoStation | None":
    """Enroll the demo kiosk and print a fresh access code; None (and why) when that fails."""
    from ui.demo_station import prepare_demo_station, use_demo_station

    credentials = (
        (server_dir / "demo-credentials.txt").read_text()
        if (server_dir / "demo-credentials.txt").exists()
        else ""
    )
    try:
        station = prepare_demo_station(server_url, credentials, data_dir() / "demo-station")
    except (httpx.HTTPError, RuntimeError, StationError) as exc:
        typer.secho(f"The demo kiosk could not be set up ({exc}); opening the station window.", fg="yellow")
        return None
    use_demo_station(station, server_url)
    typer.secho(f"Kiosk access code for a demo candidate: {station.access_code}", fg="green", bold=True)
    typer.echo(f"Staff PIN of the demo kiosk: {station.pin} (open the staff menu with Ctrl+Alt+Shift+S)")
    return station


def run_demo(port: int) -> int:
    server_dir = data_dir() / "demo-server"
    typer.echo(f"Starting the demo server on http://127.0.0.1:{port} (data in {server_dir}) ...")
    server = start_demo_server(port, server_dir)
    os.environ.setdefault("INTERVIEW_STATION_SERVER_URL", f"http://127.0.0.1:{port}")
    try:
        typer.echo(f"Server ready: http://127.0.0.1:{port}/docs")
        typer.echo("Demo sign-in and a candidate access code:")
        typer.echo(demo_credentials(server_dir))
        station = demo_station(f"http://127.0.0.1:{port}", server_dir)
        if not has_display():
            typer.echo("No screen found: the server keeps running. Press Ctrl-C to stop.")
            typer.echo("(On a machine without a desktop, run: xvfb-run ./dev.sh demo)")
            server.wait()
            return 0
        if station is None:
            from ui.app import run_main_window

            return run_main_window()
        from ui.kiosk.app import run_kiosk

        return run_kiosk(windowed=True)
    except KeyboardInterrupt:
        return 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
