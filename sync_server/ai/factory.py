"""Build the provider chain from settings: the configured order, skipping providers without a key."""

import redis

from sync_server.ai.breaker import CircuitBreaker, MemoryBreakerStore, RedisBreakerStore
from sync_server.ai.chain import ProviderChain
from sync_server.ai.local_provider import LocalProvider
from sync_server.ai.provider import Provider
from sync_server.ai.usage import MemoryUsageStore, RedisUsageStore, UsageMeter
from sync_server.config import ServerSettings

# In embedded mode (no Redis) breaker and usage state live in the process, shared by all chains in it.
_memory_breakers = MemoryBreakerStore()
_memory_usage = MemoryUsageStore()


def build_providers(settings: ServerSettings, *, local_model_label: str = "local") -> list[Provider]:
    providers: list[Provider] = []
    for name in settings.ai_provider_order:
        if name == "openai" and settings.openai_api_key is not None:
            from sync_server.ai.openai_provider import OpenAIProvider

            providers.append(
                OpenAIProvider(
                    api_key=settings.openai_api_key.get_secret_value(),
                    model=settings.openai_model,
                    base_url=settings.openai_base_url,
                )
            )
        elif name == "gemini" and settings.gemini_api_key is not None:
            from sync_server.ai.gemini_provider import GeminiProvider

            providers.append(
                GeminiProvider(
                    api_key=settings.gemini_api_key.get_secret_value(),
                    model=settings.gemini_model,
                    base_url=settings.gemini_base_url,
                )
            )
        elif name == "local":
            providers.append(LocalProvider(model_label=local_model_label))
    return providers


def build_chain(
    settings: ServerSettings, redis_client: "redis.Redis | None", *, local_model_label: str = "local"
) -> ProviderChain:
    if redis_client is not None:
        breaker_store: MemoryBreakerStore | RedisBreakerStore = RedisBreakerStore(
            redis_client, prefix=settings.redis_key_prefix
        )
        usage_store: MemoryUsageStore | RedisUsageStore = RedisUsageStore(
            redis_client, prefix=settings.redis_key_prefix
        )
    else:
        breaker_store, usage_store = _memory_breakers, _memory_usage
    providers = build_providers(settings, local_model_label=local_model_label)
    if not providers:
        # Every configured provider lacks a key: serve locally rather than not at all.
        providers = [LocalProvider(model_label=local_model_label)]
    return ProviderChain(
        providers,
        breaker=CircuitBreaker(
            breaker_store,
            threshold=settings.ai_breaker_failures,
            cooldown_seconds=settings.ai_breaker_cooldown_seconds,
        ),
        meter=UsageMeter(usage_store, monthly_token_cap=settings.ai_monthly_token_cap),
        timeout_seconds=settings.ai_timeout_seconds,
        max_attempts=settings.ai_max_attempts,
        retry_base_seconds=settings.ai_retry_base_seconds,
    )
