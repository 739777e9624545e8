"""Plain-callback signals: how engine objects tell listeners (the UI, the recorder) what happened.

The UI wraps these in Qt signals; the engine never knows. A listener that raises is logged and
skipped, so a bug in one subscriber never stops a capture thread or the interview.
"""

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

log = logging.getLogger(__name__)


class Signal(Generic[T]):
    """A list of callbacks taking one payload; safe to connect and emit from any thread."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._listeners: tuple[Callable[[T], None], ...] = ()
        self._lock = threading.Lock()

    def connect(self, listener: Callable[[T], None]) -> Callable[[T], None]:
        with self._lock:
            self._listeners = (*self._listeners, listener)
        return listener

    def disconnect(self, listener: Callable[[T], None]) -> None:
        with self._lock:
            self._listeners = tuple(
                fn for fn in self._listeners if fn != listener
            )  # bound methods compare equal

    def emit(self, payload: T) -> None:
        for listener in self._listeners:  # a snapshot: connecting during emit is safe
            try:
                listener(payload)
            except Exception:
                log.exception("listener of %s failed", self.name)
