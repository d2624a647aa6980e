"""Bytes → AST: decoding, size and character checks, the Lark LALR parser, and
syntax errors turned into diagnostics a clinician can act on."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import BinaryIO

from lark import Lark, Token
from lark.exceptions import UnexpectedInput
from lark.indenter import Indenter

from . import ast
from .ast_builder import AstBuilder, token_span
from .diagnostics import Diagnostic, error
from .resources import resource_dir
from .source import SourceFile, Span, decode_utf8

# Size limits: far beyond any real program, low enough that a hostile file is
# refused quickly. Documented in docs/language.md.
MAX_BYTES = 2_000_000
MAX_LINE_CHARS = 2_000
MAX_REPORTED = 20  # so one bad file cannot flood the terminal

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def read_limited(stream: BinaryIO) -> bytes:
    """A program's bytes, but never more than MAX_BYTES + 1 of them: enough for `decode`
    to refuse a file that is too large (E005) without holding it, or an endless one
    (`/dev/zero`, a pipe that never closes) in memory."""
    return stream.read(MAX_BYTES + 1)


def read_file(path: str | Path) -> bytes:
    """`read_limited` of a file; raises OSError."""
    with open(path, "rb") as stream:
        return read_limited(stream)


def grammar_path() -> Path:
    return resource_dir("grammar") / "progdsl.lark"


class BlockIndenter(Indenter):
    """Lark's Indenter, but an inconsistent dedent names the line where it happens,
    and the last real token is remembered to describe syntax errors."""

    NL_type = "_NL"
    OPEN_PAREN_types: list[str] = []
    CLOSE_PAREN_types: list[str] = []
    INDENT_type = "_INDENT"
    DEDENT_type = "_DEDENT"
    tab_len = 8

    def process(self, stream):
        self.previous: Token | None = None
        return super().process(self._remember(stream))

    def _remember(self, stream):
        for token in stream:
            yield token
            if token.type != self.NL_type:
                self.previous = token

    def handle_NL(self, token: Token):
        indent = len(token.rsplit("\n", 1)[1])
        if indent < self.indent_level[-1] and indent not in self.indent_level:
            raise IndentMismatch(token_span(token).end_line, indent, tuple(self.indent_level))
        yield from super().handle_NL(token)


class IndentMismatch(Exception):
    def __init__(self, line: int, indent: int, levels: tuple[int, ...]):
        super().__init__(line, indent, levels)
        self.line, self.indent, self.levels = line, indent, levels


@cache
def lark_parser() -> Lark:
    """The parser, built once per process (Lark caches the tables on disk)."""
    return Lark(
        grammar_path().read_text(encoding="utf-8"),
        parser="lalr",
        lexer="basic",
        postlex=BlockIndenter(),
        propagate_positions=True,
        maybe_placeholders=True,
        cache=True,
    )


# ---------------------------------------------------------------------------
# Decoding and character checks


def decode(data: bytes, name: str) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Bytes → SourceFile, or diagnostics for input that is not a readable program."""
    if len(data) > MAX_BYTES:
        return None, [
            error(
                "E005",
                f"the file is larger than {MAX_BYTES:,} bytes, the most progdsl reads in a program",
                Span.point(1, 1),
                "split the program, or check that this is the file you meant",
            )
        ]
    source, bad = decode_utf8(data, name)
    if bad is not None:
        return source, [
            error(
                "E001",
                f"the file is not UTF-8 text (byte 0x{bad.value:02x} cannot be read)",
                bad.span,
                "save the file as UTF-8 in your editor (often 'Save with encoding' or 'Unicode (UTF-8)')",
            )
        ]
    return source, []


def _character_faults(source: SourceFile) -> list[Diagnostic]:
    faults: list[Diagnostic] = []
    for number, line in enumerate(source.lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            faults.append(
                error(
                    "E006",
                    f"this line is {len(line):,} characters long; the limit is {MAX_LINE_CHARS:,}",
                    Span.point(number, MAX_LINE_CHARS + 1),
                    "break it up: one exercise per line, and notes of a few sentences",
                )
            )
            continue
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            col = indent.index("\t") + 1
            faults.append(
                error(
                    "E003",
                    "a tab is used for indentation",
                    Span.point(number, col),
                    "indent with spaces (two or four, the same throughout the file)",
                )
            )
        control = _CONTROL.search(line)
        if control:
            faults.append(
                error(
                    "E004",
                    f"invisible control character U+{ord(control.group()):04X} in the text",
                    Span.point(number, control.start() + 1),
                    "delete it; it often comes from pasting out of another program",
                )
            )
    return faults[:MAX_REPORTED]


def _is_empty(source: SourceFile) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in source.lines)


# ---------------------------------------------------------------------------
# Parsing


def parse(source: SourceFile) -> tuple[ast.Program | None, list[Diagnostic]]:
    """SourceFile → AST. A syntax error stops here, with one diagnostic that says why."""
    if _is_empty(source):
        return None, [
            error(
                "E002",
                "the file is empty: there is no program in it",
                Span.point(1, 1),
                'a program starts with a title line, such as: program "Glutes for a sore back"',
            )
        ]
    faults = _character_faults(source)
    if faults:
        return None, faults
    text = source.text if source.text.endswith("\n") else source.text + "\n"
    parser = lark_parser()
    try:
        tree = parser.parse(text)
    except IndentMismatch as exc:
        return None, [_indent_mismatch(source, exc)]
    except UnexpectedInput as exc:
        from .syntax_errors import describe

        return None, [describe(exc, source, parser)]
    return AstBuilder().transform(tree), []


def _indent_mismatch(source: SourceFile, exc: IndentMismatch) -> Diagnostic:
    levels = ", ".join(str(level) for level in exc.levels)
    return error(
        "E103",
        "this line's indentation does not line up with any block above it",
        Span.point(exc.line, exc.indent + 1),
        f"indent it by the same number of spaces as the lines of its block ({levels} spaces are in use here)",
    )
