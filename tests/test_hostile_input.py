"""Hostile and odd input: every case ends in diagnostics with a line, never an exception."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest
from support import HEADER, error_codes, program_with

from progdsl import load_bytes, loads
from progdsl.diagnostics import render_text

PHASE = 'phase "P" 2w daily:\n  walking 20min\n'


def diagnostics_of(data: bytes):
    result = load_bytes(data, "hostile.prog")
    for diagnostic in result.diagnostics:
        assert diagnostic.span.line >= 1 and diagnostic.span.col >= 1
        render_text(diagnostic, result.source)
    return result


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + (HEADER + PHASE).encode(),  # UTF-8 byte-order mark
        (HEADER + PHASE).replace("\n", "\r\n").encode(),  # Windows line ends
        (HEADER + PHASE).replace("\n", "\r").encode(),  # old Mac line ends
        (HEADER + PHASE).rstrip("\n").encode(),  # no final newline
        (HEADER + PHASE).replace("3x", "3×").encode(),  # the multiplication sign
        program_with("clam_shell 3×12 each side rest 30–60s").encode(),  # × and the en dash
    ],
)
def test_line_ends_and_marks_that_editors_produce_are_accepted(data):
    assert diagnostics_of(data).ok


def test_nul_and_control_characters_are_named():
    result = diagnostics_of((HEADER + 'client "Sam\x00 Lee"\n' + PHASE).encode())
    assert [(d.code, d.span.line, d.span.col) for d in result.diagnostics] == [("E004", 2, 12)]
    assert "U+0000" in result.diagnostics[0].message


def test_invalid_utf8_points_at_the_first_bad_byte():
    result = diagnostics_of((HEADER + PHASE).encode() + b"# \xc3\x28\n")
    assert [(d.code, d.span.line, d.span.col) for d in result.diagnostics] == [("E001", 4, 3)]


@pytest.mark.parametrize(
    "text, code, hint",
    [
        (HEADER + 'phase\u00a0"P" 2w daily:\n  walking 20min\n', "E101", "normal space"),
        (HEADER + "phase \u201cP\u201d 2w daily:\n  walking 20min\n", "E101", "straight double quote"),
        (program_with("\u0441lam_shell 3x12 each side"), "E201", "Latin letter `c`"),
        (program_with("plank 3x20s rest 60\u200bs"), "E101", "ZERO WIDTH SPACE"),
    ],
)
def test_lookalike_characters_get_a_hint(text, code, hint):
    (diagnostic,) = loads(text, "t.prog").diagnostics
    assert diagnostic.code == code and hint in diagnostic.help


def test_a_one_megabyte_line_is_refused_at_once():
    result = diagnostics_of((HEADER + "# " + "x" * 1_000_000 + "\n" + PHASE).encode())
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("E006", 2)]


def test_two_hundred_thousand_blank_lines():
    text = HEADER + "\n" * 200_000 + 'phase "P" 2w daily:\n  clamshel 20min\n'
    assert error_codes(text) == [("E201", 200_003)]


def test_thousands_of_phases():
    phases = "".join(f'phase "Week {n}" 1d daily:\n  walking 20min\n' for n in range(3000))
    result = diagnostics_of((HEADER + phases).encode())
    assert result.ok is False  # 3,000 days is longer than the 52 weeks S505 allows
    assert [d.code for d in result.errors] == ["S505"]


@pytest.mark.parametrize(
    "line",
    [
        "squat 99999999999999999999x10",
        "squat 3x99999999999999999999",
        "walking 99999999999999999999999min",
        "plank 3x99999999999999999999s",
        "squat 3x10 rest 99999999999999999999s",
        "squat 3x10 load 99999999999999999999999kg",
        "squat 3x10 every 99999999999999999999 days",
        "squat 3x10 progress to 12 over 99999999999999999999w",
    ],
)
def test_numbers_too_large_for_any_range(line):
    assert error_codes(program_with(line)) == [("E214", 4)]


def test_a_phase_or_program_too_long_to_put_on_a_calendar():
    assert error_codes(HEADER + 'phase "P" 99999999999999w daily:\n  walking 20min\n') == [("E214", 2)]
    long = HEADER + 'phase "A" 3000d daily:\n  walking 20min\nphase "B" 700d daily:\n  walking 20min\n'
    assert ("E214", 4) in error_codes(long)


def test_an_allowed_long_program_still_cannot_overflow_the_calendar():
    text = HEADER + 'allow S505 "testing"\nphase "P" 99999999w daily:\n  walking 20min\n'
    assert ("E214", 3) in error_codes(text)


def test_a_build_killed_mid_write_leaves_the_old_file_whole(tmp_path):
    """SIGKILL after the new bytes are written but before the rename: the old file stays as it was."""
    program = tmp_path / "glutes.prog"
    program.write_text(HEADER + PHASE, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "glutes.json").write_bytes(b"old")
    code = (
        "import os, signal, sys\n"
        "os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from progdsl.cli import main\n"
        f"main(['build', {str(program)!r}, '--to', 'json', '-o', {str(out)!r}])\n"
    )
    killed = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    assert (out / "glutes.json").read_bytes() == b"old"
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == ["glutes.json"]


# ---- input larger than the limit is never read whole ------------------------------------


def _limited_memory():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GB: far more than progdsl needs


@pytest.mark.parametrize("how", ["file", "stdin"])
def test_an_endless_input_is_refused_with_E005_not_a_memory_error(how):
    """`progdsl plan /dev/zero`, or standard input that never ends, used to read until memory ran out."""
    with open("/dev/zero", "rb") as zeros:
        done = subprocess.run(
            [sys.executable, "-m", "progdsl", "plan", "/dev/zero" if how == "file" else "-"],
            stdin=zeros,
            capture_output=True,
            text=True,
            timeout=60,
            preexec_fn=_limited_memory,
        )
    assert done.returncode == 1, done.stderr
    assert "E005" in done.stderr and "Traceback" not in done.stderr


def test_a_large_file_is_not_held_in_memory(tmp_path):
    import tracemalloc

    from progdsl import load
    from progdsl.batch import compile_program
    from progdsl.build_settings import BuildSettings
    from progdsl.parser import MAX_BYTES

    big = tmp_path / "big.prog"
    with open(big, "wb") as stream:
        stream.truncate(100_000_000)  # sparse: 100 MB of NUL bytes
    tracemalloc.start()
    try:
        assert [d.code for d in load(big).diagnostics] == ["E005"]
        compiled = compile_program(str(big), [], BuildSettings(tmp_path / "out"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [d.code for d in compiled.checked.result.diagnostics] == ["E005"]
    assert peak < 4 * MAX_BYTES


# ---- a plan too large to build ------------------------------------------------------------

# 5 KB of program that checked in a fraction of a second, then took gigabytes and half a
# minute to build: ten years of daily sessions of 30 exercises.
HUGE_PLAN = 'program "Ten years"\nphase "Long" 3650d daily:\n' + "  walking 20min\n" * 30


def test_a_plan_too_large_to_build_is_refused_at_check_time():
    assert error_codes(HUGE_PLAN) == [("E215", 2)]


def test_the_plan_size_is_counted_at_the_phase_that_passes_the_limit():
    phase = 'phase "Year {n}" 52w daily:\n' + "  walking 20min\n" * 30
    text = HEADER + "".join(phase.format(n=n) for n in range(1, 5))  # 10,920 doses a year
    assert "E215" not in [code for code, _ in error_codes(text)]
    text = HEADER + "".join(phase.format(n=n) for n in range(1, 11))
    assert error_codes(text) == [("E215", 2 + 31 * 9)]  # year 10 passes 100,000


@pytest.mark.parametrize("frequency", ["daily", "every 3 days", "3x/week", "on mon sat", "5x/week"])
@pytest.mark.parametrize("weeks_and_days", ["2w", "10d", "17d", "1d"])
def test_the_counted_doses_are_never_fewer_than_the_planned_ones(frequency, weeks_and_days):
    import datetime as dt

    from progdsl.plan import build_plan

    program = loads(f'{HEADER}phase "P" {weeks_and_days} {frequency}:\n  walking 20min\n  plank 3x20s\n').program
    assert program is not None
    (phase,) = program.phases
    counts = {
        sum(len(s.exercises) for s in build_plan(program, dt.date(2026, 1, 5) + dt.timedelta(days=d)).sessions)
        for d in range(7)
    }
    assert phase.planned_doses >= max(counts)
    if frequency in ("daily", "every 3 days"):
        assert phase.planned_doses == max(counts)
