"""The calendar backend: an .ics file that a client imports once and is reminded by.

One event per planned session day, titled with the session's name (the program's title for an
unnamed session), its description listing that day's doses, the cautions and the clinician.
The choices that keep re-imports and rebuilds working (docs/calendar.md explains them to clinicians):

* UID: a hash of the program's title, the client, the session's key and the day's place among
  that session's days (1st, 2nd, …). Changing a dose, a time, the start date or the weekdays
  keeps every UID, so a re-imported calendar moves and updates its events instead of adding
  copies; adding, removing or renaming one session leaves the others' UIDs alone.
* SEQUENCE: 0 for an event the previous file did not have; that file's value when the event's
  content is unchanged; one more when anything changed. Each event carries a hash of its
  content (X-PROGDSL-CONTENT), so a rebuild compares hashes instead of re-serialising events.
* DTSTAMP: SOURCE_DATE_EPOCH when set, else midnight UTC on the plan's first day, so that the
  same program gives the same bytes.
* Timed events last as long as the doses take (`_estimated_length`) and carry a DISPLAY alarm
  per the `reminder` setting; untimed sessions are all-day events that do not mark the day busy.
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
import hashlib
import math
import re
from collections import Counter
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vText

from .. import wording
from ..plan import estimated_seconds
from ..version import __version__
from ..wording import days, describe_frequency, dose_lines, session_when

if TYPE_CHECKING:
    from ..plan import DayDose, Plan, PlannedSession
    from . import RenderOptions

PRODID = f"-//progdsl//progdsl {__version__}//EN"
UID_DOMAIN = "progdsl.invalid"  # RFC 2606: a domain-like suffix that belongs to nobody
CONTENT_HASH = "X-PROGDSL-CONTENT"  # calendar apps ignore X- properties
SHORTEST_EVENT = dt.timedelta(minutes=10)


class IcsBackend:
    """iCalendar (RFC 5545) schedule of the plan's sessions."""

    name = "ics"
    suffix = ".ics"
    media_type = "text/calendar"

    def render(self, plan: Plan, options: RenderOptions) -> bytes:
        zone = ZoneInfo(plan.program.timezone) if plan.program.timezone else None
        reminder = options.setting(plan, "reminder")
        seconds_per_rep = options.setting(plan, "seconds_per_rep")
        # Both are `seconds`/`duration` settings: whole seconds (and None for `set reminder none`).
        if reminder is not None and not isinstance(reminder, int):
            raise TypeError(f"the reminder setting is {reminder!r}, not a whole number of seconds")
        if not isinstance(seconds_per_rep, int):
            raise TypeError(f"the seconds_per_rep setting is {seconds_per_rep!r}, not a whole number of seconds")
        stamp = options.stamp(plan)
        previous = _previous_versions(options.previous)
        calendar = _calendar(plan)
        if zone:
            calendar.add_component(_vtimezone(zone, dt.date(plan.start.year, 1, 1), dt.date(plan.end.year + 1, 1, 1)))
        days_of_session: Counter[str] = Counter()
        for day in plan.sessions:
            days_of_session[day.key] += 1
            event = _event(plan, day, days_of_session[day.key], zone, reminder, seconds_per_rep)
            content = _fingerprint(event)
            event.add(CONTENT_HASH, content)
            event.add("sequence", _sequence(content, previous.get(str(event["UID"]))))
            event.add("dtstamp", stamp)
            calendar.add_component(event)
        return calendar.to_ical()


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
    moment = dt.datetime.combine(first, dt.time(), dt.UTC) - dt.timedelta(days=1)
    end = dt.datetime.combine(last, dt.time(), dt.UTC) + dt.timedelta(days=1)
    before = _state(zone, moment)
    timezone.add_component(_observance(before, before, moment))
    while moment < end:
        step = min(moment + _SCAN_STEP, end)
        after = _state(zone, step)
        if after != before:
            change = _first_moment_of(zone, after, moment, step)
            timezone.add_component(_observance(before, after, change))
            before = after
        moment = step
    return timezone


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


