"""Station sync pieces that need no server: backoff, the identity file, error sorting."""

import stat
from pathlib import Path

import httpx
import pytest

from desktop_app.sync.client import raise_for_delivery
from desktop_app.sync.errors import DeliveryRejected, NotEnrolled, ServerUnreachable, SyncError
from desktop_app.sync.identity import StationIdentity, load_identity, save_identity
from desktop_app.sync.loop import Backoff


def test_backoff_grows_exponentially_with_jitter_up_to_the_cap() -> None:
    backoff = Backoff(base=1.0, cap=8.0)
    delays = [backoff.next_delay() for _ in range(6)]
    for n, delay in enumerate(delays):
        ceiling = min(8.0, 2.0**n)
        assert ceiling / 2 <= delay <= ceiling
    backoff.reset()
    assert backoff.next_delay() <= 1.0


def test_identity_file_is_private_and_never_printed(tmp_path: Path) -> None:
    path = tmp_path / "station-identity.json"
    identity = StationIdentity("http://server", "st-1", "Lobby", "Acme", "ist_secret")
    save_identity(path, identity)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_identity(path) == identity
    assert "ist_secret" not in repr(identity)
    with pytest.raises(NotEnrolled):
        load_identity(tmp_path / "missing.json")
    path.write_text("{broken")
    with pytest.raises(NotEnrolled, match="damaged"):
        load_identity(path)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (503, ServerUnreachable),
        (429, ServerUnreachable),
        (423, ServerUnreachable),
        (400, DeliveryRejected),
        (403, DeliveryRejected),
        (404, DeliveryRejected),
        (401, SyncError),
    ],
)
def test_failures_are_sorted_into_retry_or_give_up(status: int, expected: type[Exception]) -> None:
    response = httpx.Response(status, json={"error": "X", "detail": "Because."})
    with pytest.raises(expected) as caught:
        raise_for_delivery(response, "a thing")
    assert "Because." in str(caught.value)
    raise_for_delivery(httpx.Response(204), "a thing")
