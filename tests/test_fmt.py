"""`progdsl fmt`: one canonical layout, comments kept, meaning and stability checked on every run."""

from __future__ import annotations

import ast as python_ast
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import LANGUAGE_EXAMPLE, PROGRAMS, ROOT

from progdsl import fmt
from progdsl.cli import main

EXAMPLES = sorted(PROGRAMS.rglob("*.prog"))


def formatted(text: str, name: str = "<string>") -> str:
    """The formatted text, which must have been accepted by both of fmt's own checks."""
    found = fmt.format_text(text, name)
    assert found.diagnostics == ()
    assert found.refusal is None
    assert found.text is not None
    return found.text


def assert_stable(text: str, name: str = "<string>") -> str:
    once = formatted(text, name)
    again = fmt.format_text(once, name)
    assert again.text == once and not again.changed
    return once


def run(*args: str):
    return CliRunner().invoke(main, ["fmt", *args])


# ---- the example programs and the tests' programs


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_program_is_already_formatted(path: Path):
    found = fmt.format_bytes(path.read_bytes(), str(path))
    assert found.refusal is None and found.diagnostics == ()
    assert not found.changed, f"{path} is not in fmt's layout: run `progdsl fmt {path}`"


def test_check_on_the_example_folder_exits_0():
    result = run("--check", str(PROGRAMS))
    assert result.exit_code == 0, result.output
    assert f"0 files would be reformatted, {len(EXAMPLES)} files already formatted." in result.output


def _programs_in_the_tests() -> list[str]:
    """Every string in the test files that is a whole program (starts with a `program` line)."""
    found = []
    for test_file in sorted((ROOT / "tests").glob("test_*.py")):
        tree = python_ast.parse(test_file.read_text(encoding="utf-8"))
        for node in python_ast.walk(tree):
            is_text = isinstance(node, python_ast.Constant) and isinstance(node.value, str)
            if is_text and node.value.startswith('program "') and node.value.count("\n") >= 3:
                found.append(node.value)
    return found


@pytest.mark.slow
def test_programs_in_the_tests_keep_their_meaning_and_are_stable():
    programs = _programs_in_the_tests()
    assert len(programs) > 20
    formatted_any = 0
    for text in programs:
        found = fmt.format_text(text)
        assert found.refusal is None, text
        if found.text is None:
            continue  # a syntax error on purpose: left alone
        formatted_any += 1
        assert fmt.format_text(found.text).text == found.text, text
    assert formatted_any > 20


def test_language_example_formats_and_is_stable():
    assert_stable(LANGUAGE_EXAMPLE)


# ---- the layout

MESSY = """\
# top comment
program   "Messy"     # the title
client "A \\"quoted\\" name"
start 2026-12-07
equipment mini_band( yellow , green ) mat
time 07:30


phase "One" 2 weeks  3 x / week:
    session "S"  :   # on the opener
        # about the clam shell
        clam_shell 3 × 12 rest 30 – 60 seconds each side    hold 1 sec progress from 8 over 2 weeks
        glute_bridge 3x10-15 band green   tempo 3 - 1 - 3
            # written deeper than the next line
    # about the next session
    session on mon,wed   at 18:00 ,19:00:
        walking 20 mins rpe 3 - 4 pain up to 3 / 10
# about phase two
phase "Two" 1w daily:
    dead_bug 3x8 each side
"""

TIDY = """\
# top comment
program "Messy"  # the title
client "A \\"quoted\\" name"
start 2026-12-07
equipment mini_band(yellow, green), mat
time 07:30

phase "One" 2w 3x/week:
  session "S":  # on the opener
    # about the clam shell
    clam_shell 3x12 each side hold 1s rest 30-60s progress from 8 over 2w
    glute_bridge 3x10-15 band green tempo 3-1-3
    # written deeper than the next line
  # about the next session
  session on mon wed at 18:00, 19:00:
    walking 20min rpe 3-4 pain up to 3/10

# about phase two
phase "Two" 1w daily:
  dead_bug 3x8 each side
"""


def test_messy_spacing_becomes_the_canonical_layout():
    assert assert_stable(MESSY) == TIDY


