"""The calendar backend: an .ics file that a client imports once and is reminded by.

One event for each time of each day that the plan has sessions: sessions planned for the same day
at the same time (or, without a time, on the same day) are done together, so they make one event
with one reminder, where two events would ring two alarms at once. Its title says that it is the
home program, which sessions and about how long (`wording.calendar_title`: "Home exercises: neutral
pelvis and flexibility, 20 min"), from the plan's estimate (`plan.estimated_seconds`, which the
session-length rule uses too); its description lists that day's doses, the cautions and the
clinician. The choices that keep re-imports and rebuilds working (docs/calendar.md explains them to
clinicians):

* UID: a hash of the program's title, the client, the session's key and the day's place among
  that session's days (1st, 2nd, …), and for a session planned at several times of a day, the
  time's place in the day from the second on; an event of several sessions takes the UID of its
  first (in the program's order). Changing a dose, a time, the start date or the weekdays
  keeps every UID, so a re-imported calendar moves and updates its events instead of adding
  copies; adding, removing or renaming one session leaves the others' UIDs alone.
* SEQUENCE: 0 for an event the previous file did not have; that file's value when the event's
  content is unchanged; one more when anything changed. Each event carries a hash of its
  content (X-PROGDSL-CONTENT), so a rebuild compares hashes instead of re-serialising events.
* Cancelled events: an event of the previous file (one this backend wrote, by its UID's domain)
  that the new plan no longer has is written again with STATUS:CANCELLED and a higher SEQUENCE,
  so that importing the new file removes it from the client's calendar (`_cancelled`). It stays
  in every later build, unchanged, until the plan has that event again, which then returns with a
  higher SEQUENCE still. Its times are written in UTC (or as a date), so it needs no VTIMEZONE.
* DTSTAMP: SOURCE_DATE_EPOCH when set, else midnight UTC on the plan's first day, so that the
  same program gives the same bytes.
* Timed events last as long as the doses take (`_estimated_length`) and carry a DISPLAY alarm
  per the `reminder` setting. Untimed sessions are all-day events that do not mark the day busy;
  their alarm goes off at the `reminder_at` time of day, as a trigger after the day's start
  (TRIGGER:PT8H for 08:00), the form Apple Calendar writes for an all-day event's alarm, which
  ical.js and icalendar read as that time on the clock. `set reminder none` (`--no-reminder`)
  turns every alarm off; `set reminder_at none` only those of all-day events.
* Time zones: the VTIMEZONE has one observance per change of offset, each with its own DTSTART,
  TZOFFSETFROM and TZOFFSETTO and no RDATE or RRULE (`_vtimezone`). icalendar's own
  `Timezone.from_tzinfo` folds the changes into one observance with DTSTART plus RDATE, and
  ical.js (Thunderbird) then misses a change and shows months of events an hour off.
* A session time the clocks skip or repeat on the day they change is read as RFC 5545 3.3.5 says:
  a repeated time is its first occurrence, a skipped one is read with the offset before the
  change (01:30 when the clocks go from 01:00 to 02:00 is 02:30). Parsers disagree there (ical.js
  takes the second occurrence and the offset after the change), so that event is written in UTC,
  and its description says which time is meant (`_when`). So is an event whose end falls in a
  repeated hour. An event's end is its start plus its length in elapsed time.
* So is an event in a zone whose offset then was not whole minutes, as local mean times were
  before about 1940 (Amsterdam's +00:19:32 until 1937): ical.js drops the seconds of TZOFFSETTO.
* No recurring events. Folding runs of identical days into one RRULE event would shrink files by
  40–75 %, but a run's UID would then depend on where its run begins, and editing a progression
  moves those boundaries: a re-imported calendar would keep the old series beside the new one.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vText

from .. import wording
from ..plan import estimated_seconds
from ..version import __version__
from ..wording import dose_lines

if TYPE_CHECKING:
    from ..plan import DayDose, Plan, PlannedSession
    from . import RenderOptions

PRODID = f"-//progdsl//progdsl {__version__}//EN"
UID_DOMAIN = "progdsl.invalid"  # RFC 2606: a domain-like suffix that belongs to nobody
CONTENT_HASH = "X-PROGDSL-CONTENT"  # calendar apps ignore X- properties
SHORTEST_EVENT = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class _Slot:
    """The sessions a client does together: those planned for one day at one time, or without a
    time, all of one day's untimed sessions, in the plan's order. `uid` is the first one's."""

    date: dt.date
    time: dt.time | None
    sessions: tuple[PlannedSession, ...]
    uid: str


