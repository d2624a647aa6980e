"""Every way a file can fail to be a program gets its own diagnostic, on the right line."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from support import HEADER, error_codes, program_with

from progdsl import load_bytes, loads
from progdsl.diagnostics import render_text, to_json

OK_PHASE = 'phase "P" 2w daily:\n  walking 20min\n'


def only_error(text: str) -> tuple[str, int]:
    errors = error_codes(text)
    assert len(errors) == 1, errors
    return errors[0]


# ---- input that is not readable text ---------------------------------------------


def test_E001_not_utf8_points_at_the_bad_byte():
    result = load_bytes(b'program "T"\nclient "Ren\xe9"\n', "latin1.prog")
    (diagnostic,) = result.diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.col) == ("E001", 2, 12)
    assert "UTF-8" in diagnostic.message and result.program is None


@pytest.mark.parametrize("text", ["", "\n\n  \n", "# only a comment\n\n# another\n"])
def test_E002_empty_file(text):
    assert only_error(text) == ("E002", 1)


def test_E003_tab_in_indentation_on_every_such_line():
    text = 'program "T"\nphase "P" 2w daily:\n\twalking 20min\n  \tcat_camel 2x8\n'
    assert error_codes(text) == [("E003", 3), ("E003", 4)]


def test_E004_control_characters():
    assert only_error('program "T\x00"\n' + OK_PHASE) == ("E004", 1)
    assert only_error('program "T"\n\x1b[31m\n' + OK_PHASE) == ("E004", 2)


def test_E005_file_too_large():
    assert error_codes("#" * 2_000_001) == [("E005", 1)]


def test_E006_line_too_long():
    assert only_error(HEADER + "# " + "x" * 5000 + "\n" + OK_PHASE) == ("E006", 2)


# ---- syntax -------------------------------------------------------------------------


def test_E101_syntax_error_in_words_not_token_names():
    result = loads(program_with("clam_shell 3x12 rest"), "t.prog")
    (d,) = result.diagnostics
    assert (d.code, d.span.line) == ("E101", 4)
    assert "expected a time such as 60s" in d.message
    assert "QUANTITY" not in d.message and "_NL" not in d.message


def test_E101_groups_with_examples_of_their_own_are_set_apart_by_semicolons():
    """Each group's examples end in "or"; between groups a semicolon shows where one ends."""
    (d,) = loads(program_with("clam_shell 3x12 rset 30s"), "t.prog").diagnostics
    assert "or `progress from 8 over 2w`; how often, such as `daily`" in d.message
    assert d.message.endswith("or `every 2 days`; or the end of the line")
    (plain,) = loads(program_with("clam_shell 3x12 progress from"), "t.prog").diagnostics
    assert ";" not in plain.message  # one group: commas as before
    (words,) = loads(HEADER + 'phase "P" 2w:\n  circuit 3 x:\n    walking 20min\n').diagnostics
    assert words.message.endswith("expected `round` or `rounds`")  # no comma before "or"


def test_E101_missing_colon_on_a_block_line():
    (d,) = loads(HEADER + 'phase "P" 2w daily\n  walking 20min\n').diagnostics
    assert (d.code, d.span.line) == ("E101", 2) and "`:`" in d.message


def test_E101_bad_date_shape_says_how_to_write_one():
    (d,) = loads(HEADER + "start 7/12/2026\n" + OK_PHASE).diagnostics
    assert (d.code, d.span.line) == ("E101", 2) and "YYYY-MM-DD" in d.message


@pytest.mark.parametrize(
    ("line", "keyword", "fixed"),
    [
        ("clam_shell 3x12 each sde", "side", "clam_shell 3x12 each side"),
        ("clam_shell 3x12 rset 30s", "rest", "clam_shell 3x12 rest 30s"),
        ("walking 20min daliy", "daily", "walking 20min daily"),
    ],
)
def test_E101_misspelt_keyword_is_named_in_its_line(line, keyword, fixed):
    (d,) = loads(program_with(line), "t.prog").diagnostics
    assert d.code == "E101" and d.help == f"did you mean `{keyword}`, as in `{fixed}`?"


def test_E101_a_misspelt_keyword_where_a_name_may_come_is_not_taken_for_a_name():
    misspelt = program_with("clam_shell 3x12").replace("session daily:", "session daliy:")
    (d,) = loads(misspelt, "t.prog").diagnostics
    assert d.code == "E101" and d.help == "did you mean `daily`, as in `session daily:`?"
    unquoted = program_with("clam_shell 3x12").replace("session daily:", "session Morning daily:")
    (d,) = loads(unquoted, "t.prog").diagnostics
    assert d.help == 'write it in double quotes: session "Morning" daily:'


