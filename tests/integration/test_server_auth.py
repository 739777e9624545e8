"""Sign-in, token rotation, sign-out, deactivation and password rules — on SQLite and PostgreSQL."""

import time

import jwt
import pytest

from tests.support.server import PASSWORD, TEST_SECRET, login, make_tenant


def test_login_me_and_token_claims(server_client):
    tenant = make_tenant(server_client)
    me = server_client.get("/api/v1/me", headers=tenant.hr.headers)
    assert me.status_code == 200
    assert me.json()["role"] == "hr"
    assert me.json()["organization_name"] == tenant.name
    claims = jwt.decode(
        tenant.hr.tokens["access_token"], TEST_SECRET, algorithms=["HS256"], audience="interview-station-api"
    )
    assert claims["exp"] - claims["iat"] == 15 * 60
    assert claims["iss"] == "interview-server"


def test_wrong_password_and_unknown_user_look_the_same(server_client):
    tenant = make_tenant(server_client)
    timings = {}
    for label, email in (("known", tenant.hr.email), ("unknown", "nobody@example.org")):
        started = time.perf_counter()
        response = server_client.post(
            "/api/v1/auth/login", json={"email": email, "password": "wrong password"}
        )
        timings[label] = time.perf_counter() - started
        assert response.status_code == 401
        assert response.json() == {"error": "Unauthorized", "detail": "Wrong email or password."}
    # Both run one argon2 verification; neither answers without hashing.
    assert timings["unknown"] > 0.3 * timings["known"]


def test_tokens_with_other_algorithms_or_audiences_are_refused(server_client):
    tenant = make_tenant(server_client)
    claims = jwt.decode(
        tenant.hr.tokens["access_token"], TEST_SECRET, algorithms=["HS256"], audience="interview-station-api"
    )
    forged = [
        jwt.encode(claims, TEST_SECRET, algorithm="HS512"),
        jwt.encode({**claims, "aud": "someone-else"}, TEST_SECRET, algorithm="HS256"),
        jwt.encode({**claims, "iss": "someone-else"}, TEST_SECRET, algorithm="HS256"),
        jwt.encode({**claims, "exp": int(time.time()) - 60}, TEST_SECRET, algorithm="HS256"),
        jwt.encode(claims, "another-key-that-is-long-enough-to-sign-with", algorithm="HS256"),
        jwt.encode(claims, None, algorithm="none"),  # type: ignore[arg-type]
    ]
    for token in forged:
        response = server_client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, token
        assert response.headers["www-authenticate"] == "Bearer"


def test_refresh_rotates_and_reuse_revokes_the_family(server_client):
    tenant = make_tenant(server_client)
    first = tenant.hr.tokens
    second = server_client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    second_tokens = second.json()
    assert second_tokens["refresh_token"] != first["refresh_token"]
    # A thief replays the spent token: refused, and the legitimate newer token dies with it.
    replay = server_client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    assert "already used" in replay.json()["detail"]
    after = server_client.post("/api/v1/auth/refresh", json={"refresh_token": second_tokens["refresh_token"]})
    assert after.status_code == 401
    me = server_client.get("/api/v1/me", headers={"Authorization": f"Bearer {second_tokens['access_token']}"})
    assert me.status_code == 401


def test_logout_ends_the_session_but_not_others(server_client):
    tenant = make_tenant(server_client)
    other_session = login(server_client, tenant.hr.email)
    assert server_client.post("/api/v1/auth/logout", json={}, headers=tenant.hr.headers).status_code == 204
    assert server_client.get("/api/v1/me", headers=tenant.hr.headers).status_code == 401
    refreshed = server_client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tenant.hr.tokens["refresh_token"]}
    )
    assert refreshed.status_code == 401
    still = server_client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {other_session['access_token']}"}
    )
    assert still.status_code == 200


def test_deactivation_revokes_everything_at_once(server_client):
    tenant = make_tenant(server_client)
    assert server_client.get("/api/v1/me", headers=tenant.hr.headers).status_code == 200  # now cached
    response = server_client.patch(
        f"/api/v1/users/{tenant.hr.id}", json={"is_active": False}, headers=tenant.admin.headers
    )
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert server_client.get("/api/v1/me", headers=tenant.hr.headers).status_code == 401
    refresh = server_client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tenant.hr.tokens["refresh_token"]}
    )
    assert refresh.status_code == 401
    relogin = server_client.post("/api/v1/auth/login", json={"email": tenant.hr.email, "password": PASSWORD})
    assert relogin.status_code == 401


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("short1", False),
        ("password123", False),  # on the common-password list
        ("Qwerty123", False),  # same, case does not help
        ("tr0ub4dor&3x", True),
        ("all lowercase words are fine", True),  # no composition rules
        ("x" * 64 + " and more than sixty-four characters", True),
        ("é" * 8, True),  # unicode counts by characters
    ],
)
def test_password_rules_follow_asvs(server_client, password, accepted):
    tenant = make_tenant(server_client)
    response = server_client.post(
        "/api/v1/users",
        json={"email": f"new{abs(hash(password))}@example.org", "role": "hr", "password": password},
        headers=tenant.admin.headers,
    )
    assert (response.status_code == 201) is accepted, response.text
    if accepted:
        # No truncation: a prefix of a long password does not sign in.
        email = response.json()["email"]
        assert (
            server_client.post("/api/v1/auth/login", json={"email": email, "password": password}).status_code
            == 200
        )
        if len(password) > 20:
            prefix = server_client.post(
                "/api/v1/auth/login", json={"email": email, "password": password[:20]}
            )
            assert prefix.status_code == 401


def test_repeated_failures_slow_down_then_lock_the_account(server_client):
    tenant = make_tenant(server_client)
    statuses = [
        server_client.post(
            "/api/v1/auth/login", json={"email": tenant.hr.email, "password": "nope nope"}
        ).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    locked = server_client.post("/api/v1/auth/login", json={"email": tenant.hr.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) >= 1
    assert set(locked.json()) == {"error", "detail"}


def test_password_change_ends_old_sessions(server_client):
    tenant = make_tenant(server_client)
    new_password = "a brand new long passphrase"
    response = server_client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": new_password},
        headers=tenant.hr.headers,
    )
    assert response.status_code == 204
    assert server_client.get("/api/v1/me", headers=tenant.hr.headers).status_code == 401
    assert login(server_client, tenant.hr.email, new_password)["access_token"]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_one_address_guessing_many_accounts_is_slowed_down(server_client):
    statuses = [
        server_client.post(
            "/api/v1/auth/login", json={"email": f"guess{i}@example.org", "password": "123456789"}
        ).status_code
        for i in range(21)
    ]
    assert statuses == [401] * 20 + [429]
    # Enrollment-code guessing from the same kind of address is limited too.
    codes = [
        server_client.post("/api/v1/stations/enroll", json={"enrollment_code": f"GUESS{i}"}).status_code
        for i in range(31)
    ]
    assert codes == [404] * 30 + [429]
