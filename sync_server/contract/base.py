"""What every request model shares: its text is plain text.

PostgreSQL cannot store U+0000 in text or JSONB (nor lone UTF-16 surrogates, which JSON's `\\ud800`
escapes can produce), so a string holding one would fail deep in a flush as a 500, after part of the
request may have run. Other C0 control characters are never typed by a person either. Every request
model inherits `ContractModel`, whose one validator walks every field (nested lists and dicts too) and
refuses such characters with a validation error naming the field; `PlainText` carries the same check to
form parameters (the URL's path and query are checked by the server's PlainTextURLMiddleware).
"""

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, field_validator

# C0 controls but tab, line feed and carriage return; DEL; lone surrogates.
_NOT_PLAIN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _first_bad_character(value: Any) -> str | None:
    if isinstance(value, str):
        found = _NOT_PLAIN_TEXT.search(value)
        return found.group() if found else None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            bad = _first_bad_character(item)
            if bad is not None:
                return bad
    # Nested models are ContractModels themselves and check their own fields.
    return None


def require_plain_text(value: Any) -> Any:
    """Return `value` unchanged, or raise ValueError if any string in it holds a control character."""
    bad = _first_bad_character(value)
    if bad is not None:
        raise ValueError(
            f"holds the control character U+{ord(bad):04X}; send plain text (tabs and line breaks are fine)"
        )
    return value


def without_control_characters(text: str) -> str:
    """`text` with such characters dropped: for text a machine produced (speech recognition, CV
    extraction), which is kept rather than refused."""
    return _NOT_PLAIN_TEXT.sub("", text)


def as_plain_text(value: Any) -> Any:
    """`value` (as `json.loads` gives it) with `without_control_characters` applied to every string in
    it, keys too: for text a model must hold that no person typed just now, which is kept rather than
    refused: what was stored before such characters were refused (a transcript an older station made,
    a review comment), read back; a language model's output."""
    if isinstance(value, str):
        return without_control_characters(value)
    if isinstance(value, dict):
        return {as_plain_text(k): as_plain_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_plain_text(item) for item in value]
    return value


PlainText = Annotated[str, AfterValidator(require_plain_text)]
"""A string parameter (query or form) held to the same rule as every request model's fields."""


class ContractModel(BaseModel):
    """Base of every request model (and the models nested in one): no control characters anywhere."""

    @field_validator("*", mode="after")
    @classmethod
    def _plain_text_only(cls, value: Any) -> Any:
        return require_plain_text(value)
