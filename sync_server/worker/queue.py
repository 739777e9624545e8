"""The job queue on dramatiq: a Redis broker in production (`interview-server worker` processes run the
jobs), an in-memory broker with a worker thread inside the server in embedded mode. Same jobs, same
retries with backoff, same dead-letter list either way."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dramatiq
import structlog
from dramatiq.broker import MessageProxy
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import AgeLimit, Middleware, Retries, ShutdownNotifications, TimeLimit
from sqlalchemy.orm import Session

from sync_server.config import ServerSettings
from sync_server.db import Database
from sync_server.errors import NotFound
from sync_server.worker import registry
from sync_server.worker.dead_letters import record_dead_job
from sync_server.worker.scheduler import Scheduler

log = structlog.get_logger(__name__)

QUEUE_NAME = "default"


class _Context:
    """The JobContext handed to every job."""

    def __init__(self, settings: ServerSettings, database: Database) -> None:
        self.settings = settings
        self._database = database

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._database.session() as session:
            yield session


class _DeadLetterRecorder(Middleware):
    """Keeps a database row for each message that failed every retry (admins list and retry them)."""

    def __init__(self, queue: "JobQueue") -> None:
        self.queue = queue

    def after_nack(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        try:
            with self.queue.database.session() as session:
                record_dead_job(
                    session,
                    message_id=message.message_id,
                    job_name=message.actor_name,
                    arguments=dict(message.kwargs),
                    attempts=int(message.options.get("retries", 0)),
                    error=str(message.options.get("traceback", ""))[-4000:],
                )
        except Exception:
            log.exception("dead_job_not_recorded", job=message.actor_name, message_id=message.message_id)


class JobQueue:
    """Owns the broker, declares every registered job on it, and optionally runs workers in-process."""

    def __init__(self, settings: ServerSettings, database: Database) -> None:
        self.settings = settings
        self.database = database
        self.context = _Context(settings, database)
        middleware: list[Middleware] = [
            AgeLimit(),
            TimeLimit(),
            ShutdownNotifications(),
            Retries(max_retries=5),
            _DeadLetterRecorder(self),
        ]
        self.broker: dramatiq.Broker
        if settings.redis_url:
            self.broker = RedisBroker(  # type: ignore[no-untyped-call]
                url=settings.redis_url,
                namespace=f"{settings.redis_key_prefix}dramatiq",
                middleware=middleware,
            )
        else:
            self.broker = StubBroker(middleware=middleware)
            self.broker.emit_after("process_boot")
        self._actors: dict[str, dramatiq.Actor[Any, Any]] = {}
        self._lock = threading.Lock()
        self._worker: dramatiq.Worker | None = None
        self._scheduler: Scheduler | None = None
        for spec in registry.registered_jobs().values():
            self._declare(spec)
        registry.on_register(self._declare)

    @property
    def job_names(self) -> list[str]:
        return list(self._actors)

    @property
    def in_process(self) -> bool:
        return isinstance(self.broker, StubBroker)

    def _declare(self, spec: registry.JobSpec) -> None:
        with self._lock:
            if spec.name in self._actors:
                return
            context = self.context

            def run(**kwargs: Any) -> None:
                spec.function(context, **kwargs)

            run.__name__ = spec.name.replace(".", "_")
            declare = dramatiq.actor(
                actor_name=spec.name,
                queue_name=QUEUE_NAME,
                broker=self.broker,
                max_retries=spec.max_retries,
                min_backoff=spec.min_backoff_ms,
                max_backoff=spec.max_backoff_ms,
                time_limit=spec.time_limit_ms,
            )
            self._actors[spec.name] = declare(run)

    def enqueue(self, job_name: str, /, *, delay_seconds: float = 0, **kwargs: Any) -> str:
        """Put a job on the queue; returns its message id.

        Raises:
            NotFound: no job of that name is registered.
        """
        actor = self._actors.get(job_name)
        if actor is None:
            raise NotFound(f"No background job named {job_name!r} is registered.")
        message = actor.send_with_options(kwargs=kwargs, delay=int(delay_seconds * 1000) or None)
        return message.message_id

    def start_workers(self, *, threads: int = 2, schedule: bool = True) -> None:
        """Run jobs in this process (the worker command, or the embedded server)."""
        self._worker = dramatiq.Worker(self.broker, worker_threads=threads, worker_timeout=250)
        self._worker.start()
        if schedule:
            self._scheduler = Scheduler(self)
            self._scheduler.start()

    def join(self, timeout_seconds: float = 30) -> None:
        """Wait until the in-memory queue is empty (tests, embedded shutdown)."""
        if isinstance(self.broker, StubBroker):
            self.broker.join(QUEUE_NAME, timeout=int(timeout_seconds * 1000), fail_fast=False)
        if self._worker is not None:
            self._worker.join()

    def stop(self) -> None:
        registry.remove_listener(self._declare)
        if self._scheduler is not None:
            self._scheduler.stop()
            self._scheduler = None
        if self._worker is not None:
            self._worker.stop(timeout=10_000)
            self._worker = None
        self.broker.close()


_current: JobQueue | None = None


def set_current_queue(queue: JobQueue | None) -> None:
    global _current
    _current = queue


def current_queue() -> JobQueue:
    if _current is None:
        raise RuntimeError("the job queue is not running (create the app or start the worker first)")
    return _current


def enqueue(job_name: str, /, *, delay_seconds: float = 0, **kwargs: Any) -> str:
    """Put background job `job_name` on the queue with keyword arguments (JSON-serializable).

    Call it after your transaction committed: the job may start at once in another process.
    """
    return current_queue().enqueue(job_name, delay_seconds=delay_seconds, **kwargs)
