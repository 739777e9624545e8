"""The cache (Redis here, shared by processes) is invalidated by the writes that make entries stale."""

from fastapi.testclient import TestClient

from sync_server.app import create_app
from sync_server.config import ServerSettings
from tests.support.server import TEST_SECRET, enroll_station, make_invite, make_tenant


def test_me_and_plan_branding_follow_organization_changes(tmp_path, postgres_server_url, redis_config):
    redis_url, prefix = redis_config
    settings = ServerSettings(
        data_dir=tmp_path,
        database_url=postgres_server_url,
        redis_url=redis_url,
        redis_key_prefix=prefix,
        secret_key=TEST_SECRET,
    )  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        assert type(client.app.state.cache).__name__ == "RedisCache"
        tenant = make_tenant(client)
        station = enroll_station(client, tenant)
        before = client.get("/api/v1/me", headers=tenant.hr.headers).json()
        assert before["organization_name"] == tenant.name
        first = make_invite(client, tenant.hr)
        plan = client.post(
            "/api/v1/station/sessions", json={"access_code": first["access_code"]}, headers=station.headers
        )
        assert plan.json()["organization"]["name"] == tenant.name  # now cached

        changed = client.patch(
            "/api/v1/organization",
            json={
                "name": "Renamed Org",
                "settings": {"colors": {"accent": "#336699"}, "consent_text": "Our consent."},
            },
            headers=tenant.admin.headers,
        )
        assert changed.status_code == 200
        assert (
            client.get("/api/v1/me", headers=tenant.hr.headers).json()["organization_name"] == "Renamed Org"
        )
        second = make_invite(client, tenant.hr)
        plan = client.post(
            "/api/v1/station/sessions", json={"access_code": second["access_code"]}, headers=station.headers
        ).json()
        assert plan["organization"] == {
            "name": "Renamed Org",
            "logo_url": None,
            "colors": {"accent": "#336699"},
        }
        assert plan["consent"]["text"] == "Our consent."

        renamed = client.patch(
            f"/api/v1/users/{tenant.hr.id}", json={"full_name": "New Name"}, headers=tenant.admin.headers
        )
        assert renamed.status_code == 200
        assert client.get("/api/v1/me", headers=tenant.hr.headers).json()["full_name"] == "New Name"
