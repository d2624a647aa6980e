"""The clinical safety-rule engine.

Rules come from rule packs registered under the `progdsl.rules` entry-point group;
the built-in packs (ranges, progression, staging, recovery, red_flags, practicality,
conditions) register there exactly as a third-party pack would. A pack's entry point names a
`Rule` or a sequence of them, made with the `rule` decorator.

`check_program` runs every selected rule over a bound program. A rule that raises
becomes an S000 error naming it, and the others still run. Then `allow` lines set
diagnostics aside (see `progdsl.rules.suppression`), and `--strict` turns the
warnings that remain into errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache, cached_property

from .. import model, plugins
from ..diagnostics import Diagnostic, error
from ..records import Record
from .base import (
    CODE_PATTERN,
    ERROR,
    MAX_PROGRAM_DAYS,
    NAME_PATTERN,
    SECTIONS,
    SOURCE_SECTION,
    WARNING,
    Check,
    ProgramFacts,
    Rule,
    RuleContext,
    documented,
    find,
    rule,
    suggest,
)
from .suppression import UNKNOWN_ALLOW, UNUSED_ALLOW, apply_allows

__all__ = [
    "ENGINE_RULES",
    "ERROR",
    "MAX_PROGRAM_DAYS",
    "SECTIONS",
    "SOURCE_SECTION",
    "WARNING",
    "Catalog",
    "CheckOptions",
    "Rule",
    "RuleContext",
    "catalog",
    "check_program",
    "load_catalog",
    "normalise_codes",
    "rule",
]

_BUILTIN_MODULE = "progdsl.rules."

RULE_FAILED = documented(
    "S000",
    "rule-failed",
    ERROR,
    "A rule, or a rule pack, failed: the program was not fully checked.",
    """
    What it checks
        Nothing in the program. The engine reports S000 when a rule raises an exception
        or yields something that is not a diagnostic of its own code, and when an
        installed rule pack cannot be loaded. The message names the rule or the pack.
        The other rules still run.

    Why it matters
        A safety check that did not run must not look like a check that passed. S000 is
        always an error: it cannot be allowed, selected away or ignored.

    Example
        An installed rule pack `clinic_rules` whose module fails to import:
        every check reports `S000 rule pack clinic_rules could not be loaded`.

    Use instead
        Update or uninstall the failing pack (`pip uninstall ...`), or report the bug to
        its authors with the program that triggers it.

    Where this comes from
        No clinical source: this is how progdsl's checking works, a design decision of
        the software and not a clinical threshold. A check that did not run is reported
        as a failure so that it can never pass for a clean result.

    Where this comes from
        No clinical source: this is how progdsl's checking works, a design decision of
        the software and not a clinical threshold. A check that did not run is reported
        as a failure so that it can never pass for a clean result.
    """,
)

ENGINE_RULES = (RULE_FAILED, UNKNOWN_ALLOW, UNUSED_ALLOW)


class CheckOptions(Record, frozen=True):
    """Which rules run, as ruff does it: codes or prefixes (`S1` is a family).

    An empty `select` means every rule. S000 always runs. `strict` turns the
    warnings that survive suppression into errors.
    """

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False

    def enabled(self, code: str) -> bool:
        if code == RULE_FAILED.code:
            return True
        if self.select and not code.startswith(tuple(self.select)):
            return False
        return not code.startswith(tuple(self.ignore))


class Catalog(Record, frozen=True, dict=True):  # dict: room for cached properties
    """Every known rule, by code, and the packs that failed to load."""

    rules: tuple[Rule, ...]
    problems: tuple[str, ...] = ()

    @cached_property
    def by_code(self) -> dict[str, Rule]:
        return {r.code: r for r in self.rules}

    def get(self, code_or_name: str) -> Rule | None:
        return find(code_or_name, self.rules)

    def suggest(self, text: str) -> list[str]:
        """Codes or names close to a mistyped one."""
        return suggest(text, self.rules)

    def unmatched(self, prefixes: Iterable[str]) -> list[str]:
        """The prefixes that select no rule (for usage errors)."""
        return [p for p in prefixes if not any(r.code.startswith(p) for r in self.rules)]


def load_catalog(packs: Iterable[plugins.Plugin] | None = None) -> Catalog:
    """The engine's codes and every rule that the installed rule packs provide.

    Built-in packs load first; a code defined twice keeps its first definition and
    the later pack is reported. A pack that fails to load is reported, never fatal.
    """
    if packs is None:
        packs = plugins.discover(plugins.RULES)
    ordered = sorted(packs, key=lambda pack: (not pack.target.startswith(_BUILTIN_MODULE), pack.name))
    rules: dict[str, Rule] = {r.code: r for r in ENGINE_RULES}
    origin = {code: "the engine" for code in rules}
    problems: list[str] = []
    for pack in ordered:
        try:
            loaded = plugins.load(pack)
        except plugins.PluginError as exc:  # a broken plugin must not stop the others
            problems.append(str(exc))
            continue
        for item in loaded if isinstance(loaded, (list, tuple)) else (loaded,):
            fault = _fault(item)
            if fault:
                problems.append(f"rule pack `{pack.name}` {fault}")
            elif item.code in rules:
                problems.append(
                    f"rule pack `{pack.name}` defines {item.code} again; the one from {origin[item.code]} is kept"
                )
            else:
                rules[item.code] = item
                origin[item.code] = f"pack `{pack.name}`"
    return Catalog(tuple(sorted(rules.values(), key=lambda r: r.code)), tuple(problems))


def _fault(item: object) -> str | None:
    if not isinstance(item, Rule) or item.check is None:
        return f"provides {item!r}, which is not a rule made with `progdsl.rules.rule`"
    if not CODE_PATTERN.match(item.code) or item.code.startswith("E"):
        return f"uses the code `{item.code}`; rule codes are a capital letter other than E and three digits"
    if not NAME_PATTERN.match(item.name):
        return f"names rule {item.code} `{item.name}`; names are kebab-case, such as `dose-outside-safe-range`"
    return None


@cache
def catalog() -> Catalog:
    """The installed rules (discovered once per process)."""
    return load_catalog()


def check_program(
    program: model.Program,
    options: CheckOptions | None = None,
    rules: Catalog | None = None,
    *,
    facts: ProgramFacts | None = None,
) -> list[Diagnostic]:
    """Run the selected rules over a bound program; apply allows and `strict`. `facts` are
    the program's, when the caller keeps them to read the plan the rules walked."""
    options = options or CheckOptions()
    rules = rules or catalog()
    where = program.source.first_line(program.title_span)
    found = [error(RULE_FAILED.code, problem, where, "the other rules still ran") for problem in rules.problems]
    facts = facts or ProgramFacts(program)
    enabled = {code for code in rules.by_code if options.enabled(code)}
    for item in rules.rules:
        if item.check is None or item.code not in enabled:
            continue
        try:
            found += _run(item, item.check, program, RuleContext(item, facts))
        except Exception as exc:  # a failing rule is reported, and the others still run
            enabled.discard(item.code)
            found.append(
                error(
                    RULE_FAILED.code,
                    f"rule {item.code} ({item.name}) failed: {type(exc).__name__}: {exc}",
                    where,
                    "the program was not fully checked; the other rules still ran. This is a bug in the rule.",
                )
            )
    kept = apply_allows(program, found, rules.by_code, enabled)
    return [d.with_severity(ERROR) for d in kept] if options.strict else kept


def _run(item: Rule, check: Check, program: model.Program, ctx: RuleContext) -> list[Diagnostic]:
    found = list(check(program, ctx))
    for diagnostic in found:
        if not isinstance(diagnostic, Diagnostic) or diagnostic.code != item.code:
            raise TypeError(f"yielded {diagnostic!r}, not a diagnostic with code {item.code}")
    return found


def normalise_codes(values: Sequence[str]) -> tuple[str, ...]:
    """Codes as the command line takes them: repeatable, comma-separated, any case."""
    return tuple(part.strip().upper() for value in values for part in value.split(",") if part.strip())
