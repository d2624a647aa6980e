"""What the printed handout shows, worked out from a Plan as plain data for the templates.

Nothing here knows about HTML, Jinja2 or PDF: `progdsl.backends.html` renders a
`Handout` with the templates in `templates/`, and `progdsl.backends.pdf` prints that
HTML. The handout's sentences live in the templates, so a clinic can change them; this
module supplies the facts they print (names, dates, doses, how often, the week-by-week
numbers), worded by `progdsl.wording` as in every other output.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from string import ascii_uppercase
from typing import TYPE_CHECKING

from .. import model
from ..plan import DayDose, Plan, day_dose, estimated_seconds, final_stage, first_stage, written_stage
from ..records import Record, replace
from ..registry import Exercise, RegionInfo, region_info
from ..vocabulary import LogItem
from ..wording import (
    circuit_for_client,
    clock_times,
    date_span,
    day_name,
    describe_circuit,
    describe_dose,
    describe_dose_in_words,
    describe_frequency,
    figure_alt,
    frequency_for_client,
    humanize,
    length_in_words,
    log_heading,
    long_date,
    session_when,
    short_date,
    stage_words,
    times_a_day,
    unit_words,
)
from . import BackendError

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic

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


class Swatch(Record, frozen=True):
    """A band colour; `hex` is None for a colour the handout cannot show."""

    colour: str
    hex: str | None


class EquipmentItem(Record, frozen=True):
    name: str
    swatches: tuple[Swatch, ...]


class ProgressionRow(Record, frozen=True):
    week: int  # week of the program, from 1
    dates: str  # `7–13 Dec`
    amounts: tuple[str, ...]  # one per column; "" where the exercise is not done that day


class Progression(Record, frozen=True):
    """How the dose builds up, week by week, on the days the exercise is done."""

    unit: str  # repetitions, seconds or minutes
    start: str  # `8`, `8–13`
    end: str  # the written target
    reached: dt.date | None  # first day at the target, None when this phase never reaches it
    last: str  # the amount on the phase's last occurrence
    columns: tuple[str, ...]  # day names
    rows: tuple[ProgressionRow, ...]  # the weeks in which the dose changes, up to the target
    steady_from_week: int | None  # the week after the table, when the target holds from then on


class CircuitHead(Record, frozen=True):
    """The heading printed above a circuit's cards: `Circuit "Balance": 3 rounds, …` and how to do it."""

    number: int
    title: str
    how: str


class LogColumn(Record, frozen=True):
    """A column of the tracking log: `pain` (a score out of 10), `falls`, or one a `log "TEXT"` line asks for."""

    heading: str
    item: str | None  # `pain`, `falls`, or None for a written question


class Variant(Record, frozen=True):
    """An easier or harder version of an exercise, which has its own card in the same handout."""

    card: int
    name: str


class Card(Record, frozen=True):
    """How to do one exercise: printed once, however many phases and sessions use it."""

    number: int  # from 1, in order of first use; the phase tables refer to it
    exercise_id: str
    name: str
    category: str
    figure: str | None  # a picture of the exercise as a data: URI, None when it has none
    figure_alt: str  # what the picture shows, for screen readers: its name and starting position
    credit: str | None  # who made the picture, for a clinic's own image
    instructions: tuple[str, ...]
    cautions: tuple[str, ...]
    easier: tuple[Variant, ...]  # only versions this handout explains on a card of their own
    harder: tuple[Variant, ...]
    equipment: tuple[str, ...]  # what it needs, with the band colours the program's lines name
    phases: tuple[int, ...]  # the numbers of the phases that use it


class DoseRow(Record, frozen=True):
    """One exercise line of a session in a phase's table: which card, at which dose, how it builds."""

    card: int  # the number of the exercise's card
    exercise_id: str
    name: str
    dose: str  # the first day's dose in words
    band: Swatch | None
    days: str | None  # the line's own frequency, when it has one
    progression: Progression | None
    notes: tuple[str, ...]
    circuit: CircuitHead | None = None  # the circuit the line is in: its dose is for one round


class SessionMark(Record, frozen=True):
    """How the phase tables and the log show a session: a letter, a name and a colour."""

    letter: str
    name: str
    tone: int  # 0–5: which of the template's session colours it wears


class SessionSection(Record, frozen=True):
    mark: SessionMark
    when: str  # how often, in words
    time: str | None  # `07:30`
    minutes: int  # about how long it takes, rounded to 5 minutes (at least 5)
    notes: tuple[str, ...]
    cautions: tuple[str, ...]
    rows: tuple[DoseRow, ...]
    same_as: int | None = None  # an earlier phase whose session of this name is the same in every way


