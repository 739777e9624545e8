"""Documented error responses for routes: every error uses the one `{"error", "detail"}` shape."""

from typing import Any

from sync_server.contract import ErrorBody

_DESCRIPTIONS = {
    400: "The request cannot be done as asked.",
    401: "Not signed in, or the credentials are wrong or expired.",
    403: "Signed in, but this role or client may not do this.",
    404: "No such object in your organization.",
    409: "Conflicts with the object's current state.",
    410: "The code or link has expired.",
    413: "The request body is too large.",
    422: "The request is not valid.",
    429: "Too many requests or attempts; see Retry-After.",
    503: "A service the server needs (database, cache, storage) failed; try again.",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorBody, "description": _DESCRIPTIONS[code]} for code in codes}
