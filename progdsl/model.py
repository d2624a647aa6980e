"""The bound program: what a checked file means, with registry entries resolved,
units converted and defaults applied. Safety rules and the planner read this.

Every part keeps the span of the text it came from, so a rule can point at it.
"""

from __future__ import annotations

import datetime as dt
import enum
from fractions import Fraction

from .records import Record
from .registry import Exercise
from .settings import SETTINGS
from .source import SourceFile, Span
from .units import Number, Range
from .vocabulary import DoseKind, LogItem, Region, Side

# The latest day a program may reach (E125). Well before date's own end (9999-12-31),
# so that every date a rule or backend works out from a planned day (the day after, a
# calendar's time zones to the next new year, an event's end) can still be held.
LATEST_DAY = dt.date(9000, 12, 31)


def runs_past_latest_day(first: dt.date, days: int) -> bool:
    """Whether a program of `days` days starting on `first` reaches past LATEST_DAY."""
    return first.toordinal() + max(days, 1) - 1 > LATEST_DAY.toordinal()


# Nx/week → weekdays (0 = Monday). Rest days never fall two in a row when they can
# be kept apart, and sessions are spaced as evenly as seven days allow.
WEEKLY_SPREAD: dict[int, tuple[int, ...]] = {
    1: (0,),  # mon
    2: (0, 3),  # mon thu
    3: (0, 2, 4),  # mon wed fri
    4: (0, 2, 4, 6),  # mon wed fri sun
    5: (0, 1, 3, 4, 5),  # mon tue thu fri sat
    6: (0, 1, 2, 3, 4, 5),  # mon–sat
    7: (0, 1, 2, 3, 4, 5, 6),
}


# ---- frequency ---------------------------------------------------------------


class Daily(Record, frozen=True):
    span: Span


class TimesAWeek(Record, frozen=True):
    """N sessions a week on days the planner spreads out (see `progdsl.plan`)."""

    count: int
    span: Span

    @property
    def weekdays(self) -> tuple[int, ...]:
        """The fixed weekdays the sessions fall on, the same every week (`WEEKLY_SPREAD`)."""
        return WEEKLY_SPREAD[self.count]


class OnDays(Record, frozen=True):
    weekdays: tuple[int, ...]  # 0 = Monday, sorted, no repeats
    span: Span


class Every(Record, frozen=True):
    days: int
    span: Span


Frequency = Daily | TimesAWeek | OnDays | Every


