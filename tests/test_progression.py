"""Language v2 progressions: each form's diagnostics (code, line, message), and the rules
that read progressions (S201, S203, S204, S205, S290) on the new forms."""

from __future__ import annotations

import pytest

from progdsl import loads

HEADER = 'program "T"\nstart 2026-12-07\nequipment mat, dumbbell, mini_band(yellow, green, blue), resistance_band(red, black)\n'


def check(line: str, phase: str = 'phase "A" 4w on mon thu:') -> list[tuple[str, int, str]]:
    result = loads(f"{HEADER}{phase}\n  {line}\n", "t.prog")
    return [(d.code, d.span.line, d.message) for d in result.diagnostics]


def codes(line: str, **kw) -> list[tuple[str, int]]:
    return [(code, line_no) for code, line_no, _ in check(line, **kw)]


@pytest.mark.parametrize(
    "line",
    [
        "plank 3x20s rest 60s progress to 30s by 5s weekly",
        "plank 3x20s rest 60s progress to 30s by 5s over 4w",
        "clam_shell 3x12 each side rest 30-60s progress from 10 over 4w weekly",
        "biceps_curl 3x10 each side load 3kg rest 60s progress to load 4kg over 4w",
        "biceps_curl 3x10 each side load 6lb rest 60s progress to load 8lb by 1lb over 4w",
        "glute_bridge 3x12 band yellow rest 60s progress to band green over 4w",
        "glute_bridge 3x10 rest 60s progress to 4x12 over 4w",
        "glute_bridge 3x12 rest 60s taper to 10 over 2w",
        "glute_bridge 3x10 rest 60s taper from 12 over 2w",
        "glute_bridge 3x12 band green rest 60s taper to band yellow over 4w weekly",
    ],
)
def test_each_new_form_checks_clean(line):
    assert check(line) == []


@pytest.mark.parametrize(
    ("line", "code", "words"),
    [
        ("plank 3x20s rest 60s progress to 30s by 5 weekly", "E170", "`by 5` is not a step in seconds"),
        ("plank 3x20s rest 60s progress to 30s by 0s weekly", "E170", "`by 0s` is not a step in seconds"),
        ("walking 20min progress to 30min by 30s weekly", "E170", "does not come to whole minutes"),
        (
            "glute_bridge 3x12 band yellow progress to band blue by 1 over 4w",
            "E170",
            "a band progression moves one colour at a time",
        ),
        ("glute_bridge 3x10 progress to 12", "E171", "this `progress` does not say how long it runs"),
        ("glute_bridge 3x10 progress to 12 by 1", "E171", "does not say how long it runs"),
        ("glute_bridge 3x12 taper to 10", "E171", "this `taper` does not say how long it runs"),
        ("glute_bridge 3x10 progress to 12 over 1w weekly", "E172", "never reaches a second week"),
        ("biceps_curl 3x10 each side progress to load 4kg over 4w", "E173", "needs the weight it starts from"),
        (
            "biceps_curl 3x10 each side bodyweight progress to load 4kg over 4w",
            "E173",
            "this line says `bodyweight`",
        ),
        ("biceps_curl 3x10 each side load 3kg progress to load 9lb over 4w", "E173", "in kg, and this progression"),
        ("biceps_curl 3x10 each side load 3kg progress to load 4 over 4w", "E101", "expected a weight"),
        ("biceps_curl 3x10 each side load 3kg progress to load 0kg over 4w", "E211", "more than zero"),
        ("glute_bridge 3x12 progress to band blue over 4w", "E174", "needs the band it starts from"),
        ("glute_bridge 3x12 band yellow progress to band purple over 4w", "E174", "`purple` is not one of them"),
        ("glute_bridge 3x12 band yellow progress to band red over 4w", "E174", "colours of different bands"),
        ("glute_bridge 3x12 taper to 14 over 2w", "E175", "raises it: from 12 repetitions to 14 repetitions"),
        ("glute_bridge 3x12 band yellow taper to band blue over 2w", "E175", "from yellow band to blue band"),
        ("glute_bridge 3x10 progress to 0x12 over 4w", "E176", "cannot reach 0 sets"),
        ("glute_bridge 3x10 progress to 4x12 by 1 over 4w", "E176", "moves by whole sets and repetitions"),
    ],
)
def test_each_misuse_is_reported_on_its_line(line, code, words):
    found = check(line)
    assert [(c, n) for c, n, _ in found] == [(code, 5)], found
    assert words in found[0][2]


def test_a_band_progression_suggests_a_close_colour():
    result = loads(
        f'{HEADER}phase "A" 4w on mon thu:\n  glute_bridge 3x12 band yellow progress to band blu over 4w\n', "t"
    )
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == "E174" and "`blue`" in (diagnostic.help or "")


