"""`progdsl.ast` nodes, built by the parser as it reduces each grammar rule. Nothing else
happens here.

The parser calls `AstBuilder`'s method for a rule with every child the rule matched,
punctuation and line ends included (Lark's `keep_all_tokens`): a node's span runs from its
first child to its last, exactly where Lark's `propagate_positions` would put it, and the
punctuation is then dropped, so that each method sees the values it builds from.
(Lark cannot hand a parse-time transformer its `meta`: `v_args(meta=True)` is refused
there, and propagated positions are only set on Lark's own tree nodes, after the rule's
callback has run; hence the spans are worked out here.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import ast
from .source import Span
from .units import parse_quantity, parse_sets

if TYPE_CHECKING:
    from ._lark_standalone import Token

_ESCAPE = re.compile(r"\\([\"\\])")

# The grammar's named terminals, the tokens whose text the AST keeps. Every other token is a
# keyword, punctuation or a line end, there only for its position (tests/test_grammar.py
# checks this set against the grammar).
KEPT_TOKENS = frozenset(
    {
        *("CODE", "DATE", "DAYS_A_WEEK", "EVERY_OTHER_DAY", "INT", "LEFT", "NAME", "PAIN_SCORE", "PERCENT"),
        *("QUANTITY", "RANGE", "RIGHT", "SETS_DOSE", "STRING", "TEMPO", "TIME", "TIMES_A_DAY", "TIMES_A_WEEK"),
        *("TWICE_DAILY", "WEEKLY"),
    }
)


def positioned_span(token: Token) -> Span | None:
    """The token's span, or None for a token without a position (Lark's end of input)."""
    if token.line is None or token.column is None or token.end_line is None or token.end_column is None:
        return None
    return Span(token.line, token.column, token.end_line, token.end_column)


def token_span(token: Token) -> Span:
    """A lexed token's span: the lexer gives every token it makes its position (for one that
    may have none, Lark's end of input, use `positioned_span`)."""
    return Span(token.line, token.column, token.end_line, token.end_column)  # type: ignore[arg-type]


def _children_span(children: list) -> Span | None:
    """From the start of the first child to the end of the last (None placeholders skipped)."""
    first = children[0] if children else None
    if first is None:
        first = next((child for child in children if child is not None), None)
        if first is None:
            return None
    last = children[-1]
    if last is None:
        last = next(child for child in reversed(children) if child is not None)
    if isinstance(first, str):  # a token
        line, col = first.line, first.column  # type: ignore[attr-defined]
    else:
        line, col = first.span.line, first.span.col
    if isinstance(last, str):
        return Span(line, col, last.end_line, last.end_column)  # type: ignore[attr-defined]
    return Span(line, col, last.span.end_line, last.span.end_col)


def _values(children: list) -> list:
    """The children an AST node is built from: values and placeholders, no punctuation."""
    return [child for child in children if not isinstance(child, str) or child.type in KEPT_TOKENS]  # type: ignore[attr-defined]


def _rule(method: Callable[[Any, Span, list], Any]) -> Callable[[Any, list], Any]:
    """A builder method as the parser calls it: with the rule's children, all of them."""

    def build(self, children: list):
        return method(self, _children_span(children), _values(children))  # type: ignore[arg-type]

    build.__name__ = method.__name__
    build.for_parser = True  # type: ignore[attr-defined]
    return build


def _plain(method: Callable[[Any, Any, list], Any]) -> Callable[[Any, list], Any]:
    """A rule whose value is one of its tokens' (`over 2w`): no span of its own to work out."""

    def build(self, children: list):
        return method(self, None, _values(children))

    build.__name__ = method.__name__
    build.for_parser = True  # type: ignore[attr-defined]
    return build


def _atom(token: Token) -> ast.Atom:
    return ast.Atom(str(token), token_span(token))


def _text(token: Token) -> ast.Text:
    text = token[1:-1]
    return ast.Text(_ESCAPE.sub(r"\1", text) if "\\" in text else text, token_span(token))


def _amount(token: Token) -> ast.Amount:
    return ast.Amount(parse_quantity(token), token_span(token))


def _sets_or_amount(token: Token) -> ast.Amount | ast.DoseExpr:
    """A progression's value: `4x12` (sets with an amount) or an amount (`8`, `30s`)."""
    if token.type != "SETS_DOSE":
        return _amount(token)
    sets, quantity = parse_sets(token)
    return ast.DoseExpr(sets, ast.Amount(quantity, token_span(token)), token_span(token))


def _setting_value(token: Token) -> ast.Atom | ast.Text | ast.Amount:
    if token.type == "STRING":
        return _text(token)
    if token.type in ("QUANTITY", "INT", "PERCENT"):
        return _amount(token)
    return _atom(token)


def _line(keyword: str, value=_text):
    """A transformer method for a `keyword VALUE` line."""
    return lambda self, span, c: ast.Line(keyword, value(c[0]), span)


def _detail(keyword: str, value=None):
    """A transformer method for an exercise line's detail, with or without a value."""
    return lambda self, span, c: ast.Detail(keyword, value(c[0]) if value else None, span)


def _side(which: str):
    """A transformer method for `left`, `right`, `affected side`, `other side`."""
    return lambda self, span, c: ast.Detail("side", ast.Atom(which, span), span)


def _rules(cls):
    """Each public method of the class, as the parser calls it (see `_rule`)."""
    for name, method in list(vars(cls).items()):
        if not name.startswith("_") and callable(method):
            setattr(cls, name, method if getattr(method, "for_parser", False) else _rule(method))
    return cls


