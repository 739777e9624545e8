"""Loads the one stylesheet and applies organization branding to it."""

import re
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
DEFAULT_ACCENT = "#2f6f9f"
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def stylesheet(accent: str | None = None) -> str:
    colour = accent if accent and _HEX_COLOUR.match(accent) else DEFAULT_ACCENT
    return (RESOURCES / "style.qss").read_text(encoding="utf-8").replace("@accent", colour)
