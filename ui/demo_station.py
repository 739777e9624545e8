"""The demo station: enrolled with the demo server, a fresh access code per run, a known staff PIN.

Uses only the server's public API with the demo accounts `demo-seed` printed, and keeps the demo
station's data apart from a real station's (its own data folder; the PIN comes from the environment,
never written to the real station's settings file). The demo's question set, job and candidate are
made on the first run and found again by name on every later one, so the review desk shows one demo
candidate with one interview per run, not a new job and candidate each time.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from desktop_app.staff_pin import hash_pin
from desktop_app.sync.client import enroll
from desktop_app.sync.errors import NotEnrolled
from desktop_app.sync.identity import load_identity, save_identity

API = "/api/v1"
DEMO_PIN = "2468"
DEMO_QUESTION_SET = "Demo kiosk interview"
DEMO_JOB = "Demo role"
DEMO_CANDIDATE = "Demo Candidate"
DEMO_QUESTIONS = [
    {
        "text": "Please introduce yourself and tell us what kind of work you enjoy most.",
        "think_seconds": 10,
        "answer_seconds": 60,
        "max_attempts": 2,
    },
    {
        "text": "Tell us about a time you helped someone solve a problem. What did you do?",
        "think_seconds": 15,
        "answer_seconds": 90,
    },
]


@dataclass(frozen=True)
class DemoStation:
    data_dir: Path
    access_code: str
    pin: str


def _login(client: httpx.Client, credentials: str, role: str) -> dict[str, str]:
    account = re.search(rf"^{role}\s*:\s*(\S+)\s+password:\s*(\S+)", credentials, re.MULTILINE)
    if account is None:
        raise RuntimeError(f"the demo credentials have no {role} account")
    response = client.post(
        f"{API}/auth/login", json={"email": account.group(1), "password": account.group(2)}
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _post(client: httpx.Client, path: str, headers: dict[str, str], **kwargs: Any) -> dict[str, Any]:
    response = client.post(f"{API}{path}", headers=headers, **kwargs)
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def _first(
    client: httpx.Client, path: str, headers: dict[str, str], params: dict[str, str], **wanted: str
) -> dict[str, Any] | None:
    """The oldest item of a list endpoint whose fields equal `wanted` (the search `q` matches parts)."""
    response = client.get(
        f"{API}{path}", headers=headers, params={**params, "sort": "created_at", "limit": "100"}
    )
    response.raise_for_status()
    items: list[dict[str, Any]] = response.json()["items"]
    return next((item for item in items if all(item.get(k) == v for k, v in wanted.items())), None)


def _demo_candidate(client: httpx.Client, hr: dict[str, str]) -> dict[str, Any]:
    """The demo candidate, with the demo job and question set: found by name, made on the first run."""
    questions = _first(client, "/question-sets", hr, {"q": DEMO_QUESTION_SET}, name=DEMO_QUESTION_SET)
    if questions is None:
        questions = _post(
            client, "/question-sets", hr, json={"name": DEMO_QUESTION_SET, "questions": DEMO_QUESTIONS}
        )
    job = _first(client, "/jobs", hr, {"q": DEMO_JOB}, title=DEMO_JOB, question_set_id=questions["id"])
    if job is None:
        job = _post(client, "/jobs", hr, json={"title": DEMO_JOB, "question_set_id": questions["id"]})
    candidate = _first(
        client, "/candidates", hr, {"q": DEMO_CANDIDATE, "job_id": job["id"]}, full_name=DEMO_CANDIDATE
    )
    if candidate is None:
        candidate = _post(client, "/candidates", hr, data={"full_name": DEMO_CANDIDATE, "job_id": job["id"]})
    return candidate


def _revoke_open_invites(client: httpx.Client, hr: dict[str, str], candidate_id: str) -> None:
    """The codes printed by earlier runs and never typed stop working: only the newest one is valid."""
    response = client.get(
        f"{API}/invites", headers=hr, params={"candidate_id": candidate_id, "state": "open", "limit": "100"}
    )
    response.raise_for_status()
    for invite in response.json()["items"]:
        _post(client, f"/invites/{invite['id']}/revoke", hr)


def prepare_demo_station(server_url: str, credentials: str, station_dir: Path) -> DemoStation:
    """Enroll the demo station (once) and invite the demo candidate to a short interview (every run)."""
    identity_file = station_dir / "station-identity.json"
    with httpx.Client(base_url=server_url, timeout=30) as client:
        admin = _login(client, credentials, "admin")
        hr = _login(client, credentials, "hr")
        try:
            load_identity(identity_file)
        except NotEnrolled:
            code = _post(client, "/stations/enrollment-codes", admin, json={"station_name": "Demo kiosk"})
            save_identity(identity_file, enroll(server_url, code["enrollment_code"]))
        candidate = _demo_candidate(client, hr)
        _revoke_open_invites(client, hr, candidate["id"])
        invite = _post(client, "/invites", hr, json={"candidate_id": candidate["id"]})
    return DemoStation(station_dir, invite["access_code"], DEMO_PIN)


def use_demo_station(station: DemoStation, server_url: str) -> None:
    """Point this process's station settings at the demo station (environment only).

    A machine with no camera or microphone (a server, a CI box) still runs the demo: generated
    stand-ins take their place, and the device check says so (desktop_app/devices/demo.py).
    """
    os.environ["INTERVIEW_STATION_DATA_DIR"] = str(station.data_dir)
    os.environ["INTERVIEW_STATION_DEMO_STAND_INS"] = "true"
    os.environ["INTERVIEW_STATION_SERVER_URL"] = server_url
    os.environ["INTERVIEW_STATION_STAFF_PIN_HASH"] = hash_pin(station.pin)
