"""The safety rules, one by one: each firing (code and line) and not firing."""

from __future__ import annotations

import textwrap

import pytest
from support import day_dose

from progdsl import loads
from progdsl.plan import DayDose, estimated_seconds, tempo_seconds
from progdsl.registry import builtin_registry
from progdsl.rules import CheckOptions
from progdsl.units import Range


def diagnostics(text: str, **options):
    return loads(textwrap.dedent(text).lstrip("\n"), "t.prog", options=CheckOptions(**options)).diagnostics


def found(text: str, **options) -> list[tuple[str, int]]:
    """(code, line) of every diagnostic."""
    return [(d.code, d.span.line) for d in diagnostics(text, **options)]


def lines(code: str, text: str) -> list[int]:
    """The lines where `code` is reported."""
    return [line for c, line in found(text) if c == code]


def one_line(
    exercise: str, *, header: str = "equipment mat", frequency: str = "on mon wed fri", length: str = "2w"
) -> str:
    """A program whose only exercise line is line 5."""
    return f'program "T"\n{header}\nphase "A" {length}:\n  session {frequency}:\n    {exercise}\n'


def message(code: str, text: str) -> str:
    (diagnostic,) = [d for d in diagnostics(text) if d.code == code]
    return diagnostic.message + " | " + (diagnostic.help or "")


# ---- S1xx ranges ----------------------------------------------------------------


def test_a_huge_dose_is_an_error_for_sets_and_for_repetitions():
    assert lines("S101", one_line("glute_bridge 50x500 rest 60s")) == [5, 5]
    assert not loads(one_line("glute_bridge 50x500 rest 60s")).ok
    assert not loads(one_line("glute_bridge 99999x99999 rest 60s")).ok  # beyond the size limits: E214


def test_outside_safe_is_not_also_reported_as_outside_recommended():
    assert lines("S102", one_line("glute_bridge 50x500 rest 60s")) == []


@pytest.mark.parametrize(
    "line, where",
    [
        ("glute_bridge 3x12 rest 60s progress from 40 over 2w", "starts at 40"),
        ("plank 3x20s rest 60s progress to 200s over 2w", "reaches 200"),
    ],
)
def test_both_ends_of_a_progression_are_held_to_the_safe_range(line, where):
    assert lines("S101", one_line(line)) == [5]
    assert where in message("S101", one_line(line))


def test_a_dose_within_every_range_passes():
    assert found(one_line("glute_bridge 3x10-15 rest 60s hold 3s")) == []


def test_outside_recommended_is_a_warning():
    text = one_line("clam_shell 3x30 each side rest 30-60s", frequency="daily")
    assert found(text) == [("S102", 5)]
    assert loads(text).ok


def test_a_progression_may_start_below_the_recommended_range():
    assert lines("S102", one_line("clam_shell 3x12 each side rest 30-60s progress from 6 over 4w", length="4w")) == []


def test_a_progression_that_ends_above_the_recommended_range_warns():
    # `progress to 15` moves the low end: 10-12 becomes 15-17.
    text = one_line("glute_bridge 3x10-12 rest 60s progress to 15 over 3w", length="3w")
    assert lines("S102", text) == [5]
    assert "reaches 15–17 repetitions" in message("S102", text)


def test_rest_outside_the_safe_range():
    assert lines("S103", one_line("glute_bridge 3x12 rest 30min")) == [5]
    assert lines("S103", one_line("glute_bridge 3x12 rest 90s")) == []


def test_rest_outside_the_recommended_range():
    assert found(one_line("glute_bridge 3x12 rest 5s")) == [("S104", 5)]


def test_pause_in_each_repetition_outside_the_safe_range():
    assert found(one_line("bird_dog 3x8 each side hold 30s rest 45s")) == [("S105", 5)]
    assert found(one_line("bird_dog 3x8 each side hold 3s rest 45s")) == []


def test_pause_outside_the_recommended_range():
    assert found(one_line("clam_shell 3x12 each side hold 8s rest 30-60s", frequency="daily")) == [("S106", 5)]


def test_exercises_without_a_pause_range_are_not_judged_on_their_pause():
    assert found(one_line("dead_bug 3x8 each side hold 3s rest 45s")) == []


# ---- S2xx progression -----------------------------------------------------------


def test_a_progression_faster_than_25_percent_a_week_warns():
    text = one_line("glute_bridge 3x15 rest 60s progress from 5 over 10d")
    assert found(text) == [("S201", 5)]
    assert "140% in the first week" in message("S201", text)