def test_a_decreasing_progress_stays_an_error_for_every_form():
    assert codes("glute_bridge 3x12 rest 60s progress to 8 over 2w") == [("S203", 5)]
    assert codes("glute_bridge 3x12 band green rest 60s progress to band yellow over 4w") == [("S203", 5)]
    assert codes("biceps_curl 3x10 each side load 4kg rest 60s progress to load 3kg over 4w") == [("S203", 5)]
    assert codes("glute_bridge 3x12 rest 60s progress to 2x12 over 4w") == [("S203", 5)]
    assert "write `taper`" in (
        loads(f'{HEADER}phase "A" 4w on mon thu:\n  glute_bridge 3x12 rest 60s progress to 8 over 2w\n', "t")
        .diagnostics[0]
        .help
        or ""
    )


def test_a_taper_is_not_a_decreasing_progression():
    assert codes("glute_bridge 3x12 rest 60s taper to 8 over 2w") == []


def test_a_weekly_step_steeper_than_the_limit_warns():
    found = check("plank 3x20s rest 60s progress to 30s by 10s weekly")
    assert [(c, n) for c, n, _ in found] == [("S201", 5)]
    assert "50% in the first week" in found[0][2]


def test_a_span_longer_than_its_phase_says_what_each_form_reaches():
    found = check("plank 3x20s rest 60s progress to 30s over 4w", phase='phase "A" 2w on mon wed fri:')
    assert [(c, n) for c, n, _ in found] == [("S204", 5)]
    assert "reaches 25 s, not 30 s" in found[0][2]
    found = check(
        "glute_bridge 3x12 band yellow rest 60s progress to band blue over 8w", phase='phase "A" 2w on mon thu:'
    )
    assert [(c, n) for c, n, _ in found] == [("S204", 5)]
    assert "reaches yellow band, not blue band" in found[0][2]


def test_a_flat_band_progression_warns():
    assert codes("glute_bridge 3x12 band green rest 60s progress to band green over 4w") == [("S205", 5)]


def test_a_span_with_fewer_than_two_sessions_warns():
    found = check("walking 20min progress to 22min over 3d", phase='phase "A" 3w on tue sat:')
    assert [(c, n) for c, n, _ in found] == [("S290", 5)]
    assert "holds one of the sessions" in found[0][2]
    assert codes("walking 20min progress to 22min over 3w", phase='phase "A" 3w on tue sat:') == []


# ---- what the outputs show ------------------------------------------------------------

OUTPUTS = f"""{HEADER}phase "Build" 3w on mon wed fri:
  plank 3x20s rest 60s progress to 30s by 5s weekly
  biceps_curl 3x10 each side load 3kg rest 60s progress to load 4kg over 3w
  glute_bridge 3x12 band yellow rest 60s progress to band blue over 3w
"""


def built():
    from progdsl.plan import build_plan

    result = loads(OUTPUTS, "outputs.prog")
    assert result.ok, [d.message for d in result.errors]
    return build_plan(result.program)


def test_the_handout_table_shows_the_dose_of_each_week():
    from progdsl.backends.handout import build_handout

    handout = build_handout(built())
    plank, curl, bridge = handout.phases[0].sessions[0].rows
    assert [row.amounts for row in plank.progression.rows] == [
        ("20", "20", "20"),
        ("25", "25", "25"),
        ("30", "30", "30"),
    ]
    assert plank.progression.unit == "seconds" and plank.progression.end == "30"
    assert curl.progression.unit == "kg" and (curl.progression.start, curl.progression.end) == ("3", "4")
    assert bridge.progression.rows[0].amounts[0] == "yellow" and bridge.progression.end == "blue"
    assert bridge.progression.reached is not None
    bridge_card = next(card for card in handout.cards if card.number == bridge.card)
    assert "Mini band (yellow, green, blue)" in bridge_card.equipment


def test_the_calendar_gives_each_day_its_own_dose():
    from icalendar import Calendar

    from progdsl.backends import RenderOptions
    from progdsl.backends.ics import IcsBackend

    calendar = Calendar.from_ical(IcsBackend().render(built(), RenderOptions()))
    descriptions = [str(event.get("description")) for event in calendar.walk("VEVENT")]
    assert "3 × 20 s" in descriptions[0] and "3 kg" in descriptions[0] and "yellow band" in descriptions[0]
    assert "3 × 30 s" in descriptions[-1] and "4 kg" in descriptions[-1] and "blue band" in descriptions[-1]


def test_the_plan_table_gives_each_day_its_own_dose(tmp_path):
    from click.testing import CliRunner

    from progdsl.cli import main

    path = tmp_path / "outputs.prog"
    path.write_text(OUTPUTS, encoding="utf-8")
    outcome = CliRunner().invoke(main, ["plan", str(path)], terminal_width=200)
    assert outcome.exit_code == 0, outcome.output
    assert "3 × 20 s" in outcome.output and "3 × 25 s" in outcome.output and "3 × 30 s" in outcome.output
    assert "3.5 kg" in outcome.output and "green band" in outcome.output


def test_a_missing_step_after_by_is_explained():
    result = loads(f'{HEADER}phase "A" 4w on mon thu:\n  plank 3x20s progress to 30s by\n', "t.prog")
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == "E101" and diagnostic.span.line == 5
    assert diagnostic.message.endswith("expected a step such as 5s, 2 or 1kg")
