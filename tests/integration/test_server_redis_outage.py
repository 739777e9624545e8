"""Redis unreachable: sign-ins fail closed with 503 (no unlimited guessing), ordinary API calls go on."""

from fastapi.testclient import TestClient

from sync_server.app import create_app
from sync_server.auth.tokens import issue_access_token
from sync_server.config import ServerSettings
from sync_server.contract import Role
from sync_server.organizations.service import create_organization, create_user
from tests.support.server import PASSWORD, TEST_SECRET, unique


def test_limiter_outage_fails_closed_for_sign_in_and_open_for_the_api(sqlite_server_dir):
    settings = ServerSettings(
        data_dir=sqlite_server_dir, redis_url="redis://127.0.0.1:1/0", secret_key=TEST_SECRET
    )  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        with client.app.state.db.session() as session:
            org = create_organization(session, name=unique("Outage"), slug=unique("outage"))
            user = create_user(
                session,
                organization_id=org.id,
                email=f"{unique('hr')}@example.org",
                password=PASSWORD,
                role=Role.hr,
            )
            ids = (org.id, user.id, user.email)
        org_id, user_id, email = ids
        login = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 503
        assert login.json()["error"] == "ServiceUnavailable"
        token, _ = issue_access_token(
            settings, user_id=user_id, organization_id=org_id, role="hr", family_id="f"
        )
        headers = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/v1/jobs", headers=headers).status_code == 200
        assert client.get("/api/v1/me", headers=headers).status_code == 200
