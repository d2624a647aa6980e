"""Lark's parse errors, said in words a clinician understands.

Imported only when a file has a syntax error, so it costs nothing on a clean check.
"""

from __future__ import annotations

import unicodedata

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from . import lookalikes
from .ast_builder import positioned_span
from .diagnostics import Diagnostic, error
from .registry import builtin_registry
from .source import SourceFile, Span

# What each kind of token is, in the words the language reference uses.
_TERMINAL_WORDS = {
    "STRING": 'a text in double quotes, such as "Sam Lee"',
    "DATE": "a date written YYYY-MM-DD, such as 2026-12-07",
    "TIME": "a time written HH:MM, such as 07:30",
    "TEMPO": "a tempo such as 3-1-3",
    "CODE": "a rule code such as S201",
    "SETS_DOSE": "a dose such as 3x12, 3x10-15 or 3x30s",
    "QUANTITY": "an amount with its unit, such as 30s, 20min or 2w",
    "INT": "a whole number",
    "RANGE": "a range such as 10-12",
    "PERCENT": "a percentage such as 25%",
    "NAME": "a name",
    "COLON": "`:` at the end of the line",
    "COMMA": "`,`",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "_NL": "the end of the line",
    "_INDENT": "an indented block of lines",
    "_DEDENT": "the end of the indented block",
    "$END": "the end of the file",
}

# What a token means after a given keyword, where that says more than the token's kind.
_IN_CONTEXT = {
    ("NAME", "band"): "a band colour such as green",
    ("NAME", "on"): "a day such as mon, tue, wed, thu, fri, sat or sun",
    ("NAME", "flags"): "a finding such as numbness or radiating_pain",
    ("NAME", "set"): "a setting name",
    ("NAME", "equipment"): "an item of equipment such as mat or mini_band(yellow, green)",
    ("NAME", ","): "another name",
    ("NAME", "("): "an option such as a band colour",
    ("QUANTITY", "rest"): "a time such as 60s or 30-60s",
    ("QUANTITY", "hold"): "a time such as 3s",
    ("QUANTITY", "load"): "a weight such as 8kg or 20lb",
    ("QUANTITY", "over"): "a span of days or weeks such as 2w or 10d",
    ("QUANTITY", "every"): "a number of days such as 2 days or 3d",
    **dict.fromkeys((("INT", "by"), ("QUANTITY", "by"), ("RANGE", "by")), "a step such as 5s, 2 or 1kg"),
}

_HEADER_WORDS = {
    "program",
    "client",
    "clinician",
    "start",
    "timezone",
    "time",
    "equipment",
    "flags",
    "cleared",
    "set",
    "registry",
}
_MODIFIER_WORDS = {"each", "per", "rest", "hold", "tempo", "band", "load", "bodyweight", "progress", "taper"}
_FREQUENCY_WORDS = {"daily", "on", "every", "TIMES_A_WEEK"}


def _literal(parser: Lark, name: str) -> str | None:
    """The keyword a terminal stands for (`phase`, `:`), or None for a pattern."""
    try:
        pattern = parser.get_terminal(name).pattern
    except KeyError:
        return None
    return pattern.value if type(pattern).__name__ == "PatternStr" else None


def _expected_words(expected: set[str], parser: Lark, previous: Token | None) -> str:
    """A short list of what could have come next, grouped the way the language is taught."""
    keywords = {_literal(parser, name) or name for name in expected}
    phrases: list[str] = []
    if keywords & _HEADER_WORDS and "phase" in keywords:
        phrases.append("a header line such as `client`, `start` or `equipment`, or a `phase` line")
        keywords -= _HEADER_WORDS | {"phase", "caution", "note", "allow"}
        keywords.discard("NAME")
    if "SETS_DOSE" in keywords and "QUANTITY" in keywords:
        phrases.append(_TERMINAL_WORDS["SETS_DOSE"] + ", or 20min for one bout")
        keywords -= {"SETS_DOSE", "QUANTITY"}
    if len(keywords & _MODIFIER_WORDS) > 2:
        phrases.append("a detail such as `rest 60s`, `each side`, `hold 3s` or `progress from 8 over 2w`")
        keywords -= _MODIFIER_WORDS | {"note", "allow", "at"}
    if len(keywords & _FREQUENCY_WORDS) > 2:
        phrases.append("how often, such as `daily`, `3x/week`, `on mon wed fri` or `every 2 days`")
        keywords -= _FREQUENCY_WORDS | {"INT"}
    context = previous.value if previous is not None else ""
    for word in sorted(keywords, key=lambda k: (k.startswith("_") or k == "$END", k)):
        if (word, context) in _IN_CONTEXT:
            phrases.append(_IN_CONTEXT[word, context])
        elif word == "NAME":
            phrases.append("an exercise name such as clam_shell")
        elif word in _TERMINAL_WORDS:
            phrases.append(_TERMINAL_WORDS[word])
        elif word not in ("_DEDENT",):
            phrases.append(f"`{word}`")
    phrases = list(dict.fromkeys(phrases))  # several tokens may share one phrase (`by` STEP)
    if not phrases:
        return "something else"
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " or " + phrases[-1]


