"""A server seeded the way an organization starts: an org and users from the CLI, the rest through the API."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt

from tests.support.live_server import LiveServer

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class SeededOrg:
    server: LiveServer
    slug: str
    admin_email: str
    hr_email: str
    password: str = PASSWORD


def seed_org(server: LiveServer, *, slug: str = "acme") -> SeededOrg:
    server.cli("create-org", "Acme Testing", "--slug", slug)
    admin, hr = f"admin@{slug}.example", f"hr@{slug}.example"
    server.cli(
        "create-user",
        "--org",
        slug,
        "--email",
        admin,
        "--role",
        "admin",
        "--full-name",
        "Ada Admin",
        "--password",
        PASSWORD,
    )
    server.cli(
        "create-user",
        "--org",
        slug,
        "--email",
        hr,
        "--role",
        "hr",
        "--full-name",
        "Harriet Hr",
        "--password",
        PASSWORD,
    )
    return SeededOrg(server=server, slug=slug, admin_email=admin, hr_email=hr)


def expired_copy(access_token: str, data_dir: Path) -> str:
    """The same access token, re-signed with the server's key but already expired (as after a coffee break)."""
    claims = jwt.decode(access_token, options={"verify_signature": False})
    past = datetime.now(UTC) - timedelta(minutes=5)
    claims.update(iat=past - timedelta(minutes=15), exp=past)
    key = (data_dir / "secret_key").read_text().strip()
    return jwt.encode(claims, key, algorithm="HS256")
