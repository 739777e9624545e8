"""The review desk's connection to the server: one httpx client, bearer tokens refreshed silently.

The server hands out a short-lived access token and a rotating refresh token. When a request comes back
401, the client spends the refresh token once (under a lock, so two threads never spend the same one,
which the server would treat as theft and revoke the whole family) and repeats the request. When the
refresh is refused, the desk is signed out cleanly: tokens forgotten, `on_signed_out` called,
`SignedOut` raised.

Every failure reaches callers as a `DeskError` carrying one sentence; no httpx exception leaks out.
"""

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from desktop_app.desk.errors import (
    DeskError,
    InvalidInput,
    NotAllowed,
    NotFound,
    ServerFailed,
    ServerRejected,
    ServerUnreachable,
    SignedOut,
)
from sync_server.contract import HealthStatus

API_PREFIX = "/api/v1"
ModelT = TypeVar("ModelT", bound=BaseModel)
T = TypeVar("T")


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str


def normalize_server_url(url: str) -> str:
    """`host:8000` -> `http://host:8000`; no trailing slash."""
    url = url.strip().rstrip("/")
    if not url:
        raise DeskError("Enter the server address.", fix="For example: https://interviews.example.com")
    if "://" not in url:
        url = f"http://{url}"
    if not url.startswith(("http://", "https://")):
        raise DeskError(f"{url} is not a web address.", fix="It starts with http:// or https://.")
    return url


def error_from_response(response: httpx.Response) -> ServerRejected:
    """Turn the server's `{"error", "detail"}` answer into the matching DeskError."""
    kind, detail = "HTTPError", ""
    try:
        body = response.json()
        if isinstance(body, dict):
            kind = str(body.get("error") or kind)
            detail = str(body.get("detail") or "")
    except ValueError:
        pass
    status = response.status_code
    if not detail:
        detail = f"The server answered {status} {response.reason_phrase}."
    if status == 401:
        return SignedOut(detail)
    if status == 403:
        return NotAllowed(status, kind, detail, fix="Ask an administrator if you need this.")
    if status == 404:
        return NotFound(status, kind, detail)
    if status >= 500:
        return ServerFailed(status, kind, detail, fix="Try again in a moment.")
    if status == 429:
        return InvalidInput(status, kind, detail, fix="Wait a moment, then try again.")
    return InvalidInput(status, kind, detail)


