"""Matching on the real embedding model and a real persistent ChromaDB."""

import numpy as np
import pytest

from sync_server.matching.cache import MatchCache
from sync_server.matching.embedder import DIMENSIONS
from sync_server.matching.passages import cv_passages, job_requirements
from sync_server.matching.service import JobText, MatchingService
from sync_server.matching.vector_store import CVVectorStore
from tests.eval.matching_eval import evaluate, load_cvs, load_jobs


@pytest.fixture
def service(embedder, tmp_path) -> MatchingService:  # type: ignore[no-untyped-def]
    return MatchingService(
        store=CVVectorStore(tmp_path / "vectors"), embedder=embedder, cache=MatchCache(None, prefix="t:")
    )


def job(job_id: str = "backend") -> JobText:
    found = next(j for j in load_jobs() if j["id"] == job_id)
    return JobText(job_id, str(found["title"]), str(found["description"]), str(found["requirements"]))


def test_cv_passages_keep_their_section_and_fit_the_model(embedder):
    passages = cv_passages(load_cvs()["backend_stuffed"])
    sections = {p.section for p in passages}
    assert {"skills", "experience", "education"} <= sections
    assert all(len(p.text.split()) <= 60 for p in passages)
    assert job_requirements("Requirements:\n- Go\n- 5+ years of Kubernetes\n* PostgreSQL tuning") == [
        "5+ years of Kubernetes",
        "PostgreSQL tuning",
    ]


def test_real_experience_in_other_words_beats_a_stuffed_skills_list(service):
    cvs = load_cvs()
    for cid in ("backend_paraphrase", "backend_stuffed", "chef"):
        service.index_cv(organization_id="org-a", candidate_id=cid, text=cvs[cid])
    real = service.match(organization_id="org-a", job=job(), candidate_id="backend_paraphrase")
    stuffed = service.match(organization_id="org-a", job=job(), candidate_id="backend_stuffed")
    assert real.score > stuffed.score + 25
    # The explanation says which requirement matched which CV passage, and what is missing.
    kube = next(r for r in real.requirements if "Kubernetes" in r.requirement)
    assert kube.status == "matched" and kube.evidence_section == "experience"
    assert "containers on a managed cluster" in (kube.evidence or "")
    assert any(r.skills_list_only for r in stuffed.requirements)
    assert "only appear in the skills list" in stuffed.explanation()
    assert stuffed.missing
    ranking = [r.candidate_id for r in service.rank(organization_id="org-a", job=job())]
    assert ranking[0] == "backend_paraphrase"
    assert ranking.index("backend_stuffed") > 0


def test_matching_beats_whole_document_similarity_on_the_evaluation_set(embedder, tmp_path):
    ours, baseline = evaluate(embedder, tmp_path / "eval")
    assert ours.stuffed_below_genuine == 1.0
    assert ours.stuffed_below_genuine > baseline.stuffed_below_genuine
    assert ours.ndcg3 > baseline.ndcg3
    assert ours.paraphrase_rank <= baseline.paraphrase_rank


def test_tenants_never_see_each_others_vectors(service, tmp_path):
    cvs = load_cvs()
    service.index_cv(organization_id="org-a", candidate_id="cand-a", text=cvs["backend_paraphrase"])
    service.index_cv(organization_id="org-b", candidate_id="cand-b", text=cvs["backend_keywords_real"])
    assert [r.candidate_id for r in service.rank(organization_id="org-a", job=job())] == ["cand-a"]
    assert [r.candidate_id for r in service.rank(organization_id="org-b", job=job())] == ["cand-b"]
    # Asking org-a's collections for org-b's candidate finds nothing, by id or by vector.
    store = service.store
    assert store.passages(organization_id="org-a", candidate_ids=["cand-b"]) == {"cand-b": []}
    assert store.profile_vector(organization_id="org-a", candidate_id="cand-b") is None
    assert service.similar_candidates(organization_id="org-a", candidate_id="cand-b") == []
    assert service.match(organization_id="org-a", job=job(), candidate_id="cand-b").score == 0.0
    # The data persists on disk, still separated, when the store is opened again.
    reopened = CVVectorStore(tmp_path / "vectors")
    assert reopened.count_cvs(organization_id="org-a") == 1
    assert reopened.count_cvs(organization_id="org-b") == 1
    assert reopened.count_cvs(organization_id="org-c") == 0


def test_the_store_refuses_to_work_without_explicit_embeddings(service):
    from sync_server.matching.passages import Passage

    with pytest.raises(ValueError, match="embeddings"):
        service.store.replace_cv(
            organization_id="org-a",
            candidate_id="x",
            cv_hash="h",
            passages=[Passage("text", "experience")],
            passage_vectors=np.zeros((0, DIMENSIONS), dtype=np.float32),
            profile_vector=np.zeros(DIMENSIONS, dtype=np.float32),
        )


def test_candidates_like_this_one(service):
    cvs = load_cvs()
    for cid in ("backend_paraphrase", "backend_keywords_real", "nurse_paraphrase", "chef", "teacher"):
        service.index_cv(organization_id="org-a", candidate_id=cid, text=cvs[cid])
    similar = service.similar_candidates(organization_id="org-a", candidate_id="backend_paraphrase", limit=2)
    assert similar[0].candidate_id == "backend_keywords_real"
    assert "backend_paraphrase" not in [n.candidate_id for n in similar]


def test_cache_serves_repeats_and_is_invalidated_by_cv_and_job_changes(service):
    cvs = load_cvs()
    service.index_cv(organization_id="org-a", candidate_id="c1", text=cvs["chef"])
    first = service.rank(organization_id="org-a", job=job())
    assert service.rank(organization_id="org-a", job=job()) == first  # from the cache
    # The CV changes: rankings and pair matches for it are recomputed.
    service.index_cv(organization_id="org-a", candidate_id="c1", text=cvs["backend_paraphrase"])
    after_cv_change = service.rank(organization_id="org-a", job=job())
    assert after_cv_change[0].score > first[0].score + 25
    pair = service.match(organization_id="org-a", job=job(), candidate_id="c1")
    assert pair.score == after_cv_change[0].score
    # The job changes: a new requirement list is matched.
    changed = JobText("backend", "Head Chef", "Kitchen lead", "- Run a restaurant kitchen\n- Menu planning")
    assert service.match(organization_id="org-a", job=changed, candidate_id="c1").score < pair.score


@pytest.mark.redis
def test_cache_in_redis_is_shared_and_invalidated_across_processes(embedder, tmp_path, redis_config):
    import redis

    url, prefix = redis_config
    client = redis.Redis.from_url(url)
    store = CVVectorStore(tmp_path / "vectors")
    one = MatchingService(store=store, embedder=embedder, cache=MatchCache(client, prefix=prefix))
    two = MatchingService(store=store, embedder=embedder, cache=MatchCache(client, prefix=prefix))
    cvs = load_cvs()
    one.index_cv(organization_id="org-a", candidate_id="c1", text=cvs["chef"])
    ranked = one.rank(organization_id="org-a", job=job())
    assert client.keys(f"{prefix}match:org-a:rank:*")
    assert two.rank(organization_id="org-a", job=job()) == ranked
    two.index_cv(organization_id="org-a", candidate_id="c1", text=cvs["backend_paraphrase"])
    assert one.rank(organization_id="org-a", job=job())[0].score > ranked[0].score
    client.close()
