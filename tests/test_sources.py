"""Every safety rule and every range says where it comes from, and docs/sources.md lists each
source once, with what rests on it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from progdsl.cli import main
from progdsl.registry import builtin_registry
from progdsl.rules import SOURCE_SECTION, catalog
from progdsl.rules.docs import markdown, sources_markdown
from progdsl.sources import load
from progdsl.vocabulary import Category, Region

RULES = catalog().rules
SOURCES = load()
DOCS = Path(__file__).resolve().parent.parent / "docs"


def _basis(rule) -> str:
    return rule.sections().get(SOURCE_SECTION, "")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_says_where_it_comes_from(rule):
    basis = _basis(rule)
    assert basis.strip(), f"{rule.code} has no '{SOURCE_SECTION}' section"
    assert SOURCES.unknown_citations(basis) == [], "cite only sources in progdsl/data/sources.toml"
    # A rule that cites nothing must say plainly that it rests on judgement or on no clinical source.
    if not SOURCES.citations(basis):
        assert re.search(r"judgement|No clinical source", basis), basis


def test_every_basis_cites_only_known_sources():
    for what, text in SOURCES.basis_texts():
        assert SOURCES.unknown_citations(text) == [], what
        assert SOURCES.citations(text), f"{what} cites no source"


def test_every_source_is_cited_by_a_rule_a_range_or_a_stop_sign():
    users = SOURCES.cited_by([*((r.code, _basis(r)) for r in RULES), *SOURCES.basis_texts()])
    assert [label for label, used in users.items() if not used] == []


@pytest.mark.parametrize("source", SOURCES.sources.values(), ids=lambda s: s.label)
def test_every_source_has_title_body_year_and_what_it_says(source):
    assert source.title and source.body and source.says and source.read and source.kind
    assert isinstance(source.year, int) or source.year == "undated"
    assert source.url is None or source.url.startswith("https://")


def test_docs_sources_md_is_generated_and_lists_each_cited_source_once():
    text = (DOCS / "sources.md").read_text(encoding="utf-8")
    assert text == sources_markdown(catalog()), "regenerate it: python -m progdsl.rules.docs > docs/sources.md"
    headings = re.findall(r"^### (.+)$", text.split("## Registry ranges")[0], re.M)
    cited_in_rules = set(re.findall(r"\]\(sources\.md#([a-z0-9-]+)\)", markdown(catalog())))
    listed = {SOURCES.sources[h].anchor for h in headings}
    assert sorted(headings) == sorted(SOURCES.sources) and len(headings) == len(set(headings))
    assert cited_in_rules <= listed
    # and every source listed rests something: test_every_source_is_cited_by_a_rule_a_range_or_a_stop_sign


def test_rules_md_links_every_citation_to_its_source():
    text = markdown(catalog())
    for rule in RULES:
        for label in SOURCES.citations(_basis(rule)):
            assert f"[{label}](sources.md#{SOURCES.sources[label].anchor})" in text


def test_every_category_and_the_defaults_have_a_basis():
    assert set(SOURCES.ranges) == {*(c.value for c in Category), "defaults"}
    builtin = {e.id for e in builtin_registry()}
    assert set(SOURCES.exercises) <= builtin
    assert set(SOURCES.stop_signs) <= {r.value for r in Region}


def test_explain_prints_the_section_and_the_full_references():
    result = CliRunner().invoke(main, ["explain", "S603"])
    assert result.exit_code == 0
    assert SOURCE_SECTION in result.output and "References" in result.output
    assert (
        "Strong, steady and straight" in result.output
        and "https://doi.org/10.1136/bjsports-2021-104634" in result.output
    )


def test_explain_of_a_rule_without_sources_prints_no_references():
    result = CliRunner().invoke(main, ["explain", "S506"])
    assert SOURCE_SECTION in result.output and "References" not in result.output


def test_exercise_prints_where_its_ranges_come_from():
    own = CliRunner().invoke(main, ["exercise", "plank"], env={"COLUMNS": "200"})
    assert own.exit_code == 0 and "Where these ranges come from: [Pan 2012]" in own.output
    by_category = CliRunner().invoke(main, ["exercise", "bird_dog"], env={"COLUMNS": "200"})
    assert "Core holds and repetitions follow [Pan 2012]" in by_category.output


def test_a_clinic_entry_names_its_registry_and_the_defaults_basis(tmp_path):
    registry = tmp_path / "clinic.toml"
    registry.write_text(
        '[wall_angel]\nname = "Wall angel"\ncategory = "mobility"\ndose = ["reps"]\none_sided = false\n'
        'instructions = ["Slide your arms up the wall."]\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["exercise", "--registry", str(registry), "wall_angel"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "These ranges are set by" in result.output and "The defaults a clinic entry inherits" in result.output
