"""The AI parts a server or worker process needs, built once per process from its settings.

The embedding model is loaded on first use (seconds, ~500 MB), then shared by scoring, matching and
question drafting. Breaker, usage counters and the match cache live in Redis when it is configured.
"""

import threading
from dataclasses import dataclass, field
from functools import cached_property

import redis

from sync_server.ai.chain import ProviderChain
from sync_server.ai.factory import build_chain
from sync_server.config import ServerSettings
from sync_server.matching.cache import MatchCache
from sync_server.matching.embedder import Embedder, get_embedder
from sync_server.matching.service import MatchingService
from sync_server.matching.vector_store import CVVectorStore
from sync_server.question_drafts.local_generator import LocalQuestionGenerator
from sync_server.redis_client import connect_redis
from sync_server.scoring.local_scorer import LocalScorer


@dataclass
class AIServices:
    settings: ServerSettings
    redis: "redis.Redis | None"
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def embedder(self) -> Embedder:
        return get_embedder(self.settings.embedding_model_dir)

    @cached_property
    def chain(self) -> ProviderChain:
        return build_chain(self.settings, self.redis, local_model_label="all-MiniLM-L6-v2")

    @cached_property
    def local_scorer(self) -> LocalScorer:
        return LocalScorer(self.embedder)

    @cached_property
    def vector_store(self) -> CVVectorStore:
        """The CV vectors alone: erasing a CV needs no embedding model (loading it takes seconds)."""
        return CVVectorStore(self.settings.vector_dir, url=self.settings.chroma_url)

    @cached_property
    def match_cache(self) -> MatchCache:
        return MatchCache(self.redis, prefix=self.settings.redis_key_prefix)

    @cached_property
    def matching(self) -> MatchingService:
        return MatchingService(store=self.vector_store, embedder=self.embedder, cache=self.match_cache)

    @cached_property
    def question_generator(self) -> LocalQuestionGenerator:
        return LocalQuestionGenerator(self.embedder)


_services: dict[tuple[object, ...], AIServices] = {}
_services_lock = threading.Lock()


def ai_services(settings: ServerSettings) -> AIServices:
    """This process's AI services for these settings (tests run several configurations in one process)."""
    key = (
        str(settings.data_dir),
        settings.redis_url,
        settings.redis_key_prefix,
        settings.ai_providers,
        settings.openai_base_url,
        settings.gemini_base_url,
        settings.ai_monthly_token_cap,
        settings.chroma_url,
    )
    with _services_lock:
        if key not in _services:
            _services[key] = AIServices(settings=settings, redis=connect_redis(settings))
        return _services[key]
