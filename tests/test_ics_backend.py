"""The .ics backend: every output is read back by icalendar, expanded by recurring-ical-events and
compared with the plan's dated sessions (one event for each day and time), and read again by vobject
as an independent parser. Rebuilds are imported over the file before, as a client's calendar does."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import pytest
import recurring_ical_events
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from support import LANGUAGE_EXAMPLE

from progdsl import loads
from progdsl.backends import RenderOptions
from progdsl.backends.ics import IcsBackend
from progdsl.plan import Plan, PlannedSession, build_plan
from progdsl.records import replace
from progdsl.wording import describe_dose, in_sentence


def program(header: str, body: str = '  session "Stretch" daily:\n    figure_four_stretch 3x30s each side\n') -> str:
    """A small program: `header` lines after the title, then one phase of a week."""
    return f'program "Short"\n{header}\nphase "Only" 1w:\n{body}'


def plan_of(text: str) -> Plan:
    result = loads(text, "x.prog")
    assert result.ok, [(d.code, d.message) for d in result.diagnostics]
    return build_plan(result.program)


def render(plan: Plan, **options) -> bytes:
    """Render, then check the output against the plan with both parsers before handing it back."""
    given = RenderOptions(**options)
    data = IcsBackend().render(plan, given)
    assert_occurrences_match(data, plan, given)
    assert_vobject_reads(data, plan)
    assert_lines_well_formed(data)
    return data


def slots(plan: Plan) -> list[tuple[dt.date, dt.time | None, list[PlannedSession]]]:
    """The events a plan should make: its sessions grouped by day and time, in date and time order."""
    groups: dict[tuple[dt.date, dt.time | None], list[PlannedSession]] = {}
    for day in plan.sessions:
        groups.setdefault((day.date, day.time), []).append(day)
    return sorted(((date, time, days) for (date, time), days in groups.items()), key=_slot_key)


def _slot_key(slot) -> tuple:
    date, time, _ = slot
    return date, time is not None, time or dt.time.min


def live(events: list) -> list:
    return [event for event in events if str(event.get("STATUS", "")) != "CANCELLED"]


def assert_occurrences_match(data: bytes, plan: Plan, options: RenderOptions) -> None:
    calendar = Calendar.from_ical(data)
    occurrences = live(recurring_ical_events.of(calendar).between(plan.start, plan.end + dt.timedelta(days=1)))
    zone = plan.program.timezone
    expected = slots(plan)
    assert len(occurrences) == len(expected)
    before, at = options.setting(plan, "reminder"), options.setting(plan, "reminder_at")
    for event, (date, time, days) in zip(sorted(occurrences, key=_start_key), expected):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        triggers = [alarm.decoded("TRIGGER") for alarm in event.walk("VALARM")]
        if time is None:
            assert (start, end) == (date, date + dt.timedelta(days=1))  # all-day, DTEND exclusive
            hour, minute = map(int, str(at).split(":")) if at else (0, 0)
            assert triggers == ([dt.timedelta(hours=hour, minutes=minute)] if before is not None and at else [])
        else:
            if zone:
                # The instant RFC 5545 means, also for a time the clocks skip or repeat that day (which
                # the file gives in UTC, and recurring-ical-events shows in the calendar's zone).
                assert utc(start) == utc(dt.datetime.combine(date, time, zoneinfo.ZoneInfo(zone)))
                assert str(event["DTSTART"].params.get("TZID", zone)) == zone
            else:
                assert (start.date(), start.time()) == (date, time)
                assert start.tzinfo is None  # floating local time
            assert end > start
            assert triggers == ([-dt.timedelta(seconds=before)] if before is not None else [])
        summary = str(event["SUMMARY"])
        assert summary.startswith("Home exercises: ") and re.search(r", [0-9]+ min$", summary)
        for day in days:
            assert in_sentence(day.session or plan.program.title) in summary
        assert [str(alarm["DESCRIPTION"]) for alarm in event.walk("VALARM")] in ([], [summary])
        description = str(event["DESCRIPTION"])
        for dose in (dose for day in days for dose in day.exercises):
            assert f"{dose.exercise.name} — {describe_dose(dose)}" in description


def utc(moment: dt.datetime) -> dt.datetime:
    """The instant in UTC: Python never finds a time in the hour the clocks repeat equal to a time
    in another zone (PEP 495), so instants are compared in UTC."""
    return moment.astimezone(dt.UTC)


def _start_key(event) -> tuple:
    """Local date, then all-day before timed, then time."""
    start = event.decoded("DTSTART")
    if isinstance(start, dt.datetime):
        return start.date(), True, start.time()
    return start, False, dt.time.min


def assert_vobject_reads(data: bytes, plan: Plan) -> None:
    calendar = vobject.readOne(data.decode("utf-8"))
    events = [event for event in calendar.contents.get("vevent", []) if event.status.value != "CANCELLED"]
    expected = slots(plan)
    assert len(events) == len(expected)
    assert len({event.uid.value for event in calendar.contents.get("vevent", [])}) == len(
        calendar.contents.get("vevent", [])
    )
    for event, (date, time, _) in zip(events, sorted(expected, key=lambda slot: (slot[0], slot[1] or dt.time.min))):
        start = event.dtstart.value
        if time is None:
            assert start == date
        elif plan.program.timezone:
            # vobject builds the zone from the file's VTIMEZONE, not from its own database.
            planned = dt.datetime.combine(date, time, zoneinfo.ZoneInfo(plan.program.timezone))
            assert utc(start) == utc(planned)
        else:
            assert (start.date(), start.time()) == (date, time)


def assert_lines_well_formed(data: bytes) -> None:
    """CRLF line ends; no line over 75 octets; folds never split a UTF-8 character."""
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")


def events_of(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def named(event) -> str:
    """What an event's title says it is: `daily activation` in `Home exercises: daily activation, 5 min`."""
    match = re.fullmatch(r"Home exercises: (.*), [0-9]+ min", str(event["SUMMARY"]))
    assert match, str(event["SUMMARY"])
    return match.group(1)