@dataclass(frozen=True)
class _Reminders:
    """Seconds before a timed session, and the time of day for an all-day one; None for none."""

    before: int | None
    all_day_at: dt.time | None


class _Texts:
    """What one render says of each day's doses, made once for each distinct day: a title's and
    a description's wording, and the minutes a session's doses take. The plan shares a day's
    doses between the days that have the same ones, so a day is known by the identity of its
    doses (alive as long as the plan is)."""

    def __init__(self, plan: Plan, seconds_per_rep: int) -> None:
        self.plan = plan
        self.seconds_per_rep = seconds_per_rep
        self.minutes_of: dict[int, int] = {}
        self.made: dict[tuple, tuple[vText, vText]] = {}
        self.lengths: dict[tuple[int, ...], dt.timedelta] = {}

    def minutes(self, exercises: tuple[DayDose, ...]) -> int:
        found = self.minutes_of.get(id(exercises))
        if found is None:
            found = self.minutes_of[id(exercises)] = _minutes(exercises, self.seconds_per_rep)
        return found

    def length(self, slot: _Slot) -> dt.timedelta:
        """How long the slot's sessions take together (`_estimated_length`)."""
        key = tuple(id(day.exercises) for day in slot.sessions)
        found = self.lengths.get(key)
        if found is None:
            exercises = tuple(dose for day in slot.sessions for dose in day.exercises)
            found = self.lengths[key] = _estimated_length(exercises, self.seconds_per_rep)
        return found

    def title_and_description(self, slot: _Slot) -> tuple[vText, vText]:
        """The event's title, and its description but for a clock change's line, as icalendar
        TEXT values: events with the same ones share them, and icalendar takes a value it
        has already typed as it is."""
        key = tuple(
            (day.phase_index, day.session_index, day.session, day.phase, id(day.exercises)) for day in slot.sessions
        )
        found = self.made.get(key)
        if found is None:
            minutes = sum(self.minutes(day.exercises) for day in slot.sessions)
            title = wording.calendar_title(dict.fromkeys(_name(self.plan, day) for day in slot.sessions), minutes)
            found = self.made[key] = (vText(title), vText(_description(self.plan, slot, self)))
        return found


@dataclass(frozen=True)
class _Previous:
    """An event of the file this build replaces, as far as this backend reads it back."""

    sequence: int
    content: str  # its X-PROGDSL-CONTENT
    lines: tuple[str, ...]  # its unfolded lines, BEGIN:VEVENT to END:VEVENT


class IcsBackend:
    """iCalendar (RFC 5545) schedule of the plan's sessions."""

    name = "ics"
    suffix = ".ics"
    media_type = "text/calendar"
    guarded = False  # the plan's sessions as icalendar components, in Python

    def render(self, plan: Plan, options: RenderOptions) -> bytes:
        zone = ZoneInfo(plan.program.timezone) if plan.program.timezone else None
        reminder = options.setting(plan, "reminder")
        reminder_at = options.setting(plan, "reminder_at")
        seconds_per_rep = options.setting(plan, "seconds_per_rep")
        # `seconds`/`duration` settings are whole seconds (and None for `set reminder none`); a
        # `time` setting is `HH:MM` text (None for `set reminder_at none`).
        if reminder is not None and not isinstance(reminder, int):
            raise TypeError(f"the reminder setting is {reminder!r}, not a whole number of seconds")
        if not isinstance(seconds_per_rep, int):
            raise TypeError(f"the seconds_per_rep setting is {seconds_per_rep!r}, not a whole number of seconds")
        if reminder_at is not None and not isinstance(reminder_at, str):
            raise TypeError(f"the reminder_at setting is {reminder_at!r}, not a time of day as HH:MM")
        all_day_at = dt.time.fromisoformat(reminder_at) if reminder_at is not None and reminder is not None else None
        reminders = _Reminders(reminder, all_day_at)
        stamp = options.stamp(plan)
        previous = _previous_events(options.previous)
        calendar = _calendar(plan)
        if zone:
            calendar.add_component(_vtimezone(zone, dt.date(plan.start.year, 1, 1), dt.date(plan.end.year + 1, 1, 1)))
        written = set()
        texts = _Texts(plan, seconds_per_rep)
        for slot in _slots(plan):
            event = _event(slot, zone, reminders, texts)
            _version(event, previous.get(slot.uid), stamp)
            written.add(slot.uid)
            calendar.add_component(event)
        for uid, before in previous.items():
            if uid not in written and uid.endswith(f"@{UID_DOMAIN}"):
                cancelled = _cancelled(before)
                if cancelled is not None:
                    _version(cancelled, before, stamp)
                    calendar.add_component(cancelled)
        return _serialised(calendar)


