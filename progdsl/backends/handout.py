"""What the printed handout shows, worked out from a Plan as plain data for the templates.

Nothing here knows about HTML, Jinja2 or PDF: `progdsl.backends.html` renders a
`Handout` with the templates in `templates/`, and `progdsl.backends.pdf` prints that
HTML. The handout's sentences live in the templates, so a clinic can change them; this
module supplies the facts they print (names, dates, doses, how often, the week-by-week
numbers), worded by `progdsl.wording` as in every other output.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from string import ascii_uppercase

from .. import model
from ..plan import DayDose, Plan, day_dose, final_stage
from ..registry import RegionInfo, builtin_registry, region_info
from ..wording import (
    date_span,
    day_and_date,
    day_name,
    describe_dose_in_words,
    frequency_for_client,
    humanize,
    length_in_words,
    long_date,
    short_date,
    unit_words,
)
from . import BackendError

# Printed swatches for the band colours programs name (brands differ in which is stronger,
# so the handout shows the colour only, never a resistance order).
BAND_COLOURS = {
    "yellow": "#f2c230",
    "red": "#d2433b",
    "green": "#3c9d4e",
    "teal": "#1f8f8a",
    "blue": "#2f6bc4",
    "black": "#222222",
    "silver": "#b4b9bf",
    "grey": "#9aa0a6",
    "gray": "#9aa0a6",
    "gold": "#c9a227",
    "orange": "#ee8a25",
    "purple": "#7a4fc4",
    "pink": "#e26fa3",
    "white": "#ffffff",
    "tan": "#d6bf98",
    "beige": "#e4d5b7",
    "brown": "#8a5a2e",
}


class HandoutError(BackendError):
    """The handout cannot be made as asked (a missing template folder, asset or font)."""


# ---- the parts of a handout -----------------------------------------------------


@dataclass(frozen=True)
class Swatch:
    """A band colour; `hex` is None for a colour the handout cannot show."""

    colour: str
    hex: str | None


@dataclass(frozen=True)
class EquipmentItem:
    name: str
    swatches: tuple[Swatch, ...]


@dataclass(frozen=True)
class ProgressionRow:
    week: int  # week of the program, from 1
    dates: str  # `7–13 Dec`
    amounts: tuple[str, ...]  # one per column; "" where the exercise is not done that day


@dataclass(frozen=True)
class Progression:
    """How the dose builds up, week by week, on the days the exercise is done."""

    unit: str  # repetitions, seconds or minutes
    start: str  # `8`, `8–13`
    end: str  # the written target
    reached: dt.date | None  # first day at the target, None when this phase never reaches it
    last: str  # the amount on the phase's last occurrence
    columns: tuple[str, ...]  # day names
    rows: tuple[ProgressionRow, ...]  # the weeks in which the dose changes, up to the target
    steady_from_week: int | None  # the week after the table, when the target holds from then on


@dataclass(frozen=True)
class Card:
    """One exercise line of a session: everything a client needs to do it alone."""

    phase: int  # the number of the phase it is printed in: with `number`, it names the card uniquely
    number: int
    exercise_id: str
    name: str
    category: str
    dose: str  # the first day's dose in words
    band: Swatch | None
    days: str | None  # the line's own frequency, when it has one
    progression: Progression | None
    instructions: tuple[str, ...]
    cautions: tuple[str, ...]
    easier: tuple[str, ...]
    harder: tuple[str, ...]
    equipment: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class SessionMark:
    """How the schedule and the log show a session: a letter, a name and a colour."""

    letter: str
    name: str
    tone: int  # 0–5: which of the template's session colours it wears


@dataclass(frozen=True)
class SessionSection:
    mark: SessionMark
    when: str  # how often, in words
    time: str | None  # `07:30`
    notes: tuple[str, ...]
    cautions: tuple[str, ...]
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class PhaseSection:
    number: int
    name: str
    start: dt.date
    end: dt.date
    dates: str  # `Mon 7 Dec 2026 – Sun 20 Dec 2026`
    span: str  # `7–20 Dec`
    weeks: str  # `Weeks 1–2`, `Week 3`
    length: str  # `2 weeks`
    notes: tuple[str, ...]
    cautions: tuple[str, ...]
    sessions: tuple[SessionSection, ...]


@dataclass(frozen=True)
class ScheduleDay:
    date: dt.date
    label: str  # `7 Dec`
    sessions: tuple[SessionMark, ...]
    in_program: bool


@dataclass(frozen=True)
class ScheduleWeek:
    number: int
    dates: str
    phase_starts: tuple[str, ...]  # names of the phases that begin this week
    days: tuple[ScheduleDay, ...]


@dataclass(frozen=True)
class LogDay:
    date: dt.date
    label: str  # `Mon 7 Dec`
    week: int
    phase_start: str | None  # the phase's name on its first scheduled day
    sessions: tuple[SessionMark, ...]


@dataclass(frozen=True)
class ClinicianNote:
    """An `allow` decision: a rule set aside, where, and the clinician's reason."""

    code: str
    rule: str | None  # what the rule checks, from its documentation; None for a code no rule has
    where: str
    reason: str
    line: int


