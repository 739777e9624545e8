"""The bridge from the engine's plain callbacks (called on worker threads) to Qt signals (GUI thread).

The engine (desktop_app) knows nothing about Qt: it takes callables. A bridge hands it callables that
queue each call for the GUI thread (`ui.tasks.run_on_main`), where it is re-emitted as a Qt signal, so
widgets only ever react to signals and no signal is ever emitted off the GUI thread:

    class SessionEvents(EventBridge):
        state_changed = Signal(object)
    events = SessionEvents()
    session = InterviewSession(..., on_state_changed=events.forward(events.state_changed))
    events.state_changed.connect(screen.show_state)

`forward_latest` is for high-rate streams (camera frames, microphone levels): when the GUI falls behind,
older values are dropped and only the newest is delivered, so queues never grow.

The callables a bridge hands out hold the bridge only weakly (by a plain Python object, `_Outlet`),
so a worker thread never holds the last reference to a Qt object and a deleted bridge simply stops
receiving.
"""

import threading
from collections.abc import Callable
from typing import Any

from ui.qt import QObject, Signal, is_alive
from ui.tasks import assert_gui_thread, install_main_thread_relay, run_on_main


class _Outlet:
    """What worker threads hold: a way to reach the bridge on the GUI thread, and nothing of Qt."""

    def __init__(self, bridge: "EventBridge") -> None:
        self._bridge: EventBridge | None = bridge

    def emit(self, signal_name: str, args: tuple[Any, ...]) -> None:
        """GUI thread only: emit the named signal if the bridge still exists."""
        assert_gui_thread("EventBridge delivery")
        bridge = self._bridge
        if bridge is not None and is_alive(bridge):
            getattr(bridge, signal_name).emit(*args)

    def close(self) -> None:
        self._bridge = None


class EventBridge(QObject):
    """Base for bridges: subclasses declare Signals; `forward` makes engine callbacks for them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        install_main_thread_relay()
        self._outlet = _Outlet(self)
        self.destroyed.connect(self._outlet.close)

    def _signal_name(self, signal: Any) -> str:
        """The attribute name of one of this bridge's signals (bound signals carry no usable name)."""
        for name in dir(type(self)):
            if isinstance(getattr(type(self), name, None), Signal) and getattr(self, name) == signal:
                return name
        raise ValueError(f"{signal!r} is not a signal of {type(self).__name__}")

    def forward(self, signal: Any) -> Callable[..., None]:
        """A plain callable that emits `signal` with its arguments on the GUI thread (every call)."""
        outlet, name = self._outlet, self._signal_name(signal)

        def emit(*args: Any) -> None:
            run_on_main(lambda: outlet.emit(name, args))

        return emit

    def forward_latest(self, signal: Any) -> Callable[..., None]:
        """Like `forward`, but calls that arrive while one is pending replace it (newest wins)."""
        outlet, name = self._outlet, self._signal_name(signal)
        lock = threading.Lock()
        latest: list[tuple[Any, ...]] = []

        def deliver() -> None:
            with lock:
                args = latest.pop() if latest else None
            if args is not None:
                outlet.emit(name, args)

        def emit(*args: Any) -> None:
            with lock:
                already_scheduled = bool(latest)
                latest[:] = [args]
            if not already_scheduled:
                run_on_main(deliver)

        return emit

    def close(self) -> None:
        """Stop delivering (GUI thread): calls still queued are dropped."""
        self._outlet.close()
