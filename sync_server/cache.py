"""A small cache: Redis when configured (shared by every process), process memory otherwise.

Entries are JSON documents with a time-to-live; writers delete the keys they make stale.
"""

import contextlib
import json
import threading
import time
from typing import Any, Protocol

import redis

from sync_server.config import ServerSettings


class Cache(Protocol):
    def get_json(self, key: str) -> Any | None: ...
    def set_json(self, key: str, value: Any, ttl_seconds: int) -> None: ...
    def delete(self, *keys: str) -> None: ...


class MemoryCache:
    """Process-local cache for the embedded mode (one process, so nothing to share)."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()
        self._max_entries = max_entries

    def get_json(self, key: str) -> Any | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires, payload = entry
            if expires < time.monotonic():
                del self._entries[key]
                return None
        return json.loads(payload)

    def set_json(self, key: str, value: Any, ttl_seconds: int) -> None:
        payload = json.dumps(value, default=str)
        with self._lock:
            if len(self._entries) >= self._max_entries:
                now = time.monotonic()
                for stale in [k for k, (exp, _) in self._entries.items() if exp < now]:
                    del self._entries[stale]
                if len(self._entries) >= self._max_entries:
                    self._entries.clear()
            self._entries[key] = (time.monotonic() + ttl_seconds, payload)

    def delete(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._entries.pop(key, None)


class RedisCache:
    """Shared cache. A Redis outage degrades to cache misses, never to failed requests."""

    def __init__(self, client: "redis.Redis", prefix: str) -> None:
        self._client = client
        self._prefix = f"{prefix}cache:"

    def get_json(self, key: str) -> Any | None:
        try:
            payload = self._client.get(self._prefix + key)
        except redis.RedisError:
            return None
        return None if payload is None else json.loads(payload)

    def set_json(self, key: str, value: Any, ttl_seconds: int) -> None:
        with contextlib.suppress(redis.RedisError):
            self._client.set(self._prefix + key, json.dumps(value, default=str), ex=ttl_seconds)

    def delete(self, *keys: str) -> None:
        if keys:
            # A failed invalidation must fail the write: a stale entry would outlive it.
            self._client.delete(*(self._prefix + key for key in keys))


def build_cache(settings: ServerSettings, client: "redis.Redis | None") -> Cache:
    if client is None:
        return MemoryCache()
    return RedisCache(client, settings.redis_key_prefix)


def me_cache_key(user_id: str) -> str:
    """`/me` of one user: stale when the user or their organization changes."""
    return f"me:{user_id}"


def branding_cache_key(organization_id: str) -> str:
    """An organization's branding and consent notice in plans: stale when its settings change."""
    return f"org-branding:{organization_id}"