@dataclass(frozen=True)
class Handout:
    """Everything the templates print. Documented, field by field, in docs/templates.md."""

    title: str
    client: str | None
    clinician: str | None
    start: dt.date
    end: dt.date
    dates: str
    length: str
    sessions_per_week: str  # `3–9`, the fewest and most sessions in a week
    equipment: tuple[EquipmentItem, ...]
    cautions: tuple[str, ...]
    notes: tuple[str, ...]
    phases: tuple[PhaseSection, ...]
    legend: tuple[SessionMark, ...]
    schedule: tuple[ScheduleWeek, ...]
    schedule_days: tuple[str, ...]  # day names of the schedule's columns, from the start day
    log: tuple[LogDay, ...]
    clinician_notes: tuple[ClinicianNote, ...]
    flags: tuple[str, ...]
    cleared_by: str | None
    cleared_on: dt.date | None
    stop_signs: tuple[RegionInfo, ...]  # for each region the program works on, in the registry's order


# ---- building it ------------------------------------------------------------------


def swatch(colour: str) -> Swatch:
    return Swatch(colour, BAND_COLOURS.get(colour.lower()))


def _exercise_names(plan: Plan) -> dict[str, str]:
    """Names for ids that cards mention: the plan's exercises, then the built-in registry."""
    names = {exercise.id: exercise.name for exercise in builtin_registry()}
    names.update((exercise.id, exercise.name) for exercise in plan.exercises)
    return names


def _session_label(phase: model.Phase, session: model.Session) -> str:
    return session.name or phase.name


def _marks(plan: Plan) -> dict[str, SessionMark]:
    """One mark per session name, lettered in order of first appearance (sessions of
    different phases that share a name share a mark)."""
    marks: dict[str, SessionMark] = {}
    for phase in plan.program.phases:
        for session in phase.sessions:
            label = _session_label(phase, session)
            if label not in marks:
                index = len(marks)
                letter = ascii_uppercase[index] if index < 26 else str(index + 1)
                marks[label] = SessionMark(letter, label, index % 6)
    return marks


def _week_of(plan: Plan, day: dt.date) -> int:
    return (day - plan.start).days // 7 + 1


def _cell(dose: DayDose, moves: model.Moves) -> str:
    """What a progression table shows for one day: the number (or colour) that changes."""
    if moves is model.Moves.LOAD and dose.load is not None:
        return f"{dose.load.amount:g}"
    if moves is model.Moves.BAND and dose.band is not None:
        return dose.band
    if moves is model.Moves.SETS:
        return f"{dose.sets} × {dose.amount}"
    return str(dose.amount)


def _table_unit(line: model.Prescription, target: model.Progression) -> str:
    if target.loads is not None:
        return target.loads[0].unit
    if target.bands:
        return "band colours"
    if target.sets is not None:
        return "sets × " + unit_words(line.dose.kind)
    return unit_words(line.dose.kind)


def _progression(plan: Plan, line: model.Prescription, occurrences: list[tuple[dt.date, DayDose]]) -> Progression:
    target = line.progression
    assert target is not None
    moves = target.moves
    end = _cell(day_dose(line, final_stage(line)), moves)
    by_week: dict[int, list[tuple[dt.date, DayDose]]] = defaultdict(list)
    for day, dose in occurrences:
        by_week[_week_of(plan, day)].append((day, dose))
    offsets = sorted({(day - plan.start).days % 7 for day, _ in occurrences})
    rows: list[ProgressionRow] = []
    steady_from = None
    weeks = sorted(by_week)
    for position, week in enumerate(weeks):
        days = by_week[week]
        amounts = {(day - plan.start).days % 7: _cell(dose, moves) for day, dose in days}
        first = plan.start + dt.timedelta(days=(week - 1) * 7)
        rows.append(
            ProgressionRow(
                week,
                date_span(first, first + dt.timedelta(days=6)),
                tuple(amounts.get(offset, "") for offset in offsets),
            )
        )
        if all(_cell(dose, moves) == end for _, dose in days):
            steady_from = weeks[position + 1] if position + 1 < len(weeks) else None
            break
    reached = next((day for day, dose in occurrences if _cell(dose, moves) == end), None)
    return Progression(
        unit=_table_unit(line, target),
        start=_cell(occurrences[0][1], moves),
        end=end,
        reached=reached,
        last=_cell(occurrences[-1][1], moves),
        columns=tuple(day_name((plan.start.weekday() + offset) % 7) for offset in offsets),
        rows=tuple(rows),
        steady_from_week=steady_from,
    )


