"""Full-text search over a job's transcripts, on SQLite (FTS5) and PostgreSQL (tsvector + GIN):
words, phrases, stemming, snippets with offsets, the second to seek to, paging, bad input, and scope
(another organization's job, another job, erased candidates, changed or deleted answers)."""

from dataclasses import dataclass

import pytest
from sqlalchemy import delete, text

from sync_server.models import Response, new_id
from tests.support.desk_world import words_transcript
from tests.support.server import Caller, Tenant, enroll_station, make_tenant

SEARCH = "/api/v1/jobs/{job_id}/transcripts/search"

BUG = (
    "Last spring our checkout failed for some users. I bisected the release and found a race in the "
    "cache warmup, so I fixed it with a lock and added a regression test that fails without the lock."
)
OFFLINE = "Keep a durable local queue on disk and retry uploads with exponential backoff."
KUBERNETES = "We ran everything on Kubernetes, with Helm charts and a staging cluster per team."


@pytest.fixture
def server_settings(server_settings):
    """No background worker: each transcript would be scored (the local model), which search does not need."""
    return server_settings.model_copy(update={"embedded_worker": False})


@dataclass
class Job:
    id: str
    question_set_id: str
    question_ids: list[str]


def make_job(client, tenant: Tenant, title: str = "Backend engineer") -> Job:
    questions = client.post(
        "/api/v1/question-sets",
        json={
            "name": f"{title} questions",
            "questions": [
                {"text": "Tell us about a hard bug.", "type": "behavioral"},
                {"text": "How do you keep working offline?", "type": "technical"},
            ],
        },
        headers=tenant.hr.headers,
    )
    assert questions.status_code == 201, questions.text
    body = questions.json()
    job = client.post(
        "/api/v1/jobs", json={"title": title, "question_set_id": body["id"]}, headers=tenant.hr.headers
    )
    assert job.status_code == 201, job.text
    return Job(job.json()["id"], body["id"], [q["id"] for q in body["questions"]])


def answer(
    client, tenant: Tenant, station: Caller, job: Job, name: str, texts: list[str]
) -> dict[str, object]:
    """A candidate of `job` interviewed at `station`: one answer per text, its transcript sent by the station
    (the real PUT), with one word every 0.5 s."""
    candidate = client.post(
        "/api/v1/candidates", data={"full_name": name, "job_id": job.id}, headers=tenant.hr.headers
    )
    assert candidate.status_code == 201, candidate.text
    invite = client.post(
        "/api/v1/invites", json={"candidate_id": candidate.json()["id"]}, headers=tenant.hr.headers
    )
    assert invite.status_code == 201, invite.text
    opened = client.post(
        "/api/v1/station/sessions",
        json={"access_code": invite.json()["access_code"]},
        headers=station.headers,
    )
    assert opened.status_code == 200, opened.text
    response_ids = []
    for number, said in enumerate(texts):
        with client.app.state.db.session() as session:
            row = Response(
                organization_id=tenant.organization_id,
                interview_id=invite.json()["interview_id"],
                question_id=job.question_ids[number],
                attempt=1,
                client_answer_id=new_id(),
            )
            session.add(row)
            session.flush()
            response_ids.append(row.id)
        sent = client.put(
            f"/api/v1/responses/{row.id}/transcript",
            content=words_transcript(said, seconds_per_word=0.5).model_dump_json(),
            headers={**station.headers, "Content-Type": "application/json"},
        )
        assert sent.status_code == 200, sent.text
    return {
        "candidate_id": candidate.json()["id"],
        "interview_id": invite.json()["interview_id"],
        "response_ids": response_ids,
    }


def indexed_words_of(client, response_id: str) -> str:
    """What the search index holds for an answer, read straight from the database."""
    with client.app.state.db.session() as session:
        if session.get_bind().dialect.name == "postgresql":
            held = session.scalar(
                text("SELECT transcript_search::text FROM responses WHERE id = :id"), {"id": response_id}
            )
        else:
            held = " ".join(
                session.scalars(
                    text("SELECT body FROM response_transcripts_fts WHERE response_id = :id"),
                    {"id": response_id},
                )
            )
    return str(held or "").lower()


def search(client, caller: Caller, job_id: str, q: str, **params: object):
    return client.get(SEARCH.format(job_id=job_id), params={"q": q, **params}, headers=caller.headers)


def hits(client, caller: Caller, job_id: str, q: str) -> list[dict[str, object]]:
    response = search(client, caller, job_id, q)
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items


