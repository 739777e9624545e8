"""The one stylesheet, its two themes (default and high contrast), large text, and organization branding.

Branding may only change the accent colour (and the logo): an organization colour that would make
button text hard to read is darkened until it reaches WCAG AA contrast, so branding never costs
accessibility. The high-contrast theme ignores branding colours entirely.
"""

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ui.qt import QPixmap, Qt

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
DEFAULT_ACCENT = "#2f6f9f"
DEFAULT_LOGO = RESOURCES / "logo.svg"
LARGE_TEXT_SCALE = 1.35
# Text already this big (titles, the question, the clock) grows only up to here: on a 1366x768
# screen every pixel a 59 px title takes is missing for the words a person needs to read.
LARGE_TEXT_CAP_PX = 48
MIN_CONTRAST = 4.5  # WCAG 2.x AA for normal text
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_FONT_SIZE = re.compile(r"font-size:\s*(\d+)px")
_BRAND_ACCENT_KEYS = ("accent", "primary", "brand")

DEFAULT_THEME: dict[str, str] = {
    "window": "#f5f7fa",
    "surface": "#ffffff",
    "text": "#1f2933",
    "title": "#102a43",
    "subtitle": "#486581",
    "muted": "#52606d",
    "border": "#bcccdc",
    "focus": "#f0b429",
    "disabled_bg": "#d9e2ec",
    "disabled_fg": "#52606d",
    "secondary_bg": "#e4ebf2",
    "secondary_fg": "#102a43",
    "danger": "#b42318",
    "success": "#1f7a4d",
    "warning": "#8a5a00",
}

HIGH_CONTRAST_THEME: dict[str, str] = {
    "window": "#000000",
    "surface": "#000000",
    "text": "#ffffff",
    "title": "#ffffff",
    "subtitle": "#ffffff",
    "muted": "#e6e6e6",
    "border": "#ffffff",
    "focus": "#00e5ff",
    "disabled_bg": "#333333",
    "disabled_fg": "#d0d0d0",
    "secondary_bg": "#000000",
    "secondary_fg": "#ffffff",
    "danger": "#ff8080",
    "success": "#7CFC00",
    "warning": "#ffd24d",
    "accent": "#ffff00",
    "on_accent": "#000000",
    "accent_text": "#ffff00",
}


@dataclass(frozen=True)
class Look:
    """How the UI should look: the organization's accent, and the candidate's accommodations."""

    accent: str | None = None
    large_text: bool = False
    high_contrast: bool = False


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(first: str, second: str) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _darken(colour: str, factor: float) -> str:
    r, g, b = (int(int(colour[i : i + 2], 16) * factor) for i in (1, 3, 5))
    return f"#{r:02x}{g:02x}{b:02x}"


def readable_accent(colour: str | None) -> str:
    """The brand colour if white text on it is readable (and on the window), else a darker shade of it."""
    accent = colour if colour and _HEX_COLOUR.match(colour) else DEFAULT_ACCENT
    accent = accent.lower()
    while contrast_ratio(accent, "#ffffff") < MIN_CONTRAST:
        accent = _darken(accent, 0.9)
    return accent


def brand_accent(colors: Mapping[str, str] | None) -> str | None:
    """The accent colour among an organization's branding colours (keys: accent, primary or brand)."""
    for key in _BRAND_ACCENT_KEYS:
        value = (colors or {}).get(key)
        if value and _HEX_COLOUR.match(value):
            return value
    return None


def theme_tokens(look: Look) -> dict[str, str]:
    if look.high_contrast:
        return {**HIGH_CONTRAST_THEME, "check_image": (RESOURCES / "check-dark.svg").as_posix()}
    accent = readable_accent(look.accent)
    return {
        **DEFAULT_THEME,
        "accent": accent,
        "on_accent": "#ffffff",
        "accent_text": accent,
        "check_image": (RESOURCES / "check.svg").as_posix(),
    }


def stylesheet(accent: str | None = None, *, large_text: bool = False, high_contrast: bool = False) -> str:
    """The application stylesheet for this look (see `Look`)."""
    look = Look(accent=accent, large_text=large_text, high_contrast=high_contrast)
    qss = (RESOURCES / "style.qss").read_text(encoding="utf-8")
    # longest names first so @accent_text is not eaten by @accent
    for name, value in sorted(theme_tokens(look).items(), key=lambda item: -len(item[0])):
        qss = qss.replace(f"@{name}", value)
    if look.large_text:
        qss = _FONT_SIZE.sub(lambda m: f"font-size: {larger_text_px(int(m.group(1)))}px", qss)
    return qss


def larger_text_px(px: int) -> int:
    """A size under larger text: 35 % larger, but big text no larger than LARGE_TEXT_CAP_PX (nor smaller)."""
    return max(px, min(round(px * LARGE_TEXT_SCALE), LARGE_TEXT_CAP_PX))


def look_stylesheet(look: Look) -> str:
    return stylesheet(look.accent, large_text=look.large_text, high_contrast=look.high_contrast)


def logo_pixmap(logo_url: str | None, *, height: int) -> QPixmap:
    """The organization's logo (a local file, file:// URL or data: URL), else the bundled logo.

    Remote (http) logos are not fetched on the candidate's screen: a station may be offline, and the
    plan must work offline once fetched; such a logo falls back to the bundled one.
    """
    pixmap = QPixmap()
    if logo_url:
        if logo_url.startswith("data:image/") and ";base64," in logo_url:
            try:
                pixmap.loadFromData(base64.b64decode(logo_url.split(";base64,", 1)[1], validate=True))
            except ValueError:
                pixmap = QPixmap()
        else:
            path = Path(logo_url.removeprefix("file://"))
            if path.is_file():
                pixmap.load(str(path))
    if pixmap.isNull():
        pixmap.load(str(DEFAULT_LOGO))
    if pixmap.isNull():
        return pixmap
    return pixmap.scaledToHeight(height, Qt.TransformationMode.SmoothTransformation)
