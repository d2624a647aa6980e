"""Bound program → Plan: every dated session with that day's concrete doses.

The Plan is what every backend reads. It is immutable; backends may not change it.

Scheduling, as documented in docs/language.md:

* Phases run one after another from the start date.
* A line's frequency wins over its session's, which wins over its phase's.
* `Nx/week` falls on fixed weekdays that keep rest days apart, the same every week
  (`progdsl.model.WEEKLY_SPREAD`); `every N days` counts from the first day of the phase.
* A progression starts on the first day of its phase; on day d of a span of S days
  the amount is start + (end − start) × d / (S − 1), rounded half up, then stays at end.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from dataclasses import dataclass
from fractions import Fraction

from . import clock, model
from .registry import Exercise
from .units import Range
from .vocabulary import DoseKind


@dataclass(frozen=True)
class DayDose:
    """One exercise as the client does it on one day."""

    exercise: Exercise
    kind: DoseKind
    sets: int
    amount: Range  # repetitions, seconds held, or minutes, on this day
    each_side: bool
    rest_s: Range | None
    hold_per_rep_s: Range | None
    tempo: str | None
    band: str | None
    load: model.Load | None
    bodyweight: bool
    notes: tuple[str, ...]
    line: int  # source line of the exercise line


@dataclass(frozen=True)
class PlannedSession:
    """A session on a date."""

    date: dt.date
    time: dt.time | None
    phase: str
    phase_index: int
    session: str | None  # None for a phase's unnamed session
    session_index: int  # position within the phase
    key: str  # stable across rebuilds: phase and session names, not positions or dates
    exercises: tuple[DayDose, ...]


@dataclass(frozen=True)
class PlannedPhase:
    phase: model.Phase
    start: dt.date
    end: dt.date  # last day, inclusive


@dataclass(frozen=True)
class AllowRecord:
    """An `allow` decision, where it was made, and why."""

    code: str
    reason: str
    where: str  # "program", 'phase "Activate"', 'session "Stretch"', "line 12 (clam_shell)"
    line: int


@dataclass(frozen=True)
class Plan:
    program: model.Program
    start: dt.date
    end: dt.date  # last day, inclusive
    phases: tuple[PlannedPhase, ...]
    sessions: tuple[PlannedSession, ...]  # in date order, then time, then phase and session order
    exercises: tuple[Exercise, ...]  # the registry entries used, by id
    allows: tuple[AllowRecord, ...]
    output_name: str | None = None  # set by the build: `--name`, or a client's (progdsl.clients)

    @property
    def name(self) -> str:
        """What output files are called: the file's stem, unless the build names them."""
        if self.output_name:
            return self.output_name
        stem = os.path.basename(self.program.source.name)
        return (stem.rsplit(".", 1)[0] if "." in stem else stem) or "program"


# ---------------------------------------------------------------------------


def weekdays_of(frequency: model.Frequency) -> tuple[int, ...] | None:
    """The weekdays a weekly frequency falls on, or None for `daily` and `every N days`."""
    match frequency:
        case model.OnDays() | model.TimesAWeek():
            return frequency.weekdays
    return None


def is_due(frequency: model.Frequency, date: dt.date, day_in_phase: int) -> bool:
    match frequency:
        case model.Daily():
            return True
        case model.Every(days=days):
            return day_in_phase % days == 0
        case model.OnDays() | model.TimesAWeek():
            return date.weekday() in frequency.weekdays


# How long a session takes, for the calendar's event lengths and the session-length rule.
SETUP_SECONDS = 30  # per exercise: getting into position and setting up


def tempo_seconds(tempo: str | None) -> int | None:
    """Seconds one repetition takes at a written tempo (`3-1-3` is 7); `x` counts as 1."""
    if not tempo:
        return None
    return sum(int(part) if part.isdigit() else 1 for part in re.split(r"[-–]", tempo))


def estimated_seconds(dose: DayDose, seconds_per_rep: float) -> float:
    """How long one exercise takes on one day, at the top of every written range.

    Repetitions take `seconds_per_rep` each, or the sum of the written tempo, plus any
    pause in each repetition; holds take their seconds and bouts their minutes; `each
    side` doubles the work, not the rests; between sets comes the written rest (its top),
    else the shortest rest the exercise's recommended range gives; and SETUP_SECONDS.
    """
    if dose.kind is DoseKind.REPS:
        per_rep = tempo_seconds(dose.tempo) or seconds_per_rep
        per_rep += dose.hold_per_rep_s.high if dose.hold_per_rep_s else 0
        work = dose.amount.high * per_rep
    else:
        work = dose.amount.high * dose.kind.seconds_per_unit
    rest = dose.rest_s.high if dose.rest_s else dose.exercise.recommended.rest_s.low
    sides = 2 if dose.each_side else 1
    return SETUP_SECONDS + dose.sets * work * sides + (dose.sets - 1) * rest