def _needs(plan: Plan, line: model.Prescription) -> tuple[str, ...]:
    """What the exercise needs, with the band the line names: `Mat`, `Mini band (green)`."""
    needs = [humanize(item) for item in line.exercise.equipment]
    if line.band:
        owner = next((item.name for item in plan.program.equipment if line.band.colour in item.options), "band")
        colours = ", ".join(line.progression.bands) if line.progression and line.progression.bands else line.band.colour
        needs = [need for need in needs if need != humanize(owner)] + [f"{humanize(owner)} ({colours})"]
    return tuple(needs)


def _card(
    plan: Plan,
    phase: int,
    number: int,
    line: model.Prescription,
    occurrences: list[tuple[dt.date, DayDose]],
    names: dict[str, str],
) -> Card:
    exercise = line.exercise
    first = occurrences[0][1]
    return Card(
        phase=phase,
        number=number,
        exercise_id=exercise.id,
        name=exercise.name,
        category=exercise.category,
        dose=describe_dose_in_words(first),
        band=swatch(first.band) if first.band else None,
        days=frequency_for_client(line.frequency) if line.frequency else None,
        progression=_progression(plan, line, occurrences) if line.progression else None,
        instructions=exercise.instructions,
        cautions=exercise.cautions,
        easier=tuple(names.get(i, humanize(i)) for i in exercise.easier),
        harder=tuple(names.get(i, humanize(i)) for i in exercise.harder),
        equipment=_needs(plan, line),
        notes=tuple(note.text for note in line.notes),
    )


def _phases(plan: Plan, marks: dict[str, SessionMark]) -> tuple[PhaseSection, ...]:
    occurrences: dict[tuple[int, int, int], list[tuple[dt.date, DayDose]]] = defaultdict(list)
    for planned_session in plan.sessions:
        for dose in planned_session.exercises:
            occurrences[planned_session.phase_index, planned_session.session_index, dose.line].append(
                (planned_session.date, dose)
            )
    names = _exercise_names(plan)
    phases = []
    for phase_index, planned in enumerate(plan.phases):
        phase = planned.phase
        sessions = []
        number = 0
        for session_index, session in enumerate(phase.sessions):
            cards = []
            for line in session.prescriptions:
                found = occurrences.get((phase_index, session_index, line.span.line))
                if found:  # a line whose days never fall inside its phase has nothing to print
                    number += 1
                    cards.append(_card(plan, phase_index + 1, number, line, found, names))
            time = session.time or plan.program.time
            label = _session_label(phase, session)
            sessions.append(
                SessionSection(
                    mark=marks[label],
                    when=frequency_for_client(session.frequency),
                    time=time.strftime("%H:%M") if time else None,
                    notes=tuple(note.text for note in session.notes),
                    cautions=tuple(caution.text for caution in session.cautions),
                    cards=tuple(cards),
                )
            )
        first_week, last_week = _week_of(plan, planned.start), _week_of(plan, planned.end)
        phases.append(
            PhaseSection(
                number=phase_index + 1,
                name=phase.name,
                start=planned.start,
                end=planned.end,
                dates=f"{long_date(planned.start)} – {long_date(planned.end)}",
                span=date_span(planned.start, planned.end),
                weeks=f"Week {first_week}" if first_week == last_week else f"Weeks {first_week}–{last_week}",
                length=length_in_words(phase.days),
                notes=tuple(note.text for note in phase.notes),
                cautions=tuple(caution.text for caution in phase.cautions),
                sessions=tuple(sessions),
            )
        )
    return tuple(phases)


def _marks_by_day(plan: Plan, marks: dict[str, SessionMark]) -> dict[dt.date, tuple[SessionMark, ...]]:
    by_day: dict[dt.date, list[SessionMark]] = defaultdict(list)
    for planned in plan.sessions:
        phase = plan.phases[planned.phase_index].phase
        mark = marks[_session_label(phase, phase.sessions[planned.session_index])]
        if mark not in by_day[planned.date]:
            by_day[planned.date].append(mark)
    return {day: tuple(found) for day, found in by_day.items()}


