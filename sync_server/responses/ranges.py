"""HTTP Range (RFC 9110 §14) for one byte range; several ranges are answered with the whole body."""

import re

from sync_server.errors import ServerError

_SINGLE = re.compile(r"^bytes=(\d*)-(\d*)$")


class RangeNotSatisfiable(ServerError):
    status_code = 416
    kind = "RangeNotSatisfiable"


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """Return [start, end) to send, or None for the whole body. Raises RangeNotSatisfiable."""
    if header is None:
        return None
    match = _SINGLE.match(header.strip().replace(" ", ""))
    if match is None:
        return None  # multiple ranges or another unit: serving the whole body is allowed
    first, last = match.groups()
    unsatisfiable = RangeNotSatisfiable(
        f"The range {header!r} is outside the {size} bytes of this file.",
        headers={"Content-Range": f"bytes */{size}"},
    )
    if not first and not last:
        return None
    if not first:  # suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise unsatisfiable
        return max(0, size - length), size
    start = int(first)
    if start >= size:
        raise unsatisfiable
    end = min(int(last) + 1, size) if last else size
    if end <= start:
        raise unsatisfiable
    return start, end
