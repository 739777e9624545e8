"""Sync-server load: N simulated stations and M HR desks on loopback against real server processes.

    python -m tests.benchmarks.bench_server [--quick] [--stations 8] [--hr 4] [--seconds 15]

Two runs, same load, same machine, same process driving them:
  postgres  `interview-server serve --workers 2` on PostgreSQL + Redis (rate limits, cache, queue)
  sqlite    the embedded default: `interview-server serve` (one process) on SQLite, nothing else

Each station loops: heartbeat, open a session with a fresh access code (gets the plan), fetch the plan
again, report consent, report completion. Each HR desk loops over the list endpoints (interviews,
candidates, jobs, invites; 50 per page) and one interview's detail. Clients are asyncio + httpx, one
connection each. Prints requests/s and p50/p95/p99 latency per endpoint, and the SQLite/PostgreSQL
ratio. Asserts nothing: the numbers depend on the machine and what else runs on it.
"""

import argparse
import asyncio
import os
import socket
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from sync_server import migrate
from sync_server.candidates.service import create_candidate
from sync_server.config import ServerSettings
from sync_server.contract import InviteCreate, JobCreate, QuestionIn, QuestionSetCreate, Role
from sync_server.db import Database, build_engine
from sync_server.invites.service import create_invite
from sync_server.jobs.service import create_job
from sync_server.organizations.service import create_organization, create_user
from sync_server.question_sets.service import create_question_set
from sync_server.stations.service import issue_enrollment_code
from tests.support.server_process import ServerProcess, server_env
from tests.support.services import redis_namespace, temporary_postgres_database

SECRET = "benchmark-secret-key-that-is-long-enough-0123456789"
PASSWORD = "benchmark passphrase"
EXTRA_CANDIDATES = 400  # so the HR lists page through a realistic table


@dataclass
class Seed:
    hr_emails: list[str]
    enrollment_codes: list[str]
    access_codes: list[list[str]]  # per station


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: float = 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed(settings: ServerSettings, *, stations: int, hr: int, sessions_per_station: int) -> Seed:
    engine = build_engine(settings)
    migrate.upgrade(engine, "head")
    engine.dispose()
    database = Database(settings)
    try:
        with database.session() as session:
            org = create_organization(session, name="Bench Org", slug="bench")
            hr_emails = []
            for i in range(hr):
                user = create_user(
                    session,
                    organization_id=org.id,
                    email=f"hr{i}@bench.example",
                    password=PASSWORD,
                    role=Role.hr,
                )
                hr_emails.append(user.email)
            actor = ("user", None)
            qs = create_question_set(
                session,
                organization_id=org.id,
                data=QuestionSetCreate(
                    name="Bench", questions=[QuestionIn(text=f"Question {n}?") for n in range(1, 6)]
                ),
                actor=actor,
            )
            job = create_job(
                session,
                organization_id=org.id,
                data=JobCreate(title="Bench job", question_set_id=qs.id),
                actor=actor,
            )
            codes = []
            for s in range(stations):
                _, code = issue_enrollment_code(
                    session,
                    settings,
                    organization_id=org.id,
                    station_name=f"Station {s}",
                    expires_in_minutes=60,
                    actor=actor,
                )
                codes.append(code)
            access: list[list[str]] = []
            for s in range(stations):
                mine = []
                for n in range(sessions_per_station):
                    candidate = create_candidate(
                        session,
                        settings,
                        organization_id=org.id,
                        full_name=f"Candidate {s}-{n}",
                        email=None,
                        job_id=job.id,
                        cv=None,
                        actor=actor,
                    )
                    invite = create_invite(
                        session,
                        settings,
                        organization_id=org.id,
                        data=InviteCreate(candidate_id=candidate.id),
                        actor=actor,
                    )
                    mine.append(invite.access_code)
                access.append(mine)
            for n in range(EXTRA_CANDIDATES):
                create_candidate(
                    session,
                    settings,
                    organization_id=org.id,
                    full_name=f"Applicant {n}",
                    email=None,
                    job_id=job.id,
                    cv=None,
                    actor=actor,
                )
        return Seed(hr_emails=hr_emails, enrollment_codes=codes, access_codes=access)
    finally:
        database.dispose()


async def timed(
    client: httpx.AsyncClient, results: Results, label: str, method: str, url: str, **kwargs
) -> httpx.Response | None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    try:
        response = await client.request(method, url, **kwargs)
    except httpx.HTTPError:
        results.errors[label] += 1
        return None
    results.latencies[label].append(time.perf_counter() - started)
    if response.status_code >= 400:
        results.errors[label] += 1
    return response


async def station_loop(
    base_url: str, enrollment_code: str, codes: list[str], results: Results, stop: float
) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        enrolled = await client.post("/api/v1/stations/enroll", json={"enrollment_code": enrollment_code})
        enrolled.raise_for_status()
        headers = {"Authorization": f"Bearer {enrolled.json()['credential']}"}
        for code in codes:
            if time.perf_counter() >= stop:
                return
            await timed(
                client,
                results,
                "station heartbeat",
                "POST",
                "/api/v1/station/heartbeat",
                json={},
                headers=headers,
            )
            opened = await timed(
                client,
                results,
                "station open session",
                "POST",
                "/api/v1/station/sessions",
                json={"access_code": code},
                headers=headers,
            )
            if opened is None or opened.status_code != 200:
                continue
            interview_id = opened.json()["interview_id"]
            await timed(
                client,
                results,
                "station plan",
                "GET",
                f"/api/v1/station/interviews/{interview_id}/plan",
                headers=headers,
            )
            for status in ("in_progress", "completed"):
                body = (
                    {"status": status, "consent_version": "default-1"}
                    if status == "in_progress"
                    else {"status": status}
                )
                await timed(
                    client,
                    results,
                    "station progress",
                    "POST",
                    f"/api/v1/station/interviews/{interview_id}/progress",
                    json=body,
                    headers=headers,
                )


