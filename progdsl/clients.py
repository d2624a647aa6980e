"""`progdsl build PROTOCOL.prog --clients CLIENTS.csv`: one protocol, one set of outputs per client.

The CSV file's first row names its columns: `client` (required), and any of `start`,
`time`, `timezone` and `affected`. Each later row is a client: its values take the
place of the protocol's header lines of the same name (docs/batch.md).

A fault in the file as a whole (not UTF-8, not CSV, no `client` column, a column
progdsl does not know) stops every row; a fault in one row (an empty name, a bad
date, time or zone, a cell past the last column) stops that row only. Each is a
diagnostic in the CSV file, at the cell's line and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable

from . import ast, model, wording
from .diagnostics import Diagnostic, error
from .parser import MAX_BYTES
from .records import Record, replace
from .source import SourceFile, Span, decode_utf8
from .suggest import close_matches
from .vocabulary import Side

COLUMNS = ("client", "start", "time", "timezone", "affected")
SIDES = ("left", "right")
MAX_CLIENTS = 10_000  # rows in one file: a large clinic's whole caseload, several times over


class ClientRow(Record, frozen=True):
    """One client's row: the values that replace the protocol's header lines.

    `affected` replaces the side the protocol's `affected left|right` line names, and so
    what its `affected side` and `other side` lines mean. A protocol that uses them still
    needs its own `affected` line (E184 without it): the side a row leaves empty.
    """

    line: int
    client: str
    slug: str  # unique in the file: what the client's output files are called after the program's name
    start: dt.date | None = None
    time: dt.time | None = None
    timezone: str | None = None
    affected: str | None = None

    def apply(self, program: model.Program) -> model.Program:
        """The protocol as this client's program."""
        changes: dict[str, object] = {"client": self.client}
        if self.start is not None:
            changes["start"] = self.start
        if self.time is not None:
            changes["time"] = self.time
        if self.timezone is not None:
            changes["timezone"] = self.timezone
        if self.affected is not None:
            changes["affected"] = Side(self.affected)
            changes["phases"] = tuple(_sided(phase, Side(self.affected)) for phase in program.phases)
        return replace(program, **changes)


def _sided(phase: model.Phase, affected: Side) -> model.Phase:
    """The phase with its `affected side` and `other side` lines turned to the client's sides."""

    def line(p: model.Prescription) -> model.Prescription:
        if p.side is None or p.side.written.split()[0] not in ("affected", "other"):
            return p
        side = affected if p.side.written.startswith("affected") else affected.other
        return replace(p, side=replace(p.side, side=side))

    sessions = tuple(
        replace(session, prescriptions=tuple(map(line, session.prescriptions))) for session in phase.sessions
    )
    return replace(phase, sessions=sessions)


def slug(name: str) -> str:
    """A client's name as part of a file name: `Zoë O'Brien` → `zoë-o-brien`."""
    return re.sub(r"[^\w]+", "-", name.lower()).strip("-_") or "client"


def read_clients(data: bytes, name: str) -> tuple[SourceFile, list[ClientRow], list[Diagnostic]]:
    """The CSV file's rows, each checked; the file as a source for diagnostics, and every fault.

    Rows with faults are left out; a fault in the file as a whole leaves every row out.
    """
    source, fault = _decode(data, name)
    if fault is not None:
        return source, [], [fault]
    diagnostics: list[Diagnostic] = []

    def report(code: str, message: str, span: Span, help: str | None = None) -> None:
        diagnostics.append(error(code, message, span, help, source=source))

    reader = csv.reader(io.StringIO(source.text, newline=""))
    records: list[tuple[int, list[str]]] = []
    try:
        line = 1
        for record in reader:
            records.append((line, record))
            line = reader.line_num + 1
            if len(records) > MAX_CLIENTS + 1:
                report(
                    "E166",
                    f"the file has more than {MAX_CLIENTS:,} clients",
                    Span.point(line - 1, 1),
                    "split it into several files",
                )
                return source, [], diagnostics
    except csv.Error as exc:
        report("E166", f"the file is not CSV that progdsl can read ({exc})", Span.point(reader.line_num or 1, 1))
        return source, [], diagnostics
    records = [(line, record) for line, record in records if any(cell.strip() for cell in record)]
    if not records:
        report(
            "E166",
            "the file has no rows",
            Span.point(1, 1),
            "the first row names the columns, such as: client,start,time",
        )
        return source, [], diagnostics

    header_line, header = records[0]
    columns = [cell.strip().lower() for cell in header]
    for index, column in enumerate(columns):
        span = _cell_span(source, header_line, index)
        if column not in COLUMNS:
            hint = wording.did_you_mean(close_matches(column, COLUMNS))
            report(
                "E167",
                f"progdsl does not know the column `{header[index].strip()}`",
                span,
                (hint + "; " if hint else "") + "the columns are " + ", ".join(f"`{c}`" for c in COLUMNS),
            )
        elif columns.index(column) != index:
            report("E167", f"the column `{column}` is given twice", span, "keep one")
    if "client" not in columns:
        report(
            "E167",
            "the file has no `client` column",
            _cell_span(source, header_line, 0),
            "the first row names the columns, and one of them is `client`, such as: client,start,time",
        )
    if diagnostics:
        return source, [], diagnostics

    rows: list[ClientRow] = []
    taken: set[str] = set()
    for line, record in records[1:]:
        row = _row(source, line, columns, record, report)
        if row is not None:
            unique = row.slug
            number = 1
            while unique in taken:
                number += 1
                unique = f"{row.slug}-{number}"
            taken.add(unique)
            rows.append(replace(row, slug=unique))
    return source, rows, diagnostics


