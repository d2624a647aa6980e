"""`include "FILE.prog"`: a program takes the phases of protocol files; every fault is
reported in the file it is in."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from progdsl import load
from progdsl.cli import main
from progdsl.compiler import plan_of
from progdsl.diagnostics import render_text
from progdsl.include import MAX_INCLUDED_FILES

PROTOCOL = """\
program "ACL early protocol"
clinician "Alex Moore"
time 07:30
equipment mat, towel
caution "Stop if the knee swells."

phase "Straighten" 2w:
  session "Knee morning" daily:
    quad_set 2x10 hold 5s rest 30s each side
    heel_slide 2x15 each side
"""

CLIENT = """\
program "Knee for Sam"
client "Sam Lee"
start 2026-12-07
time 18:00
include "protocols/acl.prog"

phase "Warm up" 1w:
  session daily:
    walking 10min
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def phase(name: str) -> str:
    return f'phase "{name}" 1w daily:\n  walking 10min\n'


@pytest.fixture
def clinic(tmp_path):
    write(tmp_path, "protocols/acl.prog", PROTOCOL)
    return write(tmp_path, "sam.prog", CLIENT)


def only(result):
    (d,) = result.diagnostics
    return d


def test_the_protocols_phases_follow_the_programs_own_and_its_header_fills_the_gaps(clinic):
    result = load(clinic)
    assert result.ok and result.diagnostics == (), result.diagnostics
    program = result.program
    assert [p.name for p in program.phases] == ["Warm up", "Straighten"]
    assert program.title == "Knee for Sam" and program.client == "Sam Lee"
    assert program.time.isoformat() == "18:00:00"  # this file's header wins
    assert program.clinician == "Alex Moore"  # given only by the protocol
    assert [item.name for item in program.equipment] == ["mat", "towel"]
    assert [c.text for c in program.cautions] == ["Stop if the knee swells."]
    plan, _ = plan_of(result)
    assert plan.name == "sam" and str(plan.end) == "2026-12-27"


def test_a_fault_in_the_included_file_names_that_file_its_line_and_column(clinic):
    write(clinic.parent, "protocols/acl.prog", PROTOCOL.replace("heel_slide", "heel_slid"))
    result = load(clinic)
    d = only(result)
    assert (d.code, d.source.name, d.span.line, d.span.col) == (
        "E201",
        str(clinic.parent / "protocols/acl.prog"),
        10,
        5,
    )
    shown = render_text(d, result.source)
    assert shown.startswith(f"{clinic.parent / 'protocols/acl.prog'}:10:5: E201")
    assert "10 |     heel_slid 2x15 each side" in shown


def test_a_syntax_error_in_the_included_file_names_that_file(clinic):
    write(clinic.parent, "protocols/acl.prog", PROTOCOL.replace("2x15", "15 reps"))
    d = only(load(clinic))
    assert (d.code, Path(d.source.name).name, d.span.line, d.span.col) == ("E101", "acl.prog", 10, 16)


def test_a_safety_warning_about_an_included_line_points_into_that_file(clinic):
    write(clinic.parent, "protocols/acl.prog", PROTOCOL.replace(", towel", ""))
    result = load(clinic)
    assert result.ok
    assert {(d.code, Path(d.source.name).name, d.span.line) for d in result.diagnostics} == {
        ("S501", "acl.prog", 9),
        ("S501", "acl.prog", 10),
    }


def test_E161_a_missing_file_is_reported_at_the_include_line(tmp_path):
    main_file = write(tmp_path, "a.prog", 'program "A"\n\ninclude "nope.prog"\n' + phase("A"))
    d = only(load(main_file))
    assert (d.code, d.span.line, d.span.col) == ("E161", 3, 9)
    assert "nope.prog" in d.message and "relative to the file" in d.help


def test_E162_a_cycle_is_reported_at_the_include_that_closes_it(tmp_path):
    first = write(tmp_path, "a.prog", 'program "A"\ninclude "b.prog"\n' + phase("A"))
    write(tmp_path, "b.prog", 'program "B"\ninclude "a.prog"\n' + phase("B"))
    d = only(load(first))
    assert (d.code, Path(d.source.name).name, d.span.line, d.span.col) == ("E162", "b.prog", 2, 9)
    assert "a.prog → b.prog → a.prog" in d.message


def test_E162_a_file_that_includes_itself(tmp_path):
    path = write(tmp_path, "a.prog", 'program "A"\ninclude "a.prog"\n' + phase("A"))
    assert only(load(path)).code == "E162"


def test_E163_a_folder_is_not_a_program_file(tmp_path):
    (tmp_path / "protocols").mkdir()
    path = write(tmp_path, "a.prog", 'program "A"\ninclude "protocols"\n' + phase("A"))
    d = only(load(path))
    assert (d.code, d.span.line) == ("E163", 2) and "folder" in d.message


def test_E001_an_included_file_that_is_not_utf8_is_reported_in_that_file(tmp_path):
    write(tmp_path, "latin.prog", b'program "B"\nclient "Ren\xe9"\n' + phase("B").encode())
    path = write(tmp_path, "a.prog", 'program "A"\ninclude "latin.prog"\n')
    d = only(load(path))
    assert (d.code, Path(d.source.name).name, d.span.line, d.span.col) == ("E001", "latin.prog", 2, 12)


