"""One root exception for the server and one handler that turns it into `{"error", "detail"}`."""

from http import HTTPStatus

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = structlog.get_logger(__name__)


class ServerError(Exception):
    status_code: int = 500
    kind: str = "ServerError"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers


class BadRequest(ServerError):
    status_code = 400
    kind = "BadRequest"


class Unauthorized(ServerError):
    status_code = 401
    kind = "Unauthorized"


class Forbidden(ServerError):
    status_code = 403
    kind = "Forbidden"


class NotFound(ServerError):
    status_code = 404
    kind = "NotFound"


class Conflict(ServerError):
    status_code = 409
    kind = "Conflict"


class Gone(ServerError):
    status_code = 410
    kind = "Gone"


class CandidateErased(Gone):
    """The candidate's data was erased: nothing of theirs is taken again (a station drops its copy)."""

    kind = "CandidateErased"


class PayloadTooLarge(ServerError):
    status_code = 413
    kind = "PayloadTooLarge"


class UnprocessableEntity(ServerError):
    status_code = 422
    kind = "ValidationError"


class TooManyRequests(ServerError):
    status_code = 429
    kind = "TooManyRequests"


class ServiceUnavailable(ServerError):
    status_code = 503
    kind = "ServiceUnavailable"


def error_response(
    status_code: int, kind: str, detail: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": kind, "detail": detail}, status_code=status_code, headers=headers)


def _describe_validation_error(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid")))
    return "; ".join(parts) or "The request is not valid."


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServerError)
    async def _server_error(_: Request, exc: ServerError) -> JSONResponse:
        return error_response(exc.status_code, exc.kind, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "ValidationError", _describe_validation_error(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = (
            HTTPStatus(exc.status_code).phrase.replace(" ", "")
            if exc.status_code in HTTPStatus._value2member_map_
            else "HTTPError"
        )
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).description
        return error_response(exc.status_code, kind, detail, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled_error", error_type=type(exc).__name__)
        return error_response(500, "InternalError", "Something went wrong on the server; it has been logged.")