def test_the_seed_000_progression_is_exactly_25_percent_and_passes():
    assert found(one_line("clam_shell 3x12 each side rest 30-60s progress from 8 over 2w", frequency="daily")) == []


def test_the_weekly_limit_is_a_setting():
    text = one_line(
        "glute_bridge 3x15 rest 60s progress from 5 over 10d", header="set weekly_increase_limit 150%\nequipment mat"
    ).replace("\n    glute", "\n    glute")
    assert lines("S201", text) == []


def test_a_jump_in_weekly_volume_between_phases_warns_on_the_later_line():
    text = """
        program "T"
        equipment mat
        phase "A" 2w:
          session on mon wed fri:
            glute_bridge 3x8 rest 60s
        phase "B" 2w:
          session on mon wed fri:
            glute_bridge 3x15 rest 60s
        """
    assert found(text) == [("S202", 8)]
    assert found(text.replace("3x15", "3x10")) == []


def test_more_sessions_a_week_count_as_more_volume():
    text = """
        program "T"
        equipment mat
        phase "A" 2w:
          session on mon wed fri:
            clam_shell 3x12 each side rest 30-60s
        phase "B" 2w:
          session daily:
            clam_shell 3x12 each side rest 30-60s
        """
    assert found(text) == [("S202", 8)]


def test_a_decreasing_progression_is_an_error():
    text = one_line("clam_shell 3x12 each side rest 30-60s progress from 15 over 2w", frequency="daily")
    assert found(text) == [("S203", 5)]
    assert not loads(text, "t.prog").ok


def test_a_flat_progression_is_a_warning():
    flat = one_line("clam_shell 3x12 each side rest 30-60s progress from 12 over 2w", frequency="daily")
    assert found(flat) == [("S205", 5)]
    assert "never changes" in message("S205", flat)
    assert loads(flat, "t.prog").ok


def test_a_progression_longer_than_its_phase_warns():
    text = one_line("plank 3x20s rest 60s progress to 30s over 4w")
    assert found(text) == [("S204", 5)]
    assert "reaches 25 s, not 30 s" in message("S204", text)
    assert found(one_line("plank 3x20s rest 60s progress to 30s over 2w")) == []


# ---- S3xx staging and recovery ----------------------------------------------------


def test_a_stage_3_exercise_in_the_first_phase_warns():
    assert found(one_line("hip_thrust 3x10 rest 90s", header="equipment mat, bench")) == [("S301", 5)]


def test_a_stage_3_exercise_after_a_base_phase_passes():
    text = """
        program "T"
        equipment mat, bench
        phase "Base" 2w:
          session on mon wed fri:
            glute_bridge 3x10 rest 60s
        phase "Load" 2w:
          session on mon wed fri:
            hip_thrust 3x10 rest 90s
        """
    assert found(text) == []


def test_a_stage_3_exercise_after_only_stage_3_work_warns():
    text = """
        program "T"
        equipment mat, bench
        phase "A" 2w:
          session on mon wed fri:
            hip_thrust 3x10 rest 90s
        phase "B" 2w:
          session on mon wed fri:
            hip_thrust 3x10 rest 90s
        """
    assert lines("S301", text) == [5, 8]
    assert "no earlier phase" in [d.message for d in diagnostics(text) if d.span.line == 8][0]


def test_daily_strengthening_warns_once_per_line():
    assert found(one_line("glute_bridge 3x12 rest 60s", frequency="daily")) == [("S302", 5)]


def test_activation_and_stretching_may_be_daily():
    text = """
        program "T"
        equipment mat
        phase "A" 2w:
          session daily:
            clam_shell 3x12 each side rest 30-60s
            hamstring_stretch 3x30s each side
        """
    assert found(text) == []


def test_two_exercises_for_the_same_muscles_on_consecutive_days_warn_on_the_later():
    text = """
        program "T"
        equipment mat
        phase "A" 2w:
          session "Bridge" on mon:
            glute_bridge 3x12 rest 60s
          session "Squat" on tue:
            squat 3x10 rest 60s
        """
    assert found(text) == [("S302", 7)]
    assert "the day after `glute_bridge`" in message("S302", text)


def test_consecutive_days_across_a_phase_boundary_count():
    text = """
        program "T"
        start 2027-01-04
        equipment mat
        phase "A" 1w:
          session on sun:
            glute_bridge 3x12 rest 60s
        phase "B" 1w:
          session on mon:
            glute_bridge 3x12 rest 60s
        """
    assert found(text) == [("S302", 9)]


