"""The station's HTTP client: the station credential on every request, errors sorted into
"try again later" and "refused for good"."""

import httpx

from desktop_app import __version__
from desktop_app.sync.errors import DeliveryRejected, ServerUnreachable, SyncError
from desktop_app.sync.identity import StationIdentity

API = "/api/v1"
# Statuses that say "not now" rather than "never": the loop backs off and tries again.
TRANSIENT_STATUSES = frozenset({408, 423, 425, 429, 500, 502, 503, 504})


def station_client(identity: StationIdentity, *, timeout: float = 30.0) -> httpx.Client:
    return httpx.Client(
        base_url=identity.server_url.rstrip("/"),
        headers={
            "Authorization": f"Bearer {identity.credential}",
            "User-Agent": f"interview-station/{__version__}",
        },
        timeout=httpx.Timeout(timeout, connect=5.0),
    )


def server_says(response: httpx.Response) -> str:
    """The server's one-sentence reason (`detail`), or the status line."""
    try:
        body = response.json()
        if isinstance(body, dict) and isinstance(body.get("detail"), str):
            return str(body["detail"])
    except ValueError:
        pass
    return f"HTTP {response.status_code} {response.reason_phrase}"


def server_error_kind(response: httpx.Response) -> str | None:
    """The server's error kind (`error` in its `{"error", "detail"}` body), if it sent one."""
    try:
        body = response.json()
    except ValueError:
        return None
    kind = body.get("error") if isinstance(body, dict) else None
    return kind if isinstance(kind, str) else None


def raise_for_delivery(response: httpx.Response, what: str) -> None:
    """Turn a non-2xx answer into ServerUnreachable (retry later) or DeliveryRejected (stop)."""
    if response.is_success:
        return
    reason = server_says(response)
    if response.status_code in TRANSIENT_STATUSES:
        raise ServerUnreachable(f"The server could not take {what} right now ({reason}).")
    if response.status_code == 401:
        raise SyncError(
            f"The server no longer accepts this station's credential ({reason}).",
            fix="Enroll the station again: interview-station enroll --server URL --code CODE",
        )
    raise DeliveryRejected(f"The server refused {what}: {reason}", server_error=server_error_kind(response))


def enroll(server_url: str, code: str, *, timeout: float = 15.0) -> StationIdentity:
    """Trade a one-time enrollment code for this station's credential."""
    url = server_url.rstrip("/")
    try:
        response = httpx.post(
            f"{url}{API}/stations/enroll",
            json={"enrollment_code": code, "app_version": __version__},
            timeout=timeout,
        )
    except httpx.TransportError as exc:
        raise ServerUnreachable(
            f"Could not reach the sync server at {url} ({type(exc).__name__}).",
            fix="Check the address and the network, then try again.",
        ) from None
    if not response.is_success:
        raise SyncError(
            f"Enrollment was refused: {server_says(response)}",
            fix="Ask an admin for a new enrollment code (codes work once and expire).",
        )
    body = response.json()
    return StationIdentity(
        server_url=url,
        station_id=body["station_id"],
        station_name=body["station_name"],
        organization_name=body["organization_name"],
        credential=body["credential"],
    )
