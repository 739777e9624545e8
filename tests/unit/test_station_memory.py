"""A station that runs many threads at once keeps to two malloc arenas (desktop_app/memory.py).

What this buys was measured with the kiosk soak benchmark (README): about 45 MB of growth per
interview with glibc's default arenas, 5-9 MB with two. Here: the limit really holds in a process
whose threads allocate at the same time, counted from glibc's own `malloc_info` report.
"""

import subprocess
import sys

import pytest

from desktop_app.memory import _glibc

COUNT_ARENAS = """
import ctypes, os, re, sys, tempfile, threading
from desktop_app.memory import limit_malloc_arenas
if sys.argv[1] == "limited":
    limit_malloc_arenas()
keep = []

def work(barrier):
    barrier.wait()  # all at once, as recorder, transcriber and sync loop run together
    keep.append([bytearray(50_000) for _ in range(20)])
    barrier.wait()

barrier = threading.Barrier(8)
threads = [threading.Thread(target=work, args=(barrier,)) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
libc = ctypes.CDLL("libc.so.6")
libc.fdopen.restype = ctypes.c_void_p
with tempfile.TemporaryFile() as report:
    stream = libc.fdopen(os.dup(report.fileno()), b"w")
    libc.malloc_info(0, ctypes.c_void_p(stream))
    libc.fclose(ctypes.c_void_p(stream))
    report.seek(0)
    print(len(re.findall(rb"<heap nr=", report.read())))
"""


def _arenas(mode: str) -> int:
    result = subprocess.run(
        [sys.executable, "-c", COUNT_ARENAS, mode], capture_output=True, text=True, check=True
    )
    return int(result.stdout.strip())


@pytest.mark.skipif(_glibc() is None, reason="malloc arenas are a glibc matter")
def test_the_station_keeps_to_two_malloc_arenas_however_many_threads_run():
    assert _arenas("unlimited") > 2  # glibc's default: one per thread, up to 8 per core
    assert _arenas("limited") <= 2
