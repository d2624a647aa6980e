"""Documentation text shared by the E codes, the safety rules and the registry schema:
explanations split at their headings, and Markdown tables generated between markers."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Sequence


def sections(doc: str, headings: Iterable[str]) -> dict[str, str]:
    """An explanation split at its headings (lines that are a heading and not indented), each body dedented."""
    known = set(headings)
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in doc.splitlines():
        if line.strip() in known and not line.startswith(" "):
            current = found.setdefault(line.strip(), [])
        elif current is not None:
            current.append(line)
    return {title: textwrap.dedent("\n".join(body)).strip("\n") for title, body in found.items()}


def replace_between(document: str, begin: str, end: str, text: str) -> str:
    """`document` with everything from `begin` to `end` (markers included) replaced by `text`."""
    before, found_begin, rest = document.partition(begin)
    _, found_end, after = rest.partition(end)
    if not found_begin or not found_end:
        raise ValueError(f"the document has no {begin} ... {end} markers")
    return before + text + after


def table_command(
    prog: str, what: str, table: Callable[[], str], update: Callable[[str], str], argv: Sequence[str] | None = None
) -> int:
    """`python -m MODULE [--write FILE]`: print a generated table, or update it in FILE."""
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(prog=prog, description=f"Print, or write, {what}.")
    parser.add_argument("--write", metavar="FILE", type=Path, help="replace the table between the markers in FILE")
    args = parser.parse_args(argv)
    if args.write is None:
        print(table())
        return 0
    text = args.write.read_text(encoding="utf-8")
    try:
        updated = update(text)
    except ValueError as exc:
        parser.error(f"{args.write}: {exc}")
    if updated != text:
        args.write.write_text(updated, encoding="utf-8")
        print(f"wrote {args.write}")
    return 0