def test_comments_stay_where_they_were():
    text = formatted(MESSY)
    for comment in (
        "# top comment",
        "# the title",
        "# on the opener",
        "# about the clam shell",
        "# written deeper",
        "# about the next session",
        "# about phase two",
    ):
        assert comment in text
    lines = text.splitlines()
    assert lines[lines.index("    # about the clam shell") + 1].startswith("    clam_shell")
    assert lines[lines.index("# about phase two") - 1] == ""  # the blank line goes before the comment


def test_a_hash_inside_a_string_is_not_a_comment():
    text = 'program "Room #4"\nnote "call #2"  # a real one\n\nphase "A" 1w:\n  session daily:\n    plank 3x30s\n'
    assert formatted(text) == text


def test_one_blank_line_between_phases_and_none_after_an_opener():
    text = (
        'program "P"\nphase "A" 1w:\n\n  session daily:\n    plank 3x30s\n\n\n\n'
        'phase "B" 1w:\n  session daily:\n\n    plank 3x30s\n'
    )
    assert formatted(text) == (
        'program "P"\n\nphase "A" 1w:\n  session daily:\n    plank 3x30s\n\n'
        'phase "B" 1w:\n  session daily:\n    plank 3x30s\n'
    )


def test_details_come_in_the_documented_order():
    text = (
        'program "P"\nequipment mini_band(green)\nphase "A" 2w:\n  session daily:\n'
        '    clam_shell 3x12 note "N" progress from 8 over 2w rest 60s band green each side\n'
    )
    assert 'clam_shell 3x12 each side band green rest 60s progress from 8 over 2w note "N"' in formatted(text)


def test_word_forms_and_units_are_normalised_only_where_the_meaning_is_the_same():
    text = (
        'program "P"\naffected left\nphase "A" 14 days every other day:\n'
        "  session twice daily at 08:00,18:00:\n"
        "    straight_leg_raise 3 x 10 affected side rest 1 minute\n"
        "  session weekdays:\n    walking 2000 steps rpe 3\n"
        "  session every 3 days:\n    plank 3x30 secs\n"
        "  session 2 × / wk:\n    plank 3x30s\n"
    )
    out = formatted(text)
    assert 'phase "A" 14d every other day:' in out
    assert "session twice daily at 08:00, 18:00:" in out
    assert "straight_leg_raise 3x10 affected side rest 1min" in out
    assert "session weekdays:" in out and "walking 2000 steps rpe 3" in out
    assert "session every 3d:" in out and "plank 3x30s" in out
    assert "session 2x/week:" in out


def test_circuits_and_header_lines():
    text = (
        'program "P"\nflags  osteoporosis   ,pregnancy\nlog   pain\nlog "Steps?"\n'
        'set week_start mon\nallow S506 "why"\n'
        'phase "A" 2w:\n  session on mon:\n    circuit "C" 1 rounds rest 60 s:\n      sit_to_stand 10\n'
    )
    out = formatted(text)
    assert 'flags osteoporosis, pregnancy\nlog pain\nlog "Steps?"\n' in out
    assert '    circuit "C" 1 round rest 60s:\n      sit_to_stand 10\n' in out


# ---- left alone, and refusals


def test_a_syntax_error_is_reported_and_the_file_left_alone(tmp_path):
    bad = tmp_path / "bad.prog"
    written = 'program   "x"\nphase "a" 2w:\n  clam_shell 3x12 ((\n'
    bad.write_text(written, encoding="utf-8")
    result = run(str(bad))
    assert result.exit_code == 1
    assert "E101" in result.output and "1 file left alone" in result.output
    assert bad.read_text(encoding="utf-8") == written


def test_a_printer_that_changes_the_meaning_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "p.prog"
    written = 'program "P"\nphase "A" 1w:\n  session daily:\n    clam_shell   3x12 each side hold 2s\n'
    path.write_text(written, encoding="utf-8")
    real = fmt._Printer.modifier

    def drops_holds(self, node):
        return "each side" if getattr(node, "keyword", "") == "hold" else real(self, node)

    monkeypatch.setattr(fmt._Printer, "modifier", drops_holds)
    found = fmt.format_bytes(path.read_bytes(), str(path))
    assert found.text is None and "means something else" in (found.refusal or "")
    assert str(path) in found.refusal
    result = run(str(path))
    assert result.exit_code == 1 and "means something else" in result.output
    assert path.read_text(encoding="utf-8") == written


