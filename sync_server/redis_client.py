"""The shared Redis connection (production); None in embedded mode."""

import redis

from sync_server.config import ServerSettings


def connect_redis(settings: ServerSettings) -> "redis.Redis | None":
    if settings.redis_url is None:
        return None
    return redis.Redis.from_url(
        settings.redis_url, socket_connect_timeout=2, socket_timeout=5, health_check_interval=30
    )
