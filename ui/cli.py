"""Entry point of `interview-station`: the headless commands plus the windows."""

from typing import Annotated

import typer

from desktop_app.cli import VersionOption, app


@app.callback(invoke_without_command=True)
def root(ctx: typer.Context, version: VersionOption = False) -> None:
    """Without a command, open the station window."""
    if ctx.invoked_subcommand is None:
        from ui.app import run_main_window

        raise typer.Exit(run_main_window())


@app.command()
def demo(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port for the local server.")] = 8765,
) -> None:
    """Start a local server (embedded SQLite) and open the station against it."""
    from ui.demo import run_demo

    raise typer.Exit(run_demo(port))


def main() -> None:
    app()
