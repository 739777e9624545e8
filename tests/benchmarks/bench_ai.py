"""AI quality and speed on 2 cores: matching, scoring, embedding throughput, match latency by store size.

    python -m tests.benchmarks.bench_ai [--quick] [--sizes 1000,10000,100000] [--queries 30]

Quality (evaluation set in tests/eval/):
  * matching: requirement-by-requirement passage matching against plain whole-document embedding
    similarity (the baseline): NDCG@3, top-1, stuffed CVs ranked below genuine ones, rank of CVs that
    describe the right experience in other words;
  * scoring: local rubric scorer against plain answer-to-question similarity (mapped to 1-5): margin of
    specific over vague answers; empty / "I don't know" answers refused as "not enough to score".
Speed:
  * embedding throughput of `Embedder.encode` against plain `SentenceTransformer.encode` on the same
    texts, for unique CV passages and for a re-index where half the passages repeat;
  * match latency p50/p99 (rank a job's candidates, cache bypassed) with N stored CVs. The store-size
    part uses synthetic CVs: real eval-set passage embeddings plus noise (3 passages + 1 profile vector
    per CV), because embedding 100k real CVs would take hours on 2 cores;
  * local scoring latency per answer.
Prints tables; asserts nothing.
"""

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from sync_server.ai.text import split_sentences
from sync_server.matching.cache import MatchCache
from sync_server.matching.embedder import Embedder, get_embedder
from sync_server.matching.passages import Passage, cv_passages
from sync_server.matching.service import JobText, MatchingService
from sync_server.matching.vector_store import CVVectorStore
from sync_server.scoring.local_scorer import LocalScorer
from tests.eval import matching_eval, scoring_eval
from tests.support.transcripts import make_transcript


def table(title: str, header: list[str], rows: list[list[object]]) -> None:
    widths = [max(len(str(x)) for x in [h, *(r[i] for r in rows)]) for i, h in enumerate(header)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)))


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


# -- quality ---------------------------------------------------------------------------------------
def matching_quality(embedder: Embedder) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ours, base = matching_eval.evaluate(embedder, Path(tmp))
    rows = [
        [
            name,
            f"{q.ndcg3:.3f}",
            f"{q.top1:.2f}",
            f"{q.stuffed_below_genuine:.2f}",
            f"{q.paraphrase_rank:.2f}",
        ]
        for name, q in (("passage matching (ours)", ours), ("whole-document cosine (baseline)", base))
    ]
    table(
        f"Matching quality: {len(matching_eval.load_jobs())} jobs x {len(matching_eval.load_cvs())} CVs",
        ["method", "NDCG@3", "top-1 strong", "stuffed below genuine", "paraphrase CV rank"],
        rows,
    )


def scoring_quality(embedder: Embedder, scorer: LocalScorer) -> list[float]:
    quality = scoring_eval.evaluate(scorer)
    baseline_margins = {}
    for item in scoring_eval.load_items():
        reference = embedder.encode_one(f"{item['question']} {' '.join(item['key_points'])}")  # type: ignore[arg-type]
        strong, vague = embedder.encode([str(item["strong"]), str(item["vague"])])
        # Similarity mapped onto 1-5 the way a naive scorer would: 1 + 4 * cos, clipped.
        strong_five, vague_five = (
            float(np.clip(1 + 4 * float(np.dot(v, reference)), 1, 5)) for v in (strong, vague)
        )
        baseline_margins[str(item["id"])] = strong_five - vague_five
    rows = [
        [k, quality.strong[k], quality.vague[k], f"{quality.margins[k]:+.1f}", f"{baseline_margins[k]:+.2f}"]
        for k in quality.margins
    ]
    rows.append(
        [
            "MEAN",
            f"{statistics.mean(quality.strong.values()):.2f}",
            f"{statistics.mean(quality.vague.values()):.2f}",
            f"{quality.mean_margin:+.2f}",
            f"{statistics.mean(baseline_margins.values()):+.2f}",
        ]
    )
    table(
        "Scoring quality: specific vs vague answer (overall 1-5)",
        ["question", "specific", "vague", "margin (ours)", "margin (similarity baseline)"],
        rows,
    )
    print(
        f"  empty / 'I don't know' answers refused as not enough to score: "
        f"{quality.empty_not_scored}/{quality.empty_total}; specific or vague answers refused: "
        f"{len(quality.strong_or_vague_refused)}"
    )
    return quality.latencies_ms


