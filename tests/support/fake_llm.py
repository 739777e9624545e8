"""A local fake of the OpenAI and Gemini HTTP APIs, for driving the real SDKs in tests.

Each request takes the next scripted reply for its API ("openai" or "gemini"); when the script runs out,
the default reply is used. Replies: `Reply.json(obj)`, `Reply.text(raw)`, `Reply.status(code)`,
`Reply.delay(seconds, then)`. Every request is recorded (path, headers, body) for assertions.
"""

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    kind: str  # "text" | "status" | "delay"
    body: str = ""
    code: int = 200
    seconds: float = 0.0
    then: "Reply | None" = None

    @classmethod
    def json(cls, obj: Any) -> "Reply":
        return cls("text", body=json.dumps(obj))

    @classmethod
    def text(cls, raw: str) -> "Reply":
        return cls("text", body=raw)

    @classmethod
    def status(cls, code: int) -> "Reply":
        return cls("status", code=code)

    @classmethod
    def delay(cls, seconds: float, then: "Reply") -> "Reply":
        return cls("delay", seconds=seconds, then=then)


@dataclass
class Recorded:
    api: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeLLMServer:
    port: int = 0
    scripts: dict[str, deque[Reply]] = field(default_factory=lambda: {"openai": deque(), "gemini": deque()})
    defaults: dict[str, Reply] = field(
        default_factory=lambda: {"openai": Reply.status(500), "gemini": Reply.status(500)}
    )
    requests: list[Recorded] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def openai_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def gemini_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def script(self, api: str, *replies: Reply) -> None:
        with self._lock:
            self.scripts[api].extend(replies)

    def reset(self) -> None:
        with self._lock:
            for queue in self.scripts.values():
                queue.clear()
            self.requests.clear()
            self.defaults = {"openai": Reply.status(500), "gemini": Reply.status(500)}

    def calls(self, api: str) -> list[Recorded]:
        return [r for r in self.requests if r.api == api]

    def _next(self, api: str) -> Reply:
        with self._lock:
            queue = self.scripts[api]
            return queue.popleft() if queue else self.defaults[api]

    def start(self) -> "FakeLLMServer":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                raw = self.rfile.read(length) if length else b""
                path = self.path.split("?", 1)[0]
                if path == "/v1/chat/completions":
                    api = "openai"
                elif ":generateContent" in path:
                    api = "gemini"
                else:
                    self._send(404, {"error": {"message": f"no route {path}"}})
                    return
                body = json.loads(raw or b"{}")
                with fake._lock:
                    fake.requests.append(
                        Recorded(api, path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                reply = fake._next(api)
                while reply.kind == "delay":
                    time.sleep(reply.seconds)
                    reply = reply.then or Reply.status(500)
                if reply.kind == "status":
                    self._send(reply.code, _error_body(api, reply.code))
                    return
                self._send(200, _success_body(api, body, reply.body, path))

            def _send(self, code: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(code)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def _success_body(api: str, request: dict[str, Any], text: str, path: str) -> dict[str, Any]:
    if api == "openai":
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request.get("model", "fake"),
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
            ],
            "usage": {"prompt_tokens": 120, "completion_tokens": 80, "total_tokens": 200},
        }
    return {
        "candidates": [
            {"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP", "index": 0}
        ],
        "usageMetadata": {"promptTokenCount": 110, "candidatesTokenCount": 70, "totalTokenCount": 180},
        "modelVersion": path.rsplit("/", 1)[-1].split(":", 1)[0],
    }


def _error_body(api: str, code: int) -> dict[str, Any]:
    status = {429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE", 400: "INVALID_ARGUMENT"}.get(
        code, "ERROR"
    )
    if api == "openai":
        return {"error": {"message": f"fake error {code}", "type": status.lower(), "code": code}}
    return {"error": {"code": code, "message": f"fake error {code}", "status": status}}
