"""Program settings: `set KEY VALUE` header lines, what each means and accepts."""

from __future__ import annotations

import re

from . import ast
from .records import Record
from .units import TIME_UNITS, whole


class SettingSpec(Record, frozen=True):
    key: str
    kind: str  # percent, minutes, seconds, duration, time (of day, kept as `HH:MM`), choice
    default: object
    summary: str
    choices: tuple[str, ...] = ()
    most: int | None = None  # the largest value accepted (E214), in `unit`
    unit: str = ""


SETTINGS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec(
            "weekly_increase_limit",
            "percent",
            25,
            "largest rise in weekly volume a progression (S201) or a new phase (S202) may make before a warning (percent)",
            most=1000,
            unit="percent",
        ),
        SettingSpec(
            "session_minutes_limit",
            "minutes",
            60,
            "estimated session length above which S503 warns (minutes)",
            most=24 * 60,
            unit="minutes",
        ),
        SettingSpec(
            "seconds_per_rep",
            "seconds",
            4,
            "pace S503 uses to estimate how long repetitions take (seconds per repetition)",
            most=3600,
            unit="seconds",
        ),
        SettingSpec(
            "reminder",
            "duration",
            30 * 60,
            "how long before a timed session the calendar reminds the client, or `none`",
            most=7 * 24 * 60,
            unit="minutes",
        ),
        SettingSpec(
            "reminder_at",
            "time",
            "08:00",
            "time of day the calendar reminds the client of a session without a time, or `none`",
        ),
        SettingSpec(
            "page_size",
            "choice",
            "a4",
            "paper size of the handout",
            choices=("a4", "letter"),
        ),
        SettingSpec(
            "print_size",
            "choice",
            "normal",
            "text size of the handout: `large` prints it in large type",
            choices=("normal", "large"),
        ),
    )
}

# Things a program may not choose with `set`, with the message and help its line gets (E152).
# The handout's templates run at build time, so which templates run is the clinic's choice,
# made when it builds; a program is data, which a clinic may receive from anywhere.
NOT_FOR_PROGRAMS: dict[str, tuple[str, str]] = {
    "template": (
        "a program cannot choose its handout templates: they are chosen on the command line",
        "remove this line, and build with `progdsl build FILE --template-dir FOLDER` (the project"
        " config will also be able to name the folder); templates run when the handout is built,"
        " so the clinic chooses them, not the program file",
    ),
}


_TIME_OF_DAY = re.compile(r"([0-9]{1,2}):([0-9]{2})")


def time_of_day(text: str) -> str:
    """A time of day on the 24-hour clock as `HH:MM` (`7:30` → `07:30`); raises ValueError with a reason.
    Kept as text, so that the value reads the same in the JSON output as in the program."""
    match = _TIME_OF_DAY.fullmatch(text.strip())
    if match:
        hour, minute = map(int, match.groups())
        if hour < 24 and minute < 60:
            return f"{hour:02d}:{minute:02d}"
    raise ValueError("write a time of day on the 24-hour clock, such as 08:00 or 19:30, or `none`")


def size_of(spec: SettingSpec, value: ast.Atom | ast.Text | ast.Amount) -> float | None:
    """A number setting's value in `spec.unit`, to hold against `spec.most`; None when it is
    not a number in a unit the setting takes (`convert` then says what is wrong)."""
    if not isinstance(value, ast.Amount):
        return None
    quantity = value.quantity
    number = max(quantity.amount.low, quantity.amount.high)
    if spec.kind == "percent":
        return number
    factor = TIME_UNITS.get(quantity.unit or "")
    if factor is None or spec.kind not in ("minutes", "seconds", "duration"):
        return None
    return number * factor / (1 if spec.unit == "seconds" else 60)


def convert(spec: SettingSpec, value: ast.Atom | ast.Text | ast.Amount) -> object:
    """The setting's value in its kind's unit; raises ValueError with a reason."""
    if spec.kind == "choice":
        word = value.value if isinstance(value, (ast.Atom, ast.Text)) else None
        if word not in spec.choices:
            raise ValueError("choose one of " + ", ".join(spec.choices))
        return word
    if spec.kind in ("duration", "time") and isinstance(value, ast.Atom) and value.value == "none":
        return None
    if spec.kind == "time":
        return time_of_day(value.value if isinstance(value, ast.Atom) else "")
    if not isinstance(value, ast.Amount) or not value.quantity.amount.is_single:
        raise ValueError("write a single number with its unit")
    quantity = value.quantity
    number = quantity.amount.low
    if spec.kind == "percent":
        if number <= 0:
            raise ValueError("write a percentage above zero, such as 25%")
        return number
    if spec.kind in ("minutes", "seconds", "duration"):
        factor = TIME_UNITS.get(quantity.unit or "")
        if factor is None:
            raise ValueError("write a time with its unit, such as 15min or 4s")
        seconds = whole(number * factor)
        if not seconds or seconds < 0:
            raise ValueError("write a whole number of seconds or minutes above zero")
        return {"minutes": seconds / 60, "seconds": seconds, "duration": seconds}[spec.kind]
    raise AssertionError(spec.kind)
