"""Language v2's everyday forms: per-day sessions, alternate days, weekdays, distance and
steps, held repetitions, RPE, pain limits, one side only, circuits, `affected` and `log`.

Each form is followed through check, plan, JSON, the calendar (read back with icalendar)
and the handout's text; each misuse has its code, line and message."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from icalendar import Calendar

from progdsl import loads
from progdsl.backends import RenderOptions
from progdsl.backends.handout import build_handout
from progdsl.backends.ics import IcsBackend
from progdsl.backends.json import JsonBackend, schema_text
from progdsl.plan import build_plan

HEADER = 'program "T"\nstart 2026-12-07\nequipment chair, mat, step\n'


def checked(text: str):
    result = loads(text, "t.prog")
    assert result.ok, [(d.code, d.span.line, d.message) for d in result.errors]
    return result


def plan_of(text: str):
    return build_plan(checked(text).program)


def only_diagnostic(text: str):
    result = loads(text, "t.prog")
    errors = list(result.errors)
    assert len(errors) == 1, [(d.code, d.span.line, d.message) for d in errors]
    return errors[0]


def document(plan) -> dict:
    import jsonschema

    data = json.loads(JsonBackend().render(plan, RenderOptions()))
    jsonschema.validate(data, json.loads(schema_text()))
    return data


def events(plan) -> list:
    calendar = Calendar.from_ical(IcsBackend().render(plan, RenderOptions()))
    return list(calendar.walk("VEVENT"))


# ---- frequencies --------------------------------------------------------------


@pytest.mark.parametrize("written", ["3x/day", "3 times a day", "3 times daily", "3x / day"])
def test_a_per_day_session_is_planned_at_each_of_its_spread_times(written):
    plan = plan_of(HEADER + f'phase "A" 1w:\n  session "Neck" {written}:\n    chin_tuck 2x10\n')
    first_day = [s for s in plan.sessions if s.date == dt.date(2026, 12, 7)]
    assert [s.time for s in first_day] == [dt.time(8), dt.time(14), dt.time(20)]
    assert [s.occurrence for s in first_day] == [1, 2, 3]
    assert len(plan.sessions) == 21  # daily: no frequency means every day


def test_twice_daily_takes_its_days_from_the_enclosing_frequency_and_its_times_from_at():
    plan = plan_of(HEADER + 'phase "A" 1w on mon wed:\n  session twice daily at 07:00, 19:30:\n    chin_tuck 2x10\n')
    assert [(s.date.weekday(), s.time) for s in plan.sessions] == [
        (0, dt.time(7)),
        (0, dt.time(19, 30)),
        (2, dt.time(7)),
        (2, dt.time(19, 30)),
    ]


def test_several_times_make_a_per_day_session_and_one_time_starts_the_spread():
    plan = plan_of(HEADER + 'phase "A" 1d daily:\n  session daily at 09:00, 17:00:\n    chin_tuck 2x10\n')
    assert [s.time for s in plan.sessions] == [dt.time(9), dt.time(17)]
    plan = plan_of(HEADER + 'phase "A" 1d daily:\n  session 2x/day at 09:00:\n    chin_tuck 2x10\n')
    assert [s.time for s in plan.sessions] == [dt.time(9), dt.time(21)]


def test_a_per_day_session_reaches_json_the_calendar_the_plan_table_and_the_log():
    plan = plan_of(HEADER + 'phase "A" 2d:\n  session "Neck" 2x/day:\n    chin_tuck 2x10\n')
    data = document(plan)
    assert data["phases"][0]["sessions"][0]["per_day"] == 2
    assert data["phases"][0]["sessions"][0]["times"] == ["08:00", "20:00"]
    assert [(s["time"], s["occurrence"], s["key"]) for s in data["schedule"][:2]] == [
        ("08:00", 1, "a/neck"),
        ("20:00", 2, "a/neck/2"),
    ]
    found = events(plan)
    assert [e.decoded("dtstart").time() for e in found] == [dt.time(8), dt.time(20)] * 2
    assert len({str(e["UID"]) for e in found}) == 4
    log = build_handout(plan).log
    assert [mark.name for mark in log[0].days[0].sessions] == ["Neck 08:00", "Neck 20:00"]
    section = build_handout(plan).phases[0].sessions[0]
    assert section.when == "Every day, twice a day" and section.time == "08:00 and 20:00"


@pytest.mark.parametrize("written", ["every other day", "alternate days"])
def test_every_other_day_is_every_two_days(written):
    plan = plan_of(HEADER + f'phase "A" 1w {written}:\n  chin_tuck 2x10\n')
    assert [s.date.day for s in plan.sessions] == [7, 9, 11, 13]


def test_weekdays_and_five_days_a_week():
    plan = plan_of(HEADER + 'phase "A" 1w weekdays:\n  chin_tuck 2x10\n')
    assert [s.date.weekday() for s in plan.sessions] == [0, 1, 2, 3, 4]
    plan = plan_of(HEADER + 'phase "A" 1w 5 days a week:\n  chin_tuck 2x10\n')
    assert len(plan.sessions) == 5
    assert document(plan)["phases"][0]["frequency"]["count"] == 5


# ---- doses --------------------------------------------------------------------


def test_distance_and_steps_are_doses_of_an_exercise_done_as_a_bout():
    plan = plan_of(
        HEADER + 'phase "A" 1d daily:\n  session daily:\n    walking 2km\n    walking 800m\n    walking 3000 steps\n'
    )
    doses = plan.sessions[0].exercises
    assert [(d.kind.value, d.amount.low) for d in doses] == [("distance", 2000), ("distance", 800), ("steps", 3000)]
    data = document(plan)["schedule"][0]["exercises"]
    assert [d["dose"] for d in data] == ["2 km", "800 m", "3,000 steps"]
    assert data[0]["distance_m"] == [2000, 2000] and data[2]["steps"] == [3000, 3000]
    assert "Walking — 2 km" in str(events(plan)[0]["DESCRIPTION"])
    cards = build_handout(plan).phases[0].sessions[0].rows
    assert [card.dose for card in cards] == ["2 km", "800 m", "3,000 steps"]


def test_steps_as_the_repetitions_of_a_repeated_exercise():
    plan = plan_of(HEADER + 'phase "A" 1d daily:\n  tandem_walk 4x10 steps\n')
    dose = plan.sessions[0].exercises[0]
    assert (dose.kind.value, dose.sets, dose.amount.low, dose.steps) == ("reps", 4, 10, True)
    assert document(plan)["schedule"][0]["exercises"][0]["dose"] == "4 × 10 steps"
    assert build_handout(plan).phases[0].sessions[0].rows[0].dose == "4 sets of 10 steps"


def test_repetitions_each_held_for_a_repeated_exercise():
    plan = plan_of(HEADER + 'phase "A" 1d daily:\n  abdominal_bracing 10x10s\n')
    dose = plan.sessions[0].exercises[0]
    assert (dose.sets, dose.amount.low, dose.hold_per_rep_s.low) == (1, 10, 10)
    assert document(plan)["schedule"][0]["exercises"][0]["hold_per_rep_s"] == [10, 10]
    assert build_handout(plan).phases[0].sessions[0].rows[0].dose == "10 repetitions, each held 10 s"


def test_the_plan_table_shows_each_time_and_a_circuit_as_one_block():
    from rich.console import Console

    from progdsl.terminal import plan_view

    console = Console(width=200, record=True)
    console.print(plan_view(plan_of(CIRCUIT.replace('"Balance":', '"Balance" 2x/day at 09:00, 17:00:')), plain=True))
    text = console.export_text()
    assert "Balance: on mon wed fri, twice a day, at 09:00 and 17:00" in text
    assert 'Circuit "Legs": 3 rounds, rest 60 s between rounds' in text
    assert "  Sit to stand 10 a round" in text
    assert "09:00" in text and "17:00" in text


def test_a_distance_on_a_repeated_exercise_is_refused():
    found = only_diagnostic(HEADER + 'phase "A" 1w:\n  session daily:\n    sit_to_stand 2km\n')
    assert (found.code, found.span.line) == ("E202", 6)
    assert "not prescribed as `2km`" in found.message


def test_a_hold_beside_held_repetitions_is_refused():
    found = only_diagnostic(HEADER + 'phase "A" 1w daily:\n  abdominal_bracing 10x10s hold 5s\n')
    assert (found.code, found.span.line) == ("E188", 5)
    assert "already holds each repetition" in found.message


# ---- modifiers ----------------------------------------------------------------


def test_rpe_and_a_pain_limit_print_with_the_dose_and_reach_the_json_and_the_log():
    plan = plan_of(HEADER + 'log falls\nphase "A" 1d daily:\n  walking 20min rpe 6-7 pain up to 3/10\n')
    dose = plan.sessions[0].exercises[0]
    data = document(plan)["schedule"][0]["exercises"][0]
    assert data["dose"] == "20 min, RPE 6–7, pain up to 3/10"
    assert data["rpe"] == [6, 7] and data["pain_limit"] == 3
    assert "RPE 6–7, pain up to 3/10" in str(events(plan)[0]["DESCRIPTION"])
    handout = build_handout(plan)
    assert handout.phases[0].sessions[0].rows[0].dose.endswith("effort 6–7 out of 10 · pain up to 3 out of 10 is fine")
    # `log falls` alone, but a line limits pain: the log asks for pain as well
    assert [(c.item, c.heading) for c in handout.log_columns] == [("pain", "Pain 0–10"), ("falls", "Falls")]
    assert dose.rpe.low == 6


@pytest.mark.parametrize(
    ("line", "code", "message"),
    [
        ("walking 20min rpe 12", "E186", "off the 0–10 effort scale"),
        ("walking 20min pain up to 11/10", "E187", "off the 0–10 pain scale"),
        ("walking 20min pain up to 3/5", "E187", "not out of 5"),
    ],
)
def test_effort_and_pain_off_their_scales_are_refused(line, code, message):
    found = only_diagnostic(HEADER + f'phase "A" 1w:\n  session daily:\n    {line}\n')
    assert (found.code, found.span.line) == (code, 6)
    assert message in found.message


def test_one_side_only_says_which_side_everywhere():
    text = (
        HEADER
        + 'affected right\nphase "A" 1d daily:\n  neck_rotation 2x10 left\n  straight_leg_raise 2x10 affected side\n  step_up 2x8 other side\n'
    )
    result = checked(text)
    assert "S506" not in [d.code for d in result.diagnostics]  # a side is as clear as `each side`
    plan = build_plan(result.program)
    assert [d.side.value for d in plan.sessions[0].exercises] == ["left", "right", "left"]
    data = document(plan)
    assert [d["side"] for d in data["schedule"][0]["exercises"]] == ["left", "right", "left"]
    assert data["program"]["affected"] == "right"
    assert "Neck turns — 2 × 10, left side only" in str(events(plan)[0]["DESCRIPTION"])
    assert build_handout(plan).phases[0].sessions[0].rows[1].dose == "2 sets of 10 · right side only"


def test_a_side_on_an_exercise_that_works_both_sides_is_refused():
    found = only_diagnostic(HEADER + 'phase "A" 1w:\n  session daily:\n    chin_tuck 2x10 left side\n')
    assert (found.code, found.span.line, found.span.col) == ("E183", 6, 20)
    assert found.message == "Chin tuck works both sides at once, so `left side` does not apply"


def test_affected_side_without_the_header_is_refused():
    found = only_diagnostic(HEADER + 'phase "A" 1w:\n  session daily:\n    neck_rotation 2x10 affected side\n')
    assert (found.code, found.span.line) == ("E184", 6)
    assert "needs the header to say which side is affected" in found.message


def test_an_affected_line_that_names_no_side_is_refused():
    found = only_diagnostic(HEADER + 'affected both\nphase "A" 1w daily:\n  chin_tuck 2x10\n')
    assert (found.code, found.span.line) == ("E185", 4)


# ---- per-day misuse -----------------------------------------------------------


@pytest.mark.parametrize(
    ("session", "code", "message"),
    [
        ("session 0x/day:", "E180", "0 times a day"),
        ("session 13 times a day:", "E180", "13 times a day"),
        ("session 3x/day at 08:00, 18:00:", "E182", "but `at` gives 2 times"),
        ("session daily at 18:00, 08:00:", "E182", "from the earliest to the latest"),
        ("session 3x/day at 15:00:", "E182", "runs past midnight"),
    ],
)
def test_per_day_misuse_is_refused(session, code, message):
    found = only_diagnostic(HEADER + f'phase "A" 1w:\n  {session}\n    chin_tuck 2x10\n')
    assert (found.code, found.span.line) == (code, 5)
    assert message in found.message


def test_times_a_day_on_an_exercise_line_is_refused():
    found = only_diagnostic(HEADER + 'phase "A" 1w:\n  session daily:\n    chin_tuck 2x10 2x/day\n')
    assert (found.code, found.span.line) == ("E181", 6)
    assert "belongs on the session" in found.message


# ---- circuits -----------------------------------------------------------------

CIRCUIT = (
    HEADER + 'phase "A" 1w on mon wed fri:\n'
    '  session "Balance":\n'
    '    circuit "Legs" 3 rounds rest 60s:\n'
    "      sit_to_stand 10\n"
    "      plank 30s\n"
    "    chin_tuck 2x10\n"
)


def test_a_circuit_prints_as_one_block_with_its_rounds_everywhere():
    result = checked(CIRCUIT)
    assert "S102" not in [d.code for d in result.diagnostics]  # 3 rounds of one set are 3 sets
    plan = build_plan(result.program)
    first = plan.sessions[0].exercises
    assert [d.circuit.rounds if d.circuit else None for d in first] == [3, 3, None]
    data = document(plan)
    assert data["schedule"][0]["exercises"][0]["circuit"] == {
        "name": "Legs",
        "rounds": 3,
        "rest_s": [60, 60],
        "number": 1,
    }
    assert data["schedule"][0]["exercises"][0]["dose"] == "10 a round"
    description = str(events(plan)[0]["DESCRIPTION"])
    assert (
        'Circuit "Legs": 3 rounds, rest 60 s between rounds\n  Sit to stand — 10 a round\n  Plank — 30 s a round\nChin tuck'
        in description
    )
    cards = build_handout(plan).phases[0].sessions[0].rows
    assert [card.circuit.title if card.circuit else None for card in cards] == [
        'Circuit "Legs": 3 rounds, rest 60 s between rounds',
        'Circuit "Legs": 3 rounds, rest 60 s between rounds',
        None,
    ]
    assert cards[0].dose == "10 repetitions each round"


def test_the_handout_prints_the_circuit_heading_once():
    import html

    from progdsl.backends.html import HtmlBackend

    page = html.unescape(HtmlBackend().render(plan_of(CIRCUIT), RenderOptions()).decode())
    assert page.count('Circuit "Legs": 3 rounds') == 1
    assert "Do these one after another, 3 times over, resting 60 s between rounds." in page


@pytest.mark.parametrize(
    ("block", "code", "line", "message"),
    [
        ("circuit 0 rounds:\n      sit_to_stand 10\n", "E189", 6, "0 rounds is not possible"),
        (
            'circuit 3 rounds:\n      session "X":\n        sit_to_stand 10\n',
            "E190",
            7,
            "a session cannot stand inside a circuit",
        ),
        ("circuit 3 rounds:\n      circuit 2 rounds:\n        sit_to_stand 10\n", "E190", 7, "a circuit cannot stand"),
        ("circuit 3 rounds:\n      sit_to_stand 10 on mon\n", "E191", 7, "its own frequency"),
    ],
)
def test_circuit_misuse_is_refused(block, code, line, message):
    found = only_diagnostic(HEADER + f'phase "A" 1w on mon wed fri:\n  session "S":\n    {block}')
    assert (found.code, found.span.line) == (code, line)
    assert message in found.message


# ---- the tracking log -----------------------------------------------------------


def test_log_lines_choose_the_log_columns_and_pain_is_the_default():
    plan = plan_of(HEADER + 'log pain\nlog falls\nlog "Steps walked"\nphase "A" 1d daily:\n  chin_tuck 2x10\n')
    assert [c.heading for c in build_handout(plan).log_columns] == ["Pain 0–10", "Falls", "Steps walked"]
    assert document(plan)["program"]["log"] == [
        {"item": "pain", "text": "Pain 0–10"},
        {"item": "falls", "text": "Falls"},
        {"item": None, "text": "Steps walked"},
    ]
    plain = plan_of(HEADER + 'phase "A" 1d daily:\n  chin_tuck 2x10\n')
    assert [c.heading for c in build_handout(plain).log_columns] == ["Pain 0–10"]
    only_falls = plan_of(HEADER + 'log falls\nphase "A" 1d daily:\n  chin_tuck 2x10\n')
    assert [c.item for c in build_handout(only_falls).log_columns] == ["falls"]


def test_an_unknown_or_repeated_log_item_is_refused():
    found = only_diagnostic(HEADER + 'log fall\nphase "A" 1d daily:\n  chin_tuck 2x10\n')
    assert (found.code, found.span.line) == ("E192", 4)
    assert "did you mean `falls`?" in found.help
    found = only_diagnostic(HEADER + 'log pain\nlog pain\nphase "A" 1d daily:\n  chin_tuck 2x10\n')
    assert (found.code, found.span.line) == ("E192", 5)


def test_a_circuits_notes_and_allows_belong_to_its_session():
    text = CIRCUIT.replace(
        "      plank 30s\n", '      plank 30s\n      note "Sit down between rounds"\n      allow S302 "Light work"\n'
    )
    session = checked(text).program.phases[0].sessions[0]
    assert [n.text for n in session.notes] == ["Sit down between rounds"]
    assert [a.code for a in session.allows] == ["S302"]


@pytest.mark.parametrize(
    ("phase", "line", "dose", "days"),
    [
        ("1w every other day", "chin_tuck 2x10", "2 × 10", [7, 9, 11, 13]),
        ("1w alternate days", "walking 800m", "800 m", [7, 9, 11, 13]),
        ("1w weekdays", "tandem_walk 4x10 steps", "4 × 10 steps", [7, 8, 9, 10, 11]),
        ("1w 5 days a week", "abdominal_bracing 10x10s", "1 × 10, hold 10 s", [7, 8, 10, 11, 12]),
    ],
)
def test_each_frequency_and_dose_reaches_the_calendar(phase, line, dose, days):
    plan = plan_of(HEADER + f'phase "A" {phase}:\n  {line}\n')
    found = events(plan)
    assert [e.decoded("dtstart").day for e in found] == days
    assert all(f"— {dose}" in str(e["DESCRIPTION"]) for e in found)
    frequency = document(plan)["phases"][0]["frequency"]
    assert frequency["form"] in ("every_n_days", "on_days", "times_a_week")


def test_a_second_affected_line_is_refused():
    found = only_diagnostic(HEADER + 'affected left\naffected right\nphase "A" 1w daily:\n  chin_tuck 2x10\n')
    assert (found.code, found.span.line, found.message) == ("E112", 5, "`affected` is given twice")
