"""Stream answer videos to a local player that cannot send an Authorization header.

Qt's media player takes a URL but no request headers, while the server wants a bearer token on
`GET /responses/{id}/media`. This relay listens on 127.0.0.1 only, under a random secret path, and
forwards each request (with its `Range`, so seeking and instant start work) to the server with the
desk's token added, refreshing it when needed. Nothing is buffered beyond one chunk.
"""

import logging
import re
import secrets
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from desktop_app.desk.client import DeskClient
from desktop_app.desk.errors import DeskError, ServerRejected, ServerUnreachable

log = logging.getLogger(__name__)
_PATH = re.compile(r"^/([A-Za-z0-9_-]+)/responses/([A-Za-z0-9_.-]{1,128})/media$")
_FORWARDED = ("content-type", "content-length", "content-range", "accept-ranges", "etag", "last-modified")
CHUNK_BYTES = 64 * 1024


class MediaRelay:
    """A loopback HTTP relay for one signed-in client. `url_for(id)` gives a URL a player can open."""

    def __init__(self, client: DeskClient) -> None:
        self.client = client
        self._secret = secrets.token_urlsafe(24)
        relay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                relay._serve(self, send_body=True)

            def do_HEAD(self) -> None:
                relay._serve(self, send_body=False)

            def log_message(self, format: str, *args: Any) -> None:
                return  # the secret path must not end up in logs

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="media-relay", daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url_for(self, response_id: str) -> str:
        return f"http://127.0.0.1:{self.port}/{self._secret}/responses/{response_id}/media"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _serve(self, handler: BaseHTTPRequestHandler, *, send_body: bool) -> None:
        match = _PATH.match(handler.path)
        if not match or not secrets.compare_digest(match.group(1), self._secret):
            self._fail(handler, HTTPStatus.NOT_FOUND)
            return
        headers = {k: v for k, v in handler.headers.items() if k.lower() in ("range", "if-range")}
        try:
            with self.client.stream(f"/responses/{match.group(2)}/media", headers=headers) as upstream:
                handler.send_response(upstream.status_code)
                for name in _FORWARDED:
                    if name in upstream.headers:
                        handler.send_header(name, upstream.headers[name])
                if "content-length" not in upstream.headers:
                    handler.send_header("connection", "close")
                    handler.close_connection = True
                handler.end_headers()
                if send_body:
                    for chunk in upstream.iter_bytes(CHUNK_BYTES):
                        handler.wfile.write(chunk)
        except ServerRejected as exc:
            self._fail(handler, exc.status_code)
        except (ServerUnreachable, DeskError):
            self._fail(handler, HTTPStatus.BAD_GATEWAY)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the player seeked elsewhere and dropped this connection; normal

    @staticmethod
    def _fail(handler: BaseHTTPRequestHandler, status: int) -> None:
        try:
            handler.send_response(status)
            handler.send_header("content-length", "0")
            handler.end_headers()
        except OSError:
            pass