def _serialised(calendar: Calendar) -> bytes:
    """`calendar.to_ical()`, with each distinct content line folded once. icalendar folds a
    line one character at a time, and a year's events repeat most of theirs (BEGIN, STATUS,
    DTSTAMP, the alarm, the title, the day's doses): its own lines and folding, fewer times."""
    folded: dict[str, bytes] = {}
    lines = []
    for line in calendar.content_lines():
        if line:
            data = folded.get(line)
            if data is None:
                data = folded[line] = line.to_ical()
            lines.append(data)
    return b"\r\n".join(lines) + b"\r\n"


def _slots(plan: Plan) -> list[_Slot]:
    """The plan's sessions grouped into events, in date and time order. Each session's days are
    counted in the plan's order (its 1st, 2nd, … day), for the UIDs; a session planned at several
    times of a day counts that day once, and its second time onwards adds its place in the day."""
    days_of_session: Counter[str] = Counter()
    times_that_day: Counter[tuple[str, dt.date]] = Counter()
    groups: dict[tuple[dt.date, dt.time | None], list[tuple[PlannedSession, str]]] = {}
    for day in plan.sessions:
        times_that_day[day.key, day.date] += 1
        if times_that_day[day.key, day.date] == 1:
            days_of_session[day.key] += 1
        uid = _uid(plan, day.key, days_of_session[day.key], times_that_day[day.key, day.date])
        groups.setdefault((day.date, day.time), []).append((day, uid))
    return [
        _Slot(date, time, tuple(day for day, _ in members), members[0][1]) for (date, time), members in groups.items()
    ]


def _version(event: Event, previous: _Previous | None, stamp: dt.datetime) -> None:
    """Seal an event: the hash of its content, its SEQUENCE against the previous file's, DTSTAMP."""
    content = _fingerprint(event)
    event.add(CONTENT_HASH, content)
    event.add("sequence", _sequence(content, previous))
    event.add("dtstamp", stamp)


# ---- the calendar and its events ------------------------------------------------


def _calendar(plan: Plan) -> Calendar:
    program = plan.program
    about = _calendar_description(plan)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # NAME and the X-WR- properties are unknown to icalendar, which would not escape them as TEXT.
    calendar.add("name", vText(program.title))
    calendar.add("x-wr-calname", vText(program.title))
    calendar.add("description", about)
    calendar.add("x-wr-caldesc", vText(about))
    if program.timezone:
        calendar.add("x-wr-timezone", vText(program.timezone))
    return calendar


# Steps of the scan for offset changes (`_vtimezone`): well under the time between any two changes
# of a zone in the IANA database since 1900, which are at least 166 hours apart.
_SCAN_STEP = dt.timedelta(hours=6)


def _vtimezone(zone: ZoneInfo, first: dt.date, last: dt.date) -> Timezone:
    """The zone from `first` to `last` (a day more on each side, for any offset), in a form every parser
    reads alike: a first observance for the offset in force at the start, then one observance per
    change, whose DTSTART is the local time of the change on the clock before it (RFC 5545 3.6.5),
    with no RDATE and no RRULE."""
    timezone = Timezone()
    timezone.add("tzid", zone.key)
    timezone.add("comment", f"The offsets of {zone.key} from {first} to {last}, one change per observance.")
    for before, after, moment in _changes(zone, first, last):
        timezone.add_component(_observance(before, after, moment))
    return timezone


