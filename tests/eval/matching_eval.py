"""Matching quality on the evaluation set, against plain whole-document embedding similarity."""

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sync_server.matching.cache import MatchCache
from sync_server.matching.embedder import Embedder
from sync_server.matching.service import JobText, MatchingService
from sync_server.matching.vector_store import CVVectorStore

EVAL_DIR = Path(__file__).parent
ORG = "eval-org"


@dataclass
class MatchingQuality:
    ndcg3: float
    top1: float
    stuffed_below_genuine: float  # share of (stuffed, genuine) pairs ranked correctly
    paraphrase_rank: float  # mean rank of the "paraphrase" CVs for their own job (1 = top)
    rankings: dict[str, list[tuple[str, float]]]


def load_cvs() -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted((EVAL_DIR / "cvs").glob("*.txt"))}


def load_jobs() -> list[dict[str, object]]:
    return json.loads((EVAL_DIR / "matching.json").read_text(encoding="utf-8"))["jobs"]  # type: ignore[no-any-return]


def _ndcg(ranking: list[str], relevance: dict[str, int], k: int = 3) -> float:
    gains = [relevance.get(cid, 0) for cid in ranking[:k]]
    dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted(relevance.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def _quality(rankings: dict[str, list[tuple[str, float]]], jobs: list[dict[str, object]]) -> MatchingQuality:
    ndcgs, top1, pairs_ok, pairs, paraphrase_ranks = [], [], 0, 0, []
    for job in jobs:
        order = [cid for cid, _ in rankings[str(job["id"])]]
        relevance: dict[str, int] = job["relevance"]  # type: ignore[assignment]
        ndcgs.append(_ndcg(order, relevance))
        top1.append(1.0 if relevance.get(order[0], 0) == 2 else 0.0)
        for stuffed in job["stuffed"]:  # type: ignore[attr-defined]
            for genuine in job["genuine"]:  # type: ignore[attr-defined]
                pairs += 1
                pairs_ok += order.index(genuine) < order.index(stuffed)
        for cid in job["genuine"]:  # type: ignore[attr-defined]
            if "paraphrase" in cid:
                paraphrase_ranks.append(order.index(cid) + 1)
    return MatchingQuality(
        ndcg3=float(np.mean(ndcgs)),
        top1=float(np.mean(top1)),
        stuffed_below_genuine=pairs_ok / pairs if pairs else 1.0,
        paraphrase_rank=float(np.mean(paraphrase_ranks)),
        rankings=rankings,
    )


def evaluate(embedder: Embedder, store_dir: Path) -> tuple[MatchingQuality, MatchingQuality]:
    """(ours, baseline). Ours: the matching service ranking every CV; baseline: whole-document cosine."""
    cvs = load_cvs()
    jobs = load_jobs()
    service = MatchingService(
        store=CVVectorStore(store_dir), embedder=embedder, cache=MatchCache(None, prefix="eval:")
    )
    for cid, text in cvs.items():
        service.index_cv(organization_id=ORG, candidate_id=cid, text=text)
    ours: dict[str, list[tuple[str, float]]] = {}
    for job in jobs:
        job_text = JobText(
            str(job["id"]), str(job["title"]), str(job["description"]), str(job["requirements"])
        )
        results = service.rank(organization_id=ORG, job=job_text, limit=len(cvs))
        ours[str(job["id"])] = [(r.candidate_id, r.score) for r in results]

    names = list(cvs)
    cv_vectors = embedder.encode([cvs[n] for n in names])
    job_vectors = embedder.encode(
        [f"{job['title']}\n{job['description']}\n{job['requirements']}" for job in jobs]
    )
    baseline: dict[str, list[tuple[str, float]]] = {}
    for job, vector in zip(jobs, job_vectors, strict=True):
        sims = cv_vectors @ vector
        order = np.argsort(-sims)
        baseline[str(job["id"])] = [(names[i], round(float(sims[i]) * 100, 1)) for i in order]
    return _quality(ours, jobs), _quality(baseline, jobs)
