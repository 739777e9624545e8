"""`interview-server`: run and administer the sync server."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from pydantic import ValidationError

from sync_server import __version__
from sync_server.config import ServerSettings
from sync_server.errors import NotFound, ServerError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

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
    fd: Annotated[
        int | None,
        typer.Option(
            "--fd",
            min=0,
            help="Serve on this already bound listening socket (a file descriptor handed over by the "
            "process that started the server; POSIX only). Instead of --host and --port.",
        ),
    ] = None,
    exit_with_parent: Annotated[
        bool,
        typer.Option(
            "--exit-with-parent",
            help="Stop when standard input reaches its end: the starting process holds a pipe to it, "
            "so the server ends with that process however it ends.",
        ),
    ] = False,
) -> None:
    """Start the HTTP API."""
    import uvicorn

    if fd is not None and (host is not None or port is not None):
        typer.secho(
            "--fd serves on a socket that is already bound: leave out --host and --port.", err=True, fg="red"
        )
        raise typer.Exit(2)
    settings = _settings()
    if exit_with_parent:
        from sync_server.lifeline import exit_when_stdin_closes

        exit_when_stdin_closes()
    if workers > 1 and not settings.redis_url:
        typer.secho(
            "Several workers without REDIS_URL: each keeps its own rate limits, cache and job thread. "
            "Set REDIS_URL to share them.",
            err=True,
            fg="yellow",
        )
    if migrate_first:
        migrate()
    uvicorn.run(
        "sync_server.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        fd=fd,
        workers=workers,
        log_level=settings.log_level,
        proxy_headers=True,
    )


@contextmanager
def _database_session() -> Iterator["Session"]:
    """A session on the configured database (migrated first), committed on success."""
    from sync_server import migrate as migrations
    from sync_server.db import Database

    settings = _settings()
    database = Database(settings)
    try:
        migrations.upgrade(database.engine, "head")
        with database.session() as session:
            yield session
    finally:
        database.dispose()


def _fail(exc: ServerError) -> NoReturn:
    typer.secho(exc.detail, err=True, fg="red")
    raise typer.Exit(1)


def _organization_id(session: "Session", slug_or_id: str) -> str:
    from sqlalchemy import or_, select

    from sync_server.models import Organization

    org_id = session.scalar(
        select(Organization.id).where(or_(Organization.slug == slug_or_id, Organization.id == slug_or_id))
    )
    if org_id is None:
        _fail(NotFound(f"No organization with slug or id '{slug_or_id}'."))
    return org_id


@app.command("create-org")
def create_org(
    name: Annotated[str, typer.Argument(help="The organization's display name.")],
    slug: Annotated[str | None, typer.Option(help="Short unique name (default: from the name).")] = None,
) -> None:
    """Create an organization (tenant)."""
    from sync_server.organizations import service

    try:
        with _database_session() as session:
            org = service.create_organization(session, name=name, slug=slug)
            typer.echo(f"organization {org.slug} ({org.id})")
    except ServerError as exc:
        _fail(exc)


@app.command("create-user")
def create_user(
    organization: Annotated[str, typer.Option("--org", help="Organization slug or id.")],
    email: Annotated[str, typer.Option(help="Sign-in email.")],
    role: Annotated[str, typer.Option(help="admin or hr.")] = "hr",
    full_name: Annotated[str, typer.Option(help="Display name.")] = "",
    password: Annotated[
        str | None,
        typer.Option(help="Initial password (asked for when omitted; never echoed).", show_default=False),
    ] = None,
) -> None:
    """Create a user who signs in to the review desk."""
    from sync_server.contract import Role
    from sync_server.organizations import service

    if role not in {r.value for r in Role}:
        typer.secho("--role must be admin or hr", err=True, fg="red")
        raise typer.Exit(2)
    secret = password or typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with _database_session() as session:
            org_id = _organization_id(session, organization)
            user = service.create_user(
                session,
                organization_id=org_id,
                email=email,
                password=secret,
                role=Role(role),
                full_name=full_name,
            )
            typer.echo(f"user {user.email} ({user.role}, {user.id})")
    except ServerError as exc:
        _fail(exc)


@app.command("station-code")
def station_code(
    organization: Annotated[str, typer.Option("--org", help="Organization slug or id.")],
    name: Annotated[str, typer.Option(help="The station's name, e.g. 'Lobby kiosk'.")],
    expires_in_minutes: Annotated[int, typer.Option(min=5, max=7 * 24 * 60)] = 60,
) -> None:
    """Issue a one-time enrollment code for a new station."""
    from sync_server.stations import service

    settings = _settings()
    try:
        with _database_session() as session:
            org_id = _organization_id(session, organization)
            row, code = service.issue_enrollment_code(
                session,
                settings,
                organization_id=org_id,
                station_name=name,
                expires_in_minutes=expires_in_minutes,
                actor=("system", None),
            )
            typer.echo(
                f"enrollment code for '{row.station_name}': {code} (valid until {row.expires_at:%Y-%m-%d %H:%M} UTC)"
            )
    except ServerError as exc:
        _fail(exc)


@app.command()
def worker(
    threads: Annotated[
        int, typer.Option(min=1, max=64, help="Jobs run at the same time in this process.")
    ] = 4,
    schedule: Annotated[
        bool, typer.Option("--schedule/--no-schedule", help="Also enqueue scheduled jobs when they are due.")
    ] = True,
) -> None:
    """Run background jobs from the Redis queue (retries with backoff; failures go to the dead-letter list)."""
    import signal
    import threading

    from sync_server.db import Database
    from sync_server.logging import configure_logging
    from sync_server.worker import JobQueue, set_current_queue
    from sync_server.worker.modules import import_job_modules

    settings = _settings()
    if not settings.redis_url:
        typer.secho(
            "The worker needs REDIS_URL. Without it (embedded mode) `interview-server serve` runs the jobs itself.",
            err=True,
            fg="red",
        )
        raise typer.Exit(2)
    configure_logging(level=settings.log_level, json=settings.log_json)
    import_job_modules()
    database = Database(settings)
    queue = JobQueue(settings, database)
    set_current_queue(queue)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    queue.start_workers(threads=threads, schedule=schedule)
    typer.echo(f"worker running {threads} threads; jobs: {', '.join(sorted(queue.job_names))}")
    try:
        stop.wait()
    finally:
        queue.stop()
        database.dispose()


@app.command()
def purge(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only list what would be erased; change nothing.")
    ] = False,
    organization: Annotated[
        str | None, typer.Option("--org", help="Only this organization (slug or id).")
    ] = None,
) -> None:
    """Erase candidates past their organization's retention period (settings: retention_days), and
    finish erasures a storage failure left incomplete. The worker does this every hour."""
    from sync_server.candidates.retention import purge as run_purge
    from sync_server.logging import configure_logging
    from sync_server.storage import build_storage

    settings = _settings()
    configure_logging(level="warning", json=settings.log_json)  # stdout is for the person reading
    with _database_session() as session:
        org_id = _organization_id(session, organization) if organization else None
        report = run_purge(
            session, settings, build_storage(settings), organization_id=org_id, dry_run=dry_run
        )
    if dry_run:
        for due in report.due:
            typer.echo(
                f"would erase candidate {due.candidate_id} of {due.organization_slug}: "
                f"interviews ended more than {due.retention_days} days ago"
            )
        for _, candidate_id in report.unfinished:
            typer.echo(f"would finish the erasure of candidate {candidate_id} (files or vectors left)")
        typer.echo(
            f"dry run: {len(report.due)} to erase, {len(report.unfinished)} to finish; nothing was changed"
        )
        return
    for outcome in report.erased:
        verb = "finished erasing" if outcome.already_erased else "erased"
        typer.echo(f"{verb} candidate {outcome.candidate_id}: {outcome.files_deleted} files deleted")
    for candidate_id, problem in report.failed:
        typer.secho(f"candidate {candidate_id}: {problem}", err=True, fg="red")
    done = sum(1 for o in report.erased if o.complete)
    typer.echo(f"purge: {done} erased, {len(report.failed)} incomplete")
    if report.failed:
        raise typer.Exit(1)


@app.command()
def erase(
    organization: Annotated[str, typer.Option("--org", help="Organization slug or id.")],
    candidate: Annotated[str, typer.Option("--candidate", help="The candidate's id.")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log without the name or email).")],
) -> None:
    """Erase one candidate now (right to erasure), as POST /api/v1/candidates/{id}/erase does."""
    from sync_server.audit.service import SYSTEM_ACTOR
    from sync_server.candidates.erasure import erase_candidate
    from sync_server.contract import CandidateErase
    from sync_server.logging import configure_logging
    from sync_server.storage import build_storage

    settings = _settings()
    configure_logging(level="warning", json=settings.log_json)
    try:
        checked = CandidateErase(reason=reason)
    except ValidationError:
        typer.secho("--reason must say in a few words why (3 to 500 characters).", err=True, fg="red")
        raise typer.Exit(2) from None
    try:
        with _database_session() as session:
            org_id = _organization_id(session, organization)
            outcome = erase_candidate(
                session,
                settings,
                build_storage(settings),
                organization_id=org_id,
                candidate_id=candidate,
                reason=checked.reason,
                actor=SYSTEM_ACTOR,
            )
    except ServerError as exc:
        _fail(exc)
    if not outcome.complete:
        typer.secho(outcome.leftover_sentence(), err=True, fg="red")
        raise typer.Exit(1)
    already = " (it was erased before; this finished it)" if outcome.already_erased else ""
    typer.echo(f"erased candidate {outcome.candidate_id}: {outcome.files_deleted} files deleted{already}")


@app.command("demo-seed")
def demo_seed() -> None:
    """Create a demo organization with an admin, an HR user, a job, questions, a candidate and an invite."""
    from sync_server.demo import seed_demo

    settings = _settings()
    try:
        with _database_session() as session:
            result = seed_demo(session, settings)
    except ServerError as exc:
        _fail(exc)
    typer.echo(result.describe())


def main() -> None:
    app()
