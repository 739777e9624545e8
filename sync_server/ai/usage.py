"""Per-organization AI usage per calendar month (UTC), with an optional cap on metered tokens."""

import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import redis

MONTH_SECONDS = 40 * 24 * 3600  # keep a month's counters a little longer than the month


def current_month() -> str:
    return datetime.now(UTC).strftime("%Y-%m")


@dataclass(frozen=True)
class UsageSnapshot:
    month: str
    requests: int
    input_tokens: int
    output_tokens: int

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens


class UsageStore(Protocol):
    def add(self, organization_id: str, month: str, counts: dict[str, int]) -> None: ...
    def read(self, organization_id: str, month: str) -> dict[str, int]: ...


class MemoryUsageStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)

    def add(self, organization_id: str, month: str, counts: dict[str, int]) -> None:
        with self._lock:
            bucket = self._counts[(organization_id, month)]
            for name, value in counts.items():
                bucket[name] = bucket.get(name, 0) + value

    def read(self, organization_id: str, month: str) -> dict[str, int]:
        return dict(self._counts.get((organization_id, month), {}))


class RedisUsageStore:
    def __init__(self, client: "redis.Redis", *, prefix: str) -> None:
        self._redis = client
        self._prefix = f"{prefix}ai:usage:"

    def _key(self, organization_id: str, month: str) -> str:
        return f"{self._prefix}{organization_id}:{month}"

    def add(self, organization_id: str, month: str, counts: dict[str, int]) -> None:
        key = self._key(organization_id, month)
        pipe = self._redis.pipeline()
        for name, value in counts.items():
            pipe.hincrby(key, name, value)
        pipe.expire(key, MONTH_SECONDS)
        pipe.execute()

    def read(self, organization_id: str, month: str) -> dict[str, int]:
        raw = self._redis.hgetall(self._key(organization_id, month))
        return {k.decode(): int(v) for k, v in raw.items()}  # type: ignore[union-attr]


class UsageMeter:
    def __init__(self, store: UsageStore, *, monthly_token_cap: int | None) -> None:
        self._store = store
        self.monthly_token_cap = monthly_token_cap

    def record(self, organization_id: str, *, provider: str, input_tokens: int, output_tokens: int) -> None:
        self._store.add(
            organization_id,
            current_month(),
            {
                "requests": 1,
                "input_tokens": input_tokens,
                "output_tokens": output_tokens,
                f"requests:{provider}": 1,
            },
        )

    def snapshot(self, organization_id: str) -> UsageSnapshot:
        month = current_month()
        counts = self._store.read(organization_id, month)
        return UsageSnapshot(
            month=month,
            requests=counts.get("requests", 0),
            input_tokens=counts.get("input_tokens", 0),
            output_tokens=counts.get("output_tokens", 0),
        )

    def over_cap(self, organization_id: str) -> bool:
        if self.monthly_token_cap is None:
            return False
        return self.snapshot(organization_id).tokens >= self.monthly_token_cap
