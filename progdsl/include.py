"""`include "FILE.prog"`: a program built on other program files (protocols).

An included file is read, decoded and parsed on its own, so that its faults are
reported in that file, at its own line and column. Its items then join the
including program's tree, their spans moved past the lines of the files before
it, and the resolver reads one combined source: the program's text, then each
included file's. `Expansion.locate` moves a diagnostic back into the file it is
about.

What an included file brings (docs/language.md, "Including a protocol"):

- its phases, after the including file's own, in the order of the `include` lines;
  a file's own includes follow its own phases (depth first);
- its header lines where the including file has none of that kind: `program`,
  `client`, `clinician`, `start`, `timezone`, `time`, `cleared` and each `set` key
  are the including file's when it has them (the including file's header wins);
- its `equipment`, `flags`, `surgery`, `caution`, `note`, `allow` and `registry`
  lines, added to the including file's (a `registry` path stays relative to the
  file that names it).
"""

from __future__ import annotations

from pathlib import Path

from . import ast
from .diagnostics import Diagnostic, error, has_errors
from .parser import MAX_BYTES, decode, parse, read_file
from .records import Record, field_names, replace
from .source import SourceFile, Span

# The most files one program may include, directly or through others: far more than a
# clinic's protocols need, few enough that a mistake cannot read a whole folder.
MAX_INCLUDED_FILES = 32
# The program and everything it includes together are held to one file's size limit.
MAX_TOTAL_BYTES = MAX_BYTES

# Header lines that hold one value; the first file that has one gives it.
_SINGLE = {"program", "client", "clinician", "start", "timezone", "time"}


class Segment(Record, frozen=True):
    """One file's lines in the combined source: its own line N is combined line `offset + N`."""

    source: SourceFile
    offset: int

    @property
    def last_line(self) -> int:
        return self.offset + len(self.source.lines)


class Expansion(Record, frozen=True):
    """A program with its includes taken in: the tree the resolver reads, the source it reads
    it against, and where each file's lines are in that source."""

    tree: ast.Program
    source: SourceFile
    segments: tuple[Segment, ...]

    def locate(self, diagnostic: Diagnostic) -> Diagnostic:
        """The diagnostic in the file it is about, with that file's line numbers."""
        if diagnostic.source is not None or len(self.segments) == 1:
            return diagnostic
        line = diagnostic.span.line
        segment = next((s for s in self.segments if s.offset < line <= s.last_line), self.segments[-1])
        if segment.offset == 0:
            return diagnostic
        span = diagnostic.span
        moved = Span(span.line - segment.offset, span.col, span.end_line - segment.offset, span.end_col)
        return replace(diagnostic, span=moved, source=segment.source)


class _Reader:
    """Reads included files depth first, collecting their items and faults."""

    def __init__(self, segments: list[Segment], total_bytes: int) -> None:
        self.segments = segments
        self.total_bytes = total_bytes
        self.diagnostics: list[Diagnostic] = []
        self.headers: list = []  # header items the included files bring
        self.rest: list = []  # their phases (and anything after their first phase)
        self.given: set = set()  # the single-valued header kinds given so far

    @property
    def next_offset(self) -> int:
        return self.segments[-1].last_line

    def include(self, line: ast.Line, including: SourceFile, chain: tuple[Path, ...]) -> None:
        """Read the file one `include` line names, and everything it includes."""
        assert isinstance(line.value, ast.Text)
        name = line.value.value
        where = line.value.span

        def fault(code: str, message: str, help: str) -> None:
            self.diagnostics.append(error(code, message, where, help, source=including))

        path = _folder_of(including) / name
        if not name.strip():
            fault("E161", "the `include` line names no file", 'name a program file, such as: include "protocol.prog"')
            return
        if not path.exists():
            fault("E161", f"the file `{name}` does not exist", "the path is relative to the file that includes it")
            return
        if not path.is_file():
            what = "a folder" if path.is_dir() else "not a regular file"
            fault(
                "E163",
                f"`{name}` is {what}, not a program file",
                'name one .prog file, such as: include "protocol.prog"',
            )
            return
        real = path.resolve()
        if real in chain:
            loop = " → ".join([*(p.name for p in chain[chain.index(real) :]), real.name])
            fault(
                "E162",
                f"including `{name}` here makes a loop: {loop}",
                "a file cannot include itself, directly or through another; remove the `include` that closes the loop",
            )
            return
        if len(self.segments) > MAX_INCLUDED_FILES:
            fault(
                "E164",
                f"the program includes more than {MAX_INCLUDED_FILES} files",
                "join some of the protocols into one file, or check for an include that repeats",
            )
            return
        try:
            data = read_file(path)
        except OSError as exc:
            fault("E161", f"the file `{name}` cannot be read ({exc.strerror or exc})", "check its permissions")
            return
        self.total_bytes += len(data)
        if self.total_bytes > MAX_TOTAL_BYTES:
            fault(
                "E164",
                f"the program and the files it includes come to more than {MAX_TOTAL_BYTES:,} bytes",
                "a program with its protocols is held to one file's size limit; check that this is the file you meant",
            )
            return
        shown = str(Path(including.name).parent / name) if not including.name.startswith("<") else name
        decoded, found = decode(data, shown)
        if decoded is None or found:
            where_in = decoded or SourceFile(shown, "")
            self.diagnostics += [replace(d, source=d.source or where_in) for d in found]
            return
        source = decoded
        tree, found = parse(source)
        if tree is None:
            self.diagnostics += [replace(d, source=d.source or source) for d in found]
            return
        if not any(isinstance(item, ast.PhaseBlock) for item in tree.items):
            fault(
                "E165",
                f"`{name}` has no phases to include",
                "an included file is a protocol: it brings its phases (see docs/language.md)",
            )
            return
        segment = Segment(source, self.next_offset)
        self.segments.append(segment)
        self.take(_shifted(tree, segment.offset), source, (*chain, real))

    def take(self, tree: ast.Program, source: SourceFile, chain: tuple[Path, ...]) -> None:
        """An included file's items, and then those of the files it includes."""
        header, rest = _split(tree)
        before = set(self.given)
        for item in header:
            kind = _single_kind(item)
            if isinstance(item, ast.Line) and item.keyword == "include":
                continue
            if kind is not None:
                if kind in before:
                    continue  # the including file's (or an earlier file's) value wins
                self.given.add(kind)
            if isinstance(item, ast.Line) and item.keyword == "registry":
                item = _registry_from(item, source)
            self.headers.append(item)
        self.rest += rest
        for item in header:
            if isinstance(item, ast.Line) and item.keyword == "include":
                self.include(_unshifted_line(item, self.segments, source), source, chain)


