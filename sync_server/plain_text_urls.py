"""Refuse a URL whose path or query holds a control character, with 422 in the one error shape.

Path and query parameters (ids, search words, filters) reach SQL; PostgreSQL cannot take NUL in a
text parameter, so `/candidates/%00` would be a 500. One check at the door covers every route; request
bodies are checked by the contract's models (`sync_server.contract.base`).
"""

import json
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from sync_server.contract.base import require_plain_text


class PlainTextURLMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            problem = _url_problem(scope)
            if problem is not None:
                await _refuse(send, problem)
                return
        await self.app(scope, receive, send)


def _url_problem(scope: Scope) -> str | None:
    query = scope.get("query_string", b"").decode("latin-1")
    parts = [("The path", str(scope["path"]))]
    for name, value in parse_qsl(query, keep_blank_values=True, errors="replace"):
        parts.append((f"The query parameter {name!r}", f"{name}{value}"))  # repr shows a bad name safely
    for where, text in parts:
        try:
            require_plain_text(text)
        except ValueError as exc:
            return f"{where} {exc}."
    return None


async def _refuse(send: Send, detail: str) -> None:
    body = json.dumps({"error": "ValidationError", "detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 422,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
