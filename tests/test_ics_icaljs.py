"""Every calendar reads the same in Mozilla's ical.js (Thunderbird's parser) as in Python's
icalendar: the same events, starting and ending at the same instants. Each event is also checked
against the plan: its start is the planned day and time in the program's zone.

ical.js reads times with the file's own VTIMEZONE. A VTIMEZONE that lists a zone's transitions as
one observance with DTSTART plus RDATE lost the first transition in ical.js, and moved most events
of a year-long program by an hour (tests/icaljs.py says how ical.js is installed, or why skipped).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from icalendar import Calendar
from icaljs import ical_js, utc_events

from progdsl import loads
from progdsl.backends import RenderOptions
from progdsl.backends.ics import IcsBackend
from progdsl.plan import Plan, build_plan

YEAR = '  session "Stretch" daily:\n    figure_four_stretch 3x30s each side\n'


def year_long(zone: str, start: str, time: str = "07:30") -> Plan:
    text = f'program "A year"\nstart {start}\ntimezone "{zone}"\ntime {time}\nphase "Only" 52w:\n{YEAR}'
    result = loads(text, "year.prog")
    assert result.ok, result.diagnostics
    return build_plan(result.program)


def render(plan: Plan) -> bytes:
    return IcsBackend().render(plan, RenderOptions())


def assert_parsers_agree(data: bytes, plan: Plan) -> None:
    reader = ical_js()
    python = utc_events(data)
    assert len(python) == len(plan.sessions)
    javascript = reader.events(data)
    assert javascript.keys() == python.keys()
    wrong = {uid: (javascript[uid], python[uid]) for uid in python if javascript[uid] != python[uid]}
    assert not wrong, f"{len(wrong)} of {len(python)} events read differently by ical.js {reader.version}: {wrong}"


def assert_starts_as_planned(data: bytes, plan: Plan) -> None:
    """Python's reading of each timed start is the plan's day and time in the program's zone."""
    zone = zoneinfo.ZoneInfo(plan.program.timezone) if plan.program.timezone else None
    events = sorted(Calendar.from_ical(data).walk("VEVENT"), key=lambda event: event.decoded("DTSTART").isoformat())
    planned = sorted(plan.sessions, key=lambda day: (day.date, day.time or dt.time.min))
    for event, day in zip(events, planned):
        start = event.decoded("DTSTART")
        if day.time is not None and zone is not None:
            # In UTC: Python never finds a time the clocks repeat equal to one in another zone.
            assert start.astimezone(dt.UTC) == dt.datetime.combine(day.date, day.time, zone).astimezone(dt.UTC)


@pytest.mark.parametrize(
    "zone, start, time",
    [
        ("Europe/London", "2026-06-01", "07:30"),  # summer to summer, across New Year and both changes
        ("Australia/Sydney", "2026-12-07", "07:30"),  # summer time at the start, across New Year
        ("America/New_York", "2026-09-14", "07:30"),
        ("Asia/Tokyo", "2026-12-07", "07:30"),  # no daylight saving
        ("Pacific/Auckland", "2027-01-01", "00:30"),  # the first event before New Year in UTC
        ("Europe/London", "1900-01-01", "07:30"),  # the earliest date progdsl takes
        ("Europe/Amsterdam", "1900-01-01", "07:30"),  # +00:19:32, which ical.js reads as +00:19
        ("Africa/Monrovia", "1971-06-01", "07:30"),  # -00:44:30 until 1972
    ],
)
def test_a_year_long_program_reads_the_same_in_ical_js(zone, start, time):
    plan = year_long(zone, start, time)
    data = render(plan)
    assert_starts_as_planned(data, plan)
    assert_parsers_agree(data, plan)


def test_the_examples_read_the_same_in_ical_js(example_programs):
    for path in example_programs:
        result = loads(path.read_text(encoding="utf-8"), path.name)
        assert result.ok, (path, result.diagnostics)
        plan = build_plan(result.program)
        data = render(plan)
        assert_starts_as_planned(data, plan)
        assert_parsers_agree(data, plan)


def three_days(zone: str, start: str, time: str) -> Plan:
    text = f'program "Three days"\nstart {start}\ntimezone "{zone}"\ntime {time}\nphase "Only" 3d:\n{YEAR}'
    result = loads(text, "three.prog")
    assert result.ok, result.diagnostics
    return build_plan(result.program)


@pytest.mark.parametrize(
    "zone, start, time, meant",
    [
        # A time the clocks repeat: its first occurrence (RFC 5545 3.3.5), which ical.js read as
        # the second when it came with a TZID.
        ("Europe/London", "2026-10-24", "01:30", "2026-10-25T00:30:00.000Z"),
        ("America/New_York", "2026-10-31", "01:30", "2026-11-01T05:30:00.000Z"),
        ("Australia/Sydney", "2027-04-03", "02:30", "2027-04-03T15:30:00.000Z"),
        ("Australia/Lord_Howe", "2027-04-03", "01:45", "2027-04-03T14:45:00.000Z"),
        # A time the clocks skip: read with the offset before the change (RFC 5545 3.3.5), which
        # ical.js read with the offset after it.
        ("Europe/London", "2027-03-27", "01:30", "2027-03-28T01:30:00.000Z"),
        ("America/New_York", "2027-03-13", "02:30", "2027-03-14T07:30:00.000Z"),
        ("Australia/Sydney", "2027-10-02", "02:30", "2027-10-02T16:30:00.000Z"),
        ("Australia/Lord_Howe", "2027-10-02", "02:15", "2027-10-02T15:45:00.000Z"),
        # Clear starts whose end the clocks skip or repeat.
        ("Europe/London", "2027-03-27", "00:55", "2027-03-28T00:55:00.000Z"),
        ("Europe/London", "2026-10-24", "00:55", "2026-10-24T23:55:00.000Z"),
    ],
)
def test_on_the_day_the_clocks_change_ical_js_reads_the_instant_meant(zone, start, time, meant):
    plan = three_days(zone, start, time)
    data = render(plan)
    assert_starts_as_planned(data, plan)
    assert_parsers_agree(data, plan)
    starts = sorted(start for start, _ in utc_events(data).values())
    assert starts[1] == meant