# ---- the language reference's program ----------------------------------------------


def test_language_example_gives_one_event_per_session_day():
    plan = plan_of(LANGUAGE_EXAMPLE)
    data = render(plan)
    events = events_of(data)
    assert len(events) == len(plan.sessions) == 34
    first, stretch, last = events[0], events[1], events[-1]
    assert str(first["SUMMARY"]) == "Home exercises: daily activation, 5 min"
    assert first.decoded("DTSTART") == dt.datetime(2026, 12, 7, 7, 30, tzinfo=zoneinfo.ZoneInfo("Australia/Sydney"))
    assert str(stretch["SUMMARY"]) == "Home exercises: stretch, 7 min"
    assert stretch.decoded("DTSTART").time() == dt.time(18, 0)  # the session's `at` wins over `time`
    assert str(last["SUMMARY"]) == "Home exercises: glutes for a sore back, 21 min"  # unnamed: the title
    assert last.decoded("DTSTART").date() == dt.date(2027, 1, 15)


def test_descriptions_hold_that_days_doses_cautions_and_clinician():
    events = events_of(render(plan_of(LANGUAGE_EXAMPLE)))
    first = str(events[0]["DESCRIPTION"])
    assert first.startswith("Clam shell — 3 × 8, rest 30–60 s\n")
    assert "• Numbness, or pins and needles in the foot: ease off" in first  # the program's caution
    assert "what to watch for, is in your handout" in first  # the exercises' own cautions stay in the handout
    assert "Clinician: Alex Moore, Exercise Physiologist" in first
    assert "Program: Glutes for a sore back, for Sam Lee" in first
    last_activation = [e for e in events if named(e) == "daily activation"][-1]
    assert str(last_activation["DESCRIPTION"]).startswith("Clam shell — 3 × 12, rest 30–60 s\n")
    last = str(events[-1]["DESCRIPTION"])
    assert last.startswith(
        "Glute bridge — 3 × 10–15, green band, rest 60 s\n"
        "Dead bug — 3 × 8 each side\n"
        "Bird dog — 3 × 8 each side, hold 3 s\n"
        "Plank — 3 × 30 s\n"  # the last session of `progress to 30s over 4w` has the end (v1 stopped at 29 s)
    )
    assert "Phase: Strengthen" in last


def test_calendar_properties_that_clients_read():
    data = render(plan_of(LANGUAGE_EXAMPLE))
    calendar = Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//progdsl//progdsl ")
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    seen = vobject.readOne(data.decode("utf-8"))  # icalendar leaves X- properties escaped
    assert seen.x_wr_calname.value == "Glutes for a sore back"
    assert seen.x_wr_timezone.value == "Australia/Sydney"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Australia/Sydney"]
    summary = str(calendar["DESCRIPTION"])
    assert "• Stretch: 4x/week (mon wed fri sun) at 18:00" in summary  # the weekdays Nx/week chose


def test_event_lengths_are_estimated_from_the_doses():
    events = events_of(render(plan_of(LANGUAGE_EXAMPLE)))
    lengths = {named(e): e.decoded("DTEND") - e.decoded("DTSTART") for e in events}
    assert lengths["daily activation"] == dt.timedelta(minutes=10)  # the shortest event
    assert lengths["glutes for a sore back"] == dt.timedelta(minutes=25)  # four exercises: about 20.3 min
    walk = plan_of(program("time 06:00", '  session "Walk" daily:\n    walking 30min\n'))
    assert {e.decoded("DTEND") - e.decoded("DTSTART") for e in events_of(render(walk))} == {dt.timedelta(minutes=35)}


def test_a_slower_pace_makes_longer_events():
    body = '  session "Bridges" daily:\n    glute_bridge 3x20 rest 60s\n'
    quick, slow = (plan_of(program(f"time 06:00\n{pace}", body)) for pace in ("", "set seconds_per_rep 10s"))
    assert events_of(render(quick))[0].decoded("DTEND").time() == dt.time(6, 10)  # 7 minutes, rounded up
    assert events_of(render(slow))[0].decoded("DTEND").time() == dt.time(6, 15)  # 13 minutes


# ---- times: zoned, floating, all-day -----------------------------------------------


def test_without_a_zone_times_float():
    data = render(plan_of(program("start 2027-03-01\ntime 07:30")))
    calendar = Calendar.from_ical(data)
    assert not calendar.walk("VTIMEZONE") and "X-WR-TIMEZONE" not in calendar
    assert b"DTSTART:20270301T073000\r\n" in data


def test_without_a_time_events_are_all_day_with_an_exclusive_end():
    data = render(plan_of(program("start 2027-03-01")))
    assert b"DTSTART;VALUE=DATE:20270301\r\nDTEND;VALUE=DATE:20270302\r\n" in data
    for event in events_of(data):
        assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(days=1)
        assert str(event["TRANSP"]) == "TRANSPARENT"  # an exercise reminder does not make the day busy
        (alarm,) = event.walk("VALARM")  # at 08:00 by default, which the next tests change
        assert alarm.decoded("TRIGGER") == dt.timedelta(hours=8)