def _schedule(plan: Plan, marks: dict[dt.date, tuple[SessionMark, ...]]) -> tuple[ScheduleWeek, ...]:
    weeks = []
    phase_starts = defaultdict(list)
    for planned in plan.phases:
        phase_starts[_week_of(plan, planned.start)].append(planned.phase.name)
    for week in range(1, _week_of(plan, plan.end) + 1):
        first = plan.start + dt.timedelta(days=(week - 1) * 7)
        days = tuple(
            ScheduleDay(day, short_date(day), marks.get(day, ()), day <= plan.end)
            for day in (first + dt.timedelta(days=offset) for offset in range(7))
        )
        weeks.append(
            ScheduleWeek(week, date_span(first, first + dt.timedelta(days=6)), tuple(phase_starts[week]), days)
        )
    return tuple(weeks)


def _log(plan: Plan, marks: dict[dt.date, tuple[SessionMark, ...]]) -> tuple[LogDay, ...]:
    phase_of_day: dict[dt.date, int] = {}
    for planned in plan.sessions:
        phase_of_day.setdefault(planned.date, planned.phase_index)
    started: set[int] = set()
    rows = []
    for day in sorted(marks):
        phase_index = phase_of_day[day]
        phase_start = None
        if phase_index not in started:
            started.add(phase_index)
            phase_start = plan.phases[phase_index].phase.name
        rows.append(LogDay(day, day_and_date(day), _week_of(plan, day), phase_start, marks[day]))
    return tuple(rows)


def _clinician_notes(plan: Plan) -> tuple[ClinicianNote, ...]:
    from ..rules import catalog

    rules = catalog()
    notes = []
    for allow in plan.allows:
        rule = rules.get(allow.code)
        notes.append(ClinicianNote(allow.code, rule.summary if rule else None, allow.where, allow.reason, allow.line))
    return tuple(notes)


def _sessions_per_week(plan: Plan) -> str:
    """`3`, or `3–9`: the fewest and most sessions in a whole week of the program."""
    counts: dict[int, int] = defaultdict(int)
    for planned in plan.sessions:
        counts[_week_of(plan, planned.date)] += 1
    weeks = range(1, _week_of(plan, plan.end) + 1)
    whole = [counts[w] for w in weeks if plan.start + dt.timedelta(days=w * 7 - 1) <= plan.end]
    found = whole or [counts[w] for w in weeks]
    fewest, most = min(found, default=0), max(found, default=0)
    return str(fewest) if fewest == most else f"{fewest}–{most}"


def build_handout(plan: Plan) -> Handout:
    """The handout's content for a checked plan."""
    program = plan.program
    marks = _marks(plan)
    by_day = _marks_by_day(plan, marks)
    return Handout(
        title=program.title,
        client=program.client,
        clinician=program.clinician,
        start=plan.start,
        end=plan.end,
        dates=f"{long_date(plan.start)} – {long_date(plan.end)}",
        length=length_in_words((plan.end - plan.start).days + 1),
        sessions_per_week=_sessions_per_week(plan),
        equipment=tuple(
            EquipmentItem(humanize(item.name), tuple(swatch(option) for option in item.options))
            for item in program.equipment
        ),
        cautions=tuple(caution.text for caution in program.cautions),
        notes=tuple(note.text for note in program.notes),
        phases=_phases(plan, marks),
        legend=tuple(marks.values()),
        schedule=_schedule(plan, by_day),
        schedule_days=tuple(day_name((plan.start.weekday() + offset) % 7) for offset in range(7)),
        log=_log(plan, by_day),
        clinician_notes=_clinician_notes(plan),
        flags=tuple(humanize(flag) for flag, _ in program.flags),
        cleared_by=program.cleared.by if program.cleared else None,
        cleared_on=program.cleared.date if program.cleared else None,
        stop_signs=_stop_signs(plan),
    )


# A region's stop signs print when at least this share of the program's exercises belong
# mainly to it: a knee program with one ankle exercise warns about the knee, not the ankle.
STOP_SIGN_SHARE = 0.2


def _stop_signs(plan: Plan) -> tuple[RegionInfo, ...]:
    """The stop signs of the regions the program mainly works on (each exercise's first region)."""
    main = Counter(exercise.regions[0] for exercise in plan.exercises if exercise.regions)
    enough = max(1, STOP_SIGN_SHARE * len(plan.exercises))
    return tuple(info for region, info in region_info().items() if main[region] >= enough)