def test_E164_too_many_included_files(tmp_path):
    for n in range(MAX_INCLUDED_FILES + 1):
        write(tmp_path, f"p{n}.prog", f'include "p{n + 1}.prog"\n' + phase(f"P{n}"))
    write(tmp_path, f"p{MAX_INCLUDED_FILES + 1}.prog", phase("last"))
    path = write(tmp_path, "a.prog", 'program "A"\ninclude "p0.prog"\n')
    d = only(load(path))
    assert d.code == "E164" and Path(d.source.name).name == f"p{MAX_INCLUDED_FILES - 1}.prog"


def test_E164_the_program_and_its_includes_share_one_size_limit(tmp_path):
    big = phase("Big") + ("# " + "x" * 1000 + "\n") * 1100
    write(tmp_path, "one.prog", big)
    write(tmp_path, "two.prog", big)
    path = write(tmp_path, "a.prog", 'program "A"\ninclude "one.prog"\ninclude "two.prog"\n')
    d = only(load(path))
    assert (d.code, d.span.line) == ("E164", 3) and "bytes" in d.message


def test_E165_an_included_file_without_phases(tmp_path):
    write(tmp_path, "header.prog", 'caution "Careful"\n')
    path = write(tmp_path, "a.prog", 'program "A"\ninclude "header.prog"\n' + phase("A"))
    d = only(load(path))
    assert (d.code, d.span.line) == ("E165", 2)


def test_nested_includes_come_depth_first_after_each_files_own_phases(tmp_path):
    write(tmp_path, "lib/b.prog", 'include "c.prog"\n' + phase("B"))
    write(tmp_path, "lib/c.prog", phase("C"))
    write(tmp_path, "d.prog", phase("D"))
    path = write(tmp_path, "a.prog", 'program "A"\ninclude "lib/b.prog"\ninclude "d.prog"\n' + phase("A"))
    result = load(path)
    assert result.ok, result.diagnostics
    assert [p.name for p in result.program.phases] == ["A", "B", "C", "D"]


def test_a_header_line_after_the_included_files_phase_is_reported_there(tmp_path):
    write(tmp_path, "b.prog", phase("B") + 'client "Late"\n')
    path = write(tmp_path, "a.prog", 'program "A"\ninclude "b.prog"\n' + phase("A"))
    d = only(load(path))
    assert (d.code, Path(d.source.name).name, d.span.line) == ("E113", "b.prog", 3)


def test_an_include_after_a_phase_is_a_header_line_out_of_place(tmp_path):
    write(tmp_path, "b.prog", phase("B"))
    path = write(tmp_path, "a.prog", 'program "A"\n' + phase("A") + 'include "b.prog"\n')
    d = only(load(path))
    assert (d.code, d.span.line) == ("E113", 4)


def test_a_registry_line_in_an_included_file_is_relative_to_that_file(tmp_path):
    write(tmp_path, "lib/b.prog", 'registry "missing.toml"\n' + phase("B"))
    path = write(tmp_path, "a.prog", 'program "A"\ninclude "lib/b.prog"\n' + phase("A"))
    d = only(load(path))
    assert (d.code, Path(d.source.name).name, d.span.line) == ("E310", "b.prog", 1)
    assert str(tmp_path / "lib" / "missing.toml") in d.message


def test_check_on_the_command_line_shows_the_included_file(clinic, tmp_path):
    write(clinic.parent, "protocols/acl.prog", PROTOCOL.replace("heel_slide", "heel_slid"))
    result = CliRunner().invoke(main, ["check", str(clinic)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'protocols/acl.prog'}:10:5: E201" in result.output


def test_an_include_from_standard_input_is_relative_to_the_working_folder(clinic, monkeypatch):
    monkeypatch.chdir(clinic.parent)
    result = CliRunner().invoke(main, ["check", "-"], input=CLIENT)
    assert result.exit_code == 0, result.output


def test_the_clinic_examples_check_clean_and_build_for_their_clients(tmp_path):
    """programs/clinic/: a protocol, a client's file that includes it, and a clients file."""
    from support import PROGRAMS

    clinic = PROGRAMS / "clinic"
    own = load(clinic / "sam_lee.prog")
    assert own.ok and own.diagnostics == (), own.diagnostics
    assert [p.name for p in own.program.phases] == ["Walk first", "Straighten and activate", "Build strength"]
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(clinic / "knee_acl_protocol.prog"),
            "--clients",
            str(clinic / "clients.csv"),
            "--to",
            "json",
            "-o",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "knee_acl_protocol-jordan-avery.json",
        "knee_acl_protocol-sam-lee-2.json",
        "knee_acl_protocol-sam-lee.json",
    ]


def test_an_included_line_numbers_on_past_the_including_files_lines(clinic):
    """Every line of the program has a number of its own (the JSON's `line`, the handout's keys)."""
    program = load(clinic).program
    walk = program.phases[0].sessions[0].prescriptions[0]
    quad = program.phases[1].sessions[0].prescriptions[0]
    own_lines = len(CLIENT.split("\n"))
    assert walk.span.line == 9 and quad.span.line == own_lines + 9
