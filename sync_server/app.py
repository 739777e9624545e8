"""The FastAPI application factory."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from sync_server import __version__
from sync_server.config import ServerSettings, get_settings
from sync_server.db import Database
from sync_server.errors import install_error_handlers
from sync_server.health.endpoints import router as health_router
from sync_server.logging import RequestLogMiddleware, configure_logging
from sync_server.redis_client import connect_redis

API_PREFIX = "/api/v1"


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(level=settings.log_level, json=settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.db = Database(settings)
        app.state.redis = connect_redis(settings)
        try:
            yield
        finally:
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
    app.add_middleware(RequestLogMiddleware)
    app.include_router(health_router)
    return app
