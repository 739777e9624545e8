"""`interview-server` administration commands, run as an admin runs them (embedded SQLite)."""

import os
import re
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from sync_server.app import create_app
from sync_server.config import ServerSettings

BIN = Path(sys.executable).parent / "interview-server"


def cli(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INTERVIEW_SERVER_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [str(BIN), *args], env=env, capture_output=True, text=True, timeout=120, input=stdin
    )


def test_create_org_user_station_code_and_demo_seed(tmp_path):
    org = cli(tmp_path, "create-org", "Acme Inc")
    assert org.returncode == 0, org.stderr
    assert org.stdout.startswith("organization acme-inc ")
    duplicate = cli(tmp_path, "create-org", "Acme Inc")
    assert duplicate.returncode == 1
    assert "exists already" in duplicate.stderr
    assert "Traceback" not in duplicate.stderr

    weak = cli(
        tmp_path, "create-user", "--org", "acme-inc", "--email", "a@acme.example", "--password", "password1"
    )
    assert weak.returncode == 1
    assert "commonly used" in weak.stderr
    # Without --password the password is asked for (twice) and never echoed.
    user = cli(
        tmp_path,
        "create-user",
        "--org",
        "acme-inc",
        "--email",
        "A@Acme.Example",
        "--role",
        "admin",
        stdin="a long admin passphrase\na long admin passphrase\n",
    )
    assert user.returncode == 0, user.stderr
    assert "a long admin passphrase" not in user.stdout + user.stderr
    unknown = cli(tmp_path, "station-code", "--org", "nope", "--name", "Lobby")
    assert unknown.returncode == 1
    assert "No organization" in unknown.stderr

    code = cli(tmp_path, "station-code", "--org", "acme-inc", "--name", "Lobby")
    assert code.returncode == 0, code.stderr
    enrollment_code = re.search(r": ([A-Z0-9-]{14}) ", code.stdout).group(1)  # type: ignore[union-attr]

    seeded = cli(tmp_path, "demo-seed")
    assert seeded.returncode == 0, seeded.stderr
    hr_email, password = re.search(r"hr\s+: (\S+)\s+password: (\S+)", seeded.stdout).groups()  # type: ignore[union-attr]
    access_code = re.search(r"access code\s+: (\S+)", seeded.stdout).group(1)  # type: ignore[union-attr]

    settings = ServerSettings(data_dir=tmp_path)  # type: ignore[call-arg]
    with TestClient(create_app(settings)) as client:
        admin = client.post(
            "/api/v1/auth/login", json={"email": "a@acme.example", "password": "a long admin passphrase"}
        )
        assert admin.status_code == 200
        hr = client.post("/api/v1/auth/login", json={"email": hr_email, "password": password})
        assert hr.status_code == 200
        station = client.post("/api/v1/stations/enroll", json={"enrollment_code": enrollment_code})
        assert station.status_code == 201
        # The Acme station cannot open the demo organization's interview.
        headers = {"Authorization": f"Bearer {station.json()['credential']}"}
        assert (
            client.post(
                "/api/v1/station/sessions", json={"access_code": access_code}, headers=headers
            ).status_code
            == 404
        )
