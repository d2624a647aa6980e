"""Every word a person reads, in one place: counts, dates, doses, frequencies, suggestions.

Backends, rules and diagnostics build their sentences from these pieces, so a dose or a
length reads the same in the plan table, the calendar, the handout and a diagnostic, and
a translation has one module to start from. The handout's templates hold its sentences;
the facts they print (dates, doses, how often) come from here.

Two forms of one day's dose (`progdsl.plan.DayDose`):

    describe_dose(d)           3 × 12 each side, hold 3 s, green band, rest 30–60 s
    describe_dose_in_words(d)  3 sets of 12, each side · hold each repetition 3 s · green band
                               · rest 30–60 s between sets

The first is for tables and calendars, the second for the client's handout. Ranges use
an en dash, numbers drop trailing zeros (2.5 kg, 8 kg).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from . import model
from .units import Range
from .vocabulary import DoseKind, LogItem, Position, Weekday

if TYPE_CHECKING:
    from fractions import Fraction

    from .plan import DayDose

# ---- counting -------------------------------------------------------------------

_PLURALS = {
    "repetition": "repetitions",
    "set": "sets",
    "hold": "holds",
    "bout": "bouts",
    "day": "days",
    "week": "weeks",
    "second": "seconds",
    "minute": "minutes",
    "session": "sessions",
}


def plural(count: float, word: str) -> str:
    """`1 week`, `2 weeks`, `1.5 minutes`: the count and the word it needs."""
    return f"{count:g} {word if count == 1 else _PLURALS.get(word, word + 's')}"


def days(count: int) -> str:
    """A span of days as a sentence says it: `2 weeks`, `1 week`, `10 days`."""
    return plural(count // 7, "week") if count % 7 == 0 else plural(count, "day")


def length_in_words(count: int) -> str:
    """A client's span: `6 weeks`, `1 week`, `10 days`, `3 weeks and 2 days`."""
    weeks, rest = divmod(count, 7)
    if not rest or weeks < 2:
        return days(count)
    return f"{plural(weeks, 'week')} and {plural(rest, 'day')}"


def written_days(count: int) -> str:
    """A span as a program writes it: `2w`, `10d`."""
    return f"{count // 7}w" if count % 7 == 0 else f"{count}d"


def percent(fraction: float | Fraction) -> str:
    return f"{round(fraction * 100)}%"


# ---- dates ----------------------------------------------------------------------

DAY_NAMES = {
    Weekday.MON: "Mon",
    Weekday.TUE: "Tue",
    Weekday.WED: "Wed",
    Weekday.THU: "Thu",
    Weekday.FRI: "Fri",
    Weekday.SAT: "Sat",
    Weekday.SUN: "Sun",
}
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_name(day: dt.date | int) -> str:
    """`Mon`, for a date or a weekday number."""
    return DAY_NAMES[Weekday(day.weekday() if isinstance(day, dt.date) else day)]


def full_day_name(day: dt.date) -> str:
    """`Monday`."""
    return Weekday(day.weekday()).full_name.capitalize()


def long_date(day: dt.date) -> str:
    """`Mon 7 Dec 2026`."""
    return f"{day_name(day)} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def past_latest_day(first: dt.date, days_long: int) -> tuple[str, str]:
    """E125's message and help: a program starting on `first` runs past model.LATEST_DAY."""
    latest = model.LATEST_DAY
    last_start = dt.date.fromordinal(latest.toordinal() - max(days_long, 1) + 1)
    return (
        f"starting on {first.isoformat()}, the program's {days(max(days_long, 1))} would run past "
        f"{latest.isoformat()}, the latest day progdsl plans",
        f"start it on {last_start.isoformat()} or earlier",
    )


def short_date(day: dt.date) -> str:
    """`7 Dec`."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]}"


def day_and_date(day: dt.date) -> str:
    """`Mon 7 Dec`."""
    return f"{day_name(day)} {short_date(day)}"


def date_span(first: dt.date, last: dt.date) -> str:
    """`7–13 Dec`, `28 Dec – 3 Jan`: a short span within a month or across months."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{short_date(last)}"
    return f"{short_date(first)} – {short_date(last)}"


