"""Bound program → Plan: every dated session with that day's concrete doses.

The Plan is what every backend reads. It is immutable; backends may not change it.

Scheduling, as documented in docs/language.md:

* Phases run one after another from the start date.
* A line's frequency wins over its session's, which wins over its phase's.
* `Nx/week` falls on fixed weekdays that keep rest days apart, the same every week
  (`progdsl.model.WEEKLY_SPREAD`); `every N days` counts from the first day of the phase.
* A session done several times a day (`3x/day`) is planned once for each time, at its own
  time (`model.Session.occurrence_times`); its key gains `/2`, `/3` for the later ones.
* A progression's span starts on the first day of its phase. Its doses are worked out
  over the line's own dated sessions inside the span (`progression_stages`): the first
  has the start, the last has the end, and those between move evenly, rounded half up
  to the step. With `weekly` the dose changes only when a week of the span begins.
  After the span the dose stays at the end.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from fractions import Fraction

from . import clock, model
from .records import Record
from .registry import Exercise
from .units import Number, Range
from .vocabulary import DoseKind, Side


class DayDose(Record, frozen=True):
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
    side: Side | None = None  # a one-sided exercise done on this side only
    rpe: Range | None = None  # effort, 0–10
    pain_limit: Number | None = None  # the most pain allowed, out of 10
    circuit: model.Circuit | None = None  # the circuit the line is in; its dose is for one round
    steps: bool = False  # repetitions counted as steps (`4x10 steps`)


class PlannedSession(Record, frozen=True):
    """A session on a date."""

    date: dt.date
    time: dt.time | None
    phase: str
    phase_index: int
    session: str | None  # None for a phase's unnamed session
    session_index: int  # position within the phase
    key: str  # stable across rebuilds: phase and session names, not positions or dates
    exercises: tuple[DayDose, ...]
    occurrence: int = 1  # which of a per-day session's times that day (from 1)
    per_day: int = 1  # how many times the session is done that day


class PlannedPhase(Record, frozen=True):
    phase: model.Phase
    start: dt.date
    end: dt.date  # last day, inclusive


class AllowRecord(Record, frozen=True):
    """An `allow` decision, where it was made, and why."""

    code: str
    reason: str
    where: str  # "program", 'phase "Activate"', 'session "Stretch"', "line 12 (clam_shell)"
    line: int


class Plan(Record, frozen=True):
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
    circuit = dose.circuit
    if circuit is not None:
        # Done once a round; the rest between rounds is shared by the circuit's lines.
        between = circuit.rest.seconds.high if circuit.rest else 0
        sets = dose.sets * circuit.rounds
        return (
            SETUP_SECONDS
            + sets * work * sides
            + (dose.sets - 1) * rest
            + (circuit.rounds - 1) * between / circuit.lines
        )
    return SETUP_SECONDS + dose.sets * work * sides + (dose.sets - 1) * rest


def _round_half_up(value: Fraction | float) -> int:
    return math.floor(value + Fraction(1, 2))


class Stage(Record, frozen=True):
    """What a line's progression gives on one of its dates."""

    sets: int
    amount: Range
    load: model.Load | None
    band: str | None


def span_dates(frequency: model.Frequency, phase_start: dt.date, days: int) -> list[dt.date]:
    """The dates a frequency falls on in the first `days` days from a phase's start, which
    may run past the phase's end (a span longer than its phase)."""
    found = []
    for day in range(days):
        date = phase_start + dt.timedelta(days=day)
        if is_due(frequency, date, day):
            found.append(date)
    return found