class PhaseSection(Record, frozen=True):
    number: int
    name: str
    start: dt.date
    end: dt.date
    dates: str  # `Mon 7 Dec 2026 – Sun 20 Dec 2026`
    span: str  # `7–20 Dec`
    weeks: str  # `Weeks 1–2`, `Week 3`
    length: str  # `2 weeks`
    minutes: tuple[int, int]  # the shortest and longest exercise day of the phase, in minutes
    notes: tuple[str, ...]
    cautions: tuple[str, ...]
    sessions: tuple[SessionSection, ...]


class LogDay(Record, frozen=True):
    date: dt.date
    label: str  # `7 Dec`
    sessions: tuple[SessionMark, ...]
    in_program: bool


class LogWeek(Record, frozen=True):
    """A row of the tracking log: the week's seven days, from the program's start day."""

    number: int
    dates: str  # `7–13 Dec`
    phase_starts: tuple[str, ...]  # names of the phases that begin this week
    days: tuple[LogDay, ...]


class Handout(Record, frozen=True):
    """Everything the client's handout prints. Documented, field by field, in docs/templates.md."""

    title: str
    client: str | None
    clinician: str | None
    start: dt.date
    end: dt.date
    dates: str
    length: str
    minutes: tuple[int, int]  # the shortest and longest exercise day, in minutes (rounded to 5)
    every_day: bool  # whether every day of the program has a session
    equipment: tuple[EquipmentItem, ...]
    cautions: tuple[str, ...]
    notes: tuple[str, ...]
    phases: tuple[PhaseSection, ...]
    cards: tuple[Card, ...]
    legend: tuple[SessionMark, ...]
    log: tuple[LogWeek, ...]
    log_days: tuple[str, ...]  # day names of the log's columns, from the start day
    log_columns: tuple[LogColumn, ...]  # from the `log` lines; the pain score when there are none
    stop_signs: tuple[RegionInfo, ...]  # for each region the program works on, in the registry's order


# ---- building it ------------------------------------------------------------------


def swatch(colour: str) -> Swatch:
    return Swatch(colour, BAND_COLOURS.get(colour.lower()))


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


def _occurrences(plan: Plan) -> dict[tuple[int, int, int], list[tuple[dt.date, DayDose]]]:
    """Each exercise line's days and doses, by (phase, session, line)."""
    found: dict[tuple[int, int, int], list[tuple[dt.date, DayDose]]] = defaultdict(list)
    for planned in plan.sessions:
        if planned.occurrence > 1:  # a session done several times a day: its later times repeat the first's doses
            continue
        for dose in planned.exercises:
            found[planned.phase_index, planned.session_index, dose.line].append((planned.date, dose))
    return found


def _lines(
    plan: Plan,
) -> Iterator[tuple[int, model.Phase, int, model.Session, model.Prescription, list[tuple[dt.date, DayDose]]]]:
    """(phase number, phase, session index, session, line, its days and doses) for every line
    that falls on at least one day of its phase, in program order."""
    occurrences = _occurrences(plan)
    for phase_index, planned in enumerate(plan.phases):
        for session_index, session in enumerate(planned.phase.sessions):
            for line in session.prescriptions:
                found = occurrences.get((phase_index, session_index, line.span.line))
                if found:  # a line whose days never fall inside its phase has nothing to print
                    yield phase_index + 1, planned.phase, session_index, session, line, found


# Pictures by media type, for the data: URIs of a clinic's own images (the registry lets
# only these suffixes through, E307).
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


def _data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def exercise_picture(exercise: Exercise) -> tuple[str, str | None] | None:
    """The exercise's picture as a data: URI, with its credit: the clinic's own image when the
    entry names one, else the figure drawn from its pose data (docs/figures.md). None when it has
    neither, or when neither can be made: a missing picture never stops a handout."""
    if exercise.image:
        path = Path(exercise.image)
        try:
            return _data_uri(IMAGE_TYPES.get(path.suffix.lower(), "image/png"), path.read_bytes()), exercise.credit
        except OSError:
            pass  # checked when the registry was read, gone since: draw the figure instead, if any
    if exercise.figure is not None:
        from ..figures import render_table

        try:
            return _data_uri("image/svg+xml", render_table(exercise.figure)), None
        except Exception:  # pose data the registry's check let through but the drawing cannot use
            return None
    return None