def test_an_unstable_printer_is_refused(monkeypatch):
    real = fmt.layout
    monkeypatch.setattr(fmt, "layout", lambda tree, source: real(tree, source) + "# again\n")
    found = fmt.format_text('program "P"\nphase "A" 1w:\n  session daily:\n    plank 3x30s\n')
    assert found.text is None and "twice" in (found.refusal or "")


# ---- the command


def test_check_and_diff_write_nothing(tmp_path):
    path = tmp_path / "m.prog"
    path.write_text(MESSY, encoding="utf-8")
    checked = run("--check", str(path))
    assert checked.exit_code == 1 and f"would reformat {path}" in checked.output
    diffed = run("--diff", str(path))
    assert diffed.exit_code == 0
    assert '-program   "Messy"     # the title\n+program "Messy"  # the title\n' in diffed.output
    assert path.read_text(encoding="utf-8") == MESSY
    written = run(str(path))
    assert written.exit_code == 0 and f"reformatted {path}" in written.output
    assert path.read_text(encoding="utf-8") == TIDY
    assert run("--check", str(path)).exit_code == 0


def test_diff_marks_a_last_line_without_a_newline(tmp_path):
    path = tmp_path / "n.prog"
    path.write_text(TIDY.rstrip("\n"), encoding="utf-8")
    result = run("--diff", str(path))
    assert "-  dead_bug 3x8 each side\n\\ No newline at end of file\n+  dead_bug 3x8 each side\n" in result.output


def test_a_folder_and_standard_input(tmp_path):
    (tmp_path / "a.prog").write_text(MESSY, encoding="utf-8")
    (tmp_path / "b.prog").write_text(TIDY, encoding="utf-8")
    result = run("--check", str(tmp_path))
    assert result.exit_code == 1 and "1 file would be reformatted, 1 file already formatted." in result.output
    piped = CliRunner().invoke(main, ["fmt", "-"], input=MESSY)
    assert piped.exit_code == 0 and piped.stdout == TIDY


def test_usage_errors_exit_2(tmp_path):
    assert run().exit_code == 2
    assert run(str(tmp_path / "missing.prog")).exit_code == 2


def test_pre_commit_hook_runs_fmt():
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "id: progdsl-fmt" in hooks and "entry: progdsl fmt" in hooks


# ---- generated programs

_SPACE = st.sampled_from([" ", "  ", "   "])
_UNIT_SECONDS = st.sampled_from(["s", " s", "sec", " secs", " seconds"])
_DASH = st.sampled_from(["-", " - ", "–"])
_TIMES = st.sampled_from(["x", " x ", "×"])


@st.composite
def _words(draw, *words: str) -> str:
    return draw(_SPACE).join(words) if len(words) > 1 else words[0]


@st.composite
def _frequency(draw) -> str:
    n = draw(st.integers(1, 6))
    return draw(
        st.sampled_from(
            [
                "daily",
                f"{n}x/week",
                f"{n} x / week",
                f"{n} times a week",
                "on mon wed fri",
                "on mon, thu",
                "weekdays",
                "every 2 days",
                "every other day",
            ]
        )
    )


@st.composite
def _rest(draw) -> str:
    low = draw(st.integers(20, 60))
    if draw(st.booleans()):
        return f"rest {low}{draw(_UNIT_SECONDS)}"
    return f"rest {low}{draw(_DASH)}{low + 30}{draw(_UNIT_SECONDS)}"