def _round_half_up(value: Fraction | float) -> int:
    return math.floor(value + Fraction(1, 2))


def amount_on(dose: model.Dose, progression: model.Progression | None, day_in_phase: int) -> Range:
    """The dose's amount on a day of its phase (day 0 is the phase's first day)."""
    if progression is None:
        return dose.amount
    last = progression.days - 1
    if day_in_phase >= last:
        return progression.end
    fraction = Fraction(day_in_phase, last)
    low = progression.start.low + (progression.end.low - progression.start.low) * fraction
    high = progression.start.high + (progression.end.high - progression.start.high) * fraction
    return Range(_round_half_up(low), _round_half_up(high))


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-") or "x"


def session_key(phase: model.Phase, session: model.Session, index: int) -> str:
    label = session.name if session.name else f"session-{index + 1}"
    return f"{_slug(phase.name)}/{_slug(label)}"


def default_start(today: dt.date | None = None) -> dt.date:
    """The Monday after today (today from SOURCE_DATE_EPOCH when set, for reproducible builds)."""
    if today is None:
        today = clock.today()
    return today + dt.timedelta(days=7 - today.weekday())


def day_dose(p: model.Prescription, day_in_phase: int) -> DayDose:
    return DayDose(
        exercise=p.exercise,
        kind=p.dose.kind,
        sets=p.dose.sets,
        amount=amount_on(p.dose, p.progression, day_in_phase),
        each_side=p.each_side is not None,
        rest_s=p.rest.seconds if p.rest else None,
        hold_per_rep_s=p.hold_per_rep.seconds if p.hold_per_rep else None,
        tempo=p.tempo,
        band=p.band.colour if p.band else None,
        load=p.load,
        bodyweight=p.bodyweight,
        notes=tuple(note.text for note in p.notes),
        line=p.span.line,
    )


def _allows(program: model.Program) -> tuple[AllowRecord, ...]:
    records = [AllowRecord(a.code, a.reason, "program", a.span.line) for a in program.allows]
    for phase in program.phases:
        records += [AllowRecord(a.code, a.reason, f'phase "{phase.name}"', a.span.line) for a in phase.allows]
        for session in phase.sessions:
            where = f'session "{session.name}"' if session.name else f'phase "{phase.name}"'
            records += [AllowRecord(a.code, a.reason, where, a.span.line) for a in session.allows]
            for p in session.prescriptions:
                records += [
                    AllowRecord(a.code, a.reason, f"line {a.span.line} ({p.exercise.id})", a.span.line)
                    for a in p.allows
                ]
    return tuple(sorted(records, key=lambda r: r.line))


def build_plan(program: model.Program, start: dt.date | None = None) -> Plan:
    """Expand a checked program into its dated plan.

    `start` is used when the program has no `start` line; without either, the next Monday.
    """
    first = program.start or start or default_start()
    phases: list[PlannedPhase] = []
    sessions: list[PlannedSession] = []
    used: dict[str, Exercise] = {}
    for phase_index, phase in enumerate(program.phases):
        phase_start = first + dt.timedelta(days=phase.first_day)
        phases.append(PlannedPhase(phase, phase_start, phase_start + dt.timedelta(days=phase.days - 1)))
        for session_index, session in enumerate(phase.sessions):
            key = session_key(phase, session, session_index)
            time = session.time or program.time
            for p in session.prescriptions:
                used[p.exercise.id] = p.exercise
            for day in range(phase.days):
                date = phase_start + dt.timedelta(days=day)
                due = tuple(
                    day_dose(p, day) for p in session.prescriptions if is_due(session.frequency_for(p), date, day)
                )
                if due:
                    sessions.append(
                        PlannedSession(date, time, phase.name, phase_index, session.name, session_index, key, due)
                    )
    sessions.sort(key=lambda s: (s.date, s.time or dt.time.min, s.phase_index, s.session_index))
    return Plan(
        program=program,
        start=first,
        end=first + dt.timedelta(days=max(program.days, 1) - 1),
        phases=tuple(phases),
        sessions=tuple(sessions),
        exercises=tuple(used[k] for k in sorted(used)),
        allows=_allows(program),
    )
