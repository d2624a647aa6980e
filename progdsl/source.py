"""Source files and the spans that point into them."""

from __future__ import annotations

from contextvars import ContextVar
from functools import cached_property

from .records import Record

# Set while a packed program is built in a folder of its own (`progdsl.parcel`): the folder's
# prefixes, which `shown_name` takes off so that outputs name files as on the machine that packed them.
UNPACKED_AT: ContextVar[tuple[str, ...]] = ContextVar("UNPACKED_AT", default=())


def shown_name(name: str) -> str:
    """A file's name as the person who gave it knows it, wherever it was unpacked."""
    for prefix in UNPACKED_AT.get():
        name = name.replace(prefix, "")
    return name


class Span(Record, frozen=True, order=True):
    """A region of a source file: 1-based lines and columns, end column exclusive."""

    line: int
    col: int
    end_line: int
    end_col: int

    @classmethod
    def point(cls, line: int, col: int, width: int = 1) -> Span:
        return cls(line, col, line, col + width)

    def to(self, other: Span) -> Span:
        """The span from the start of this one to the end of `other`."""
        return Span(self.line, self.col, other.end_line, other.end_col)


class SourceFile(Record, frozen=True, dict=True):  # dict: room for cached properties
    """A program's text as the parser sees it, with line ends normalised to `\\n`.

    `name` is what diagnostics print: the path as the user gave it, or `<stdin>`.
    """

    name: str
    text: str

    @cached_property
    def lines(self) -> tuple[str, ...]:
        return tuple(self.text.split("\n"))

    def line(self, number: int) -> str:
        """The text of a 1-based line, or '' past the end."""
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1]
        return ""

    def first_line(self, span: Span) -> Span:
        """`span` cut to the end of its first line: the caret under a block's header line."""
        text = self.line(span.line).rstrip()
        return Span(span.line, span.col, span.line, max(len(text) + 1, span.col + 1))

    @property
    def last_span(self) -> Span:
        """A point just after the last character, for faults found at the end of the file."""
        lines = self.text.rstrip("\n").split("\n")
        return Span.point(len(lines), len(lines[-1]) + 1)


class BadByte(Record, frozen=True):
    """The first byte of a file that is not UTF-8: its value, and where it is."""

    value: int
    span: Span


def decode_utf8(data: bytes, name: str) -> tuple[SourceFile, BadByte | None]:
    """`data` as a source file: without a byte-order mark, line ends as `\\n`. Text that is
    not UTF-8 comes back with replacement characters, and the first byte that is not."""
    if data.startswith(b"\xef\xbb\xbf"):  # editors and spreadsheets may save UTF-8 with this mark
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        partial = SourceFile(name, data.decode("utf-8", "replace").replace("\r\n", "\n"))
        return partial, BadByte(data[exc.start], Span.point(line, col))
    return SourceFile(name, text.replace("\r\n", "\n").replace("\r", "\n")), None