def test_words_phrases_snippets_and_the_second_to_seek_to(server_client):
    client = server_client
    tenant = make_tenant(client)
    station = enroll_station(client, tenant)
    job = make_job(client, tenant)
    grace = answer(client, tenant, station, job, "Grace Hopper", [BUG, OFFLINE])
    alan = answer(client, tenant, station, job, "Alan Turing", [KUBERNETES])

    found = hits(client, tenant.hr, job.id, "Regression TESTS")  # any case; "tests" stems to "test"
    assert len(found) == 1
    hit = found[0]
    assert hit["candidate_id"] == grace["candidate_id"] and hit["candidate_name"] == "Grace Hopper"
    assert hit["interview_id"] == grace["interview_id"]
    assert hit["response_id"] == grace["response_ids"][0]
    assert hit["question_text"] == "Tell us about a hard bug." and hit["attempt"] == 1
    words = BUG.split()
    assert hit["start_seconds"] == pytest.approx(words.index("regression") * 0.5)
    snippet = str(hit["snippet"])
    marked = [snippet[s["start"] : s["end"]] for s in hit["highlights"]]  # type: ignore[index,union-attr]
    assert " ".join(marked).startswith("regression test")
    assert snippet.startswith("…") and "regression test that fails" in snippet
    assert "<" not in snippet and "\x02" not in snippet  # plain text, offsets carry the marks

    # every word must occur; admins search too; a phrase; "or"; exclusion
    assert [h["response_id"] for h in hits(client, tenant.admin, job.id, "kubernetes helm")] == alan[
        "response_ids"
    ]
    assert hits(client, tenant.hr, job.id, "kubernetes lock") == []
    assert len(hits(client, tenant.hr, job.id, '"exponential backoff"')) == 1
    assert len(hits(client, tenant.hr, job.id, "helm or backoff")) == 2
    assert len(hits(client, tenant.hr, job.id, "lock -kubernetes")) == 1
    assert hits(client, tenant.hr, job.id, "blockchain") == []

    # punctuation is no error; what is left of it is searched
    for q in ("c++ & | ! ( ) : * ' \" NEAR( AND OR NOT", "lock!!", "race-condition?", "'); DROP TABLE x;--"):
        assert search(client, tenant.hr, job.id, q).status_code == 200, q
    assert len(hits(client, tenant.hr, job.id, "(kubernetes)!")) == 1

    # input that cannot be searched: the one error shape
    for q, why in (("", "q"), ("!!! ???", "word"), ("lock\x00", "control"), ("x" * 201, "q")):
        refused = search(client, tenant.hr, job.id, q)
        assert refused.status_code == 422, q
        assert refused.json()["error"] in ("UnprocessableEntity", "ValidationError")
        assert why in refused.json()["detail"]


def test_scope_other_organization_other_job_erased_changed_and_deleted_answers(server_client):
    client = server_client
    tenant, other = make_tenant(client), make_tenant(client)
    station = enroll_station(client, tenant)
    job, second_job = make_job(client, tenant), make_job(client, tenant, "Site reliability engineer")
    kept = answer(client, tenant, station, job, "Grace Hopper", [KUBERNETES])
    erased = answer(client, tenant, station, job, "Erased Person", [KUBERNETES])
    elsewhere = answer(client, tenant, station, second_job, "Alan Turing", [KUBERNETES])
    gone = client.post(
        f"/api/v1/candidates/{erased['candidate_id']}/erase",
        json={"reason": "Candidate asked for deletion"},
        headers=tenant.hr.headers,
    )
    assert gone.status_code == 200, gone.text

    assert [h["candidate_name"] for h in hits(client, tenant.hr, job.id, "kubernetes")] == ["Grace Hopper"]
    assert [h["candidate_name"] for h in hits(client, tenant.hr, second_job.id, "kubernetes")] == [
        "Alan Turing"
    ]
    for caller in (other.hr, other.admin):
        refused = search(client, caller, job.id, "kubernetes")
        assert refused.status_code == 404 and refused.json()["error"] == "NotFound"
    assert search(client, tenant.hr, "no-such-job", "kubernetes").status_code == 404
    # erasure wiped the transcript; the index itself no longer holds the words either
    assert indexed_words_of(client, erased["response_ids"][0]) == ""
    assert "kubernet" in indexed_words_of(client, kept["response_ids"][0])  # stemmed on PostgreSQL

    # the index follows the answer: a new transcript replaces the old words; a deleted answer is gone
    response_id = kept["response_ids"][0]
    replaced = client.put(
        f"/api/v1/responses/{response_id}/transcript",
        content=words_transcript("Mostly serverless functions these days.").model_dump_json(),
        headers={**station.headers, "Content-Type": "application/json"},
    )
    assert replaced.status_code == 200 and replaced.json()["changed"] is True
    assert hits(client, tenant.hr, job.id, "kubernetes") == []
    assert [h["response_id"] for h in hits(client, tenant.hr, job.id, "serverless")] == [response_id]
    with client.app.state.db.session() as session:
        session.execute(delete(Response).where(Response.id == elsewhere["response_ids"][0]))
    assert hits(client, tenant.hr, second_job.id, "kubernetes") == []


def test_pages_of_hits_with_total_and_capped_limit(server_client):
    client = server_client
    tenant = make_tenant(client)
    station = enroll_station(client, tenant)
    job = make_job(client, tenant)
    for number in range(5):
        answer(client, tenant, station, job, f"Candidate {number}", [f"{OFFLINE} Said by number {number}."])
    seen = []
    for offset in (0, 2, 4):
        page = search(client, tenant.hr, job.id, "durable queue", limit=2, offset=offset)
        assert page.status_code == 200, page.text
        body = page.json()
        assert (body["total"], body["limit"], body["offset"]) == (5, 2, offset)
        seen += [h["response_id"] for h in body["items"]]
    assert len(seen) == len(set(seen)) == 5
    beyond = search(client, tenant.hr, job.id, "durable queue", offset=10).json()
    assert beyond["items"] == [] and beyond["total"] == 5
    assert search(client, tenant.hr, job.id, "queue", limit=101).status_code == 422


@pytest.mark.parametrize("backend", ["postgres"])
def test_postgres_answers_from_the_gin_index(server_client):
    with server_client.app.state.db.session() as session:
        session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(
            session.scalars(
                text(
                    "EXPLAIN SELECT id FROM responses "
                    "WHERE transcript_search @@ websearch_to_tsquery('english', 'lock')"
                )
            )
        )
    assert "ix_responses_transcript_search" in plan


@pytest.mark.parametrize("backend", ["sqlite"])
def test_sqlite_index_triggers_exist_at_head(server_client):
    """A later migration that rebuilds `responses` in batch mode drops these triggers; this says so."""
    with server_client.app.state.db.session() as session:
        triggers = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    assert {
        "responses_transcript_fts_insert",
        "responses_transcript_fts_update",
        "responses_transcript_fts_delete",
    } <= triggers
