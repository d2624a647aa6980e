"""`allow CODE "REASON"`: a clinician's recorded decision to set a rule aside.

An allow silences the diagnostics of its code whose span lies inside its scope: the
whole file for a header allow, the block for a phase or session allow, the line for
an allow written on an exercise line. Allows that name no rule (S001), or that set
nothing aside (S002), are reported so that the record stays honest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from .. import model
from ..diagnostics import Diagnostic, error, warning
from ..records import Record
from ..source import Span
from ..wording import did_you_mean
from .base import ERROR, WARNING, Rule, close_codes, documented

UNKNOWN_ALLOW = documented(
    "S001",
    "unknown-allow-code",
    ERROR,
    "An `allow` names a code that is not a safety rule.",
    """
    What it checks
        Every `allow CODE "REASON"` line must name a rule that `progdsl rules` lists. The
        engine's own codes (S000, S001, S002) and the compiler's E codes cannot be allowed.

    Why it matters
        A mistyped code sets nothing aside, while the reader of the handout believes a rule
        was knowingly waived. The record of clinical decisions has to be exact.

    Example
        program "Bridges"
        equipment mat
        phase "Build" 2w:
          session on mon wed fri:
            glute_bridge 3x10 rest 60s allow S199 "Reviewed in clinic"

    Use instead
        program "Bridges"
        equipment mat
        phase "Build" 2w:
          session on mon wed fri:
            glute_bridge 3x10 rest 60s

    Where this comes from
        No clinical source: this is how progdsl's checking works, a design decision of
        the software and not a clinical threshold. A waived rule must be named exactly
        so that the record of a clinician's decision is true.
    """,
)

UNUSED_ALLOW = documented(
    "S002",
    "unused-allow",
    WARNING,
    "An `allow` sets nothing aside where it stands.",
    """
    What it checks
        An `allow` whose rule reports nothing inside the allow's scope (the file, phase,
        session or line it is written on). Rules left out with `--select` or `--ignore`
        are not judged, so their allows are not reported.

    Why it matters
        A stale allow tells the next reader that a rule was waived when it no longer
        applies, and it would silently waive a new problem of the same kind later.

    Example
        program "Bridges"
        equipment mat
        phase "Build" 2w:
          session on mon wed fri:
            glute_bridge 3x10 rest 60s allow S102 "Client prefers short sets"

    Use instead
        program "Bridges"
        equipment mat
        phase "Build" 2w:
          session on mon wed fri:
            glute_bridge 3x10 rest 60s

    Where this comes from
        No clinical source: this is how progdsl's checking works, a design decision of
        the software and not a clinical threshold. An `allow` that sets nothing aside is
        reported so that the record shows only decisions that were needed.
    """,
)

ENGINE_ALLOW_CODES = ("S001", "S002")


class ScopedAllow(Record, frozen=True):
    """An allow and the region it covers; `scope` None means the whole file."""

    allow: model.Allow
    scope: Span | None

    def covers(self, diagnostic: Diagnostic) -> bool:
        if diagnostic.code != self.allow.code:
            return False
        if self.scope is None:
            return True
        span, scope = diagnostic.span, self.scope
        return (scope.line, scope.col) <= (span.line, span.col) and (span.end_line, span.end_col) <= (
            scope.end_line,
            scope.end_col,
        )


def scoped_allows(program: model.Program) -> Iterator[ScopedAllow]:
    """Every allow in the program with the region it covers."""
    for allow in program.allows:
        yield ScopedAllow(allow, None)
    for phase in program.phases:
        yield from (ScopedAllow(allow, phase.span) for allow in phase.allows)
        for session in phase.sessions:
            yield from (ScopedAllow(allow, session.span) for allow in session.allows)
            for prescription in session.prescriptions:
                yield from (ScopedAllow(allow, prescription.span) for allow in prescription.allows)


def apply_allows(
    program: model.Program,
    diagnostics: Iterable[Diagnostic],
    known: Mapping[str, Rule],
    ran: set[str],
) -> list[Diagnostic]:
    """The diagnostics that no allow covers, plus S001/S002 for faulty allows.

    `known` maps every rule code to its rule; `ran` holds the codes that were checked.
    """
    allows = list(scoped_allows(program))
    faults = [_unknown(scoped.allow.code, known) for scoped in allows]
    used: set[int] = set()
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        covering = [i for i, scoped in enumerate(allows) if not faults[i] and scoped.covers(diagnostic)]
        used.update(covering)
        if not covering:
            kept.append(diagnostic)
    for index, scoped in enumerate(allows):
        allow = scoped.allow
        span = program.source.first_line(allow.span)
        problem = faults[index]
        if problem:
            if "S001" in ran:
                kept.append(error("S001", problem[0], span, problem[1]))
        elif index not in used and allow.code in ran and "S002" in ran:
            kept.append(
                warning(
                    "S002",
                    f"`allow {allow.code}` sets nothing aside here: {known[allow.code].name} reports nothing in its scope",
                    span,
                    "remove it, or move it to the line, session or phase where the rule reports",
                )
            )
    return kept


def _unknown(code: str, known: Mapping[str, Rule]) -> tuple[str, str] | None:
    """(message, help) when `code` cannot be allowed, else None."""
    if code == "S000" or code in ENGINE_ALLOW_CODES:
        return f"`{code}` reports on the checker itself and cannot be allowed", "remove this allow"
    if code.startswith("E"):
        return (
            f"`{code}` is a fault in the program, not a safety rule, and cannot be allowed",
            "fix the fault instead; `progdsl rules` lists the codes that can be allowed",
        )
    if code in known:
        return None
    choices = [c for c in known if c != "S000" and c not in ENGINE_ALLOW_CODES]
    close = did_you_mean(close_codes(code, choices)[:3])
    hint = f"{close} " if close else ""
    return f"`{code}` is not a safety rule", hint + "`progdsl rules` lists every code"
