"""`interview-station run --headless`: a whole interview with no window.

The camera is a device index or a video file; the microphone is a device, or one audio file per
question "spoken" into that answer. Everything lands in the output folder: each answer's media
file, its transcript JSON and metadata (DirectoryAnswerSink), and `summary.json`. The crash
journal lives in the station database, so running the same command again after a crash resumes
at the question that was interrupted.
"""

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app.config import StationSettings
from desktop_app.devices.check import DeviceCheckResult
from desktop_app.errors import ConfigError, StationError
from desktop_app.session.events import SessionEvents, SessionState, StateChange
from desktop_app.session.interview import (
    InterviewSession,
    SessionDevices,
    SessionOptions,
    SessionSummary,
)
from desktop_app.session.journal import SessionJournal
from desktop_app.session.plan import load_plan, plan_fingerprint
from desktop_app.session.station_devices import camera_capture, microphone_capture, station_speaker
from desktop_app.store.directory_sink import DirectoryAnswerSink

DEFAULT_INTERVIEW_ID = "local"


class ConsentRequired(StationError):
    """Headless interviews record a person only when told that consent was given."""


def split_microphone(mic: list[str]) -> tuple[str | None, list[Path] | None]:
    """(device, None) for a microphone device, or (None, files) for one audio file per question.

    Raises:
        ConfigError: a mix of files and devices, or a file that does not exist.
    """
    if not mic:
        return None, None  # the default input device
    if len(mic) == 1 and not _looks_like_file(mic[0]):
        return mic[0], None
    missing = [m for m in mic if not Path(m).is_file()]
    if missing:
        raise ConfigError(
            f"The answer audio file {missing[0]} does not exist.",
            fix="Give --mic once per question with an existing audio file, or once with a microphone name or index.",
        )
    return None, [Path(m) for m in mic]


def _looks_like_file(value: str) -> bool:
    return (
        Path(value).is_file()
        or os.sep in value
        or Path(value).suffix.lower()
        in {
            ".wav",
            ".flac",
            ".mp3",
            ".ogg",
            ".opus",
            ".m4a",
            ".webm",
            ".mp4",
        }
    )


def journal_key_for(interview_id: str, plan_sha256: str, out_dir: Path) -> str:
    """Plans from the server have their own id; a hand-written plan is one interview per output folder."""
    if interview_id != DEFAULT_INTERVIEW_ID:
        return interview_id
    digest = hashlib.sha256(f"{plan_sha256}\0{out_dir.resolve()}".encode()).hexdigest()[:16]
    return f"headless-{digest}"


def run_headless(
    *,
    plan_path: Path,
    camera: str,
    mic: list[str],
    out_dir: Path,
    consent_given: bool,
    settings: StationSettings,
    echo: Callable[[str], None],
) -> SessionSummary:
    """Run (or resume) one interview and write its files under `out_dir`.

    Raises:
        ConsentRequired, PlanError, ConfigError, DeviceError: before anything is recorded.
    """
    if not consent_given:
        raise ConsentRequired(
            "A headless interview records a person, so it runs only with their consent.",
            fix="Pass --consent-given once the candidate has agreed to be recorded.",
        )
    plan = load_plan(plan_path)
    device, scripted = split_microphone(mic)
    if scripted is not None and len(scripted) < len(plan.questions):
        raise ConfigError(
            f"The plan has {len(plan.questions)} questions but {len(scripted)} answer audio file(s) were given.",
            fix="Give --mic once per question, in order.",
        )
    microphone = microphone_capture(settings, device) if scripted is None else None
    capture = camera_capture(settings, camera)
    out_dir.mkdir(parents=True, exist_ok=True)
    journal = SessionJournal.open(settings.station_db_path)
    key = journal_key_for(plan.interview_id, plan_fingerprint(plan), out_dir)
    events = SessionEvents()
    events.state_changed.connect(lambda change: _echo_state(change, echo))
    events.error.connect(lambda error: echo(f"  problem: {error.message}"))
    events.answer_saved.connect(
        lambda answer: echo(
            f"  saved {answer.media_path.name} ({answer.duration_seconds:.1f} s, transcript "
            f"{'ready' if answer.transcript else 'pending'})"
        )
    )
    events.device_check_done.connect(lambda result: _echo_check(result, echo))

    def load_transcriber() -> Any:
        from desktop_app.speech.transcription import Transcriber

        return Transcriber(settings)

    session = InterviewSession(
        plan,
        settings=settings,
        devices=SessionDevices(camera=capture, microphone=microphone, scripted_answers=scripted),
        sink=DirectoryAnswerSink(out_dir),
        journal=journal,
        journal_key=key,
        recordings_dir=out_dir,
        speaker=station_speaker(settings),
        load_transcriber=load_transcriber,
        options=SessionOptions(
            consent_given=True,
            keep_answers_automatically=True,
            device_check_blocks=False,  # reported in the summary; a script has no one to fix things
            device_check_seconds=2.0,
        ),
        events=events,
    )
    try:
        summary = session.run()
        _write_summary(out_dir, summary, journal, key)
    finally:
        journal.close()
    return summary


def _echo_check(result: DeviceCheckResult, echo: Callable[[str], None]) -> None:
    for finding in result.findings:
        echo(f"  check {finding.status.value:>4} {finding.name}: {finding.message}")


def _echo_state(change: StateChange, echo: Callable[[str], None]) -> None:
    if change.state in (SessionState.speaking,) and change.question is not None:
        index = (change.question_index or 0) + 1
        echo(f"Question {index}/{change.question_count} ({change.question.id}): {change.question.text}")
    elif change.state is SessionState.recording:
        echo(f"  recording attempt {change.attempt} of {change.attempts_allowed}")
    elif change.state in (SessionState.device_check, SessionState.finished, SessionState.cancelled):
        echo(f"[{change.state.value}]")


def _write_summary(out_dir: Path, summary: SessionSummary, journal: SessionJournal, key: str) -> None:
    """summary.json: every delivered answer of the interview (including ones from before a resume)."""
    answers = []
    for attempt in journal.all_attempts(key):
        if attempt.status != "delivered":
            continue
        stem = attempt.media_path.stem
        answers.append(
            {
                "answer_id": attempt.answer_id,
                "question_id": attempt.question_id,
                "attempt": attempt.attempt,
                "media_file": attempt.media_path.name,
                "transcript_file": f"{stem}.transcript.json" if attempt.transcript else None,
                "transcript_status": "done" if attempt.transcript else "pending",
                "duration_seconds": attempt.duration_seconds,
                "error": attempt.error,
                "metrics": attempt.metrics,
            }
        )
    check = summary.device_check
    data = {
        "interview_id": summary.interview_id,
        "status": summary.status,
        "resumed_at_question": summary.resumed_at_question,
        "device_check": [
            {"name": f.name, "status": f.status.value, "message": f.message, "fix": f.fix}
            for f in (check.findings if check else [])
        ],
        "answers": answers,
        "errors": summary.errors,
    }
    path = out_dir / "summary.json"
    tmp = path.with_name("summary.json.part")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    os.replace(tmp, path)
