"""The desk's HTTP client against a real server: error shapes, unreachable servers, sign-in."""

import pytest

from desktop_app.desk.client import DeskClient, normalize_server_url
from desktop_app.desk.errors import DeskError, NotFound, ServerUnreachable, SignedOut
from tests.support.live_server import live_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("desk-server")) as running:
        yield running


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


def test_not_signed_in_is_signed_out_before_any_request(server):
    with DeskClient(server.url) as client, pytest.raises(SignedOut):
        client.get_json("/me")


def test_server_error_shape_becomes_the_matching_desk_error(server):
    with DeskClient(server.url) as client:
        assert client.ping().status == "ok"
        with pytest.raises(NotFound) as info:
            client._send("GET", "/nope", auth=False)
    assert info.value.status_code == 404
    assert info.value.message
