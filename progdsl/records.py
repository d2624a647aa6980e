"""Records: the base class of progdsl's immutable values (syntax nodes, the bound program,
the plan, diagnostics, registry entries).

A record is a frozen msgspec Struct. It compares, hashes, prints, pickles and
pattern-matches as a frozen dataclass does, but its class is built in C: defining one
costs microseconds, where a frozen dataclass writes and compiles its methods at import
(about half a millisecond a class, which added up to a third of `progdsl check`'s
start-up). Use `replace` and `field_names` from here, never `dataclasses`' functions.

    class Span(Record, frozen=True, order=True):
        line: int
        col: int

Each subclass says `frozen=True` again: the base is already frozen, but type checkers
read the option from the class itself. A record with a `functools.cached_property`
also says `dict=True`, which gives the property somewhere to keep its value.

A mutable helper that only lives during one stage may be a plain class instead.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

field = msgspec.field  # field(default_factory=list), as with dataclasses


class Record(msgspec.Struct, frozen=True):
    """An immutable value: fields in order, compared and hashed by value, picklable."""


R = TypeVar("R", bound=Record)


def replace(record: R, /, **changes: Any) -> R:
    """A copy of `record` with some fields changed."""
    return msgspec.structs.replace(record, **changes)


def field_names(record: Record | type[Record]) -> tuple[str, ...]:
    """The record's fields, in order."""
    return record.__struct_fields__
