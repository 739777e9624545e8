"""The one clock every capture is stamped on.

Video frames and audio blocks carry `monotonic()` seconds taken from the same source, so the
recorder can place both on one timeline and measure how far apart they drift.
"""

import time


def monotonic() -> float:
    """Seconds on the shared monotonic clock (never jumps with wall-clock changes)."""
    return time.monotonic()


def sleep_until(deadline: float) -> None:
    """Sleep until the shared clock reaches `deadline` (returns at once if it already has)."""
    remaining = deadline - monotonic()
    if remaining > 0:
        time.sleep(remaining)