def _event(
    plan: Plan, day: PlannedSession, day_number: int, zone: ZoneInfo | None, reminder: int | None, seconds_per_rep: int
) -> Event:
    """`day` is the session's `day_number`-th day (from 1)."""
    title = day.session or plan.program.title
    event = Event()
    event.add("uid", _uid(plan, day.key, day_number))
    event.add("summary", title)
    event.add("description", _description(plan, day, zone))
    if day.time is None:
        event.add("dtstart", day.date)
        event.add("dtend", day.date + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        start, end = _when(day.date, day.time, zone, _estimated_length(day.exercises, seconds_per_rep))
        event.add("dtstart", start)
        event.add("dtend", end)
        if reminder is not None:
            event.add_component(_alarm(title, reminder))
    return event


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


def _alarm(title: str, seconds_before: int) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", -dt.timedelta(seconds=seconds_before))
    return alarm


def _uid(plan: Plan, key: str, day_number: int) -> str:
    """Stable across rebuilds: see the module's docstring."""
    identity = "\x1f".join((plan.program.title, plan.program.client or "", key, str(day_number)))
    return f"{hashlib.sha256(identity.encode()).hexdigest()[:32]}@{UID_DOMAIN}"


def _estimated_length(exercises: tuple[DayDose, ...], seconds_per_rep: int) -> dt.timedelta:
    """The plan's estimate of the day's doses (the one the session-length rule uses),
    rounded up to five minutes and never under ten."""
    seconds = sum(estimated_seconds(dose, seconds_per_rep) for dose in exercises)
    return max(dt.timedelta(minutes=5 * math.ceil(seconds / 300)), SHORTEST_EVENT)


# ---- texts --------------------------------------------------------------------


def _bullets(heading: str, items: list[str]) -> list[str]:
    return [heading + ":\n" + "\n".join(f"• {item}" for item in items)] if items else []


def _description(plan: Plan, day: PlannedSession, zone: ZoneInfo | None) -> str:
    """The day's doses, then the clinician's notes and cautions, and whose program it is.
    Each exercise's own instructions and cautions are left to the handout: a reminder is read
    at a glance. On a day the clocks skip or repeat the session's time, which time is meant comes
    first."""
    program = plan.program
    phase = plan.phases[day.phase_index].phase
    session = phase.sessions[day.session_index]
    doses = []
    for dose, line in zip(_with_circuits(day.exercises), dose_lines(day.exercises, " — "), strict=True):
        doses.append(line)
        doses += [f"  {note}" for note in dose.notes] if dose is not None else []
    notes = [remark.text for remark in (*phase.notes, *session.notes)]
    cautions = [remark.text for remark in (*program.cautions, *phase.cautions, *session.cautions)]
    about = [
        "How to do each exercise, and what to watch for, is in your handout.",
        f"Phase: {day.phase}",
        f"Program: {program.title}" + (f", for {program.client}" if program.client else ""),
    ]
    if program.clinician:
        about.append(f"Clinician: {program.clinician}")
    sections = ["\n".join(doses), *_bullets("Notes", notes), *_bullets("Cautions", cautions), "\n".join(about)]
    change = _clock_change(day.date, day.time, zone) if day.time is not None else None
    return "\n\n".join([change, *sections] if change else sections)


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
    client = f", for {program.client}" if program.client else ""
    clinician = f", from {program.clinician}" if program.clinician else ""
    sections = [f"{program.title}{client}{clinician}.\n{plan.start.isoformat()} to {plan.end.isoformat()}."]
    for planned in plan.phases:
        phase = planned.phase
        lines = [f"{phase.name}: {days(phase.days)} from {planned.start.isoformat()}"]
        for index, session in enumerate(phase.sessions):
            when = describe_frequency(session.frequency) if session.frequency else "as each exercise says"
            at = session_when(session, program.time)
            joint = ", " if session.per_day > 1 else " "
            lines.append(f"• {session.name or f'Session {index + 1}'}: {when}{joint + at if at else ''}")
        sections.append("\n".join(lines))
    sections += _bullets("Notes", [note.text for note in program.notes])
    allows = [f"{allow.code} ({allow.where}): {allow.reason}" for allow in plan.allows]
    sections += _bullets("Safety rules set aside by the clinician", allows)
    return "\n\n".join(sections)


# ---- continuity with the file this build replaces ------------------------------


# A SEQUENCE read back: ASCII digits only (str.isdigit takes `²`, which int() refuses),
# and few enough that int() takes them and the next one stays a 32-bit integer.
_SEQUENCE = re.compile(r"[0-9]{1,9}")


def _previous_versions(data: bytes | None) -> dict[str, tuple[int, str]]:
    """UID → (SEQUENCE, content hash) of the events in the file this build replaces.

    Only these three properties, which this backend wrote itself, are read back: the
    unfolded lines are scanned rather than the whole calendar parsed, which for a year of
    daily events took longer than making the new file. Anything else, such as a
    hand-edited event without a whole-number SEQUENCE, is passed over.
    """
    if not data:
        return {}
    text = data.decode("utf-8", "replace").replace("\r\n ", "").replace("\r\n\t", "")
    versions: dict[str, tuple[int, str]] = {}
    event: dict[str, str] = {}
    for line in text.splitlines():
        name, _, value = line.partition(":")
        name = name.split(";", 1)[0].upper()
        if name == "BEGIN" and value == "VEVENT":
            event = {}
        elif name in ("UID", "SEQUENCE", CONTENT_HASH):
            event[name] = value
        elif name == "END" and value == "VEVENT" and "UID" in event and _SEQUENCE.fullmatch(event.get("SEQUENCE", "0")):
            versions[event["UID"]] = (int(event.get("SEQUENCE", "0")), event.get(CONTENT_HASH, ""))
    return versions


def _fingerprint(event: Event) -> str:
    """A hash of every property the event has so far (its values as iCalendar writes them,
    without the line folding that makes serialising a whole event slow)."""
    return hashlib.sha256(repr(list(event.property_items(recursive=True))).encode()).hexdigest()[:32]


def _sequence(content: str, previous: tuple[int, str] | None) -> int:
    if previous is None:
        return 0
    before, before_content = previous
    return before if before_content == content else before + 1
