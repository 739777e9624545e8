"""The headless half of `interview-station`: commands that need no window.

The GUI commands are added by `ui.cli`, the real entry point, so this module stays Qt-free.
"""

from pathlib import Path
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


@app.command()
def enroll(
    server: Annotated[
        str, typer.Option(help="The sync server's address, e.g. https://interviews.example.org")
    ],
    code: Annotated[str, typer.Option(help="The one-time enrollment code an admin created.")],
) -> None:
    """Enroll this station with a sync server (once); the credential is kept in the data folder."""
    from desktop_app.config import load_settings
    from desktop_app.sync.client import enroll as enroll_station
    from desktop_app.sync.identity import save_identity

    try:
        settings = load_settings()
        identity = enroll_station(server, code)
    except StationError as exc:
        raise fail(exc) from None
    save_identity(settings.identity_file, identity)
    typer.secho(
        f"Enrolled as station {identity.station_name!r} of {identity.organization_name} at {identity.server_url}.",
        fg="green",
    )


@app.command()
def sync(
    once: Annotated[
        bool, typer.Option("--once", help="One delivery pass, then exit (1 if anything is left).")
    ] = False,
) -> None:
    """Send waiting answers to the sync server; runs until interrupted (Ctrl+C)."""
    import signal
    import threading
    from datetime import timedelta

    from desktop_app.config import load_settings
    from desktop_app.store.local_retention import LocalRetention
    from desktop_app.store.outbox import Outbox
    from desktop_app.sync.client import station_client
    from desktop_app.sync.identity import load_identity
    from desktop_app.sync.loop import Backoff, SyncLoop

    try:
        settings = load_settings()
        identity = load_identity(settings.identity_file)
        outbox = Outbox.open(
            settings.station_db_path, retention=timedelta(days=settings.media_retention_days)
        )
        local_retention = LocalRetention.open(settings)
    except StationError as exc:
        raise fail(exc) from None
    with station_client(identity) as client:
        loop = SyncLoop(
            outbox,
            client,
            chunk_size=settings.sync_chunk_bytes,
            backoff=Backoff(cap=settings.sync_backoff_max_seconds),
            on_problem=lambda exc: typer.secho(f"Problem: {exc}", err=True, fg="yellow"),
            local_retention=local_retention,
        )
        if once:
            try:
                report = loop.run_once()
            except StationError as exc:
                raise fail(exc) from None
            counts = outbox.counts()
            typer.echo(
                f"sent {report.answers_delivered} answer(s), {report.transcripts_delivered} transcript(s); "
                f"{counts.waiting} waiting, {counts.rejected} refused by the server"
            )
            raise typer.Exit(1 if counts.waiting or counts.rejected else 0)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        typer.echo(f"Sending answers to {identity.server_url} (Ctrl+C stops).")
        try:
            loop.run(stop)
        except KeyboardInterrupt:
            stop.set()


@app.command("purge-local")
def purge_local(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only list what would be removed; change nothing.")
    ] = False,
) -> None:
    """Remove the personal data of interviews the server has had for longer than media_retention_days.

    The sync loop does this after every pass; nothing the server has not confirmed is ever removed.
    """
    from desktop_app.config import load_settings
    from desktop_app.store.local_retention import LocalRetention

    try:
        settings = load_settings()
        retention = LocalRetention.open(settings)
    except StationError as exc:
        raise fail(exc) from None
    try:
        report = retention.purge(dry_run=dry_run)
    finally:
        retention.close()
    verb = "would be removed" if dry_run else "removed"
    for interview_id in report.interviews:
        typer.echo(f"  interview {interview_id}: transcripts, plan, journal details and recordings {verb}")
    for answer_id in report.erased_answers:
        typer.echo(f"  answer {answer_id} (candidate erased on the server): recording and transcript {verb}")
    typer.echo(
        f"{len(report.interviews)} interview(s) and {len(report.erased_answers)} refused answer(s); "
        f"{len(report.files)} file(s) {verb}."
    )