def test_E101_word_like_no_keyword_gets_no_guess():
    (d,) = loads(program_with("clam_shell 3x12 each zzz"), "t.prog").diagnostics
    assert d.code == "E101" and d.help is None


def test_E101_lookalike_character_gets_a_hint():
    (d,) = loads(HEADER + 'phase\u00a0"P" 2w daily:\n  walking 20min\n').diagnostics
    assert (d.code, d.span.line, d.span.col) == ("E101", 2, 6)
    assert "normal space" in d.help


def test_E102_unterminated_string():
    assert only_error('program "Glutes\nphase "P" 2w daily:\n  walking 20min\n') == ("E102", 1)


def test_E103_unexpected_indentation():
    assert only_error(HEADER + '  client "Sam"\n' + OK_PHASE) == ("E103", 2)


def test_E103_dedent_to_no_enclosing_level():
    text = HEADER + 'phase "P" 2w:\n    session daily:\n        walking 20min\n  session daily:\n    cat_camel 2x8\n'
    assert only_error(text) == ("E103", 5)


def test_E104_block_without_indented_lines():
    assert only_error(HEADER + 'phase "P" 2w daily:\nphase "Q" 1w daily:\n  walking 20min\n') == ("E104", 3)


# ---- the header ---------------------------------------------------------------------


def test_E110_missing_program_line():
    assert only_error('client "Sam"\n' + OK_PHASE) == ("E110", 1)


def test_E111_repeated_program_line():
    assert only_error(HEADER + 'program "Again"\n' + OK_PHASE) == ("E111", 2)


@pytest.mark.parametrize(
    "line",
    ['client "B"', 'clinician "B"', "start 2026-12-08", 'timezone "UTC"', "time 08:00", 'cleared "B" 2026-01-01'],
)
def test_E112_single_header_lines_repeated(line):
    assert only_error(HEADER + f"{line}\n{line}\n" + OK_PHASE) == ("E112", 3)


def test_E113_header_line_after_a_phase():
    assert only_error(HEADER + OK_PHASE + 'client "Sam"\n') == ("E113", 4)


def test_E114_exercise_line_outside_a_phase():
    assert only_error(HEADER + "walking 20min\n" + OK_PHASE) == ("E114", 2)


def test_E115_program_without_phases():
    assert only_error(HEADER + 'client "Sam"\n') == ("E115", 2)


def test_E116_clearance_without_a_name():
    assert only_error(HEADER + 'cleared " " 2026-01-01\n' + OK_PHASE) == ("E116", 2)


def test_E117_surgery_without_text_and_E120_its_bad_date():
    assert only_error(HEADER + 'surgery "" 2026-01-01\n' + OK_PHASE) == ("E117", 2)
    assert only_error(HEADER + 'surgery "Knee arthroscopy" 2026-02-30\n' + OK_PHASE) == ("E120", 2)


def test_surgery_lines_repeat_and_their_regions_come_from_their_words():
    from progdsl import loads

    program = loads(
        HEADER + 'surgery "ACL reconstruction, left knee" 2026-11-02\n'
        'surgery "Rotator cuff repair" 2025-03-01\n' + OK_PHASE
    ).program
    assert [(s.text, s.date.isoformat(), s.regions) for s in program.surgeries] == [
        ("ACL reconstruction, left knee", "2026-11-02", ("knee",)),
        ("Rotator cuff repair", "2025-03-01", ("shoulder",)),
    ]


@pytest.mark.parametrize("date", ["2026-02-30", "2026-13-01", "2026-00-10", "2027-02-29"])
def test_E120_invalid_dates(date):
    assert only_error(HEADER + f"start {date}\n" + OK_PHASE) == ("E120", 2)


def test_leap_day_is_a_date():
    assert loads(HEADER + "start 2028-02-29\n" + OK_PHASE).ok


@pytest.mark.parametrize("time", ["24:00", "7:60", "99:99"])
def test_E121_invalid_times(time):
    assert only_error(HEADER + f"time {time}\n" + OK_PHASE) == ("E121", 2)


def test_E121_invalid_session_time():
    text = HEADER + 'phase "P" 2w:\n  session daily at 25:00:\n    walking 20min\n'
    assert only_error(text) == ("E121", 3)


