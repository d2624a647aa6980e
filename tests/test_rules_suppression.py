"""`allow CODE "REASON"` at each scope, and the allows that are themselves reported."""

from __future__ import annotations

import textwrap

from progdsl import loads
from progdsl.rules import CheckOptions

# Two one-sided lines without `each side` (S506) in two sessions of one phase, and one in a second phase.
PROGRAM = """\
program "T"
equipment mat
{program_allow}
phase "A" 2w:
  {phase_allow}
  session "One" daily:
    {session_allow}
    clam_shell 3x12 rest 30-60s {line_allow}
    clam_shell 3x10 rest 30-60s
  session "Two" daily:
    clam_shell 3x12 rest 30-60s
phase "B" 2w:
  session daily:
    clam_shell 3x12 rest 30-60s
"""
ALLOW = 'allow S506 "Client does both sides together; reviewed in clinic"'
NOTE = 'note "nothing set aside here"'


def found(program_allow=NOTE, phase_allow=NOTE, session_allow=NOTE, line_allow="", **options):
    text = PROGRAM.format(
        program_allow=program_allow, phase_allow=phase_allow, session_allow=session_allow, line_allow=line_allow
    )
    return [(d.code, d.span.line) for d in loads(text, "t.prog", options=CheckOptions(**options)).diagnostics]


def test_without_allows_every_line_warns():
    assert found() == [("S506", 8), ("S506", 9), ("S506", 11), ("S506", 14)]


def test_a_line_allow_covers_its_own_line_only():
    assert found(line_allow=ALLOW) == [("S506", 9), ("S506", 11), ("S506", 14)]


def test_a_session_allow_covers_its_session_only():
    assert found(session_allow=ALLOW) == [("S506", 11), ("S506", 14)]


def test_a_phase_allow_covers_its_phase_only():
    assert found(phase_allow=ALLOW) == [("S506", 14)]


def test_a_program_allow_covers_the_whole_file():
    assert found(program_allow=ALLOW) == []


def test_an_allow_silences_only_its_own_code():
    assert found(program_allow='allow S102 "x"') == [
        ("S002", 3),
        ("S506", 8),
        ("S506", 9),
        ("S506", 11),
        ("S506", 14),
    ]


def test_an_allowed_error_lets_the_program_compile():
    text = 'program "T"\nequipment mat\nphase "A" 2w:\n  session on mon wed fri:\n    glute_bridge 8x12 rest 60s allow S101 "Supervised in clinic"\n'
    result = loads(text)
    assert result.ok and result.diagnostics == ()


def test_an_allow_for_an_unknown_code_is_an_error_with_did_you_mean():
    result = loads(PROGRAM.format(program_allow='allow S560 "x"', phase_allow=NOTE, session_allow=NOTE, line_allow=""))
    (unknown,) = [d for d in result.diagnostics if d.code == "S001"]
    assert unknown.span.line == 3 and unknown.is_error and unknown.help.startswith("did you mean `S506`?")
    assert not result.ok


def test_compiler_codes_and_engine_codes_cannot_be_allowed():
    for code in ("E201", "S000", "S001", "S002"):
        assert ("S001", 3) in found(program_allow=f'allow {code} "x"'), code


def test_an_allow_that_sets_nothing_aside_is_a_warning_on_its_line():
    assert found(phase_allow='allow S201 "x"')[0] == ("S002", 5)


def test_an_allow_whose_rule_did_not_run_is_not_called_unused():
    assert found(line_allow='allow S201 "x"', ignore=("S2",)) == found()
    assert ("S002", 8) not in found(line_allow='allow S201 "x"', select=("S5", "S0"))
    assert ("S002", 8) in found(line_allow='allow S201 "x"', select=("S2", "S0"))


def test_the_unused_allow_warning_can_itself_be_ignored():
    assert ("S002", 5) not in found(phase_allow='allow S201 "x"', ignore=("S002",))


def test_every_allow_and_its_reason_reaches_the_plan():
    from progdsl.plan import build_plan

    text = PROGRAM.format(program_allow=ALLOW, phase_allow=NOTE, session_allow=NOTE, line_allow="")
    plan = build_plan(loads(text).program)
    assert [(a.code, a.where, a.reason) for a in plan.allows] == [
        ("S506", "program", "Client does both sides together; reviewed in clinic"),
    ]


def test_an_allow_on_an_exercise_line_does_not_cover_a_session_diagnostic():
    lines = "\n".join(f"    cat_camel 2x{n}" for n in range(5, 16))
    text = f'program "T"\nequipment mat\nphase "A" 2w:\n  session "Many" on mon wed fri:\n{lines} allow S504 "x"\n'
    codes = [(d.code, d.span.line) for d in loads(textwrap.dedent(text)).diagnostics]
    assert ("S504", 4) in codes and ("S002", 15) in codes