@st.composite
def _exercise(draw) -> str:
    kind = draw(st.sampled_from(["clam", "bridge", "plank", "walk", "stretch"]))
    sets = draw(st.integers(1, 4))
    details: list[str] = []
    if kind == "clam":
        reps = draw(st.integers(8, 15))
        head = f"clam_shell {sets}{draw(_TIMES)}{reps}"
        details.append("each side")
        if draw(st.booleans()):
            details.append(f"progress from {reps - 2} over 2w")
    elif kind == "bridge":
        head = f"glute_bridge {sets}{draw(_TIMES)}10{draw(_DASH)}15"
        if draw(st.booleans()):
            details.append("band green")
        if draw(st.booleans()):
            details.append(f"tempo 3{draw(_DASH)}1{draw(_DASH)}3")
    elif kind == "plank":
        head = f"plank {sets}{draw(_TIMES)}20{draw(_UNIT_SECONDS)}"
        if draw(st.booleans()):
            details.append("progress to 30s by 5s weekly")
    elif kind == "walk":
        head = f"walking {draw(st.sampled_from(['20min', '20 minutes', '2 km', '800m', '3000 steps']))}"
        if draw(st.booleans()):
            details.append(f"rpe 3{draw(_DASH)}4")
        if draw(st.booleans()):
            details.append(f"pain up to {draw(st.sampled_from(['3/10', '3 / 10', '2']))}")
    else:
        head = f"hamstring_stretch {sets}{draw(_TIMES)}30{draw(_UNIT_SECONDS)} each side"
    if kind != "walk" and draw(st.booleans()):
        details.append(draw(_rest()))
    if kind == "clam" and draw(st.booleans()):
        details.append(f"hold {draw(st.integers(1, 3))}s")
    if draw(st.booleans()):
        details.append('note "Slowly; #not a comment"')
    ordered = draw(st.permutations(details))
    return draw(_SPACE).join([head, *ordered])


@st.composite
def _comment(draw) -> str:
    return "# " + draw(st.sampled_from(["why", "about the next lines", "kept"]))


@st.composite
def _program(draw) -> str:
    step = draw(st.sampled_from([2, 4]))
    lines: list[str] = []

    def put(depth: int, text: str) -> None:
        for _ in range(draw(st.integers(0, 2)) if draw(st.integers(0, 4)) == 0 else 0):
            lines.append("")
        if draw(st.integers(0, 5)) == 0:
            lines.append(" " * (step * depth) + draw(_comment()))
        if draw(st.integers(0, 6)) == 0:
            text += draw(_SPACE) + draw(_comment())
        lines.append(" " * (step * depth) + text)

    put(0, 'program "Generated"')
    if draw(st.booleans()):
        put(0, "start 2026-12-07")
    if draw(st.booleans()):
        put(0, "equipment mini_band( yellow, green ),mat")
    else:
        put(0, "equipment mini_band(green)")
    for p in range(draw(st.integers(1, 3))):
        weeks = draw(st.integers(1, 4))
        duration = draw(st.sampled_from([f"{weeks}w", f"{weeks} weeks", f"{weeks * 7} days"]))
        put(0, f'phase "P{p}" {duration}:')
        for s in range(draw(st.integers(1, 2))):
            put(1, f'session "S{s}" {draw(_frequency())}:')
            for _ in range(draw(st.integers(1, 3))):
                put(2, draw(_exercise()))
    if draw(st.booleans()):
        lines.append(" " * step * draw(st.integers(0, 2)) + draw(_comment()))
    return "\n".join(lines) + "\n"


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_program())
def test_generated_programs_keep_their_meaning_and_are_stable(text):
    assert_stable(text)


# ---- the language server


def test_language_server_formats_a_document(tmp_path):
    from lsprotocol import types
    from test_lsp import Editor
    from test_lsp import run as run_server

    async def test(editor: Editor):
        messy = editor.open(tmp_path / "messy.prog", MESSY)
        tidy = editor.open(tmp_path / "tidy.prog", TIDY)
        bad = editor.open(tmp_path / "bad.prog", 'program "x"\nphase "a" 2w:\n  clam_shell 3x12 ((\n')
        options = types.FormattingOptions(tab_size=2, insert_spaces=True)
        edits = await editor.client.text_document_formatting_async(
            types.DocumentFormattingParams(types.TextDocumentIdentifier(messy), options)
        )
        assert len(edits) == 1
        assert edits[0].new_text == TIDY
        assert edits[0].range.start == types.Position(0, 0)
        assert edits[0].range.end == types.Position(len(MESSY.split("\n")) - 1, 0)
        for uri in (tidy, bad):
            none = await editor.client.text_document_formatting_async(
                types.DocumentFormattingParams(types.TextDocumentIdentifier(uri), options)
            )
            assert not none

    run_server(test)
