"""The syntax of a program as written: records, each with its source span.

Values here are what the file says, not yet what it means: dates, times, names
and units are checked when the program is resolved (`progdsl.resolve`).
"""

from __future__ import annotations

from .records import Record
from .source import Span
from .units import Quantity


class Atom(Record, frozen=True):
    """A bare word or value token: a name, rule code, date, time or tempo."""

    value: str
    span: Span


class Text(Record, frozen=True):
    """A quoted string, escapes decoded."""

    value: str
    span: Span


class Amount(Record, frozen=True):
    """A number or range with its unit, as written (`30-60s`, `2w`, `8`)."""

    quantity: Quantity
    span: Span


# ---- frequency ---------------------------------------------------------------


class Daily(Record, frozen=True):
    span: Span


class TimesAWeek(Record, frozen=True):
    count: int
    span: Span


class OnDays(Record, frozen=True):
    days: tuple[Atom, ...]
    span: Span


class Every(Record, frozen=True):
    interval: Amount
    span: Span


class PerDay(Record, frozen=True):
    """`2x/day`, `3 times a day`, `twice daily`: how many times on each of the days."""

    count: int
    span: Span


Frequency = Daily | TimesAWeek | OnDays | Every


# ---- lines ----------------------------------------------------------------------


class Line(Record, frozen=True):
    """A keyword and one value: `program "…"`, `client`, `clinician`, `timezone`,
    `caution`, `note`, `registry`, `include` (a Text), `start`, `time`, `affected` (an Atom),
    `log` (an Atom for `pain` or `falls`, a Text for a question of the clinician's own)."""

    keyword: str
    value: Text | Atom
    span: Span


class Allow(Record, frozen=True):
    code: Atom
    reason: Text
    span: Span


class EquipmentItem(Record, frozen=True):
    name: Atom
    options: tuple[Atom, ...]
    span: Span


class Equipment(Record, frozen=True):
    items: tuple[EquipmentItem, ...]
    span: Span


class Flags(Record, frozen=True):
    words: tuple[Atom, ...]
    span: Span


class Cleared(Record, frozen=True):
    by: Text
    date: Atom
    span: Span


class Surgery(Record, frozen=True):
    """`surgery "WHAT, WHERE" YYYY-MM-DD`: an operation and its date."""

    text: Text
    date: Atom
    span: Span


class Setting(Record, frozen=True):
    key: Atom
    value: Atom | Text | Amount
    span: Span


HeaderLine = Line | Allow | Equipment | Flags | Cleared | Surgery | Setting


# ---- exercise lines ----------------------------------------------------------


class DoseExpr(Record, frozen=True):
    """`3x12`, `3x45-60s` (sets given) or `20min` (sets is None)."""

    sets: int | None
    amount: Amount
    span: Span


class Detail(Record, frozen=True):
    """A detail on an exercise line: `each side`, `bodyweight` (no value), `rest 60s`,
    `hold 3s`, `load 8kg`, `rpe 6-7` (an Amount), `tempo 3-1-3`, `band green`, `side`
    (`left`, `right`, `affected` or `other`) and `pain` (the `3/10` of `pain up to 3/10`)
    (an Atom)."""

    keyword: str
    value: Atom | Amount | None
    span: Span


class Progress(Record, frozen=True):
    """`progress from 8 over 2w` (direction "from"), `progress to 30s by 5s weekly` ("to"),
    `taper to 8 over 1w` (taper). The value is an amount (`8`, `30s`), sets with an
    amount (`4x12`, a DoseExpr), or a Detail: `load 12kg`, `band blue`."""

    direction: str
    value: Amount | DoseExpr | Detail
    over: Amount | None
    span: Span
    taper: bool = False
    by: Amount | None = None  # `by STEP`
    weekly: Span | None = None  # where `weekly` is written


class AtTime(Record, frozen=True):
    time: Atom
    span: Span
    more: tuple[Atom, ...] = ()  # `at 08:00, 18:00`: the times after the first

    @property
    def times(self) -> tuple[Atom, ...]:
        return (self.time, *self.more)


Modifier = Detail | Progress | Line | Allow | Frequency | PerDay


class ExerciseLine(Record, frozen=True):
    name: Atom
    dose: DoseExpr | None
    modifiers: tuple[Modifier, ...]
    span: Span


# ---- blocks ------------------------------------------------------------------


class CircuitBlock(Record, frozen=True):
    """`circuit ["NAME"] N rounds [rest 60s]:` and its lines (sessions and circuits inside
    one parse, and are reported)."""

    name: Text | None
    rounds: Atom
    rest: Amount | None
    items: tuple[ExerciseLine | SessionBlock | CircuitBlock | Line | Allow, ...]
    span: Span


class SessionBlock(Record, frozen=True):
    name: Text | None
    frequency: Frequency | None
    at: AtTime | None
    items: tuple[ExerciseLine | CircuitBlock | Line | Allow, ...]
    span: Span
    per_day: PerDay | None = None


class PhaseBlock(Record, frozen=True):
    name: Text
    duration: Amount | None
    frequency: Frequency | None
    items: tuple[SessionBlock | CircuitBlock | ExerciseLine | Line | Allow, ...]
    span: Span
    per_day: PerDay | None = None


class Program(Record, frozen=True):
    """The whole file: header lines, phases, and any stray exercise lines, in order."""

    items: tuple[HeaderLine | PhaseBlock | ExerciseLine, ...]
    span: Span