def test_a_session_at_a_time_is_timed_in_an_otherwise_all_day_program():
    body = (
        '  session "Stretch" daily:\n    figure_four_stretch 3x30s each side\n'
        '  session "Bridges" on mon at 17:45:\n    glute_bridge 3x10\n'
        '  session "A walk" every 2 days:\n    walking 20min\n'
    )
    plan = plan_of(program('start 2027-03-01\ntimezone "Europe/Berlin"', body))
    events = events_of(render(plan))
    bridges = [e for e in events if named(e) == "bridges"]
    assert [e.decoded("DTSTART") for e in bridges] == [
        dt.datetime(2027, 3, 1, 17, 45, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    ]
    assert {type(e.decoded("DTSTART")) for e in events if named(e) == "stretch"} == {dt.date}


@pytest.mark.parametrize(
    "zone, start, change",
    [
        ("Australia/Sydney", "2027-03-31", dt.date(2027, 4, 4)),  # daylight saving ends
        ("Australia/Sydney", "2027-09-29", dt.date(2027, 10, 3)),  # daylight saving starts
        ("Europe/London", "2027-03-24", dt.date(2027, 3, 28)),  # summer time starts
    ],
)
def test_local_time_holds_across_a_daylight_saving_change(zone, start, change):
    plan = plan_of(program(f'start {start}\ntimezone "{zone}"\ntime 07:30'))
    events = events_of(render(plan))
    starts = [e.decoded("DTSTART") for e in events]
    assert {s.time() for s in starts} == {dt.time(7, 30)}
    before = {s.utcoffset() for s in starts if s.date() < change}
    after = {s.utcoffset() for s in starts if s.date() > change}
    assert len(before) == len(after) == 1 and before != after
    assert {s.astimezone(dt.UTC).time() for s in starts} != {starts[0].astimezone(dt.UTC).time()}


@pytest.mark.parametrize("zone", ["Europe/London", "Australia/Sydney", "America/New_York", "Asia/Tokyo"])
def test_the_vtimezone_has_one_observance_per_change_of_offset(zone):
    """No RDATE and no RRULE: ical.js (Thunderbird) missed a change written as DTSTART plus RDATE.
    Each observance starts at the change, on the clock before it, as RFC 5545 3.6.5 has it."""
    header = f'program "A year"\nstart 2026-06-01\ntimezone "{zone}"\ntime 07:30\n'
    plan = plan_of(header + 'phase "Only" 52w:\n  session "Stretch" daily:\n    figure_four_stretch 3x30s each side\n')
    (timezone,) = Calendar.from_ical(render(plan)).walk("VTIMEZONE")
    assert str(timezone["TZID"]) == zone
    observances = timezone.subcomponents
    assert all("RDATE" not in o and "RRULE" not in o for o in observances)
    first, *changes = observances
    assert first.decoded("TZOFFSETFROM") == first.decoded("TZOFFSETTO")
    tz = zoneinfo.ZoneInfo(zone)
    expected = []
    moment = dt.datetime(2025, 12, 31, tzinfo=dt.UTC)
    while moment < dt.datetime(2028, 1, 2, tzinfo=dt.UTC):
        later = moment + dt.timedelta(hours=1)
        if later.astimezone(tz).utcoffset() != moment.astimezone(tz).utcoffset():
            before = moment.astimezone(tz).utcoffset()
            expected.append((later.replace(tzinfo=None) + before, before, later.astimezone(tz).utcoffset()))
        moment = later
    assert [(o.decoded("DTSTART"), o.decoded("TZOFFSETFROM"), o.decoded("TZOFFSETTO")) for o in changes] == expected
    assert len(changes) == (0 if zone == "Asia/Tokyo" else 4)


def clock_change_events(zone: str, start: str, time: str) -> list:
    """Three days at `time` from `start`; the second is the day the clocks change."""
    text = f'program "Short"\nstart {start}\ntimezone "{zone}"\ntime {time}\nphase "Only" 3d:\n'
    return events_of(render(plan_of(text + '  session "Stretch" daily:\n    figure_four_stretch 3x30s each side\n')))


def test_a_time_the_clocks_repeat_is_the_first_and_written_in_utc():
    """RFC 5545 3.3.5 means the first 01:30, but ical.js reads 01:30 with a TZID as the second."""
    before, change, after = clock_change_events("Europe/London", "2026-10-24", "01:30")
    assert change.decoded("DTSTART") == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)  # 01:30 BST
    assert change.decoded("DTEND") == dt.datetime(2026, 10, 25, 0, 40, tzinfo=dt.UTC)
    assert "TZID" not in change["DTSTART"].params and "TZID" not in change["DTEND"].params
    assert str(change["DESCRIPTION"]).startswith(
        "The clocks go back today, so 01:30 comes twice: this session is at the first 01:30 BST (UTC+01:00).\n\n"
    )
    for day in (before, after):
        assert str(day["DTSTART"].params["TZID"]) == "Europe/London"
        assert "clocks" not in str(day["DESCRIPTION"])


