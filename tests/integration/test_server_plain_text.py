"""Control characters in any input are a clear 422, never a 500 on PostgreSQL (which cannot store NUL).

Generated from the app's routes: every string field of every JSON request body (nested models, lists and
dicts included) gets a NUL, sent by a caller the route allows to an object that exists; the URL's path
and query, form fields and the CV's file name too.
"""

import types
import typing
from collections.abc import Iterator
from enum import Enum
from typing import Any

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel

from sync_server.routes import iter_routes
from tests.integration.test_server_access_matrix import ACCESS_RULES, ADMIN, ANON, HR, STATION, World
from tests.support.server import make_candidate

NUL_TEXT = "plain\x00text"
Path = tuple[str | int, ...]
DICT_KEY = "<key>"


def _string_paths(annotation: Any, prefix: Path) -> Iterator[Path]:
    """Where a string can go in a value of `annotation` (a list's item as index 0, a dict's value under
    'key', the dict's key itself as DICT_KEY)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _string_paths(typing.get_args(annotation)[0], prefix)
    elif origin in (typing.Union, types.UnionType):
        for option in typing.get_args(annotation):
            yield from _string_paths(option, prefix)
    elif origin in (list, set, frozenset, tuple):
        yield from _string_paths(typing.get_args(annotation)[0], (*prefix, 0))
    elif origin is dict:
        yield (*prefix, DICT_KEY)  # a key is a string too; the value's strings below
        yield from _string_paths(typing.get_args(annotation)[1], (*prefix, "key"))
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            yield from _string_paths(field.annotation, (*prefix, field.alias or name))
    elif annotation is str:
        yield prefix


def _example(annotation: Any) -> Any:
    """A value of `annotation` that passes its field checks (required fields only), to hold the NUL."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _example(args[0])
    if origin in (typing.Union, types.UnionType):
        return _example(next(a for a in args if a is not type(None)))
    if origin is typing.Literal:
        return args[0]
    if origin in (list, set, frozenset, tuple):
        return [_example(args[0])]
    if origin is dict:
        return {}
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return next(iter(annotation)).value
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {
            field.alias or name: _field_example(field)
            for name, field in annotation.model_fields.items()
            if field.is_required()
        }
    return {str: "Plain words here", int: 1, float: 1.0, bool: False}[annotation]


def _field_example(field: Any) -> Any:
    value = _example(field.annotation)
    for constraint in field.metadata:
        low = getattr(constraint, "ge", None)
        if low is not None and isinstance(value, int | float):
            value = max(value, low)
        length = getattr(constraint, "min_length", None)
        if length is not None and isinstance(value, list):
            value = value * length
    return value


