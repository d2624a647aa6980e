"""`progdsl fmt`: a program's text in one canonical layout, with its comments kept.

The layout is printed from the syntax tree (`progdsl.ast`), one line for each line of the
program, in the order they were written. Lark drops comments, so they are read back from the
source lines: a comment line goes before the line that followed it, a comment at the end of a
line stays at the end of that line.

Like black, the formatter checks its own work every time (`format_bytes`): the formatted text
must mean the same as the original (both are compiled and the bound programs compared without
their positions), and formatting it again must change nothing. When either check fails, the
result carries a refusal and no text to write. Nothing here prints or writes a file.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import ast, wording
from .diagnostics import Diagnostic
from .parser import decode, parse
from .records import Record, field_names
from .source import SourceFile, Span
from .units import UNIT_SPELLINGS

INDENT = "  "  # one level of indentation

# Details on an exercise line in the order they are printed: the order the example programs
# write them in (what is done, how hard, how long between sets, then the plan and the words).
_DETAIL_ORDER = {
    "each side": 1,
    "side": 1,
    "band": 2,
    "load": 2,
    "bodyweight": 2,
    "hold": 3,
    "tempo": 4,
    "rest": 5,
    "rpe": 6,
    "pain": 7,
}
_PROGRESS, _FREQUENCY, _NOTE, _ALLOW = 8, 9, 10, 11

_QUANTITY = re.compile(r"(\d+(?:\.\d+)?)(?:\s*[-–]\s*(\d+(?:\.\d+)?))?\s*([a-z]*)\s*(%?)")
_SETS = re.compile(r"(\d+)\s*[x×]\s*(.+)", re.DOTALL)


@dataclass(frozen=True)
class Formatted:
    """What formatting one program found.

    `text` is the canonical text, or None when the file was left alone: it has syntax errors
    (`diagnostics`), or the formatter refused its own output (`refusal` says why)."""

    source: SourceFile
    text: str | None
    diagnostics: tuple[Diagnostic, ...] = ()
    refusal: str | None = None
    original: str = field(default="", repr=False)

    @property
    def changed(self) -> bool:
        """True when writing `text` would change the file."""
        return self.text is not None and self.text != self.original


# ---- the checks --------------------------------------------------------------------------


def format_bytes(
    data: bytes, name: str, *, printer: Callable[[ast.Program, SourceFile], str] | None = None
) -> Formatted:
    """Format a program given as bytes; `name` is its path (includes and registries are found
    next to it). The text comes back only when it means the same and is stable."""
    layout_of = printer or layout
    original = data.decode("utf-8", "replace")
    source, diagnostics = decode(data, name)
    if diagnostics or source is None:
        return Formatted(source or SourceFile(name, ""), None, tuple(diagnostics), original=original)
    tree, diagnostics = parse(source)
    if tree is None:
        return Formatted(source, None, tuple(diagnostics), original=original)
    try:
        text = layout_of(tree, source)
    except LayoutError as exc:
        return Formatted(source, None, refusal=wording.fmt_refused(name, str(exc)), original=original)
    again_source = SourceFile(name, text)
    again_tree, again_faults = parse(again_source)
    if again_tree is None:
        reason = "the formatted text does not parse" + (f" ({again_faults[0].code})" if again_faults else "")
        return Formatted(source, None, refusal=wording.fmt_refused(name, reason), original=original)
    try:
        stable = layout_of(again_tree, again_source) == text
    except LayoutError:
        stable = False
    if not stable:
        return Formatted(
            source,
            None,
            refusal=wording.fmt_refused(name, "formatting it twice gives two different texts"),
            original=original,
        )
    if text != source.text and meaning(source.text, name) != meaning(text, name):
        return Formatted(
            source,
            None,
            refusal=wording.fmt_refused(name, "the formatted program means something else"),
            original=original,
        )
    return Formatted(source, text, original=original)


def format_text(text: str, name: str = "<string>") -> Formatted:
    return format_bytes(text.encode("utf-8"), name)


def meaning(text: str, name: str) -> object:
    """What a program means, without where it is written: the bound program when it compiles,
    else the codes of its faults and its syntax tree (details in any order)."""
    from .compiler import load_bytes

    result = load_bytes(text.encode("utf-8"), name)
    if result.program is not None:
        return ("program", without_spans(result.program))
    codes = tuple(sorted(d.code for d in result.diagnostics))
    tree, _ = parse(SourceFile(name, text))
    return ("faults", codes, without_spans(tree))


def without_spans(value: object) -> object:
    """`value` with every Span left out, as nested tuples that compare by value. An exercise
    line's details compare as a set in a fixed order: the formatter may reorder them."""
    if isinstance(value, (Span, SourceFile)):
        return None
    if isinstance(value, ast.ExerciseLine):
        details = tuple(sorted((without_spans(m) for m in value.modifiers), key=repr))
        return ("ExerciseLine", without_spans(value.name), without_spans(value.dose), details)
    if isinstance(value, ast.Atom):
        return ("Atom", re.sub(r"\s+", "", value.value).replace("–", "-").replace("×", "x"))
    if isinstance(value, Record):
        return (
            type(value).__name__,
            tuple(
                (name, without_spans(getattr(value, name))) for name in field_names(value) if not name.endswith("span")
            ),
        )
    if isinstance(value, (list, tuple)):
        return tuple(without_spans(item) for item in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(without_spans(item) for item in value)
    if isinstance(value, dict):
        return tuple((without_spans(k), without_spans(v)) for k, v in value.items())
    if isinstance(value, enum.Enum):
        return value
    return value


# ---- the printer ----------------------------------------------------------------------------


class LayoutError(Exception):
    """The printer met a program it cannot lay out (a bug: the checks turn it into a refusal)."""


@dataclass
class _Entry:
    line: int  # where it was written
    depth: int
    text: str
    comment: bool = False
    opens_block: bool = False
    phase: bool = False
    indent: int = 0  # its indentation as written
    blank_before: bool = False


def layout(tree: ast.Program, source: SourceFile) -> str:
    """The canonical text of a parsed program (see the Formatting section of docs/language.md)."""
    printer = _Printer(source)
    for item in tree.items:
        printer.item(item, 0)
    return _join(printer.entries, source)


class _Printer:
    def __init__(self, source: SourceFile):
        self.source = source
        self.entries: dict[int, _Entry] = {}

    def written(self, span: Span) -> str:
        """The text under a span on one line."""
        if span.line != span.end_line:
            raise LayoutError(f"a value spans lines {span.line} to {span.end_line}")
        return self.source.line(span.line)[span.col - 1 : span.end_col - 1]

    def add(self, span: Span, depth: int, text: str, *, opens_block: bool = False, phase: bool = False) -> None:
        if span.line in self.entries:
            raise LayoutError(f"two lines of the program start on line {span.line}")
        self.entries[span.line] = _Entry(span.line, depth, text, opens_block=opens_block, phase=phase)

    # ---- lines
    def item(self, node: object, depth: int) -> None:
        match node:
            case ast.PhaseBlock():
                head = ["phase", self.string(node.name)]
                if node.duration is not None:
                    head.append(self.amount(node.duration))
                if node.frequency is not None:
                    head.append(self.frequency(node.frequency))
                if node.per_day is not None:
                    head.append(self.collapsed(node.per_day.span))
                self.add(node.span, depth, " ".join(head) + ":", opens_block=True, phase=depth == 0)
                for child in node.items:
                    self.item(child, depth + 1)
            case ast.SessionBlock():
                head = ["session"]
                if node.name is not None:
                    head.append(self.string(node.name))
                if node.frequency is not None:
                    head.append(self.frequency(node.frequency))
                if node.per_day is not None:
                    head.append(self.collapsed(node.per_day.span))
                if node.at is not None:
                    head.append("at " + ", ".join(t.value for t in node.at.times))
                self.add(node.span, depth, " ".join(head) + ":", opens_block=True)
                for child in node.items:
                    self.item(child, depth + 1)
            case ast.CircuitBlock():
                head = ["circuit"]
                if node.name is not None:
                    head.append(self.string(node.name))
                rounds = int(node.rounds.value)
                head += [node.rounds.value, "round" if rounds == 1 else "rounds"]
                if node.rest is not None:
                    head.append("rest " + self.amount(node.rest))
                self.add(node.span, depth, " ".join(head) + ":", opens_block=True)
                for child in node.items:
                    self.item(child, depth + 1)
            case ast.ExerciseLine():
                self.add(node.span, depth, self.exercise(node))
            case (
                ast.Line() | ast.Allow() | ast.Equipment() | ast.Flags() | ast.Cleared() | ast.Surgery() | ast.Setting()
            ):
                self.add(node.span, depth, self.header(node))
            case _:
                raise LayoutError(f"no layout for {type(node).__name__}")

    def header(self, node: object) -> str:
        match node:
            case ast.Line(keyword="log", value=ast.Atom(value=word)):
                return f"log {word}"
            case ast.Line(value=ast.Text() as text):
                return f"{node.keyword} {self.string(text)}"
            case ast.Line(value=ast.Atom() as atom):
                return f"{node.keyword} {atom.value}"
            case ast.Allow():
                return f"allow {node.code.value} {self.string(node.reason)}"
            case ast.Equipment():
                return "equipment " + ", ".join(self.equipment_item(item) for item in node.items)
            case ast.Flags():
                return "flags " + ", ".join(word.value for word in node.words)
            case ast.Cleared():
                return f"cleared {self.string(node.by)} {node.date.value}"
            case ast.Surgery():
                return f"surgery {self.string(node.text)} {node.date.value}"
            case ast.Setting():
                value = node.value
                if isinstance(value, ast.Text):
                    shown = self.string(value)
                elif isinstance(value, ast.Amount):
                    shown = self.amount(value)
                else:
                    shown = value.value
                return f"set {node.key.value} {shown}"
        raise LayoutError(f"no layout for {type(node).__name__}")

    def equipment_item(self, item: ast.EquipmentItem) -> str:
        if not item.options:
            return item.name.value
        return f"{item.name.value}({', '.join(option.value for option in item.options)})"

    def exercise(self, node: ast.ExerciseLine) -> str:
        words = [node.name.value]
        if node.dose is not None:
            words.append(self.dose(node.dose))
        for modifier in sorted(node.modifiers, key=_rank):
            words.append(self.modifier(modifier))
        return " ".join(words)

    def modifier(self, node: ast.Modifier) -> str:
        match node:
            case ast.Detail(keyword="each side"):
                return "each side"
            case ast.Detail(keyword="bodyweight"):
                return "bodyweight"
            case ast.Detail(keyword="side"):
                return self.collapsed(node.span)
            case ast.Detail(keyword="pain", value=ast.Atom() as score):
                return "pain up to " + re.sub(r"\s+", "", score.value)
            case ast.Detail(keyword="tempo", value=ast.Atom() as pattern):
                return "tempo " + re.sub(r"\s*[-–]\s*", "-", pattern.value)
            case ast.Detail(value=ast.Amount() as amount):
                return f"{node.keyword} {self.amount(amount)}"
            case ast.Detail(value=ast.Atom() as atom):
                return f"{node.keyword} {atom.value}"
            case ast.Progress():
                return self.progress(node)
            case ast.Line(keyword="note", value=ast.Text() as text):
                return f"note {self.string(text)}"
            case ast.Allow():
                return f"allow {node.code.value} {self.string(node.reason)}"
            case ast.PerDay():
                return self.collapsed(node.span)
            case ast.Daily() | ast.TimesAWeek() | ast.OnDays() | ast.Every():
                return self.frequency(node)
        raise LayoutError(f"no layout for the detail {type(node).__name__}")

    def progress(self, node: ast.Progress) -> str:
        words = ["taper" if node.taper else "progress", node.direction]
        value = node.value
        if isinstance(value, ast.DoseExpr):
            words.append(self.dose(value))
        elif isinstance(value, ast.Detail):
            words.append(self.modifier(value))
        else:
            words.append(self.amount(value))
        if node.by is not None:
            words.append("by " + self.amount(node.by))
        if node.over is not None:
            words.append("over " + self.amount(node.over))
        if node.weekly is not None:
            words.append("weekly")
        return " ".join(words)

    # ---- values
    def string(self, text: ast.Text) -> str:
        """A quoted string exactly as written, escapes and all."""
        return self.written(text.span)

    def collapsed(self, span: Span) -> str:
        """Words as written, one space between them (`twice daily`, `left side`)."""
        return _compact(" ".join(self.written(span).split()))

    def amount(self, node: ast.Amount) -> str:
        return _quantity(self.written(node.span))

    def dose(self, node: ast.DoseExpr) -> str:
        written = self.written(node.amount.span)
        if node.sets is None:
            return _quantity(written)
        match = _SETS.fullmatch(written.strip())
        if match is None:
            raise LayoutError(f"cannot read the dose {written!r}")
        return f"{match.group(1)}x{_quantity(match.group(2))}"

    def frequency(self, node: ast.Frequency) -> str:
        match node:
            case ast.Daily():
                return "daily"
            case ast.OnDays():
                written = self.collapsed(node.span)
                if not written.startswith("on "):
                    return written  # `weekdays`
                return "on " + " ".join(day.value for day in node.days)
            case ast.Every():
                written = self.collapsed(node.span)
                if node.interval.span != node.span and written.startswith("every "):
                    return "every " + self.amount(node.interval)
                return written  # `every other day`, `alternate days`
            case ast.TimesAWeek():
                return self.collapsed(node.span)
        raise LayoutError(f"no layout for the frequency {type(node).__name__}")


def _rank(modifier: ast.Modifier) -> int:
    match modifier:
        case ast.Detail():
            return _DETAIL_ORDER.get(modifier.keyword, _PROGRESS)
        case ast.Progress():
            return _PROGRESS
        case ast.Line():
            return _NOTE
        case ast.Allow():
            return _ALLOW
    return _FREQUENCY


def _quantity(written: str) -> str:
    """`30 - 60 seconds` → `30-60s`: the numbers as written, a hyphen in a range, the unit's
    short spelling (`steps` after a space)."""
    match = _QUANTITY.fullmatch(written.strip())
    if match is None:
        raise LayoutError(f"cannot read the amount {written!r}")
    low, high, unit, percent = match.groups()
    text = low if high is None else f"{low}-{high}"
    if unit:
        canonical = UNIT_SPELLINGS.get(unit)
        if canonical is None:
            raise LayoutError(f"unknown unit {unit!r}")
        text += " steps" if canonical == "steps" else canonical
    return text + percent


def _compact(words: str) -> str:
    """`3 x / week` → `3x/week`, `3 ×/day` → `3x/day`, `3x/wk` → `3x/week`: no spaces inside
    a count, and `week` spelt out."""
    words = re.sub(r"(\d)\s*[x×]\s*/\s*", r"\1x/", words)
    return re.sub(r"x/(?:weeks?|wk)\b", "x/week", words)


# ---- comments and blank lines ------------------------------------------------------------


def _comment_start(line: str) -> int | None:
    """The index of the `#` that starts the line's comment, outside any string; None without one."""
    quoted = escaped = False
    for index, char in enumerate(line):
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "#" and not quoted:
            return index
    return None


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _join(code: dict[int, _Entry], source: SourceFile) -> str:
    entries: list[_Entry] = []
    blank = False
    chains: dict[int, list[tuple[int, int]]] = {}  # a code line's enclosing lines: (indent, depth)
    stack: list[tuple[int, int]] = []
    for number, line in enumerate(source.lines, start=1):
        stripped = line.strip()
        if number in code:
            entry = code[number]
            entry.indent = _indent_of(line)
            hash_at = _comment_start(line)
            if hash_at is not None:
                entry.text += "  " + line[hash_at:].rstrip()
            while stack and stack[-1][1] >= entry.depth:
                stack.pop()
            stack.append((entry.indent, entry.depth))
            chains[number] = list(stack)
        elif not stripped:
            blank = True
            continue
        elif stripped.startswith("#"):
            entry = _Entry(number, 0, stripped, comment=True, indent=_indent_of(line))
        else:
            raise LayoutError(f"line {number} is neither a comment nor a line of the program")
        entry.blank_before = blank and bool(entries)
        blank = False
        entries.append(entry)
    _place_comments(entries, chains)
    return _lines(entries)


def _place_comments(entries: list[_Entry], chains: dict[int, list[tuple[int, int]]]) -> None:
    """Each comment line at the depth of the line after it, or deeper, inside the block above,
    when it was written further in than that line."""
    for index, entry in enumerate(entries):
        if not entry.comment:
            continue
        before = next((e for e in reversed(entries[:index]) if not e.comment), None)
        after = next((e for e in entries[index + 1 :] if not e.comment), None)
        if after is not None and (entry.indent <= after.indent or before is None):
            entry.depth = after.depth
            continue
        if before is None:
            entry.depth = 0
            continue
        depth = 0
        for indent, level in chains[before.line]:
            if indent <= entry.indent:
                depth = level
        if before.opens_block and entry.indent > before.indent:
            depth = before.depth + 1
        entry.depth = max(depth, after.depth if after is not None else 0)


def _lines(entries: list[_Entry]) -> str:
    blank = [entry.blank_before for entry in entries]
    for index, entry in enumerate(entries):
        if index and entries[index - 1].opens_block:
            blank[index] = False
        if entry.phase:
            first = index
            while first > 0 and entries[first - 1].comment and entries[first - 1].depth == 0:
                first -= 1
            if first > 0:
                blank[first] = True
                for between in range(first + 1, index + 1):
                    blank[between] = blank[between] and not entries[between - 1].opens_block
    out: list[str] = []
    for entry, space in zip(entries, blank, strict=True):
        if space:
            out.append("")
        out.append(INDENT * entry.depth + entry.text)
    return "\n".join(out) + "\n"