async def hr_loop(base_url: str, email: str, results: Results, stop: float) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        login = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        login.raise_for_status()
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        while time.perf_counter() < stop:
            page = await timed(
                client, results, "hr list interviews", "GET", "/api/v1/interviews?limit=50", headers=headers
            )
            await timed(
                client,
                results,
                "hr list candidates",
                "GET",
                "/api/v1/candidates?limit=50&sort=full_name",
                headers=headers,
            )
            await timed(client, results, "hr list jobs", "GET", "/api/v1/jobs", headers=headers)
            await timed(
                client,
                results,
                "hr list invites",
                "GET",
                "/api/v1/invites?limit=50&state=open",
                headers=headers,
            )
            if page is not None and page.status_code == 200 and page.json()["items"]:
                first = page.json()["items"][0]["id"]
                await timed(
                    client,
                    results,
                    "hr interview detail",
                    "GET",
                    f"/api/v1/interviews/{first}",
                    headers=headers,
                )


async def drive(base_url: str, data: Seed, seconds: float) -> Results:
    results = Results()
    started = time.perf_counter()
    stop = started + seconds
    await asyncio.gather(
        *(
            station_loop(base_url, code, data.access_codes[i], results, stop)
            for i, code in enumerate(data.enrollment_codes)
        ),
        *(hr_loop(base_url, email, results, stop) for email in data.hr_emails),
    )
    results.seconds = time.perf_counter() - started
    return results


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def print_table(name: str, results: Results) -> None:
    print(f"\n{name}: {results.seconds:.1f} s")
    print(f"{'endpoint':<24}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    total = 0
    for label in sorted(results.latencies):
        values = results.latencies[label]
        total += len(values)
        print(
            f"{label:<24}{len(values):>9}{len(values) / results.seconds:>9.1f}"
            f"{percentile(values, 0.50) * 1000:>9.1f}{percentile(values, 0.95) * 1000:>9.1f}"
            f"{percentile(values, 0.99) * 1000:>9.1f}{results.errors.get(label, 0):>8}"
        )
    print(f"{'all':<24}{total:>9}{total / results.seconds:>9.1f}")


def print_ratio(baseline: Results, other: Results) -> None:
    print("\nsqlite / postgres (throughput ratio; p95 ratio)")
    for label in sorted(baseline.latencies):
        if label not in other.latencies:
            continue
        rate = (len(other.latencies[label]) / other.seconds) / (
            len(baseline.latencies[label]) / baseline.seconds
        )
        p95 = percentile(other.latencies[label], 0.95) / percentile(baseline.latencies[label], 0.95)
        print(f"{label:<24}{rate:>9.2f}x{p95:>9.2f}x")


@contextmanager
def running_server(env: dict[str, str], workers: int) -> Iterator[str]:
    server = ServerProcess(
        free_port(),
        {
            **env,
            "INTERVIEW_SERVER_API_RATE_LIMIT": "1000000/minute",
            "INTERVIEW_SERVER_STATION_RATE_LIMIT": "1000000/minute",
        },
        workers=workers,
    )
    try:
        server.wait_ready()
        yield server.url
    finally:
        server.stop()


def run(args: argparse.Namespace) -> None:
    sessions = max(10, int(args.seconds * 4))
    print(f"{args.stations} stations, {args.hr} HR desks, {args.seconds:.0f} s per run, loopback")
    print("load average before: {:.1f} {:.1f} {:.1f} on {} cores".format(*os.getloadavg(), os.cpu_count()))
    runs: dict[str, Results] = {}
    with (
        tempfile.TemporaryDirectory() as tmp,
        temporary_postgres_database() as pg_url,
        redis_namespace() as (redis_url, prefix),
    ):
        pg_dir = Path(tmp) / "pg"
        settings = ServerSettings(data_dir=pg_dir, database_url=pg_url, secret_key=SECRET)  # type: ignore[arg-type]
        data = seed(settings, stations=args.stations, hr=args.hr, sessions_per_station=sessions)
        env = server_env(
            data_dir=pg_dir, database_url=pg_url, redis_url=redis_url, prefix=prefix, secret=SECRET
        )
        with running_server(env, workers=2) as url:
            runs["postgres"] = asyncio.run(drive(url, data, args.seconds))
        print_table("PostgreSQL + Redis, 2 uvicorn workers", runs["postgres"])

        lite_dir = Path(tmp) / "sqlite"
        settings = ServerSettings(data_dir=lite_dir, secret_key=SECRET)  # type: ignore[arg-type]
        data = seed(settings, stations=args.stations, hr=args.hr, sessions_per_station=sessions)
        env = server_env(data_dir=lite_dir, database_url=None, redis_url=None, prefix="", secret=SECRET)
        with running_server(env, workers=1) as url:
            runs["sqlite"] = asyncio.run(drive(url, data, args.seconds))
        print_table("embedded SQLite, 1 process", runs["sqlite"])
    print_ratio(runs["postgres"], runs["sqlite"])
    print("load average after: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a short run (4 stations, 2 HR, 4 s)")
    parser.add_argument("--stations", type=int, default=8)
    parser.add_argument("--hr", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()
    if args.quick:
        args.stations, args.hr, args.seconds = 4, 2, 4.0
    run(args)


if __name__ == "__main__":
    main()