@app.command("transcribe-pending")
def transcribe_pending_answers(
    force: Annotated[
        bool,
        typer.Option("--force", help="Run even though the kiosk has an interview in progress."),
    ] = False,
) -> None:
    """Transcribe answers stored while their transcript was pending; the sync loop then sends them."""
    from datetime import timedelta

    from desktop_app.config import load_settings
    from desktop_app.speech.pending_transcripts import transcribe_pending
    from desktop_app.speech.transcription import Transcriber
    from desktop_app.store.active_interview import kiosk_active_interview_file
    from desktop_app.store.outbox import Outbox, UntranscribedAnswer

    try:
        settings = load_settings()
        outbox = Outbox.open(
            settings.station_db_path, retention=timedelta(days=settings.media_retention_days)
        )
    except StationError as exc:
        raise fail(exc) from None
    try:
        waiting = outbox.answers_without_transcript()
        if not waiting:
            typer.echo("No answers are waiting for a transcript.")
            return
        if not force and kiosk_active_interview_file(settings.data_dir).exists():
            typer.secho(
                "The kiosk has an interview in progress: transcribing now would take the CPU its "
                "recording needs. Run this again after the interview (or with --force).",
                err=True,
                fg="yellow",
            )
            raise typer.Exit(1)
        typer.echo(f"{len(waiting)} answer(s) waiting for a transcript; loading the speech model ...")
        try:
            transcriber = Transcriber(settings)
        except StationError as exc:
            raise fail(exc) from None

        def tell(answer: UntranscribedAnswer, problem: str | None) -> None:
            what = f"answer {answer.answer_id} (question {answer.question_id}, attempt {answer.attempt})"
            if problem is None:
                typer.secho(f"  transcribed {what}", fg="green")
            else:
                typer.secho(f"  failed {what}: {problem}", fg="red")

        report = transcribe_pending(outbox, transcriber, on_answer=tell)
        if report.model_problem:
            typer.secho(f"The speech model failed: {report.model_problem}", err=True, fg="red")
        typer.echo(
            f"{len(report.transcribed)} transcribed, {len(report.failed)} failed for good, "
            f"{report.left} still pending. The sync loop (the kiosk, or `interview-station sync`) "
            "sends the new transcripts."
        )
        if report.model_problem or report.left:
            raise typer.Exit(1)
    finally:
        outbox.close()


@app.command(name="run")
def run_interview(
    plan: Annotated[Path, typer.Option(help="Interview plan JSON (a file holding only `questions` works).")],
    out: Annotated[Path, typer.Option(help="Folder for the answers' media, transcripts and summary.json.")],
    camera: Annotated[
        str, typer.Option(help="Camera index, or a video file standing in for the camera.")
    ] = "0",
    mic: Annotated[
        list[str] | None,
        typer.Option(
            help="Microphone name or index; or one audio file per question (repeat --mic), "
            "each played into its answer as if spoken."
        ),
    ] = None,
    headless: Annotated[bool, typer.Option("--headless", help="Run without a window (required).")] = False,
    consent_given: Annotated[
        bool, typer.Option("--consent-given", help="The candidate has agreed to be recorded.")
    ] = False,
) -> None:
    """Run (or resume after a crash) a whole interview without a window."""
    import logging

    from desktop_app.config import load_settings
    from desktop_app.session.headless import run_headless

    # Problems the session works around (no speaker: questions as text) print as one line each.
    logging.basicConfig(level=logging.WARNING, format="  note: %(message)s")
    if not headless:
        typer.secho(
            "Error: `run` needs --headless; the kiosk window is started with `interview-station kiosk`.",
            err=True,
            fg="red",
        )
        raise typer.Exit(2)
    try:
        settings = load_settings()
        summary = run_headless(
            plan_path=plan,
            camera=camera,
            mic=mic or [],
            out_dir=out,
            consent_given=consent_given,
            settings=settings,
            echo=typer.echo,
        )
    except StationError as exc:
        raise fail(exc) from None
    if summary.status == "already_finished":
        typer.secho(f"This interview was already completed; its answers are in {out}.", fg="green")
        return
    if summary.resumed_at_question is not None:
        typer.echo(f"(resumed at question {summary.resumed_at_question + 1})")
    if summary.status != "finished":
        typer.secho(f"The interview did not finish ({summary.status}).", err=True, fg="red")
        raise typer.Exit(1)
    typer.secho(f"Interview finished: {len(summary.answers)} answer(s) written to {out}.", fg="green")


@app.command("set-pin")
def set_pin(
    pin: Annotated[
        str | None,
        typer.Option(help="The new PIN (asked for when omitted; never echoed).", show_default=False),
    ] = None,
) -> None:
    """Set the staff PIN that unlocks the kiosk (stored only as a salted scrypt hash)."""
    from desktop_app.config import save_settings_values
    from desktop_app.staff_pin import hash_pin

    secret = pin or typer.prompt("New staff PIN (4-12 digits)", hide_input=True, confirmation_prompt=True)
    try:
        path = save_settings_values({"staff_pin_hash": hash_pin(secret)})
    except StationError as exc:
        raise fail(exc) from None
    typer.secho(f"Staff PIN saved (hashed) in {path}.", fg="green")