# -- speed -----------------------------------------------------------------------------------------
def embedding_throughput(embedder: Embedder, repeats: int) -> None:
    passages = [p.text for text in matching_eval.load_cvs().values() for p in cv_passages(text)]
    unique = [f"{p} (variant {i})" for i in range(repeats) for p in passages]
    reindex = unique[: len(unique) // 2] * 2
    model = embedder._model
    rows = []
    for name, texts in (("unique passages", unique), ("re-index, half repeated", reindex)):
        for label, run in (
            (
                "plain encode, batch 32",
                lambda t=texts: model.encode(t, batch_size=32, show_progress_bar=False),
            ),
            (
                "plain encode, batch 64",
                lambda t=texts: model.encode(t, batch_size=64, show_progress_bar=False),
            ),
            ("Embedder.encode", lambda t=texts: embedder.encode(t)),
        ):
            started = time.perf_counter()
            run()
            seconds = time.perf_counter() - started
            rows.append([name, label, len(texts), f"{seconds:.2f}", f"{len(texts) / seconds:.0f}"])
    table(
        "Embedding throughput (all-MiniLM-L6-v2, CPU)", ["texts", "method", "n", "seconds", "texts/s"], rows
    )


def synthetic_store(
    path: Path, size: int, base: np.ndarray, sections: list[str], rng: np.random.Generator
) -> None:
    store = CVVectorStore(path)
    per_cv = 3
    batch = 1000
    for start in range(0, size, batch):
        count = min(batch, size - start)
        picks = rng.integers(0, len(base), size=(count, per_cv))
        vectors = base[picks] + rng.normal(
            0, 0.35 / np.sqrt(base.shape[1]), size=(count, per_cv, base.shape[1])
        )
        vectors /= np.linalg.norm(vectors, axis=2, keepdims=True)
        profiles = vectors.mean(axis=1)
        profiles /= np.linalg.norm(profiles, axis=1, keepdims=True)
        org = "bench"
        passages = store._collection(org, "passages")
        profile_collection = store._collection(org, "profiles")
        ids = [f"cv{start + i}" for i in range(count)]
        passages.add(
            ids=[f"{cid}:{j}" for cid in ids for j in range(per_cv)],
            embeddings=vectors.reshape(-1, base.shape[1]).astype(np.float32).tolist(),
            documents=[f"synthetic passage {j} of {cid}" for cid in ids for j in range(per_cv)],
            metadatas=[
                {
                    "organization_id": org,
                    "candidate_id": cid,
                    "section": sections[int(picks[i, j])],
                    "cv_hash": "s",
                }
                for i, cid in enumerate(ids)
                for j in range(per_cv)
            ],
        )
        profile_collection.add(
            ids=ids,
            embeddings=profiles.astype(np.float32).tolist(),
            metadatas=[
                {"organization_id": org, "candidate_id": cid, "cv_hash": "s", "years_experience": 5.0}
                for cid in ids
            ],
        )


def match_latency(embedder: Embedder, sizes: list[int], queries: int) -> None:
    cvs = matching_eval.load_cvs()
    passages: list[Passage] = [p for text in cvs.values() for p in cv_passages(text)]
    base = embedder.encode([p.text for p in passages])
    sections = [p.section for p in passages]
    jobs = matching_eval.load_jobs()
    rng = np.random.default_rng(7)
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            synthetic_store(Path(tmp), size, base, sections, rng)
            load_seconds = time.perf_counter() - started
            service = MatchingService(
                store=CVVectorStore(Path(tmp)), embedder=embedder, cache=MatchCache(None, prefix="bench:")
            )
            rank_ms, pair_ms = [], []
            for i in range(queries):
                spec = jobs[i % len(jobs)]
                job = JobText(
                    f"job-{size}-{i}", str(spec["title"]), str(spec["description"]), str(spec["requirements"])
                )
                started = time.perf_counter()
                service.rank(organization_id="bench", job=job, limit=20)
                rank_ms.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                service.match(organization_id="bench", job=job, candidate_id=f"cv{i}")
                pair_ms.append((time.perf_counter() - started) * 1000)
            cached_started = time.perf_counter()
            service.rank(organization_id="bench", job=job, limit=20)
            cached_ms = (time.perf_counter() - cached_started) * 1000
            rows.append(
                [
                    f"{size:,}",
                    f"{size * 4:,}",
                    f"{load_seconds:.0f}",
                    f"{percentile(rank_ms, 50):.0f}",
                    f"{percentile(rank_ms, 99):.0f}",
                    f"{percentile(pair_ms, 50):.0f}",
                    f"{percentile(pair_ms, 99):.0f}",
                    f"{cached_ms:.2f}",
                ]
            )
            # One table per size, printed at once: the largest store takes many minutes to load on 2 cores.
            table(
                f"Match latency, ms, {size:,} stored CVs ({queries} jobs; rank = embed requirements + shortlist "
                "+ score the shortlisted CVs; one pair = one job x one CV)",
                [
                    "stored CVs",
                    "vectors",
                    "load s",
                    "rank p50",
                    "rank p99",
                    "pair p50",
                    "pair p99",
                    "rank cached",
                ],
                rows[-1:],
            )


def scoring_latency(latencies_ms: list[float], scorer: LocalScorer) -> None:
    item = scoring_eval.load_items()[0]
    long_answer = " ".join([str(item["strong"])] * 4)
    started = time.perf_counter()
    scorer.score(question=str(item["question"]), key_points=list(item["key_points"]), answer_text=long_answer)  # type: ignore[call-overload]
    long_ms = (time.perf_counter() - started) * 1000
    words = len(split_sentences(long_answer))
    assert make_transcript(long_answer).text
    table(
        "Local scoring latency per answer (ms, model loaded)",
        ["answers", "p50", "p99", f"one 4x-long answer ({words} sentences)"],
        [
            [
                len(latencies_ms),
                f"{percentile(latencies_ms, 50):.0f}",
                f"{percentile(latencies_ms, 99):.0f}",
                f"{long_ms:.0f}",
            ]
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: 1k stored CVs, fewer texts")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=30)
    args = parser.parse_args()
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    queries = 10 if args.quick else args.queries

    started = time.perf_counter()
    embedder = get_embedder()
    load = os.getloadavg()
    print(
        f"model loaded in {time.perf_counter() - started:.1f} s; {os.cpu_count()} cores; load average "
        f"{load[0]:.1f} (other work on the machine slows every number below)"
    )
    scorer = LocalScorer(embedder)
    matching_quality(embedder)
    latencies = scoring_quality(embedder, scorer)
    scoring_latency(latencies, scorer)
    embedding_throughput(embedder, repeats=2 if args.quick else 8)
    match_latency(embedder, sizes, queries)


if __name__ == "__main__":
    main()
