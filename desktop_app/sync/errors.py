"""Why a delivery did not happen, sorted by what the sync loop should do about it."""

from desktop_app.errors import StationError


class SyncError(StationError):
    """Talking to the sync server failed."""


class ServerUnreachable(SyncError):
    """The network or the server is down, or the server is overloaded: try again later."""


class DeliveryRejected(SyncError):
    """The server refused this item for good (bad data, no rights): retrying will not help."""


class NotEnrolled(SyncError):
    """This station has no credential for a server yet."""
