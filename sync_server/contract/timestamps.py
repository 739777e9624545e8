"""Moments a station reports (consent given, consent declined): taken from its clock, so checked.

A station's clock can be wrong or a client can send anything; a naive time is ambiguous (which zone?)
and a year-0001 or next-year value would corrupt ordering, retention and audit. Such values are a
validation error, not stored as sent.
"""

from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime

EARLIEST_REPORTED_TIME = datetime(2000, 1, 1, tzinfo=UTC)
CLOCK_AHEAD_TOLERANCE = timedelta(days=1)


def _plausible(value: datetime) -> datetime:
    if value < EARLIEST_REPORTED_TIME:
        raise ValueError("is before the year 2000; check the station's clock")
    if value > datetime.now(UTC) + CLOCK_AHEAD_TOLERANCE:
        raise ValueError("is more than a day in the future; check the station's clock")
    return value


ReportedTime = Annotated[AwareDatetime, AfterValidator(_plausible)]
"""A timezone-aware moment from 2000 up to a day past the server's now."""
