"""Stop this server when the process that started it is gone, however it ended (`kill -9` included).

The parent holds the write end of a pipe that is this process's standard input and never writes to
it. When the parent ends for any reason the kernel closes that end, the read below returns
end-of-file, and the server shuts down as on SIGTERM (a second deadline ends it if that hangs).

Chosen over Linux's PR_SET_PDEATHSIG: that is Linux only (the station and its demo also run on
Windows and macOS), it fires when the parent *thread* that started the child ends rather than the
parent process, and a parent that dies before the child has set it goes unnoticed without a second
check. A pipe is portable and has no such window: it exists before the child does. Its one caveat:
a copy of the write end in a process forked from the parent without exec keeps it open; the station
starts helpers only through subprocess, which closes that descriptor.
"""

import os
import signal
import threading
import time

import structlog

log = structlog.get_logger(__name__)

# uvicorn waits for open requests on SIGTERM; a parent that is gone sends none, so this is ample.
SHUTDOWN_GRACE_SECONDS = 10.0


def exit_when_stdin_closes(*, grace_seconds: float = SHUTDOWN_GRACE_SECONDS) -> None:
    """Watch standard input in a daemon thread; at end-of-file, stop this process."""

    def watch() -> None:
        try:
            while os.read(0, 4096):
                pass  # the parent writes nothing; anything read is ignored
        except OSError:
            pass  # a closed or broken descriptor means the same: nobody holds the other end
        log.warning("parent_gone_stopping_server")
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(grace_seconds)
        os._exit(1)  # graceful shutdown hung: the port must not stay taken by an orphan

    threading.Thread(target=watch, name="parent-lifeline", daemon=True).start()