def expand(tree: ast.Program, source: SourceFile) -> tuple[Expansion, list[Diagnostic]]:
    """The program with every file it includes taken in, and the faults found on the way.

    A fault in an included file (or at an `include` line) carries that file as its source.
    """
    header, rest = _split(tree)
    includes = [item for item in header if isinstance(item, ast.Line) and item.keyword == "include"]
    main = Segment(source, 0)
    if not includes:
        return Expansion(tree, source, (main,)), []
    reader = _Reader([main], len(source.text.encode("utf-8")))
    reader.given = {kind for item in header if (kind := _single_kind(item)) is not None}
    start = _real_path(source)
    for line in includes:
        reader.include(line, source, (start,) if start else ())
    if has_errors(reader.diagnostics):
        return Expansion(tree, source, (main,)), reader.diagnostics
    combined = SourceFile(source.name, "\n".join(segment.source.text for segment in reader.segments))
    items = (*header, *reader.headers, *rest, *reader.rest)
    return Expansion(ast.Program(items, tree.span), combined, tuple(reader.segments)), reader.diagnostics


# ---------------------------------------------------------------------------


def _folder_of(source: SourceFile) -> Path:
    return Path.cwd() if source.name.startswith("<") else Path(source.name).parent


def _real_path(source: SourceFile) -> Path | None:
    return None if source.name.startswith("<") else Path(source.name).resolve()


def _split(tree: ast.Program) -> tuple[list, list]:
    """The items before the first phase (the header), and the rest."""
    items = list(tree.items)
    first = next((i for i, item in enumerate(items) if isinstance(item, ast.PhaseBlock)), len(items))
    return items[:first], items[first:]


def _single_kind(item) -> str | None:
    """The kind of a header line that holds one value, or None for a line that may repeat."""
    match item:
        case ast.Line(keyword=keyword) if keyword in _SINGLE:
            return keyword
        case ast.Cleared():
            return "cleared"
        case ast.Setting(key=key):
            return f"set {key.value}"
    return None


def _registry_from(line: ast.Line, source: SourceFile) -> ast.Line:
    """An included file's `registry` line, its path made independent of the including file."""
    assert isinstance(line.value, ast.Text)
    path = _folder_of(source) / line.value.value
    return replace(line, value=replace(line.value, value=str(path.resolve())))


def _unshifted_line(line: ast.Line, segments: list[Segment], source: SourceFile) -> ast.Line:
    """An include line of an included file, with that file's own line numbers again."""
    offset = next(s.offset for s in segments if s.source is source)
    return _shifted(line, -offset)


def _shifted(node, lines: int):
    """A copy of an AST node with every span moved down by `lines`."""
    if isinstance(node, Span):
        return Span(node.line + lines, node.col, node.end_line + lines, node.end_col)
    if isinstance(node, tuple):
        return tuple(_shifted(item, lines) for item in node)
    if isinstance(node, Record) and node.__module__ == ast.__name__:
        return replace(node, **{name: _shifted(getattr(node, name), lines) for name in field_names(node)})
    return node
