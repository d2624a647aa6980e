"""The dated plan: which days each session falls on, and each day's dose."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import PROGRAMS

from progdsl import loads
from progdsl.model import WEEKLY_SPREAD
from progdsl.plan import build_plan, default_start
from progdsl.units import Range
from progdsl.wording import describe_frequency

MONDAY = dt.date(2026, 12, 7)


def plan_of(body: str, header: str = 'program "T"\nstart 2026-12-07\nequipment mat\n', start=None):
    result = loads(header + body, "t.prog")
    assert result.ok, [f"{d.code} {d.message}" for d in result.errors]
    return build_plan(result.program, start)


def dates(plan, exercise: str | None = None) -> list[dt.date]:
    return [s.date for s in plan.sessions if exercise is None or any(d.exercise.id == exercise for d in s.exercises)]


def amounts(plan, exercise: str) -> list[tuple[int, int]]:
    return [(d.amount.low, d.amount.high) for s in plan.sessions for d in s.exercises if d.exercise.id == exercise]


def days(*offsets: int, first: dt.date = MONDAY) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in offsets]


# ---- the seed-000 example ---------------------------------------------------------


def test_seed_000_example_expands_to_22_sessions_over_two_weeks():
    result = loads((PROGRAMS / "glutes_sore_back.prog").read_text(encoding="utf-8"), "glutes_sore_back.prog")
    assert result.ok
    plan = build_plan(result.program)
    assert (plan.start, plan.end) == (dt.date(2026, 12, 7), dt.date(2026, 12, 20))
    assert len(plan.sessions) == 22
    daily = [s for s in plan.sessions if s.exercises[0].exercise.id == "clam_shell"]
    stretch = [s for s in plan.sessions if s.exercises[0].exercise.id == "figure_four_stretch"]
    assert len(daily) == 14 and len(stretch) == 8
    assert [s.date for s in daily] == days(*range(14))
    assert {s.date.strftime("%a") for s in stretch} == {"Mon", "Wed", "Fri", "Sun"}
    assert {s.time for s in stretch} == {dt.time(18, 0)} and {s.time for s in daily} == {dt.time(7, 30)}
    clam = [s.exercises[0] for s in daily]
    assert (clam[0].sets, clam[0].amount, clam[0].each_side) == (3, Range(8, 8), True)
    assert clam[-1].amount == Range(12, 12)
    assert clam[0].rest_s == Range(30, 60) and clam[0].hold_per_rep_s == Range(1, 1)
    assert [s.date for s in plan.sessions] == sorted(s.date for s in plan.sessions)


# ---- frequencies --------------------------------------------------------------------


def test_daily_falls_on_every_day_of_its_phase():
    plan = plan_of('phase "A" 10d daily:\n  glute_bridge 3x10\n')
    assert dates(plan) == days(*range(10))


@pytest.mark.parametrize("count", range(1, 8))
def test_times_a_week_falls_on_the_documented_weekdays_every_week(count):
    # The phase starts on a Wednesday: the weekdays do not depend on the start date.
    plan = plan_of(f'phase "A" 3w {count}x/week:\n  glute_bridge 3x10\n', header='program "T"\nstart 2026-12-09\n')
    found = dates(plan)
    assert len(found) == 3 * count
    assert sorted({d.weekday() for d in found}) == list(WEEKLY_SPREAD[count])
    weeks = [sorted(d.weekday() for d in found if d.isocalendar().week == week) for week in (51, 52, 53)]
    assert weeks[1] == list(WEEKLY_SPREAD[count])  # the full week in the middle


@pytest.mark.parametrize("count", range(1, 8))
def test_times_a_week_spreads_sessions_and_keeps_rest_days_apart(count):
    weekdays = WEEKLY_SPREAD[count]
    gaps = [(weekdays[(i + 1) % count] - weekdays[i]) % 7 or 7 for i in range(count)]
    assert max(gaps) == -(-7 // count)  # as even as seven days allow
    rest = sorted(set(range(7)) - set(weekdays))
    if len(rest) <= count:  # two rest days in a row only when there are more rest days than sessions
        assert all((b - a) % 7 != 1 for a in rest for b in rest)


def test_times_a_week_is_shown_with_its_weekdays():
    plan = plan_of('phase "A" 1w 4 times a week:\n  glute_bridge 3x10\n')
    assert describe_frequency(plan.program.phases[0].frequency) == "4x/week (mon wed fri sun)"


def test_on_named_days_in_any_order_with_commas():
    plan = plan_of('phase "A" 2w:\n  session on fri, mon,wed:\n    glute_bridge 3x10\n')
    assert dates(plan) == days(0, 2, 4, 7, 9, 11)


@pytest.mark.parametrize("written", ["every 3 days", "every 3d"])
def test_every_n_days_counts_from_the_first_day_of_the_phase(written):
    plan = plan_of(f'phase "A" 5d daily:\n  bird_dog 3x8 each side\nphase "B" 10d {written}:\n  glute_bridge 3x10\n')
    assert dates(plan, "glute_bridge") == days(5, 8, 11, 14)


def test_the_innermost_frequency_wins():
    plan = plan_of(
        'phase "A" 2w daily:\n'
        '  session "S" on mon thu:\n'
        "    glute_bridge 3x10\n"
        "    bird_dog 3x8 each side every 4 days\n"
        '  session "T":\n'
        "    dead_bug 3x8 each side\n"
    )
    assert dates(plan, "glute_bridge") == days(0, 3, 7, 10)  # the session's
    assert dates(plan, "bird_dog") == days(0, 4, 8, 12)  # the line's
    assert dates(plan, "dead_bug") == days(*range(14))  # the phase's
    monday = [s for s in plan.sessions if s.date == MONDAY and s.session == "S"]
    assert [d.exercise.id for d in monday[0].exercises] == ["glute_bridge", "bird_dog"]


# ---- progressions --------------------------------------------------------------------


def test_progress_from_builds_to_the_written_dose_over_the_span():
    plan = plan_of('phase "A" 2w daily:\n  glute_bridge 3x12 progress from 8 over 2w\n')
    assert [low for low, _ in amounts(plan, "glute_bridge")] == [8, 8, 9, 9, 9, 10, 10, 10, 10, 11, 11, 11, 12, 12]


def test_progress_to_builds_from_the_written_dose_for_holds():
    plan = plan_of('phase "A" 1w daily:\n  plank 3x20s progress to 26s over 1w\n')
    assert amounts(plan, "plank") == [(n, n) for n in (20, 21, 22, 23, 24, 25, 26)]


def test_both_ends_of_a_range_move_together():
    plan = plan_of('phase "A" 1w daily:\n  glute_bridge 3x10-15 progress from 8 over 1w\n')
    found = amounts(plan, "glute_bridge")
    assert found[0] == (8, 13) and found[-1] == (10, 15)
    assert {high - low for low, high in found} == {5}


def test_rounding_is_half_up():
    # From 8 to 9 over 3 days: day 1 is exactly 8.5, which rounds up (not to even).
    plan = plan_of('phase "A" 3d daily:\n  glute_bridge 3x9 progress from 8 over 3d\n')
    assert [low for low, _ in amounts(plan, "glute_bridge")] == [8, 9, 9]
    plan = plan_of('phase "A" 3d daily:\n  glute_bridge 3x11 progress from 10 over 3d\n')
    assert [low for low, _ in amounts(plan, "glute_bridge")] == [10, 11, 11]


def test_the_dose_stays_at_the_end_value_after_the_span():
    plan = plan_of('phase "A" 2w daily:\n  glute_bridge 3x12 progress from 8 over 1w\n')
    assert [low for low, _ in amounts(plan, "glute_bridge")][6:] == [12] * 8


def test_a_span_longer_than_its_phase_never_reaches_the_end_value():
    plan = plan_of('phase "A" 2w daily:\n  glute_bridge 3x12 progress from 8 over 3w\n')
    found = [low for low, _ in amounts(plan, "glute_bridge")]
    assert found[-1] == 11  # 8 + 4 × 13/20 = 10.6
    assert max(found) < 12


def test_a_progression_works_over_its_own_sessions_from_its_own_phase_start():
    plan = plan_of(
        'phase "A" 1w daily:\n  bird_dog 3x8 each side\n'
        'phase "B" 2w on mon fri:\n  glute_bridge 3x12 progress from 8 over 2w\n'
    )
    sessions = [(s.date, s.exercises[0].amount.low) for s in plan.sessions if s.phase == "B"]
    # Four sessions in the span: the first has 8, the last 12, the two between a third and
    # two thirds of the way (9.33 and 10.67, rounded half up). v1 counted days and ended at 11.
    assert sessions == list(zip(days(7, 11, 14, 18), [8, 9, 11, 12]))


def test_without_a_progression_the_dose_is_as_written():
    plan = plan_of('phase "A" 1w daily:\n  glute_bridge 3x10-15 rest 60s\n')
    assert set(amounts(plan, "glute_bridge")) == {(10, 15)}


# The three cases of issue 12: v1's per-day formula gave doses the clinician never wrote.


def test_a_20_min_walk_on_tuesdays_and_saturdays_starts_at_20_min():
    plan = plan_of('phase "A" 3w on tue sat:\n  walking 20min progress to 30min over 3w\n')
    assert [low for low, _ in amounts(plan, "walking")] == [20, 22, 24, 26, 28, 30]  # v1: 21, 23, …, 30


def test_a_10_min_run_starts_at_10_min():
    plan = plan_of('phase "A" 3w on tue sat:\n  running 10min progress to 15min over 3w\n')
    found = [low for low, _ in amounts(plan, "running")]
    assert found[0] == 10 and found[-1] == 15  # v1: 11 on the first Tuesday


def test_a_plank_on_mon_wed_fri_ends_its_span_at_30_s():
    plan = plan_of('phase "A" 3w on mon wed fri:\n  plank 3x20s progress to 30s over 3w\n')
    found = [low for low, _ in amounts(plan, "plank")]
    assert found == [20, 21, 23, 24, 25, 26, 28, 29, 30]  # v1 ended the phase at 29 s
    assert dates(plan, "plank")[-1] == dt.date(2026, 12, 25)


# ---- v2 forms -----------------------------------------------------------------


def test_by_step_weekly_without_a_span_adds_one_step_each_week():
    plan = plan_of('phase "A" 4w on mon wed fri:\n  plank 3x20s progress to 30s by 5s weekly\n')
    assert [low for low, _ in amounts(plan, "plank")] == [20] * 3 + [25] * 3 + [30] * 6
    (line,) = [p for _, _, p in plan.program.prescriptions()]
    assert line.progression.days == 21 and line.progression.step == 5


def test_by_step_rounds_to_whole_steps_from_the_start():
    plan = plan_of('phase "A" 4w on mon wed fri:\n  plank 3x20s progress to 30s by 5s over 4w\n')
    found = [low for low, _ in amounts(plan, "plank")]
    assert set(found) == {20, 25, 30} and found[0] == 20 and found[-1] == 30
    assert found == sorted(found)


def test_weekly_changes_the_dose_only_when_a_week_begins():
    plan = plan_of('phase "A" 3w daily:\n  clam_shell 3x12 each side progress from 8 over 3w weekly\n')
    assert [low for low, _ in amounts(plan, "clam_shell")] == [8] * 7 + [10] * 7 + [12] * 7


def test_a_load_progression_moves_the_weight_in_half_kilograms():
    plan = plan_of(
        'phase "A" 4w on mon thu:\n  goblet_squat 3x8 load 8kg progress to load 12kg over 4w\n',
        header='program "T"\nstart 2026-12-07\nequipment mat, kettlebell\n',
    )
    weights = [d.load.amount for s in plan.sessions for d in s.exercises]
    assert weights == [8, 8.5, 9, 9.5, 10.5, 11, 11.5, 12]
    assert {d.load.unit for s in plan.sessions for d in s.exercises} == {"kg"}
    assert set(amounts(plan, "goblet_squat")) == {(8, 8)}


def test_a_load_progression_in_pounds_moves_in_whole_pounds():
    plan = plan_of(
        'phase "A" 2w on mon thu:\n  goblet_squat 3x8 load 20lb progress to load 25lb over 2w\n',
        header='program "T"\nstart 2026-12-07\nequipment mat, kettlebell\n',
    )
    assert [d.load.amount for s in plan.sessions for d in s.exercises] == [20, 22, 23, 25]


def test_a_band_progression_goes_through_the_colours_in_the_order_listed():
    plan = plan_of(
        'phase "A" 4w on mon thu:\n  glute_bridge 3x12 band yellow progress to band blue over 4w\n',
        header='program "T"\nstart 2026-12-07\nequipment mat, mini_band(yellow, green, blue)\n',
    )
    bands = [d.band for s in plan.sessions for d in s.exercises]
    assert bands == ["yellow"] * 2 + ["green"] * 4 + ["blue"] * 2


def test_sets_and_repetitions_progress_together():
    plan = plan_of('phase "A" 4w on mon thu:\n  glute_bridge 3x10 progress to 4x12 over 4w\n')
    found = [(d.sets, d.amount.low) for s in plan.sessions for d in s.exercises]
    assert found[0] == (3, 10) and found[-1] == (4, 12)
    assert found == sorted(found)


def test_a_taper_lowers_the_dose_evenly():
    plan = plan_of('phase "A" 1w daily:\n  glute_bridge 3x12 taper to 8 over 1w\n')
    assert [low for low, _ in amounts(plan, "glute_bridge")] == [12, 11, 11, 10, 9, 9, 8]


def test_a_taper_from_starts_high_and_comes_down_to_the_written_dose():
    plan = plan_of('phase "A" 2w daily:\n  glute_bridge 3x8 taper from 12 over 1w\n')
    found = [low for low, _ in amounts(plan, "glute_bridge")]
    assert found[0] == 12 and found[6:] == [8] * 8


# ---- the plan as a whole ----------------------------------------------------------------


def test_sessions_are_in_date_then_time_order_and_carry_their_times():
    plan = plan_of(
        'phase "A" 2d daily:\n'
        '  session "Evening" at 18:00:\n    glute_bridge 3x10\n'
        '  session "Morning" at 07:00:\n    bird_dog 3x8 each side\n'
        '  session "Any time":\n    dead_bug 3x8 each side\n',
    )
    assert [(s.date, s.session) for s in plan.sessions] == [
        (days(0)[0], "Any time"),
        (days(0)[0], "Morning"),
        (days(0)[0], "Evening"),
        (days(1)[0], "Any time"),
        (days(1)[0], "Morning"),
        (days(1)[0], "Evening"),
    ]
    assert [s.time for s in plan.sessions[:3]] == [None, dt.time(7, 0), dt.time(18, 0)]


def test_session_time_wins_over_the_program_time():
    plan = plan_of(
        'phase "A" 1d daily:\n  session "S" at 18:00:\n    glute_bridge 3x10\n  session "T":\n    bird_dog 3x8 each side\n',
        header='program "T"\nstart 2026-12-07\ntime 07:30\nequipment mat\n',
    )
    assert {s.session: s.time for s in plan.sessions} == {"S": dt.time(18, 0), "T": dt.time(7, 30)}


def test_phases_follow_one_another():
    plan = plan_of('phase "A" 10d daily:\n  glute_bridge 3x10\nphase "B" 2w daily:\n  bird_dog 3x8 each side\n')
    assert [(p.start, p.end) for p in plan.phases] == [(days(0)[0], days(9)[0]), (days(10)[0], days(23)[0])]
    assert plan.end == days(23)[0]


def test_the_plan_is_immutable_and_lists_the_exercises_used_once_by_id():
    plan = plan_of(
        'phase "A" 1w daily:\n  glute_bridge 3x10\n  bird_dog 3x8 each side\nphase "B" 1w daily:\n  glute_bridge 3x12\n'
    )
    assert [e.id for e in plan.exercises] == ["bird_dog", "glute_bridge"]
    with pytest.raises(AttributeError):
        plan.sessions[0].date = MONDAY  # type: ignore[misc]
    assert isinstance(plan.sessions, tuple) and isinstance(plan.sessions[0].exercises, tuple)


def test_session_keys_come_from_names_not_dates():
    plan = plan_of(
        'phase "Build Up" 1w daily:\n  session "Morning Core":\n    dead_bug 3x8 each side\n  session on mon:\n    glute_bridge 3x10\n'
    )
    assert {s.key for s in plan.sessions} == {"build-up/morning-core", "build-up/session-2"}


def test_allows_keep_their_reason_and_where_they_were_made():
    plan = plan_of(
        'phase "A" 1w daily:\n  glute_bridge 3x10 allow S102 "Reviewed in clinic"\n',
        header='program "T"\nstart 2026-12-07\nequipment mat\nallow S104 "Short rests are fine for her"\n',
    )
    assert [(a.code, a.reason, a.where) for a in plan.allows] == [
        ("S104", "Short rests are fine for her", "program"),
        ("S102", "Reviewed in clinic", "line 6 (glute_bridge)"),
    ]


def test_start_comes_from_the_program_then_the_argument_then_the_next_monday(monkeypatch):
    body = 'phase "A" 1w daily:\n  glute_bridge 3x10\n'
    assert plan_of(body, start=dt.date(2027, 1, 1)).start == MONDAY
    undated = 'program "T"\nequipment mat\n'
    assert plan_of(body, header=undated, start=dt.date(2027, 1, 1)).start == dt.date(2027, 1, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 12, 9, tzinfo=dt.UTC).timestamp())))
    assert plan_of(body, header=undated).start == dt.date(2026, 12, 14)
    assert default_start(dt.date(2026, 12, 7)) == dt.date(2026, 12, 14)  # a Monday gives the one after


@pytest.mark.parametrize(
    "name, stem", [("glutes.prog", "glutes"), ("dir/back.v2.prog", "back.v2"), (".prog", "program")]
)
def test_plan_name_is_the_file_stem(name, stem):
    result = loads('program "T"\nequipment mat\nphase "A" 1w daily:\n  glute_bridge 3x10\n', name)
    assert build_plan(result.program).name == stem


# ---- the progression rule, for any program ----------------------------------------

# (exercise, dose written as `3x{n}{unit}`, smallest and largest amount)
_LINES = {"reps": ("glute_bridge", "", 5, 25), "hold": ("plank", "s", 10, 60), "bout": ("walking", "min", 10, 40)}
_FREQUENCIES = st.sampled_from(
    ["daily", "on mon wed fri", "on tue sat", "3x/week", "5x/week", "every 2 days", "every 3 days"]
)


@st.composite
def progressions(draw):
    kind = draw(st.sampled_from(sorted(_LINES)))
    exercise, unit, low, high = _LINES[kind]
    written = draw(st.integers(low, high))
    other = draw(st.integers(low, high).filter(lambda n: n != written))
    taper = draw(st.booleans())
    direction = draw(st.sampled_from(["from", "to"]))
    # A taper goes down, a progression up: the end is the larger value for `progress`.
    start, end = (other, written) if direction == "from" else (written, other)
    if (end < start) != taper:
        start, end = end, start
        written, other = (end, start) if direction == "from" else (start, end)
    phase_days = draw(st.integers(7, 42))
    span = draw(st.integers(2, phase_days + 14))
    weekly = span > 7 and draw(st.booleans())
    by = f" by {draw(st.integers(1, 4))}{unit}" if draw(st.booleans()) else ""
    dose = f"{written}{unit}" if kind == "bout" else f"3x{written}{unit}"
    verb = "taper" if taper else "progress"
    line = f"{exercise} {dose} {verb} {direction} {other}{unit}{by} over {span}d{' weekly' if weekly else ''}"
    frequency = draw(_FREQUENCIES)
    first = MONDAY + dt.timedelta(days=draw(st.integers(0, 6)))
    text = f'program "P"\nstart {first.isoformat()}\nequipment mat\nphase "A" {phase_days}d {frequency}:\n  {line}\n'
    return text, exercise, start, end, span, taper


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(progressions())
def test_every_span_starts_at_the_start_ends_at_the_end_and_moves_one_way(case):
    text, exercise, start, end, span, taper = case
    result = loads(text, "p.prog")
    assert result.program is not None, [f"{d.code} {d.message}" for d in result.errors]
    plan = build_plan(result.program)
    phase_start = plan.phases[0].start
    doses = [(s.date, d.amount.low) for s in plan.sessions for d in s.exercises if d.exercise.id == exercise]
    inside = [amount for date, amount in doses if (date - phase_start).days < span]
    amounts_ = [amount for _, amount in doses]
    # A span without any of the line's sessions (S290 warns) leaves the line at its end.
    assert (inside[0] if inside else amounts_[0]) == (start if inside else end), text
    (line,) = [p for _, _, p in result.program.prescriptions()]
    dates_in_span = [date for date in dates(plan, exercise) if (date - phase_start).days < span]
    if span <= plan.phases[0].phase.days and len(dates_in_span) > 1:
        assert inside[-1] == end, text
    assert all(min(start, end) <= amount <= max(start, end) for amount in amounts_), text
    pairs = list(zip(amounts_, amounts_[1:]))
    assert all(b <= a for a, b in pairs) if taper else all(a <= b for a, b in pairs), text
    if span <= plan.phases[0].phase.days:
        assert all(amount == end for date, amount in doses if (date - phase_start).days >= span), text
    assert line.progression.taper == taper
