"""Background work: the one way the UI runs engine work off the GUI thread.

In the style of anki's `CollectionOp(...).success(...)` and `taskman.run_on_main`:

    run_in_background(lambda: client.open_session(code), on_success=show_plan, on_failure=show_error,
                      owner=self)

`work` runs on the shared QThreadPool; `on_success(result)` or `on_failure(exc)` runs later on the GUI
thread, and only while `owner` (a QObject, usually the widget that asked) is still alive, so a screen
that was closed meanwhile never receives a result. Widgets never call engine code that may block.
"""

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from ui.qt import QObject, QRunnable, QThreadPool, Signal, is_alive

T = TypeVar("T")
log = logging.getLogger(__name__)


class _MainThreadRelay(QObject):
    """Lives on the GUI thread; a signal emitted from any thread runs its callable there (queued)."""

    call = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.call.connect(self._run)

    def _run(self, function: Callable[[], None]) -> None:
        try:
            function()
        except Exception:  # a failing callback must not take the event loop down with it
            log.exception("a callback delivered to the GUI thread failed")


_relay: _MainThreadRelay | None = None
_relay_lock = threading.Lock()


def install_main_thread_relay() -> None:
    """Create the relay on the GUI thread. Call once after QApplication exists (done by the app)."""
    global _relay
    with _relay_lock:
        if _relay is None or not is_alive(_relay):
            _relay = _MainThreadRelay()


def run_on_main(function: Callable[[], None]) -> None:
    """Run `function` on the GUI thread soon; safe to call from any thread."""
    relay = _relay
    if relay is None or not is_alive(relay):
        raise RuntimeError("install_main_thread_relay() was not called on the GUI thread")
    relay.call.emit(function)


class BackgroundTask(QRunnable, Generic[T]):
    """One piece of work on the pool, with its result delivered on the GUI thread."""

    def __init__(
        self,
        work: Callable[[], T],
        *,
        on_success: Callable[[T], None] | None,
        on_failure: Callable[[Exception], None] | None,
        owner: QObject | None,
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it; the pool must not delete it under us
        self._work = work
        self._on_success = on_success
        self._on_failure = on_failure
        self._owner = owner
        self._owner_given = owner is not None
        self.done = threading.Event()

    def _owner_alive(self) -> bool:
        return not self._owner_given or (self._owner is not None and is_alive(self._owner))

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:
            error = exc
            run_on_main(lambda: self._deliver_failure(error))
        else:
            run_on_main(lambda: self._deliver_success(result))

    def _deliver_success(self, result: T) -> None:
        try:
            if self._on_success is not None and self._owner_alive():
                self._on_success(result)
        finally:
            self._finish()

    def _deliver_failure(self, error: Exception) -> None:
        try:
            if not self._owner_alive():
                return
            if self._on_failure is not None:
                self._on_failure(error)
            else:
                log.error("background work failed with no failure handler", exc_info=error)
        finally:
            self._finish()

    def _finish(self) -> None:
        _running.discard(self)
        self.done.set()


_running: set[BackgroundTask[Any]] = set()  # keeps tasks alive until their result is delivered


def run_in_background(
    work: Callable[[], T],
    *,
    on_success: Callable[[T], None] | None = None,
    on_failure: Callable[[Exception], None] | None = None,
    owner: QObject | None = None,
) -> BackgroundTask[T]:
    """Run `work` on the thread pool; deliver its result or exception on the GUI thread.

    Args:
        work: the blocking call (engine, network, disk). It must not touch widgets.
        on_success: receives the return value, on the GUI thread.
        on_failure: receives the exception, on the GUI thread (show it with `ui.errors.show_error`).
        owner: nothing is delivered once this QObject has been destroyed.
    """
    install_main_thread_relay()
    task = BackgroundTask(work, on_success=on_success, on_failure=on_failure, owner=owner)
    _running.add(task)
    QThreadPool.globalInstance().start(task)
    return task


def pending_tasks() -> int:
    """Tasks whose result has not been delivered yet (tests wait for 0)."""
    return len(_running)
