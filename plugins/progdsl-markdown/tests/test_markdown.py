"""The Markdown backend, tested as an installed plugin: `pip install -e '.[test]'` first."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest
from progdsl_markdown import MarkdownBackend, escape

from progdsl import loads
from progdsl.backends import RenderOptions
from progdsl.plan import build_plan

PROGRAM = """\
program "Knees | hips <script>alert(1)</script>"
client "Ana *Silva*"
start 2026-03-02
time 08:00
caution "Stop if it hurts [sharply](http://example.com)."
allow S102 "Cleared by her surgeon | see letter"

phase "Early" 1w:
  session "Morning" daily:
    glute_bridge 3x10 progress from 6 over 1w note "Keep it _slow_"
  session "Stretch" 3x/week at 18:30:
    figure_four_stretch 2x30s each side
"""


@pytest.fixture(scope="module")
def markdown() -> str:
    result = loads(PROGRAM, "knees.prog")
    assert result.ok, [d.message for d in result.diagnostics]
    return MarkdownBackend().render(build_plan(result.program), RenderOptions()).decode("utf-8")


def test_registered_in_the_backends_entry_point_group():
    (entry,) = [e for e in entry_points(group="progdsl.backends") if e.name == "markdown"]
    assert entry.load() is MarkdownBackend
    assert entry.dist.metadata["Name"] == "progdsl-markdown"


def test_keeps_the_backend_contract():
    backend = MarkdownBackend()
    assert (backend.name, backend.suffix) == ("markdown", ".md")
    assert backend.media_type.startswith("text/markdown")


def test_lists_every_dated_session_with_that_days_dose(markdown):
    rows = [line for line in markdown.splitlines() if line.startswith("| ") and "2026-" in line]
    assert len(rows) == 7 + 3  # daily for a week, and mon wed fri
    assert rows[0] == "| Mon 2026-03-02 | 08:00 | Early: Morning | Glute bridge 3 × 6 |"
    assert rows[-1].startswith("| Sun 2026-03-08 | 08:00 | Early: Morning | Glute bridge 3 × 10")
    assert "| Mon 2026-03-02 | 18:30 | Early: Stretch | Figure-four stretch (seated) 2 × 30 s each side |" in rows
    assert "3x/week (mon wed fri)" in markdown


def test_program_text_cannot_change_the_layout(markdown):
    assert "<script>" not in markdown
    assert "# Knees \\| hips \\<script\\>alert(1)\\</script\\>" in markdown
    assert "Ana \\*Silva\\*" in markdown
    assert "\\[sharply\\](http://example.com)" in markdown
    assert "Cleared by her surgeon \\| see letter" in markdown


def test_keeps_every_allow_with_its_reason(markdown):
    assert "- `S102` (program): Cleared by her surgeon" in markdown


def test_same_plan_same_bytes():
    result = loads(PROGRAM, "knees.prog")
    plan = build_plan(result.program)
    assert MarkdownBackend().render(plan, RenderOptions()) == MarkdownBackend().render(plan, RenderOptions())


@pytest.mark.parametrize(
    "text, expected", [("a|b", "a\\|b"), ("<b>", "\\<b\\>"), ("`x`", "\\`x\\`"), ("plain", "plain")]
)
def test_escape(text, expected):
    assert escape(text) == expected