def test_four_times_a_week_falls_on_sunday_and_monday():
    assert found(one_line("glute_bridge 3x12 rest 60s", frequency="4x/week")) == [("S302", 5)]


# ---- S4xx red flags ----------------------------------------------------------------

RED = """
    program "T"
    equipment mat
    flags {flags}
    {cleared}
    phase "A" 2w:
      session daily:
        clam_shell 3x12 each side rest 30-60s
    """


def test_a_red_flag_without_clearance_is_an_error_on_the_flags_line():
    text = RED.format(flags="numbness, prolonged_sitting, severe_pain", cleared="")
    assert found(text) == [("S401", 3)]
    assert "`numbness` and `severe_pain`" in message("S401", text)
    assert not loads(textwrap.dedent(text)).ok


def test_clearance_or_no_red_flag_passes():
    assert found(RED.format(flags="numbness", cleared='cleared "Dr Jo Park, GP" 2026-11-30')) == []
    assert found(RED.format(flags="prolonged_sitting", cleared="")) == []


def test_each_flags_line_is_reported():
    text = RED.format(flags="numbness", cleared="flags radiating_pain")
    assert lines("S401", text) == [3, 4]


STRETCH = """
    program "T"
    flags {flag}
    cleared "Dr Jo Park, GP" 2026-11-30
    phase "A" 2w:
      session 4x/week:
        figure_four_stretch {dose} each side
    """


def test_nerve_symptoms_with_long_stretch_holds_warn():
    assert found(STRETCH.format(flag="pins_and_needles", dose="3x45-60s")) == [("S402", 6)]


@pytest.mark.parametrize(
    "flag, dose",
    [
        ("pins_and_needles", "3x45-60s progress from 30s over 2w"),
        ("pins_and_needles", "3x30s"),
        ("severe_pain", "3x45-60s"),
    ],
)
def test_eased_holds_short_holds_and_other_flags_pass(flag, dose):
    assert found(STRETCH.format(flag=flag, dose=dose)) == []


def test_a_progression_that_starts_above_30_s_does_not_ease_in():
    assert found(STRETCH.format(flag="numbness", dose="3x50-60s progress from 40s over 1w")) == [("S402", 6)]


def test_unknown_flags_warn_with_did_you_mean():
    text = RED.format(flags="numbess, tingling", cleared='cleared "Dr Jo Park, GP" 2026-11-30')
    assert found(text) == [("S403", 3), ("S403", 3)]
    helps = [d.help for d in diagnostics(text)]
    assert helps[0].startswith("did you mean `numbness`") and helps[1].startswith("did you mean `pins_and_needles`?")


def test_clearance_after_the_start_warns():
    text = RED.format(flags="numbness", cleared='cleared "Dr Jo Park, GP" 2026-12-20').replace(
        "equipment", "start 2026-12-07\n    equipment"
    )
    assert found(text) == [("S404", 5)]
    assert found(text.replace("2026-12-20", "2026-12-01")) == []


# ---- S5xx practicality ---------------------------------------------------------------


def test_equipment_the_header_does_not_list():
    assert found(one_line("glute_foam_roll 2min each side", header='note "x"')) == [("S501", 5)]
    assert found(one_line("glute_foam_roll 2min each side", header="equipment foam_roller")) == []


def test_a_band_or_a_load_needs_listed_equipment():
    assert found(one_line("glute_bridge 3x12 band green rest 60s")) == [("S501", 5)]
    assert found(one_line("squat 3x10 load 8kg rest 60s")) == [("S501", 5)]
    assert found(one_line("squat 3x10 load 8kg rest 60s", header="equipment dumbbell")) == []


def test_a_band_colour_the_header_does_not_list():
    text = one_line("glute_bridge 3x12 band blue rest 60s", header="equipment mat, mini_band(yellow, green)")
    assert found(text) == [("S502", 5)]
    assert found(text.replace("band blue", "band green")) == []


def test_a_misspelt_colour_gets_a_did_you_mean_and_a_band_without_colours_is_reported():
    text = one_line("glute_bridge 3x12 band gren rest 60s", header="equipment mat, mini_band(yellow, green)")
    assert "did you mean `green`?" in message("S502", text)
    bare = one_line("glute_bridge 3x12 band green rest 60s", header="equipment mat, mini_band")
    assert "without colours" in message("S502", bare)


def test_only_the_colours_of_the_band_the_exercise_needs_count():
    text = one_line("monster_walk 3x12 band blue rest 60s", header="equipment mini_band(green), resistance_band(blue)")
    assert found(text) == [("S502", 5)]