@functools.lru_cache(maxsize=64)
def _changes(zone: ZoneInfo, first: dt.date, last: dt.date) -> tuple[tuple[tuple, tuple, dt.datetime], ...]:
    """The scan behind `_vtimezone`: the state at the start, then each change, as (before, after,
    moment). Kept for the process: a batch's programs mostly share a zone and years."""
    moment = dt.datetime.combine(first, dt.time(), dt.UTC) - dt.timedelta(days=1)
    end = dt.datetime.combine(last, dt.time(), dt.UTC) + dt.timedelta(days=1)
    before = _state(zone, moment)
    found = [(before, before, moment)]
    while moment < end:
        step = min(moment + _SCAN_STEP, end)
        after = _state(zone, step)
        if after != before:
            found.append((before, after, _first_moment_of(zone, after, moment, step)))
            before = after
        moment = step
    return tuple(found)


def _state(zone: ZoneInfo, moment: dt.datetime) -> tuple[dt.timedelta, bool, str]:
    """The offset, whether it is daylight-saving time, and the zone's abbreviation at a UTC moment."""
    local = moment.astimezone(zone)
    return local.utcoffset() or dt.timedelta(), bool(local.dst()), local.tzname() or ""


def _first_moment_of(zone: ZoneInfo, state: tuple, earliest: dt.datetime, latest: dt.datetime) -> dt.datetime:
    """The first whole second after `earliest` and at most `latest` when `state` holds."""
    low, high = earliest, latest  # the state does not hold at low; it holds at high
    while high - low > dt.timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle -= dt.timedelta(microseconds=middle.microsecond)
        if middle == low:
            break
        if _state(zone, middle) == state:
            high = middle
        else:
            low = middle
    return high


def _observance(
    before: tuple[dt.timedelta, bool, str], after: tuple[dt.timedelta, bool, str], moment: dt.datetime
) -> TimezoneStandard | TimezoneDaylight:
    offset_from, _, _ = before
    offset_to, daylight, name = after
    observance = TimezoneDaylight() if daylight else TimezoneStandard()
    observance.add("dtstart", (moment + offset_from).replace(tzinfo=None))
    observance.add("tzoffsetfrom", offset_from)
    observance.add("tzoffsetto", offset_to)
    if name:
        observance.add("tzname", name)
    return observance