def test_E122_unknown_time_zone_suggests_the_nearest():
    (d,) = loads(HEADER + 'timezone "Australia/Sidney"\n' + OK_PHASE).diagnostics
    assert (d.code, d.span.line) == ("E122", 2)
    assert "Australia/Sydney" in d.help


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd", "", "Europe/"])
def test_E122_never_a_traceback_for_strange_zones(zone):
    assert only_error(HEADER + f'timezone "{zone}"\n' + OK_PHASE) == ("E122", 2)


@pytest.mark.parametrize("date", ["1899-12-31", "0001-01-01", "1026-12-07", "9001-01-01", "9999-12-31"])
def test_E123_dates_outside_1900_to_9000(date):
    assert only_error(HEADER + f"start {date}\n" + OK_PHASE) == ("E123", 2)
    assert only_error(HEADER + f'cleared "Dr Jo Park, GP" {date}\n' + OK_PHASE) == ("E123", 2)


def test_E123_says_which_end_and_why():
    (early,) = loads(HEADER + "start 1899-12-31\n" + OK_PHASE).diagnostics
    assert "before 1900-01-01" in early.message and "calendar apps" in early.help
    (late,) = loads(HEADER + "start 9001-01-01\n" + OK_PHASE).diagnostics
    assert "after 9000-12-31" in late.message and "9999" in late.help


@pytest.mark.parametrize("date", ["1900-01-01", "9000-12-31"])
def test_the_first_and_last_dates_are_taken(date):
    assert loads(HEADER + 'cleared "Dr Jo Park, GP" ' + date + "\n" + OK_PHASE).ok


def test_the_longest_program_up_to_the_last_day_builds_a_calendar():
    """3,650 days ending on 9000-12-31: every date the plan and its calendar work out exists."""
    from progdsl.backends import RenderOptions
    from progdsl.backends.ics import IcsBackend
    from progdsl.plan import build_plan

    text = HEADER + 'start 8991-01-03\ntimezone "Europe/London"\ntime 07:30\nallow S505 "A test of dates"\n'
    text += 'phase "P" 3650d:\n'
    result = loads(text + "  session every 30 days:\n    walking 20min\n")
    assert result.ok, result.diagnostics
    plan = build_plan(result.program)
    assert plan.end == dt.date(9000, 12, 31)
    assert IcsBackend().render(plan, RenderOptions()).count(b"BEGIN:VEVENT") == 122


@pytest.mark.parametrize(
    "zone, suggestion",
    [
        ("localtime", None),
        ("posixrules", None),
        ("Factory", None),
        ("right/UTC", "UTC"),
        ("posix/Europe/London", "Europe/London"),
        ("right/Australia/Sydney", "Australia/Sydney"),
        ("posix/Europe/Lundon", "Europe/London"),
    ],
)
def test_E124_machine_bound_zone_names_with_the_portable_one(zone, suggestion):
    (d,) = loads(HEADER + f'timezone "{zone}"\n' + OK_PHASE).diagnostics
    assert (d.code, d.span.line) == ("E124", 2)
    assert "not a portable time zone name" in d.message
    if suggestion:
        assert d.help.endswith(f"did you mean `{suggestion}`?")
    else:
        assert "did you mean" not in d.help and "Europe/London" in d.help


@pytest.mark.parametrize("zone", ["Europe/London", "UTC", "Etc/GMT+5", "US/Eastern", "America/Argentina/Buenos_Aires"])
def test_portable_zone_names_are_taken(zone):
    assert loads(HEADER + f'timezone "{zone}"\n' + OK_PHASE).ok


# ---- phases and sessions ----------------------------------------------------------


def test_E130_phase_without_duration():
    assert only_error(HEADER + 'phase "P" daily:\n  walking 20min\n') == ("E130", 2)


@pytest.mark.parametrize("duration", ["30min", "2-3w", "1.5w", "0d"])
def test_E131_phase_duration_not_days_or_weeks(duration):
    assert only_error(HEADER + f'phase "P" {duration} daily:\n  walking 20min\n') == ("E131", 2)


def test_E133_phase_without_exercises():
    assert only_error(HEADER + 'phase "P" 2w:\n  note "Rest this fortnight."\n' + OK_PHASE) == ("E133", 2)


def test_E134_session_without_exercises():
    text = HEADER + 'phase "P" 2w:\n  session daily:\n    note "x"\n  session daily:\n    walking 20min\n'
    assert only_error(text) == ("E134", 3)


