"""The plan tells the station how long the organization keeps recordings, so the consent notice can say it."""

from sync_server.contract import InterviewPlan
from tests.support.server import enroll_station, make_invite, make_tenant


def _plan(client, station, tenant) -> InterviewPlan:
    invite = make_invite(client, tenant.hr)
    response = client.post(
        "/api/v1/station/sessions", json={"access_code": invite["access_code"]}, headers=station.headers
    )
    assert response.status_code in (200, 201), response.text
    return InterviewPlan.model_validate(response.json())


def test_the_plan_carries_the_organizations_retention_days_and_follows_a_change(server_client):
    tenant = make_tenant(server_client)
    station = enroll_station(server_client, tenant)
    assert _plan(server_client, station, tenant).consent.retention_days is None  # no purge: kept

    changed = server_client.patch(
        "/api/v1/organization",
        json={"settings": {"retention_days": 180, "consent_text": "Our own notice."}},
        headers=tenant.admin.headers,
    )
    assert changed.status_code == 200, changed.text
    plan = _plan(server_client, station, tenant)  # the branding cache was dropped by the change
    assert plan.consent.retention_days == 180
    assert plan.consent.text == "Our own notice."

    server_client.patch(
        "/api/v1/organization", json={"settings": {"retention_days": 30}}, headers=tenant.admin.headers
    )
    assert _plan(server_client, station, tenant).consent.retention_days == 30  # default notice too
