"""AST → bound program: everything that makes a file invalid *as a program*.

Names are looked up in the registry, units converted, dates, times and zones
read, and doses checked against the forms each exercise takes. Clinical safety
rules come later (`progdsl.rules`); they read what this stage returns.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from fractions import Fraction
from itertools import pairwise
from typing import TypeVar

from . import ast, model, wording
from .diagnostics import Diagnostic, error
from .lookalikes import lookalike_hint
from .records import replace
from .registry import Exercise, Registry
from .settings import NOT_FOR_PROGRAMS, SETTINGS, convert, size_of
from .source import SourceFile, Span
from .suggest import close_matches
from .units import Number, Quantity, Range, parse_quantity, to_days, to_metres, to_minutes, to_seconds, whole
from .vocabulary import MAX_PER_DAY, MAX_ROUNDS, DoseKind, LogItem, Region, Side, Weekday, surgery_regions

_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"(\d{1,2}):(\d{2})$")

# Header lines that may appear once (`program` has its own diagnostics).
_SINGLE_HEADER = {"client", "clinician", "start", "timezone", "time", "cleared"}

# The largest numbers a program may hold: far beyond any prescription (the safety
# rules judge real doses), small enough that dates and durations stay computable.
# A dose's amount has its own limit (`DoseKind.max_amount`).
MAX_SETS = 100
MAX_SECONDS = 3600  # rest between sets, pause in a repetition
MAX_LOAD = 1000  # kg or lb
MAX_DAYS = 3650  # a phase, the whole program, a progression's span, `every N days`
# The dates a program may name (`start`, `cleared`, and `--start`). Calendar apps do not all read
# dates before 1900 (ical.js among them); no date may be later than the latest day a program may
# reach (model.LATEST_DAY, E125), which leaves room for every date the outputs work out.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = model.LATEST_DAY


def date_out_of_range(day: dt.date) -> tuple[str, str] | None:
    """Why a date is outside EARLIEST_DATE..LATEST_DATE, and what to do: None when it is within."""
    if day < EARLIEST_DATE:
        return (
            f"before {EARLIEST_DATE}, the first date progdsl takes",
            "calendar apps do not all read earlier dates; check the year",
        )
    if day > LATEST_DATE:
        return (
            f"after {LATEST_DATE}, the last date progdsl takes",
            "progdsl's dates stop there, well before the year 9999 that computers' calendars end in; check the year",
        )
    return None


# Exercise doses in the whole plan (a line on each day it is done): a year of daily
# sessions of 30 exercises is 10,950. Beyond the limit, building the plan and its
# outputs would take gigabytes and minutes.
MAX_PLANNED_DOSES = 100_000


class Resolver:
    """Binds one program's syntax to the registry, collecting every fault it finds."""

    def __init__(self, source: SourceFile, registry: Registry, regions: frozenset[Region] = frozenset()) -> None:
        self.source = source
        self.registry = registry
        self.diagnostics: list[Diagnostic] = []
        # The regions of the program's known exercises: did-you-mean looks there first.
        self.regions = regions
        # The header's equipment, as far as read: a band progression goes through its colours.
        self.equipment: list[model.EquipmentItem] = []
        # The header's `affected left|right`, read before the phases (header lines come first).
        self.affected: Side | None = None
        self.affected_seen = False

    def report(self, code: str, message: str, span: Span, help: str | None = None) -> None:
        self.diagnostics.append(error(code, message, span, help))

    # ---- values

    def date(self, atom: ast.Atom) -> dt.date | None:
        match = _DATE.match(atom.value)
        try:
            day = dt.date(*map(int, match.groups())) if match else None
        except ValueError as exc:
            self.report(
                "E120",
                f"`{atom.value}` is not a date on the calendar ({exc})",
                atom.span,
                "write dates as YYYY-MM-DD, such as 2026-12-07",
            )
            return None
        if day is None:
            self.report(
                "E120", f"`{atom.value}` is not a date", atom.span, "write dates as YYYY-MM-DD, such as 2026-12-07"
            )
            return None
        out_of_range = date_out_of_range(day)
        if out_of_range is not None:
            why, help = out_of_range
            self.report("E123", f"`{atom.value}` is {why}", atom.span, help)
            return None
        return day

    def time(self, atom: ast.Atom) -> dt.time | None:
        match = _TIME.match(atom.value)
        if match:
            hour, minute = map(int, match.groups())
            if hour < 24 and minute < 60:
                return dt.time(hour, minute)
        self.report(
            "E121",
            f"`{atom.value}` is not a time of day",
            atom.span,
            "write times on the 24-hour clock as HH:MM, from 00:00 to 23:59 (such as 07:30 or 18:00)",
        )
        return None

    def zone(self, text: ast.Text) -> str | None:
        from .zones import machine_bound, portable_equivalent, portable_zones, suggest_zone

        if text.value in portable_zones():  # tzdata has it, so zoneinfo loads it: no need to import zoneinfo
            return text.value
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(text.value)
            loads = True
        except (ZoneInfoNotFoundError, ValueError, OSError):
            loads = False

        why = machine_bound(text.value, loads)
        if why is not None:
            portable = portable_equivalent(text.value)
            hint = (
                wording.did_you_mean([portable])
                if portable
                else 'name the client\'s own zone, such as "Australia/Sydney" or "Europe/London"'
            )
            self.report("E124", f'"{text.value}" is not a portable time zone name', text.span, f"{why}; {hint}")
            return None
        if loads:
            return text.value
        suggestion = suggest_zone(text.value)
        hint = (
            wording.did_you_mean([suggestion])
            if suggestion
            else 'use an IANA zone name such as "Australia/Sydney" or "Europe/London"'
        )
        self.report("E122", f'"{text.value}" is not a time zone', text.span, hint)
        return None

    def seconds(self, amount: ast.Amount, what: str) -> Range | None:
        seconds = to_seconds(amount.quantity)
        if seconds is None:
            self.report(
                "E209",
                f"{what} is a time, not `{amount.quantity}`",
                amount.span,
                f"write it in seconds or minutes, such as `{what} 60s` or `{what} 1min`",
            )
            return None
        # Size first: a number too large to hold (infinity) is not whole either.
        if not self.within(max(seconds.low, seconds.high), MAX_SECONDS, f"seconds of {what}", amount.span):
            return None
        if whole(seconds.low) is None or whole(seconds.high) is None:
            self.report("E206", f"{what} must come to whole seconds", amount.span)
            return None
        return self._ordered(Range(int(seconds.low), int(seconds.high)), amount.span)

    def within(self, value, most: int, unit: str, span: Span) -> bool:
        """Whether a number is at most `most`; E214 when it is not."""
        if value <= most:
            return True
        shown = f"{value:,g}" if value < 10**9 else "over a billion"
        self.report(
            "E214",
            f"{shown} {unit} is more than progdsl accepts (at most {most:,})",
            span,
            "check the number; docs/language.md lists progdsl's size limits",
        )
        return False

    def _ordered(self, value: Range, span: Span) -> Range | None:
        if value.low > value.high:
            self.report(
                "E206",
                f"the range {value} runs backwards",
                span,
                f"write the smaller number first: {value.high:g}-{value.low:g}",
            )
            return None
        return value

    def frequency(self, node: ast.Frequency | None) -> model.Frequency | None:
        match node:
            case None:
                return None
            case ast.Daily():
                return model.Daily(node.span)
            case ast.TimesAWeek(count=count):
                if not 1 <= count <= 7:
                    self.report(
                        "E142",
                        f"{count} times a week is not possible",
                        node.span,
                        "use 1 to 7 times a week, or `daily`",
                    )
                    return None
                return model.TimesAWeek(count, node.span)
            case ast.OnDays(days=days):
                return self._weekdays(node, days)
            case ast.Every(interval=interval):
                interval_days = to_days(interval.quantity)
                if (
                    interval_days is not None
                    and interval_days.is_single
                    and not self.within(interval_days.low, MAX_DAYS, "days between sessions", interval.span)
                ):
                    return None
                if (
                    interval_days is None
                    or not interval_days.is_single
                    or whole(interval_days.low) is None
                    or interval_days.low < 1
                ):
                    self.report(
                        "E143",
                        f"`every {interval.quantity}` is not a number of days",
                        interval.span,
                        "write a whole number of days, such as `every 2 days` or `every 3d`",
                    )
                    return None
                return model.Every(int(interval_days.low), node.span)
        raise AssertionError(node)

    def _weekdays(self, node: ast.OnDays, days: tuple[ast.Atom, ...]) -> model.OnDays | None:
        found: list[int] = []
        for day in days:
            weekday = Weekday.from_word(day.value)
            if weekday is not None:
                if weekday in found:
                    self.report("E141", f"`{day.value}` is named twice", day.span)
                found.append(weekday)
            else:
                self.report(
                    "E141",
                    f"`{day.value}` is not a day of the week",
                    day.span,
                    "name days by their first three letters: mon tue wed thu fri sat sun",
                )
        return model.OnDays(tuple(sorted(set(found))), node.span) if found else None

    # ---- program

    def program(self, node: ast.Program) -> model.Program | None:
        title: ast.Line | None = None
        singles: dict[str, ast.Line | ast.Cleared] = {}
        equipment = self.equipment
        flags: list[tuple[str, Span]] = []
        cautions: list[model.Remark] = []
        notes: list[model.Remark] = []
        allows: list[model.Allow] = []
        settings: list[model.Setting] = []
        surgeries: list[model.Surgery] = []
        log: list[model.LogEntry] = []
        phases: list[model.Phase] = []
        first_day = 0
        seen_phase: ast.PhaseBlock | None = None

        for item in node.items:
            if isinstance(item, ast.PhaseBlock):
                seen_phase = item
                phase = self.phase(item, first_day)
                if phase is not None:
                    phases.append(phase)
                    first_day += phase.days
                    if not self.within(first_day, MAX_DAYS, "days in the program", phase.header):
                        break
                continue
            if isinstance(item, ast.ExerciseLine):
                self.report(
                    "E114",
                    "exercise lines belong inside a phase",
                    item.span,
                    'start a phase above it, such as: phase "Activate" 2w daily:',
                )
                continue
            if seen_phase is not None:
                keyword = self.source.line(item.span.line).split()[0]
                self.report(
                    "E113",
                    f"the `{keyword}` line comes after a phase",
                    item.span,
                    "header lines go at the top of the file, before the first phase"
                    " (indent it to make it part of the phase)",
                )
                continue
            match item:
                case ast.Line(keyword="program"):
                    if title is not None:
                        self.report(
                            "E111",
                            "the program has a second `program` line",
                            item.span,
                            f'a file holds one program; its title is already "{title.value.value}" (line {title.span.line})',
                        )
                    else:
                        title = item
                case ast.Equipment(items=items):
                    equipment += [
                        model.EquipmentItem(i.name.value, tuple(o.value for o in i.options), i.span) for i in items
                    ]
                case ast.Flags(words=words):
                    flags += [(w.value, w.span) for w in words]
                case ast.Line(keyword="caution", value=text):
                    cautions.append(model.Remark(text.value, item.span))
                case ast.Line(keyword="note", value=text):
                    notes.append(model.Remark(text.value, item.span))
                case ast.Line(keyword="registry"):
                    pass  # loaded before resolving (progdsl.compiler.registry_for)
                case ast.Line(keyword="include"):
                    pass  # expanded before resolving (progdsl.include)
                case ast.Allow():
                    allows += self.allows([item])
                case ast.Surgery():
                    surgery = self.surgery(item)
                    if surgery is not None:
                        surgeries.append(surgery)
                case ast.Setting():
                    setting = self.setting(item)
                    if setting is not None:
                        settings.append(setting)
                case ast.Line(keyword="affected", value=ast.Atom() as side):
                    self.affected_line(item, side)
                case ast.Line(keyword="log"):
                    entry = self.log_entry(item, log)
                    if entry is not None:
                        log.append(entry)
                case _:
                    keyword = item.keyword if isinstance(item, ast.Line) else "cleared"
                    assert keyword in _SINGLE_HEADER, keyword
                    if keyword in singles:
                        self.report(
                            "E112",
                            f"`{keyword}` is given twice",
                            item.span,
                            f"keep one; the first is on line {singles[keyword].span.line}",
                        )
                    else:
                        singles[keyword] = item

        if title is None:
            self.report(
                "E110",
                "the program has no title line",
                Span.point(1, 1),
                'add a first line such as: program "Glutes for a sore back"',
            )
        if not phases and seen_phase is None:
            self.report(
                "E115",
                "the program has no phases",
                self.source.last_span,
                'add a phase with its exercises, such as:\n    phase "Activate" 2w:\n      session daily:\n        clam_shell 3x12',
            )

        start_atom = _header_value(singles.get("start"), ast.Atom)
        zone_text = _header_value(singles.get("timezone"), ast.Text)
        time_atom = _header_value(singles.get("time"), ast.Atom)
        start = self.date(start_atom) if start_atom is not None else None
        zone = self.zone(zone_text) if zone_text is not None else None
        time = self.time(time_atom) if time_atom is not None else None
        cleared = None
        line = singles.get("cleared")
        if isinstance(line, ast.Cleared):
            when = self.date(line.date)
            if not line.by.value.strip():
                self.report(
                    "E116",
                    "`cleared` must say who cleared the client",
                    line.by.span,
                    'name the health professional, such as: cleared "Dr Jo Park, GP" 2026-11-30',
                )
            elif when is not None:
                cleared = model.Clearance(line.by.value, when, line.span)

        if start is not None and start_atom is not None:
            self.last_day(start, first_day, start_atom.span)

        if self.diagnostics or title is None or not self.plan_fits(phases):
            return None

        def header_text(keyword: str) -> str | None:
            value = _header_value(singles.get(keyword), ast.Text)
            return value.value if value is not None else None

        return model.Program(
            source=self.source,
            title=title.value.value,
            title_span=title.span,
            client=header_text("client"),
            clinician=header_text("clinician"),
            start=start,
            timezone=zone,
            time=time,
            equipment=tuple(equipment),
            flags=tuple(flags),
            cleared=cleared,
            cautions=tuple(cautions),
            notes=tuple(notes),
            allows=tuple(allows),
            settings=tuple(settings),
            phases=tuple(phases),
            surgeries=tuple(surgeries),
            affected=self.affected,
            log=tuple(log),
        )

    def affected_line(self, node: ast.Line, side: ast.Atom) -> None:
        if self.affected_seen:
            self.report("E112", "`affected` is given twice", node.span, "keep one: a program has one affected side")
            return
        self.affected_seen = True
        word = side.value.lower()
        if word not in (Side.LEFT, Side.RIGHT):
            self.report(
                "E185",
                f"`affected {side.value}` does not name a side",
                side.span,
                "write `affected left` or `affected right`; for both sides, leave the line out and write `each side`",
            )
            return
        self.affected = Side(word)

    def log_entry(self, node: ast.Line, found: list[model.LogEntry]) -> model.LogEntry | None:
        if isinstance(node.value, ast.Text):
            text = node.value.value.strip()
            if not text:
                self.report("E192", "`log` needs something to ask", node.value.span, wording.LOG_HELP)
                return None
            entry = model.LogEntry(None, text, node.span)
        else:
            word = node.value.value.lower()
            if word not in tuple(LogItem):
                hint = wording.did_you_mean(close_matches(word, tuple(LogItem), n=1))
                self.report(
                    "E192",
                    f"the tracking log cannot ask for `{node.value.value}`",
                    node.value.span,
                    "; ".join(filter(None, (hint, wording.LOG_HELP))),
                )
                return None
            entry = model.LogEntry(LogItem(word), wording.log_heading(LogItem(word)), node.span)
        first = next((e for e in found if (e.item, e.text.lower()) == (entry.item, entry.text.lower())), None)
        if first is not None:
            self.report("E192", "the tracking log already asks for this", node.span, f"see line {first.span.line}")
            return None
        return entry

    def surgery(self, node: ast.Surgery) -> model.Surgery | None:
        when = self.date(node.date)
        if not node.text.value.strip():
            self.report(
                "E117",
                "`surgery` must say what the operation was",
                node.text.span,
                'name the operation and the body part, such as: surgery "ACL reconstruction, left knee" 2026-11-02',
            )
            return None
        # A text that names no known body part is kept, with no regions: S607 warns about it.
        regions = surgery_regions(node.text.value)
        return model.Surgery(node.text.value, when, regions, node.span) if when is not None else None

    def plan_fits(self, phases: list[model.Phase]) -> bool:
        """Whether the plan stays within MAX_PLANNED_DOSES; E215 at the phase that passes it."""
        total = 0
        for phase in phases:
            total += phase.planned_doses
            if total > MAX_PLANNED_DOSES:
                self.report(
                    "E215",
                    f"by the end of this phase the plan holds {total:,} exercise doses; "
                    f"progdsl plans at most {MAX_PLANNED_DOSES:,}",
                    phase.header,
                    "a dose is one exercise line on one day: shorten the phases, or split the "
                    "program into several programs",
                )
                return False
        return True

    def last_day(self, start: dt.date, days: int, span: Span) -> None:
        """E125 when the program's last day is after model.LATEST_DAY."""
        if model.runs_past_latest_day(start, days):
            message, help = wording.past_latest_day(start, days)
            self.report("E125", message, span, help)

    def allows(self, nodes) -> list[model.Allow]:
        found = []
        for node in nodes:
            if not node.reason.value.strip():
                self.report(
                    "E160",
                    f"`allow {node.code.value}` needs a reason",
                    node.reason.span,
                    'say why the rule is set aside, such as: allow S401 "Cleared by phone, letter to follow"',
                )
                continue
            found.append(model.Allow(node.code.value, node.reason.value, node.span))
        return found

    def setting(self, node: ast.Setting) -> model.Setting | None:
        if node.key.value in NOT_FOR_PROGRAMS:
            message, instead = NOT_FOR_PROGRAMS[node.key.value]
            self.report("E152", message, node.span, instead)
            return None
        spec = SETTINGS.get(node.key.value)
        if spec is None:
            close = wording.did_you_mean(close_matches(node.key.value, SETTINGS, n=1))
            hint = close or "known settings: " + ", ".join(SETTINGS)
            self.report("E150", f"`{node.key.value}` is not a setting", node.key.span, hint)
            return None
        size = size_of(spec, node.value)
        if size is not None and spec.most is not None and not self.within(size, spec.most, spec.unit, node.value.span):
            return None
        try:
            return model.Setting(spec.key, convert(spec, node.value), node.span)
        except ValueError as exc:
            self.report("E151", f"`{spec.key}` cannot be `{self._text_of(node.value)}`", node.value.span, str(exc))
            return None

    def _text_of(self, node) -> str:
        span = node.span
        return self.source.line(span.line)[span.col - 1 : span.end_col - 1]

    # ---- phases and sessions

    def remarks(self, items) -> tuple[tuple[model.Remark, ...], tuple[model.Remark, ...], tuple[model.Allow, ...]]:
        """A block's `note`, `caution` and `allow` lines."""

        def lines(keyword: str) -> tuple[model.Remark, ...]:
            return tuple(
                model.Remark(i.value.value, i.span) for i in items if isinstance(i, ast.Line) and i.keyword == keyword
            )

        return lines("note"), lines("caution"), tuple(self.allows(i for i in items if isinstance(i, ast.Allow)))

    def phase(self, node: ast.PhaseBlock, first_day: int) -> model.Phase | None:
        days = self.phase_days(node)
        frequency = self.frequency(node.frequency)
        per_day = self.per_day(node.per_day)
        notes, cautions, allows = self.remarks(node.items)
        sessions: list[model.Session] = []
        loose: list[ast.ExerciseLine | ast.CircuitBlock] = []
        loose_at: int | None = None  # where the first loose line sits among the sessions
        for item in node.items:
            match item:
                case ast.SessionBlock():
                    session = self.session(item, frequency, node, per_day)
                    if session is not None:
                        sessions.append(session)
                case ast.ExerciseLine() | ast.CircuitBlock():
                    if loose_at is None:
                        loose_at = len(sessions)
                    loose.append(item)
        if loose_at is not None:
            span = loose[0].span.to(loose[-1].span)
            unnamed = ast.SessionBlock(None, None, None, tuple(loose), span)
            session = self.session(unnamed, frequency, node, per_day)
            if session is not None:
                sessions.insert(loose_at, session)
        if days is None or (
            not sessions and not loose and not any(isinstance(i, ast.SessionBlock) for i in node.items)
        ):
            if days is not None:
                self.report(
                    "E133",
                    f'phase "{node.name.value}" has no exercises',
                    self.source.first_line(node.span),
                    "add sessions or exercise lines, indented under the phase line",
                )
            return None
        return model.Phase(
            name=node.name.value,
            days=days,
            first_day=first_day,
            frequency=frequency,
            sessions=tuple(sessions),
            notes=notes,
            cautions=cautions,
            allows=allows,
            span=node.span,
            header=self.source.first_line(node.span),
        )

    def phase_days(self, node: ast.PhaseBlock) -> int | None:
        if node.duration is None:
            self.report(
                "E130",
                f'phase "{node.name.value}" has no duration',
                self.source.first_line(node.span),
                f'say how long it lasts in days or weeks, such as: phase "{node.name.value}" 2w:',
            )
            return None
        days = to_days(node.duration.quantity)
        if (
            days is not None
            and days.is_single
            and not self.within(days.low, MAX_DAYS, "days in a phase", node.duration.span)
        ):
            return None
        if days is None or not days.is_single or whole(days.low) is None:
            self.report(
                "E131",
                f"a phase lasts a whole number of days or weeks, not `{node.duration.quantity}`",
                node.duration.span,
                "such as 10d, 2w or 6 weeks",
            )
            return None
        if days.low < 1:
            self.report("E131", "a phase must last at least one day", node.duration.span)
            return None
        return int(days.low)

    def session(
        self, node: ast.SessionBlock, phase_frequency, phase: ast.PhaseBlock, phase_per_day: int = 1
    ) -> model.Session | None:
        own = self.frequency(node.frequency)
        frequency = own or phase_frequency
        per_day = self.per_day(node.per_day) if node.per_day else phase_per_day
        per_day_node = node.per_day or phase.per_day
        if frequency is None and per_day_node is not None:
            frequency = model.Daily(per_day_node.span)  # `3x/day` alone: every day
        times = self.session_times(node.at, per_day, per_day_node)
        if len(times) > 1:
            per_day = len(times)
        time = times[0] if times else None
        # A circuit's `note`, `caution` and `allow` lines belong to its session.
        inner = [i for c in node.items if isinstance(c, ast.CircuitBlock) for i in c.items]
        notes, cautions, allows = self.remarks([*node.items, *inner])
        prescriptions: list[model.Prescription] = []
        unscheduled: list[ast.ExerciseLine | ast.CircuitBlock] = []
        circuits = 0
        for item in node.items:
            if isinstance(item, ast.ExerciseLine):
                prescription = self.prescription(item)
                if prescription is not None:
                    prescriptions.append(prescription)
                if not any(isinstance(m, ast.Frequency) for m in item.modifiers):
                    unscheduled.append(item)
            elif isinstance(item, ast.CircuitBlock):
                circuits += 1
                prescriptions += self.circuit(item, circuits) or []
                unscheduled.append(item)  # a circuit's lines follow the session's frequency
        if not any(isinstance(i, ast.ExerciseLine | ast.CircuitBlock) for i in node.items):
            self.report(
                "E134",
                "this session has no exercises",
                self.source.first_line(node.span),
                "add exercise lines, indented under the session line",
            )
            return None
        if frequency is None and unscheduled:
            unnamed = node.name is None and node.frequency is None and node.at is None
            self.report(
                "E140",
                f'phase "{phase.name.value}" does not say how often its exercises are done'
                if unnamed
                else "this session does not say how often it is done",
                self.source.first_line(phase.span if unnamed else node.span),
                "add a frequency before the `:`, such as `daily`, `3x/week`, `on mon wed fri` or `every 2 days`",
            )
        return model.Session(
            name=node.name.value if node.name else None,
            frequency=frequency,
            time=time,
            prescriptions=tuple(prescriptions),
            notes=notes,
            cautions=cautions,
            allows=allows,
            span=node.span,
            header=self.source.first_line(
                phase.span if node.name is None and node.frequency is None and node.at is None else node.span
            ),
            per_day=per_day,
            times=times,
        )

    def per_day(self, node: ast.PerDay | None) -> int:
        """A `3x/day`'s count (1 without one); E180 when it is not 1 to MAX_PER_DAY."""
        if node is None:
            return 1
        if not 1 <= node.count <= MAX_PER_DAY:
            self.report(
                "E180",
                f"{node.count} times a day is not a number of sessions progdsl plans",
                node.span,
                f"write 1 to {MAX_PER_DAY} times a day, such as `2x/day` or `3 times a day`",
            )
            return 1
        return node.count

    def session_times(self, at: ast.AtTime | None, per_day: int, per_day_node: ast.PerDay | None) -> tuple:
        """The times an `at` names, in order. Several times make the session a per-day one
        (`at 08:00, 18:00` is twice a day); with a count, one time or as many as it says."""
        if at is None:
            return ()
        read = [self.time(atom) for atom in at.times]
        times = [time for time in read if time is not None]
        if len(times) < len(read):
            return ()
        if len(times) > 1 and per_day_node is not None and len(times) != per_day:
            self.report(
                "E182",
                f"the session is done {wording.times_a_day(per_day)}, but `at` gives {len(times)} times",
                at.span,
                f"give one time (the first; the others follow over twelve hours) or {per_day} times",
            )
            return ()
        if any(later <= earlier for earlier, later in pairwise(times)):
            self.report(
                "E182",
                "a session's times must run from the earliest to the latest, each once",
                at.span,
                "write them in order, such as `at 08:00, 13:00, 18:00`",
            )
            return ()
        if len(times) == 1 and per_day > 1 and model.spread_times(times[0], per_day) is None:
            self.report(
                "E182",
                f"{wording.times_a_day(per_day)} from {times[0]:%H:%M}, spread over twelve hours, runs past midnight",
                at.span,
                f"give all {per_day} times, such as `at 08:00, 13:00, 18:00`, or start earlier",
            )
            return ()
        return tuple(times)

    def circuit(self, node: ast.CircuitBlock, number: int) -> list[model.Prescription] | None:
        """A circuit's lines, each knowing its circuit; None when the circuit is not valid."""
        errors_before = len(self.diagnostics)
        rounds = int(node.rounds.value)
        if not 1 <= rounds <= MAX_ROUNDS:
            self.report(
                "E189",
                f"a circuit of {rounds} rounds is not possible"
                if rounds < 1
                else f"{rounds} rounds is more than progdsl accepts",
                node.rounds.span,
                f"write 1 to {MAX_ROUNDS} rounds, such as `circuit 3 rounds:`",
            )
        rest = None
        if node.rest is not None:
            value = self.seconds(node.rest, "rest")
            rest = model.Seconds(value, node.rest.span) if value else None
        lines = [item for item in node.items if isinstance(item, ast.ExerciseLine)]
        for item in node.items:
            if isinstance(item, ast.SessionBlock | ast.CircuitBlock):
                what = "session" if isinstance(item, ast.SessionBlock) else "circuit"
                self.report(
                    "E190",
                    f"a {what} cannot stand inside a circuit",
                    self.source.first_line(item.span),
                    "a circuit holds exercise lines only; close the circuit first (indent less), or make it a separate circuit of the session",
                )
        if not node.items or not any(
            isinstance(i, ast.ExerciseLine | ast.SessionBlock | ast.CircuitBlock) for i in node.items
        ):
            self.report(
                "E190",
                "this circuit has no exercises",
                self.source.first_line(node.span),
                "add exercise lines, indented under the circuit line",
            )
        for line in lines:
            own = next((m for m in line.modifiers if isinstance(m, ast.Frequency)), None)
            if own is not None:
                self.report(
                    "E191",
                    "a line in a circuit cannot have its own frequency",
                    own.span,
                    "a circuit's lines are done together, on the session's days; move the line out of the circuit",
                )
        if len(self.diagnostics) > errors_before:
            for line in lines:
                self.prescription(line)  # its own faults too, in one pass
            return None
        circuit = model.Circuit(node.name.value if node.name else None, rounds, rest, number, len(lines), node.span)
        found = [self.prescription(line, circuit) for line in lines]
        return [p for p in found if p is not None]

    # ---- exercise lines

    def exercise(self, name: ast.Atom) -> Exercise | None:
        exercise = self.registry.get(name.value)
        if exercise is not None:
            return exercise
        hints = [wording.did_you_mean(self.registry.suggest(name.value, near=self.regions))]
        lookalike = lookalike_hint(name.value)
        if lookalike:
            hints.append(lookalike)
        hints.append("`progdsl exercises` lists every exercise")
        self.report("E201", f"unknown exercise `{name.value}`", name.span, "; ".join(filter(None, hints)))
        return None

    def prescription(self, line: ast.ExerciseLine, circuit: model.Circuit | None = None) -> model.Prescription | None:
        exercise = self.exercise(line.name)
        if exercise is None:
            return None
        errors_before = len(self.diagnostics)
        if line.dose is None:
            self.report(
                "E205",
                f"`{line.name.value}` has no dose",
                line.name.span,
                f"{exercise.name} is prescribed as {wording.dose_forms(exercise.dose)}",
            )
            return None
        # `held`: `10x10s` on an exercise done as repetitions, each repetition held 10 s
        dose, held = self.dose(exercise, line.dose)

        seen: dict[str, ast.Modifier] = {}
        side = rpe = pain_limit = None
        notes, allows, frequency = [], [], None
        each_side = rest = hold = tempo = band = load = progression_node = None
        bodyweight = False
        for modifier in line.modifiers:
            kind = _modifier_kind(modifier)
            if kind in seen:
                word = self._text_of(modifier).split()[0]
                self.report(
                    "E208",
                    f"`{word}` is given twice on this line",
                    modifier.span,
                    f"keep one; the first is at column {seen[kind].span.col}",
                )
                continue
            if kind is not None:
                seen[kind] = modifier
            match modifier:
                case ast.Detail(keyword="each side"):
                    if not exercise.one_sided:
                        self.report(
                            "E203",
                            f"{exercise.name} works both sides at once, so `each side` does not apply",
                            modifier.span,
                            "remove `each side`",
                        )
                    else:
                        each_side = modifier.span
                case ast.Detail(keyword="rest", value=ast.Amount() as amount):
                    value = self.seconds(amount, "rest")
                    rest = model.Seconds(value, modifier.span) if value else None
                case ast.Detail(keyword="hold", value=ast.Amount() as amount):
                    if held is not None:
                        self.report(
                            "E188",
                            f"`{self._text_of(line.dose)}` already holds each repetition, so `hold` says it twice",
                            modifier.span,
                            f"remove `{self._text_of(modifier)}`, or write the dose as sets and repetitions, such as 3x10",
                        )
                        continue
                    if dose is not None and dose.kind is not DoseKind.REPS:
                        self.report(
                            "E210",
                            "`hold` is for a pause in each repetition; this dose is already timed",
                            modifier.span,
                            "remove it, or write the dose as repetitions",
                        )
                        continue
                    value = self.seconds(amount, "hold")
                    hold = model.Seconds(value, modifier.span) if value else None
                case ast.Detail(keyword="tempo", value=ast.Atom() as pattern):
                    tempo = re.sub(r"\s*[-–]\s*", "-", pattern.value)
                    slowest = max((float(part) for part in tempo.split("-") if part.isdigit()), default=0)
                    if not self.within(slowest, MAX_SECONDS, "seconds in one part of a tempo", pattern.span):
                        tempo = None
                case ast.Detail(keyword="band", value=ast.Atom() as colour):
                    band = model.Band(colour.value.lower(), modifier.span)
                case ast.Detail(keyword="load", value=ast.Amount() as amount):
                    load = self.load(amount, modifier.span)
                case ast.Detail(keyword="bodyweight"):
                    bodyweight = True
                case ast.Progress():
                    progression_node = modifier
                case ast.Line(keyword="note", value=text):
                    notes.append(model.Remark(text.value, modifier.span))
                case ast.Allow():
                    allows.append(modifier)
                case ast.Daily() | ast.TimesAWeek() | ast.OnDays() | ast.Every():
                    frequency = self.frequency(modifier)
                case ast.Detail(keyword="side", value=ast.Atom() as which):
                    side = self.side(exercise, modifier, which.value)
                case ast.Detail(keyword="rpe", value=ast.Amount() as amount):
                    rpe = self.rpe(amount)
                case ast.Detail(keyword="pain", value=ast.Atom() as score):
                    pain_limit = self.pain_limit(modifier, score)
                case ast.PerDay():
                    self.report(
                        "E181",
                        "how many times a day belongs on the session, not on an exercise line",
                        modifier.span,
                        f"put `{self._text_of(modifier)}` on a session of its own, such as: "
                        f'session "{exercise.name}" {self._text_of(modifier)}:',
                    )
                case _:  # the grammar gives each detail keyword one kind of value
                    raise AssertionError(modifier)
        if side is not None and each_side is not None:
            self.report(
                "E183",
                f"`{side.written}` and `each side` say different things",
                side.span,
                "keep one: `each side` for both sides, or the one side",
            )
        progression = (
            self.progression(exercise, dose, progression_node, load, band, bodyweight)
            if dose and progression_node
            else None
        )
        allowed = self.allows(allows)
        if dose is None or len(self.diagnostics) > errors_before:
            return None
        return model.Prescription(
            exercise=exercise,
            written_name=line.name.value,
            dose=dose,
            each_side=each_side,
            rest=rest,
            hold_per_rep=hold or held,
            tempo=tempo,
            band=band,
            load=load,
            bodyweight=bodyweight,
            progression=progression,
            frequency=frequency,
            notes=tuple(notes),
            allows=tuple(allowed),
            span=line.span,
            name_span=line.name.span,
            side=side,
            rpe=rpe,
            pain_limit=pain_limit,
            circuit=circuit,
        )

    def side(self, exercise: Exercise, node: ast.Detail, which: str) -> model.SideOnly | None:
        written = self._text_of(node)
        if not exercise.one_sided:
            self.report(
                "E183",
                f"{exercise.name} works both sides at once, so `{written}` does not apply",
                node.span,
                f"remove `{written}`",
            )
            return None
        if which in ("left", "right"):
            return model.SideOnly(Side(which), written, node.span)
        if self.affected is None:
            self.report(
                "E184",
                f"`{written}` needs the header to say which side is affected",
                node.span,
                "add a header line `affected left` or `affected right` above the first phase",
            )
            return None
        chosen = self.affected if which == "affected" else self.affected.other
        return model.SideOnly(chosen, written, node.span)

    def rpe(self, amount: ast.Amount) -> Range | None:
        value = amount.quantity.amount
        if not (0 <= value.low <= 10 and 0 <= value.high <= 10):
            self.report(
                "E186",
                f"`rpe {amount.quantity}` is off the 0–10 effort scale",
                amount.span,
                "RPE runs from 0 (rest) to 10 (the hardest effort possible), such as `rpe 6-7`",
            )
            return None
        return self._ordered(value, amount.span)

    def pain_limit(self, node: ast.Detail, written: ast.Atom) -> Number | None:
        """`pain up to 3/10` (or `up to 3`): the score, on the 0–10 scale."""
        score_text, slash, scale = written.value.partition("/")
        if slash and scale.strip() != "10":
            self.report(
                "E187",
                f"a pain limit is a score out of 10, not out of {scale.strip()}",
                node.span,
                "write it on the 0–10 scale, such as `pain up to 3/10`",
            )
            return None
        score = parse_quantity(score_text).amount.low
        if not 0 <= score <= 10:
            self.report(
                "E187",
                f"`{self._text_of(node)}` is off the 0–10 pain scale",
                written.span,
                "0 is no pain and 10 the worst imaginable; such as `pain up to 3/10`",
            )
            return None
        return score

    def held_repetitions(
        self, exercise: Exercise, node: ast.DoseExpr
    ) -> tuple[model.Dose | None, model.Seconds | None]:
        """`abdominal_bracing 10x10s`: for an exercise done as repetitions and not held, 10
        repetitions each held 10 s. Reported (E202) when the exercise does not take it."""
        quantity = node.amount.quantity
        seconds = to_seconds(quantity)
        forms = exercise.dose
        if not (
            node.sets is not None
            and seconds is not None
            and quantity.amount.is_single
            and DoseKind.REPS in forms
            and DoseKind.HOLD not in forms
            and DoseKind.DURATION not in forms
        ):
            self._wrong_dose(exercise, node)
            return None, None
        repetitions = node.sets
        if repetitions < 1 or not self.within(repetitions, DoseKind.REPS.max_amount, "repetitions", node.span):
            return None, None
        held = self.seconds(node.amount, "hold")
        if held is None:
            return None, None
        if held.low < 1:
            self.report("E207", "each repetition must be held at least one second", node.amount.span)
            return None, None
        return model.Dose(DoseKind.REPS, 1, Range(repetitions, repetitions), node.span), model.Seconds(held, node.span)

    def _wrong_dose(self, exercise: Exercise, node: ast.DoseExpr) -> None:
        written = self._text_of(node)
        self.report(
            "E202",
            f"{exercise.name} is not prescribed as `{written}`",
            node.span,
            f"{exercise.name} is prescribed as {wording.dose_forms(exercise.dose)}",
        )

    def dose(self, exercise: Exercise, node: ast.DoseExpr) -> tuple[model.Dose | None, model.Seconds | None]:
        """The line's dose, and for `10x10s` on a repetitions exercise the hold of each repetition."""
        quantity = node.amount.quantity
        kind = self._dose_kind(exercise, quantity)
        if kind is None:
            if to_seconds(quantity) is not None:
                return self.held_repetitions(exercise, node)
            self._wrong_dose(exercise, node)
            return None, None
        return self._dose(kind, node), None

    def _dose(self, kind: DoseKind, node: ast.DoseExpr) -> model.Dose | None:
        quantity = node.amount.quantity
        sets = 1 if node.sets is None else node.sets
        in_unit = _in_unit(kind, quantity)
        # `_dose_kind` gives each kind only for a quantity in a unit that converts to it.
        assert in_unit is not None, quantity
        unit = wording.unit_words(kind)
        # Size first: a number too large to hold (infinity) is not whole either.
        if not self.within(max(in_unit.low, in_unit.high), kind.max_amount, unit, node.amount.span):
            return None
        if whole(in_unit.low) is None or whole(in_unit.high) is None:
            self.report("E206", f"the dose must come to whole {unit}", node.amount.span)
            return None
        amount = self._ordered(Range(int(in_unit.low), int(in_unit.high)), node.amount.span)
        if amount is None:
            return None
        if sets < 1 or amount.low < 1:
            self.report(
                "E207",
                "a dose needs at least one set and one " + unit.removesuffix("s"),
                node.span,
                "write the number of sets first, then the amount, such as 3x12",
            )
            return None
        if not self.within(sets, MAX_SETS, "sets", node.span):
            return None
        return model.Dose(kind, sets, amount, node.span, steps=kind is DoseKind.REPS and quantity.unit == "steps")

    @staticmethod
    def _dose_kind(exercise: Exercise, quantity: Quantity) -> DoseKind | None:
        """Repetitions for a bare number; a hold or a bout for a time, as the exercise takes it
        (an exercise taking both reads seconds as a hold and minutes as a bout). An exercise
        taking a bout may measure it in metres or steps; one done as repetitions may count
        steps (`tandem_walk 4x10 steps`)."""
        forms = exercise.dose
        if quantity.unit is None:
            return DoseKind.REPS if DoseKind.REPS in forms else None
        if quantity.unit in ("m", "km"):
            return DoseKind.DISTANCE if DoseKind.DURATION in forms else None
        if quantity.unit == "steps":
            if DoseKind.REPS in forms:
                return DoseKind.REPS
            return DoseKind.STEPS if DoseKind.DURATION in forms else None
        if quantity.unit in ("s", "min", "h"):
            if DoseKind.HOLD in forms and not (DoseKind.DURATION in forms and quantity.unit != "s"):
                return DoseKind.HOLD
            if DoseKind.DURATION in forms:
                return DoseKind.DURATION
        return None

    def load(self, amount: ast.Amount, span: Span) -> model.Load | None:
        quantity = amount.quantity
        if quantity.unit not in ("kg", "lb") or not quantity.amount.is_single:
            self.report(
                "E211",
                f"`load {quantity}` is not a weight",
                amount.span,
                "write one weight in kg or lb, such as `load 8kg` or `load 20lb`",
            )
            return None
        if quantity.amount.low <= 0:
            self.report("E211", "a load must be more than zero", amount.span, "use `bodyweight` for no added weight")
            return None
        if not self.within(quantity.amount.low, MAX_LOAD, quantity.unit, amount.span):
            return None
        return model.Load(quantity.amount.low, quantity.unit, span)

    def progression(
        self,
        exercise: Exercise,
        dose: model.Dose,
        node: ast.Progress,
        load: model.Load | None,
        band: model.Band | None,
        bodyweight: bool,
    ) -> model.Progression | None:
        verb = "taper" if node.taper else "progression"
        days = self._progression_days(node, verb)
        if days is False:
            return None
        value = node.value
        found: model.Progression | None
        if isinstance(value, ast.Detail) and value.keyword == "load":
            found = self._load_progression(node, value, load, bodyweight, verb)
        elif isinstance(value, ast.Detail):
            found = self._band_progression(exercise, node, value, band, verb)
        else:
            found = self._amount_progression(dose, node, value, verb)
        if found is None:
            return None
        if found.moves in (model.Moves.LOAD, model.Moves.BAND):
            found = replace(found, start=dose.amount, end=dose.amount)  # the amount stays as written
        if node.taper and found.raises:
            self.report(
                "E175",
                f"`taper` lowers the dose, but this one raises it: {wording.progression_change(dose.kind, found)}",
                node.span,
                "to build up, write `progress` instead of `taper`; to taper, give a lower value",
            )
            return None
        if days is None:  # `by STEP weekly` without `over`: a week for each step, and one to start
            rise = self._rise(found)
            steps = -(-rise // found.step) if rise else 0
            weeks = int(steps) + 1
            if not self.within(weeks * 7, MAX_DAYS, "days of progression", node.span):
                return None
            return replace(found, days=weeks * 7, stepped=True)
        return replace(found, days=days)

    def _progression_days(self, node: ast.Progress, verb: str) -> int | bool | None:
        """The span in days; None when the steps decide it; False after an error."""
        if node.over is None:
            if node.by is not None and node.weekly is not None:
                return None
            keyword = "taper" if node.taper else "progress"
            self.report(
                "E171",
                f"this `{keyword}` does not say how long it runs",
                node.span,
                f"add the span, such as `over 4w`, or a weekly step without one, such as `{keyword} to 30s by 5s weekly`",
            )
            return False
        span_days = to_days(node.over.quantity)
        if (
            span_days is not None
            and span_days.is_single
            and not self.within(span_days.low, MAX_DAYS, "days of progression", node.over.span)
        ):
            return False
        if span_days is None or not span_days.is_single or whole(span_days.low) is None:
            self.report(
                "E212",
                f"a progression runs over days or weeks, not `{node.over.quantity}`",
                node.over.span,
                "such as `over 10d` or `over 2w`",
            )
            return False
        days = int(span_days.low)
        if days < 2:
            self.report("E212", "a progression needs at least two days to build over", node.over.span)
            return False
        if node.weekly is not None and days <= 7:
            self.report(
                "E172",
                f"a weekly {verb} over {wording.days(days)} never reaches a second week",
                node.weekly,
                "give it at least two weeks, such as `over 2w`, or leave out `weekly`",
            )
            return False
        return days

    def _step(self, node: ast.Progress, unit: str, verb: str, to_unit) -> Fraction | None:
        """The `by STEP` amount in the progression's unit (1 when not written); None after an error."""
        if node.by is None:
            return Fraction(1)
        value = to_unit(node.by.quantity) if node.by.quantity.amount.is_single else None
        if value is None or value <= 0:
            self.report(
                "E170",
                f"`by {node.by.quantity}` is not a step in {unit}",
                node.by.span,
                f"give one step in the same unit as the {verb}, such as `by 5s` for seconds, `by 2` for "
                "repetitions, `by 250 steps` or `by 100m`",
            )
            return None
        return Fraction(value).limit_denominator(1000)

    def _amount_progression(
        self, dose: model.Dose, node: ast.Progress, value: ast.Amount | ast.DoseExpr, verb: str
    ) -> model.Progression | None:
        sets = None
        if isinstance(value, ast.DoseExpr):
            assert value.sets is not None  # the grammar's SETS_DOSE always has its sets
            if node.by is not None:
                self.report(
                    "E176",
                    "a progression of sets and repetitions together moves by whole sets and repetitions",
                    node.by.span,
                    f"remove `by {node.by.quantity}`",
                )
                return None
            if value.sets < 1 or not self.within(value.sets, MAX_SETS, "sets", value.span):
                if value.sets < 1:
                    self.report("E176", f"a {verb} cannot reach {value.sets} sets", value.span, "give at least one set")
                return None
            written = (value.sets, dose.sets)
            sets = written if node.direction == "from" else written[::-1]
            value = value.amount
        quantity = value.quantity
        if not quantity.amount.is_single:
            self.report(
                "E213",
                "a progression starts or ends at one value, not a range",
                value.span,
                "both ends of the dose's range move together; give the value for the low end",
            )
            return None
        in_unit = self._progression_amount(dose, quantity)
        if in_unit is not None and not self.within(
            in_unit, dose.kind.max_amount, wording.unit_words(dose.kind), value.span
        ):
            return None
        target = whole(in_unit) if in_unit is not None else None
        if target is None:
            self.report(
                "E204",
                f"the progression `{quantity}` does not match the dose, which is in " + wording.volume_words(dose.kind),
                value.span,
                f"write {wording.progression_value(dose.kind)}",
            )
            return None
        shifted = dose.amount.shifted(target - dose.amount.low)
        if shifted.low < 1:
            self.report(
                "E207",
                f"the progression would start or end at {shifted}",
                value.span,
                "a dose needs at least one repetition, or one second or minute",
            )
            return None
        if not self.within(shifted.high, dose.kind.max_amount, wording.unit_words(dose.kind), value.span):
            return None
        step = self._step(node, wording.unit_words(dose.kind), verb, lambda q: self._progression_amount(dose, q))
        if step is None:
            return None
        if step.denominator != 1:
            self.report(
                "E170",
                f"`by {node.by.quantity if node.by else step}` does not come to whole {wording.unit_words(dose.kind)}",
                node.by.span if node.by else node.span,
                "give a whole number of them",
            )
            return None
        start, end = (shifted, dose.amount) if node.direction == "from" else (dose.amount, shifted)
        moves = model.Moves.SETS if sets is not None else model.Moves.AMOUNT
        return model.Progression(
            start,
            end,
            0,
            node.span,
            moves=moves,
            step=step,
            weekly=node.weekly is not None,
            taper=node.taper,
            sets=sets,
        )

    def _load_progression(
        self, node: ast.Progress, value: ast.Detail, load: model.Load | None, bodyweight: bool, verb: str
    ) -> model.Progression | None:
        assert isinstance(value.value, ast.Amount)
        if bodyweight:
            self.report(
                "E173",
                f"this line says `bodyweight`, so there is no load to {verb}",
                value.span,
                "remove `bodyweight` and give the starting weight, such as `load 8kg`",
            )
            return None
        target = self.load(value.value, value.span)
        if target is None:
            return None
        if load is None:
            self.report(
                "E173",
                f"a load {verb} needs the weight it starts from",
                value.span,
                f"add the starting weight to the line, such as `load {max(target.amount / 2, 1):g}{target.unit}`",
            )
            return None
        if load.unit != target.unit:
            self.report(
                "E173",
                f"the line's load is in {load.unit}, and this {verb} is in {target.unit}",
                value.span,
                f"write both in {load.unit}",
            )
            return None

        def in_load_unit(quantity: Quantity) -> float | None:
            return quantity.amount.low if quantity.unit == load.unit else None

        step = self._step(node, load.unit, verb, in_load_unit)
        if step is None:
            return None
        if node.by is None:
            step = Fraction(1, 2) if load.unit == "kg" else Fraction(1)
        loads = (target, load) if node.direction == "from" else (load, target)
        return model.Progression(
            Range(0, 0),
            Range(0, 0),
            0,
            node.span,
            moves=model.Moves.LOAD,
            step=step,
            weekly=node.weekly is not None,
            taper=node.taper,
            loads=loads,
        )

    def _band_progression(
        self, exercise: Exercise, node: ast.Progress, value: ast.Detail, band: model.Band | None, verb: str
    ) -> model.Progression | None:
        assert isinstance(value.value, ast.Atom)
        colour = value.value.value.lower()
        if node.by is not None:
            self.report(
                "E170",
                f"a band {verb} moves one colour at a time, so `by` does not apply",
                node.by.span,
                f"remove `by {node.by.quantity}`",
            )
            return None
        if band is None:
            self.report(
                "E174",
                f"a band {verb} needs the band it starts from",
                value.span,
                "add the starting band to the line, such as `band yellow`",
            )
            return None
        own = [item for item in exercise.equipment if item.endswith("band")]
        listing = [item for item in self.equipment if item.name.endswith("band") and item.options]
        listing.sort(key=lambda item: item.name not in own)  # the exercise's own kind of band first
        colours_of = {item.name: [option.lower() for option in item.options] for item in listing}
        item = next((i for i in listing if band.colour in colours_of[i.name] and colour in colours_of[i.name]), None)
        if item is None:
            known = list(dict.fromkeys(c for i in listing for c in colours_of[i.name]))
            missing = [c for c in (band.colour, colour) if c not in known] or [colour]
            where = (
                f"the equipment line lists {', '.join(known)}" if known else "the equipment line lists no band colours"
            )
            hint = wording.did_you_mean(close_matches(missing[0], known, n=1)) if known else None
            self.report(
                "E174",
                f"a band {verb} goes through the client's band colours, and `{missing[0]}` is not one of them"
                if missing[0] not in known
                else f"`{band.colour}` and `{colour}` are colours of different bands",
                value.value.span if missing[0] == colour else band.span,
                "; ".join(
                    filter(
                        None,
                        [
                            hint,
                            f"{where}; list the colours in order of resistance, such as mini_band(yellow, green, blue)",
                        ],
                    )
                ),
            )
            return None
        order = colours_of[item.name]
        first, last = order.index(band.colour), order.index(colour)
        if node.direction == "from":
            first, last = last, first
        step = 1 if last >= first else -1
        bands = tuple(order[first : last + step : step] if last + step >= 0 else order[first::-1])
        return model.Progression(
            Range(0, 0),
            Range(0, 0),
            0,
            node.span,
            moves=model.Moves.BAND,
            weekly=node.weekly is not None,
            taper=node.taper,
            bands=bands,
            band_ranks=(first, last),
        )

    @staticmethod
    def _rise(progression: model.Progression) -> Fraction:
        if progression.loads is not None:
            return abs(Fraction(progression.loads[1].amount) - Fraction(progression.loads[0].amount))
        if progression.bands:
            return Fraction(len(progression.bands) - 1)
        return abs(Fraction(progression.end.low - progression.start.low))

    @staticmethod
    def _progression_amount(dose: model.Dose, value: Quantity) -> float | None:
        """The progression's value in the dose's unit, or None when it is in another unit."""
        if dose.kind is DoseKind.REPS:
            return value.amount.low if value.unit in (None, "steps" if dose.steps else None) else None
        converted = _in_unit(dose.kind, value)
        return None if converted is None else converted.low


def _in_unit(kind: DoseKind, quantity: Quantity) -> Range | None:
    """A quantity in a dose kind's unit, or None when its unit is not one of that kind's."""
    match kind:
        case DoseKind.REPS:
            return quantity.amount if quantity.unit in (None, "steps") else None
        case DoseKind.HOLD:
            return to_seconds(quantity)
        case DoseKind.DURATION:
            return to_minutes(quantity)
        case DoseKind.DISTANCE:
            return to_metres(quantity)
        case DoseKind.STEPS:
            return quantity.amount if quantity.unit == "steps" else None
    raise AssertionError(kind)


_Value = TypeVar("_Value", ast.Text, ast.Atom)


def _header_value(line: ast.Line | ast.Cleared | None, kind: type[_Value]) -> _Value | None:
    """The value of a `keyword VALUE` header line, or None when the program has no such line.

    The grammar fixes each keyword's kind of value (`start DATE`, `timezone STRING`, …).
    """
    if line is None:
        return None
    if not (isinstance(line, ast.Line) and isinstance(line.value, kind)):
        raise TypeError(f"the header line {line} does not hold a {kind.__name__}")
    return line.value


def _modifier_kind(modifier: ast.Modifier) -> str | None:
    """What a detail is, for "given twice" (None for `note` and `allow`, which may repeat)."""
    match modifier:
        case ast.Detail(keyword=keyword):
            return keyword
        case ast.Progress():
            return "progress"
        case ast.Line() | ast.Allow():
            return None
        case ast.PerDay():
            return "per day"
    return "frequency"


def _regions(tree: ast.Program, registry: Registry) -> frozenset[Region]:
    """The regions of every exercise the program names that the registry knows."""

    def lines(items) -> Iterator[ast.ExerciseLine]:
        for item in items:
            if isinstance(item, ast.ExerciseLine):
                yield item
            elif isinstance(item, (ast.PhaseBlock, ast.SessionBlock, ast.CircuitBlock)):
                yield from lines(item.items)

    found = (registry.get(line.name.value) for line in lines(tree.items))
    return frozenset(region for exercise in found if exercise for region in exercise.regions)


def resolve(tree: ast.Program, source: SourceFile, registry: Registry) -> tuple[model.Program | None, list[Diagnostic]]:
    """Bind the AST to the registry. Returns no program when there are errors."""
    resolver = Resolver(source, registry, regions=_regions(tree, registry))
    program = resolver.program(tree)
    return program, resolver.diagnostics
