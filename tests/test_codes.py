"""The E codes: every code the source reports is catalogued, every example reports its code,
every fix checks clean, `progdsl explain` prints them, and docs/language.md is current."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from support import ROOT

from progdsl import load_bytes, loads
from progdsl.cli import main
from progdsl.codes import ERROR_CODES, SECTIONS, table, with_table
from progdsl.codes import main as codes_main
from progdsl.rules import catalog

CODES = list(ERROR_CODES.values())
LANGUAGE = ROOT / "docs" / "language.md"

# Codes whose cause cannot be shown as a program in the explanation (bytes that are
# not UTF-8, invisible characters, megabytes of text): the explanation describes the
# cause in words, and these inputs stand in for its example.
FILE_LEVEL = {
    "E001": b'program "T"\nclient "Zo\xeb Brown"\n',  # Windows-1252, not UTF-8
    "E003": b'program "T"\nphase "Walk" 2w daily:\n\twalking 20min\n',
    "E004": b'program "Glutes\x1b"\nphase "Walk" 2w daily:\n  walking 20min\n',
    "E005": b"#" * 2_000_001,
    "E006": b'program "T"\nnote "' + b"x" * 2_000 + b'"\nphase "Walk" 2w daily:\n  walking 20min\n',
    # Thirty lines would crowd the explanation; this is the program it describes.
    "E215": b'program "Ten years"\nphase "Long" 3650d daily:\n' + b"  walking 20min\n" * 30,
}

# Codes whose example needs files next to the program (`include`): tests/test_include.py
# reports each from files on disk; E161's example, a missing file, is checked as a program.
INCLUDE_FILES = {"E162", "E163", "E164", "E165"}

# Codes whose example is a clients file (CSV), not a program: read as one.
CLIENTS_FILE = {"E166", "E167", "E168", "E169"}

# Codes whose example is a registry file (TOML), not a program: checked as a clinic registry.
REGISTRY_FILE = {e.code for e in CODES if "E301" <= e.code <= "E309" or "E311" <= e.code <= "E329"}

# A code in quotes, as the parser and the resolver pass it to `error(...)`.
_REPORTED = re.compile(r"""["'](E\d{3})["']""")


def reported_codes() -> set[str]:
    found = set()
    for path in (ROOT / "progdsl").rglob("*.py"):
        if path.name != "codes.py":
            found |= set(_REPORTED.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_reported_code_is_catalogued_and_every_catalogued_code_is_reported():
    reported = reported_codes()
    assert sorted(reported - set(ERROR_CODES)) == [], "reported but not in progdsl/codes.py"
    assert sorted(set(ERROR_CODES) - reported) == [], "in progdsl/codes.py but reported nowhere"


def test_the_catalogue_is_in_code_order_and_keyed_by_code():
    assert list(ERROR_CODES) == sorted(ERROR_CODES)
    assert all(key == entry.code and re.fullmatch(r"E\d{3}", key) for key, entry in ERROR_CODES.items())


@pytest.mark.parametrize("entry", CODES, ids=lambda e: e.code)
def test_every_code_has_every_section_a_summary_and_a_kebab_name(entry):
    sections = entry.sections()
    assert list(sections) == list(SECTIONS)
    assert all(body.strip() for body in sections.values())
    assert entry.summary.endswith(".") and "|" not in entry.summary and "\n" not in entry.summary
    assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", entry.name)


def test_names_are_unique_across_the_e_codes_and_the_rules():
    names = [e.name for e in CODES] + [r.name for r in catalog().rules]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    "entry",
    [e for e in CODES if e.code not in {*FILE_LEVEL, *REGISTRY_FILE, *INCLUDE_FILES, *CLIENTS_FILE}],
    ids=lambda e: e.code,
)
def test_the_example_reports_the_code_and_the_fix_checks_clean(entry):
    sections = entry.sections()
    example = loads(sections["Example"] + "\n", f"{entry.code}-example.prog")
    assert [d.code for d in example.diagnostics] == [entry.code], example.diagnostics
    fixed = loads(sections["Fix"] + "\n", f"{entry.code}-fixed.prog")
    assert fixed.ok and fixed.diagnostics == (), fixed.diagnostics


def registry_codes(text: str, folder) -> list[str]:
    from progdsl.clinic import Source, registry_with

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "towel_slide.png").write_bytes(b"\x89PNG\r\n")
    path = folder / "clinic.toml"
    path.write_text(text + "\n", encoding="utf-8")
    _, diagnostics = registry_with([Source(str(path), path)])
    assert all(d.source is not None and d.source.name == str(path) for d in diagnostics)
    return [d.code for d in diagnostics]


@pytest.mark.parametrize("entry", [e for e in CODES if e.code in REGISTRY_FILE], ids=lambda e: e.code)
def test_a_registry_example_reports_the_code_and_its_fix_checks_clean(entry, tmp_path):
    sections = entry.sections()
    assert registry_codes(sections["Example"], tmp_path / "example") == [entry.code]
    assert registry_codes(sections["Fix"], tmp_path / "fixed") == []


