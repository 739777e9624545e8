"""Transcript search latency: one job with N answered questions, searched through the real API.

    python -m tests.benchmarks.bench_transcript_search [--answers 600] [--rounds 30]

Seeds a migrated database (SQLite embedded default, then PostgreSQL when it is reachable) with one
organization, one job and N transcripts of ~120 words each (rows written through the ORM: the triggers /
expression index index them as in production), then times GET /jobs/{id}/transcripts/search in-process
(TestClient) for a rare word, a common word and a two-word phrase. Prints a table; asserts nothing.
"""

import argparse
import random
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text

VOCABULARY = [
    "we",
    "team",
    "system",
    "users",
    "release",
    "cache",
    "queue",
    "database",
    "deploy",
    "service",
    "customer",
    "feature",
    "test",
    "code",
    "review",
    "design",
    "data",
    "latency",
    "outage",
    "incident",
    "rollback",
    "metrics",
    "alert",
    "monitor",
    "python",
    "java",
    "go",
    "rust",
    "kubernetes",
    "docker",
    "terraform",
    "api",
    "schema",
    "migration",
    "backlog",
    "sprint",
    "planning",
    "mentor",
    "conflict",
    "deadline",
    "priority",
]
QUERIES = {"rare word": "blockchain", "common word": "team", "two words": "cache outage"}


def _transcript(rng: random.Random, words: int) -> dict[str, object]:
    said = [rng.choice(VOCABULARY) for _ in range(words)]
    if rng.random() < 0.02:
        said[rng.randrange(words)] = "blockchain"
    timed = [
        {"start": i * 0.4, "end": i * 0.4 + 0.35, "word": f" {w}", "probability": 0.9}
        for i, w in enumerate(said)
    ]
    text = " ".join(said)
    return {
        "text": text,
        "language": "en",
        "model": "tiny.en",
        "segments": [
            {
                "start": 0.0,
                "end": words * 0.4,
                "text": f" {text}",
                "avg_logprob": -0.2,
                "no_speech_prob": 0.0,
                "words": timed,
            }
        ],
    }


def seed(client: TestClient, tenant: object, answers: int) -> str:
    from sync_server.models import Candidate, Interview, Job, Question, QuestionSet, Response, new_id

    rng = random.Random(7)
    org = tenant.organization_id  # type: ignore[attr-defined]
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        questions = QuestionSet(organization_id=org, name="Bench")
        session.add(questions)
        session.flush()
        asked = [
            Question(organization_id=org, question_set_id=questions.id, position=i, text=f"Question {i}?")
            for i in range(3)
        ]
        session.add_all(asked)
        job = Job(organization_id=org, title="Bench job", question_set_id=questions.id)
        session.add(job)
        session.flush()
        for number in range(0, answers, 3):
            candidate = Candidate(organization_id=org, full_name=f"Candidate {number}", job_id=job.id)
            session.add(candidate)
            session.flush()
            interview = Interview(
                organization_id=org,
                candidate_id=candidate.id,
                job_id=job.id,
                question_set_id=questions.id,
                status="completed",
            )
            session.add(interview)
            session.flush()
            for question in asked[: min(3, answers - number)]:
                session.add(
                    Response(
                        organization_id=org,
                        interview_id=interview.id,
                        question_id=question.id,
                        attempt=1,
                        client_answer_id=new_id(),
                        transcript=_transcript(rng, 120),
                    )
                )
        job_id = job.id
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("ANALYZE"))  # what autovacuum does after a bulk load: real row estimates
    return job_id


def measure(settings: object, label: str, answers: int, rounds: int) -> list[str]:
    from sync_server.app import create_app
    from tests.support.server import make_tenant

    with TestClient(create_app(settings)) as client:  # type: ignore[arg-type]
        tenant = make_tenant(client)
        job_id = seed(client, tenant, answers)
        lines = []
        for name, q in QUERIES.items():
            times, total = [], 0
            for _ in range(rounds):
                start = time.perf_counter()
                response = client.get(
                    f"/api/v1/jobs/{job_id}/transcripts/search",
                    params={"q": q, "limit": 20},
                    headers=tenant.hr.headers,  # type: ignore[attr-defined]
                )
                times.append((time.perf_counter() - start) * 1000)
                total = response.json()["total"]
            times.sort()
            lines.append(
                f"| {label} | {answers} | {name} ({q}) | {total} | {statistics.median(times):.1f} | "
                f"{times[int(len(times) * 0.95) - 1]:.1f} |"
            )
        return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    from tests.support.server import migrated_settings
    from tests.support.services import temporary_postgres_database

    print("| backend | answers | query | hits | p50 ms | p95 ms |")
    print("|---|---|---|---|---|---|")
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        for line in measure(
            migrated_settings(folder / "sqlite", None, embedded_worker=False),
            "SQLite",
            args.answers,
            args.rounds,
        ):
            print(line)
        try:
            url = stack.enter_context(temporary_postgres_database())
        except Exception as exc:
            print(f"PostgreSQL skipped: {exc}")
            return
        settings = migrated_settings(folder / "pg", url, embedded_worker=False)
        for line in measure(settings, "PostgreSQL", args.answers, args.rounds):
            print(line)


if __name__ == "__main__":
    main()
