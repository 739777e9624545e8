"""Prometheus metrics: request counts and latency by route template and status, and DB pool use.

Several uvicorn workers: set PROMETHEUS_MULTIPROC_DIR to an empty directory shared by the workers
(prometheus-client then keeps counters and histograms in files there) and `/metrics` merges every
worker's numbers. The DB pool gauges are read live from the answering process and carry its pid.
"""

import os
import time
from collections.abc import Iterator

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import Engine
from sqlalchemy.pool import QueuePool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync_server.routes import route_template

UNMATCHED_ROUTE = "unmatched"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


class HttpMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency by method and route template.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )


class MetricsMiddleware:
    """Counts each request under its route template (never the raw path: ids would explode the labels)."""

    def __init__(self, app: ASGIApp, *, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route = route_template(scope) or UNMATCHED_ROUTE
            if route != "/metrics":
                method = scope["method"]
                self.metrics.requests.labels(method, route, str(status)).inc()
                self.metrics.latency.labels(method, route).observe(time.perf_counter() - started)


class DatabasePoolCollector(Collector):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        pool = self.engine.pool
        pid = str(os.getpid())
        checked_out = GaugeMetricFamily("db_pool_checked_out", "Connections in use.", labels=["pid"])
        checked_out.add_metric([pid], pool.checkedout() if isinstance(pool, QueuePool) else 0)
        yield checked_out
        if isinstance(pool, QueuePool):
            size = GaugeMetricFamily("db_pool_size", "Connections the pool keeps open.", labels=["pid"])
            size.add_metric([pid], pool.size())
            yield size
            idle = GaugeMetricFamily("db_pool_checked_in", "Idle pooled connections.", labels=["pid"])
            idle.add_metric([pid], pool.checkedin())
            yield idle
            overflow = GaugeMetricFamily(
                "db_pool_overflow", "Connections beyond the pool size.", labels=["pid"]
            )
            overflow.add_metric([pid], pool.overflow())
            yield overflow


router = APIRouter(tags=["health"])


@router.get("/metrics", response_class=Response, responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}})
def metrics(request: Request) -> Response:
    """Prometheus metrics in the text exposition format."""
    http: HttpMetrics = request.app.state.metrics
    if multiprocess_dir():
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = http.registry
    output = generate_latest(registry) + generate_latest(_pool_registry(request))
    return Response(output, media_type=CONTENT_TYPE_LATEST)


def _pool_registry(request: Request) -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(DatabasePoolCollector(request.app.state.db.engine))
    return registry