class DeskClient:
    """A signed-in (or signing-in) connection to one server. Safe to use from several threads."""

    def __init__(
        self,
        server_url: str,
        *,
        timeout: float = 20.0,
        transport: httpx.BaseTransport | None = None,
        on_signed_out: Callable[[], None] | None = None,
    ) -> None:
        self.server_url = normalize_server_url(server_url)
        self._http = httpx.Client(
            base_url=self.server_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            transport=transport,
            headers={"User-Agent": "interview-station-desk"},
        )
        self._tokens: Tokens | None = None
        self._lock = threading.Lock()
        self.on_signed_out = on_signed_out

    # --- session --------------------------------------------------------------------------------
    @property
    def signed_in(self) -> bool:
        return self._tokens is not None

    @property
    def tokens(self) -> Tokens | None:
        return self._tokens

    def use_tokens(self, tokens: Tokens | None) -> None:
        with self._lock:
            self._tokens = tokens

    def sign_in(self, email: str, password: str, *, login_path: str = "/auth/login") -> Tokens:
        """Exchange email + password for tokens. Wrong credentials raise SignedOut with the server's words."""
        response = self._send("POST", login_path, json={"email": email, "password": password}, auth=False)
        tokens = self._tokens_from(response)
        self.use_tokens(tokens)
        return tokens

    def sign_out(self, *, logout_path: str = "/auth/logout") -> None:
        """Revoke the refresh token on the server (best effort) and forget the tokens."""
        tokens = self._tokens
        self.use_tokens(None)
        if tokens is None:
            return
        # Best effort: the tokens are forgotten locally either way and expire on the server by themselves.
        with suppress(httpx.HTTPError):
            self._http.post(
                API_PREFIX + logout_path,
                json={"refresh_token": tokens.refresh_token},
                headers={"Authorization": f"Bearer {tokens.access_token}"},
            )

    def authorization(self) -> dict[str, str]:
        """The header for a request made outside this client (the media stream)."""
        tokens = self._tokens
        if tokens is None:
            raise SignedOut("You are not signed in.")
        return {"Authorization": f"Bearer {tokens.access_token}"}

    def refresh(self, *, spent_access_token: str | None = None, refresh_path: str = "/auth/refresh") -> None:
        """Spend the refresh token for a new pair, unless another thread already did since `spent_...`."""
        with self._lock:
            tokens = self._tokens
            if tokens is None:
                raise SignedOut("You are not signed in.")
            if spent_access_token is not None and tokens.access_token != spent_access_token:
                return  # someone refreshed while we waited; just retry with the new token
            try:
                response = self._http.post(
                    API_PREFIX + refresh_path, json={"refresh_token": tokens.refresh_token}
                )
            except httpx.TransportError:
                raise ServerUnreachable(self.server_url) from None
            if response.status_code in (400, 401, 403):
                self._tokens = None
                ended = error_from_response(response)
                signed_out = SignedOut(ended.message or "Your session has ended.")
            elif response.is_error:
                raise error_from_response(response)
            else:
                self._tokens = self._tokens_from(response)
                return
        if self.on_signed_out is not None:
            self.on_signed_out()
        raise signed_out

    @staticmethod
    def _tokens_from(response: httpx.Response) -> Tokens:
        try:
            body = response.json()
            return Tokens(access_token=str(body["access_token"]), refresh_token=str(body["refresh_token"]))
        except (ValueError, KeyError, TypeError):
            raise ServerFailed(
                response.status_code, "BadResponse", "The server sent an answer the desk does not understand."
            ) from None

    # --- requests -------------------------------------------------------------------------------
    def _send(self, method: str, path: str, *, auth: bool = True, **kwargs: Any) -> httpx.Response:
        url = (
            path
            if path.startswith(("http://", "https://", "/healthz", "/readyz", "/openapi.json"))
            else API_PREFIX + path
        )
        for attempt in (1, 2):
            headers = dict(kwargs.pop("headers", None) or {})
            token = None
            if auth:
                headers.update(self.authorization())
                token = headers["Authorization"].removeprefix("Bearer ")
            try:
                response = self._http.request(method, url, headers=headers, **kwargs)
            except httpx.TransportError:
                raise ServerUnreachable(self.server_url) from None
            if response.status_code == 401 and auth and attempt == 1:
                self.refresh(spent_access_token=token)
                kwargs["headers"] = headers
                continue
            if response.is_error:
                error = error_from_response(response)
                if isinstance(error, SignedOut) and auth:
                    self.use_tokens(None)
                    if self.on_signed_out is not None:
                        self.on_signed_out()
                raise error
            return response
        raise AssertionError("unreachable")

    def ping(self) -> HealthStatus:
        """The server's health answer; proves the address is right before signing in."""
        return self.parse(HealthStatus, self._decode(self._send("GET", "/healthz", auth=False)))

    def get_json(
        self, path: str, *, params: Mapping[str, Any] | None = None, authenticated: bool = True
    ) -> Any:
        return self._decode(self._send("GET", path, params=params, auth=authenticated))

    def send_json(self, method: str, path: str, *, body: BaseModel | Mapping[str, Any] | None = None) -> Any:
        payload = body.model_dump(mode="json", exclude_unset=True) if isinstance(body, BaseModel) else body
        response = self._send(method, path, json=payload)
        return None if response.status_code == 204 or not response.content else self._decode(response)

    def upload(
        self, path: str, *, fields: Mapping[str, str], files: Mapping[str, tuple[str, bytes, str]]
    ) -> Any:
        """A multipart form (the candidate's CV)."""
        return self._decode(self._send("POST", path, data=dict(fields), files=dict(files)))

    def get(self, path: str, model: type[ModelT], *, params: Mapping[str, Any] | None = None) -> ModelT:
        return self.parse(model, self.get_json(path, params=params))

    def get_list(
        self, path: str, model: type[ModelT], *, params: Mapping[str, Any] | None = None
    ) -> list[ModelT]:
        return self.parse(list[model], self.get_json(path, params=params))  # type: ignore[valid-type]

    def call(
        self,
        method: str,
        path: str,
        model: type[ModelT],
        *,
        body: BaseModel | Mapping[str, Any] | None = None,
    ) -> ModelT:
        return self.parse(model, self.send_json(method, path, body=body))

    @contextmanager
    def stream(self, path: str, *, headers: Mapping[str, str] | None = None) -> Iterator[httpx.Response]:
        """A GET whose body is read in chunks (media). Refreshes the token once like any request."""
        for attempt in (1, 2):
            request_headers = {**(headers or {}), **self.authorization()}
            token = request_headers["Authorization"].removeprefix("Bearer ")
            try:
                with self._http.stream("GET", API_PREFIX + path, headers=request_headers) as response:
                    if response.status_code == 401 and attempt == 1:
                        response.read()
                        self.refresh(spent_access_token=token)
                        continue
                    if response.is_error:
                        response.read()
                        raise error_from_response(response)
                    yield response
                    return
            except httpx.TransportError:
                raise ServerUnreachable(self.server_url) from None

    @staticmethod
    def parse(model: type[T] | Any, data: Any) -> T:
        try:
            return TypeAdapter(model).validate_python(data)  # type: ignore[no-any-return]
        except ValidationError:
            raise ServerFailed(
                200,
                "BadResponse",
                "The server sent an answer the desk does not understand.",
                fix="The server and the desk may be different versions.",
            ) from None

    @staticmethod
    def _decode(response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise ServerFailed(
                response.status_code, "BadResponse", "The server sent an answer the desk does not understand."
            ) from None

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "DeskClient":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
