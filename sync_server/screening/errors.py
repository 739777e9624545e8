"""Why a CV file was refused. Each is a client error with a sentence the uploader can act on."""

from sync_server.errors import PayloadTooLarge, ServerError


class CVRejected(ServerError):
    status_code = 422
    kind = "CVRejected"


class UnsupportedCVFormat(CVRejected):
    status_code = 415
    kind = "UnsupportedCVFormat"


class CVTooLarge(PayloadTooLarge):
    kind = "CVTooLarge"
