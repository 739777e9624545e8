"""Matching as the server uses it: index a CV, match, rank a job's candidates, find similar candidates."""

import hashlib
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from sync_server.matching.cache import MatchCache
from sync_server.matching.embedder import Embedder
from sync_server.matching.passages import cv_passages, job_requirements
from sync_server.matching.scoring import MatchResult, RequirementMatch, profile_vector, score_candidate
from sync_server.matching.vector_store import CVVectorStore, Neighbour
from sync_server.screening.profile import extract_profile

SHORTLIST = 50
PASSAGES_PER_REQUIREMENT = 30
MATCHING_VERSION = "match-v2"


@dataclass(frozen=True)
class JobText:
    job_id: str
    title: str
    description: str
    requirements: str

    @property
    def content_hash(self) -> str:
        raw = "\x1f".join((MATCHING_VERSION, self.title, self.description, self.requirements))
        return hashlib.sha256(raw.encode()).hexdigest()[:24]

    def requirement_list(self) -> list[str]:
        return job_requirements(self.requirements, self.description)


def cv_content_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _result_from_json(data: dict[str, Any]) -> MatchResult:
    requirements = [RequirementMatch(**item) for item in data["requirements"]]
    return MatchResult(str(data["candidate_id"]), float(data["score"]), requirements)


class MatchingService:
    def __init__(self, *, store: CVVectorStore, embedder: Embedder, cache: MatchCache) -> None:
        self.store = store
        self.embedder = embedder
        self.cache = cache

    def index_cv(self, *, organization_id: str, candidate_id: str, text: str) -> int:
        """Embed and store a CV's passages (replacing an older version). Returns the passage count."""
        passages = cv_passages(text)
        vectors = self.embedder.encode([p.text for p in passages])
        years = extract_profile(text).years_experience
        self.store.replace_cv(
            organization_id=organization_id,
            candidate_id=candidate_id,
            cv_hash=cv_content_hash(text),
            passages=passages,
            passage_vectors=vectors,
            profile_vector=profile_vector(vectors, [p.section for p in passages]),
            years_experience=years,
        )
        self.cache.bump_generation(organization_id)
        return len(passages)

    def remove_cv(self, *, organization_id: str, candidate_id: str) -> None:
        self.store.remove_cv(organization_id=organization_id, candidate_id=candidate_id)
        self.cache.bump_generation(organization_id)

    def match(self, *, organization_id: str, job: JobText, candidate_id: str) -> MatchResult:
        cv_hash = self.store.cv_hash(organization_id=organization_id, candidate_id=candidate_id)
        key = f"{organization_id}:pair:{job.job_id}:{job.content_hash}:{candidate_id}:{cv_hash}"
        cached = self.cache.get(key)
        if cached is not None:
            return _result_from_json(cached)
        requirements = job.requirement_list()
        vectors = self.embedder.encode(requirements)
        passages = self.store.passages(organization_id=organization_id, candidate_ids=[candidate_id])
        years = self.store.years_experience(organization_id=organization_id, candidate_ids=[candidate_id])
        result = score_candidate(
            candidate_id=candidate_id,
            requirements=requirements,
            requirement_vectors=vectors,
            passages=passages.get(candidate_id, []),
            years_experience=years.get(candidate_id),
        )
        self.cache.set(key, asdict(result))
        return result

    def rank(self, *, organization_id: str, job: JobText, limit: int = 20) -> list[MatchResult]:
        """The job's best candidates: shortlist by vector search, then score each shortlisted CV in full."""
        generation = self.cache.generation(organization_id)
        key = f"{organization_id}:rank:{job.job_id}:{job.content_hash}:{generation}:{limit}"
        cached = self.cache.get(key)
        if cached is not None:
            return [_result_from_json(item) for item in cached]
        requirements = job.requirement_list()
        if not requirements:
            return []
        vectors = self.embedder.encode(requirements)
        job_vector = vectors.mean(axis=0)
        job_vector = job_vector / max(float(np.linalg.norm(job_vector)), 1e-6)
        shortlist = {
            n.candidate_id
            for n in self.store.nearest_profiles(
                organization_id=organization_id, vector=job_vector, limit=SHORTLIST
            )
        }
        shortlist |= self.store.nearest_passage_owners(
            organization_id=organization_id, vectors=vectors, per_query=PASSAGES_PER_REQUIREMENT
        )
        passages = self.store.passages(organization_id=organization_id, candidate_ids=sorted(shortlist))
        years = self.store.years_experience(organization_id=organization_id, candidate_ids=sorted(shortlist))
        results = [
            score_candidate(
                candidate_id=cid,
                requirements=requirements,
                requirement_vectors=vectors,
                passages=found,
                years_experience=years.get(cid),
            )
            for cid, found in passages.items()
        ]
        results.sort(key=lambda r: (-r.score, r.candidate_id))
        results = results[:limit]
        self.cache.set(key, [asdict(r) for r in results])
        return results

    def similar_candidates(
        self, *, organization_id: str, candidate_id: str, limit: int = 10
    ) -> list[Neighbour]:
        vector = self.store.profile_vector(organization_id=organization_id, candidate_id=candidate_id)
        if vector is None:
            return []
        neighbours = self.store.nearest_profiles(
            organization_id=organization_id, vector=vector, limit=limit + 1
        )
        return [n for n in neighbours if n.candidate_id != candidate_id][:limit]
