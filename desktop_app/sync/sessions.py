"""Opening a candidate's interview: the access code they typed -> the interview plan, from the server.

This is the one call the kiosk makes while a candidate waits, so its errors say exactly what the
candidate can do: check the code (wrong), ask staff for a new one (used, expired), wait (locked), or
ask staff because the station is offline (the plan lives on the server until a code opens it).
Progress reports (consent given or declined, interview finished) go through the outbox, so they
survive a network outage and a restart.
"""

import uuid
from datetime import datetime
from enum import StrEnum

import httpx
import structlog
from pydantic import ValidationError

from desktop_app.store.outbox import Outbox
from desktop_app.sync.client import API, server_says
from desktop_app.sync.errors import ServerUnreachable, SyncError
from sync_server.contract import InterviewPlan
from sync_server.contract.timestamps import EARLIEST_REPORTED_TIME

log = structlog.get_logger(__name__)


class CodeProblem(StrEnum):
    wrong = "wrong"
    used = "used"
    expired = "expired"
    locked = "locked"  # too many wrong codes from this station


class AccessCodeRefused(SyncError):
    """The server refused the access code; `problem` says why."""

    def __init__(self, message: str, *, problem: CodeProblem, fix: str | None = None) -> None:
        super().__init__(message, fix=fix)
        self.problem = problem


_PROBLEMS = {
    404: (
        CodeProblem.wrong,
        "That access code is not valid.",
        "Check it against your invitation and try again.",
    ),
    409: (
        CodeProblem.used,
        "That access code was used already.",
        "Please ask a member of staff for a new one.",
    ),
    410: (
        CodeProblem.expired,
        "That access code has expired.",
        "Please ask a member of staff for a new one.",
    ),
    429: (CodeProblem.locked, "Too many wrong access codes were tried at this station.", None),
}


def open_interview(client: httpx.Client, access_code: str) -> InterviewPlan:
    """Exchange an access code for the interview plan (the server spends the code).

    Raises:
        AccessCodeRefused: wrong, used, expired, or too many tries.
        ServerUnreachable: no network or server; nothing was spent.
        SyncError: the station's credential is refused, or the server sent something unreadable.
    """
    try:
        response = client.post(f"{API}/station/sessions", json={"access_code": access_code})
    except httpx.TransportError:
        raise ServerUnreachable(
            "This station cannot reach the interview server right now.",
            fix="Please ask a member of staff to check the network connection.",
        ) from None
    if response.status_code in _PROBLEMS:
        problem, message, fix = _PROBLEMS[response.status_code]
        if problem is CodeProblem.locked:
            fix = f"{server_says(response)} If you need help, ask a member of staff."
        raise AccessCodeRefused(message, problem=problem, fix=fix)
    if response.status_code == 401:
        raise SyncError(
            "This station is not allowed to open interviews any more.",
            fix="Please ask a member of staff: the station must be enrolled again.",
        )
    if not response.is_success:
        raise ServerUnreachable(
            f"The interview server could not open the interview ({server_says(response)}).",
            fix="Please try again in a moment, or ask a member of staff.",
        )
    try:
        return InterviewPlan.model_validate_json(response.content)
    except ValidationError:
        raise SyncError(
            "The interview server sent an interview this station cannot read.",
            fix="Please ask a member of staff; the station may need an update.",
        ) from None


def fetch_plan(client: httpx.Client, interview_id: str) -> InterviewPlan:
    """The plan of an interview this station opened before (after a restart)."""
    try:
        response = client.get(f"{API}/station/interviews/{interview_id}/plan")
    except httpx.TransportError:
        raise ServerUnreachable("This station cannot reach the interview server right now.") from None
    if not response.is_success:
        raise SyncError(f"The interview plan could not be fetched again ({server_says(response)}).")
    return InterviewPlan.model_validate_json(response.content)


def queue_consent_given(
    outbox: Outbox, *, interview_id: str, consent_version: str, people_only: bool, at: datetime
) -> None:
    """Tell the server (when it can be reached) that the candidate consented, and whether they asked to
    be evaluated by people only (then no AI on the server sees their answers).

    Queued before any answer is recorded, and the outbox delivers in that order, so the server knows
    the choice before the first transcript could be scored.
    """
    body: dict[str, object] = {
        "status": "in_progress",
        "consent_version": consent_version,
        "people_only": people_only,
    }
    _queue_progress(outbox, interview_id, body | _moment("consent_given_at", at))


def queue_consent_declined(outbox: Outbox, *, interview_id: str, at: datetime) -> None:
    """The candidate did not consent: the server closes the interview as declined (nothing was recorded)."""
    _queue_progress(outbox, interview_id, {"status": "declined"} | _moment("declined_at", at))


def queue_interview_completed(outbox: Outbox, *, interview_id: str) -> None:
    _queue_progress(outbox, interview_id, {"status": "completed"})


# The moments a progress report takes from the station's clock (see `_moment`).
STATION_TIME_FIELDS = ("consent_given_at", "declined_at")


def without_station_time(body: dict[str, object]) -> dict[str, object] | None:
    """`body` without the station's clock readings, or None when it holds none.

    The server also refuses a time more than a day past its own clock, which the station cannot
    know when it queues the report: the report is then sent again without it (see sync.loop), so
    consent and the people-only choice still arrive, timed by the server."""
    if not any(name in body for name in STATION_TIME_FIELDS):
        return None
    return {name: value for name, value in body.items() if name not in STATION_TIME_FIELDS}


def _moment(field: str, at: datetime) -> dict[str, object]:
    """`{field: at}`, or nothing when the station's clock is plainly wrong (a dead clock battery reads
    1970): the server refuses such a time, and then would never learn the consent or the people-only
    choice; without it the server notes when the report arrived."""
    if at.tzinfo is None or at < EARLIEST_REPORTED_TIME:
        log.warning("station_clock_implausible", field=field, station_time=at.isoformat())
        return {}
    return {field: at.isoformat()}


def _queue_progress(outbox: Outbox, interview_id: str, body: dict[str, object]) -> None:
    outbox.add_post(
        str(uuid.uuid4()), f"{API}/station/interviews/{interview_id}/progress", body, method="POST"
    )
