"""Fixtures for the AI tests: the real embedding model (loaded once), the fake LLM server, a chain."""

from collections.abc import Callable, Iterator

import pytest

from sync_server.ai.breaker import CircuitBreaker, MemoryBreakerStore
from sync_server.ai.chain import ProviderChain
from sync_server.ai.factory import build_providers
from sync_server.ai.usage import MemoryUsageStore, UsageMeter
from sync_server.config import ServerSettings
from sync_server.matching.embedder import Embedder, get_embedder
from sync_server.scoring.local_scorer import LocalScorer
from tests.support.fake_llm import FakeLLMServer


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return get_embedder()


@pytest.fixture(scope="session")
def local_scorer(embedder: Embedder) -> LocalScorer:
    return LocalScorer(embedder)


@pytest.fixture(scope="session")
def _fake_llm_server() -> Iterator[FakeLLMServer]:
    server = FakeLLMServer().start()
    yield server
    server.stop()


@pytest.fixture
def fake_llm(_fake_llm_server: FakeLLMServer) -> Iterator[FakeLLMServer]:
    _fake_llm_server.reset()
    yield _fake_llm_server
    _fake_llm_server.reset()


@pytest.fixture
def ai_settings(fake_llm: FakeLLMServer, tmp_path) -> Callable[..., ServerSettings]:  # type: ignore[no-untyped-def]
    """Settings pointing both SDKs at the fake server, with fast retries; override any field."""

    def build(**overrides: object) -> ServerSettings:
        values: dict[str, object] = {
            "data_dir": tmp_path / "server",
            "ai_providers": "openai,gemini,local",
            "openai_api_key": "sk-test-not-a-real-key",
            "openai_base_url": fake_llm.openai_base_url,
            "gemini_api_key": "gm-test-not-a-real-key",
            "gemini_base_url": fake_llm.gemini_base_url,
            "ai_timeout_seconds": 2.0,
            "ai_max_attempts": 2,
            "ai_retry_base_seconds": 0.01,
            "ai_breaker_failures": 50,
        }
        values.update(overrides)
        return ServerSettings(**values)  # type: ignore[arg-type]

    return build


@pytest.fixture
def make_chain() -> Callable[..., ProviderChain]:
    def build(settings: ServerSettings, *, breaker_store=None, usage_store=None) -> ProviderChain:  # type: ignore[no-untyped-def]
        return ProviderChain(
            build_providers(settings, local_model_label="all-MiniLM-L6-v2"),
            breaker=CircuitBreaker(
                breaker_store or MemoryBreakerStore(),
                threshold=settings.ai_breaker_failures,
                cooldown_seconds=settings.ai_breaker_cooldown_seconds,
            ),
            meter=UsageMeter(
                usage_store or MemoryUsageStore(), monthly_token_cap=settings.ai_monthly_token_cap
            ),
            timeout_seconds=settings.ai_timeout_seconds,
            max_attempts=settings.ai_max_attempts,
            retry_base_seconds=settings.ai_retry_base_seconds,
        )

    return build
