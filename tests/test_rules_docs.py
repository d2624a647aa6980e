"""Every rule is documented, its examples do what they say, and the reference is current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from progdsl import loads
from progdsl.cli import main
from progdsl.rules import SECTIONS, SOURCE_SECTION, catalog
from progdsl.rules.docs import markdown
from progdsl.rules.red_flags import OTHER_FLAGS, RED_FLAGS

RULES = catalog().rules
DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_has_every_section_a_summary_and_a_kebab_name(rule):
    sections = rule.sections()
    assert list(sections) == [*SECTIONS, SOURCE_SECTION]
    assert all(body.strip() for body in sections.values())
    assert rule.summary.endswith(".") and re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule.name)


@pytest.mark.parametrize("rule", [r for r in RULES if r.code != "S000"], ids=lambda r: r.code)
def test_the_example_fires_the_rule_and_the_fix_checks_clean(rule):
    sections = rule.sections()
    example = loads(sections["Example"] + "\n", f"{rule.code}-example.prog")
    assert rule.code in [d.code for d in example.diagnostics], example.diagnostics
    fixed = loads(sections["Use instead"] + "\n", f"{rule.code}-fixed.prog")
    assert fixed.ok and fixed.diagnostics == (), fixed.diagnostics


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_explain_prints_the_documentation(rule):
    result = CliRunner().invoke(main, ["explain", rule.code.lower()])
    assert result.exit_code == 0
    assert result.output.startswith(f"{rule.code} {rule.name} ({rule.severity.value})")
    assert all(title in result.output for title in SECTIONS)


def test_the_flag_vocabulary_is_documented_where_it_is_used():
    s401, s403 = catalog().get("S401").doc, catalog().get("S403").doc
    assert all(flag in s401 for flag in RED_FLAGS)
    assert all(flag in s403 for flag in OTHER_FLAGS)


def test_docs_rules_md_is_generated_from_the_rules():
    assert DOCS.read_text(encoding="utf-8") == markdown(catalog()), (
        "regenerate it: progdsl rules --format markdown > docs/rules.md"
    )


def test_the_suppression_example_in_the_reference_checks_clean():
    (example,) = re.findall(r"```\n(program .*?)```", markdown(catalog()).split("| code |")[0], re.S)
    result = loads(example)
    assert result.ok and result.diagnostics == ()
    assert [a.code for a in result.program.phases[0].sessions[0].prescriptions[0].allows] == ["S102"]


def test_the_rule_pack_example_in_the_reference_works():
    from progdsl.rules import Catalog, CheckOptions, check_program

    (source,) = re.findall(r"```python\n(.*?)```", markdown(catalog()), re.S)
    namespace: dict = {}
    exec(source, namespace)
    (pack_rule,) = namespace["RULES"]
    assert list(pack_rule.sections()) == [*SECTIONS, SOURCE_SECTION]
    bound = loads(
        'program "T"\nphase "A" 2w:\n  session 3x/week:\n    running 20min\n', options=CheckOptions(select=("S0",))
    ).program
    (found,) = check_program(bound, rules=Catalog((pack_rule,)))
    assert (found.code, found.span.line, found.message) == ("C101", 4, "running is not prescribed here")