@pytest.mark.parametrize("entry", [e for e in CODES if e.code in CLIENTS_FILE - {"E166"}], ids=lambda e: e.code)
def test_a_clients_file_example_reports_the_code_and_its_fix_reads_clean(entry):
    from progdsl.clients import read_clients

    sections = entry.sections()
    _, _, found = read_clients((sections["Example"] + "\n").encode(), "clients.csv")
    assert [d.code for d in found] == [entry.code]
    _, rows, found = read_clients((sections["Fix"] + "\n").encode(), "clients.csv")
    assert found == [] and len(rows) == 1


def test_the_include_and_clients_codes_are_reported_where_their_tests_say():
    """The codes whose examples are described in words have tests of their own."""
    tests = (ROOT / "tests" / "test_include.py").read_text(encoding="utf-8")
    tests += (ROOT / "tests" / "test_clients.py").read_text(encoding="utf-8")
    assert all(f'"{code}"' in tests for code in INCLUDE_FILES | CLIENTS_FILE)


def test_the_include_limits_in_the_explanation_are_the_ones_progdsl_applies():
    from progdsl.include import MAX_INCLUDED_FILES, MAX_TOTAL_BYTES

    assert f"{MAX_INCLUDED_FILES} files" in ERROR_CODES["E164"].summary
    assert f"{MAX_TOTAL_BYTES:,} bytes" in ERROR_CODES["E164"].summary


@pytest.mark.parametrize("code", FILE_LEVEL)
def test_the_file_level_codes_are_reported_for_the_input_their_explanation_describes(code):
    assert code in ERROR_CODES
    assert code in [d.code for d in load_bytes(FILE_LEVEL[code], f"{code}.prog").diagnostics]


def test_the_limits_in_the_explanations_are_the_ones_progdsl_applies():
    from progdsl.parser import MAX_BYTES, MAX_LINE_CHARS
    from progdsl.resolve import MAX_DAYS, MAX_SETS
    from progdsl.vocabulary import DoseKind

    assert f"{MAX_BYTES:,}" in ERROR_CODES["E005"].summary
    assert f"{MAX_LINE_CHARS:,}" in ERROR_CODES["E006"].summary
    from progdsl.resolve import MAX_PLANNED_DOSES

    assert f"{MAX_PLANNED_DOSES:,}" in ERROR_CODES["E215"].summary
    e214 = " ".join(ERROR_CODES["E214"].doc.split())
    assert all(
        text in e214
        for text in (f"{MAX_SETS:,} sets", f"{DoseKind.REPS.max_amount:,} repetitions", f"{MAX_DAYS:,} days")
    )


def test_docs_language_md_has_the_generated_table():
    text = LANGUAGE.read_text(encoding="utf-8")
    assert text == with_table(text), "regenerate it: python -m progdsl.codes --write docs/language.md"
    assert "| E201 | unknown-exercise |" in text


def test_the_generator_writes_between_the_markers_and_refuses_a_file_without_them(tmp_path, capsys):
    page = tmp_path / "page.md"
    page.write_text("before\n" + table().replace("| E201 |", "| E999 |") + "\nafter\n", encoding="utf-8")
    assert codes_main(["--write", str(page)]) == 0
    assert page.read_text(encoding="utf-8") == f"before\n{table()}\nafter\n"
    with pytest.raises(ValueError):
        with_table("no markers here")
    assert codes_main([]) == 0 and capsys.readouterr().out.endswith(table() + "\n")


@pytest.mark.parametrize("entry", CODES, ids=lambda e: e.code)
def test_explain_prints_every_e_code_in_any_case(entry):
    result = CliRunner().invoke(main, ["explain", entry.code.lower()])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{entry.code} {entry.name} (error)\n{entry.summary}\n")
    assert all(title in result.output for title in SECTIONS)


def test_explain_E201_explains_the_unknown_exercise_and_does_not_suggest_S201():
    result = CliRunner().invoke(main, ["explain", "E201"])
    assert result.exit_code == 0
    assert result.output.startswith("E201 unknown-exercise (error)")
    assert "clamshel 3x12" in result.output and "clam_shell 3x12" in result.output
    assert "Did you mean" not in result.output


def test_explain_takes_an_e_code_by_name():
    result = CliRunner().invoke(main, ["explain", "Missing-Dose"])
    assert result.exit_code == 0 and result.output.startswith("E205 missing-dose (error)")


@pytest.mark.parametrize(
    "given, suggestion",
    [("E2O1", "E201"), ("S2O1", "S201"), ("unknown-exercize", "unknown-exercise"), ("E999", None)],
)
def test_explain_suggests_over_every_code(given, suggestion):
    result = CliRunner().invoke(main, ["explain", given])
    if suggestion:
        assert result.exit_code == 2 and f"Did you mean {suggestion}" in result.output
    else:
        assert result.exit_code == 2 and "docs/language.md lists the E codes" in result.output
