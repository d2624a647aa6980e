"""Amounts and spans of time as rule messages say them."""

from __future__ import annotations

from ..units import Range

_AMOUNT_UNITS = {"reps": " repetitions", "hold": " s", "duration": " min"}
_VOLUME_UNITS = {"reps": "repetitions", "hold": "seconds held", "duration": "minutes"}


def amount(kind: str, value: Range) -> str:
    """`12 repetitions`, `45–60 s`, `20 min`."""
    return f"{value}{_AMOUNT_UNITS[kind]}"


def volume_unit(kind: str) -> str:
    return _VOLUME_UNITS[kind]


def plural(count: int | float, word: str) -> str:
    return f"{count:g} {word}{'' if count == 1 else 's'}"


def days(count: int) -> str:
    """`2 weeks`, `10 days`."""
    return plural(count // 7, "week") if count % 7 == 0 else plural(count, "day")


def written_days(count: int) -> str:
    """A span as a program writes it: `2w`, `10d`."""
    return f"{count // 7}w" if count % 7 == 0 else f"{count}d"


def percent(fraction: float) -> str:
    return f"{round(fraction * 100)}%"
