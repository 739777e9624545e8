"""The AI work inside the real server: jobs on the queue after uploads and transcripts, and the
endpoints (matches, similar candidates, CV profiles, scores with history, rescoring, summaries,
question drafts), each org-scoped. Embedded worker, real embedding model, real ChromaDB."""

import dataclasses
import hashlib
import io
import time
from datetime import timedelta

import pytest
from pydantic import SecretStr
from pypdf import PdfWriter

from sync_server.models import Response, new_id, utcnow
from sync_server.scoring.jobs import SCORE_RESPONSE_JOB
from sync_server.worker import registry
from tests.eval.matching_eval import load_cvs, load_jobs
from tests.support.server import enroll_station, make_tenant
from tests.support.transcripts import make_transcript

GOOD = (
    "At my last job our checkout API had a p99 latency of about 900 milliseconds. "
    "I profiled it with py-spy and found that we ran one SQL query per cart item. "
    "I rewrote it as a single join and added a Redis cache for product prices. "
    "After the change p99 dropped to 180 milliseconds and the error rate during sales fell by half."
)
VAGUE = (
    "Improving the performance of a slow system is really important. I always try to improve "
    "performance when a system is slow. Performance matters a lot for users, so I think it is "
    "important to make systems fast and I generally work hard on performance."
)