def test_a_long_session_warns_on_its_session_line():
    text = one_line("walking 2x45min rest 5min", frequency="3x/week", header='note "walk"')
    assert found(text) == [("S503", 4)]
    assert "about 96 minutes" in message("S503", text)
    assert found(one_line("walking 40min", frequency="3x/week", header='note "walk"')) == []


def test_the_session_limit_is_a_setting():
    text = one_line("walking 2x45min rest 5min", frequency="3x/week", header="set session_minutes_limit 2h")
    assert found(text) == []


def test_a_long_unnamed_session_is_reported_on_its_phase_line():
    text = 'program "T"\nphase "Walk" 2w 3x/week:\n  walking 2x45min rest 5min\n'
    assert found(text) == [("S503", 2)]


def _day(exercise: str, kind: str, sets: int, amount: Range, **extra) -> DayDose:
    return day_dose(kind, sets, (amount.low, amount.high), builtin_registry().get(exercise), **extra)


def test_the_session_time_estimate_is_as_documented():
    # 3 sets × 12 reps × (4 s + 1 s pause) × 2 sides, 2 rests of 60 s, 30 s to set up.
    clams = _day(
        "clam_shell", "reps", 3, Range(12, 12), each_side=True, rest_s=Range(30, 60), hold_per_rep_s=Range(1, 1)
    )
    assert estimated_seconds(clams, 4) == 3 * 12 * 5 * 2 + 2 * 60 + 30
    # A tempo replaces the pace; no written rest means the recommended minimum (30 s for a bridge).
    bridge = _day("glute_bridge", "reps", 2, Range(10, 15), tempo="3-1-x")
    assert tempo_seconds("3-1-x") == 5
    assert estimated_seconds(bridge, 4) == 2 * 15 * 5 + 30 + 30
    assert estimated_seconds(_day("walking", "duration", 1, Range(20, 20)), 4) == 20 * 60 + 30


def test_more_than_ten_exercises_in_a_session_warn():
    eleven = "\n".join(f"    cat_camel 2x{n}" for n in range(5, 16))
    text = f'program "T"\nequipment mat\nphase "A" 2w:\n  session "Many" on mon wed fri:\n{eleven}\n'
    assert lines("S504", text) == [4]
    assert lines("S504", text.rsplit("\n", 2)[0] + "\n") == []


def test_a_program_longer_than_52_weeks_is_an_error_on_the_phase_that_crosses_it():
    text = 'program "T"\nphase "A" 30w 3x/week:\n  walking 30min\nphase "B" 30w 3x/week:\n  walking 30min\n'
    assert found(text) == [("S505", 4)]
    assert found('program "T"\nphase "A" 52w 3x/week:\n  walking 30min\n') == []


def test_a_one_sided_exercise_without_each_side_warns():
    assert found(one_line("clam_shell 3x12 rest 30-60s", frequency="daily")) == [("S506", 5)]


# ---- the examples in programs/ ---------------------------------------------------------


def test_the_example_programs_have_no_safety_errors(example_programs):
    for path in example_programs:
        result = loads(path.read_text(encoding="utf-8"), str(path))
        assert result.ok, [(d.code, d.span.line, d.message) for d in result.errors]


# ---- S507 unknown equipment


def test_unknown_equipment_is_a_warning_with_a_did_you_mean():
    text = one_line("walking 20min", header="equipment foam_rollr, mat")
    assert found(text) == [("S507", 2)]
    assert "did you mean `foam_roller`?" in message("S507", text)


def test_known_equipment_and_weights_are_not_reported():
    assert found(one_line("walking 20min", header="equipment mat, ankle_weight, mini_band(green)")) == []


# ---- S6xx conditions


def program(header: str, *exercises: str, length: str = "2w") -> str:
    """A program with these header lines and one session of these exercise lines (from line 5 on)."""
    body = "".join(f"    {line}\n" for line in exercises)
    return f'program "T"\n{header}\nphase "A" {length}:\n  session on mon wed fri:\n{body}'


KNEE = 'start 2026-11-16\nsurgery "ACL reconstruction, left knee" 2026-11-02'


def test_S601_fires_for_stage_3_loaded_or_impact_work_on_the_operated_region_in_the_early_weeks():
    assert lines("S601", program(KNEE, "lunge 3x8 each side rest 60s")) == [6]
    assert lines("S601", program(KNEE, "running 20min")) == [6]  # impact loads the knee
    assert lines("S601", program(KNEE, "squat 3x10 load 8kg rest 60s")) == [6]
    assert 'from week 3 after "ACL reconstruction, left knee"' in message(
        "S601", program(KNEE, "lunge 3x8 each side rest 60s")
    )


