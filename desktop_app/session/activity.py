"""Whether a candidate is using the station right now.

The station has two cores: while a candidate is being checked, practising or answering, capture,
encoding and live transcription need all of them. Background work that can wait (transcribing
answers whose transcript is still pending) asks this object before it starts and between steps,
and is told when the station becomes idle again.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class StationActivity:
    """Counts interviews in progress; `idle` is set whenever there are none."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._interviews = 0
        self.idle = threading.Event()
        """Set while no interview runs; background work checks it between steps."""
        self.idle.set()
        self._on_idle: list[Callable[[], None]] = []

    def on_idle(self, listener: Callable[[], None]) -> None:
        """Call `listener` each time the last running interview ends (on that interview's thread)."""
        with self._lock:
            self._on_idle.append(listener)

    @property
    def busy(self) -> bool:
        return not self.idle.is_set()

    @contextmanager
    def interview(self) -> Iterator[None]:
        """Hold the station busy for the duration of the block (devices on, candidate present)."""
        with self._lock:
            self._interviews += 1
            self.idle.clear()
        try:
            yield
        finally:
            with self._lock:
                self._interviews -= 1
                now_idle = self._interviews == 0
                if now_idle:
                    self.idle.set()
                listeners = list(self._on_idle) if now_idle else []
            for listener in listeners:
                listener()