def _cards(plan: Plan, figures: dict[str, str] | None) -> tuple[Card, ...]:
    """A card per exercise, numbered in order of first use. A card names an easier or harder
    version only when the handout explains it on a card of its own: a client alone at home
    cannot do an exercise from its name."""
    uses: dict[str, list[tuple[int, model.Prescription]]] = {}
    for phase_number, _, _, _, line, _ in _lines(plan):
        uses.setdefault(line.exercise.id, []).append((phase_number, line))
    numbers = {exercise_id: number for number, exercise_id in enumerate(uses, start=1)}
    names = {line.exercise.id: line.exercise.name for found in uses.values() for _, line in found}

    def explained(ids: tuple[str, ...]) -> tuple[Variant, ...]:
        return tuple(Variant(numbers[i], names[i]) for i in ids if i in numbers)

    cards = []
    for number, (exercise_id, found) in enumerate(uses.items(), start=1):
        exercise = found[0][1].exercise
        needs = dict.fromkeys(need for _, line in found for need in _needs(plan, line))
        picture = exercise_picture(exercise) if figures is None else (figures.get(exercise_id), None)
        cards.append(
            Card(
                number=number,
                exercise_id=exercise_id,
                name=exercise.name,
                category=exercise.category,
                figure=picture[0] if picture else None,
                figure_alt=figure_alt(exercise.name, exercise.position),
                credit=picture[1] if picture else None,
                instructions=exercise.instructions,
                cautions=exercise.cautions,
                easier=explained(exercise.easier),
                harder=explained(exercise.harder),
                equipment=tuple(needs),
                phases=tuple(dict.fromkeys(phase for phase, _ in found)),
            )
        )
    return tuple(cards)


def _minutes(seconds: float) -> int:
    """About how long, in minutes: rounded to 5, and never less than 5."""
    return max(5, int(5 * round(seconds / 300)))


def _session_minutes(plan: Plan) -> tuple[dict[tuple[int, int], int], dict[dt.date, float]]:
    """How long each session takes at its longest, and how long each day's sessions take together."""
    pace = float(str(plan.program.setting("seconds_per_rep")))
    longest: dict[tuple[int, int], float] = defaultdict(float)
    by_day: dict[dt.date, float] = defaultdict(float)
    for planned in plan.sessions:
        seconds = sum(estimated_seconds(dose, pace) for dose in planned.exercises)
        key = (planned.phase_index, planned.session_index)
        longest[key] = max(longest[key], seconds)
        by_day[planned.date] += seconds
    return {key: _minutes(seconds) for key, seconds in longest.items()}, by_day


def _phases(plan: Plan, marks: dict[str, SessionMark], cards: tuple[Card, ...]) -> tuple[PhaseSection, ...]:
    number_of = {card.exercise_id: card.number for card in cards}
    rows: dict[tuple[int, int], list[DoseRow]] = defaultdict(list)
    for phase_number, _, session_index, _, line, found in _lines(plan):
        first = found[0][1]
        rows[phase_number, session_index].append(
            DoseRow(
                card=number_of[line.exercise.id],
                exercise_id=line.exercise.id,
                name=line.exercise.name,
                dose=describe_dose_in_words(first),
                band=swatch(first.band) if first.band else None,
                days=frequency_for_client(line.frequency) if line.frequency else None,
                progression=_progression(plan, line, found) if line.progression else None,
                notes=tuple(note.text for note in line.notes),
                circuit=(
                    CircuitHead(line.circuit.number, describe_circuit(line.circuit), circuit_for_client(line.circuit))
                    if line.circuit
                    else None
                ),
            )
        )
    session_minutes, day_seconds = _session_minutes(plan)
    phases = []
    seen: dict[SessionSection, int] = {}  # sessions printed in full, and the phase that printed them
    for phase_index, planned in enumerate(plan.phases):
        phase = planned.phase
        sessions = []
        for session_index, session in enumerate(phase.sessions):
            times = [time for time in session.occurrence_times(plan.program.time) if time is not None]
            when = frequency_for_client(session.frequency)
            section = SessionSection(
                mark=marks[_session_label(phase, session)],
                when=f"{when}, {times_a_day(session.per_day)}" if session.per_day > 1 else when,
                time=clock_times(times) if times else None,
                minutes=session_minutes.get((phase_index, session_index), 5),
                notes=tuple(note.text for note in session.notes),
                cautions=tuple(caution.text for caution in session.cautions),
                rows=tuple(rows[phase_index + 1, session_index]),
            )
            if section in seen:
                section = replace(section, same_as=seen[section])
            else:
                seen[section] = phase_index + 1
            sessions.append(section)
        first_week, last_week = _week_of(plan, planned.start), _week_of(plan, planned.end)
        days = [seconds for day, seconds in day_seconds.items() if planned.start <= day <= planned.end]
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
                minutes=(_minutes(min(days, default=0)), _minutes(max(days, default=0))),
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
        if planned.per_day > 1:  # one tick for each time of a per-day session
            at = f" {planned.time:%H:%M}" if planned.time else f" ({planned.occurrence})"
            mark = replace(mark, name=mark.name + at)
        if mark not in by_day[planned.date]:
            by_day[planned.date].append(mark)
    return {day: tuple(found) for day, found in by_day.items()}