def test_S601_is_quiet_for_gentle_work_other_regions_and_after_12_weeks():
    assert lines("S601", program(KNEE, "quad_set 3x10 each side rest 30s")) == []
    assert lines("S601", program(KNEE, "overhead_press 3x8 rest 60s")) == []  # the shoulder
    late = 'start 2027-02-01\nsurgery "ACL reconstruction, left knee" 2026-11-02'
    assert lines("S601", program(late, "lunge 3x8 each side rest 60s")) == []


def test_S601_without_a_start_line_takes_every_phase_as_early():
    text = program('surgery "Total knee replacement" 2026-11-02', "lunge 3x8 each side rest 60s")
    assert lines("S601", text) == [5]
    assert "no `start` line" in message("S601", text)


def test_S607_surgery_naming_no_body_part():
    assert lines("S607", program('surgery "Reconstruction" 2026-11-02', "walking 20min")) == [2]
    assert lines("S607", program('surgery "Rotator cuff repair" 2026-11-02', "walking 20min")) == []


def test_S602_falls_history_against_unsupported_or_eyes_closed_balance():
    text = program(
        "flags falls_history",
        "single_leg_stance_unsupported 3x20s each side rest 30s",
        "feet_together_eyes_closed 3x20s rest 30s",
    )
    assert lines("S602", text) == [5, 6]
    assert lines("S602", program("flags falls_history", "single_leg_stance 3x20s each side rest 30s")) == []
    assert lines("S602", program("flags mild_pain", "single_leg_stance_unsupported 3x20s each side rest 30s")) == []


def test_S603_osteoporosis_against_loaded_spinal_flexion():
    assert lines("S603", program("equipment mat\nflags osteoporosis", "curl_up 2x8 rest 30s")) == [6]
    assert lines("S603", program("equipment mat\nflags osteoporosis", "dead_bug 2x8 each side rest 30s")) == []
    assert lines("S603", program("equipment mat", "curl_up 2x8 rest 30s")) == []


def test_S604_pregnancy_against_a_long_run_lying_on_the_back():
    run = ("glute_bridge 3x12 rest 60s", "dead_bug 3x10 each side rest 60s", "pelvic_tilt 3x15 rest 30s")
    assert lines("S604", program("equipment mat\nflags pregnancy_third_trimester", *run)) == [6]
    assert lines("S604", program("equipment mat\nflags pregnancy", *run)) == [6]
    assert lines("S604", program("equipment mat\nflags pregnancy_first_trimester", *run)) == []
    broken = (run[0], "bird_dog 3x10 each side rest 60s", run[2])
    assert lines("S604", program("equipment mat\nflags pregnancy_second_trimester", *broken)) == []


def test_S605_hypertension_against_isometric_holds_over_30_seconds():
    assert lines("S605", program("equipment mat\nflags hypertension", "plank 3x45s rest 60s")) == [6]
    assert lines(
        "S605", program("equipment mat\nflags hypertension", "plank 3x20s rest 60s progress to 40s over 2w")
    ) == [6]
    assert lines("S605", program("equipment mat\nflags hypertension", "plank 4x20s rest 60s")) == []
    assert lines("S605", program("flags hypertension", "hamstring_stretch 3x45s each side")) == []  # a stretch
    assert lines("S605", program("equipment mat", "plank 3x45s rest 60s")) == []


def test_S606_dizziness_against_standing_straight_after_lying():
    text = program("equipment mat\nflags vertigo", "glute_bridge 3x12 rest 60s", "squat 3x10 rest 60s")
    assert lines("S606", text) == [7]
    assert "`glute_bridge`" in message("S606", text)
    seated = program(
        "equipment mat, chair\nflags dizziness",
        "glute_bridge 3x12 rest 60s",
        "sit_to_stand 3x10 rest 60s",
        "squat 3x10 rest 60s",
    )
    assert lines("S606", seated) == []
    assert lines("S606", program("equipment mat", "glute_bridge 3x12 rest 60s", "squat 3x10 rest 60s")) == []


def test_the_condition_flags_and_their_synonyms_are_known():
    assert lines("S403", program("flags falls_history, osteoporosis, hypertension, dizziness", "walking 20min")) == []
    text = program("flags high_blood_pressure", "walking 20min")
    assert "did you mean `hypertension`?" in message("S403", text)
