"""Rate limits on the `limits` library: Redis storage when REDIS_URL is set (shared by every server
process), process memory otherwise. Keys never contain emails or codes, only their hashes."""

import hashlib
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import structlog
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter, RateLimiter

from sync_server.config import ServerSettings
from sync_server.errors import ServiceUnavailable, TooManyRequests

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Rule:
    """A named limit: `limit` is a `limits` expression such as "5/minute"."""

    name: str
    limit: str

    @property
    def item(self) -> RateLimitItem:
        return _parse(self.limit)


_PARSED: dict[str, RateLimitItem] = {}


def _parse(expression: str) -> RateLimitItem:
    if expression not in _PARSED:
        _PARSED[expression] = parse(expression)
    return _PARSED[expression]


# Failed logins first slow an account (or an address) down for a minute, then lock it for the hour.
LOGIN_ACCOUNT_SLOWDOWN = Rule("login-account-1m", "5/minute")
LOGIN_ACCOUNT_LOCK = Rule("login-account-1h", "20/hour")
LOGIN_IP_SLOWDOWN = Rule("login-ip-1m", "20/minute")
LOGIN_IP_LOCK = Rule("login-ip-1h", "100/hour")
LOGIN_RULES = (LOGIN_ACCOUNT_SLOWDOWN, LOGIN_ACCOUNT_LOCK, LOGIN_IP_SLOWDOWN, LOGIN_IP_LOCK)

# Wrong access codes (and enrollment codes): per station / per address.
CODE_ATTEMPTS_STATION = Rule("code-station-10m", "10 per 10 minutes")
CODE_ATTEMPTS_IP = Rule("code-ip-10m", "30 per 10 minutes")


@contextmanager
def _guarded() -> Iterator[None]:
    """Attempt counting for sign-ins and codes fails closed: without it, guessing would be unlimited."""
    try:
        yield
    except StorageError:
        raise ServiceUnavailable(
            "Sign-in and code checks are unavailable for a moment (the rate-limit store is unreachable); try again shortly."
        ) from None


def hashed_identifier(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


class Limiter:
    """Counts hits per (rule, identifier); `enforce` raises 429 with Retry-After when one is spent."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self._exact: RateLimiter = MovingWindowRateLimiter(storage)
        self._cheap: RateLimiter = FixedWindowRateLimiter(storage)

    @classmethod
    def from_settings(cls, settings: ServerSettings) -> "Limiter":
        if settings.redis_url:
            storage: Storage = RedisStorage(
                settings.redis_url,
                key_prefix=f"{settings.redis_key_prefix}limits",
                wrap_exceptions=True,
                socket_timeout=5,
                socket_connect_timeout=2,
            )
        else:
            storage = MemoryStorage()
        return cls(storage)

    def allowed(self, rule: Rule, identifier: str) -> bool:
        with _guarded():
            return self._exact.test(rule.item, rule.name, identifier)

    def retry_after(self, rule: Rule, identifier: str) -> int:
        with _guarded():
            stats = self._exact.get_window_stats(rule.item, rule.name, identifier)
        return max(1, math.ceil(stats.reset_time - time.time()))

    def record_failure(self, rule: Rule, identifier: str) -> None:
        with _guarded():
            self._exact.hit(rule.item, rule.name, identifier)

    def clear(self, rule: Rule, identifier: str) -> None:
        with _guarded():
            self._exact.clear(rule.item, rule.name, identifier)

    def check_not_locked(self, checks: list[tuple[Rule, str]], what: str) -> None:
        """Raise 429 if any of (rule, identifier) has no attempts left."""
        for rule, identifier in checks:
            if not self.allowed(rule, identifier):
                wait = self.retry_after(rule, identifier)
                raise TooManyRequests(
                    f"Too many failed {what}; try again in {wait} seconds.",
                    headers={"Retry-After": str(wait)},
                )

    def consume(self, limit: str, scope: str, identifier: str) -> None:
        """Count one request against a budget (per user or station); raise 429 when it is spent."""
        item = _parse(limit)
        try:
            spent = not self._cheap.hit(item, scope, identifier)
        except StorageError as exc:
            # The general API budget fails open: an outage of the limiter must not stop the service.
            # Sign-in and code attempts fail closed instead (see `_guarded`).
            log.warning("rate_limit_storage_unavailable", scope=scope, error=str(exc))
            return
        if spent:
            stats = self._cheap.get_window_stats(item, scope, identifier)
            wait = max(1, math.ceil(stats.reset_time - time.time()))
            raise TooManyRequests("Too many requests; slow down.", headers={"Retry-After": str(wait)})
