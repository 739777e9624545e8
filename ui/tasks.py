"""Background work: the one way the UI runs engine work off the GUI thread, and the one way back.

In the style of anki's `CollectionOp(...).success(...)` and `taskman.run_on_main`:

    run_in_background(lambda: client.open_session(code), on_success=show_plan, on_failure=show_error,
                      owner=self)

`work` runs on a plain Python thread pool; `on_success(result)` or `on_failure(exc)` runs later on the
GUI thread, and only while `owner` (a QObject, usually the widget that asked) is still alive, so a
screen that was closed meanwhile never receives a result.

Why a queue and not a Qt signal: PySide6 6.12 crashes the interpreter (`Fatal Python error:
bool_dealloc`) when Python threads emit signals (PYSIDE-3124 family; /work/shared/STACK-NOTES.md,
issue 11). So no Qt object is created, emitted or called off the GUI thread: worker threads put plain
callables on a `queue.SimpleQueue`, and a `QTimer` on the GUI thread drains it. The pool is
`concurrent.futures`, not `QThreadPool`, so a worker never runs inside a Qt-owned object either.

The thread guard (`gui_thread_only`, `assert_gui_thread`) checks that widget updates and deliveries
happen on the GUI thread. It logs a violation in production and raises in tests
(`INTERVIEW_UI_THREAD_GUARD=strict`, set by tests/conftest.py, which also fails any test that
recorded one).
"""

import functools
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, ParamSpec, TypeVar

from ui.qt import QCoreApplication, QObject, QTimer, is_alive

T = TypeVar("T")
P = ParamSpec("P")
log = logging.getLogger(__name__)

DRAIN_INTERVAL_MS = 8  # worst-case added latency of a hand-over; an idle wake-up costs microseconds
DRAIN_BUDGET_SECONDS = 0.05  # then yield to paint and input; the rest runs on the next tick
POOL_WORKERS = 8  # engine work is mostly waiting (network, disk, devices), not computing
THREAD_GUARD_ENV = "INTERVIEW_UI_THREAD_GUARD"


class WrongThread(RuntimeError):
    """A Qt-facing function ran off the GUI thread."""


thread_violations: list[str] = []
"""Every guard violation seen in this process (tests fail on a non-empty list)."""


def _gui_thread() -> threading.Thread:
    return threading.main_thread()


def assert_gui_thread(what: str) -> None:
    """Fail loudly (strict mode) or log (production) when called off the GUI thread."""
    current = threading.current_thread()
    if current is _gui_thread():
        return
    message = f"{what} ran on thread {current.name!r}, not the GUI thread"
    thread_violations.append(message)
    if os.environ.get(THREAD_GUARD_ENV) == "strict":
        raise WrongThread(message)
    log.error("thread guard: %s", message)


def gui_thread_only(function: Callable[P, T]) -> Callable[P, T]:
    """Decorator for widget update entry points: they may only run on the GUI thread."""
    name = function.__qualname__

    @functools.wraps(function)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> T:
        assert_gui_thread(name)
        return function(*args, **kwargs)

    return guarded


class _MainThreadQueue:
    """Callables from any thread, run in order on the GUI thread by a QTimer that polls the queue."""

    def __init__(self) -> None:
        self.calls: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self.timer: QTimer | None = None

    def ensure_timer(self) -> None:
        """Start the draining timer; only on the GUI thread, once a Qt application exists."""
        assert_gui_thread("install_main_thread_relay")
        if self.timer is not None and is_alive(self.timer):
            return
        if QCoreApplication.instance() is None:
            raise RuntimeError("create the QApplication before the main-thread relay")
        timer = QTimer()
        timer.setInterval(DRAIN_INTERVAL_MS)
        timer.timeout.connect(self.drain)
        timer.start()
        self.timer = timer

    def drain(self) -> None:
        deadline = time.monotonic() + DRAIN_BUDGET_SECONDS
        while time.monotonic() < deadline:
            try:
                call = self.calls.get_nowait()
            except queue.Empty:
                return
            try:
                call()
            except Exception:  # a failing callback must not take the event loop down with it
                log.exception("a callback delivered to the GUI thread failed")


_main = _MainThreadQueue()


def install_main_thread_relay() -> None:
    """Start delivering to the GUI thread. Call on the GUI thread after QApplication exists."""
    _main.ensure_timer()


def run_on_main(function: Callable[[], None]) -> None:
    """Run `function` on the GUI thread soon; safe to call from any thread (touches no Qt object)."""
    _main.calls.put(function)


_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=POOL_WORKERS, thread_name_prefix="ui-background")
        return _pool


class BackgroundTask(Generic[T]):
    """One piece of work on the pool, with its result delivered on the GUI thread."""

    def __init__(
        self,
        work: Callable[[], T],
        *,
        on_success: Callable[[T], None] | None,
        on_failure: Callable[[Exception], None] | None,
        owner: QObject | None,
    ) -> None:
        self._work: Callable[[], T] | None = work
        self._on_success = on_success
        self._on_failure = on_failure
        self._owner = owner
        self._owner_given = owner is not None
        self.done = threading.Event()

    def _owner_alive(self) -> bool:
        return not self._owner_given or (self._owner is not None and is_alive(self._owner))

    def run(self) -> None:
        """On a pool thread: only the work itself runs here; the rest is queued for the GUI thread."""
        work = self._work
        assert work is not None
        try:
            result = work()
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
        # The closures may hold widgets: drop them here, on the GUI thread, never on a worker.
        self._work = None
        self._on_success = None
        self._on_failure = None
        self._owner = None
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
    assert_gui_thread("run_in_background")
    install_main_thread_relay()
    task = BackgroundTask(work, on_success=on_success, on_failure=on_failure, owner=owner)
    _running.add(task)
    _executor().submit(task.run)
    return task


def pending_tasks() -> int:
    """Tasks whose result has not been delivered yet (tests wait for 0)."""
    return len(_running)