def due_days_at_most(frequency: Frequency, days: int) -> int:
    """On how many of `days` days in a row a frequency falls, as the planner counts them.

    Exact for `daily` and `every N days`; for weekdays, the most any start day gives,
    so that the count does not depend on the date the program starts."""
    match frequency:
        case Daily():
            return days
        case Every(days=interval):
            return -(-days // interval)
        case TimesAWeek() | OnDays():
            count = len(frequency.weekdays)
            weeks, rest = divmod(days, 7)
            return weeks * count + min(rest, count)


# A per-day session without written times (`3x/day`) is spread over the twelve hours from its
# first time (its `at`, else the program's `time`, else FIRST_TIME): 2x/day at 08:00 and 20:00,
# 3x/day at 08:00, 14:00 and 20:00. docs/language.md says so.
FIRST_TIME = dt.time(8, 0)
SPREAD_MINUTES = 12 * 60


def spread_times(first: dt.time, count: int) -> tuple[dt.time, ...] | None:
    """`count` times evenly over the twelve hours from `first`, to the minute; None when
    the last would pass midnight."""
    if count == 1:
        return (first,)
    start = first.hour * 60 + first.minute
    minutes = [start + round(SPREAD_MINUTES * k / (count - 1)) for k in range(count)]
    if minutes[-1] >= 24 * 60:
        return None
    return tuple(dt.time(m // 60, m % 60) for m in minutes)


# ---- lines kept on the record -------------------------------------------------


class Allow(Record, frozen=True):
    """A clinician's recorded decision to set one rule aside here."""

    code: str
    reason: str
    span: Span


class Remark(Record, frozen=True):
    """A `note` or `caution` line."""

    text: str
    span: Span


# ---- an exercise line ---------------------------------------------------------


class Dose(Record, frozen=True):
    """An amount of repetitions, seconds held, minutes, metres or steps (`kind.unit`), done
    `sets` times. `steps` marks repetitions counted as steps (`tandem_walk 4x10 steps`)."""

    kind: DoseKind
    sets: int
    amount: Range
    span: Span
    steps: bool = False


class Load(Record, frozen=True):
    amount: Number
    unit: str  # kg or lb
    span: Span


class Moves(enum.StrEnum):
    """What a progression changes: the amount, the sets with the amount, the load or the band."""

    AMOUNT = "amount"
    SETS = "sets"
    LOAD = "load"
    BAND = "band"


class Progression(Record, frozen=True):
    """A line's dose moving over `days` days from the first day of its phase.

    `start` and `end` are the amount (same kind as the dose; the written amount for a
    load or band progression). The plan works the doses out over the line's own
    sessions inside the span (`progdsl.plan.progression_doses`): the first has the
    start, the last the end, and those between move evenly, rounded half up to `step`.
    """

    start: Range
    end: Range
    days: int
    span: Span
    moves: Moves = Moves.AMOUNT
    step: Fraction = Fraction(1)  # in the dose's unit, or the load's
    weekly: bool = False  # the dose changes only at the start of each week of the span
    stepped: bool = False  # `by STEP weekly` without `over`: one step a week, the span follows
    taper: bool = False  # goes down on purpose
    sets: tuple[int, int] | None = None  # sets at the start and the end (Moves.SETS)
    loads: tuple[Load, Load] | None = None  # Moves.LOAD
    bands: tuple[str, ...] = ()  # Moves.BAND: the colours from the start's to the end's
    band_ranks: tuple[int, int] | None = None  # Moves.BAND: both colours' places on the equipment line

    def changes(self) -> list[tuple[Fraction, Fraction]]:
        """Each thing the progression moves, as (start, end) numbers: the amount (its low end),
        the sets, the load, the band's place in the client's colours."""
        found = []
        if self.moves in (Moves.AMOUNT, Moves.SETS):
            found.append((Fraction(self.start.low), Fraction(self.end.low)))
        if self.sets is not None:
            found.append((Fraction(self.sets[0]), Fraction(self.sets[1])))
        if self.loads is not None:
            found.append((Fraction(self.loads[0].amount), Fraction(self.loads[1].amount)))
        if self.band_ranks is not None:
            found.append((Fraction(self.band_ranks[0]), Fraction(self.band_ranks[1])))
        return found

    @property
    def lowers(self) -> bool:
        """Whether anything it moves goes down."""
        return any(end < start for start, end in self.changes())

    @property
    def raises(self) -> bool:
        """Whether anything it moves goes up."""
        return any(end > start for start, end in self.changes())

    @property
    def flat(self) -> bool:
        """Whether nothing it moves changes."""
        return all(end == start for start, end in self.changes())

    @property
    def weeks(self) -> int:
        """The weeks the span reaches into (a part week counts)."""
        return -(-self.days // 7)


class Seconds(Record, frozen=True):
    """A time in whole seconds, as written for `rest` or `hold`."""

    seconds: Range
    span: Span


class Band(Record, frozen=True):
    colour: str
    span: Span


class SideOnly(Record, frozen=True):
    """A one-sided exercise done on one side only: `left`, `right side`, `affected side`."""

    side: Side
    written: str  # `left`, `affected side`, as the line says it
    span: Span


class Circuit(Record, frozen=True):
    """`circuit "NAME" 3 rounds rest 60s:`: its lines are done one after another, `rounds` times;
    each line's dose is for one round."""

    name: str | None
    rounds: int
    rest: Seconds | None  # between rounds
    number: int  # its place among its session's circuits, from 1
    lines: int  # how many exercise lines it holds
    span: Span


class Prescription(Record, frozen=True):
    """One exercise line: an exercise and everything the line says about doing it."""

    exercise: Exercise
    written_name: str
    dose: Dose
    each_side: Span | None
    rest: Seconds | None
    hold_per_rep: Seconds | None
    tempo: str | None
    band: Band | None
    load: Load | None
    bodyweight: bool
    progression: Progression | None
    frequency: Frequency | None  # as written on the line; the session's applies when None
    notes: tuple[Remark, ...]
    allows: tuple[Allow, ...]
    span: Span
    name_span: Span
    side: SideOnly | None = None
    rpe: Range | None = None  # effort, 0–10
    pain_limit: Number | None = None  # the most pain allowed, out of 10
    circuit: Circuit | None = None

    @property
    def total_sets(self) -> int:
        """Sets in a session: a circuit's line is done once a round."""
        return self.dose.sets * (self.circuit.rounds if self.circuit else 1)


# ---- blocks -------------------------------------------------------------------


class Session(Record, frozen=True):
    name: str | None
    frequency: Frequency | None  # the session's own, else its phase's; None when every line has one
    time: dt.time | None  # `at HH:MM` as written; the program's `time` applies when None
    prescriptions: tuple[Prescription, ...]
    notes: tuple[Remark, ...]
    cautions: tuple[Remark, ...]
    allows: tuple[Allow, ...]
    span: Span
    header: Span  # the `session …:` line, or the phase's for its unnamed session
    per_day: int = 1  # `3x/day`: done this many times on each of its days
    times: tuple[dt.time, ...] = ()  # `at 08:00, 18:00` as written; `time` is the first

    def occurrence_times(self, default: dt.time | None) -> tuple[dt.time | None, ...]:
        """The time of each of the session's occurrences on a day it is done: the written times,
        else for a per-day session the documented spread (`spread_times`), else its one time
        or the program's (`default`), which may be None (all day)."""
        if len(self.times) == self.per_day:
            return self.times
        first = self.time or default
        if self.per_day == 1:
            return (first,)
        return spread_times(first or FIRST_TIME, self.per_day) or (first,) * self.per_day

    def frequency_for(self, prescription: Prescription) -> Frequency:
        """How often one of this session's lines is done: its own frequency, else the session's.

        A resolved program always has one of the two: a line with neither is E140.
        """
        frequency = prescription.frequency or self.frequency
        if frequency is None:
            raise ValueError(f"{prescription.written_name} has no frequency, nor has its session")
        return frequency


class Phase(Record, frozen=True):
    name: str
    days: int
    first_day: int  # days from the program's start
    frequency: Frequency | None
    sessions: tuple[Session, ...]
    notes: tuple[Remark, ...]
    cautions: tuple[Remark, ...]
    allows: tuple[Allow, ...]
    span: Span
    header: Span  # the `phase …:` line

    @property
    def planned_doses(self) -> int:
        """How many exercise doses the plan holds for this phase, at most: a line's
        due days summed over its lines, without building the plan."""
        return sum(
            due_days_at_most(session.frequency_for(prescription), self.days) * session.per_day
            for session in self.sessions
            for prescription in session.prescriptions
        )


class EquipmentItem(Record, frozen=True):
    name: str
    options: tuple[str, ...]
    span: Span


class Clearance(Record, frozen=True):
    by: str
    date: dt.date
    span: Span


class Surgery(Record, frozen=True):
    """An operation the client has had: the text as written, its date, and the regions
    its words name (`vocabulary.surgery_regions`: "ACL reconstruction, left knee" is the knee)."""

    text: str
    date: dt.date
    regions: tuple[Region, ...]
    span: Span


class Setting(Record, frozen=True):
    key: str
    value: object
    span: Span


class LogEntry(Record, frozen=True):
    """A `log` line: what the tracking log asks each session; `item` is None for a `log "TEXT"`."""

    item: LogItem | None
    text: str
    span: Span


# What the tracking log asks when the program has no `log` line.
DEFAULT_LOG = (LogItem.PAIN,)


class Program(Record, frozen=True):
    source: SourceFile
    title: str
    title_span: Span
    client: str | None
    clinician: str | None
    start: dt.date | None
    timezone: str | None
    time: dt.time | None
    equipment: tuple[EquipmentItem, ...]
    flags: tuple[tuple[str, Span], ...]
    cleared: Clearance | None
    cautions: tuple[Remark, ...]
    notes: tuple[Remark, ...]
    allows: tuple[Allow, ...]
    settings: tuple[Setting, ...]
    phases: tuple[Phase, ...]
    surgeries: tuple[Surgery, ...] = ()
    affected: Side | None = None
    log: tuple[LogEntry, ...] = ()

    @property
    def days(self) -> int:
        return sum(phase.days for phase in self.phases)

    def setting(self, key: str) -> object:
        """The program's `set` value for a setting, else the setting's documented default."""
        return next((s.value for s in self.settings if s.key == key), SETTINGS[key].default)

    def prescriptions(self):
        """Every exercise line, with the phase and session it belongs to."""
        for phase in self.phases:
            for session in phase.sessions:
                for prescription in session.prescriptions:
                    yield phase, session, prescription
