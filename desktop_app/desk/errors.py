"""What can go wrong between the review desk and the server, each as one sentence for a person."""

from desktop_app.errors import StationError


class DeskError(StationError):
    """The review desk could not do what was asked."""


class ServerUnreachable(DeskError):
    """No answer from the server: wrong address, server down, or no network."""

    def __init__(self, server_url: str) -> None:
        super().__init__(
            f"Can't reach the server at {server_url}.",
            fix="Check the address and your network connection, then try again.",
        )
        self.server_url = server_url


class ServerRejected(DeskError):
    """The server answered with its `{"error", "detail"}` shape; `detail` is its sentence."""

    def __init__(self, status_code: int, kind: str, detail: str, *, fix: str | None = None) -> None:
        super().__init__(detail, fix=fix)
        self.status_code = status_code
        self.kind = kind


class SignedOut(ServerRejected):
    """The session ended (expired, revoked, or signed out elsewhere); sign in again."""

    def __init__(self, detail: str = "Your session has ended.") -> None:
        super().__init__(401, "Unauthorized", detail, fix="Sign in again.")


class NotAllowed(ServerRejected):
    """The signed-in user's role may not do this."""


class NotFound(ServerRejected):
    """The record is gone or belongs to another organization."""


class InvalidInput(ServerRejected):
    """The server refused what was sent (validation, conflict, too large)."""


class ServerFailed(ServerRejected):
    """The server broke or is overloaded; trying again later may work."""


class ExportFailed(DeskError):
    """A report or CSV could not be written."""
