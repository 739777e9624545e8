"""Scheduled jobs: each worker process ticks, and the first one to claim a time slot enqueues the job.

The claim is a Redis `SET NX` with the slot in the key (so several workers never double-run a slot);
embedded mode has one process and claims in memory.
"""

import threading
import time
from typing import TYPE_CHECKING

import redis
import structlog

from sync_server.worker import registry

if TYPE_CHECKING:
    from sync_server.worker.queue import JobQueue

log = structlog.get_logger(__name__)

TICK_SECONDS = 5.0


class Scheduler:
    def __init__(self, queue: "JobQueue") -> None:
        self.queue = queue
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="job-scheduler", daemon=True)
        self._claimed: dict[str, int] = {}
        self._redis = (
            redis.Redis.from_url(queue.settings.redis_url, socket_timeout=5)
            if queue.settings.redis_url
            else None
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        if self._redis is not None:
            self._redis.close()

    def _claim(self, name: str, slot: int, period_seconds: float) -> bool:
        key = f"{self.queue.settings.redis_key_prefix}schedule:{name}:{slot}"
        if self._redis is None:
            if self._claimed.get(name) == slot:
                return False
            self._claimed[name] = slot
            return True
        return bool(self._redis.set(key, b"1", nx=True, ex=max(1, int(period_seconds * 2))))

    def tick(self, now: float | None = None) -> list[str]:
        """Enqueue every scheduled job whose current slot nobody claimed yet; returns their names."""
        now = time.time() if now is None else now
        started = []
        for spec in registry.scheduled_jobs():
            assert spec.every is not None
            period = spec.every.total_seconds()
            slot = int(now // period)
            try:
                if self._claim(spec.name, slot, period):
                    self.queue.enqueue(spec.name)
                    started.append(spec.name)
            except redis.RedisError as exc:
                log.warning("schedule_claim_failed", job=spec.name, error=str(exc))
        return started

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:
                log.exception("scheduler_tick_failed")
            self._stop.wait(TICK_SECONDS)
