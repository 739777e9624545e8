"""A small JSON cache for match results: Redis when configured, this process otherwise.

Keys carry the job's content hash and the CV's content hash (or the organization's CV generation for
whole rankings), so a changed job or CV is never answered from the cache; `bump_generation` is how
a CV change invalidates every ranking of its organization at once.
"""

import fnmatch
import json
import threading
import time
from collections import OrderedDict
from typing import Any

import redis

DEFAULT_TTL_SECONDS = 24 * 3600
MEMORY_ENTRIES = 2048


class MatchCache:
    def __init__(
        self, client: "redis.Redis | None", *, prefix: str, ttl_seconds: int = DEFAULT_TTL_SECONDS
    ) -> None:
        self._redis = client
        self._prefix = f"{prefix}match:"
        self._ttl = ttl_seconds
        self._memory: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._generations: dict[str, int] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        full = self._prefix + key
        if self._redis is not None:
            raw = self._redis.get(full)
            return json.loads(raw) if raw is not None else None
        with self._lock:
            entry = self._memory.get(full)
            if entry is None or entry[0] < time.monotonic():
                self._memory.pop(full, None)
                return None
            self._memory.move_to_end(full)
            return json.loads(entry[1])

    def set(self, key: str, value: Any) -> None:
        full = self._prefix + key
        raw = json.dumps(value)
        if self._redis is not None:
            self._redis.set(full, raw, ex=self._ttl)
            return
        with self._lock:
            self._memory[full] = (time.monotonic() + self._ttl, raw)
            self._memory.move_to_end(full)
            while len(self._memory) > MEMORY_ENTRIES:
                self._memory.popitem(last=False)

    def generation(self, organization_id: str) -> int:
        key = f"{self._prefix}generation:{organization_id}"
        if self._redis is not None:
            raw = self._redis.get(key)
            return int(raw) if raw is not None else 0
        return self._generations.get(key, 0)

    def forget_candidate(self, *, organization_id: str, candidate_id: str) -> None:
        """Drop every cached result that quotes this candidate's CV (right to erasure).

        Pair results name the candidate in their key; rankings mix candidates, so the organization's
        rankings all go (and the generation moves on, so none is answered from a stale key).
        """
        pair = f"{self._prefix}{organization_id}:pair:*:{candidate_id}:*"
        ranks = f"{self._prefix}{organization_id}:rank:*"
        if self._redis is not None:
            for pattern in (pair, ranks):
                stale = list(self._redis.scan_iter(match=pattern, count=500))
                for start in range(0, len(stale), 500):
                    self._redis.delete(*stale[start : start + 500])
        else:
            with self._lock:
                for key in [
                    k for k in self._memory if fnmatch.fnmatchcase(k, pair) or fnmatch.fnmatchcase(k, ranks)
                ]:
                    del self._memory[key]
        self.bump_generation(organization_id)

    def bump_generation(self, organization_id: str) -> None:
        key = f"{self._prefix}generation:{organization_id}"
        if self._redis is not None:
            self._redis.incr(key)
            return
        with self._lock:
            self._generations[key] = self._generations.get(key, 0) + 1
