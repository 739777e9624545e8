"""Naming the route a request matched (for logs and metrics)."""

from collections.abc import Iterable, Iterator

from starlette.routing import BaseRoute, Route
from starlette.types import Scope


def route_template(scope: Scope) -> str | None:
    """The matched route's full path template (e.g. /api/v1/jobs/{job_id}), or None when none matched.

    FastAPI >= 0.160 keeps included routers nested, so `scope["route"].path` lacks the prefixes; the
    effective route context carries the full template.
    """
    effective = scope.get("fastapi", {}).get("effective_route_context")
    template = getattr(effective, "path_format", None) or getattr(scope.get("route"), "path", None)
    return template if isinstance(template, str) else None


def iter_routes(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[tuple[str, str, BaseRoute]]:
    """Every (method, full path template, route) of an app, walking into included routers."""
    for route in routes:
        original = getattr(route, "original_router", None)
        context = getattr(route, "include_context", None)
        if original is not None and context is not None:
            yield from iter_routes(original.routes, prefix + context.prefix)
        elif isinstance(route, Route):
            for method in sorted(route.methods or ()):
                if method != "HEAD" or "GET" not in (route.methods or ()):
                    yield method, prefix + route.path, route
