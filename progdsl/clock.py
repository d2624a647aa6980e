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
    shown = value if len(value) <= 40 else f"{value[:20]}…({len(value)} characters)"
    # ASCII digits only: str.isdigit also takes `²` and `٣`, which int() refuses or reads differently.
    if not (value.isascii() and value.isdigit()):
        raise EpochError(f"SOURCE_DATE_EPOCH is '{shown}': it must be a whole number of seconds since 1970")
    # Compare lengths first: int() refuses strings of over 4,300 digits.
    if len(value.lstrip("0")) > len(str(int(LATEST.timestamp()))) or int(value) >= LATEST.timestamp():
        raise EpochError(f"SOURCE_DATE_EPOCH is {shown}: that is after the year 9000; set a time before it")
    seconds = int(value)
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def today() -> dt.date:
    """The day SOURCE_DATE_EPOCH names, else today on this machine."""
    epoch = source_date_epoch()
    return epoch.date() if epoch else dt.date.today()