def test_a_time_the_clocks_skip_is_read_with_the_offset_before_the_change():
    """01:30 when the clocks go from 01:00 to 02:00 is 01:30 GMT, which the clocks show as 02:30."""
    _, change, after = clock_change_events("Europe/London", "2027-03-27", "01:30")
    assert change.decoded("DTSTART") == dt.datetime(2027, 3, 28, 1, 30, tzinfo=dt.UTC)
    assert "TZID" not in change["DTSTART"].params
    assert str(change["DESCRIPTION"]).startswith(
        "The clocks go forward today and skip 01:30: this session is at 02:30 BST (UTC+01:00).\n\n"
    )
    assert after.decoded("DTSTART") == dt.datetime(2027, 3, 29, 1, 30, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


def test_half_hour_changes_are_named_as_well():
    _, change, _ = clock_change_events("Australia/Lord_Howe", "2027-04-03", "01:45")
    assert str(change["DESCRIPTION"]).startswith(
        "The clocks go back today, so 01:45 comes twice: this session is at the first 01:45 +11 (UTC+11:00)."
    )


def test_an_event_across_a_change_lasts_its_length_in_elapsed_time():
    _, forward, _ = clock_change_events("Europe/London", "2027-03-27", "00:55")
    london = zoneinfo.ZoneInfo("Europe/London")
    assert forward.decoded("DTSTART") == dt.datetime(2027, 3, 28, 0, 55, tzinfo=london)
    assert forward.decoded("DTEND") == dt.datetime(2027, 3, 28, 2, 5, tzinfo=london)  # 10 minutes later
    assert "clocks" not in str(forward["DESCRIPTION"])
    # Ending in the hour that comes twice: the end is only clear in UTC, and so the whole event is.
    _, back, _ = clock_change_events("Europe/London", "2026-10-24", "00:55")
    assert (back.decoded("DTSTART"), back.decoded("DTEND")) == (
        dt.datetime(2026, 10, 24, 23, 55, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 25, 0, 5, tzinfo=dt.UTC),
    )
    assert "clocks" not in str(back["DESCRIPTION"])


def test_a_leap_day_start():
    plan = plan_of(program('start 2028-02-29\ntimezone "America/New_York"\ntime 19:00'))
    events = events_of(render(plan))
    assert [e.decoded("DTSTART").date() for e in events][:3] == [
        dt.date(2028, 2, 29),
        dt.date(2028, 3, 1),
        dt.date(2028, 3, 2),
    ]


def test_a_program_across_the_new_year():
    zoned = plan_of(program('start 2027-12-28\ntimezone "Pacific/Auckland"\ntime 23:55'))
    events = events_of(render(zoned))
    assert [e.decoded("DTSTART").year for e in events] == [2027] * 4 + [2028] * 3
    assert events[3].decoded("DTEND") == dt.datetime(2028, 1, 1, 0, 5, tzinfo=zoneinfo.ZoneInfo("Pacific/Auckland"))
    all_day = events_of(render(plan_of(program("start 2027-12-28"))))
    assert all_day[3].decoded("DTEND") == dt.date(2028, 1, 1)


# ---- reminders ---------------------------------------------------------------------


def alarms(data: bytes) -> set[tuple[str, dt.timedelta]]:
    return {(str(a["ACTION"]), a.decoded("TRIGGER")) for e in events_of(data) for a in e.walk("VALARM")}


def test_a_reminder_half_an_hour_before_by_default():
    data = render(plan_of(LANGUAGE_EXAMPLE))
    assert alarms(data) == {("DISPLAY", -dt.timedelta(minutes=30))}
    assert all(len(e.walk("VALARM")) == 1 for e in events_of(data))
    for event in events_of(data):
        assert [str(alarm["DESCRIPTION"]) for alarm in event.walk("VALARM")] == [str(event["SUMMARY"])]


def test_the_programs_reminder_setting_and_the_command_line_override_it():
    plan = plan_of(program("time 07:30\nset reminder 15min"))
    assert alarms(render(plan)) == {("DISPLAY", -dt.timedelta(minutes=15))}
    assert alarms(render(plan, overrides={"reminder": 600})) == {("DISPLAY", -dt.timedelta(minutes=10))}
    assert alarms(render(plan, overrides={"reminder": None})) == set()  # --no-reminder
    assert alarms(render(plan_of(program("time 07:30\nset reminder none")))) == set()


# ---- text escaping and line folding ---------------------------------------------------


def test_hostile_strings_are_escaped_and_folded():
    client = 'O"Brien, Pat; back\\slash 😀 中文 "quoted"'
    text = (
        'program "Rücken; Hüfte, 腰痛 \\\\ 💪"\n'
        'client "O\\"Brien, Pat; back\\\\slash 😀 中文 \\"quoted\\""\n'
        'clinician "Dr. Zoë Ng, PT; 康复"\n'
        'start 2027-03-01\ntimezone "Asia/Shanghai"\ntime 08:00\n'
        'caution "Stop if it hurts; really, stop \\\\ now. 停止 ⚠️"\n'
        'phase "Ph, 1; 一" 1w:\n'
        '  caution "Phase caution; 注意"\n'
        '  session "Stretch; 拉伸, 🧘" daily:\n'
        '    note "Session note, 笔记"\n'
        '    figure_four_stretch 3x30s each side note "Breathe, slowly; \\"in\\" \\\\ out 🌬️"\n'
    )
    plan = plan_of(text)
    assert plan.program.client == client
    data = render(plan)
    unfolded = data.replace(b"\r\n ", b"")
    assert b'O"Brien\\, Pat\\; back\\\\slash' in unfolded  # RFC 5545 TEXT: \, \; \\ escaped, quotes as is
    event = events_of(data)[0]
    assert str(event["SUMMARY"]) == "Home exercises: stretch; 拉伸, 🧘, 4 min"
    description = str(event["DESCRIPTION"])
    assert f"Program: Rücken; Hüfte, 腰痛 \\ 💪, for {client}\n" in description
    assert "Clinician: Dr. Zoë Ng, PT; 康复" in description
    assert "• Stop if it hurts; really, stop \\ now. 停止 ⚠️" in description
    assert '  Breathe, slowly; "in" \\ out 🌬️' in description
    assert "Phase: Ph, 1; 一" in description
    assert "Notes:\n• Session note, 笔记\n" in description
    assert "• Phase caution; 注意\n" in description
    seen = vobject.readOne(data.decode("utf-8"))
    assert seen.x_wr_calname.value == "Rücken; Hüfte, 腰痛 \\ 💪"
    assert seen.vevent.description.value == description


PROGRAM_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=120).filter(
    lambda s: s.strip() == s and s
)


