"""`progdsl rules`, `progdsl explain` and `check --strict/--select/--ignore`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from progdsl.cli import main
from progdsl.rules import catalog

# Warnings only: S506 (line 5, no `each side`) and S104 (line 6, rest too short).
WARNS = """\
program "T"
equipment mat
phase "A" 2w:
  session on mon wed fri:
    clam_shell 3x12 rest 30-60s
    glute_bridge 3x12 rest 5s
"""


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def codes(output: str) -> list[str]:
    return sorted(record["code"] for record in json.loads(output))


def test_rules_lists_every_code_name_and_severity():
    result = run("rules")
    assert result.exit_code == 0
    for rule in catalog().rules:
        assert rule.code in result.output


def test_rules_as_json():
    records = json.loads(run("rules", "--format", "json").output)
    assert records[3] == {
        "code": "S101",
        "name": "dose-outside-safe-range",
        "severity": "error",
        "summary": "Sets or amount outside the exercise's safe range.",
        "sources": ["ACSM 2009", "ACSM 2011", "Conway (CCHN)"],
    }


def test_explain_by_name():
    result = run("explain", "one-sided-without-each-side")
    assert result.exit_code == 0 and result.output.startswith("S506 ")


@pytest.mark.parametrize("given, suggestion", [("S2O1", "S201"), ("S560", "S506"), ("unknown-flags", "unknown-flag")])
def test_explain_an_unknown_code_suggests_and_exits_2(given, suggestion):
    result = run("explain", given)
    assert result.exit_code == 2 and f"Did you mean {suggestion}" in result.output


def test_warnings_exit_0_and_strict_makes_them_errors():
    relaxed = run("check", "-", input=WARNS)
    assert relaxed.exit_code == 0 and "S506 warning" in relaxed.output
    strict = run("check", "--strict", "-", input=WARNS)
    assert strict.exit_code == 1 and "S506 error" in strict.output and "Found 2 errors" in strict.output


def test_errors_exit_1():
    result = run("check", "-", input=WARNS.replace("3x12 rest 5s", "99x12 rest 60s"))
    assert result.exit_code == 1 and "<stdin>:6:18: S101 error" in result.output


@pytest.mark.parametrize(
    "args, expected",
    [
        ((), ["S104", "S506"]),
        (("--select", "S5"), ["S506"]),
        (("--select", "s104,S506"), ["S104", "S506"]),
        (("--select", "S1", "--select", "S5"), ["S104", "S506"]),
        (("--ignore", "S1"), ["S506"]),
        (("--select", "S5", "--ignore", "S506"), []),
    ],
)
def test_select_and_ignore_like_ruff(args, expected):
    result = run("check", "--format", "json", *args, "-", input=WARNS)
    assert result.exit_code == 0 and codes(result.output) == expected


def test_compiler_errors_are_never_selected_away():
    result = run("check", "--format", "json", "--select", "S5", "-", input=WARNS.replace("clam_shell", "clamshel"))
    assert result.exit_code == 1 and codes(result.output) == ["E201"]


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_a_code_that_selects_nothing_is_a_usage_error(option):
    result = run("check", option, "S9", "-", input=WARNS)
    assert result.exit_code == 2 and "no rule code starts with 'S9'" in result.output
