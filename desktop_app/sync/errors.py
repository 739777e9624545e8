"""Why a delivery did not happen, sorted by what the sync loop should do about it."""

from desktop_app.errors import StationError

CANDIDATE_ERASED = "CandidateErased"  # the server's error kind when the candidate's data was erased
VALIDATION_ERROR = "ValidationError"  # the server's error kind for a 422 (a field it refuses)


class SyncError(StationError):
    """Talking to the sync server failed."""


class ServerUnreachable(SyncError):
    """The network or the server is down, or the server is overloaded: try again later."""


class DeliveryRejected(SyncError):
    """The server refused this item for good (bad data, no rights): retrying will not help.

    `server_error` is the server's error kind (`{"error": ...}`), when it sent one.
    """

    def __init__(self, message: str, *, fix: str | None = None, server_error: str | None = None) -> None:
        super().__init__(message, fix=fix)
        self.server_error = server_error

    @property
    def candidate_erased(self) -> bool:
        """The server erased the candidate: it will never take anything of theirs again."""
        return self.server_error == CANDIDATE_ERASED


class NotEnrolled(SyncError):
    """This station has no credential for a server yet."""