def _with_nul(value: Any, path: Path, annotation: Any) -> Any:
    """`value` (built as needed from `annotation`) with NUL_TEXT placed at `path`."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _with_nul(value, path, args[0])
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        chosen = next((a for a in options if list(_string_paths(a, ())) and _fits(a, path)), options[0])
        return _with_nul(value, path, chosen)
    if not path:
        return NUL_TEXT
    head, rest = path[0], path[1:]
    if origin in (list, set, frozenset, tuple):
        items = list(value) if isinstance(value, list) and value else [_example(args[0])]
        items[0] = _with_nul(items[0], rest, args[0])
        return items
    if origin is dict:
        if head == DICT_KEY:
            return {NUL_TEXT: _example(args[1])}
        return {"key": _with_nul(None, rest, args[1])}
    assert isinstance(annotation, type) and issubclass(annotation, BaseModel)
    body = dict(value) if isinstance(value, dict) else _example(annotation)
    field = next(f for n, f in annotation.model_fields.items() if (f.alias or n) == head)
    body[head] = _with_nul(body.get(head), rest, field.annotation)
    return body


def _fits(annotation: Any, path: Path) -> bool:
    return path in set(_string_paths(annotation, ()))


def _field_location(path: Path) -> str:
    """Where the validation error points: the field, not the list item or dict entry inside it."""
    while path and (isinstance(path[-1], int) or path[-1] in ("key", DICT_KEY)):
        path = path[:-1]
    return ".".join(str(p) for p in path)


def _json_body_cases(app) -> Iterator[tuple[str, str, Any, Path]]:  # type: ignore[no-untyped-def]
    for method, template, route in iter_routes(app.routes):
        if not isinstance(route, APIRoute):
            continue
        params = route.dependant.body_params
        if len(params) != 1 or not isinstance(params[0].field_info.annotation, type):
            continue  # form fields: checked below
        model = params[0].field_info.annotation
        if not issubclass(model, BaseModel) or issubclass(model, Enum):
            continue
        paths = list(_string_paths(model, ()))
        assert paths, f"{method} {template}: {model.__name__} has no string field?"
        for path in paths:
            yield method, template, model, path


@pytest.mark.parametrize("backend", ["postgres"])
def test_a_control_character_in_any_string_field_of_any_request_is_a_422(server_client):
    world = World(server_client)
    cases = list(_json_body_cases(server_client.app))
    assert len({(m, t) for m, t, _, _ in cases}) >= 24 and len(cases) >= 60, len(cases)
    failures = []
    for method, template, model, path in cases:
        rule = ACCESS_RULES[(method, template)]
        who = next(w for w in (STATION, HR, ADMIN, ANON) if w in rule.allowed)
        caller = world.caller(who)
        base = rule.body(who) if callable(rule.body) else rule.body
        sent = _with_nul(base if isinstance(base, dict) else None, path, model)
        response = server_client.request(
            method,
            world.path(template, rule),
            json=sent,
            headers=dict(caller.headers) if caller else {},
        )
        where = _field_location(path)
        body = response.json() if response.headers.get("content-type") == "application/json" else {}
        if not (
            response.status_code == 422
            and body.get("error") == "ValidationError"
            and "U+0000" in body.get("detail", "")
            and where in body.get("detail", "")
        ):
            failures.append(f"{method} {template} {where}: {response.status_code} {response.text[:200]}")
    assert not failures, "\n".join(failures)

    # Nothing ran: the interview the station reported on is as it was.
    shown = server_client.get(
        f"/api/v1/interviews/{world.invite['interview_id']}", headers=world.a.hr.headers
    ).json()
    assert shown["consent_version"] is None and shown["status"] == "in_progress"


@pytest.mark.parametrize("backend", ["postgres"])
def test_control_characters_in_the_url_and_in_form_fields_are_a_422(server_client):
    from tests.support.server import make_tenant

    tenant = make_tenant(server_client)
    hr = tenant.hr.headers
    for url in (
        "/api/v1/candidates/%00",
        "/api/v1/jobs?q=%00",
        "/api/v1/candidates?q=a%01b",
        "/api/v1/interviews?candidate_id=%00",
        "/api/v1/audit-log?action=%1b",
    ):
        refused = server_client.get(url, headers=hr)
        assert refused.status_code == 422, (url, refused.text)
        assert (
            refused.json()["error"] == "ValidationError" and "control character" in refused.json()["detail"]
        )
    fine = server_client.get("/api/v1/candidates?q=a%09b", headers=hr)  # a tab is plain text
    assert fine.status_code == 200, fine.text

    before = server_client.get("/api/v1/candidates", headers=hr).json()["total"]
    named = server_client.post("/api/v1/candidates", data={"full_name": "Ada\x00 Lovelace"}, headers=hr)
    assert named.status_code == 422 and "full_name" in named.json()["detail"], named.text
    # httpx would percent-encode the NUL in a file name; a hand-made client need not.
    form = (
        b'--b\r\nContent-Disposition: form-data; name="full_name"\r\n\r\nAda Lovelace\r\n'
        b'--b\r\nContent-Disposition: form-data; name="cv"; filename="cv\x00.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nPython developer with ten years of experience\r\n--b--\r\n"
    )
    cv = server_client.post(
        "/api/v1/candidates",
        content=form,
        headers={**hr, "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert cv.status_code == 422 and "file name" in cv.json()["detail"], cv.text
    assert server_client.get("/api/v1/candidates", headers=hr).json()["total"] == before
    assert make_candidate(server_client, tenant.hr)["full_name"]  # the same form, plain: accepted