def positions(progression: model.Progression, dates: list[dt.date], phase_start: dt.date) -> list[Fraction]:
    """How far along its span the dose is on each date, from 0 (the start) to 1 (the end).

    Every session counts as a step; with `weekly`, every week of the span that has a
    session; with `by STEP weekly` and no `over`, each week adds one step. The first
    date is 0 and the last is 1, whatever the rounding."""
    count = len(dates)
    if count == 0:
        return []
    if count == 1:
        return [Fraction(0)]
    weeks = [(date - phase_start).days // 7 for date in dates]
    if progression.stepped:
        rise = abs(Fraction(progression.end.low - progression.start.low))
        if progression.moves is model.Moves.LOAD and progression.loads:
            rise = abs(Fraction(progression.loads[1].amount) - Fraction(progression.loads[0].amount))
        found = [min(Fraction(1), week * progression.step / rise) if rise else Fraction(1) for week in weeks]
    elif progression.weekly:
        order = {week: index for index, week in enumerate(sorted(set(weeks)))}
        last = max(len(order) - 1, 1)
        found = [Fraction(order[week], last) for week in weeks]
    else:
        found = [Fraction(index, count - 1) for index in range(count)]
    found[0], found[-1] = Fraction(0), Fraction(1)
    return found


def toward(start: Fraction, end: Fraction, position: Fraction, step: Fraction) -> Fraction:
    """The value `position` of the way from start to end, rounded half up to a whole number
    of steps from the start, and never outside start…end; the end itself at 1."""
    if position >= 1:
        return end
    moved = start + step * _round_half_up((end - start) * position / step)
    return min(max(moved, min(start, end)), max(start, end))


def _number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


def stage_at(p: model.Prescription, progression: model.Progression, position: Fraction) -> Stage:
    """The line's dose at a position of its progression's span (0 the start, 1 the end)."""
    dose = p.dose
    start, end = progression.start, progression.end
    low = toward(Fraction(start.low), Fraction(end.low), position, progression.step)
    amount = (
        start.shifted(int(low) - start.low)
        if progression.moves in (model.Moves.AMOUNT, model.Moves.SETS)
        else dose.amount
    )
    sets = dose.sets
    if progression.sets is not None:
        first, last = progression.sets
        sets = int(toward(Fraction(first), Fraction(last), position, Fraction(1)))
    load = p.load
    if progression.loads is not None:
        first_load, last_load = progression.loads
        value = toward(Fraction(first_load.amount), Fraction(last_load.amount), position, progression.step)
        load = model.Load(_number(value), first_load.unit, first_load.span)
    band = p.band.colour if p.band else None
    if progression.bands:
        band = progression.bands[_round_half_up((len(progression.bands) - 1) * position)]
    return Stage(sets, amount, load, band)


def progression_stages(
    p: model.Prescription, frequency: model.Frequency, phase_start: dt.date
) -> list[tuple[dt.date, Stage]]:
    """The line's dates inside its progression's span, each with that day's dose; empty
    without a progression. Dates past the span keep the end (`final_stage`)."""
    if p.progression is None:
        return []
    dates = span_dates(frequency, phase_start, p.progression.days)
    found = positions(p.progression, dates, phase_start)
    return [(date, stage_at(p, p.progression, position)) for date, position in zip(dates, found)]


def written_stage(p: model.Prescription) -> Stage:
    """The dose as the line writes it, without its progression."""
    return Stage(p.dose.sets, p.dose.amount, p.load, p.band.colour if p.band else None)


def final_stage(p: model.Prescription) -> Stage:
    """The dose once the progression's span is over (the written dose without one)."""
    if p.progression is None:
        return written_stage(p)
    return stage_at(p, p.progression, Fraction(1))


def first_stage(p: model.Prescription) -> Stage:
    """The dose on the line's first session (the written dose without a progression)."""
    if p.progression is None:
        return written_stage(p)
    return stage_at(p, p.progression, Fraction(0))


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


def day_dose(p: model.Prescription, stage: Stage) -> DayDose:
    return DayDose(
        exercise=p.exercise,
        kind=p.dose.kind,
        sets=stage.sets,
        amount=stage.amount,
        each_side=p.each_side is not None,
        rest_s=p.rest.seconds if p.rest else None,
        hold_per_rep_s=p.hold_per_rep.seconds if p.hold_per_rep else None,
        tempo=p.tempo,
        band=stage.band,
        load=stage.load,
        bodyweight=p.bodyweight,
        notes=tuple(note.text for note in p.notes),
        line=p.span.line,
        side=p.side.side if p.side else None,
        rpe=p.rpe,
        pain_limit=p.pain_limit,
        circuit=p.circuit,
        steps=p.dose.steps,
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


def _shared_dose(doses: dict[tuple[int, int], DayDose], p: model.Prescription, stage: Stage) -> DayDose:
    """`day_dose`, made once for each line and stage of one session (both live as long as `doses`)."""
    key = (id(p), id(stage))
    dose = doses.get(key)
    if dose is None:
        dose = doses[key] = day_dose(p, stage)
    return dose


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
            times = session.occurrence_times(program.time)
            for p in session.prescriptions:
                used[p.exercise.id] = p.exercise
            stages = {
                id(p): dict(progression_stages(p, session.frequency_for(p), phase_start)) for p in session.prescriptions
            }
            finals = {id(p): final_stage(p) for p in session.prescriptions}
            # Days with the same doses share their DayDose objects and their tuple: a year is
            # mostly the same days again, and backends that remember what they made of a
            # day's doses (by identity, while the plan holds them) make it once.
            doses: dict[tuple[int, int], DayDose] = {}
            days: dict[tuple[int, ...], tuple[DayDose, ...]] = {}
            for day in range(phase.days):
                date = phase_start + dt.timedelta(days=day)
                due = tuple(
                    _shared_dose(doses, p, stages[id(p)].get(date, finals[id(p)]))
                    for p in session.prescriptions
                    if is_due(session.frequency_for(p), date, day)
                )
                due = days.setdefault(tuple(map(id, due)), due)
                if due:
                    for occurrence, time in enumerate(times, start=1):
                        sessions.append(
                            PlannedSession(
                                date,
                                time,
                                phase.name,
                                phase_index,
                                session.name,
                                session_index,
                                key if occurrence == 1 else f"{key}/{occurrence}",
                                due,
                                occurrence,
                                len(times),
                            )
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
