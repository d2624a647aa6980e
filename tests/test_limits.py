"""Numbers at the edges: each is a diagnostic with a code, never a traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from progdsl import loads
from progdsl.cli import main

HUGE = "1" + "0" * 1000  # float() makes it infinity
BIG = "1" + "0" * 307  # a float, whose int overflowed the float it met in seconds or minutes

PROGRAM = 'program "T"\nstart 2026-12-07\ntime 07:00\nequipment mat\n{header}phase "P" 2w daily:\n  {line}\n'


def codes(line: str = "clam_shell 3x12 each side", header: str = "") -> list[str]:
    result = loads(PROGRAM.format(header=header, line=line))
    return [d.code for d in result.diagnostics if d.is_error]


@pytest.mark.parametrize("line", [
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
])
def test_numbers_beyond_the_size_limits_are_e214(line):
    assert codes(line) == ["E214"]


def test_a_phase_beyond_the_size_limit_is_e214():
    result = loads(f'program "T"\nphase "P" {HUGE}w daily:\n  walking 20min\n')
    assert [d.code for d in result.diagnostics] == ["E214"]  # was E131


@pytest.mark.parametrize("setting", [
    f"weekly_increase_limit {'9' * 400}%",  # was S000: S201 overflowed
    "weekly_increase_limit 1001%",
    "session_minutes_limit 25h",
    f"seconds_per_rep {'9' * 400}s",
    "reminder 99999999999999999999h",  # passed check, then the calendar backend failed
    "reminder 169h",
])
def test_settings_beyond_their_limits_are_e214(setting):
    assert codes(header=f"set {setting}\n") == ["E214"]


@pytest.mark.parametrize("setting", ["weekly_increase_limit 1000%", "session_minutes_limit 24h",
                                     "seconds_per_rep 3600s", "reminder 168h"])
def test_settings_at_their_limits_are_accepted(setting):
    assert codes(header=f"set {setting}\n") == []


def test_whole_and_fractional_amounts_within_the_limits_keep_their_codes():
    assert codes("clam_shell 3x12.5 each side") == ["E206"]
    assert codes("clam_shell 3x12 each side progress from 8s over 2w") == ["E204"]


@pytest.mark.parametrize("reminder", ["99999999999999999999h", "10081m"])
def test_a_reminder_beyond_a_week_is_a_usage_error(tmp_path, reminder):
    program = tmp_path / "a.prog"
    program.write_text(PROGRAM.format(header="", line="plank 3x20s"))
    result = CliRunner().invoke(main, ["build", str(program), "--to", "ics", "-o", str(tmp_path / "out"),
                                       "--reminder", reminder])
    assert result.exit_code == 2 and "at most 10,080 minutes" in result.stderr
