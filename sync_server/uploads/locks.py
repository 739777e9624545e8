"""One request at a time per upload, across every server process and host.

With Redis configured the lock is a Redis lock (a token in a key with a timeout that the holder keeps
extending while it streams, so a crashed holder frees it by itself); embedded, a process-local lock.
"""

import asyncio
import threading
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

import redis

from sync_server.errors import ServerError


class UploadLocked(ServerError):
    status_code = 423
    kind = "UploadLocked"


class UploadLocks(Protocol):
    def hold(self, upload_id: str) -> AbstractAsyncContextManager[None]: ...


# A lock left by a process that died expires after LOCK_TTL_SECONDS; waiting a little longer than
# that to acquire means a PATCH arriving right after a server crash is delayed, not refused (and
# its body is not sent twice).
LOCK_TTL_SECONDS = 6.0
ACQUIRE_TIMEOUT_SECONDS = 8.0


def _busy(upload_id: str) -> UploadLocked:
    return UploadLocked(
        f"Upload {upload_id} is being written by another request; retry after it finishes.",
        headers={"Retry-After": "1"},
    )


class InProcessUploadLocks:
    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, upload_id: str) -> AsyncIterator[None]:
        with self._guard:
            lock = self._locks.setdefault(upload_id, asyncio.Lock())
            self._users[upload_id] = self._users.get(upload_id, 0) + 1
        try:
            try:
                await asyncio.wait_for(lock.acquire(), ACQUIRE_TIMEOUT_SECONDS)
            except TimeoutError:
                raise _busy(upload_id) from None
            try:
                yield
            finally:
                lock.release()
        finally:
            with self._guard:
                self._users[upload_id] -= 1
                if not self._users[upload_id]:
                    del self._users[upload_id], self._locks[upload_id]


# Release and extend only when the key still holds our token (another holder may own it by now).
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
_EXTEND = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"


class RedisUploadLocks:
    def __init__(self, client: "redis.Redis", *, prefix: str) -> None:
        self._client = client
        self._prefix = prefix
        self._release = client.register_script(_RELEASE)
        self._extend = client.register_script(_EXTEND)

    @asynccontextmanager
    async def hold(self, upload_id: str) -> AsyncIterator[None]:
        key = f"{self._prefix}upload-lock:{upload_id}"
        token = uuid.uuid4().hex
        ttl_ms = int(LOCK_TTL_SECONDS * 1000)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + ACQUIRE_TIMEOUT_SECONDS
        while not await asyncio.to_thread(self._client.set, key, token, nx=True, px=ttl_ms):
            if loop.time() >= deadline:
                raise _busy(upload_id)
            await asyncio.sleep(0.05)
        keeper = asyncio.create_task(self._keep_alive(key, token, ttl_ms))
        try:
            yield
        finally:
            keeper.cancel()
            await asyncio.to_thread(self._release, keys=[key], args=[token])

    async def _keep_alive(self, key: str, token: str, ttl_ms: int) -> None:
        while True:
            await asyncio.sleep(LOCK_TTL_SECONDS / 3)
            await asyncio.to_thread(self._extend, keys=[key], args=[token, ttl_ms])


def build_upload_locks(client: "redis.Redis | None", *, prefix: str) -> UploadLocks:
    if client is None:
        return InProcessUploadLocks()
    return RedisUploadLocks(client, prefix=prefix)
