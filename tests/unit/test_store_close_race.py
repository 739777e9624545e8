"""Closing the station's stores while other threads still use them raises in those threads, never
crashes the process (the kiosk segfaulted when shutdown closed the outbox under a late transcript)."""

import subprocess
import sys
from pathlib import Path

import pytest

RACE = """
import sqlite3, sys, threading, time
from datetime import timedelta
from pathlib import Path
from desktop_app.session.journal import SessionJournal
from desktop_app.store.outbox import Outbox
from sync_server.contract import Transcript

path, store = Path(sys.argv[1]), sys.argv[2]
transcript = Transcript(text="words " * 200, language="en", model="tiny.en")
for _round in range(30):
    if store == "outbox":
        db = Outbox.open(path, retention=timedelta(days=7))
        use = lambda: (db.counts(), db.set_transcript("no-such-answer", transcript))
    else:
        db = SessionJournal.open(path)
        use = lambda: (db.answers_not_yet_queued(), db.attempt_transcribed("no-such-answer", transcript))
    stop = threading.Event()

    def user():
        while not stop.is_set():
            try:
                use()
            except (sqlite3.Error, KeyError):
                pass  # closed: what a late transcript sees at shutdown

    threads = [threading.Thread(target=user) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.02)
    db.close()
    stop.set()
    for thread in threads:
        thread.join()
print("survived")
"""


@pytest.mark.parametrize("store", ["outbox", "journal"])
def test_closing_a_store_under_running_statements_does_not_crash(tmp_path: Path, store: str):
    result = subprocess.run(
        [sys.executable, "-c", RACE, str(tmp_path / "station.db"), store],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "survived"