def test_E140_no_frequency_anywhere():
    text = HEADER + 'phase "P" 2w:\n  session "Walk":\n    walking 20min\n'
    assert only_error(text) == ("E140", 3)
    assert only_error(HEADER + 'phase "P" 2w:\n  walking 20min\n') == ("E140", 2)


def test_frequency_on_every_line_is_enough():
    assert loads(HEADER + 'phase "P" 2w:\n  session "Mixed":\n    walking 20min daily\n    cat_camel 2x8 on mon\n').ok


def test_E141_unknown_day_name():
    assert only_error(program_with("walking 20min on mon wendesday")) == ("E141", 4)


def test_full_day_names_are_accepted():
    assert loads(program_with("walking 20min on monday friday")).ok


@pytest.mark.parametrize("count", ["0x/week", "8x/week", "9 times a week"])
def test_E142_impossible_times_a_week(count):
    assert only_error(program_with(f"walking 20min {count}")) == ("E142", 4)


@pytest.mark.parametrize("every", ["every 0 days", "every 2h", "every 1.5d"])
def test_E143_every_needs_whole_days(every):
    assert only_error(program_with(f"walking 20min {every}")) == ("E143", 4)


# ---- settings and allows ---------------------------------------------------------


def test_E150_unknown_setting_suggests_the_nearest():
    (d,) = loads(HEADER + "set remindr 10min\n" + OK_PHASE).diagnostics
    assert (d.code, d.span.line) == ("E150", 2) and "reminder" in d.help


@pytest.mark.parametrize(
    "line",
    [
        "set reminder 10kg",
        "set page_size a3",
        "set weekly_increase_limit 0%",
        "set reminder 07:30",
        "set reminder_at 24:00",
        "set reminder_at 8h",
        'set reminder_at "soon"',
    ],
)
def test_E151_bad_setting_value(line):
    assert only_error(HEADER + line + "\n" + OK_PHASE) == ("E151", 2)


@pytest.mark.parametrize("written, kept", [("07:30", "07:30"), ("7:05", "07:05"), ("none", None)])
def test_reminder_at_takes_a_time_of_day_or_none(written, kept):
    result = loads(HEADER + f"set reminder_at {written}\n" + OK_PHASE, "t.prog")
    assert result.ok and result.program.setting("reminder_at") == kept


@pytest.mark.parametrize("line", ['set template "clinic"', "set template clinic", 'set template "/srv/evil"'])
def test_E152_a_program_cannot_choose_its_templates(line):
    """Templates are code: a program (data from anywhere) must not pick which runs."""
    result = loads(HEADER + line + "\n" + OK_PHASE, "t.prog")
    (d,) = result.diagnostics
    assert (d.code, d.span.line, d.span.col) == ("E152", 2, 1) and result.program is None
    assert "not a setting" not in d.message and "template" in d.message
    assert "--template-dir" in d.help
    text = render_text(d, result.source)
    assert text.startswith("t.prog:2:1: E152 error:") and "= help:" in text


def test_E160_allow_without_a_reason():
    assert only_error(HEADER + 'allow S101 ""\n' + OK_PHASE) == ("E160", 2)
    assert only_error(program_with('walking 20min allow S101 "  "')) == ("E160", 4)


# ---- exercise lines ----------------------------------------------------------------


def test_E201_unknown_exercise_with_did_you_mean():
    (d,) = loads(program_with("clamshel 3x12 each side"), "t.prog").diagnostics
    assert (d.code, d.span.line, d.span.col, d.span.end_col) == ("E201", 4, 5, 13)
    assert "did you mean `clam_shell`?" in d.help


def test_E201_lookalike_letters_are_named():
    (d,) = loads(program_with("\u0441lam_shell 3x12 each side")).diagnostics
    assert d.code == "E201" and "cyrillic" in d.help.lower() and "`c`" in d.help


def test_aliases_resolve_to_their_exercise():
    result = loads(program_with("side_lying_clam 3x12 each side\nbridge 3x10\nfront_plank 3x20s"))
    ids = [p.exercise.id for _, _, p in result.program.prescriptions()]
    assert ids == ["clam_shell", "glute_bridge", "plank"]


@pytest.mark.parametrize("line", ["plank 3x12", "clam_shell 3x2km each side", "walking 3x12", "glute_bridge 3x10kg"])
def test_E202_dose_form_the_exercise_does_not_take(line):
    assert only_error(program_with(line)) == ("E202", 4)


