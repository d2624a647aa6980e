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
            assert start == dt.datetime.combine(day.date, day.time, zone)


@pytest.mark.parametrize(
    "zone, start, time",
    [
        ("Europe/London", "2026-06-01", "07:30"),  # summer to summer, across New Year and both changes
        ("Australia/Sydney", "2026-12-07", "07:30"),  # summer time at the start, across New Year
        ("America/New_York", "2026-09-14", "07:30"),
        ("Asia/Tokyo", "2026-12-07", "07:30"),  # no daylight saving
        ("Pacific/Auckland", "2027-01-01", "00:30"),  # the first event before New Year in UTC
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