def _unexpected(token: Token) -> str:
    """The start of the message: what was found where something else should be."""
    if token.type == "$END":
        return "the file ends too soon"
    if token.type == "_NL":
        return "the line ends too soon"
    if token.type == "_DEDENT":
        return "the block ends too soon"
    return f"unexpected `{token.value}`"


def _token_span(token: Token, source: SourceFile) -> Span:
    span = positioned_span(token)
    if token.type == "$END" or span is None:
        return source.last_span
    if token.type in ("_INDENT", "_DEDENT", "_NL"):
        if token.type == "_NL":
            return Span.point(span.line, span.col)
        # The indentation token borrows the newline's position; point at the line it indents.
        return Span.point(span.end_line, span.end_col)
    return span


def _previous(parser: Lark) -> Token | None:
    return getattr(parser.options.postlex, "previous", None)


def _parser_expects(exc: UnexpectedInput) -> set[str] | None:
    """What the parser (not just the lexer) could take next, when Lark says so.

    The lexer reports only what it can lex; the parser may be waiting for an
    indentation token, which the postlexer makes and the lexer never sees.
    """
    accepts = getattr(exc, "accepts", None)
    return {name for name in accepts if name.isupper()} if accepts else None  # terminals; rules are lower case


def describe(exc: UnexpectedInput, source: SourceFile, parser: Lark) -> Diagnostic:
    """One diagnostic for Lark's exception."""
    previous = _previous(parser)
    if isinstance(exc, UnexpectedCharacters):
        return _unexpected_character(exc, source, parser, previous)
    assert isinstance(exc, UnexpectedToken)
    token = exc.token
    span = _token_span(token, source)
    expected = _parser_expects(exc) or set(exc.expected)
    if token.type == "_INDENT":
        return error(
            "E103",
            "this line is indented, but the line above does not open a block",
            span,
            "only `phase …:` and `session …:` lines, ending in `:`, are followed by indented lines",
        )
    if expected == {"_INDENT"}:
        return error(
            "E104",
            "expected an indented block of lines under the line above",
            span,
            "indent the session and exercise lines that belong to it by two spaces",
        )
    if "COLON" in expected and token.type == "_NL":
        return error(
            "E101",
            "this block line must end with `:`",
            span,
            'write a colon at the end, as in: phase "Activate" 2w:',
        )
    number_span = positioned_span(previous) if previous is not None and previous.type == "INT" else None
    unit_span = positioned_span(token)
    if expected == {"TIMES"} and previous is not None and number_span is not None and unit_span is not None:
        return error(
            "E101",
            f"`{previous.value}{token.value}` is not a whole dose",
            number_span.to(unit_span),
            "write sets and repetitions or time together, such as 3x12 or 3x30s, or one bout such as 20min",
        )
    help_text = _lookalike_near(source, span)
    if token.type == "NAME" and "NAME" not in expected and builtin_registry().get(token.value):
        help_text = "each exercise goes on a line of its own"
    return error(
        "E101",
        f"{_unexpected(token)}: expected {_expected_words(expected, parser, previous)}",
        span,
        help_text,
    )


def _lookalike_near(source: SourceFile, span: Span) -> str | None:
    """A hint for a look-alike character just after the fault, which often causes it
    (`60\u200bs` lexes as a number followed by something that is not a unit)."""
    line = source.line(span.line)
    for col in range(max(span.col - 1, 0), min(span.end_col + 1, len(line))):
        meant = lookalikes.meant(line[col])
        if meant and not line[col].isascii():
            name = unicodedata.name(line[col], f"U+{ord(line[col]):04X}")
            return f"column {col + 1} holds `{line[col]}` ({name}): replace it with {meant}"
    return None


def _unexpected_character(
    exc: UnexpectedCharacters, source: SourceFile, parser: Lark, previous: Token | None
) -> Diagnostic:
    line, col, char = exc.line, exc.column, exc.char
    span = Span.point(line, col)
    if char == '"':
        return error(
            "E102",
            'this text is not closed: the line ends before its closing `"`',
            span,
            'text must open and close on the same line; write \\" for a quote inside it',
        )
    name = unicodedata.name(char, f"U+{ord(char):04X}")
    meant = lookalikes.meant(char)
    expected = _expected_words(_parser_expects(exc) or set(exc.allowed or ()), parser, previous)
    if meant:
        return error(
            "E101",
            f"`{char}` ({name}) looks like something else here",
            span,
            f"replace it with {meant}; it often comes from copying out of a word processor",
        )
    return error("E101", f"unexpected `{char}`: expected {expected}", span)