@settings(max_examples=40, deadline=None)
@given(title=PROGRAM_TEXT, client=PROGRAM_TEXT)
def test_any_title_and_client_survive_the_round_trip(title, client):
    def quoted(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    header = f"program {quoted(title)}\nclient {quoted(client)}\nstart 2027-03-01\n"
    plan = plan_of(header + 'phase "P" 2d:\n  glute_bridge 3x10 daily\n')
    assert (plan.program.title, plan.program.client) == (title, client)
    data = render(plan)
    for event in events_of(data):
        assert named(event) == in_sentence(title)
        assert f"Program: {title}, for {client}" in str(event["DESCRIPTION"]).split("\n")
    assert vobject.readOne(data.decode("utf-8")).x_wr_calname.value == title


# ---- updates: UIDs and SEQUENCE -------------------------------------------------------


def uid_sequence_summary(data: bytes) -> list[tuple[str, int, str]]:
    return [(str(e["UID"]), int(e["SEQUENCE"]), named(e)) for e in events_of(data)]


def test_uids_are_unique_and_domain_like():
    uids = [uid for uid, _, _ in uid_sequence_summary(render(plan_of(LANGUAGE_EXAMPLE)))]
    assert len(set(uids)) == len(uids) == 34
    assert all(re.fullmatch(r"[0-9a-f]{32}@progdsl\.invalid", uid) for uid in uids)


def test_an_edited_session_keeps_every_uid_and_raises_only_its_own_sequence():
    first = render(plan_of(LANGUAGE_EXAMPLE))
    edited = LANGUAGE_EXAMPLE.replace("figure_four_stretch 3x45-60s", "figure_four_stretch 2x45-60s")
    second = render(plan_of(edited), previous=first)
    before, after = uid_sequence_summary(first), uid_sequence_summary(second)
    assert [uid for uid, _, _ in after] == [uid for uid, _, _ in before]
    assert {(summary, sequence) for _, sequence, summary in after} == {
        ("daily activation", 0),
        ("stretch", 1),
        ("glutes for a sore back", 0),
    }
    assert render(plan_of(edited), previous=second) == second  # a rebuild of the same program changes nothing
    third = render(plan_of(edited.replace("2x45-60s", "2x30-45s")), previous=second)
    assert {sequence for _, sequence, summary in uid_sequence_summary(third) if summary == "stretch"} == {2}


def test_inserting_a_session_leaves_the_others_uids_alone():
    first = render(plan_of(LANGUAGE_EXAMPLE))
    inserted = LANGUAGE_EXAMPLE.replace(
        '  session "Daily activation" daily:',
        '  session "Walk" on tue at 12:00:\n    walking 20min\n  session "Daily activation" daily:',
    )
    second = render(plan_of(inserted), previous=first)
    before = {uid: (seq, summary) for uid, seq, summary in uid_sequence_summary(first)}
    after = {uid: (seq, summary) for uid, seq, summary in uid_sequence_summary(second)}
    assert before.items() <= after.items()  # every old event is there, unchanged
    assert {after[uid] for uid in after.keys() - before.keys()} == {(0, "walk")}


def test_a_later_start_moves_events_instead_of_adding_copies():
    first = render(plan_of(LANGUAGE_EXAMPLE))
    later = render(plan_of(LANGUAGE_EXAMPLE.replace("start 2026-12-07", "start 2026-12-14")), previous=first)
    assert [uid for uid, _, _ in uid_sequence_summary(later)] == [uid for uid, _, _ in uid_sequence_summary(first)]
    assert {sequence for _, sequence, _ in uid_sequence_summary(later)} == {1}


def test_two_clients_with_the_same_program_get_different_uids():
    other = render(plan_of(LANGUAGE_EXAMPLE.replace('client "Sam Lee"', 'client "Kim Park"')))
    theirs = {uid for uid, _, _ in uid_sequence_summary(other)}
    assert theirs.isdisjoint(uid for uid, _, _ in uid_sequence_summary(render(plan_of(LANGUAGE_EXAMPLE))))


@pytest.mark.parametrize("previous", [b"", b"not a calendar", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"])
def test_an_unreadable_previous_file_starts_the_sequence_afresh(previous):
    data = render(plan_of(LANGUAGE_EXAMPLE), previous=previous)
    assert {sequence for _, sequence, _ in uid_sequence_summary(data)} == {0}


@pytest.mark.parametrize("sequence", ["²", "٣", "9" * 5000, "-1", ""])
def test_an_event_without_a_whole_number_sequence_is_passed_over(sequence):
    first = render(plan_of(LANGUAGE_EXAMPLE))
    assert first.count(b"SEQUENCE:0\r\n") > 1
    edited = first.replace(b"SEQUENCE:0\r\n", f"SEQUENCE:{sequence}\r\n".encode(), 1)
    again = render(plan_of(LANGUAGE_EXAMPLE), previous=edited)  # `²` raised ValueError here
    assert {s for _, s, _ in uid_sequence_summary(again)} == {0}
    assert again == first  # the other events are read back as before; the odd one starts afresh


# ---- reproducible bytes -----------------------------------------------------------------


def test_the_same_program_gives_the_same_bytes():
    assert render(plan_of(LANGUAGE_EXAMPLE)) == render(plan_of(LANGUAGE_EXAMPLE))


def test_dtstamp_without_source_date_epoch_is_the_first_day_at_midnight_utc():
    stamps = {e.decoded("DTSTAMP") for e in events_of(render(plan_of(LANGUAGE_EXAMPLE)))}
    assert stamps == {dt.datetime(2026, 12, 7, tzinfo=dt.UTC)}


def test_dtstamp_comes_from_source_date_epoch():
    moment = dt.datetime.fromtimestamp(1_780_000_000, dt.UTC)
    plan = plan_of(LANGUAGE_EXAMPLE)
    data = render(plan, timestamp=moment)
    assert {e.decoded("DTSTAMP") for e in events_of(data)} == {moment}
    assert render(plan, timestamp=moment) == data
    without_stamps = [line for line in data.split(b"\r\n") if not line.startswith(b"DTSTAMP")]
    assert without_stamps == [line for line in render(plan).split(b"\r\n") if not line.startswith(b"DTSTAMP")]


# ---- sessions done together, titles, all-day reminders -------------------------------------


def example(name: str) -> str:
    return (Path(__file__).resolve().parents[1] / "programs" / f"{name}.prog").read_text(encoding="utf-8")


def test_sessions_at_the_same_time_are_one_event_with_one_reminder():
    """In programs/back_pain_stages.prog two sessions share 08:00 on 32 days: two alarms at once."""
    plan = plan_of(example("back_pain_stages"))
    events = events_of(render(plan))
    assert len(plan.sessions) == 79 and len(events) == 79 - 32
    together = [e for e in events if " and " in named(e)]
    assert len(together) == 32
    first = together[0]
    assert str(first["SUMMARY"]) == "Home exercises: neutral pelvis and flexibility, 17 min"
    (alarm,) = first.walk("VALARM")
    assert str(alarm["DESCRIPTION"]) == str(first["SUMMARY"])
    description = str(first["DESCRIPTION"])
    assert description.startswith("Neutral pelvis, about 9 min:\nPelvic tilt — 2 × 10, hold 3 s, rest 30 s\n")
    assert "\n\nFlexibility, about 8 min:\nHamstring stretch (seated) — 2 × 30 s each side\n" in description
    assert description.count("Flexibility work should never hurt") == 1  # the program's caution, once
    # Both sessions' time: 9 + 8 minutes of exercise, in a 20-minute event.
    assert first.decoded("DTEND") - first.decoded("DTSTART") == dt.timedelta(minutes=20)


def test_untimed_sessions_of_one_day_are_one_all_day_event():
    body = '  session "Stretch" daily:\n    figure_four_stretch 3x30s each side\n  session "Walk" daily:\n    walking 20min\n'
    events = events_of(render(plan_of(program("start 2027-03-01", body))))
    assert len(events) == 7
    assert {named(e) for e in events} == {"stretch and walk"}
    assert all(len(e.walk("VALARM")) == 1 for e in events)


def test_a_title_says_home_exercises_what_and_how_long():
    plan = plan_of(example("glutes_sore_back"))
    titles = [str(e["SUMMARY"]) for e in events_of(render(plan))]
    assert titles[:2] == ["Home exercises: glute activation, 7 min", "Home exercises: glute stretch, 7 min"]
    # A first word with capitals after its first letter keeps them.
    acl = plan_of(program("time 07:00", '  session "ACL rehab" daily:\n    quad_set 2x10 hold 5s\n'))
    assert named(events_of(render(acl))[0]) == "ACL rehab"


def test_a_one_week_phase_reads_one_week():
    data = render(plan_of(program("start 2027-03-01")))
    assert "Only: 1 week from 2027-03-01" in str(Calendar.from_ical(data)["DESCRIPTION"])


def all_day_triggers(data: bytes) -> set[dt.timedelta]:
    return {
        a.decoded("TRIGGER")
        for e in events_of(data)
        if not isinstance(e.decoded("DTSTART"), dt.datetime)
        for a in e.walk("VALARM")
    }


def test_all_day_sessions_remind_at_eight_or_the_time_the_program_or_command_line_sets():
    untimed = program("start 2027-03-01")
    assert all_day_triggers(render(plan_of(untimed))) == {dt.timedelta(hours=8)}
    assert b"TRIGGER:PT8H\r\n" in render(plan_of(untimed))
    later = plan_of(program("start 2027-03-01\nset reminder_at 19:15"))
    assert all_day_triggers(render(later)) == {dt.timedelta(hours=19, minutes=15)}
    assert all_day_triggers(render(later, overrides={"reminder_at": "06:30"})) == {dt.timedelta(hours=6, minutes=30)}
    # `reminder_at none` turns off only the all-day reminders; `reminder none` turns off every one.
    mixed = '  session "Stretch" daily:\n    figure_four_stretch 3x30s each side\n  session "Walk" daily at 12:00:\n    walking 20min\n'
    quiet = render(plan_of(program("start 2027-03-01\nset reminder_at none", mixed)))
    assert all_day_triggers(quiet) == set() and alarms(quiet) == {("DISPLAY", -dt.timedelta(minutes=30))}
    silent = plan_of(program("start 2027-03-01\nset reminder none", mixed))
    assert alarms(render(silent)) == set()
    assert alarms(render(plan_of(program("start 2027-03-01", mixed)), overrides={"reminder": None})) == set()


def test_an_all_day_reminder_stays_at_its_clock_time_across_a_daylight_saving_change():
    plan = plan_of(program('start 2027-03-25\ntimezone "Europe/London"'))
    for event in events_of(render(plan)):
        (alarm,) = event.walk("VALARM")
        assert alarm.decoded("TRIGGER") == dt.timedelta(hours=8)  # from the day's start, on the clock


# ---- rebuilds as a client's calendar takes them ---------------------------------------------


def import_into(calendar: dict[str, object], data: bytes) -> dict[str, object]:
    """A calendar after importing `data`, as calendar apps do: by UID, an event replaces the one held
    only when its SEQUENCE is higher (a new UID is added); a cancelled one stays as a tombstone."""
    held = dict(calendar)
    for event in events_of(data):
        uid = str(event["UID"])
        if uid not in held or int(event["SEQUENCE"]) > int(held[uid]["SEQUENCE"]):
            held[uid] = event
    return held


def shown(calendar: dict[str, object]) -> dict[str, tuple]:
    """What the client sees: each event that is not cancelled, by UID."""
    return {
        uid: (event.decoded("DTSTART"), str(event["SUMMARY"]), str(event["DESCRIPTION"]))
        for uid, event in calendar.items()
        if str(event["STATUS"]) != "CANCELLED"
    }


REBUILT = """program "Rebuilds"
client "Ana Silva"
start 2027-03-01
timezone "Europe/London"
time 08:00
phase "Only" 2w:
  session "Stretch" daily:
    figure_four_stretch 3x30s each side
  session "Bridges" on mon wed fri:
    glute_bridge 3x10
"""


def test_a_rebuild_creates_updates_and_cancels_the_right_events():
    first = render(plan_of(REBUILT))
    # The clinician shortens the phase, moves the bridges to the evening and lowers the stretch.
    edited = REBUILT.replace("2w:", "1w:").replace("on mon wed fri:", "on mon wed fri at 18:00:")
    edited = edited.replace("3x30s", "2x30s")
    second = render(plan_of(edited), previous=first)
    before = {str(e["UID"]): e for e in events_of(first)}
    after = {str(e["UID"]): e for e in events_of(second)}
    cancelled = {uid for uid, e in after.items() if str(e["STATUS"]) == "CANCELLED"}
    created = after.keys() - before.keys()
    updated = {uid for uid in after.keys() & before.keys() if uid not in cancelled}
    assert len(before) == 14  # the stretch every day, with the bridges on 6 of them
    assert len(cancelled) == 7 and all(int(after[uid]["SEQUENCE"]) == 1 for uid in cancelled)  # the second week
    assert len(created) == 3 and {named(after[uid]) for uid in created} == {"bridges"}  # now at 18:00
    assert len(updated) == 7 and {int(after[uid]["SEQUENCE"]) for uid in updated} == {1}
    client = import_into(import_into({}, first), second)
    assert shown(client) == shown(import_into({}, second))  # as if they had only ever imported the new file
    assert len(shown(client)) == 10
    for uid in cancelled:
        event = after[uid]
        assert not event.walk("VALARM") and "TZID" not in event["DTSTART"].params
        assert event.decoded("DTSTART") == before[uid].decoded("DTSTART")
        assert str(event["SUMMARY"]) == str(before[uid]["SUMMARY"])
    # Building again changes nothing: the cancelled events stay, as they are.
    assert render(plan_of(edited), previous=second) == second
    # Lengthening the phase again brings the second week back, above its cancellation.
    third = render(plan_of(edited.replace("1w:", "2w:")), previous=second)
    back = {str(e["UID"]): e for e in events_of(third)}
    assert {int(back[uid]["SEQUENCE"]) for uid in cancelled} == {2}
    assert {str(back[uid]["STATUS"]) for uid in cancelled} == {"CONFIRMED"}
    client = import_into(client, third)
    assert shown(client) == shown(import_into({}, third)) and len(shown(client)) == 20


def test_renaming_the_program_cancels_the_old_events_and_adds_the_new():
    first = render(plan_of(REBUILT))
    second = render(plan_of(REBUILT.replace('"Rebuilds"', '"Renamed"')), previous=first)
    client = import_into(import_into({}, first), second)
    assert shown(client) == shown(import_into({}, second)) and len(shown(client)) == 14


def test_only_this_backends_events_are_cancelled():
    """An event of another program's file, or hand-made, is left alone, and so is one that cannot be read."""
    first = render(plan_of(REBUILT))
    foreign = first.replace(b"@progdsl.invalid", b"@example.com", 1)
    broken = first.replace(b"DTSTART;TZID=Europe/London:20270301T080000", b"DTSTART:tomorrow", 1)
    for previous in (foreign, broken):
        data = render(plan_of(REBUILT.replace('"Rebuilds"', '"Renamed"')), previous=previous)
        assert sum(str(e["STATUS"]) == "CANCELLED" for e in events_of(data)) == 13


def test_the_day_docs_calendar_md_shows_is_what_the_example_builds():
    docs = (Path(__file__).resolve().parents[1] / "docs" / "calendar.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```\n(.*?)```", docs, flags=re.DOTALL)
    opened = next(block for block in blocks if block.startswith("Home exercises: "))
    title, when, alert, _, *description = opened.rstrip("\n").split("\n")
    events = events_of(render(plan_of(example("back_pain_stages"))))
    (event,) = [e for e in events if e.decoded("DTSTART") == dt.datetime(2027, 4, 21, 8, 0)]
    assert title == str(event["SUMMARY"])
    assert when == "Wed 21 Apr 2027, 08:00 – 08:30" and event.decoded("DTEND").time() == dt.time(8, 30)
    assert alert == "Alert: 30 minutes before"
    assert "\n".join(description) == str(event["DESCRIPTION"])
    assert f"08:00–08:30  {title}" in docs and f"07:30        🔔 {title}" in docs


def test_a_session_planned_twice_a_day_makes_two_events_with_their_own_uids():
    """A plan with a session at two times of a day (as `2x/day` will give) slots in: one event per time."""
    plan = plan_of(program('start 2027-03-01\ntimezone "Europe/Berlin"\ntime 07:00'))
    evenings = [replace(day, time=dt.time(19)) for day in plan.sessions]
    twice = replace(plan, sessions=tuple(sorted((*plan.sessions, *evenings), key=lambda d: (d.date, d.time))))
    events = events_of(render(twice))
    assert len(events) == 14 and len({str(e["UID"]) for e in events}) == 14
    assert [e.decoded("DTSTART").hour for e in events[:4]] == [7, 19, 7, 19]
    # The morning events keep the UIDs they had when the session was once a day.
    once = {str(e["UID"]) for e in events_of(render(plan))}
    assert once == {str(e["UID"]) for e in events if e.decoded("DTSTART").hour == 7}


YEAR_IN_AUCKLAND = """\
program "Ünïcödé: a year of daily sessions, with a title long enough to be folded — twice ✓"
client "Zoë Ñúñez"
clinician "Sam Okafor, Physiotherapist"
start 2027-01-04
timezone "Pacific/Auckland"
time 02:30
caution "Stop and call the clinic if pain spreads into a leg; ice, then rest."

phase "Quarter 1" 26w:
  session "Mobility" daily:
    pelvic_tilt 2x10 hold 3s rest 30s
    cat_camel 2x8 rest 30s progress from 6 over 4w
  session "Strength" on mon wed fri:
    clam_shell 3x10 each side rest 45s
    glute_bridge 3x10 band yellow rest 60s note "Squeeze at the top"
"""


@pytest.mark.parametrize("text", [YEAR_IN_AUCKLAND, LANGUAGE_EXAMPLE], ids=["auckland", "glutes"])
def test_the_file_is_what_icalendar_writes_and_texts_are_made_once_a_day(monkeypatch, text):
    """The backend folds each distinct line once and words each distinct day once: the bytes
    are the ones icalendar's own `to_ical` and a fresh wording of every event give."""
    import progdsl.backends.ics as ics

    plan = plan_of(text)
    made = render(plan)
    previous = render(plan_of(text.replace("3x10", "2x10")))
    rebuilt = render(plan, previous=previous)

    class Fresh(ics._Texts):  # every event worded anew, nothing remembered
        def title_and_description(self, slot):
            self.made.clear()
            self.lengths.clear()
            self.minutes_of.clear()
            return super().title_and_description(slot)

        def length(self, slot):
            self.lengths.clear()
            return super().length(slot)

    monkeypatch.setattr(ics, "_serialised", lambda calendar: calendar.to_ical())
    monkeypatch.setattr(ics, "_Texts", Fresh)
    assert render(plan) == made
    assert render(plan, previous=previous) == rebuilt
    assert b"\r\n " in made  # lines were folded


def test_days_with_the_same_doses_share_them_in_the_plan():
    from progdsl.records import replace

    plan = plan_of(YEAR_IN_AUCKLAND)
    doses = [dose for day in plan.sessions for dose in day.exercises]
    assert len({id(dose) for dose in doses}) < len(doses) / 10
    assert len({id(day.exercises) for day in plan.sessions}) < len(plan.sessions) / 5
    fresh = [replace(dose) for dose in doses]  # equal values, as if each day were made anew
    assert fresh == doses


def test_the_time_zone_scan_is_made_once_for_a_zone_and_years():
    import progdsl.backends.ics as ics

    plan = plan_of(YEAR_IN_AUCKLAND)
    first = IcsBackend().render(plan, RenderOptions())
    hits = ics._changes.cache_info().hits
    again = IcsBackend().render(
        plan_of(YEAR_IN_AUCKLAND.replace('client "Zoë Ñúñez"', 'client "Kim"')), RenderOptions()
    )
    assert ics._changes.cache_info().hits == hits + 1

    def zone_block(data: bytes) -> bytes:
        return data[data.index(b"BEGIN:VTIMEZONE") : data.index(b"END:VTIMEZONE")]

    assert zone_block(first) == zone_block(again) and zone_block(first).count(b"TZOFFSETTO") > 2
