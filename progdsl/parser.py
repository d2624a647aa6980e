"""Bytes → AST: decoding, size and character checks, the Lark LALR parser, and
syntax errors turned into diagnostics a clinician can act on.

Checks parse with `_lark_standalone.py`, a module Lark's stand-alone generator made from
grammar/progdsl.lark: the parse tables and Lark's parsing code, without Lark's grammar
compiler, so a check neither imports `lark` nor loads the grammar. After changing the
grammar, make it again with

    python -m progdsl.parser --write

(tests/test_grammar.py fails until it matches the grammar).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, BinaryIO

from . import ast
from .ast_builder import AstBuilder, token_span
from .diagnostics import Diagnostic, error
from .source import SourceFile, Span, decode_utf8

if TYPE_CHECKING:
    from pathlib import Path

    import lark

    from ._lark_standalone import Lark, Token

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
    from .resources import resource_dir  # pathlib: not for a check, which reads no grammar

    return resource_dir("grammar") / "progdsl.lark"


class BlockIndenter:
    """Lark's post-lexer for indented blocks: after each line end, an _INDENT token where a
    block opens and a _DEDENT token for each block that closes (the work of Lark's
    `Indenter`, in one generator). An indentation that matches no open block is an
    `IndentMismatch` naming its line, and the last token before the current one (line ends
    aside) is kept in `previous`, for describing a syntax error."""

    always_accept = ("_NL",)  # Lark's post-lexer interface: terminals the lexer must keep

    def __init__(self) -> None:
        self.previous: Token | None = None
        self.levels = [0]

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        self.previous = None
        self.levels = [0]
        return self._blocks(stream)

    def _blocks(self, stream: Iterator[Token]) -> Iterator[Token]:
        levels = self.levels
        token = None
        for token in stream:
            if token.type != "_NL":
                yield token
                self.previous = token
                continue
            spaces = token.rsplit("\n", 1)[1]  # tabs were refused before parsing (E003)
            indent = len(spaces)
            if indent < levels[-1] and indent not in levels:
                raise IndentMismatch(token_span(token).end_line, indent, tuple(levels))
            yield token
            if indent > levels[-1]:
                levels.append(indent)
                yield _at(token, "_INDENT", spaces)
            while indent < levels[-1]:
                levels.pop()
                yield _at(token, "_DEDENT", spaces)
        while len(levels) > 1 and token is not None:
            levels.pop()
            yield _at(token, "_DEDENT", "")


def _at(token: Token, kind: str, text: str) -> Token:
    """A token of another kind where `token` is (a line end's position, for _INDENT and _DEDENT)."""
    return type(token).new_borrow_pos(kind, text, token)  # type: ignore[misc]  # Lark's own annotation trips mypy


class IndentMismatch(Exception):
    def __init__(self, line: int, indent: int, levels: tuple[int, ...]):
        super().__init__(line, indent, levels)
        self.line, self.indent, self.levels = line, indent, levels


def generated_path() -> Path:
    """The generated module's file, `_lark_standalone.py`."""
    from pathlib import Path

    return Path(__file__).with_name("_lark_standalone.py")


@cache
def program_parser() -> Lark:
    """The parser checks use, made once per process from the generated module: it builds
    the AST as it parses (`AstBuilder`), so no parse tree is made and walked again, and
    its table is loaded by `parse_table.TableLoadingParser`."""
    from ._lark_standalone import Lark_StandAlone
    from .parse_table import PLUGINS

    return Lark_StandAlone(postlex=BlockIndenter(), transformer=AstBuilder(), _plugins=PLUGINS)


@cache
def lark_parser() -> lark.Lark:
    """Lark's own parser of the grammar, loaded from the grammar file and building Lark's
    parse tree with positions: the floor the benchmarks measure a check against, and what
    the generated module is made from. Checks use `program_parser`."""
    from lark import Lark

    return Lark(
        grammar_path().read_text(encoding="utf-8"),
        parser="lalr",
        lexer="basic",
        postlex=BlockIndenter(),
        propagate_positions=True,
        maybe_placeholders=True,
        cache=True,
    )


def generated_grammar(**options) -> lark.Lark:
    """The grammar as the generated module holds it: every token kept for `AstBuilder`,
    which works out each node's span from them, and a None for each missing `[optional]`.
    `options` are Lark's, added to these (a postlex and a transformer make it a checker's parser)."""
    from lark import Lark

    return Lark(
        grammar_path().read_text(encoding="utf-8"),
        parser="lalr",
        lexer="basic",
        keep_all_tokens=True,
        maybe_placeholders=True,
        **options,
    )


def grammar_digest() -> str:
    import hashlib

    return hashlib.sha256(grammar_path().read_bytes()).hexdigest()


def generated_source() -> str:
    """The text of `_lark_standalone.py`, generated from the grammar (needs Lark's generator)."""
    import io

    from lark.tools.standalone import gen_standalone

    out = io.StringIO()
    gen_standalone(generated_grammar(), out=out)
    header = f"""\
# progdsl's parser: generated from grammar/progdsl.lark (sha256 {grammar_digest()})
# by Lark's stand-alone generator. Do not edit: after changing the grammar, run
#     python -m progdsl.parser --write
# The code below is Lark's (https://github.com/lark-parser/lark), and Lark's generator
# puts its output under the Mozilla Public License 2.0, as its notice below says; the
# rest of progdsl is under the MIT licence.
"""
    return header + out.getvalue()


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
    from ._lark_standalone import UnexpectedInput

    parser = program_parser()
    try:
        tree = parser.parse(text)
    except IndentMismatch as exc:
        return None, [_indent_mismatch(source, exc)]
    except UnexpectedInput as exc:
        from .syntax_errors import describe

        return None, [describe(exc, source, parser)]
    return tree, []  # the AST: AstBuilder made it as the parser went


def _indent_mismatch(source: SourceFile, exc: IndentMismatch) -> Diagnostic:
    levels = ", ".join(str(level) for level in exc.levels)
    return error(
        "E103",
        "this line's indentation does not line up with any block above it",
        Span.point(exc.line, exc.indent + 1),
        f"indent it by the same number of spaces as the lines of its block ({levels} spaces are in use here)",
    )


if __name__ == "__main__":
    import argparse

    arguments = argparse.ArgumentParser(description="Make progdsl/_lark_standalone.py from the grammar.")
    arguments.add_argument("--write", action="store_true", help="write the module (without it, print it)")
    if arguments.parse_args().write:
        generated_path().write_text(generated_source(), encoding="utf-8")
    else:
        print(generated_source(), end="")
