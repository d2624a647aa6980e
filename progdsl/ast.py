"""The syntax of a program as written: frozen dataclasses, each with its source span.

Values here are what the file says, not yet what it means: dates, times, names
and units are checked when the program is resolved (`progdsl.resolve`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .source import Span
from .units import Quantity


@dataclass(frozen=True)
class Atom:
    """A bare word or value token: a name, rule code, date, time or tempo."""

    value: str
    span: Span


@dataclass(frozen=True)
class Text:
    """A quoted string, escapes decoded."""

    value: str
    span: Span


@dataclass(frozen=True)
class Amount:
    """A number or range with its unit, as written (`30-60s`, `2w`, `8`)."""

    quantity: Quantity
    span: Span


# ---- frequency ---------------------------------------------------------------


@dataclass(frozen=True)
class Daily:
    span: Span


@dataclass(frozen=True)
class TimesAWeek:
    count: int
    span: Span


@dataclass(frozen=True)
class OnDays:
    days: tuple[Atom, ...]
    span: Span


@dataclass(frozen=True)
class Every:
    interval: Amount
    span: Span


@dataclass(frozen=True)
class PerDay:
    """`2x/day`, `3 times a day`, `twice daily`: how many times on each of the days."""

    count: int
    span: Span


Frequency = Daily | TimesAWeek | OnDays | Every


# ---- lines ----------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A keyword and one value: `program "…"`, `client`, `clinician`, `timezone`,
    `caution`, `note`, `registry`, `include` (a Text), `start`, `time`, `affected` (an Atom),
    `log` (an Atom for `pain` or `falls`, a Text for a question of the clinician's own)."""

    keyword: str
    value: Text | Atom
    span: Span


@dataclass(frozen=True)
class Allow:
    code: Atom
    reason: Text
    span: Span


@dataclass(frozen=True)
class EquipmentItem:
    name: Atom
    options: tuple[Atom, ...]
    span: Span


@dataclass(frozen=True)
class Equipment:
    items: tuple[EquipmentItem, ...]
    span: Span


@dataclass(frozen=True)
class Flags:
    words: tuple[Atom, ...]
    span: Span


@dataclass(frozen=True)
class Cleared:
    by: Text
    date: Atom
    span: Span


@dataclass(frozen=True)
class Surgery:
    """`surgery "WHAT, WHERE" YYYY-MM-DD`: an operation and its date."""

    text: Text
    date: Atom
    span: Span


@dataclass(frozen=True)
class Setting:
    key: Atom
    value: Atom | Text | Amount
    span: Span


HeaderLine = Line | Allow | Equipment | Flags | Cleared | Surgery | Setting


# ---- exercise lines ----------------------------------------------------------


@dataclass(frozen=True)
class DoseExpr:
    """`3x12`, `3x45-60s` (sets given) or `20min` (sets is None)."""

    sets: int | None
    amount: Amount
    span: Span


@dataclass(frozen=True)
class Detail:
    """A detail on an exercise line: `each side`, `bodyweight` (no value), `rest 60s`,
    `hold 3s`, `load 8kg`, `rpe 6-7` (an Amount), `tempo 3-1-3`, `band green`, `side`
    (`left`, `right`, `affected` or `other`) and `pain` (the `3/10` of `pain up to 3/10`)
    (an Atom)."""

    keyword: str
    value: Atom | Amount | None
    span: Span


@dataclass(frozen=True)
class Progress:
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


@dataclass(frozen=True)
class AtTime:
    time: Atom
    span: Span
    more: tuple[Atom, ...] = ()  # `at 08:00, 18:00`: the times after the first

    @property
    def times(self) -> tuple[Atom, ...]:
        return (self.time, *self.more)


Modifier = Detail | Progress | Line | Allow | Frequency | PerDay


@dataclass(frozen=True)
class ExerciseLine:
    name: Atom
    dose: DoseExpr | None
    modifiers: tuple[Modifier, ...]
    span: Span


# ---- blocks ------------------------------------------------------------------


@dataclass(frozen=True)
class CircuitBlock:
    """`circuit ["NAME"] N rounds [rest 60s]:` and its lines (sessions and circuits inside
    one parse, and are reported)."""

    name: Text | None
    rounds: Atom
    rest: Amount | None
    items: tuple[ExerciseLine | SessionBlock | CircuitBlock | Line | Allow, ...]
    span: Span


@dataclass(frozen=True)
class SessionBlock:
    name: Text | None
    frequency: Frequency | None
    at: AtTime | None
    items: tuple[ExerciseLine | CircuitBlock | Line | Allow, ...]
    span: Span
    per_day: PerDay | None = None


@dataclass(frozen=True)
class PhaseBlock:
    name: Text
    duration: Amount | None
    frequency: Frequency | None
    items: tuple[SessionBlock | CircuitBlock | ExerciseLine | Line | Allow, ...]
    span: Span
    per_day: PerDay | None = None


@dataclass(frozen=True)
class Program:
    """The whole file: header lines, phases, and any stray exercise lines, in order."""

    items: tuple[HeaderLine | PhaseBlock | ExerciseLine, ...]
    span: Span