def _log(plan: Plan, marks: dict[dt.date, tuple[SessionMark, ...]]) -> tuple[LogWeek, ...]:
    """The tracking log, which is also the schedule: a row per week, a cell per day."""
    weeks = []
    phase_starts = defaultdict(list)
    for planned in plan.phases:
        phase_starts[_week_of(plan, planned.start)].append(planned.phase.name)
    for week in range(1, _week_of(plan, plan.end) + 1):
        first = plan.start + dt.timedelta(days=(week - 1) * 7)
        days = tuple(
            LogDay(day, short_date(day), marks.get(day, ()), day <= plan.end)
            for day in (first + dt.timedelta(days=offset) for offset in range(7))
        )
        weeks.append(LogWeek(week, date_span(first, first + dt.timedelta(days=6)), tuple(phase_starts[week]), days))
    return tuple(weeks)


def build_handout(plan: Plan, figures: dict[str, str] | None = None) -> Handout:
    """The client's handout for a checked plan. Each card's picture is the exercise's own
    (`exercise_picture`), unless `figures` maps exercise ids to images (data: URIs) instead."""
    program = plan.program
    marks = _marks(plan)
    by_day = _marks_by_day(plan, marks)
    cards = _cards(plan, figures)
    _, day_seconds = _session_minutes(plan)
    days = list(day_seconds.values())
    return Handout(
        title=program.title,
        client=program.client,
        clinician=program.clinician,
        start=plan.start,
        end=plan.end,
        dates=f"{long_date(plan.start)} – {long_date(plan.end)}",
        length=length_in_words((plan.end - plan.start).days + 1),
        minutes=(_minutes(min(days, default=0)), _minutes(max(days, default=0))),
        every_day=len(by_day) == (plan.end - plan.start).days + 1,
        equipment=tuple(
            EquipmentItem(humanize(item.name), tuple(swatch(option) for option in item.options))
            for item in program.equipment
        ),
        cautions=tuple(caution.text for caution in program.cautions),
        notes=tuple(note.text for note in program.notes),
        phases=_phases(plan, marks, cards),
        cards=cards,
        legend=tuple(marks.values()),
        log=_log(plan, by_day),
        log_days=tuple(day_name((plan.start.weekday() + offset) % 7) for offset in range(7)),
        log_columns=log_columns(program),
        stop_signs=_stop_signs(plan),
    )


def log_columns(program: model.Program) -> tuple[LogColumn, ...]:
    """The log's columns from the program's `log` lines (`log pain`, `log falls`, `log "Steps
    walked"`), in order; the pain score when it has none, and also when a line sets a pain limit."""
    entries = [(entry.item, entry.text) for entry in program.log] or [
        (item, log_heading(item)) for item in model.DEFAULT_LOG
    ]
    limited = any(p.pain_limit is not None for _, _, p in program.prescriptions())
    if limited and all(item is not LogItem.PAIN for item, _ in entries):
        entries.insert(0, (LogItem.PAIN, log_heading(LogItem.PAIN)))
    return tuple(LogColumn(text, item.value if item else None) for item, text in entries)


# A region's stop signs print when at least this share of the program's exercises belong
# mainly to it: a knee program with one ankle exercise warns about the knee, not the ankle.
STOP_SIGN_SHARE = 0.2


def _stop_signs(plan: Plan) -> tuple[RegionInfo, ...]:
    """The stop signs of the regions the program mainly works on (each exercise's first region)."""
    main = Counter(exercise.regions[0] for exercise in plan.exercises if exercise.regions)
    enough = max(1, STOP_SIGN_SHARE * len(plan.exercises))
    return tuple(info for region, info in region_info().items() if main[region] >= enough)


# ---- the clinician's summary --------------------------------------------------------


class ClinicianNote(Record, frozen=True):
    """An `allow` decision: a rule set aside, where, and the clinician's reason."""

    code: str
    rule: str | None  # what the rule checks, from its documentation; None for a code no rule has
    where: str
    reason: str
    line: int