@_rules
class AstBuilder:
    """Turns each grammar rule into its AST node, as the parser reduces it (Lark's
    `transformer=`): a method per rule, called with the rule's span and its values."""

    def start(self, span, items):
        return ast.Program(tuple(items), span or Span.point(1, 1))

    # ---- header
    title = _line("program")
    client = _line("client")
    clinician = _line("clinician")
    timezone = _line("timezone")
    caution = _line("caution")
    note = line_note = _line("note")
    registry = _line("registry")
    include = _line("include")
    start_date = _line("start", _atom)
    affected = _line("affected", _atom)
    log_word = _line("log", _atom)
    log_text = _line("log")

    def log_pain(self, span, c):
        return ast.Line("log", ast.Atom("pain", span), span)

    default_time = _line("time", _atom)

    def equipment(self, span, c):
        return ast.Equipment(tuple(c), span)

    def equipment_item(self, span, c):
        name, *options = (tok for tok in c if tok is not None)
        return ast.EquipmentItem(_atom(name), tuple(map(_atom, options)), span)

    def flags(self, span, c):
        return ast.Flags(tuple(map(_atom, c)), span)

    def cleared(self, span, c):
        return ast.Cleared(_text(c[0]), _atom(c[1]), span)

    def surgery(self, span, c):
        return ast.Surgery(_text(c[0]), _atom(c[1]), span)

    def allow(self, span, c):
        return ast.Allow(_atom(c[0]), _text(c[1]), span)

    line_allow = allow

    def setting(self, span, c):
        return ast.Setting(_atom(c[0]), _setting_value(c[1]), span)

    # ---- blocks
    def phase(self, span, c):
        name, duration, frequency, per_day, *items = c
        return ast.PhaseBlock(
            _text(name),
            _amount(duration) if duration is not None else None,
            frequency,
            tuple(items),
            span,
            per_day,
        )

    def session(self, span, c):
        name, frequency, per_day, at, *items = c
        return ast.SessionBlock(_text(name) if name is not None else None, frequency, at, tuple(items), span, per_day)

    def circuit(self, span, c):
        name, rounds, rest, *items = c
        return ast.CircuitBlock(_text(name) if name is not None else None, _atom(rounds), rest, tuple(items), span)

    @_plain
    def circuit_rest(self, span, c):
        return _amount(c[0])

    def at_time(self, span, c):
        first, *more = c
        return ast.AtTime(_atom(first), span, tuple(map(_atom, more)))

    def per_day(self, span, c):
        digits = re.match(r"\d+", c[0])
        return ast.PerDay(int(digits.group()) if digits else 2, span)

    # ---- exercise lines
    def exercise_line(self, span, c):
        name, dose, *modifiers = c
        return ast.ExerciseLine(_atom(name), dose, tuple(modifiers), span)

    def sets_dose(self, span, c):
        sets, quantity = parse_sets(c[0])
        return ast.DoseExpr(sets, ast.Amount(quantity, token_span(c[0])), span)

    def bout_dose(self, span, c):
        return ast.DoseExpr(None, _amount(c[0]), span)

    each_side = _detail("each side")
    bodyweight = _detail("bodyweight")
    rest = _detail("rest", _amount)
    hold = _detail("hold", _amount)
    load = _detail("load", _amount)
    tempo = _detail("tempo", _atom)
    band = _detail("band", _atom)

    @staticmethod
    def _progress(direction: str, taper: bool, span, c) -> ast.Progress:
        value, by, over, weekly = c
        if isinstance(value, str):  # a token
            value = _sets_or_amount(value)  # type: ignore[arg-type]
        return ast.Progress(
            direction,
            value,
            over,
            span,
            taper=taper,
            by=by,
            weekly=token_span(weekly) if weekly is not None else None,
        )

    left_side = _side("left")
    right_side = _side("right")
    affected_side = _side("affected")
    other_side = _side("other")
    rpe = _detail("rpe", _amount)
    pain_limit = _detail("pain", _atom)

    def progress_from(self, span, c):
        return self._progress("from", False, span, c)

    def progress_to(self, span, c):
        return self._progress("to", False, span, c)

    def taper_from(self, span, c):
        return self._progress("from", True, span, c)

    def taper_to(self, span, c):
        return self._progress("to", True, span, c)

    progress_load = _detail("load", _amount)
    progress_band = _detail("band", _atom)

    @_plain
    def progress_by(self, span, c):
        return _amount(c[0])

    @_plain
    def progress_over(self, span, c):
        return _amount(c[0])

    # ---- frequency
    def daily(self, span, c):
        return ast.Daily(span)

    def times_a_week(self, span, c):
        # Both spellings, TIMES_A_WEEK ("3x/week") and INT ("3" times a week), start with the count.
        count_digits = re.match(r"\d+", c[0])
        if count_digits is None:
            raise ValueError(f"a times-a-week frequency without a count: {c[0]!r}")
        count = int(count_digits.group())
        return ast.TimesAWeek(count, span)

    def on_days(self, span, c):
        return ast.OnDays(tuple(map(_atom, c)), span)

    def every(self, span, c):
        return ast.Every(_amount(c[0]), span)

    def every_other_day(self, span, c):
        return ast.Every(ast.Amount(parse_quantity("2d"), span), span)

    def weekdays(self, span, c):
        return ast.OnDays(tuple(ast.Atom(day, span) for day in ("mon", "tue", "wed", "thu", "fri")), span)