def _event(slot: _Slot, zone: ZoneInfo | None, reminders: _Reminders, texts: _Texts) -> Event:
    title, description = texts.title_and_description(slot)
    change = _clock_change(slot.date, slot.time, zone) if slot.time is not None else None
    event = Event()
    event.add("uid", slot.uid)
    event.add("summary", title)
    event.add("description", vText(f"{change}\n\n{description}") if change else description)
    event.add("status", "CONFIRMED")
    if slot.time is None:
        event.add("dtstart", slot.date)
        event.add("dtend", slot.date + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        if reminders.all_day_at is not None:
            at = reminders.all_day_at
            event.add_component(_alarm(title, dt.timedelta(hours=at.hour, minutes=at.minute)))
    else:
        start, end = _when(slot.date, slot.time, zone, texts.length(slot))
        event.add("dtstart", start)
        event.add("dtend", end)
        if reminders.before is not None:
            event.add_component(_alarm(title, -dt.timedelta(seconds=reminders.before)))
    return event


def _name(plan: Plan, day: PlannedSession) -> str:
    """A session's name, or the program's title for a phase's unnamed session."""
    return day.session or plan.program.title


def _when(date: dt.date, time: dt.time, zone: ZoneInfo | None, length: dt.timedelta) -> tuple[dt.datetime, dt.datetime]:
    """An event's start and end: local times in `zone` (floating without one), or UTC instants when
    either is a local time the clocks skip or repeat (see the module's docstring)."""
    if zone is None:
        start = dt.datetime.combine(date, time)
        return start, start + length
    start = dt.datetime.combine(date, time, tzinfo=zone)  # fold=0: the first of a repeated time
    end = (start.astimezone(dt.UTC) + length).astimezone(zone)
    if _clear(start) and _clear(end) and _whole_minutes(start) and _whole_minutes(end):
        return start, end
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def _clear(moment: dt.datetime) -> bool:
    """Whether a local time names one instant: it is neither skipped nor repeated by a clock change."""
    return moment.replace(fold=0).utcoffset() == moment.replace(fold=1).utcoffset()


def _whole_minutes(moment: dt.datetime) -> bool:
    """Whether the zone's offset at a local time is whole minutes, as ical.js reads offsets."""
    return (moment.utcoffset() or dt.timedelta()) % dt.timedelta(minutes=1) == dt.timedelta()


def _clock_change(date: dt.date, time: dt.time, zone: ZoneInfo | None) -> str | None:
    """For a session time the clocks skip or repeat that day, which time is meant."""
    if zone is None:
        return None
    written = dt.datetime.combine(date, time, tzinfo=zone)
    if _clear(written):
        return None
    meant = written.astimezone(dt.UTC).astimezone(zone)
    repeated = (meant.hour, meant.minute) == (time.hour, time.minute)
    return wording.clock_change(time, meant, repeated)


def _alarm(title: str | vText, trigger: dt.timedelta) -> Alarm:
    """A DISPLAY alarm `trigger` from the event's start (negative: before it)."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", trigger)
    return alarm


def _uid(plan: Plan, key: str, day_number: int, time_in_day: int = 1) -> str:
    """Stable across rebuilds: see the module's docstring. A session's first time in a day has the
    identity it had when sessions came once a day; its second and later times add their place.
    A build that names its outputs (`--name`, `--clients`) adds the name, so that two clients
    of the same name never share an event's identity."""
    parts = [plan.program.title, plan.program.client or "", key, str(day_number)]
    if plan.output_name:  # `--name` or `--clients`: two clients of one name keep apart
        parts.append(plan.output_name)
    if time_in_day > 1:
        parts.append(f"time {time_in_day}")
    return f"{hashlib.sha256(chr(0x1F).join(parts).encode()).hexdigest()[:32]}@{UID_DOMAIN}"


def _estimated_length(exercises: tuple[DayDose, ...], seconds_per_rep: int) -> dt.timedelta:
    """The plan's estimate of the doses (the one the session-length rule uses),
    rounded up to five minutes and never under ten."""
    seconds = sum(estimated_seconds(dose, seconds_per_rep) for dose in exercises)
    return max(dt.timedelta(minutes=5 * math.ceil(seconds / 300)), SHORTEST_EVENT)


def _minutes(exercises: tuple[DayDose, ...], seconds_per_rep: int) -> int:
    """The same estimate for a title: whole minutes, rounded up, at least one."""
    return max(1, math.ceil(sum(estimated_seconds(dose, seconds_per_rep) for dose in exercises) / 60))


# ---- texts --------------------------------------------------------------------


def _bullets(heading: str, items: list[str]) -> list[str]:
    items = list(dict.fromkeys(items))  # a caution shared by two sessions done together reads once
    return [heading + ":\n" + "\n".join(f"• {item}" for item in items)] if items else []


def _description(plan: Plan, slot: _Slot, texts: _Texts) -> str:
    """The day's doses (under each session's name when there are several), then the clinician's
    notes and cautions, and whose program it is. Each exercise's own instructions and cautions
    are left to the handout: a reminder is read at a glance. (On a day the clocks skip or repeat
    the session's time, `_event` puts which time is meant first.)"""
    program = plan.program
    sessions, notes, cautions = [], [], [remark.text for remark in program.cautions]
    for day in slot.sessions:
        phase = plan.phases[day.phase_index].phase
        session = phase.sessions[day.session_index]
        doses = []
        if len(slot.sessions) > 1:
            doses.append(wording.calendar_session_heading(_name(plan, day), texts.minutes(day.exercises)))
        for dose, line in zip(_with_circuits(day.exercises), dose_lines(day.exercises, " — "), strict=True):
            doses.append(line)
            doses += [f"  {note}" for note in dose.notes] if dose is not None else []
        sessions.append("\n".join(doses))
        notes += [remark.text for remark in (*phase.notes, *session.notes)]
        cautions += [remark.text for remark in (*phase.cautions, *session.cautions)]
    about = [
        wording.CALENDAR_HANDOUT,
        wording.calendar_phase(day.phase for day in slot.sessions),
        wording.calendar_program(program.title, program.client),
    ]
    if program.clinician:
        about.append(wording.calendar_clinician(program.clinician))
    sections = [
        *sessions,
        *_bullets(wording.CALENDAR_NOTES, notes),
        *_bullets(wording.CALENDAR_CAUTIONS, cautions),
        "\n".join(about),
    ]
    return "\n\n".join(sections)


def _with_circuits(doses) -> list:
    """The doses in `dose_lines`' order, with None where it puts a circuit's heading."""
    found: list = []
    current = None
    for dose in doses:
        if dose.circuit is not None and dose.circuit != current:
            found.append(None)
        current = dose.circuit
        found.append(dose)
    return found


def _calendar_description(plan: Plan) -> str:
    """Whose program, its phases with the days and times each session falls on, its notes and
    the safety rules the clinician set aside (kept in every output)."""
    program = plan.program
    sections = [wording.calendar_about(program.title, program.client, program.clinician, plan.start, plan.end)]
    for planned in plan.phases:
        phase = planned.phase
        lines = [wording.calendar_phase_line(phase.name, phase.days, planned.start)]
        for index, session in enumerate(phase.sessions):
            name = session.name or wording.unnamed_session(index)
            lines.append("• " + wording.calendar_session_line(name, session, program.time))
        sections.append("\n".join(lines))
    sections += _bullets(wording.CALENDAR_NOTES, [note.text for note in program.notes])
    allows = [f"{allow.code} ({allow.where}): {allow.reason}" for allow in plan.allows]
    sections += _bullets(wording.CALENDAR_SET_ASIDE, allows)
    return "\n\n".join(sections)


# ---- continuity with the file this build replaces ------------------------------


# A SEQUENCE read back: ASCII digits only (str.isdigit takes `²`, which int() refuses),
# and few enough that int() takes them and the next one stays a 32-bit integer.
_SEQUENCE = re.compile(r"[0-9]{1,9}")


def _previous_events(data: bytes | None) -> dict[str, _Previous]:
    """UID → SEQUENCE, content hash and lines of the events in the file this build replaces.

    Only UID, SEQUENCE and the content hash, which this backend wrote itself, are read here:
    the unfolded lines are scanned rather than the whole calendar parsed, which for a year of
    daily events took longer than making the new file; an event to cancel is parsed on its own
    (`_cancelled`). Anything else, such as a hand-edited event without a whole-number
    SEQUENCE, is passed over.
    """
    if not data:
        return {}
    text = data.decode("utf-8", "replace").replace("\r\n ", "").replace("\r\n\t", "")
    versions: dict[str, _Previous] = {}
    event: dict[str, str] = {}
    lines: list[str] | None = None
    for line in text.splitlines():
        name, _, value = line.partition(":")
        name = name.split(";", 1)[0].upper()
        if name == "BEGIN" and value == "VEVENT":
            event, lines = {}, []
        if lines is None:
            continue
        lines.append(line)
        if name in ("UID", "SEQUENCE", CONTENT_HASH):
            event[name] = value
        elif name == "END" and value == "VEVENT":
            if "UID" in event and _SEQUENCE.fullmatch(event.get("SEQUENCE", "0")):
                versions[event["UID"]] = _Previous(
                    int(event.get("SEQUENCE", "0")), event.get(CONTENT_HASH, ""), tuple(lines)
                )
            lines = None
    return versions


def _cancelled(previous: _Previous) -> Event | None:
    """The previous file's event, cancelled: its UID, title and times (in UTC, or its dates), with
    STATUS:CANCELLED and no alarm; None when it cannot be read (a hand-edited file)."""
    try:
        old = Event.from_ical("\r\n".join(previous.lines))
        uid, summary = str(old["UID"]), str(old.get("SUMMARY", ""))
        times = [old.decoded(name) for name in ("DTSTART", "DTEND") if name in old]
    except (ValueError, KeyError, TypeError):
        return None
    if not times or not all(isinstance(time, dt.date) for time in times):
        return None
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("description", wording.CALENDAR_CANCELLED)
    event.add("status", "CANCELLED")
    for name, time in zip(("dtstart", "dtend"), times):
        aware = isinstance(time, dt.datetime) and time.tzinfo is not None
        event.add(name, time.astimezone(dt.UTC) if aware else time)
    event.add("transp", "TRANSPARENT")
    return event


def _fingerprint(event: Event) -> str:
    """A hash of every property the event has so far (its values as iCalendar writes them,
    without the line folding that makes serialising a whole event slow)."""
    return hashlib.sha256(repr(list(event.property_items(recursive=True))).encode()).hexdigest()[:32]


def _sequence(content: str, previous: _Previous | None) -> int:
    if previous is None:
        return 0
    return previous.sequence if previous.content == content else previous.sequence + 1
