"""Every form of the language parses into the AST it means (docs/language.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import LANGUAGE_EXAMPLE, program_with

from progdsl import ast, loads
from progdsl.compiler import parse_only
from progdsl.source import Span
from progdsl.units import Quantity, Range


def parse(text: str) -> ast.Program:
    tree, diagnostics = parse_only(text)
    assert not diagnostics, diagnostics
    return tree


def first_line(body: str) -> ast.ExerciseLine:
    tree = parse(program_with(body))
    phase = next(i for i in tree.items if isinstance(i, ast.PhaseBlock))
    return phase.items[0].items[0]


def test_language_example_parses_into_header_and_phases():
    tree = parse(LANGUAGE_EXAMPLE)
    kinds = [getattr(item, "keyword", type(item).__name__) for item in tree.items]
    assert kinds == [
        "program",
        "client",
        "clinician",
        "start",
        "timezone",
        "time",
        "Equipment",
        "caution",
        "PhaseBlock",
        "PhaseBlock",
    ]
    activate, strengthen = tree.items[-2:]
    assert activate.name.value == "Activate" and activate.duration.quantity == Quantity(Range(2, 2), "w")
    stretch = activate.items[1]
    assert stretch.name.value == "Stretch"
    assert stretch.frequency == ast.TimesAWeek(4, stretch.frequency.span)
    assert stretch.at.time.value == "18:00"
    assert strengthen.items[0].name is None


def test_every_node_carries_its_span():
    tree = parse(LANGUAGE_EXAMPLE)
    clam = tree.items[8].items[0].items[0]
    assert (clam.span.line, clam.span.col) == (13, 5)
    assert (clam.name.span.line, clam.name.span.col, clam.name.span.end_col) == (13, 5, 15)
    assert (clam.dose.span.col, clam.dose.span.end_col) == (16, 20)


@pytest.mark.parametrize(
    "line, expected",
    [
        ('program "A \\"quoted\\" title \\\\ ok"', "program"),
        ('client "Sam"', "client"),
        ('clinician "Alex"', "clinician"),
        ("start 2026-12-07", "start"),
        ('timezone "Europe/London"', "timezone"),
        ("time 07:30", "time"),
        ("equipment mat", ast.Equipment),
        ("flags numbness, radiating_pain", ast.Flags),
        ("flags numbness radiating_pain", ast.Flags),
        ('cleared "Dr Park" 2026-11-30', ast.Cleared),
        ('caution "Stop if it hurts."', "caution"),
        ('note "Keep it easy."', "note"),
        ('allow S201 "Supervised in clinic"', ast.Allow),
        ("set weekly_increase_limit 30%", ast.Setting),
        ("set reminder 15min", ast.Setting),
        ("set reminder_at 19:30", ast.Setting),
        ('set template "clinic"', ast.Setting),
        ("set page_size letter", ast.Setting),
    ],
)
def test_header_lines(line, expected):
    tree = parse(f'{line}\nphase "P" 1w daily:\n  walking 20min\n')
    item = tree.items[0]
    assert item.keyword == expected if isinstance(expected, str) else isinstance(item, expected)


def test_string_escapes_are_decoded():
    tree = parse('program "A \\"quoted\\" title \\\\ ok"\n')
    assert tree.items[0].value.value == 'A "quoted" title \\ ok'


def test_equipment_items_with_options():
    tree = parse("equipment mini_band(yellow, green), mat foam_roller\n")
    items = tree.items[0].items
    assert [(i.name.value, [o.value for o in i.options]) for i in items] == [
        ("mini_band", ["yellow", "green"]),
        ("mat", []),
        ("foam_roller", []),
    ]


@pytest.mark.parametrize(
    "dose, sets, amount, unit",
    [
        ("3x12", 3, (12, 12), None),
        ("3x10-15", 3, (10, 15), None),
        ("3×10–15", 3, (10, 15), None),
        ("3 x 12", 3, (12, 12), None),
        ("3x45-60s", 3, (45, 60), "s"),
        ("2x1min", 2, (1, 1), "min"),
        ("3x30sec", 3, (30, 30), "s"),
        ("20min", None, (20, 20), "min"),
        ("20 minutes", None, (20, 20), "min"),
        ("1h", None, (1, 1), "h"),
        ("45s", None, (45, 45), "s"),
    ],
)
def test_dose_forms(dose, sets, amount, unit):
    line = first_line(f"walking {dose}")
    assert line.dose.sets == sets
    assert line.dose.amount.quantity == Quantity(Range(*amount), unit)


@pytest.mark.parametrize(
    "modifier, expected",
    [
        ("each side", "each side"),
        ("per side", "each side"),
        ("rest 30-60s", "rest"),
        ("rest 1min", "rest"),
        ("rest 90 seconds", "rest"),
        ("hold 3s", "hold"),
        ("tempo 3-1-3", "tempo"),
        ("tempo 3-1-1-0", "tempo"),
        ("band green", "band"),
        ("load 8kg", "load"),
        ("load 2.5kg", "load"),
        ("load 20lb", "load"),
        ("load 20 lbs", "load"),
        ("bodyweight", "bodyweight"),
        ("progress from 8 over 2w", ast.Progress),
        ("progress to 30s over 4w", ast.Progress),
        ("progress to 15 over 10d", ast.Progress),
        ("progress from 8 over 2 weeks", ast.Progress),
        ('note "Slowly."', "note"),
        ('allow S101 "Clinic supervised"', ast.Allow),
        ("daily", ast.Daily),
        ("3x/week", ast.TimesAWeek),
        ("3×/wk", ast.TimesAWeek),
        ("3 times a week", ast.TimesAWeek),
        ("3 times per week", ast.TimesAWeek),
        ("on mon wed fri", ast.OnDays),
        ("on mon, wed, fri", ast.OnDays),
        ("every 2 days", ast.Every),
        ("every 3d", ast.Every),
    ],
)
def test_each_modifier(modifier, expected):
    line = first_line(f"clam_shell 3x12 {modifier}")
    (found,) = line.modifiers
    assert found.keyword == expected if isinstance(expected, str) else isinstance(found, expected)


def test_modifiers_in_any_order_and_combination():
    line = first_line('bird_dog 3x8 hold 3s each side rest 45s tempo 2-1-2 note "x" on tue thu')
    kinds = [getattr(m, "keyword", type(m).__name__) for m in line.modifiers]
    assert kinds == ["hold", "each side", "rest", "tempo", "note", "OnDays"]


def test_progress_directions_and_values():
    line = first_line("plank 3x20s progress to 30s over 4w")
    progress = line.modifiers[0]
    assert progress.direction == "to"
    assert progress.value.quantity == Quantity(Range(30, 30), "s")
    assert progress.over.quantity == Quantity(Range(4, 4), "w")


@pytest.mark.parametrize(
    "header, frequency, at",
    [
        ('session "Stretch" 4x/week at 18:00:', ast.TimesAWeek, "18:00"),
        ('session "Stretch":', None, None),
        ("session daily:", ast.Daily, None),
        ("session on mon wed fri:", ast.OnDays, None),
        ("session at 07:00:", None, "07:00"),
        ('session "Walk" every 2 days at 7:15:', ast.Every, "7:15"),
    ],
)
def test_session_headers(header, frequency, at):
    tree = parse(f'program "T"\nphase "P" 2w daily:\n  {header}\n    walking 20min\n')
    session = tree.items[1].items[0]
    assert type(session.frequency) is (frequency or type(None))
    assert (session.at.time.value if session.at else None) == at


@pytest.mark.parametrize("duration", ["2w", "10d", "2 weeks", "14 days", "1 week"])
def test_phase_durations(duration):
    tree = parse(f'phase "P" {duration} daily:\n  walking 20min\n')
    assert tree.items[0].duration is not None


def test_exercise_lines_straight_under_a_phase_form_one_unnamed_session():
    result = loads('program "T"\nphase "P" 1w daily:\n  walking 20min\n  cat_camel 2x8\n')
    (session,) = result.program.phases[0].sessions
    assert session.name is None and [p.exercise.id for p in session.prescriptions] == ["walking", "cat_camel"]


def test_comments_and_blank_lines_anywhere():
    text = (
        "# top comment\n\n"
        'program "T"   # trailing comment\n'
        "\n   # indented comment at the top level\n"
        'phase "P" 1w:  # comment after the colon\n'
        "\n"
        "  # comment inside the phase\n"
        "  session daily:\n"
        "        # deeper comment\n"
        "    walking 20min # after an exercise\n"
        "\n\n"
        "# final comment without newline"
    )
    assert loads(text).ok


def test_line_ends_crlf_and_lone_cr_and_no_final_newline():
    text = 'program "T"\nphase "P" 1w daily:\n  walking 20min'
    for variant in (text, text.replace("\n", "\r\n"), text.replace("\n", "\r")):
        assert loads(variant).ok, variant


def test_byte_order_mark_is_skipped():
    from progdsl import load_bytes

    assert load_bytes(b'\xef\xbb\xbfprogram "T"\nphase "P" 1w daily:\n  walking 20min\n', "bom.prog").ok


@pytest.mark.parametrize("written", ["Clam-Shell", "clam-shell", "CLAM_SHELL"])
def test_hyphens_and_upper_case_in_exercise_names_are_forgiven(written):
    # docs/language.md promises it; `Clam-Shell 3x12` was a syntax error (E101)
    result = loads(f'program "T"\nequipment mat\nphase "P" 2w daily:\n  {written} 3x12 each side\n')
    assert result.ok and result.diagnostics == (), result.diagnostics
    prescription = result.program.phases[0].sessions[0].prescriptions[0]
    assert prescription.exercise.id == "clam_shell" and prescription.written_name == written


def test_the_builder_keeps_exactly_the_grammars_named_terminals():
    """The AST is built during the parse from every token a rule matched; it keeps the
    tokens Lark itself would keep (named terminals) and drops keywords and punctuation."""
    from lark import Lark

    from progdsl.ast_builder import KEPT_TOKENS
    from progdsl.parser import grammar_path

    grammar = Lark(grammar_path().read_text(encoding="utf-8"), parser="lalr", lexer="basic")
    kept = {s.name for rule in grammar.rules for s in rule.expansion if s.is_term and not s.filter_out}
    assert kept == KEPT_TOKENS


def test_a_phase_at_the_end_of_the_file_spans_to_its_last_line():
    """The spans the parser gives run from a rule's first token to its last, line end
    included (the parser adds the last line's end), as Lark's propagated positions did."""
    tree = parse('program "T"\nphase "A" 2w:\n  session daily:\n    walking 20min')
    phase = tree.items[1]
    assert phase.span == Span(2, 1, 5, 1)
    assert phase.items[0].span == Span(3, 3, 5, 1)
    assert phase.items[0].items[0].span == Span(4, 5, 5, 1)
    assert tree.items[0].span == Span(1, 1, 2, 1)


def test_the_generated_parser_was_made_from_the_grammar_as_it_is():
    """progdsl/_lark_standalone.py holds the parse tables; after a grammar change it must be
    made again (`python -m progdsl.parser --write`)."""
    from progdsl.parser import generated_path, grammar_digest

    assert f"(sha256 {grammar_digest()})" in generated_path().read_text(encoding="utf-8").split("\n", 1)[0], (
        "the grammar changed: run `python -m progdsl.parser --write`"
    )


def test_the_generated_parser_has_the_grammars_rules_and_tokens():
    from progdsl.parser import generated_grammar, program_parser

    fresh, generated = generated_grammar(), program_parser()
    assert sorted(map(str, generated.rules)) == sorted(map(str, fresh.rules))
    assert {(t.name, repr(t.pattern), t.priority) for t in generated.terminals} == {
        (t.name, repr(t.pattern), t.priority) for t in fresh.terminals
    }


def test_the_generated_table_loads_as_larks_deserializer_loads_it():
    """`TableLoadingParser` reads the generated data into the table Lark's own loader makes:
    the same shift and reduce actions, reducing by the very rules the parser holds."""
    from progdsl._lark_standalone import Lark_StandAlone
    from progdsl.ast_builder import AstBuilder
    from progdsl.parse_table import TableLoadingParser
    from progdsl.parser import BlockIndenter, program_parser

    ours = program_parser().parser.parser
    larks = Lark_StandAlone(postlex=BlockIndenter(), transformer=AstBuilder()).parser.parser
    assert isinstance(ours, TableLoadingParser) and not isinstance(larks, TableLoadingParser)
    table, expected = ours._parse_table, larks._parse_table
    assert table.states == expected.states
    assert (table.start_states, table.end_states) == (expected.start_states, expected.end_states)
    rules = {id(rule) for rule in program_parser().rules}
    reduced = [target for actions in table.states.values() for kind, target in actions.values() if kind == 1]
    assert reduced and all(id(rule) in rules for rule in reduced)


def test_the_generated_parser_and_lark_build_the_same_ast():
    """Tables Lark makes from the grammar now, and the generated ones, parse alike."""
    from progdsl.ast_builder import AstBuilder
    from progdsl.parser import BlockIndenter, generated_grammar, program_parser

    fresh = generated_grammar(postlex=BlockIndenter(), transformer=AstBuilder())
    examples = sorted(Path(__file__).resolve().parent.parent.joinpath("programs").glob("*.prog"))
    assert examples
    for text in [LANGUAGE_EXAMPLE, *(path.read_text(encoding="utf-8") for path in examples)]:
        assert program_parser().parse(text) == fresh.parse(text)
