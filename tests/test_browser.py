"""The HTML handout in a real browser: headless Chromium at a phone's size (390×844) and a desktop's (1280×800).

Every example program's `--to html` handout is opened from a file:// URL, and each check is its own
test, named by program and size: nothing wider than the screen, every exercise figure shown and
described, each exercise's dose and first step in the rendered text (the expected words come from
the plan and the registry, not from the HTML), no request beyond the page itself, and no serious or
critical violation found by axe-core. The tests at the end feed the same checks broken pages, to
show that each can fail. tests/browser.py drives the browser; without Chromium, chromedriver or
(for axe-core) npm, the tests skip with the reason.
"""

from __future__ import annotations

import struct
import tempfile
from pathlib import Path

import pytest
from browser import (
    AXE,
    DESKTOP,
    PHONE,
    SCREENSHOT,
    SCREENSHOT_ANCHORS,
    SCREENSHOT_PROGRAM,
    SIZES,
    Browser,
    Size,
    accessibility_problems,
    chromium,
    expected_phrases,
    figure_problems,
    names_with_figures,
    overflow_problems,
    request_problems,
    text_problems,
    write_handout,
)
from npm import npm_packages
from support import PROGRAMS

pytestmark = pytest.mark.slow  # about a minute: 24 pages, each measured and checked by axe-core

EXAMPLES = sorted(PROGRAMS.glob("*.prog"))
# The issue asks for a knee and a shoulder program beside the others: both are examples.
KNEE = PROGRAMS / "knee_acl_early.prog"
SHOULDER = PROGRAMS / "shoulder_impingement.prog"
CASES = [pytest.param(program, size, id=f"{program.stem}-{size.name}") for program in EXAMPLES for size in SIZES]


@pytest.fixture(scope="module")
def browser():
    opened = chromium()
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def axe_script() -> Path | None:
    """axe-core's script, or None (with the reason kept) when npm cannot install it."""
    try:
        return npm_packages(".axe", AXE) / "axe-core" / "axe.min.js"
    except pytest.skip.Exception as skipped:
        _no_axe.append(str(skipped.msg))
        return None


_no_axe: list[str] = []


@pytest.fixture(scope="module")
def visits(browser: Browser, axe_script: Path | None, tmp_path_factory):
    """(program, size) → its Visit, each page opened once for all the checks."""
    folder = tmp_path_factory.mktemp("handouts")
    made: dict[Path, tuple[Path, object]] = {}
    seen: dict[tuple[Path, Size], tuple[object, object]] = {}

    def visit(program: Path, size: Size):
        if program not in made:
            made[program] = write_handout(program, folder)
        page, plan = made[program]
        if (program, size) not in seen:
            seen[program, size] = (browser.visit(page, size, axe_script), plan)
        return seen[program, size]

    return visit


def where(program: Path, size: Size) -> str:
    return f"{program.name} at {size}"


def test_a_knee_and_a_shoulder_program_are_among_the_examples(tmp_path):
    for program, region in ((KNEE, "knee"), (SHOULDER, "shoulder")):
        assert program in EXAMPLES, program
        _, plan = write_handout(program, tmp_path)
        main_regions = {str(exercise.regions[0]).lower() for exercise in plan.exercises}
        assert any(region in name for name in main_regions), (program.name, main_regions)


@pytest.mark.parametrize(("program", "size"), CASES)
def test_nothing_is_wider_than_the_screen(visits, program, size):
    visit, _ = visits(program, size)
    problems = overflow_problems(visit)
    assert not problems, f"{where(program, size)}: " + "; ".join(problems)


@pytest.mark.parametrize(("program", "size"), CASES)
def test_every_exercise_figure_is_shown_with_its_alt_text(visits, program, size):
    visit, plan = visits(program, size)
    names = names_with_figures(plan)
    assert names, f"{program.name}: no exercise has a figure, so the check proves nothing"
    problems = figure_problems(visit, names)
    assert not problems, f"{where(program, size)}: " + "; ".join(problems)


@pytest.mark.parametrize(("program", "size"), CASES)
def test_each_dose_and_first_instruction_is_in_the_rendered_text(visits, program, size):
    visit, plan = visits(program, size)
    problems = text_problems(visit, expected_phrases(plan))
    assert not problems, f"{where(program, size)}: " + "; ".join(problems)


@pytest.mark.parametrize(("program", "size"), CASES)
def test_no_request_leaves_the_page(visits, program, size):
    visit, _ = visits(program, size)
    problems = request_problems(visit)
    assert not problems, f"{where(program, size)}: " + "; ".join(problems)


