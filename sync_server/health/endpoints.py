"""Liveness and readiness probes."""

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from sync_server import __version__
from sync_server.contract import HealthStatus, ReadinessStatus

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthStatus)
def healthz() -> HealthStatus:
    """The process is up."""
    return HealthStatus(version=__version__)


def _check_readiness(request: Request) -> ReadinessStatus:
    checks: dict[str, str] = {}
    try:
        request.app.state.db.ping()
        checks["database"] = "ok"
    except Exception as exc:  # any driver error means "not ready", with its reason
        checks["database"] = f"unreachable: {type(exc).__name__}"
    redis = request.app.state.redis
    if redis is None:
        checks["redis"] = "not configured (embedded mode)"
    else:
        try:
            redis.ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"unreachable: {type(exc).__name__}"
    ready = all(v == "ok" or v.startswith("not configured") for v in checks.values())
    return ReadinessStatus(status="ready" if ready else "not_ready", checks=checks)


@router.get("/readyz", response_model=ReadinessStatus, responses={503: {"model": ReadinessStatus}})
async def readyz(request: Request) -> JSONResponse:
    """The database (and Redis, when configured) answer."""
    status = await run_in_threadpool(_check_readiness, request)
    return JSONResponse(status.model_dump(), status_code=200 if status.status == "ready" else 503)
