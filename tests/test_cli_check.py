"""`progdsl check`, `exercises` and `exercise` as a clinician uses them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from support import LANGUAGE_EXAMPLE, PROGRAMS, program_with

from progdsl.cli import main

BAD = program_with("clamshel 3x12")


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "good.prog"
    good.write_text(LANGUAGE_EXAMPLE, encoding="utf-8")
    bad = tmp_path / "bad.prog"
    bad.write_text(BAD, encoding="utf-8")
    return good, bad


def run(*args, input=None, color=False):
    return CliRunner().invoke(main, list(args), input=input, color=color)


def test_clean_file_exits_0(files):
    result = run("check", str(files[0]))
    assert result.exit_code == 0, result.output
    assert "error:" not in result.output  # the safety rules may warn (S506: clam_shell has no `each side`)


def test_errors_exit_1_with_location_caret_and_help(files):
    result = run("check", str(files[1]))
    assert result.exit_code == 1
    assert f"{files[1]}:4:5: E201 error: unknown exercise `clamshel`" in result.output
    assert "^^^^^^^^ E201" in result.output and "= help: did you mean `clam_shell`?" in result.output
    assert "Found 1 error" in result.output


def test_many_files_each_reported_and_the_check_goes_on(files, tmp_path):
    worse = tmp_path / "worse.prog"
    worse.write_bytes(b"\xff\xfe")
    result = run("check", str(files[1]), str(worse), str(files[0]))
    assert result.exit_code == 1
    assert "bad.prog:4:5: E201" in result.output and "worse.prog:1:1: E001" in result.output
    assert "in 3 files" in result.output


def test_a_folder_is_checked_file_by_file(tmp_path, files):
    result = run("check", str(tmp_path))
    assert result.exit_code == 1 and "in 2 files" in result.output


def test_standard_input():
    result = run("check", "-", input=BAD)
    assert result.exit_code == 1 and "<stdin>:4:5: E201" in result.output


def test_json_format(files):
    result = run("check", "--format", "json", str(files[1]), str(files[0]))
    assert result.exit_code == 1
    (record,) = [r for r in json.loads(result.output) if r["severity"] == "error"]
    assert record["code"] == "E201" and record["line"] == 4 and record["file"].endswith("bad.prog")


@pytest.mark.parametrize(
    "args",
    [("check",), ("check", "no/such/file.prog"), ("check", "--format", "xml", "x.prog"), ("nonsense",)],
)
def test_usage_errors_exit_2(args):
    assert run(*args).exit_code == 2


def test_empty_folder_is_a_usage_error(tmp_path):
    result = run("check", str(tmp_path))
    assert result.exit_code == 2 and "no .prog files" in result.output


def test_colour_only_on_a_terminal(files):
    assert "\x1b[" not in run("check", str(files[1])).output
    assert "\x1b[" in run("check", str(files[1]), color=True).output


def test_example_programs_check_without_errors():
    result = run("check", str(PROGRAMS))
    assert result.exit_code == 0, result.output


def test_exercises_lists_and_searches():
    listing = run("exercises")
    assert listing.exit_code == 0 and "clam_shell" in listing.output and "walking" in listing.output
    search = run("exercises", "gluteus_medius")
    assert "clam_shell" in search.output and "swimming" not in search.output


def test_a_search_lists_the_regions_exercises_first_then_those_it_names_then_the_rest():
    from progdsl.registry import builtin_registry
    from progdsl.vocabulary import Region

    found = builtin_registry().search("knee")
    regions = [Region.KNEE in e.regions for e in found]
    first_other = regions.index(False)
    assert first_other > 10 and not any(regions[first_other:])  # every knee exercise, then the others
    ids = [e.id for e in found]
    assert ids.index("knee_push_up") < ids.index("hip_flexor_stretch")  # named `knee`, before `kneeling`
    assert found == sorted(found[:first_other], key=lambda e: e.id) + found[first_other:]


def test_exercises_search_with_no_match_suggests():
    result = run("exercises", "clamshel")
    assert result.exit_code == 1 and "clam_shell" in result.output


def test_exercise_shows_one_entry_in_full():
    result = run("exercise", "clam")  # an alias
    assert result.exit_code == 0
    for expected in ("Clam shell", "clam_shell", "side_lying_clam", "recommended", "How to do it", "Take care", "1."):
        assert expected in result.output


def test_unknown_exercise_is_a_usage_error_with_did_you_mean():
    result = run("exercise", "brige")
    assert result.exit_code == 2 and "bridge" in result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_pipe_given_as_a_path_is_refused_with_the_way_to_pipe_a_program(tmp_path):
    """It exists, so "does not exist" was wrong; reading it could wait for ever."""
    os.mkfifo(tmp_path / "pipe")
    result = run("check", str(tmp_path / "pipe"))
    assert result.exit_code == 2
    assert "is not a file or a folder" in result.output and "give `-`" in result.output
    assert "does not exist" in run("check", str(tmp_path / "missing.prog")).output


def test_python_dash_m_runs_the_cli(files):
    process = subprocess.run([sys.executable, "-m", "progdsl", "check", str(files[1])], capture_output=True, text=True)
    assert process.returncode == 1 and "E201" in process.stdout and "\x1b[" not in process.stdout


def test_check_does_not_import_the_heavy_backends(files):
    """`progdsl check` runs on every save: no WeasyPrint, Jinja2, rich or icalendar, and not
    Lark itself either: the parser generated from the grammar does the parsing."""
    process = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "progdsl", "check", str(files[0])],
        capture_output=True,
        text=True,
    )
    assert process.returncode == 0, process.stdout + process.stderr
    modules = {line.split("|")[-1].strip() for line in process.stderr.splitlines() if "|" in line}
    imported = {module.split(".")[0] for module in modules}
    assert "progdsl._lark_standalone" in modules
    assert not imported & {"weasyprint", "jinja2", "rich", "icalendar", "lark"}


@pytest.mark.parametrize(
    "misspelt, program_region_line, expected, not_expected",
    [
        ("external_rotaton", "pendulum 3x30s each side", "wand_external_rotation", "hip_rotations"),
        ("single_leg_stanse", "sit_to_stand 3x8", "single_leg_stance", "single_leg_deadlift"),
        ("hamstring_strech", "quad_set 2x10 each side", "hamstring_stretch", None),
    ],
)
def test_did_you_mean_stays_in_the_program_s_regions_and_stages(misspelt, program_region_line, expected, not_expected):
    from progdsl import loads

    text = f'program "T"\nphase "A" 2w daily:\n  {program_region_line}\n  {misspelt} 3x10\n'
    (diagnostic,) = [d for d in loads(text).diagnostics if d.code == "E201"]
    assert f"`{expected}`" in diagnostic.help
    if not_expected:
        assert not_expected not in diagnostic.help


def test_did_you_mean_offers_no_other_region_when_the_program_s_region_has_a_match():
    from progdsl import loads

    text = 'program "Knee"\nphase "A" 2w daily:\n  quad_set 2x10 hold 5s each side\n  heel_slyde 2x15 each side\n'
    (diagnostic,) = [d for d in loads(text).diagnostics if d.code == "E201"]
    assert "`heel_slide`" in diagnostic.help and "core_heel_slide" not in diagnostic.help
