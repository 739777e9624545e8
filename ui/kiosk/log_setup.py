"""The kiosk's own log: what staff (and the soak benchmark) read to know what the station did.

INFO lines go to stderr and to a rotating file under the station's data folder (`kiosk.log`), so a
crash or a complaint can be traced after the fact. Screen changes are logged by name only: the log
never holds a candidate's name, code or words.
"""

import logging
import logging.handlers
import sys
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_kiosk_logging(data_dir: Path) -> Path:
    """Send INFO and above to stderr and to `<data_dir>/kiosk.log` (5 files of 2 MB); returns the file."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "kiosk.log"
    formatter = logging.Formatter(LOG_FORMAT)
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=4)
    stream_handler = logging.StreamHandler(sys.stderr)
    root = logging.getLogger()
    for handler in (file_handler, stream_handler):
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    for noisy in ("httpx", "httpcore", "faster_whisper"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return path
