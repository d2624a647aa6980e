"""The rule engine: discovery through entry points, failing rules and packs, options."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

from progdsl import loads, plugins
from progdsl.diagnostics import error
from progdsl.rules import ERROR, WARNING, Catalog, CheckOptions, catalog, check_program, load_catalog, rule

BUILTIN_PACKS = {"ranges", "progression", "staging", "recovery", "red_flags", "practicality", "conditions"}

GOOD = 'program "T"\nequipment mat\nphase "A" 2w:\n  session daily:\n    clam_shell 3x12 rest 30-60s\n'


def program():
    return loads(GOOD, options=CheckOptions(select=("S0",))).program


@rule("X101", "always-warns", WARNING, "Warns on the title.")
def always_warns(program, ctx):
    """What it checks\n    Nothing."""
    yield ctx.report(program.title_span, "hello")


@rule("X102", "always-raises", ERROR, "Raises.")
def always_raises(program, ctx):
    """What it checks\n    Nothing."""
    raise ZeroDivisionError("division by zero")
    yield


@rule("X103", "wrong-code", WARNING, "Yields another rule's code.")
def wrong_code(program, ctx):
    """What it checks\n    Nothing."""
    yield error("S101", "not mine", program.title_span)


@pytest.fixture
def pack(monkeypatch):
    """A rule pack as an installed plugin would be: a module whose RULES an entry point names."""

    def make(name: str, rules: object) -> plugins.Plugin:
        module = types.ModuleType(f"fake_pack_{name}")
        module.RULES = rules
        monkeypatch.setitem(sys.modules, module.__name__, module)
        return plugins.Plugin(plugins.RULES, name, f"{module.__name__}:RULES", "clinic-rules", "1.0")

    return make


def test_the_built_in_packs_are_registered_as_entry_points():
    assert {p.name for p in plugins.discover(plugins.RULES)} >= BUILTIN_PACKS
    assert catalog().problems == ()


def test_every_code_is_unique_stable_and_kebab_named():
    codes = [r.code for r in catalog().rules]
    assert len(codes) == len(set(codes)) == 35
    assert {c[:2] for c in codes} == {"S0", "S1", "S2", "S3", "S4", "S5", "S6"}


def test_a_rule_that_raises_is_reported_by_name_and_the_others_still_run():
    found = check_program(program(), rules=Catalog((always_raises, always_warns)))
    assert [d.code for d in found] == ["S000", "X101"]
    failed = found[0]
    assert failed.is_error and "X102 (always-raises)" in failed.message and "ZeroDivisionError" in failed.message


def test_a_rule_that_yields_another_code_is_reported():
    (failed,) = check_program(program(), rules=Catalog((wrong_code,)))
    assert failed.code == "S000" and "X103" in failed.message


def test_an_allow_for_a_failed_rule_is_not_called_unused():
    text = GOOD.replace("equipment mat", 'equipment mat\nallow X102 "x"')
    bound = loads(text, options=CheckOptions(select=("S5",))).program
    found = check_program(bound, rules=Catalog((always_raises,)))
    assert [d.code for d in found] == ["S000"]


def test_packs_load_from_entry_points_and_failures_are_reported_not_fatal(pack):
    broken = plugins.Plugin(plugins.RULES, "broken", "no_such_clinic_rules:RULES", "clinic-rules", "1.0")
    loaded = load_catalog(
        [broken, pack("clinic", (always_warns,)), pack("again", [always_warns]), pack("junk", "not a rule")]
    )
    assert loaded.get("X101") is always_warns and loaded.get("always-warns") is always_warns
    assert [p.split(":")[0] for p in loaded.problems] == [
        "rule pack 'broken' (clinic-rules 1.0) failed to import",
        "rule pack `clinic` defines X101 again; the one from pack `again` is kept",
        "rule pack `junk` provides 'not a rule', which is not a rule made with `progdsl.rules.rule`",
    ]
    found = check_program(program(), rules=loaded)
    assert [d.code for d in found] == ["S000", "S000", "S000", "X101"]


def test_built_in_packs_win_a_clash_of_codes(pack):
    clash = rule("S101", "clash", WARNING, "x")(lambda program, ctx: ())
    loaded = load_catalog([pack("aaa", (clash,)), *plugins.discover(plugins.RULES)])
    assert loaded.get("S101").name == "dose-outside-safe-range"
    assert any("`aaa` defines S101 again" in p for p in loaded.problems)


@pytest.mark.parametrize("code, name", [("E101", "fine-name"), ("S1", "fine-name"), ("X101", "Not_Kebab")])
def test_rules_with_bad_codes_or_names_are_refused(code, name, pack):
    bad = rule(code, name, WARNING, "x")(lambda program, ctx: ())
    loaded = load_catalog([pack("bad", bad)])
    assert loaded.get(code) is None and len(loaded.problems) == 1


def test_select_and_ignore_take_prefixes_and_s000_always_runs():
    options = CheckOptions(select=("S1", "S506"), ignore=("S102",))
    assert [c for c in ("S000", "S101", "S102", "S201", "S506") if options.enabled(c)] == ["S000", "S101", "S506"]


def test_strict_turns_warnings_into_errors():
    relaxed = loads(GOOD)
    strict = loads(GOOD, options=CheckOptions(strict=True))
    assert relaxed.ok and [d.code for d in relaxed.warnings] == ["S506"]
    assert not strict.ok and [d.code for d in strict.errors] == ["S506"]


def test_rules_run_only_on_a_program_that_binds():
    result = loads(GOOD.replace("clam_shell", "clamshel"))
    assert [d.code for d in result.diagnostics] == ["E201"]


def test_checking_imports_no_rendering_libraries():
    script = (
        "import sys, progdsl\n"
        "from progdsl.rules import catalog\n"
        "catalog(); progdsl.loads(open('programs/back_pain_stages.prog').read())\n"
        "print(sorted(m for m in ('rich', 'jinja2', 'weasyprint', 'icalendar') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=__file__.rsplit("/tests/", 1)[0]
    )
    assert out.stdout.strip() == "[]"
