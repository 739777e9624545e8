"""The desk's HTTP client against a real server: sign-in, silent refresh, theft detection, error shapes."""

import threading

import pytest

from desktop_app.desk.api import DeskApi
from desktop_app.desk.client import DeskClient, Tokens, normalize_server_url
from desktop_app.desk.errors import (
    DeskError,
    InvalidInput,
    NotAllowed,
    NotFound,
    ServerUnreachable,
    SignedOut,
)
from sync_server.contract import JobCreate, Role
from tests.support.desk_seed import expired_copy, seed_org
from tests.support.live_server import live_server


@pytest.fixture(scope="module")
def org(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("desk-server")) as running:
        yield seed_org(running)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def token_org(request, tmp_path_factory):
    """Token rotation is where the database matters (row locks on the refresh family): both backends."""
    if request.param == "sqlite":
        yield request.getfixturevalue("org")
        return
    postgres_url = request.getfixturevalue("postgres_url")
    redis = request.getfixturevalue("redis_config")
    with live_server(
        tmp_path_factory.mktemp("desk-server-pg"), database_url=postgres_url, redis=redis
    ) as running:
        yield seed_org(running, slug="acme-pg")


def test_server_url_is_normalized():
    assert normalize_server_url(" example.org:8000/ ") == "http://example.org:8000"
    with pytest.raises(DeskError):
        normalize_server_url("   ")
    with pytest.raises(DeskError):
        normalize_server_url("ftp://x")


def test_unreachable_server_is_one_sentence_naming_the_address(free_port):
    with DeskClient(f"127.0.0.1:{free_port}", timeout=2) as client, pytest.raises(ServerUnreachable) as info:
        client.ping()
    assert info.value.message == f"Can't reach the server at http://127.0.0.1:{free_port}."
    assert info.value.fix


def test_not_signed_in_is_signed_out_before_any_request(org):
    with DeskClient(org.server.url) as client, pytest.raises(SignedOut):
        client.get_json("/me")


def test_wrong_password_is_the_servers_sentence(org):
    with pytest.raises(SignedOut) as info:
        DeskApi.sign_in(org.server.url, org.hr_email, "not the password")
    assert info.value.message
    assert "Traceback" not in str(info.value)


def test_sign_in_me_and_role_scoped_errors(org):
    api, me = DeskApi.sign_in(org.server.url, org.hr_email, org.password)
    try:
        assert me.role == Role.hr
        assert me.organization_name == "Acme Testing"
        with pytest.raises(NotAllowed):
            api.users()  # admin only
        with pytest.raises(NotFound):
            api.job("00000000-0000-0000-0000-000000000000")
        with pytest.raises(InvalidInput) as info:
            api.client.send_json("POST", "/jobs", body={"title": ""})
        assert info.value.status_code == 422
    finally:
        api.sign_out()


def test_expired_access_token_is_refreshed_silently_and_the_refresh_token_rotates(token_org):
    api, _ = DeskApi.sign_in(token_org.server.url, token_org.hr_email, token_org.password)
    first = api.tokens
    assert first is not None
    api.client.use_tokens(
        Tokens(expired_copy(first.access_token, token_org.server.data_dir), first.refresh_token)
    )
    job = api.create_job(JobCreate(title="Made after a coffee break"))
    assert job.title == "Made after a coffee break"
    second = api.tokens
    assert second is not None and second.refresh_token != first.refresh_token
    api.sign_out()


def test_concurrent_requests_with_an_expired_token_refresh_once(token_org):
    """Two threads hitting 401 together must not both spend the refresh token (that looks like theft)."""
    api, _ = DeskApi.sign_in(token_org.server.url, token_org.hr_email, token_org.password)
    tokens = api.tokens
    assert tokens is not None
    api.client.use_tokens(
        Tokens(expired_copy(tokens.access_token, token_org.server.data_dir), tokens.refresh_token)
    )
    errors: list[BaseException] = []

    def list_jobs() -> None:
        try:
            api.jobs()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=list_jobs) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert api.me().email == token_org.hr_email
    api.sign_out()


def test_reusing_a_spent_refresh_token_signs_the_desk_out_cleanly(token_org):
    api, _ = DeskApi.sign_in(token_org.server.url, token_org.hr_email, token_org.password)
    stolen = api.tokens
    assert stolen is not None
    api.client.refresh()  # the real desk rotates: the old refresh token is now spent
    ended: list[bool] = []
    thief = DeskClient(token_org.server.url, on_signed_out=lambda: ended.append(True))
    thief.use_tokens(
        Tokens(expired_copy(stolen.access_token, token_org.server.data_dir), stolen.refresh_token)
    )
    with pytest.raises(SignedOut):
        thief.get_json("/me")
    assert ended == [True] and not thief.signed_in
    # the server revoked the whole family: the honest desk is signed out too, at its next refresh
    current = api.tokens
    assert current is not None
    api.client.use_tokens(
        Tokens(expired_copy(current.access_token, token_org.server.data_dir), current.refresh_token)
    )
    with pytest.raises(SignedOut):
        api.me()
    assert not api.client.signed_in
    thief.close()
    api.client.close()


def test_sign_out_revokes_the_refresh_token(token_org):
    api, _ = DeskApi.sign_in(token_org.server.url, token_org.hr_email, token_org.password)
    tokens = api.tokens
    assert tokens is not None
    api.sign_out()
    with DeskClient(token_org.server.url) as again:
        again.use_tokens(
            Tokens(expired_copy(tokens.access_token, token_org.server.data_dir), tokens.refresh_token)
        )
        with pytest.raises(SignedOut):
            again.get_json("/me")


def test_server_error_shape_becomes_the_matching_desk_error(org):
    with DeskClient(org.server.url) as client:
        assert client.ping().status == "ok"
        with pytest.raises(NotFound) as info:
            client._send("GET", "/nope", auth=False)
    assert info.value.status_code == 404
    assert info.value.message
