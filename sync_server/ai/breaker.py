"""A circuit breaker per provider: stop calling a provider that keeps failing, try again after a pause.

The state lives in Redis when the server has one, so every process and host sees the same breaker;
otherwise it lives in this process.
"""

import threading
import time
from typing import Protocol

import redis


class BreakerStore(Protocol):
    def failures(self, provider: str) -> int: ...
    def add_failure(self, provider: str, *, window_seconds: float) -> int: ...
    def reset(self, provider: str) -> None: ...
    def open_until(self, provider: str) -> float: ...
    def open(self, provider: str, *, until: float) -> None: ...
    def claim_trial(self, provider: str, *, hold_seconds: float) -> bool: ...


class MemoryBreakerStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._open_until: dict[str, float] = {}
        self._trial_until: dict[str, float] = {}

    def failures(self, provider: str) -> int:
        return self._failures.get(provider, 0)

    def add_failure(self, provider: str, *, window_seconds: float) -> int:
        with self._lock:
            self._failures[provider] = self._failures.get(provider, 0) + 1
            return self._failures[provider]

    def reset(self, provider: str) -> None:
        with self._lock:
            self._failures.pop(provider, None)
            self._open_until.pop(provider, None)
            self._trial_until.pop(provider, None)

    def open_until(self, provider: str) -> float:
        return self._open_until.get(provider, 0.0)

    def open(self, provider: str, *, until: float) -> None:
        with self._lock:
            self._open_until[provider] = until

    def claim_trial(self, provider: str, *, hold_seconds: float) -> bool:
        with self._lock:
            now = time.time()
            if self._trial_until.get(provider, 0.0) > now:
                return False
            self._trial_until[provider] = now + hold_seconds
            return True


class RedisBreakerStore:
    def __init__(self, client: "redis.Redis", *, prefix: str) -> None:
        self._redis = client
        self._prefix = f"{prefix}ai:breaker:"

    def _key(self, provider: str, part: str) -> str:
        return f"{self._prefix}{provider}:{part}"

    def failures(self, provider: str) -> int:
        raw = self._redis.get(self._key(provider, "failures"))
        return int(raw) if raw is not None else 0

    def add_failure(self, provider: str, *, window_seconds: float) -> int:
        key = self._key(provider, "failures")
        pipe = self._redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, max(1, int(window_seconds)))
        count, _ = pipe.execute()
        return int(count)

    def reset(self, provider: str) -> None:
        self._redis.delete(
            self._key(provider, "failures"), self._key(provider, "open_until"), self._key(provider, "trial")
        )

    def open_until(self, provider: str) -> float:
        raw = self._redis.get(self._key(provider, "open_until"))
        return float(raw) if raw is not None else 0.0

    def open(self, provider: str, *, until: float) -> None:
        self._redis.set(self._key(provider, "open_until"), repr(until))

    def claim_trial(self, provider: str, *, hold_seconds: float) -> bool:
        claimed = self._redis.set(
            self._key(provider, "trial"), "1", nx=True, px=max(1, int(hold_seconds * 1000))
        )
        return bool(claimed)


class CircuitBreaker:
    """Closed -> (threshold consecutive failures) -> open for `cooldown` -> half-open: one trial call."""

    def __init__(self, store: BreakerStore, *, threshold: int, cooldown_seconds: float) -> None:
        self._store = store
        self.threshold = threshold
        self.cooldown_seconds = cooldown_seconds

    def state(self, provider: str) -> str:
        until = self._store.open_until(provider)
        if until == 0.0:
            return "closed"
        return "open" if time.time() < until else "half-open"

    def allow(self, provider: str) -> bool:
        state = self.state(provider)
        if state == "closed":
            return True
        if state == "open":
            return False
        # Half-open: exactly one caller (across processes with Redis) gets to try.
        return self._store.claim_trial(provider, hold_seconds=self.cooldown_seconds)

    def record_success(self, provider: str) -> None:
        if self._store.failures(provider) or self._store.open_until(provider):
            self._store.reset(provider)

    def record_failure(self, provider: str) -> None:
        count = self._store.add_failure(provider, window_seconds=self.cooldown_seconds * 10)
        if count >= self.threshold or self.state(provider) == "half-open":
            self._store.open(provider, until=time.time() + self.cooldown_seconds)
