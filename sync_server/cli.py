"""`interview-server`: run and administer the sync server."""

from typing import Annotated

import typer
from pydantic import ValidationError

from sync_server import __version__
from sync_server.config import ServerSettings

app = typer.Typer(
    name="interview-server",
    help="Interview Station sync server: API for stations and the review desk.",
    no_args_is_help=True,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"interview-server {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Interview Station sync server."""


def _settings() -> "ServerSettings":

    try:
        return ServerSettings()
    except ValidationError as exc:
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "settings"
            typer.secho(
                f"Configuration error in {field}: {err['msg'].removeprefix('Value error, ')}",
                err=True,
                fg="red",
            )
        raise typer.Exit(2) from None


@app.command()
def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision (default: latest).")] = "head",
) -> None:
    """Apply database migrations (creates the SQLite file in embedded mode)."""
    from sync_server import migrate as migrations
    from sync_server.db import build_engine

    settings = _settings()
    engine = build_engine(settings)
    try:
        migrations.upgrade(engine, revision)
        typer.echo(f"database at revision {migrations.current_revision(engine)}")
    finally:
        engine.dispose()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default from settings).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from settings).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    migrate_first: Annotated[
        bool, typer.Option("--migrate/--no-migrate", help="Apply migrations before serving.")
    ] = True,
) -> None:
    """Start the HTTP API."""
    import uvicorn

    settings = _settings()
    if migrate_first:
        migrate()
    uvicorn.run(
        "sync_server.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level=settings.log_level,
        proxy_headers=True,
    )


def main() -> None:
    app()