def _decode(data: bytes, name: str) -> tuple[SourceFile, Diagnostic | None]:
    if len(data) > MAX_BYTES:
        empty = SourceFile(name, "")
        return empty, error(
            "E166",
            f"the file is larger than {MAX_BYTES:,} bytes",
            Span.point(1, 1),
            "check that this is the file you meant",
            source=empty,
        )
    source, bad = decode_utf8(data, name)
    if bad is not None:
        return source, error(
            "E166",
            f"the file is not UTF-8 text (byte 0x{bad.value:02x} cannot be read)",
            bad.span,
            "save it from the spreadsheet as 'CSV UTF-8'",
            source=source,
        )
    return source, None


def _row(
    source: SourceFile, line: int, columns: list[str], record: list[str], report: Callable[..., None]
) -> ClientRow | None:
    """One row checked, or None when it has a fault (reported)."""
    from .registry import builtin_registry
    from .resolve import Resolver

    faults: list[Diagnostic] = []
    resolver = Resolver(source, builtin_registry())
    values: dict[str, tuple[str, Span | None]] = {}
    for index, cell in enumerate(record):
        span = _cell_span(source, line, index, cell)
        if index >= len(columns):
            if cell.strip():
                faults.append(
                    error(
                        "E167",
                        f"this row has a value past the last column (`{cell.strip()}`)",
                        span,
                        "add the column's name to the first row, or remove the value; a comma inside a value needs"
                        ' the value in double quotes, such as "Lee, Sam"',
                        source=source,
                    )
                )
            continue
        values[columns[index]] = (cell.strip(), span)

    client, client_span = values.get("client", ("", None))
    client_span = client_span or _cell_span(source, line, columns.index("client"))
    if not client:
        faults.append(
            error(
                "E168",
                "this row has no client name",
                client_span,
                "write the client's name in the `client` column; a row without one is not built",
                source=source,
            )
        )
    row = ClientRow(line, client, slug(client))
    for column in ("start", "time", "timezone"):
        text, at = values.get(column, ("", None))
        if not text or at is None:
            continue
        if column == "start":
            row = replace(row, start=resolver.date(ast.Atom(text, at)))
        elif column == "time":
            row = replace(row, time=resolver.time(ast.Atom(text, at)))
        else:
            row = replace(row, timezone=resolver.zone(ast.Text(text, at)))
    faults += [replace(d, source=source) for d in resolver.diagnostics]
    side, at = values.get("affected", ("", None))
    if side and at is not None:
        if side.lower() in SIDES:
            row = replace(row, affected=side.lower())
        else:
            faults.append(
                error(
                    "E169",
                    f"`{side}` is not a side",
                    at,
                    "write left or right, or leave the cell empty to keep the protocol's",
                    source=source,
                )
            )
    for fault in faults:
        report(fault.code, fault.message, fault.span, fault.help)
    return None if faults else row


def _cell_span(source: SourceFile, line: int, index: int, value: str | None = None) -> Span:
    """Where the cell `index` of the record starting at `line` is: its columns on that line
    when the record is on one line, else the start of the line."""
    text = source.line(line)
    starts = _cell_starts(text)
    if index >= len(starts):
        return Span.point(line, max(len(text), 0) + 1)
    start, end = starts[index]
    if end <= start:
        return Span.point(line, start + 1)
    return Span(line, start + 1, line, end + 1)


def _cell_starts(text: str) -> list[tuple[int, int]]:
    """(start, end) of each comma-separated cell of one line, quotes respected (0-based)."""
    cells: list[tuple[int, int]] = []
    start, quoted = 0, False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            cells.append((start, i))
            start = i + 1
    cells.append((start, len(text)))
    # Point at the value, not the spaces around it.
    trimmed = []
    for start, end in cells:
        cell = text[start:end]
        lead = len(cell) - len(cell.lstrip())
        trimmed.append((start + lead, start + len(cell.rstrip())))
    return trimmed
