"""What a rule is: a code, a name, a default severity, documentation and a check.

Rule packs (the built-in ones and any installed plugin) build their rules with the
`rule` decorator and expose them as a `RULES` tuple through the `progdsl.rules`
entry-point group. A check reads the bound program and yields diagnostics made with
`ctx.report`, which stamps them with the rule's code and severity.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
import textwrap
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import TYPE_CHECKING

from .. import model
from ..diagnostics import Diagnostic, Severity
from ..doctext import sections
from ..records import Record
from ..source import Span
from ..suggest import close_matches

if TYPE_CHECKING:
    from ..plan import Plan

ERROR, WARNING = Severity.ERROR, Severity.WARNING

CODE_PATTERN = re.compile(r"[A-Z][0-9]{3}$")
NAME_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
SECTIONS = ("What it checks", "Why it matters", "Example", "Use instead")
# The section naming a rule's basis: the sources it rests on, cited as `[LABEL]` from
# data/sources.toml, and which of its numbers are a clinical judgement. Every built-in rule
# has one (tests/test_sources.py); a rule pack's rules should.
SOURCE_SECTION = "Where this comes from"

# Programs longer than this are an error (S505); rules that walk the calendar skip them.
MAX_PROGRAM_DAYS = 52 * 7

# Without a `start` line the planner starts on a Monday; any Monday gives the same weekdays.
REFERENCE_MONDAY = _REFERENCE_MONDAY = dt.date(2024, 1, 1)

Check = Callable[[model.Program, "RuleContext"], Iterable[Diagnostic]]


class Rule(Record, frozen=True):
    """One safety rule. `check` is None only for the engine's own codes (S000–S002),
    which the engine reports itself while it runs the others."""

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    check: Check | None = None

    def sections(self) -> dict[str, str]:
        """The documentation split at its section headings, each body dedented."""
        return sections(self.doc, (*SECTIONS, SOURCE_SECTION))

    def describe(self) -> str:
        """The rule's documentation as `progdsl explain` prints it, ending with the full
        reference of every source its "Where this comes from" section cites."""
        text = f"{self.code} {self.name} ({self.severity.value})\n{self.summary}\n\n{self.doc}\n"
        basis = self.sections().get(SOURCE_SECTION)
        if basis:
            from ..sources import load

            cited = load().references(basis)
            if cited:
                lines = [
                    textwrap.fill(f"[{s.label}] {s.reference}", 88, initial_indent="    ", subsequent_indent="        ")
                    for s in cited
                ]
                text += "\nReferences\n" + "".join(f"{line}\n" for line in lines)
        return text


def _clean(doc: str) -> str:
    """A docstring without its indentation. inspect.cleandoc is a tenth of the cost of
    textwrap.dedent's regular expressions, and click has imported inspect already."""
    return inspect.cleandoc(doc)


def rule(code: str, name: str, severity: Severity, summary: str) -> Callable[[Check], Rule]:
    """Turn a check function into a Rule; its docstring is the rule's documentation."""

    def make(check: Check) -> Rule:
        return Rule(code, name, severity, summary, _clean(check.__doc__ or ""), check)

    return make


def documented(code: str, name: str, severity: Severity, summary: str, doc: str) -> Rule:
    """A code the engine reports itself: documentation without a check function."""
    return Rule(code, name, severity, summary, _clean(doc))


def close_codes(code: str, codes) -> list[str]:
    """Codes one slip away from `code`: one character changed, or two neighbours swapped."""
    code = code.upper()

    def slip(other: str) -> bool:
        if len(other) != len(code):
            return False
        differ = [i for i, (mine, theirs) in enumerate(zip(code, other)) if mine != theirs]
        if len(differ) == 2 and differ[1] == differ[0] + 1:
            first, second = differ
            return (code[first], code[second]) == (other[second], other[first])
        return len(differ) == 1

    return [other for other in codes if slip(other)]


def find(text: str, entries: Iterable):
    """The entry with this code (in any case) or this name, else None. Entries are rules,
    or anything else with a `code` and a `name`, such as the E codes of `progdsl.codes`."""
    wanted = text.strip()
    entries = list(entries)
    by_code = next((e for e in entries if e.code == wanted.upper()), None)
    return by_code or next((e for e in entries if e.name == wanted.lower()), None)


def suggest(text: str, entries: Iterable) -> list[str]:
    """Codes or names of `entries` close to a mistyped one (at most three)."""
    wanted, entries = text.strip(), list(entries)
    close = close_codes(wanted, [e.code for e in entries])
    close += close_matches(wanted, [e.name for e in entries])
    return close[:3]


class ProgramFacts(Record, frozen=True, dict=True):  # dict: room for cached properties
    """What several rules derive from one program, computed once per check.

    `start` is the Monday a program without a `start` line is planned from: the reference
    Monday, or a build's own first day when that is a Monday (the weekdays are the same),
    so that the build takes the plan the rules walked instead of planning again.
    """

    program: model.Program
    start: dt.date = _REFERENCE_MONDAY

    @cached_property
    def plan(self) -> Plan | None:
        """The dated plan, or None for a program too long to walk (S505 reports it)."""
        if self.program.days > MAX_PROGRAM_DAYS:
            return None
        from ..plan import build_plan

        return build_plan(self.program, self.start)


class RuleContext(Record, frozen=True):
    """What a check receives besides the program: shared facts, and `report`."""

    rule: Rule
    facts: ProgramFacts

    def setting(self, key: str):
        """A `set` value from the program, else the setting's documented default."""
        return self.facts.program.setting(key)

    @property
    def plan(self) -> Plan | None:
        return self.facts.plan

    def report(self, span: Span, message: str, help: str | None = None) -> Diagnostic:
        return Diagnostic(self.rule.code, self.rule.severity, message, span, help)

    def line_span(self, span: Span) -> Span:
        return self.facts.program.source.first_line(span)