def wait_for(predicate, timeout: float = 60.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, "timed out waiting for the background job"
        time.sleep(0.1)


def upload_cv(client, caller, name: str, data: bytes, filename: str, job_id: str | None = None) -> str:  # type: ignore[no-untyped-def]
    content_type = "application/pdf" if filename.endswith(".pdf") else "text/plain"
    form = {"full_name": name, **({"job_id": job_id} if job_id else {})}
    created = client.post(
        "/api/v1/candidates", data=form, files={"cv": (filename, data, content_type)}, headers=caller.headers
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def processed_profile(client, caller, candidate_id: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    def done():  # type: ignore[no-untyped-def]
        body = client.get(f"/api/v1/candidates/{candidate_id}/profile", headers=caller.headers).json()
        return body if body["cv_status"] in ("done", "failed") else None

    return wait_for(done)  # type: ignore[no-any-return]


def test_cv_upload_is_screened_indexed_and_matched_per_organization(server_client):
    client = server_client
    tenant, other = make_tenant(client), make_tenant(client)
    spec = next(j for j in load_jobs() if j["id"] == "backend")
    job = client.post(
        "/api/v1/jobs",
        json={
            "title": spec["title"],
            "description": spec["description"],
            "requirements": spec["requirements"],
        },
        headers=tenant.hr.headers,
    ).json()
    cvs = load_cvs()
    real = upload_cv(
        client, tenant.hr, "Daniel Okafor", cvs["backend_paraphrase"].encode(), "cv.txt", job["id"]
    )
    stuffed = upload_cv(
        client, tenant.hr, "Kevin Marsh", cvs["backend_stuffed"].encode(), "cv.txt", job["id"]
    )
    chef = upload_cv(client, tenant.hr, "Marco Bianchi", cvs["chef"].encode(), "cv.txt")
    # The other organization has a near-copy of the strong CV; it must never appear for tenant A.
    foreign = upload_cv(client, other.hr, "Copy Cat", cvs["backend_keywords_real"].encode(), "cv.txt")

    profile = processed_profile(client, tenant.hr, real)
    assert profile["cv_status"] == "done" and profile["error"] is None
    assert "Go" in profile["skills"] and profile["recent_titles"][0] == "Senior Software Engineer"
    assert profile["years_experience"] >= 8
    for cid in (stuffed, chef):
        processed_profile(client, tenant.hr, cid)
    processed_profile(client, other.hr, foreign)

    matches = client.get(f"/api/v1/jobs/{job['id']}/matches", headers=tenant.hr.headers)
    assert matches.status_code == 200, matches.text
    ranked = matches.json()
    assert [m["candidate_id"] for m in ranked] == [real, stuffed]  # applicants only, best first
    top = ranked[0]
    assert top["candidate_name"] == "Daniel Okafor" and top["score"] > ranked[1]["score"] + 25
    postgres = next(r for r in top["requirements"] if "PostgreSQL" in r["requirement"])
    assert postgres["status"] == "matched" and "Postgres" in postgres["evidence"]
    assert ranked[1]["missing"] and "skills list" in ranked[1]["explanation"]

    pool = client.get(f"/api/v1/jobs/{job['id']}/matches?scope=pool", headers=tenant.hr.headers).json()
    assert {m["candidate_id"] for m in pool} == {real, stuffed, chef}
    similar = client.get(f"/api/v1/candidates/{real}/similar", headers=tenant.hr.headers).json()
    assert foreign not in {s["candidate_id"] for s in similar}
    assert {s["candidate_id"] for s in similar} == {stuffed, chef}

    # Organization B cannot see A's job, candidates or their profile, and finds only its own CV.
    assert client.get(f"/api/v1/jobs/{job['id']}/matches", headers=other.hr.headers).status_code == 404
    assert client.get(f"/api/v1/candidates/{real}/similar", headers=other.admin.headers).status_code == 404
    assert client.get(f"/api/v1/candidates/{real}/profile", headers=other.hr.headers).status_code == 404
    other_job = client.post("/api/v1/jobs", json=dict(job, title="B's job"), headers=other.hr.headers).json()
    b_pool = client.get(f"/api/v1/jobs/{other_job['id']}/matches?scope=pool", headers=other.hr.headers).json()
    assert [m["candidate_id"] for m in b_pool] == [foreign]

    # Changing the job changes the matches (the cache is keyed by the job's content).
    client.patch(
        f"/api/v1/jobs/{job['id']}",
        json={
            "title": "Head Chef",
            "requirements": "- Run a restaurant kitchen team\n- Seasonal menu planning",
        },
        headers=tenant.hr.headers,
    )
    chef_first = client.get(f"/api/v1/jobs/{job['id']}/matches?scope=pool", headers=tenant.hr.headers).json()
    assert chef_first[0]["candidate_id"] == chef


def test_unreadable_cv_is_marked_failed_with_the_reason(server_client):
    tenant = make_tenant(server_client)
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    scan = io.BytesIO()
    writer.write(scan)
    candidate = upload_cv(server_client, tenant.hr, "Scanned Sam", scan.getvalue(), "scan.pdf")
    profile = processed_profile(server_client, tenant.hr, candidate)
    assert profile["cv_status"] == "failed"
    assert "image-only" in profile["error"]


def _interview_with_answers(client, tenant, answers: list[str]):  # type: ignore[no-untyped-def]
    """A question set with key points, an interview opened at a station, one response per answer."""
    station = enroll_station(client, tenant)
    question_set = client.post(
        "/api/v1/question-sets",
        json={
            "name": "Performance",
            "questions": [
                {
                    "text": "Tell me about a time you improved the performance of a slow system.",
                    "type": "behavioral",
                    "key_points": [
                        "The system and how slow it was, with a number",
                        "Measured or profiled to find the bottleneck",
                        "The change made: caching, query fix or scaling",
                        "The measured result after the change",
                    ],
                }
                for _ in answers
            ],
        },
        headers=tenant.hr.headers,
    ).json()
    candidate = client.post("/api/v1/candidates", data={"full_name": "Ada"}, headers=tenant.hr.headers).json()
    invite = client.post(
        "/api/v1/invites",
        json={"candidate_id": candidate["id"], "question_set_id": question_set["id"]},
        headers=tenant.hr.headers,
    ).json()
    plan = client.post(
        "/api/v1/station/sessions", json={"access_code": invite["access_code"]}, headers=station.headers
    ).json()
    response_ids = []
    with client.app.state.db.session() as session:
        for question in plan["questions"]:
            row = Response(
                organization_id=tenant.organization_id,
                interview_id=invite["interview_id"],
                question_id=question["id"],
                attempt=1,
                client_answer_id=new_id(),
                media_sha256=hashlib.sha256(b"x").hexdigest(),
                recorded_at=utcnow(),
            )
            session.add(row)
            session.flush()
            response_ids.append(row.id)
    return station, invite["interview_id"], response_ids


def test_transcripts_are_scored_with_evidence_rescored_as_versions_and_summarized(server_client):
    client = server_client
    tenant, other = make_tenant(client), make_tenant(client)
    station, interview_id, (good_id, vague_id, silent_id) = _interview_with_answers(
        client, tenant, [GOOD, VAGUE, ""]
    )
    for response_id, text in ((good_id, GOOD), (vague_id, VAGUE), (silent_id, "Um. I don't know.")):
        put = client.put(
            f"/api/v1/responses/{response_id}/transcript",
            json=make_transcript(text).model_dump(mode="json"),
            headers=station.headers,
        )
        assert put.status_code == 200, put.text

    def score(response_id: str):  # type: ignore[no-untyped-def]
        got = client.get(f"/api/v1/responses/{response_id}/score", headers=tenant.hr.headers)
        return got.json() if got.status_code == 200 else None

    good, vague, silent = (wait_for(lambda rid=rid: score(rid)) for rid in (good_id, vague_id, silent_id))
    assert good["status"] == "scored" and good["provider"] == "local" and good["version"] == 1
    assert good["latency_ms"] > 0 and (good["input_tokens"], good["output_tokens"]) == (0, 0)
    assert good["overall"] >= vague["overall"] + 1.0
    assert {c["criterion"] for c in good["criteria"]} == {
        "relevance",
        "key_point_coverage",
        "specificity",
        "clarity",
    }
    for criterion in good["criteria"]:
        assert criterion["quote"].lower() in GOOD.lower() and criterion["start"] >= 0.5
    assert 2 <= good["feedback"].count(".") <= 6
    assert silent["status"] == "not_enough_to_score" and silent["overall"] is None and silent["reason"]

    summary = wait_for(
        lambda: (
            (
                r := client.get(f"/api/v1/interviews/{interview_id}/summary", headers=tenant.hr.headers)
            ).status_code
            == 200
            and r.json()
        )
    )
    assert summary["scored_answers"] == 2 and summary["unscored_answers"] == 1
    assert summary["overall"] == pytest.approx((good["overall"] + vague["overall"]) / 2, abs=0.06)

    queued = client.post(f"/api/v1/responses/{good_id}/rescore", headers=tenant.hr.headers)
    assert queued.status_code == 202, queued.text
    history = wait_for(
        lambda: (
            len(h := client.get(f"/api/v1/responses/{good_id}/scores", headers=tenant.hr.headers).json()) == 2
            and h
        )
    )
    assert [s["version"] for s in history] == [2, 1]
    assert history[0]["overall"] == history[1]["overall"]  # deterministic local scorer
    assert history[0]["id"] != history[1]["id"]

    for path in (
        f"/api/v1/responses/{good_id}/score",
        f"/api/v1/responses/{good_id}/scores",
        f"/api/v1/interviews/{interview_id}/summary",
    ):
        assert client.get(path, headers=other.hr.headers).status_code == 404
    assert client.post(f"/api/v1/responses/{good_id}/rescore", headers=other.admin.headers).status_code == 404
    assert client.get(f"/api/v1/responses/{good_id}/score", headers=station.headers).status_code == 403


def test_question_drafts_from_the_bank_for_the_job_and_cv(server_client):
    client = server_client
    tenant = make_tenant(client)
    spec = next(j for j in load_jobs() if j["id"] == "nurse")
    job = client.post(
        "/api/v1/jobs",
        json={
            "title": spec["title"],
            "description": spec["description"],
            "requirements": spec["requirements"],
        },
        headers=tenant.hr.headers,
    ).json()
    candidate = upload_cv(client, tenant.hr, "Grace", load_cvs()["nurse_keywords_real"].encode(), "cv.txt")
    processed_profile(client, tenant.hr, candidate)
    drafted = client.post(
        f"/api/v1/jobs/{job['id']}/question-drafts",
        json={"candidate_id": candidate, "count": 6},
        headers=tenant.hr.headers,
    )
    assert drafted.status_code == 200, drafted.text
    body = drafted.json()
    assert body["draft"] is True and body["provider"] == "local" and len(body["questions"]) == 6
    assert {q["type"] for q in body["questions"]} == {"technical", "behavioral", "situational"}
    assert sum("patient" in q["text"].lower() or "ward" in q["text"].lower() for q in body["questions"]) >= 3
    assert all(q["key_points"] and q["source"].startswith("bank:") for q in body["questions"])
    other = make_tenant(client)
    assert (
        client.post(
            f"/api/v1/jobs/{job['id']}/question-drafts", json={}, headers=other.hr.headers
        ).status_code
        == 404
    )


@pytest.mark.parametrize("backend", ["sqlite"])
def test_scoring_that_keeps_failing_ends_in_the_dead_letter_list(
    server_settings, fake_llm, monkeypatch, request
):
    """Only OpenAI configured and it answers 500: the job retries with backoff, then is dead-lettered."""
    from fastapi.testclient import TestClient

    from sync_server.app import create_app

    spec = registry.registered_jobs()[SCORE_RESPONSE_JOB]
    monkeypatch.setitem(
        registry._JOBS,
        SCORE_RESPONSE_JOB,
        dataclasses.replace(spec, max_retries=2, min_backoff_ms=20, max_backoff_ms=50),
    )
    settings = server_settings.model_copy(
        update={
            "ai_providers": "openai",
            "openai_api_key": SecretStr("sk-test-not-a-real-key"),
            "openai_base_url": fake_llm.openai_base_url,
            "ai_max_attempts": 1,
            "ai_retry_base_seconds": 0.01,
        }
    )
    with TestClient(create_app(settings)) as client:
        tenant = make_tenant(client)
        station, _, (response_id,) = _interview_with_answers(client, tenant, [GOOD])
        client.put(
            f"/api/v1/responses/{response_id}/transcript",
            json=make_transcript(GOOD).model_dump(mode="json"),
            headers=station.headers,
        )

        def dead():  # type: ignore[no-untyped-def]
            page = client.get(
                "/api/v1/admin/jobs/dead",
                params={"job_name": SCORE_RESPONSE_JOB},
                headers=tenant.admin.headers,
            ).json()
            return [j for j in page["items"] if j["arguments"].get("response_id") == response_id]

        found = wait_for(dead, timeout=60)[0]
        assert found["attempts"] == 3
        assert "openai: HTTP 500" in found["error"]
        assert "sk-test" not in found["error"]
        assert len(fake_llm.calls("openai")) == 3
        assert (
            client.get(f"/api/v1/responses/{response_id}/score", headers=tenant.hr.headers).status_code == 404
        )


@pytest.mark.parametrize("backend", ["sqlite"])
def test_sweep_forgets_erased_candidates_vectors_and_requeues_lost_work(server_client):
    from sync_server.ai.runtime import ai_services
    from sync_server.models import Candidate
    from sync_server.scoring.jobs import sweep

    client = server_client
    tenant = make_tenant(client)
    cv = load_cvs()["teacher"].encode()
    kept = upload_cv(client, tenant.hr, "Kept", cv, "cv.txt")
    erased = upload_cv(client, tenant.hr, "Erased", cv, "cv.txt")
    for cid in (kept, erased):
        processed_profile(client, tenant.hr, cid)
    store = ai_services(client.app.state.settings).matching.store
    assert store.count_cvs(organization_id=tenant.organization_id) == 2
    with client.app.state.db.session() as session:
        row = session.get(Candidate, erased)
        row.erased_at, row.full_name = utcnow(), "erased"
    sweep(client.app.state.queue.context)
    assert store.count_cvs(organization_id=tenant.organization_id) == 1
    assert store.profile_vector(organization_id=tenant.organization_id, candidate_id=erased) is None
    assert store.profile_vector(organization_id=tenant.organization_id, candidate_id=kept) is not None
    # A CV left pending (its message lost in a crash) is queued again by the sweep and processed.
    with client.app.state.db.session() as session:
        row = session.get(Candidate, kept)
        row.cv_status, row.updated_at = "pending", utcnow() - timedelta(minutes=10)
    sweep(client.app.state.queue.context)
    assert processed_profile(client, tenant.hr, kept)["cv_status"] == "done"
