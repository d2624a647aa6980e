"""The build's idea of now: SOURCE_DATE_EPOCH when it is set, for reproducible builds."""

from __future__ import annotations

import datetime as dt
import os

# The latest instant an output may stamp: dates after it cannot be written or shifted safely.
LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)


class EpochError(ValueError):
    """SOURCE_DATE_EPOCH is set to something that is not a usable time."""


def source_date_epoch() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time, or None when it is not set; EpochError when it is unusable."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise EpochError(f"SOURCE_DATE_EPOCH is '{value}': it must be a whole number of seconds since 1970")
    seconds = int(value)
    if seconds >= LATEST.timestamp():
        raise EpochError(f"SOURCE_DATE_EPOCH is {value}: that is after the year 9000; set a time before it")
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def today() -> dt.date:
    """The day SOURCE_DATE_EPOCH names, else today on this machine."""
    epoch = source_date_epoch()
    return epoch.date() if epoch else dt.date.today()
