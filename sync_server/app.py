"""The FastAPI application factory."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from sync_server import __version__
from sync_server.audit.endpoints import router as audit_router
from sync_server.auth.endpoints import router as auth_router
from sync_server.body_limit import BodySizeLimitMiddleware
from sync_server.cache import build_cache
from sync_server.candidates.endpoints import router as candidates_router
from sync_server.config import ServerSettings, get_settings
from sync_server.db import Database
from sync_server.errors import install_error_handlers
from sync_server.health.endpoints import router as health_router
from sync_server.interviews.endpoints import router as interviews_router
from sync_server.invites.endpoints import router as invites_router
from sync_server.jobs.endpoints import router as jobs_router
from sync_server.logging import RequestLogMiddleware, configure_logging
from sync_server.matching.endpoints import router as matching_router
from sync_server.metrics import HttpMetrics, MetricsMiddleware
from sync_server.metrics import router as metrics_router
from sync_server.openapi import error_responses
from sync_server.organizations.endpoints import router as organizations_router
from sync_server.plain_text_urls import PlainTextURLMiddleware
from sync_server.question_drafts.endpoints import router as question_drafts_router
from sync_server.question_sets.endpoints import router as question_sets_router
from sync_server.ratelimit import Limiter
from sync_server.redis_client import connect_redis
from sync_server.responses.endpoints import router as responses_router
from sync_server.reviews.endpoints import router as reviews_router
from sync_server.scoring.endpoints import router as scores_router
from sync_server.station_sessions.endpoints import router as station_sessions_router
from sync_server.stations.endpoints import router as stations_router
from sync_server.storage import build_storage
from sync_server.transcript_search.endpoints import router as transcript_search_router
from sync_server.uploads.endpoints import router as uploads_router
from sync_server.uploads.locks import build_upload_locks
from sync_server.uploads.middleware import TusResumableHeader
from sync_server.worker import JobQueue, set_current_queue
from sync_server.worker.endpoints import router as worker_router
from sync_server.worker.modules import import_job_modules

API_PREFIX = "/api/v1"

# Bodies larger than the default limit, by path prefix (None: the route enforces its own limit).
LARGE_BODY_PREFIXES: dict[str, int | None] = {
    f"{API_PREFIX}/uploads": None,
}


def api_router() -> APIRouter:
    api = APIRouter(prefix=API_PREFIX)
    for router in (
        auth_router,
        organizations_router,
        jobs_router,
        candidates_router,
        question_sets_router,
        invites_router,
        interviews_router,
        stations_router,
        station_sessions_router,
        audit_router,
        uploads_router,
        responses_router,
        reviews_router,
        worker_router,
        scores_router,
        matching_router,
        question_drafts_router,
        transcript_search_router,
    ):
        # Every API route can answer these: missing/expired credentials, wrong role, bad input, rate limit.
        api.include_router(router, responses=error_responses(401, 403, 422, 429))
    return api


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(level=settings.log_level, json=settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.db = Database(settings)
        app.state.redis = connect_redis(settings)
        app.state.storage = build_storage(settings)
        app.state.upload_locks = build_upload_locks(app.state.redis, prefix=settings.redis_key_prefix)
        app.state.cache = build_cache(settings, app.state.redis)
        app.state.limiter = Limiter.from_settings(settings)
        import_job_modules()
        app.state.queue = JobQueue(settings, app.state.db)
        set_current_queue(app.state.queue)
        if app.state.queue.in_process and settings.embedded_worker:
            app.state.queue.start_workers(threads=2, schedule=True)
        try:
            yield
        finally:
            app.state.queue.stop()
            set_current_queue(None)
            app.state.db.dispose()
            if app.state.redis is not None:
                app.state.redis.close()

    app = FastAPI(
        title="Interview Station sync server",
        version=__version__,
        lifespan=lifespan,
        openapi_url="/openapi.json",
    )
    install_error_handlers(app)
    app.add_middleware(
        BodySizeLimitMiddleware,
        default_limit=settings.max_request_bytes,
        prefix_limits={
            **LARGE_BODY_PREFIXES,
            f"{API_PREFIX}/candidates": settings.max_cv_upload_bytes + 65_536,
        },
    )
    app.add_middleware(TusResumableHeader, path_prefix=f"{API_PREFIX}/uploads")
    app.add_middleware(PlainTextURLMiddleware)
    app.state.metrics = HttpMetrics()
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    app.add_middleware(RequestLogMiddleware)
    app.include_router(health_router)
    app.include_router(metrics_router)
    app.include_router(api_router())
    return app
