"""Lark parse tree → `progdsl.ast` nodes. Nothing else happens here."""

from __future__ import annotations

import re

from lark import Token, Transformer, v_args

from . import ast
from .source import Span
from .units import parse_quantity, parse_sets

_ESCAPE = re.compile(r"\\([\"\\])")


def positioned_span(token: Token) -> Span | None:
    """The token's span, or None for a token without a position (Lark's end of input)."""
    if token.line is None or token.column is None or token.end_line is None or token.end_column is None:
        return None
    return Span(token.line, token.column, token.end_line, token.end_column)


def token_span(token: Token) -> Span:
    """The span of a token in the parse tree: the lexer gives every one of those its position."""
    span = positioned_span(token)
    if span is None:
        raise ValueError(f"the {token.type} token {token.value!r} has no position")
    return span


def meta_span(meta) -> Span:
    return Span(meta.line, meta.column, meta.end_line, meta.end_column)


def _atom(token: Token) -> ast.Atom:
    return ast.Atom(str(token), token_span(token))


def _text(token: Token) -> ast.Text:
    return ast.Text(_ESCAPE.sub(r"\1", token[1:-1]), token_span(token))


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
    return lambda self, meta, c: ast.Line(keyword, value(c[0]), meta_span(meta))


def _detail(keyword: str, value=None):
    """A transformer method for an exercise line's detail, with or without a value."""
    return lambda self, meta, c: ast.Detail(keyword, value(c[0]) if value else None, meta_span(meta))


def _side(which: str):
    """A transformer method for `left`, `right`, `affected side`, `other side`."""
    return lambda self, meta, c: ast.Detail("side", ast.Atom(which, meta_span(meta)), meta_span(meta))


@v_args(meta=True)
class AstBuilder(Transformer):
    """Turns each grammar rule into its dataclass; spans come from Lark's positions."""

    def start(self, meta, items):
        span = meta_span(meta) if not meta.empty else Span.point(1, 1)
        return ast.Program(tuple(items), span)

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

    def log_pain(self, meta, c):
        return ast.Line("log", ast.Atom("pain", meta_span(meta)), meta_span(meta))

    default_time = _line("time", _atom)

    def equipment(self, meta, c):
        return ast.Equipment(tuple(c), meta_span(meta))

    def equipment_item(self, meta, c):
        name, *options = (tok for tok in c if tok is not None)
        return ast.EquipmentItem(_atom(name), tuple(map(_atom, options)), meta_span(meta))

    def flags(self, meta, c):
        return ast.Flags(tuple(map(_atom, c)), meta_span(meta))

    def cleared(self, meta, c):
        return ast.Cleared(_text(c[0]), _atom(c[1]), meta_span(meta))

    def surgery(self, meta, c):
        return ast.Surgery(_text(c[0]), _atom(c[1]), meta_span(meta))

    def allow(self, meta, c):
        return ast.Allow(_atom(c[0]), _text(c[1]), meta_span(meta))

    line_allow = allow

    def setting(self, meta, c):
        return ast.Setting(_atom(c[0]), _setting_value(c[1]), meta_span(meta))

    # ---- blocks
    def phase(self, meta, c):
        name, duration, frequency, per_day, *items = c
        return ast.PhaseBlock(
            _text(name),
            _amount(duration) if duration is not None else None,
            frequency,
            tuple(items),
            meta_span(meta),
            per_day,
        )

    def session(self, meta, c):
        name, frequency, per_day, at, *items = c
        return ast.SessionBlock(
            _text(name) if name is not None else None, frequency, at, tuple(items), meta_span(meta), per_day
        )

    def circuit(self, meta, c):
        name, rounds, rest, *items = c
        return ast.CircuitBlock(
            _text(name) if name is not None else None, _atom(rounds), rest, tuple(items), meta_span(meta)
        )

    def circuit_rest(self, meta, c):
        return _amount(c[0])

    def at_time(self, meta, c):
        first, *more = c
        return ast.AtTime(_atom(first), meta_span(meta), tuple(map(_atom, more)))

    def per_day(self, meta, c):
        digits = re.match(r"\d+", c[0])
        return ast.PerDay(int(digits.group()) if digits else 2, meta_span(meta))

    # ---- exercise lines
    def exercise_line(self, meta, c):
        name, dose, *modifiers = c
        return ast.ExerciseLine(_atom(name), dose, tuple(modifiers), meta_span(meta))

    def sets_dose(self, meta, c):
        sets, quantity = parse_sets(c[0])
        return ast.DoseExpr(sets, ast.Amount(quantity, token_span(c[0])), meta_span(meta))

    def bout_dose(self, meta, c):
        return ast.DoseExpr(None, _amount(c[0]), meta_span(meta))

    each_side = _detail("each side")
    bodyweight = _detail("bodyweight")
    rest = _detail("rest", _amount)
    hold = _detail("hold", _amount)
    load = _detail("load", _amount)
    tempo = _detail("tempo", _atom)
    band = _detail("band", _atom)

    @staticmethod
    def _progress(direction: str, taper: bool, meta, c) -> ast.Progress:
        value, by, over, weekly = c
        if isinstance(value, Token):
            value = _sets_or_amount(value)
        return ast.Progress(
            direction,
            value,
            over,
            meta_span(meta),
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

    def progress_from(self, meta, c):
        return self._progress("from", False, meta, c)

    def progress_to(self, meta, c):
        return self._progress("to", False, meta, c)

    def taper_from(self, meta, c):
        return self._progress("from", True, meta, c)

    def taper_to(self, meta, c):
        return self._progress("to", True, meta, c)

    progress_load = _detail("load", _amount)
    progress_band = _detail("band", _atom)

    def progress_by(self, meta, c):
        return _amount(c[0])

    def progress_over(self, meta, c):
        return _amount(c[0])

    # ---- frequency
    def daily(self, meta, c):
        return ast.Daily(meta_span(meta))

    def times_a_week(self, meta, c):
        # Both spellings, TIMES_A_WEEK ("3x/week") and INT ("3" times a week), start with the count.
        count_digits = re.match(r"\d+", c[0])
        if count_digits is None:
            raise ValueError(f"a times-a-week frequency without a count: {c[0]!r}")
        count = int(count_digits.group())
        return ast.TimesAWeek(count, meta_span(meta))

    def on_days(self, meta, c):
        return ast.OnDays(tuple(map(_atom, c)), meta_span(meta))

    def every(self, meta, c):
        return ast.Every(_amount(c[0]), meta_span(meta))

    def every_other_day(self, meta, c):
        span = meta_span(meta)
        return ast.Every(ast.Amount(parse_quantity("2d"), span), span)

    def weekdays(self, meta, c):
        span = meta_span(meta)
        return ast.OnDays(tuple(ast.Atom(day, span) for day in ("mon", "tue", "wed", "thu", "fri")), span)
