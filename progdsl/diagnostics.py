"""Diagnostics: what every stage reports instead of raising, and their renderings.

The text form follows ruff: a `FILE:LINE:COL: CODE severity: message` line, the
source line with a caret under the fault, and a `= help:` line where one helps.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from .records import Record, replace
from .source import SourceFile, Span


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Diagnostic(Record, frozen=True):
    code: str
    severity: Severity
    message: str
    span: Span
    help: str | None = None
    # The file the fault is in when it is not the program being checked (a registry file).
    source: SourceFile | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)


def error(
    code: str, message: str, span: Span, help: str | None = None, *, source: SourceFile | None = None
) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, span, help, source)


def warning(code: str, message: str, span: Span, help: str | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.WARNING, message, span, help)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def sort_key(diagnostic: Diagnostic) -> tuple:
    """Faults in other files (registries) first, by file; then by position and code."""
    other = diagnostic.source
    return (other is None, other.name if other else "", diagnostic.span, diagnostic.code)


# ---------------------------------------------------------------------------
# Renderings


def _display_width(text: str) -> int:
    """Columns a terminal gives `text`: wide East Asian characters take two."""
    import unicodedata  # only for a diagnostic shown: a clean check does without its tables

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


TAB_WIDTH = 4  # a tab in a shown line becomes spaces up to the next multiple of this


def _printable(text: str) -> str:
    """The line as it can be shown: tabs as spaces, other control characters as visible symbols."""
    return "".join(ch if ch.isprintable() or ch in " \t" else "\N{REPLACEMENT CHARACTER}" for ch in text).expandtabs(
        TAB_WIDTH
    )


def render_text(
    diagnostic: Diagnostic,
    source: SourceFile,
    *,
    style=lambda text, role: text,
) -> str:
    """The diagnostic as ruff-style text. `style(text, role)` may add colour;
    roles are `error`, `warning`, `location`, `gutter`, `caret` and `help`.
    A diagnostic that carries its own source (a registry file's) renders against that."""
    source = diagnostic.source or source
    span = diagnostic.span
    severity = diagnostic.severity.value
    header = (
        style(f"{source.name}:{span.line}:{span.col}:", "location")
        + " "
        + style(f"{diagnostic.code} {severity}:", severity)
        + f" {diagnostic.message}"
    )
    out = [header]
    line_text = source.line(span.line)
    if span.line <= len(source.lines) and (line_text or span.col == 1):
        shown = _printable(line_text)
        number = str(span.line)
        pad = " " * len(number)
        start = min(span.col, len(line_text) + 1)
        end = span.end_col if span.end_line == span.line else len(line_text) + 1
        end = max(start + 1, min(end, len(line_text) + 1))
        # Columns count characters of the line; a tab before or in the span widens what is shown.
        lead = _display_width(_printable(line_text[: start - 1]))
        carets = max(1, _display_width(_printable(line_text[: end - 1])) - lead)
        gutter = style(f"{pad} |", "gutter")
        out += [
            gutter,
            style(f"{number} |", "gutter") + f" {shown}",
            gutter + " " + " " * lead + style("^" * carets + f" {diagnostic.code}", "caret"),
            gutter,
        ]
    if diagnostic.help:
        out.append(style(f"{' ' * len(str(span.line))} = help:", "help") + f" {diagnostic.help}")
    return "\n".join(out)


def to_json(diagnostic: Diagnostic, source: SourceFile) -> dict:
    source = diagnostic.source or source
    span = diagnostic.span
    return {
        "file": source.name,
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "line": span.line,
        "column": span.col,
        "end_line": span.end_line,
        "end_column": span.end_col,
        "help": diagnostic.help,
    }


def summary(errors: int, warnings: int, files: int) -> str:
    def count(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    if not errors and not warnings:
        return f"All clear: {count(files, 'file')} checked, no problems found."
    return f"Found {count(errors, 'error')} and {count(warnings, 'warning')} in {count(files, 'file')}."