def test_glute_bridge_takes_repetitions_or_holds():
    result = loads(program_with("glute_bridge 3x12\nglute_bridge 3x30s"))
    assert [p.dose.kind for _, _, p in result.program.prescriptions()] == ["reps", "hold"]


def test_E203_each_side_on_a_two_sided_exercise():
    assert only_error(program_with("glute_bridge 3x12 each side")) == ("E203", 4)


@pytest.mark.parametrize(
    "line",
    [
        "clam_shell 3x12 each side progress from 8s over 2w",
        "plank 3x20s progress to 30 over 4w",
        "walking 20min progress to 30 over 2w",
    ],
)
def test_E204_progression_unit_must_match_the_dose(line):
    assert only_error(program_with(line)) == ("E204", 4)


def test_E205_missing_dose():
    assert only_error(program_with("clam_shell each side")) == ("E205", 4)


@pytest.mark.parametrize(
    "line", ["clam_shell 3x15-10 each side", "squat 3x10.5", "walking 90s", "plank 3x20s rest 0.5s"]
)
def test_E206_ranges_and_whole_numbers(line):
    assert only_error(program_with(line)) == ("E206", 4)


@pytest.mark.parametrize("line", ["squat 0x10", "squat 3x0", "squat 3x10 progress from 0 over 2w"])
def test_E207_at_least_one_set_and_one_repetition(line):
    assert only_error(program_with(line)) == ("E207", 4)


def test_E208_modifier_given_twice():
    assert only_error(program_with("squat 3x10 rest 60s rest 90s")) == ("E208", 4)
    assert only_error(program_with("squat 3x10 daily on mon")) == ("E208", 4)


def test_E209_rest_and_hold_are_times():
    assert only_error(program_with("squat 3x10 rest 2kg")) == ("E209", 4)
    assert only_error(program_with("squat 3x10 hold 2d")) == ("E209", 4)


def test_E210_hold_on_a_timed_dose():
    assert only_error(program_with("plank 3x20s hold 3s")) == ("E210", 4)


@pytest.mark.parametrize("line", ["squat 3x10 load 8min", "squat 3x10 load 5-8kg", "squat 3x10 load 0kg"])
def test_E211_load_is_one_weight(line):
    assert only_error(program_with(line)) == ("E211", 4)


@pytest.mark.parametrize("span", ["30min", "1d", "1-2w"])
def test_E212_progression_span(span):
    assert only_error(program_with(f"squat 3x10 progress to 12 over {span}")) == ("E212", 4)


def test_E213_progression_to_a_range():
    assert only_error(program_with("squat 3x10 progress to 12-15 over 2w")) == ("E213", 4)


def test_several_errors_in_one_file_are_all_reported_in_line_order():
    text = program_with("clamshel 3x12\nplank 3x12\nglute_bridge 3x12 each side")
    assert error_codes(text) == [("E201", 4), ("E202", 5), ("E203", 6)]


# ---- renderings ---------------------------------------------------------------------


def test_text_rendering_has_location_source_line_caret_and_help():
    result = loads(program_with("clamshel 3x12"), "programs/glutes.prog")
    text = render_text(result.diagnostics[0], result.source)
    assert text.splitlines() == [
        "programs/glutes.prog:4:5: E201 error: unknown exercise `clamshel`",
        "  |",
        "4 |     clamshel 3x12",
        "  |     ^^^^^^^^ E201",
        "  |",
        "  = help: did you mean `clam_shell`?; `progdsl exercises` lists every exercise",
    ]


def test_caret_lines_up_under_wide_characters():
    result = loads('program "T"\nclient "林" 3\n' + OK_PHASE)
    lines = render_text(result.diagnostics[0], result.source).splitlines()
    assert lines[3].index("^") == lines[2].index("3") + 1  # 林 takes two columns


def test_json_rendering():
    result = loads(program_with("clamshel 3x12"), "t.prog")
    record = to_json(result.diagnostics[0], result.source)
    assert record == {
        "file": "t.prog",
        "code": "E201",
        "severity": "error",
        "message": "unknown exercise `clamshel`",
        "line": 4,
        "column": 5,
        "end_line": 4,
        "end_column": 13,
        "help": "did you mean `clam_shell`?; `progdsl exercises` lists every exercise",
    }


# ---- syntax errors that once misled (issue 12) ----------------------------------------


def only_diagnostic(text: str):
    (d,) = loads(text, "t.prog").diagnostics
    return d


