"""The bridge from the engine's plain callbacks (called on worker threads) to Qt signals (GUI thread).

The engine (desktop_app) knows nothing about Qt: it takes callables. A bridge hands it callables that
re-emit each call as a Qt signal on the GUI thread, so widgets only ever react to signals:

    class SessionEvents(EventBridge):
        state_changed = Signal(object)
    events = SessionEvents()
    session = InterviewSession(..., on_state_changed=events.forward(events.state_changed))
    events.state_changed.connect(screen.show_state)

`forward_latest` is for high-rate streams (camera frames, microphone levels): when the GUI falls behind,
older values are dropped and only the newest is delivered, so queues never grow.
"""

import threading
from collections.abc import Callable
from typing import Any

from ui.qt import QObject, is_alive
from ui.tasks import install_main_thread_relay, run_on_main


class EventBridge(QObject):
    """Base for bridges: subclasses declare Signals; `forward` makes engine callbacks for them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        install_main_thread_relay()

    def forward(self, signal: Any) -> Callable[..., None]:
        """A plain callable that emits `signal` with its arguments on the GUI thread (every call)."""

        def emit(*args: Any) -> None:
            run_on_main(lambda: self._emit_if_alive(signal, args))

        return emit

    def forward_latest(self, signal: Any) -> Callable[..., None]:
        """Like `forward`, but calls that arrive while one is pending replace it (newest wins)."""
        lock = threading.Lock()
        latest: list[tuple[Any, ...]] = []

        def deliver() -> None:
            with lock:
                args = latest.pop() if latest else None
            if args is not None:
                self._emit_if_alive(signal, args)

        def emit(*args: Any) -> None:
            with lock:
                already_scheduled = bool(latest)
                latest[:] = [args]
            if not already_scheduled:
                run_on_main(deliver)

        return emit

    def _emit_if_alive(self, signal: Any, args: tuple[Any, ...]) -> None:
        if is_alive(self):
            signal.emit(*args)
