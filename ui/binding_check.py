"""Refuse to run on a Qt binding known to crash the station.

PySide6 6.12.0 drops a reference to `True` on every `Signal.emit()`. On Python 3.11 `True` is an
ordinary counted object, so after a few thousand emits the interpreter dies with "Fatal Python
error: bool_dealloc" (a black screen in front of a candidate, issue 11). From Python 3.12 on `True`
is immortal and the bug is harmless. pyproject pins a good range; this check catches a station
where someone installed another PySide6 by hand, and says so in one sentence before any window opens.
"""

import sys

from desktop_app.errors import StationError
from ui.qt import QObject, Signal, qt_binding_version

_PROBE_EMITS = 64


class _Probe(QObject):
    ping = Signal()


_given_back: list[bool] = []  # holds references to True that a leaking probe took away


def signal_emit_leaks_references() -> bool:
    """True when emitting a signal lowers the reference count of `True` (the 6.12.0 bug)."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBE_EMITS):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    if lost > 0:  # give them back, so the check itself cannot tip the count over
        _given_back.extend([True] * lost)
    return lost >= _PROBE_EMITS // 2


def check_qt_binding(python: tuple[int, int] = (sys.version_info.major, sys.version_info.minor)) -> None:
    """Raise StationError when this PySide6 would crash the station; call before the first window."""
    if python < (3, 12) and signal_emit_leaks_references():
        raise StationError(
            f"PySide6 {qt_binding_version()} has a bug that crashes the station on Python "
            f"{python[0]}.{python[1]}.",
            fix="Install the tested version: pip install 'pyside6-essentials==6.11.3' 'pyside6-addons==6.11.3'.",
        )
