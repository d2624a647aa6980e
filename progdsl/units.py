"""Units and ranges as programs write them: `30-60s`, `2 weeks`, `3×12`, `8kg`."""

from __future__ import annotations

import math
import re

from .records import Record

Number = int | float

# Every spelling the grammar accepts, mapped to one canonical unit.
UNIT_SPELLINGS: dict[str, str] = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), "s"),
    **dict.fromkeys(("min", "mins", "minute", "minutes"), "min"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "h"),
    **dict.fromkeys(("d", "day", "days"), "d"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "w"),
    "kg": "kg",
    **dict.fromkeys(("lb", "lbs"), "lb"),
    "m": "m",
    "km": "km",
    **dict.fromkeys(("step", "steps"), "steps"),
}

TIME_UNITS = {"s": 1, "min": 60, "h": 3600}  # in seconds
CALENDAR_UNITS = {"d": 1, "w": 7}  # in days
DISTANCE_UNITS = {"m": 1, "km": 1000}  # in metres
_NUMBER = r"(\d+(?:\.\d+)?)"
_QUANTITY = re.compile(rf"{_NUMBER}(?: *[-–] *{_NUMBER})? *([a-z]*) *%?$")
_SETS = re.compile(r"(\d+) *[x×] *(.+)$")


# Numbers above this are read as infinity: every size limit (E214) is far below it, and
# infinity stays a number through every conversion, where an int of hundreds of digits
# overflows the float it meets (`int too large to convert to float`).
HUGE = 10**15


def _number(text: str) -> Number:
    value = float(text)
    if value > HUGE:
        return math.inf
    return int(value) if value.is_integer() and "." not in text else value


class Range(Record, frozen=True):
    """An inclusive range of whole or decimal numbers; a single value has low == high."""

    low: Number
    high: Number

    @property
    def is_single(self) -> bool:
        return self.low == self.high

    def scaled(self, factor: Number) -> Range:
        return Range(self.low * factor, self.high * factor)

    def shifted(self, amount: Number) -> Range:
        return Range(self.low + amount, self.high + amount)

    def __str__(self) -> str:
        return f"{self.low:g}" if self.is_single else f"{self.low:g}–{self.high:g}"

    def as_list(self) -> list[Number]:
        return [self.low, self.high]


class Quantity(Record, frozen=True):
    """A number or range with an optional canonical unit (`s`, `min`, `h`, `d`, `w`, `kg`, `lb`)."""

    amount: Range
    unit: str | None

    def __str__(self) -> str:
        return f"{self.amount}{self.unit or ''}"


def parse_quantity(text: str) -> Quantity:
    """`30-60s` → Quantity(Range(30, 60), "s"); `8` → Quantity(Range(8, 8), None)."""
    match = _QUANTITY.match(text.strip())
    if not match:
        raise ValueError(f"not a quantity: {text!r}")
    low, high, unit = match.groups()
    low_n = _number(low)
    high_n = _number(high) if high else low_n
    return Quantity(Range(low_n, high_n), UNIT_SPELLINGS.get(unit) if unit else None)


def parse_sets(text: str) -> tuple[int, Quantity]:
    """`3x10-15` → (3, Quantity(Range(10, 15), None)); `3×45–60s` → (3, 45–60 s)."""
    match = _SETS.match(text.strip())
    if not match:
        raise ValueError(f"not a sets dose: {text!r}")
    return int(match.group(1)), parse_quantity(match.group(2))


def to_seconds(quantity: Quantity) -> Range | None:
    """The quantity in seconds, or None when its unit is not a time of day unit."""
    factor = TIME_UNITS.get(quantity.unit or "")
    return quantity.amount.scaled(factor) if factor else None


def to_minutes(quantity: Quantity) -> Range | None:
    seconds = to_seconds(quantity)
    return None if seconds is None else Range(seconds.low / 60, seconds.high / 60)


def to_metres(quantity: Quantity) -> Range | None:
    """The quantity in metres, or None when its unit is not a distance."""
    factor = DISTANCE_UNITS.get(quantity.unit or "")
    return quantity.amount.scaled(factor) if factor else None


def to_days(quantity: Quantity) -> Range | None:
    """The quantity in calendar days, or None when its unit is not days or weeks."""
    factor = CALENDAR_UNITS.get(quantity.unit or "")
    return quantity.amount.scaled(factor) if factor else None


def whole(value: Number) -> int | None:
    """`value` as an int when it is a whole number, else None."""
    if isinstance(value, int):
        return value
    return int(value) if value.is_integer() else None
