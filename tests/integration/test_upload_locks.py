"""The per-upload lock excludes a second writer: across processes with Redis, within one without."""

import asyncio

import pytest
import redis

from sync_server.uploads import locks
from sync_server.uploads.locks import InProcessUploadLocks, RedisUploadLocks, UploadLocked, UploadLocks


async def _second_writer_waits(first: UploadLocks, second: UploadLocks) -> list[str]:
    events: list[str] = []

    async def writer(name: str, lock_set: UploadLocks, delay: float) -> None:
        await asyncio.sleep(delay)
        async with lock_set.hold("u-1"):
            events.append(f"{name} in")
            await asyncio.sleep(0.2)
            events.append(f"{name} out")

    await asyncio.gather(writer("a", first, 0), writer("b", second, 0.05))
    return events


def test_in_process_lock_serializes_writers() -> None:
    shared = InProcessUploadLocks()
    assert asyncio.run(_second_writer_waits(shared, shared)) == ["a in", "a out", "b in", "b out"]


@pytest.mark.redis
def test_redis_lock_serializes_two_independent_lock_sets(
    redis_config: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, prefix = redis_config
    # Two clients stand in for two server processes: they share nothing but Redis.
    one = RedisUploadLocks(redis.Redis.from_url(url), prefix=prefix)
    two = RedisUploadLocks(redis.Redis.from_url(url), prefix=prefix)
    assert asyncio.run(_second_writer_waits(one, two)) == ["a in", "a out", "b in", "b out"]

    monkeypatch.setattr(locks, "ACQUIRE_TIMEOUT_SECONDS", 0.2)

    async def busy() -> None:
        async with one.hold("u-2"):
            with pytest.raises(UploadLocked):
                async with two.hold("u-2"):
                    pass

    asyncio.run(busy())


@pytest.mark.redis
def test_a_dead_holder_frees_the_lock_by_timeout(
    redis_config: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, prefix = redis_config
    client = redis.Redis.from_url(url)
    client.set(f"{prefix}upload-lock:u-3", "someone-who-died", px=300)
    monkeypatch.setattr(locks, "ACQUIRE_TIMEOUT_SECONDS", 2.0)

    async def acquire() -> None:
        async with RedisUploadLocks(client, prefix=prefix).hold("u-3"):
            pass

    asyncio.run(acquire())