class Finding(Record, frozen=True):
    """A warning of the safety check, as `progdsl check` reports it."""

    code: str
    message: str
    line: int


class PrescribedLine(Record, frozen=True):
    """One exercise line as written, for the clinic's record."""

    line: int
    exercise_id: str
    name: str
    dose: str  # as written, in the compact form: `3 × 12 each side, hold 3 s, rest 30–60 s`
    frequency: str  # as written: `daily`, `3x/week (mon wed fri)`
    progression: str | None  # `8 → 12 over 14 days`
    notes: tuple[str, ...]


class SummarySession(Record, frozen=True):
    name: str
    time: str | None
    lines: tuple[PrescribedLine, ...]


class SummaryPhase(Record, frozen=True):
    number: int
    name: str
    dates: str
    length: str
    sessions: tuple[SummarySession, ...]


class Summary(Record, frozen=True):
    """What the clinician's summary prints: the clinical record behind the client's handout."""

    title: str
    client: str | None
    clinician: str | None
    dates: str
    length: str
    source: str  # the program file's name
    flags: tuple[str, ...]
    cleared_by: str | None
    cleared_on: dt.date | None
    allows: tuple[ClinicianNote, ...]
    findings: tuple[Finding, ...]
    phases: tuple[SummaryPhase, ...]
    cautions: tuple[str, ...]
    notes: tuple[str, ...]


def _allows(plan: Plan) -> tuple[ClinicianNote, ...]:
    from ..rules import catalog

    rules = catalog()
    notes = []
    for allow in plan.allows:
        rule = rules.get(allow.code)
        notes.append(ClinicianNote(allow.code, rule.summary if rule else None, allow.where, allow.reason, allow.line))
    return tuple(notes)


def _findings(plan: Plan, warnings: Sequence[Diagnostic] | None) -> tuple[Finding, ...]:
    """The safety check's warnings, by line: the build's own, else those of the rules run
    now (a planned program has no errors)."""
    if warnings is None:
        from ..rules import check_program

        warnings = check_program(plan.program)
    return tuple(
        Finding(found.code, found.message, found.span.line)
        for found in sorted(warnings, key=lambda found: (found.span.line, found.code))
    )


def _prescribed(plan: Plan) -> tuple[SummaryPhase, ...]:
    phases = []
    for phase_index, planned in enumerate(plan.phases):
        phase = planned.phase
        sessions = []
        for session in phase.sessions:
            lines = []
            for line in session.prescriptions:
                progression = line.progression
                lines.append(
                    PrescribedLine(
                        line=line.span.line,
                        exercise_id=line.exercise.id,
                        name=line.exercise.name,
                        dose=describe_dose(day_dose(line, written_stage(line))),
                        frequency=describe_frequency(session.frequency_for(line)),
                        progression=(
                            f"{stage_words(day_dose(line, first_stage(line)), progression.moves)} → "
                            f"{stage_words(day_dose(line, final_stage(line)), progression.moves)}"
                            f" over {length_in_words(progression.days)}"
                            if progression
                            else None
                        ),
                        notes=tuple(note.text for note in line.notes),
                    )
                )
            sessions.append(
                SummarySession(
                    _session_label(phase, session), session_when(session, plan.program.time) or None, tuple(lines)
                )
            )
        phases.append(
            SummaryPhase(
                phase_index + 1,
                phase.name,
                f"{long_date(planned.start)} – {long_date(planned.end)}",
                length_in_words(phase.days),
                tuple(sessions),
            )
        )
    return tuple(phases)


def build_summary(plan: Plan, warnings: Sequence[Diagnostic] | None = None) -> Summary:
    """The clinician's summary for a checked plan, with the warnings its check gave (None:
    the safety rules are run here)."""
    program = plan.program
    return Summary(
        title=program.title,
        client=program.client,
        clinician=program.clinician,
        dates=f"{long_date(plan.start)} – {long_date(plan.end)}",
        length=length_in_words((plan.end - plan.start).days + 1),
        source=program.source.name,
        flags=tuple(humanize(flag) for flag, _ in program.flags),
        cleared_by=program.cleared.by if program.cleared else None,
        cleared_on=program.cleared.date if program.cleared else None,
        allows=_allows(plan),
        findings=_findings(plan, warnings),
        phases=_prescribed(plan),
        cautions=tuple(caution.text for caution in program.cautions),
        notes=tuple(note.text for note in program.notes),
    )