@pytest.mark.parametrize(
    "line, col, message, help",
    [
        ("clam_shell 12 reps", 16, "`12 reps` is not how a dose is written", "`3x12` three sets"),
        ("clam_shell 1 sets", 16, "`1 sets` is not how a dose is written", "`1x12` is one set of 12"),
        ("clam_shell 3 sets", 16, "`3 sets` is not how a dose is written", "`3x12` is 3 sets of 12"),
        ("clam_shell 3x12 reps", 21, "`reps` is not needed after the dose", "drop `reps`"),
        ("clam_shell 3x12 reps each side", 21, "`reps` is not needed after the dose", "drop `reps`"),
    ],
)
def test_E101_a_dose_written_in_words_is_quoted_as_the_file_has_it(line, col, message, help):
    d = only_diagnostic(program_with(line))
    assert (d.code, d.span.line, d.span.col, d.message) == ("E101", 4, col, message)
    assert help in d.help and "12reps" not in d.message


def test_E101_a_phase_length_in_months_is_a_phase_length_not_a_dose():
    d = only_diagnostic(HEADER + 'phase "A" 1 month:\n  session daily:\n    walking 20min\n')
    assert (d.code, d.span.line, d.span.col, d.span.end_col) == ("E101", 2, 11, 18)
    assert d.message == "`1 month` is not a phase length"
    assert "dose" not in d.message + d.help and "4w" in d.help


@pytest.mark.parametrize(
    "line", ["clam_shell 3x12 progress from over 2w", "clam_shell 3x12 progress to", "clam_shell 3x12 progress from"]
)
def test_E101_never_names_a_grammar_token(line):
    d = only_diagnostic(program_with(line))
    assert d.code == "E101" and d.span.line == 4
    assert "a number such as 8" in d.message
    assert not re.search(r"\b[A-Z_]{3,}\b", d.message), d.message


def test_E101_no_grammar_token_has_no_words():
    """Every terminal a message could name is said in words, or left out."""
    from progdsl.parser import lark_parser
    from progdsl.syntax_errors import _expected_words

    parser = lark_parser()
    names = {terminal.name for terminal in parser.terminals} | {"_INDENT", "_DEDENT", "$END"}
    for name in names:
        phrase = _expected_words({name}, parser, None)
        assert not set(re.findall(r"[A-Z_$][A-Z_0-9]+", phrase)) & names, (name, phrase)


def test_E101_a_tab_in_the_line_is_shown_as_spaces_with_the_caret_under_the_fault():
    text = HEADER + 'client "Sam\tLee" x\n' + OK_PHASE
    result = loads(text, "t.prog")
    (d,) = result.diagnostics
    assert (d.code, d.span.line, d.span.col) == ("E101", 2, 18)
    shown = render_text(d, result.source).splitlines()
    assert shown[2] == '2 | client "Sam Lee" x'
    assert shown[3].index("^") == shown[2].index(" x") + 1
    assert "?" not in shown[2] and "\N{REPLACEMENT CHARACTER}" not in shown[2]


def test_E101_a_session_name_without_quotes_is_told_to_quote_it():
    d = only_diagnostic(HEADER + 'phase "A" 2w:\n  session Morning daily:\n    walking 20min\n')
    assert (d.code, d.span.line, d.span.col) == ("E101", 3, 11)
    assert d.message == "the session name `Morning` needs double quotes"
    assert d.help == 'write it in double quotes: session "Morning" daily:'
    assert "Sam Lee" not in d.message + d.help


@pytest.mark.parametrize(
    "header, col, written, meant",
    [
        ("time 6pm", 6, "6pm", "18:00"),
        ("time 6 pm", 6, "6 pm", "18:00"),
        ("time 7.30", 6, "7.30", "07:30"),
        ("time 12am", 6, "12am", "00:00"),
        ("time 7", 6, "7", "07:00"),
    ],
)
def test_E101_a_time_not_written_hh_mm_gets_its_24_hour_form(header, col, written, meant):
    d = only_diagnostic(HEADER + header + "\n" + OK_PHASE)
    assert (d.code, d.span.line, d.span.col) == ("E101", 2, col)
    assert d.message == f"`{written}` is not a time written HH:MM"
    assert d.help.endswith(meant)


def test_E101_a_session_time_with_am_gets_its_24_hour_form():
    d = only_diagnostic(HEADER + 'phase "A" 2w:\n  session at 7:30am:\n    walking 20min\n')
    assert (d.code, d.span.line, d.span.col, d.message) == ("E101", 3, 14, "`7:30am` is not a time written HH:MM")
    assert d.help.endswith("07:30")