@pytest.mark.parametrize(("program", "size"), CASES)
def test_axe_core_finds_no_serious_or_critical_violation(visits, axe_script, program, size):
    if axe_script is None:
        pytest.skip(_no_axe[0])
    visit, _ = visits(program, size)
    problems = accessibility_problems(visit)
    assert not problems, f"{where(program, size)}: " + "; ".join(problems)


# ---- each check can fail: the same checks on pages broken on purpose ------------------


@pytest.fixture(scope="module")
def handout(tmp_path_factory):
    """glutes_sore_back's handout: its HTML and its plan."""
    page, plan = write_handout(PROGRAMS / "glutes_sore_back.prog", tmp_path_factory.mktemp("broken"))
    return page.read_text(encoding="utf-8"), plan


def broken(html: str, replace: str, by: str) -> Path:
    assert replace in html, replace
    folder = Path(tempfile.mkdtemp(prefix="progdsl-broken-"))
    page = folder / "broken.html"
    page.write_text(html.replace(replace, by, 1), encoding="utf-8")
    return page


def test_a_wide_table_is_caught_on_a_phone_but_not_on_a_desktop(browser, handout):
    html, _ = handout
    page = broken(html, "<main>", '<main><table style="width: 600px"><tr><td>wide</td></tr></table>')
    problems = overflow_problems(browser.visit(page, PHONE))
    assert problems and "table reaches" in problems[0], problems
    assert overflow_problems(browser.visit(page, DESKTOP)) == []


def test_a_figure_without_size_alt_text_or_picture_is_caught(browser, handout):
    html, plan = handout
    names = names_with_figures(plan)
    assert figure_problems(browser.visit(broken(html, "</style>", ".figure img { width: 0; } </style>"), PHONE), names)
    no_alt = figure_problems(browser.visit(broken(html, ' alt="Clam shell', ' data-alt="Clam shell'), PHONE), names)
    assert any("no text alternative" in problem for problem in no_alt), no_alt
    gone = broken(html, '<figure class="figure">', '<figure class="figure" style="display: none">')
    assert any("not visible" in problem for problem in figure_problems(browser.visit(gone, DESKTOP), names))
    svg = broken(html, "<main>", '<main><svg width="40" height="40"><rect width="40" height="40"/></svg>')
    assert any("lacks role=img" in problem for problem in figure_problems(browser.visit(svg, PHONE), names))


def test_a_dose_hidden_by_the_phone_styles_is_caught(browser, handout):
    html, plan = handout
    page = broken(html, "</style>", "@media (max-width: 640px) { .dose { display: none; } } </style>")
    problems = text_problems(browser.visit(page, PHONE), expected_phrases(plan))
    assert any("3 sets of 8, each side" in problem for problem in problems), problems
    assert text_problems(browser.visit(page, DESKTOP), expected_phrases(plan)) == []


def test_a_request_to_another_address_is_caught(browser, handout):
    html, _ = handout
    # Port 9 on this machine's loopback: refused at once, and still a request the log records.
    page = broken(html, "<main>", '<main><img src="http://127.0.0.1:9/logo.png" alt="Logo">')
    assert request_problems(browser.visit(page, PHONE)) == ["the page asked for http://127.0.0.1:9/logo.png"]


def test_axe_core_catches_faint_text_and_an_image_without_alt(browser, handout, axe_script):
    if axe_script is None:
        pytest.skip(_no_axe[0])
    html, _ = handout
    faint = '<main><p style="color: #ddd">Faint words</p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
    problems = accessibility_problems(browser.visit(broken(html, "<main>", faint), PHONE, axe_script))
    assert any(problem.startswith("serious color-contrast") for problem in problems), problems
    assert any(problem.startswith("critical image-alt") for problem in problems), problems


# ---- the screenshot in the docs ------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_phone_screenshot_comes_from_this_code(browser, tmp_path):
    page, _ = write_handout(SCREENSHOT_PROGRAM, tmp_path)
    shot = tmp_path / "phone.png"
    browser.screenshot(page, Size(PHONE.name, PHONE.width, PHONE.height, 2, mobile=True), shot, SCREENSHOT_ANCHORS)
    screens = len(SCREENSHOT_ANCHORS)
    assert png_size(shot.read_bytes()) == (screens * 780 + (screens - 1) * 32, 1688)
    assert png_size(SCREENSHOT.read_bytes()) == png_size(shot.read_bytes()), "`python tests/browser.py` retakes it"
