"""A real sync server seeded for kiosk tests: an organization (via `demo-seed`), an enrolled station,
and fresh access codes for short interviews (via the HR API), exactly as staff would set them up."""

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from desktop_app.sync.client import enroll
from desktop_app.sync.identity import StationIdentity, save_identity
from tests.support.live_server import LiveServer

API = "/api/v1"


def _field(text: str, name: str) -> str:
    match = re.search(rf"^{name}\s*:\s*(\S+)", text, re.MULTILINE)
    assert match, f"{name} missing from demo-seed output:\n{text}"
    return match.group(1)


@dataclass
class KioskServer:
    live: LiveServer
    hr: dict[str, str]
    admin: dict[str, str]
    organization: str
    demo_access_code: str
    logins: dict[str, dict[str, str]]  # role -> email and password, to sign in again when a token expires

    @classmethod
    def seed(cls, live: LiveServer) -> "KioskServer":
        out = live.cli("demo-seed")
        password = re.search(r"password:\s*(\S+)", out)
        assert password
        logins = {
            role: {"email": _field(out, role), "password": password.group(1)} for role in ("admin", "hr")
        }
        org = re.search(r"^organization\s*:\s*(.+)$", out, re.MULTILINE)
        assert org
        return cls(
            live,
            _sign_in(live, logins["hr"]),
            _sign_in(live, logins["admin"]),
            org.group(1).strip(),
            _field(out, "access code"),
            logins,
        )

    def _sign_in_again(self, headers: dict[str, str]) -> None:
        """Access tokens last minutes; a soak runs for an hour. Refresh the given headers in place."""
        role = "hr" if headers is self.hr else "admin"
        headers.update(_sign_in(self.live, self.logins[role]))

    def _request(self, method: str, path: str, headers: dict[str, str], **kwargs: Any) -> httpx.Response:
        response = httpx.request(method, f"{self.live.url}{API}{path}", headers=headers, timeout=30, **kwargs)
        if response.status_code == 401:
            self._sign_in_again(headers)
            response = httpx.request(
                method, f"{self.live.url}{API}{path}", headers=headers, timeout=30, **kwargs
            )
        return response

    def _post(self, path: str, headers: dict[str, str], **kwargs: Any) -> dict[str, Any]:
        response = self._request("POST", path, headers, **kwargs)
        assert response.is_success, response.text
        body: dict[str, Any] = response.json()
        return body

    def enrollment_code(self, station_name: str = "Kiosk under test") -> str:
        return str(
            self._post("/stations/enrollment-codes", self.admin, json={"station_name": station_name})[
                "enrollment_code"
            ]
        )

    def enroll_station(self, identity_file: Path) -> StationIdentity:
        """Enroll through the station's own client and save its identity where the station looks."""
        identity = enroll(self.live.url, self.enrollment_code())
        save_identity(identity_file, identity)
        return identity

    def invite(
        self,
        questions: list[dict[str, Any]],
        *,
        name: str = "Robin Candidate",
        accommodations: dict[str, Any] | None = None,
    ) -> tuple[str, str, str]:
        """A new candidate invited to `questions`; returns (access code, interview id, invite id)."""
        question_set = self._post(
            "/question-sets", self.hr, json={"name": "Kiosk test", "questions": questions}
        )
        job = self._post(
            "/jobs", self.hr, json={"title": "Kiosk test job", "question_set_id": question_set["id"]}
        )
        candidate = self._post("/candidates", self.hr, data={"full_name": name, "job_id": job["id"]})
        invite = self._post(
            "/invites",
            self.hr,
            json={"candidate_id": candidate["id"], "accommodations": accommodations or {}},
        )
        return invite["access_code"], invite["interview_id"], invite["id"]

    def expire_invite(self, invite_id: str) -> None:
        """The API cannot make an expired invite (the shortest expiry is an hour), so age it in the DB."""
        with sqlite3.connect(self.live.data_dir / "interview.db") as db:
            past = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
            changed = db.execute("UPDATE invites SET expires_at = ? WHERE id = ?", (past, invite_id)).rowcount
        assert changed == 1

    def interview(self, interview_id: str) -> dict[str, Any]:
        response = self._request("GET", f"/interviews/{interview_id}", self.hr)
        assert response.is_success, response.text
        body: dict[str, Any] = response.json()
        return body


def _sign_in(live: LiveServer, login: dict[str, str]) -> dict[str, str]:
    response = httpx.post(f"{live.url}{API}/auth/login", json=login, timeout=30)
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
