"""Every calendar reads the same in Mozilla's ical.js (Thunderbird's parser), in Python's icalendar
and in vobject: the same events, starting and ending at the same instants, with the same titles and
status, and alarms that go off at the same moments. Each event is also checked against the plan:
its start is the planned day and time in the program's zone.

ical.js reads times with the file's own VTIMEZONE. A VTIMEZONE that lists a zone's transitions as
one observance with DTSTART plus RDATE lost the first transition in ical.js, and moved most events
of a year-long program by an hour (tests/icaljs.py says how ical.js is installed, or why skipped).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from icalendar import Calendar
from icaljs import ical_js, utc_events, vobject_events

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


def render(plan: Plan, previous: bytes | None = None) -> bytes:
    return IcsBackend().render(plan, RenderOptions(previous=previous))


def assert_parsers_agree(data: bytes, plan: Plan) -> None:
    reader = ical_js()
    python = utc_events(data)
    live = [reading for reading in python.values() if reading[3] != "CANCELLED"]
    assert len(live) == len({(day.date, day.time) for day in plan.sessions})  # one event per day and time
    # vobject read every 1900 event in London a minute late, as if at London's local mean time
    # (-00:01:15); its zones go through dateutil, whose 32-bit transition times start in Dec 1901.
    third = vobject_events(data) if plan.start >= dt.date(1902, 1, 1) else python
    assert third == python, {uid: (third.get(uid), python[uid]) for uid in python if third.get(uid) != python[uid]}
    javascript = reader.events(data)
    assert javascript.keys() == python.keys()
    wrong = {uid: (javascript[uid], python[uid]) for uid in python if javascript[uid] != python[uid]}
    assert not wrong, f"{len(wrong)} of {len(python)} events read differently by ical.js {reader.version}: {wrong}"


def assert_starts_as_planned(data: bytes, plan: Plan) -> None:
    """Python's reading of each timed start is the plan's day and time in the program's zone."""
    zone = zoneinfo.ZoneInfo(plan.program.timezone) if plan.program.timezone else None
    if zone is None:
        return
    events = [event for event in Calendar.from_ical(data).walk("VEVENT") if str(event["STATUS"]) != "CANCELLED"]
    # In UTC: Python never finds a time the clocks repeat equal to one in another zone.
    starts = sorted(event.decoded("DTSTART").astimezone(dt.UTC) for event in events if event.decoded("DTSTART").tzinfo)
    planned = {dt.datetime.combine(day.date, day.time, zone) for day in plan.sessions if day.time is not None}
    assert starts == sorted(moment.astimezone(dt.UTC) for moment in planned)


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


def example_plan(text: str, name: str) -> Plan:
    result = loads(text, name)
    assert result.ok, (name, result.diagnostics)
    return build_plan(result.program)


def test_the_examples_read_the_same_in_ical_js(example_programs):
    for path in example_programs:
        plan = example_plan(path.read_text(encoding="utf-8"), path.name)
        data = render(plan)
        assert_starts_as_planned(data, plan)
        assert_parsers_agree(data, plan)
        assert all(len(alarms) == 1 for _, _, _, _, alarms in utc_events(data).values())


def test_the_examples_without_a_time_read_the_same_in_ical_js(example_programs):
    """All-day events, each with its alarm at 08:00 on that day's clock, wherever the phone is."""
    for path in example_programs:
        text = re.sub(r"^time .*\n", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
        plan = example_plan(text, path.name)
        # Only the sessions with their own `at` times keep a time (`at 18:00`, `2x/day at 08:00, 18:00`).
        written = {dt.time.fromisoformat(clock) for clock in re.findall(r"\b\d{2}:\d{2}\b", text)}
        assert {day.time for day in plan.sessions} - {None} == written
        data = render(plan)
        assert_parsers_agree(data, plan)
        for start, _, _, _, alarms in utc_events(data).values():
            if len(start) == 10:  # a date
                assert alarms == (f"{start}T08:00:00",)


def test_a_rebuild_with_cancelled_events_reads_the_same_in_ical_js(example_programs):
    """Shorter phases leave events that the rebuilt file cancels, in UTC and without an alarm."""
    for path in example_programs:
        text = path.read_text(encoding="utf-8")
        first = render(example_plan(text, path.name))
        shorter = re.sub(r'^(phase "[^"]*") [0-9]+w', r"\1 1w", text, flags=re.MULTILINE)
        plan = example_plan(shorter, path.name)
        data = render(plan, previous=first)
        assert_parsers_agree(data, plan)
        cancelled = [reading for reading in utc_events(data).values() if reading[3] == "CANCELLED"]
        assert cancelled and all(not alarms for *_, alarms in cancelled)


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
    starts = sorted(reading[0] for reading in utc_events(data).values())
    assert starts[1] == meant
