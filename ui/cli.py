"""Entry point of `interview-station`: the headless commands plus the windows."""

from typing import Annotated

import typer

from desktop_app.cli import VersionOption, app
from desktop_app.memory import limit_malloc_arenas


@app.callback(invoke_without_command=True)
def root(ctx: typer.Context, version: VersionOption = False) -> None:
    """Without a command, open the station window."""
    if ctx.invoked_subcommand is None:
        from ui.app import run_main_window

        raise typer.Exit(run_main_window())


@app.command()
def kiosk(
    windowed: Annotated[
        bool,
        typer.Option("--windowed", help="A normal window instead of locked-down full screen (for setup)."),
    ] = False,
) -> None:
    """Open the full-screen candidate kiosk (staff leave it with Ctrl+Alt+Shift+S and the PIN)."""
    from ui.kiosk.app import run_kiosk

    raise typer.Exit(run_kiosk(windowed=windowed))


@app.command()
def demo(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port for the local server.")] = 8765,
) -> None:
    """Start a local server (embedded SQLite) and open the station against it."""
    from ui.demo import run_demo

    raise typer.Exit(run_demo(port))


ServerOption = Annotated[
    str | None, typer.Option("--server", help="Server address (default: the station's server_url setting).")
]
EmailOption = Annotated[str | None, typer.Option("--email", help="Pre-fill the sign-in email.")]


@app.command()
def review(server: ServerOption = None, email: EmailOption = None) -> None:
    """Open the review desk (HR): jobs, candidates, invites, pipeline, interview review, compare, export."""
    from ui.review.app import run_desk

    raise typer.Exit(run_desk(mode="review", server_url=server, email=email))


@app.command()
def admin(server: ServerOption = None, email: EmailOption = None) -> None:
    """Open the desk on its admin screens: users, stations, settings, audit log."""
    from ui.review.app import run_desk

    raise typer.Exit(run_desk(mode="admin", server_url=server, email=email))


def main() -> None:
    limit_malloc_arenas()  # before any thread exists: a kiosk runs for days (desktop_app/memory.py)
    app()
