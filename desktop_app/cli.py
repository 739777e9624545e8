"""The headless half of `interview-station`: commands that need no window.

The GUI commands are added by `ui.cli`, the real entry point, so this module stays Qt-free.
"""

from typing import Annotated

import typer

from desktop_app import __version__
from desktop_app.errors import StationError

app = typer.Typer(
    name="interview-station",
    help="Interview Station: the kiosk where candidates answer, and the desk where HR reviews.",
    add_completion=False,
)

_MARKS = {"ok": ("ok", "green"), "warn": ("warn", "yellow"), "fail": ("FAIL", "red")}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"interview-station {__version__}")
        raise typer.Exit()


VersionOption = Annotated[
    bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
]


def fail(exc: StationError) -> typer.Exit:
    """Print a station error as a sentence (never a traceback) and return the exit to raise."""
    typer.secho(f"Error: {exc.message}", err=True, fg="red")
    if exc.fix:
        typer.secho(f"Fix: {exc.fix}", err=True)
    return typer.Exit(2)


@app.command()
def doctor(
    camera: Annotated[str | None, typer.Option(help="Camera index or video file to check.")] = None,
) -> None:
    """Check cameras, microphones, speech output and the speech model; exit 1 if a required check fails."""
    from desktop_app.config import load_settings
    from desktop_app.doctor import run_checks

    try:
        settings = load_settings(**({"camera": camera} if camera is not None else {}))
    except StationError as exc:
        raise fail(exc) from None
    blocking = 0
    for finding in run_checks(settings):
        label, colour = _MARKS[finding.status.value]
        typer.secho(f"[{label:>4}] ", fg=colour, nl=False)
        typer.echo(f"{finding.name}: {finding.message}")
        if finding.fix and finding.status.value != "ok":
            typer.echo(f"       fix: {finding.fix}")
        blocking += finding.blocks
    if blocking:
        typer.secho(f"{blocking} required check(s) failed.", fg="red", err=True)
        raise typer.Exit(1)
    typer.secho("This station is ready.", fg="green")