def utc_offset(offset: dt.timedelta) -> str:
    """`UTC+01:00`, `UTC-03:30`."""
    minutes = round(offset.total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def clock_change(written: dt.time, meant: dt.datetime, repeated: bool) -> str:
    """What a session time means on the day the clocks change, for a calendar event's description:
    the first of a time that comes twice, the time an hour (the change) later for one skipped."""
    at = f"{meant:%H:%M} {meant.tzname()} ({utc_offset(meant.utcoffset() or dt.timedelta())})"
    if repeated:
        return f"The clocks go back today, so {written:%H:%M} comes twice: this session is at the first {at}."
    return f"The clocks go forward today and skip {written:%H:%M}: this session is at {at}."


# ---- dose kinds and the registry's ranges ----------------------------------------

_UNIT_WORDS = {
    DoseKind.REPS: "repetitions",
    DoseKind.HOLD: "seconds",
    DoseKind.DURATION: "minutes",
    DoseKind.DISTANCE: "metres",
    DoseKind.STEPS: "steps",
}
_VOLUME_WORDS = {**_UNIT_WORDS, DoseKind.HOLD: "seconds held"}
_SHORT_UNITS = {
    DoseKind.REPS: "",
    DoseKind.HOLD: " s",
    DoseKind.DURATION: " min",
    DoseKind.DISTANCE: " m",
    DoseKind.STEPS: " steps",
}
_SET_WORDS = {
    DoseKind.REPS: "set",
    DoseKind.HOLD: "hold",
    DoseKind.DURATION: "bout",
    DoseKind.DISTANCE: "bout",
    DoseKind.STEPS: "bout",
}
_FORMS = {
    DoseKind.REPS: "repetitions, such as 3x12",
    DoseKind.HOLD: "holds, such as 3x30s",
    DoseKind.DURATION: "one timed bout, such as 20min, 2km or 3000 steps",
    DoseKind.DISTANCE: "a distance, such as 2km",
    DoseKind.STEPS: "a step count, such as 3000 steps",
}
_PROGRESSION_VALUES = {
    DoseKind.REPS: "a number of repetitions, such as `from 8`",
    DoseKind.HOLD: "seconds, such as `from 20s`",
    DoseKind.DURATION: "minutes, such as `to 30min`",
    DoseKind.DISTANCE: "a distance, such as `to 3km`",
    DoseKind.STEPS: "steps, such as `to 5000 steps`",
}
LIMIT_NAMES = {
    "sets": "sets",
    "reps": "repetitions",
    "hold_s": "hold (seconds)",
    "duration_min": "duration (minutes)",
    "rest_s": "rest between sets (seconds)",
    "hold_per_rep_s": "pause in each repetition (seconds)",
}


def unit_words(kind: DoseKind) -> str:
    """`repetitions`, `seconds`, `minutes`: what the amount counts."""
    return _UNIT_WORDS[kind]


def volume_words(kind: DoseKind) -> str:
    """`repetitions`, `seconds held`, `minutes`: what a week's volume adds up."""
    return _VOLUME_WORDS[kind]


def amount(kind: DoseKind, value: Range) -> str:
    """`12 repetitions`, `45–60 s`, `20 min`, `2 km`, `3,000 steps`."""
    return _measure(kind, value) if kind.bout_measure else f"{value}{_SHORT_UNITS[kind] or ' repetitions'}"


def _measure(kind: DoseKind, value: Range) -> str:
    """A distance or step count: `800 m`, `2 km`, `1.5–2 km`, `3,000 steps`."""
    if kind is DoseKind.STEPS:
        shown = f"{value.low:,}" if value.is_single else f"{value.low:,}–{value.high:,}"
        return f"{shown} steps"
    if value.low >= 1000 and value.low % 100 == 0 and value.high % 100 == 0:
        return f"{Range(value.low / 1000, value.high / 1000)} km"
    return f"{value} m"


def dose_forms(kinds: Iterable[DoseKind]) -> str:
    """`repetitions, such as 3x12 or holds, such as 3x30s`: the doses an exercise takes."""
    return " or ".join(_FORMS[kind] for kind in kinds)


def progression_value(kind: DoseKind) -> str:
    """What a progression's value must be for a dose of this kind."""
    return _PROGRESSION_VALUES[kind]


def progression_ends(kind: DoseKind, progression: model.Progression) -> tuple[str, str]:
    """Where a progression starts and ends, as a sentence names them: `8 repetitions`,
    `3 × 10` (sets with the amount), `8 kg`, `green band`."""
    if progression.loads is not None:
        return tuple(f"{load.amount:g} {load.unit}" for load in progression.loads)  # type: ignore[return-value]
    if progression.bands:
        return f"{progression.bands[0]} band", f"{progression.bands[-1]} band"
    if progression.sets is not None:
        unit = _SHORT_UNITS[kind]
        return (
            f"{progression.sets[0]} × {progression.start}{unit}",
            f"{progression.sets[1]} × {progression.end}{unit}",
        )
    return amount(kind, progression.start), amount(kind, progression.end)


def progression_change(kind: DoseKind, progression: model.Progression) -> str:
    """`from 8 to 12 repetitions`-like: `from 8 repetitions to 12 repetitions`, `from 8 kg to 12 kg`."""
    start, end = progression_ends(kind, progression)
    return f"from {start} to {end}"


def stage_words(d: DayDose, moves: model.Moves) -> str:
    """What a progression changes on one day, shortly: `25 s`, `10`, `4 × 12`, `10 kg`, `blue band`."""
    if moves is model.Moves.LOAD and d.load is not None:
        return f"{d.load.amount:g} {d.load.unit}"
    if moves is model.Moves.BAND and d.band is not None:
        return f"{d.band} band"
    if moves is model.Moves.SETS:
        return f"{d.sets} × {d.amount}{_SHORT_UNITS[d.kind]}"
    return f"{d.amount}{_SHORT_UNITS[d.kind]}"


def limit_value(key: str, value: Range) -> str:
    """A registry range's value in a sentence: `3 sets`, `1 set`, `30–60 s of rest`."""
    if key == "sets":
        return f"{value} {'set' if value.is_single and value.low == 1 else 'sets'}"
    return {
        "reps": f"{value} repetitions",
        "hold_s": f"{value} s holds",
        "duration_min": f"{value} min",
        "rest_s": f"{value} s of rest",
        "hold_per_rep_s": f"a {value} s pause in each repetition",
    }[key]


# ---- one day's dose -------------------------------------------------------------


def describe_amount(d: DayDose) -> str:
    """`3 × 12`, `3 × 45–60 s`, `20 min`, `2 km`, `4 × 10 steps` (a single bout has no sets;
    nor has a circuit's line done once a round: `10`, `30 s`)."""
    if d.kind.bout_measure:
        written = _measure(d.kind, d.amount)
    else:
        written = f"{d.amount}{_SHORT_UNITS[d.kind]}" + (" steps" if d.steps else "")
    single = d.kind in (DoseKind.DURATION, DoseKind.DISTANCE, DoseKind.STEPS) or d.circuit is not None
    return written if single and d.sets == 1 else f"{d.sets} × {written}"


def describe_resistance(d: DayDose) -> str | None:
    """`green band`, `8 kg`, `bodyweight`, or None when the line names no resistance."""
    parts = []
    if d.band:
        parts.append(f"{d.band} band")
    if d.load:
        parts.append(f"{d.load.amount:g} {d.load.unit}")
    if d.bodyweight:
        parts.append("bodyweight")
    return ", ".join(parts) or None


def describe_dose(d: DayDose) -> str:
    """The compact form: `3 × 12 each side, hold 3 s, green band, rest 30–60 s`; then the
    side, effort and pain limit a line gives: `left side only, RPE 6–7, pain up to 3/10`."""
    head = describe_amount(d) + (" each side" if d.each_side else "") + (" a round" if d.circuit else "")
    details = [
        f"{d.side} side only" if d.side else None,
        f"hold {d.hold_per_rep_s} s" if d.hold_per_rep_s else None,
        f"tempo {d.tempo}" if d.tempo else None,
        describe_resistance(d),
        f"rest {d.rest_s} s" if d.rest_s else None,
        f"RPE {d.rpe}" if d.rpe else None,
        f"pain up to {d.pain_limit:g}/10" if d.pain_limit is not None else None,
    ]
    return ", ".join([head, *(part for part in details if part)])


def describe_dose_in_words(d: DayDose) -> str:
    """The handout's form: `3 sets of 12, each side · rest 30–60 s between sets`; a side, an
    effort and a pain limit follow: `left side only · effort 6–7 out of 10 · pain up to 3 out of 10 is fine`."""
    if d.kind.bout_measure:
        written = _measure(d.kind, d.amount)
    else:
        unit = (
            _UNIT_WORDS[d.kind].removesuffix("s") if d.amount.is_single and d.amount.low == 1 else _UNIT_WORDS[d.kind]
        )
        written = f"{d.amount}" + (" steps" if d.steps else "" if d.kind is DoseKind.REPS else f" {unit}")
    if d.circuit is not None and d.sets == 1:
        head = (
            f"{written} each round" if d.kind is not DoseKind.REPS or d.steps else f"{written} repetitions each round"
        )
    elif d.kind in (DoseKind.DURATION, DoseKind.DISTANCE, DoseKind.STEPS) and d.sets == 1:
        head = written
    elif d.kind is DoseKind.REPS and d.sets == 1 and d.hold_per_rep_s and not d.steps:
        # `abdominal_bracing 10x10s`: the hold is the point of each repetition
        head = f"{written} repetitions, each held {d.hold_per_rep_s} s"
    else:
        head = f"{plural(d.sets, _SET_WORDS[d.kind])} of {written}" + (" each round" if d.circuit else "")
    if d.each_side:
        head += ", each side"
    details = [
        f"{d.side} side only" if d.side else None,
        f"hold each repetition {d.hold_per_rep_s} s" if d.hold_per_rep_s and "each held" not in head else None,
        f"tempo {d.tempo} (seconds lowering, pausing, lifting)" if d.tempo else None,
        describe_resistance(d),
        f"rest {d.rest_s} s between sets" if d.rest_s else None,
        f"effort {d.rpe} out of 10" if d.rpe else None,
        f"pain up to {d.pain_limit:g} out of 10 is fine" if d.pain_limit is not None else None,
    ]
    return " · ".join([head, *(part for part in details if part)])


def describe_circuit(circuit: model.Circuit) -> str:
    """`Circuit "Balance": 3 rounds, rest 60 s between rounds`."""
    name = f' "{circuit.name}"' if circuit.name else ""
    rest = f", rest {circuit.rest.seconds} s between rounds" if circuit.rest else ""
    return f"Circuit{name}: {plural(circuit.rounds, 'round')}{rest}"


def dose_lines(doses: Iterable[DayDose], separator: str = " ") -> list[str]:
    """One line per exercise, `Clam shell 3 × 12 each side`; a circuit's lines follow a line of
    their own that gives its rounds, and are indented under it."""
    lines: list[str] = []
    current: model.Circuit | None = None
    for d in doses:
        if d.circuit is not None and d.circuit != current:
            lines.append(describe_circuit(d.circuit))
        current = d.circuit
        lines.append(("  " if d.circuit else "") + f"{d.exercise.name}{separator}{describe_dose(d)}")
    return lines


def circuit_for_client(circuit: model.Circuit) -> str:
    """`Do these one after another, 3 times over, resting 60 s between rounds.`"""
    times = "once" if circuit.rounds == 1 else "twice" if circuit.rounds == 2 else f"{circuit.rounds} times"
    rest = f", resting {circuit.rest.seconds} s between rounds" if circuit.rest else ""
    return f"Do these one after another, {times} over{rest}."


# ---- frequencies ----------------------------------------------------------------


def weekday_codes(weekdays: Iterable[int]) -> str:
    """`mon wed fri`: weekdays as a program writes them."""
    return " ".join(Weekday(day).code for day in weekdays)


def written_frequency(frequency: model.Frequency) -> str:
    """The frequency as a program writes it: `daily`, `3x/week`, `on mon wed`, `every 2 days`."""
    match frequency:
        case model.Daily():
            return "daily"
        case model.TimesAWeek(count=count):
            return f"{count}x/week"
        case model.OnDays(weekdays=weekdays):
            return "on " + weekday_codes(weekdays)
        case model.Every(days=every):
            return f"every {every} days"
    raise AssertionError(frequency)


def times_a_day(count: int) -> str:
    """`once a day`, `twice a day`, `3 times a day`."""
    return "once a day" if count == 1 else "twice a day" if count == 2 else f"{count} times a day"


def clock_times(times) -> str:
    """`08:00, 14:00 and 20:00`."""
    shown = [f"{time:%H:%M}" for time in times]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def session_when(session: model.Session, default: dt.time | None) -> str:
    """A session's times in a sentence: `at 07:30`, `3 times a day, at 08:00, 14:00 and 20:00`, or ``."""
    times = [time for time in session.occurrence_times(default) if time is not None]
    if session.per_day > 1:
        return times_a_day(session.per_day) + (f", at {clock_times(times)}" if times else "")
    return f"at {times[0]:%H:%M}" if times else ""


# ---- the tracking log -----------------------------------------------------------

_LOG_HEADINGS = {LogItem.PAIN: "Pain 0–10", LogItem.FALLS: "Falls"}
LOG_HELP = 'the log asks for `pain` (the default), `falls`, or anything you write in quotes, such as log "Steps walked"'


def log_heading(item: LogItem) -> str:
    """The tracking log's column heading for `log pain`, `log falls`."""
    return _LOG_HEADINGS[item]


def describe_frequency(frequency: model.Frequency) -> str:
    """The written frequency, with the weekdays a `Nx/week` falls on: `4x/week (mon wed fri sun)`."""
    if isinstance(frequency, model.TimesAWeek) and frequency.count < 7:
        return f"{frequency.count}x/week ({weekday_codes(frequency.weekdays)})"
    return written_frequency(frequency)


def frequency_for_client(frequency: model.Frequency | None) -> str:
    """How often, in a client's words: `Every day`, `3 days a week: Mon, Wed, Fri`."""
    match frequency:
        case None:
            return "On the days shown for each exercise"
        case model.Daily() | model.TimesAWeek(count=7):
            return "Every day"
        case model.TimesAWeek(count=count):
            return f"{count} days a week: " + ", ".join(day_name(d) for d in frequency.weekdays)
        case model.OnDays(weekdays=weekdays):
            return "Every " + ", ".join(day_name(d) for d in weekdays)
        case model.Every(days=every):
            return f"Every {every} days, counting from the first day of the phase"
    raise AssertionError(frequency)


# ---- figures --------------------------------------------------------------------

_STARTS = {
    Position.LYING_ON_BACK: "lying on your back",
    Position.LYING_FACE_DOWN: "lying face down",
    Position.SIDE_LYING: "lying on your side",
    Position.FOUR_POINT_KNEELING: "on your hands and knees",
    Position.KNEELING: "kneeling",
    Position.SITTING: "sitting",
    Position.STANDING: "standing",
}


def figure_alt(name: str, position: Position | None) -> str:
    """What a picture of an exercise says to a screen reader: `Glute bridge, starting lying on your back`."""
    return f"{name}, starting {_STARTS[position]}" if position else name


# ---- names ----------------------------------------------------------------------


def humanize(identifier: str) -> str:
    """`mini_band` → `Mini band`."""
    words = identifier.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def did_you_mean(names: Iterable[str]) -> str | None:
    """`did you mean `a` or `b`?`, or None when there is nothing to suggest."""
    quoted = [f"`{name}`" for name in names]
    return f"did you mean {' or '.join(quoted)}?" if quoted else None


# ---- sources ----------------------------------------------------------------------


def range_basis(origin: str | None, basis: str, defaults_basis: str) -> str:
    """Where an exercise's ranges come from, as `progdsl exercise` prints it under the ranges.
    `origin` is None for a built-in exercise, else the registry that defines it."""
    if origin is None:
        return f"Where these ranges come from: {basis} docs/sources.md lists the sources."
    return (
        f"These ranges are set by {origin}. A range it leaves out takes progdsl's default, whose basis is: "
        f"{defaults_basis} docs/sources.md lists the sources."
    )


# ---- the calendar ---------------------------------------------------------------


def in_sentence(name: str) -> str:
    """A name as it reads inside a sentence: `Glute activation` → `glute activation`; a first word
    with capitals after its first letter (`ACL rehab`, `McKenzie`) is left as written."""
    first = name.split(" ", 1)[0]
    if first[:1].isupper() and not any(letter.isupper() for letter in first[1:]):
        return name[:1].lower() + name[1:]
    return name


def in_a_list(items: Iterable[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def about_minutes(minutes: int) -> str:
    """`5 min`: an estimated length."""
    return f"{minutes} min"


def calendar_title(sessions: Iterable[str], minutes: int) -> str:
    """A calendar event's title, which says on a phone's day view that this is the home program, what
    it is and how long it takes: `Home exercises: neutral pelvis and flexibility, 20 min`."""
    return f"Home exercises: {in_a_list(in_sentence(name) for name in sessions)}, {about_minutes(minutes)}"


def calendar_session_heading(session: str, minutes: int) -> str:
    """Where one of several sessions done together starts in an event's description."""
    return f"{session}, about {about_minutes(minutes)}:"


CALENDAR_HANDOUT = "How to do each exercise, and what to watch for, is in your handout."
CALENDAR_NOTES = "Notes"
CALENDAR_CAUTIONS = "Cautions"
CALENDAR_SET_ASIDE = "Safety rules set aside by the clinician"
CALENDAR_CANCELLED = "This session is no longer in your program: your clinician changed it."


def calendar_phase(phases: Iterable[str]) -> str:
    """`Phase: Stabilise` (`Phases: …` for sessions of two phases done together)."""
    phases = list(dict.fromkeys(phases))
    return f"{'Phase' if len(phases) == 1 else 'Phases'}: {in_a_list(phases)}"


def calendar_program(title: str, client: str | None) -> str:
    """`Program: Back care in three stages, for Morgan Reid`."""
    return f"Program: {title}" + (f", for {client}" if client else "")


def calendar_clinician(clinician: str) -> str:
    return f"Clinician: {clinician}"


def calendar_about(title: str, client: str | None, clinician: str | None, first: dt.date, last: dt.date) -> str:
    """The first lines of the calendar's own description: whose program, from whom, and when."""
    whose = title + (f", for {client}" if client else "") + (f", from {clinician}" if clinician else "")
    return f"{whose}.\n{first.isoformat()} to {last.isoformat()}."


def calendar_phase_line(name: str, length: int, first: dt.date) -> str:
    """`Stabilise: 2 weeks from 2027-04-05`."""
    return f"{name}: {days(length)} from {first.isoformat()}"


def calendar_session_line(name: str, session: model.Session, default: dt.time | None) -> str:
    """`Stretch: 4x/week (mon wed fri sun) at 18:00`; `Neck: daily, 3 times a day, at 08:00, …`."""
    when = describe_frequency(session.frequency) if session.frequency else "as each exercise says"
    at = session_when(session, default)
    joint = ", " if session.per_day > 1 else " "
    return f"{name}: {when}{joint + at if at else ''}"


def unnamed_session(index: int) -> str:
    """What the calendar's description calls a phase's unnamed session: `Session 2`."""
    return f"Session {index + 1}"


def fmt_refused(name: str, reason: str) -> str:
    """Why `progdsl fmt` left a file as it was although it has no syntax errors."""
    return (
        f"{name}: not formatted, because {reason}; the file is unchanged. "
        "This is a bug in progdsl fmt: please report it with the file"
    )


def fmt_summary(changed: int, unchanged: int, left: int, *, check: bool) -> str:
    """The last line of `progdsl fmt`: what it did, or with --check, what it would do."""
    verb = "would be reformatted" if check else "reformatted"
    parts = [f"{plural(changed, 'file')} {verb}", f"{plural(unchanged, 'file')} already formatted"]
    if left:
        parts.append(f"{plural(left, 'file')} left alone")
    return ", ".join(parts) + "."
