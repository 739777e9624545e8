"""Keep a long-running station's memory flat.

The kiosk runs for days and starts short-lived threads all the time (a recorder, a transcript
stream, a late transcript per answer). glibc gives threads their own malloc arenas (up to 8 per
core) and keeps freed memory in them, so the process grew about 45 MB per interview in the soak
benchmark; with two arenas it grew 5-9 MB (issue 11). `mallopt(M_ARENA_MAX)` sets that limit at
run time, before the threads exist, like the `MALLOC_ARENA_MAX` environment variable would at start.
`malloc_trim` hands memory freed after an interview back to the system.

Both are no-ops on systems without glibc (Windows, macOS, musl).
"""

import ctypes
import ctypes.util
import logging
import sys
from functools import cache

log = logging.getLogger(__name__)

M_ARENA_MAX = -8  # from glibc's malloc.h
STATION_ARENAS = 2


@cache
def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.gnu_get_libc_version  # noqa: B018  present only in glibc
    except (OSError, AttributeError):
        return None
    return libc


def limit_malloc_arenas(arenas: int = STATION_ARENAS) -> bool:
    """Let at most `arenas` malloc arenas exist; call first thing in the process. True if applied."""
    libc = _glibc()
    if libc is None:
        return False
    applied = bool(libc.mallopt(M_ARENA_MAX, arenas))
    if not applied:
        log.warning("could not limit malloc arenas; memory may grow with each interview")
    return applied


def release_free_memory() -> None:
    """Return memory that is free inside the process to the system (after an interview)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
