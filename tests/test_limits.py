"""Numbers and dates at the edges: each is a diagnostic with a code, never a traceback,
and a program at the latest day builds with every backend."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from progdsl import loads
from progdsl.cli import main
from progdsl.compiler import plan_of

HUGE = "1" + "0" * 1000  # float() makes it infinity
BIG = "1" + "0" * 307  # a float, whose int overflowed the float it met in seconds or minutes

PROGRAM = 'program "T"\nstart 2026-12-07\ntime 07:00\nequipment mat\n{header}phase "P" 2w daily:\n  {line}\n'


def codes(line: str = "clam_shell 3x12 each side", header: str = "") -> list[str]:
    result = loads(PROGRAM.format(header=header, line=line))
    return [d.code for d in result.diagnostics if d.is_error]


@pytest.mark.parametrize(
    "line",
    [
        f"clam_shell 3x{HUGE} each side",  # was E206, "must come to whole repetitions"
        f"clam_shell 3x{HUGE}.5 each side",
        f"clam_shell {HUGE}x12 each side",
        f"clam_shell 3x12 each side rest {BIG}h",  # was OverflowError
        f"clam_shell 3x12 each side hold {BIG}h",
        f"walking {BIG}h",
        f"walking 3x{BIG}h",
        f"plank 3x{BIG}h",
        f"clam_shell 3x12 each side progress from {HUGE} over 2w",  # was E204
        f"plank 3x20s progress to {HUGE}s over 2w",
        "clam_shell 3x10-15 each side progress from 1000 over 2w",  # would end at 1,005
        f"clam_shell 3x12 each side progress from 8 over {HUGE}w",  # was E212
        f"clam_shell 3x12 each side every {HUGE}d",  # was E143
        f"clam_shell 3x12 each side tempo {'9' * 400}-1-1",  # was S000: S503 overflowed
        "clam_shell 3x12 each side tempo 3601-x-1",
    ],
)
def test_numbers_beyond_the_size_limits_are_e214(line):
    assert codes(line) == ["E214"]


def test_a_phase_beyond_the_size_limit_is_e214():
    result = loads(f'program "T"\nphase "P" {HUGE}w daily:\n  walking 20min\n')
    assert [d.code for d in result.diagnostics] == ["E214"]  # was E131


@pytest.mark.parametrize(
    "setting",
    [
        f"weekly_increase_limit {'9' * 400}%",  # was S000: S201 overflowed
        "weekly_increase_limit 1001%",
        "session_minutes_limit 25h",
        f"seconds_per_rep {'9' * 400}s",
        "reminder 99999999999999999999h",  # passed check, then the calendar backend failed
        "reminder 169h",
    ],
)
def test_settings_beyond_their_limits_are_e214(setting):
    assert codes(header=f"set {setting}\n") == ["E214"]


@pytest.mark.parametrize(
    "setting", ["weekly_increase_limit 1000%", "session_minutes_limit 24h", "seconds_per_rep 3600s", "reminder 168h"]
)
def test_settings_at_their_limits_are_accepted(setting):
    assert codes(header=f"set {setting}\n") == []


def test_whole_and_fractional_amounts_within_the_limits_keep_their_codes():
    assert codes("clam_shell 3x12.5 each side") == ["E206"]
    assert codes("clam_shell 3x12 each side progress from 8s over 2w") == ["E204"]


# ---- the latest day ---------------------------------------------------------------------

LATE = 'program "T"\nstart {start}\ntime 07:00\nequipment mat\nset reminder 168h\nphase "P" 2w daily:\n  plank 3x20s\n'


@pytest.mark.parametrize("start", ["9000-12-19", "9000-12-31"])
def test_a_program_past_the_latest_day_is_e125(start):
    result = loads(LATE.format(start=start))
    assert [d.code for d in result.diagnostics] == ["E125"]  # was S000 in S302 and S503
    assert "9000-12-18 or earlier" in (result.diagnostics[0].help or "")


@pytest.mark.parametrize("start", ["9999-12-01", "9999-12-31"])
def test_a_start_past_the_latest_day_is_e123(start):
    assert [d.code for d in loads(LATE.format(start=start)).diagnostics] == ["E123"]


@pytest.mark.parametrize("backend", ["json", "ics", "html", "pdf"])
def test_a_program_ending_on_the_latest_day_builds_with_every_backend(backend, tmp_path):
    program = tmp_path / "late.prog"
    program.write_text(LATE.format(start="9000-12-18"))
    result = CliRunner().invoke(main, ["build", str(program), "--to", backend, "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.exception is None


def test_rules_that_look_at_the_day_before_take_the_first_day_of_the_calendar():
    result = loads(LATE.format(start="0001-01-01"))
    assert "S000" not in [d.code for d in result.diagnostics]  # S302 overflowed


def test_a_start_from_the_command_line_is_checked_at_the_plan():
    result = loads('program "T"\nequipment mat\nphase "P" 2w daily:\n  plank 3x20s\n')
    plan, checked = plan_of(result, dt.date(9999, 12, 31))
    assert plan is None and [d.code for d in checked.errors] == ["E125"]
    plan, checked = plan_of(result, dt.date(9000, 12, 18))
    assert plan is not None and plan.end == dt.date(9000, 12, 31) and checked is result


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_build_start_past_the_latest_day_reports_each_program_and_builds_the_rest(tmp_path, jobs):
    no_start = tmp_path / "a.prog"
    no_start.write_text('program "A"\nequipment mat\nphase "P" 2w daily:\n  plank 3x20s\n')
    (tmp_path / "b.prog").write_text('program "B"\nequipment mat\nphase "P" 2w daily:\n  glute_bridge 3x12\n')
    dated = tmp_path / "c.prog"
    dated.write_text('program "C"\nstart 2026-12-07\nequipment mat\nphase "P" 2w daily:\n  plank 3x20s\n')
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(no_start),
            str(tmp_path / "b.prog"),
            str(dated),
            "--to",
            "json",
            "-o",
            str(out),
            "--start",
            "9000-12-25",
            "--jobs",
            jobs,
        ],
    )
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)  # was OverflowError
    assert result.stderr.count("E125") == 4  # the heading and the caret line of a.prog and b.prog
    assert sorted(p.name for p in out.iterdir()) == ["c.json"]


def test_plan_start_past_the_latest_day_is_e125(tmp_path):
    program = tmp_path / "a.prog"
    program.write_text('program "A"\nequipment mat\nphase "P" 2w daily:\n  plank 3x20s\n')
    result = CliRunner().invoke(main, ["plan", str(program), "--start", "9000-12-25"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "E125" in result.stderr and "9000-12-18 or earlier" in result.stderr


@pytest.mark.parametrize("reminder", ["99999999999999999999h", "10081m"])
def test_a_reminder_beyond_a_week_is_a_usage_error(tmp_path, reminder):
    program = tmp_path / "a.prog"
    program.write_text(LATE.format(start="2026-12-07"))
    result = CliRunner().invoke(
        main, ["build", str(program), "--to", "ics", "-o", str(tmp_path / "out"), "--reminder", reminder]
    )
    assert result.exit_code == 2 and "at most 10,080 minutes" in result.stderr
