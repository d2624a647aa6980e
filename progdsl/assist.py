"""What an editor asks about a program while it is being written: completions, hover
text, quick fixes and an outline.

Plain values in, plain values out: positions are the 1-based lines and columns of
`source.Span`, counted in characters. `lsp.py` turns them into the language server
protocol. Nothing here raises on a half-typed program: a line that does not parse
still gets completions, from the text before the cursor.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from . import ast, wording
from .compiler import Result, load_bytes_and_registry, parse_only, plan_of
from .diagnostics import Diagnostic
from .parser import program_parser
from .phrases import grammar_phrases
from .registry import Exercise, Registry
from .source import Span


@dataclass(frozen=True)
class Completion:
    label: str
    kind: str  # "exercise", "keyword", "code", "colour" or "unit"
    detail: str = ""
    documentation: str = ""
    order: str = ""  # sorts the list: exercises of the program's regions first


@dataclass(frozen=True)
class Edit:
    span: Span  # the text to replace; an empty span inserts
    text: str


@dataclass(frozen=True)
class Fix:
    title: str
    edit: Edit
    diagnostic: Diagnostic
    preferred: bool = False


@dataclass(frozen=True)
class Symbol:
    name: str
    kind: str  # "phase" or "session"
    span: Span  # the whole block
    header: Span  # its header line
    children: tuple[Symbol, ...] = ()


# ---- completion -----------------------------------------------------------------

_WORD = re.compile(r"[\w-]*$")
_EQUIPMENT_OPTIONS = re.compile(r"\w+\(([^)]*)\)")
_UNITS = ("s", "min", "kg", "lb")


def completions(text: str, line: int, col: int, registry: Registry) -> list[Completion]:
    """What may be typed at the cursor (line and column 1-based), judged from the line so far."""
    lines = text.split("\n")
    current = lines[line - 1] if 0 < line <= len(lines) else ""
    before = current[: col - 1]
    if re.search(r"\ballow\s+\w*$", before):
        return _codes()
    if re.search(r"\bband\s+\w*$", before):
        return [Completion(colour, "colour", "a band colour on the `equipment` line") for colour in _band_colours(text)]
    words = before.split()
    if not words or (len(words) == 1 and not before[-1].isspace()):
        if not current[:1].isspace():
            return [Completion(k, "keyword") for k in (*grammar_phrases(program_parser(), "header_line"), "phase")]
        return _exercises(registry, _regions_in(text, registry)) + [
            Completion(k, "keyword") for k in grammar_phrases(program_parser(), "_phase_item")
        ]
    if words[0] in ("session", "phase"):
        return [
            Completion(k, "keyword")
            for k in (*grammar_phrases(program_parser(), "frequency"), *grammar_phrases(program_parser(), "at_time"))
        ]
    if registry.get(words[0]) is None:
        return []
    if re.search(r"\d$", before):
        return [Completion(unit, "unit") for unit in _UNITS]
    return [Completion(k, "keyword") for k in grammar_phrases(program_parser(), "_modifier")]


def _exercises(registry: Registry, regions: set) -> list[Completion]:
    items = []
    for exercise in registry:
        order = "0" if regions and set(exercise.regions) & regions else "1"
        detail = f"{exercise.name} · {wording.dose_forms(exercise.dose)}"
        documentation = _exercise_summary(exercise)
        items.append(Completion(exercise.id, "exercise", detail, documentation, order + exercise.id))
        items += [
            Completion(
                alias, "exercise", f"{exercise.name} (another name for `{exercise.id}`)", documentation, order + alias
            )
            for alias in exercise.aliases
        ]
    return items


def _regions_in(text: str, registry: Registry) -> set:
    """The regions of the exercises the program already uses."""
    regions: set = set()
    for line in text.split("\n"):
        found = registry.get(line.split()[0]) if line[:1] == " " and line.split() else None
        if found is not None:
            regions.update(found.regions)
    return regions


def _band_colours(text: str) -> list[str]:
    colours: list[str] = []
    for line in text.split("\n"):
        if line.startswith("equipment"):
            for options in _EQUIPMENT_OPTIONS.findall(line):
                colours += [o.strip() for o in options.split(",") if o.strip()]
    return list(dict.fromkeys(colours))


@cache
def _codes() -> list[Completion]:
    from .rules import catalog

    return [Completion(r.code, "code", f"{r.name}: {r.summary}", r.doc) for r in catalog().rules if r.check is not None]


# ---- hover ------------------------------------------------------------------------

_CODE = re.compile(r"\b[ES]\d{3}\b")


def hover(text: str, line: int, col: int, registry: Registry, result: Result | None = None) -> str | None:
    """Markdown about the word under the cursor: an exercise, a code, or a progression's
    doses week by week. `result` is the checked program, when the caller has it."""
    current = text.split("\n")[line - 1] if 0 < line <= text.count("\n") + 1 else ""
    word = _word_at(current, col)
    if not word:
        return None
    if _CODE.fullmatch(word):
        return _code_text(word)
    exercise = registry.get(word)
    if exercise is None:
        return None
    parts = [f"**{exercise.name}** (`{exercise.id}`)", _exercise_summary(exercise)]
    weeks = _weekly_doses(result, line) if result is not None and "progress" in current else []
    if weeks:
        parts.append("Doses by week:\n\n" + "\n".join(f"- {week}" for week in weeks))
    return "\n\n".join(parts)


def _word_at(line: str, col: int) -> str:
    index = col - 1
    if not 0 <= index <= len(line):
        return ""
    start = index - len(_WORD.search(line[:index]).group())  # type: ignore[union-attr]
    end = index + len(re.match(r"[\w-]*", line[index:]).group())  # type: ignore[union-attr]
    return line[start:end]


def _exercise_summary(exercise: Exercise) -> str:
    regions = ", ".join(region.value.replace("_", " ") for region in exercise.regions)
    facts = [
        f"Doses: {wording.dose_forms(exercise.dose)}"
        + (" (one side at a time: say `each side`)" if exercise.one_sided else ""),
        f"Region: {regions}" if regions else "",
        f"First step: {exercise.instructions[0]}" if exercise.instructions else "",
    ]
    return "\n\n".join(fact for fact in facts if fact)


def _code_text(code: str) -> str | None:
    from .codes import ERROR_CODES, ErrorCode
    from .rules import catalog
    from .rules.base import Rule

    entries: list[ErrorCode | Rule] = [*ERROR_CODES.values(), *catalog().rules]
    for entry in entries:
        if entry.code == code:
            return f"**{entry.code} {entry.name}**: {entry.summary}\n\n{entry.doc}"
    return None


def _weekly_doses(result: Result, line: int) -> list[str]:
    """'week 1 (from Mon 7 Dec): 3 × 8' lines for the exercise line at `line`."""
    plan, _ = plan_of(result)
    if plan is None:
        return []
    weeks: dict[int, list[str]] = {}
    firsts: dict[int, dt.date] = {}
    for session in plan.sessions:
        for dose in session.exercises:
            if dose.line == line:
                week = (session.date - plan.start).days // 7 + 1
                described = wording.describe_dose(dose)
                weeks.setdefault(week, [])
                firsts.setdefault(week, session.date)
                if described not in weeks[week]:
                    weeks[week].append(described)
    return [
        f"week {week} (from {wording.day_and_date(firsts[week])}): {' then '.join(doses)}"
        for week, doses in sorted(weeks.items())
    ]


# ---- quick fixes --------------------------------------------------------------------

_SUGGESTION = re.compile(r"did you mean ((?:`[^`]+`(?: or )?)+)\?")


def fixes(text: str, diagnostics: Iterable[Diagnostic]) -> list[Fix]:
    """Edits that resolve a diagnostic: take a suggestion, add `each side`, or set the
    warning aside with `allow CODE ""`, its reason left for the clinician to write."""
    lines = text.split("\n")
    found: list[Fix] = []
    for diagnostic in diagnostics:
        if diagnostic.source is not None:
            continue
        span = diagnostic.span
        match = _SUGGESTION.search(diagnostic.help or "")
        if match:
            for name in re.findall(r"`([^`]+)`", match.group(1)):
                found.append(Fix(f"Change to `{name}`", Edit(span, name), diagnostic, preferred=True))
        if diagnostic.code == "S506":
            at = _after_dose(text, span.line)
            if at is not None:
                found.append(Fix("Add `each side`", Edit(at, " each side"), diagnostic, preferred=True))
        if diagnostic.code.startswith("S") and not diagnostic.is_error:
            end = _end_of_code(lines[span.line - 1] if span.line <= len(lines) else "")
            found.append(
                Fix(
                    f"Set {diagnostic.code} aside on this line (write the reason)",
                    Edit(Span.point(span.line, end, 0), f' allow {diagnostic.code} ""'),
                    diagnostic,
                )
            )
    return found


def _after_dose(text: str, line: int) -> Span | None:
    tree, _ = parse_only(text)
    for item in _exercise_lines(tree):
        if item.span.line == line:
            end = (item.dose or item.name).span
            return Span.point(end.end_line, end.end_col, 0)
    return None


def _end_of_code(line: str) -> int:
    """The column after the last character before a comment, where an `allow` may go."""
    code = re.sub(r"\s*#.*$", "", line) if "#" in line and '"' not in line else line.rstrip()
    return len(code) + 1


def _exercise_lines(tree: ast.Program | None) -> Iterable[ast.ExerciseLine]:
    if tree is None:
        return
    for item in tree.items:
        if isinstance(item, ast.ExerciseLine):
            yield item
        elif isinstance(item, ast.PhaseBlock):
            for inner in item.items:
                if isinstance(inner, ast.ExerciseLine):
                    yield inner
                elif isinstance(inner, ast.SessionBlock):
                    yield from (x for x in inner.items if isinstance(x, ast.ExerciseLine))


# ---- outline and links --------------------------------------------------------------


def outline(text: str) -> list[Symbol]:
    """Phases, with their sessions, for an editor's outline; empty until the file parses."""
    tree, _ = parse_only(text)
    if tree is None:
        return []
    symbols = []
    for item in tree.items:
        if isinstance(item, ast.PhaseBlock):
            sessions = tuple(
                Symbol(
                    inner.name.value if inner.name else "session",
                    "session",
                    inner.span,
                    Span(inner.span.line, inner.span.col, inner.span.line, inner.span.col + len("session")),
                )
                for inner in item.items
                if isinstance(inner, ast.SessionBlock)
            )
            symbols.append(Symbol(item.name.value, "phase", item.span, item.name.span, sessions))
    return symbols


def linked_file(text: str, line: int) -> str | None:
    """The file a `registry "FILE"` (or `include "FILE"`) line names, as written."""
    lines = text.split("\n")
    match = re.match(r'\s*(?:registry|include)\s+"((?:[^"\\]|\\.)*)"', lines[line - 1] if line <= len(lines) else "")
    return match.group(1).replace('\\"', '"').replace("\\\\", "\\") if match else None


def check(text: str, name: str) -> tuple[Result, Registry | None]:
    """The same check as `progdsl check`, of text that may not be saved yet, and the
    registry it was checked against (None until the file parses)."""
    return load_bytes_and_registry(text.encode("utf-8"), name)
