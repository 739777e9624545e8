"""The job registry: domains declare background jobs here, by name, at import time.

    from sync_server.worker import JobContext, job

    @job("candidates.process_cv", max_retries=5)
    def process_cv(ctx: JobContext, *, organization_id: str, candidate_id: str) -> None:
        with ctx.session() as session:
            ...

Arguments are keyword-only and JSON-serializable (ids, not objects): a job may run in another process,
later, more than once (retries; a crash after the work but before the acknowledgement) — make it
idempotent. Jobs that name an `organization_id` argument show up in that organization's dead-letter list.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from sqlalchemy.orm import Session

from sync_server.config import ServerSettings


class JobContext(Protocol):
    """What a running job gets: settings and a database session factory."""

    settings: ServerSettings

    def session(self) -> AbstractContextManager[Session]:
        """A session that commits when the block ends without an error."""
        ...


JobFunction = Callable[..., None]


@dataclass(frozen=True, slots=True)
class JobSpec:
    name: str
    function: JobFunction
    max_retries: int
    min_backoff_ms: int
    max_backoff_ms: int
    time_limit_ms: int
    every: timedelta | None = None


_JOBS: dict[str, JobSpec] = {}
_listeners: list[Callable[[JobSpec], None]] = []


def job(
    name: str,
    *,
    max_retries: int = 5,
    min_backoff: timedelta = timedelta(seconds=5),
    max_backoff: timedelta = timedelta(hours=1),
    time_limit: timedelta = timedelta(minutes=10),
    every: timedelta | None = None,
) -> Callable[[JobFunction], JobFunction]:
    """Register `function(ctx, **kwargs)` as background job `name`.

    Args:
        max_retries: attempts after the first failure; then the job goes to the dead-letter list.
        min_backoff / max_backoff: exponential backoff between attempts (with jitter).
        time_limit: the job is interrupted after this long.
        every: also run it on this schedule (with no arguments) in `interview-server worker`.
    """

    def register(function: JobFunction) -> JobFunction:
        if name in _JOBS and _JOBS[name].function is not function:
            raise ValueError(f"a background job named {name!r} is registered already")
        spec = JobSpec(
            name=name,
            function=function,
            max_retries=max_retries,
            min_backoff_ms=int(min_backoff.total_seconds() * 1000),
            max_backoff_ms=int(max_backoff.total_seconds() * 1000),
            time_limit_ms=int(time_limit.total_seconds() * 1000),
            every=every,
        )
        _JOBS[name] = spec
        for listener in _listeners:
            listener(spec)
        return function

    return register


def registered_jobs() -> dict[str, JobSpec]:
    return dict(_JOBS)


def is_registered(name: str) -> bool:
    return name in _JOBS


def on_register(listener: Callable[[JobSpec], None]) -> None:
    """Called for jobs registered after a queue started (late imports)."""
    _listeners.append(listener)


def remove_listener(listener: Callable[[JobSpec], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def scheduled_jobs() -> Iterator[JobSpec]:
    return (spec for spec in _JOBS.values() if spec.every is not None)
