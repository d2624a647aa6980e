"""Lark's parse errors, said in words a clinician understands.

Imported only when a file has a syntax error, so it costs nothing on a clean check.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from . import lookalikes
from ._lark_standalone import Lark, Token, UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from .ast_builder import positioned_span
from .diagnostics import Diagnostic, error
from .phrases import grammar_phrases
from .registry import builtin_registry
from .source import SourceFile, Span
from .suggest import close_matches

# What each kind of token is, in the words the language reference uses.
_TERMINAL_WORDS = {
    "STRING": "a text in double quotes",
    "DATE": "a date written YYYY-MM-DD, such as 2026-12-07",
    "TIME": "a time written HH:MM, such as 07:30",
    "TEMPO": "a tempo such as 3-1-3",
    "CODE": "a rule code such as S201",
    "SETS_DOSE": "a dose such as 3x12, 3x10-15 or 3x30s",
    "QUANTITY": "an amount with its unit, such as 30s, 20min or 2w",
    "INT": "a whole number",
    "RANGE": "a range such as 10-12 or 6-7",
    "PERCENT": "a percentage such as 25%",
    "TIMES_A_DAY": "how many times a day, such as 2x/day or 3 times a day",
    "TWICE_DAILY": "twice daily",
    "DAYS_A_WEEK": "days a week, such as 5 days a week",
    "EVERY_OTHER_DAY": "every other day",
    "PAIN_SCORE": "a pain score out of 10, such as 3/10",
    "TIMES_A_WEEK": "how often in a week, such as 3x/week",
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
    ("STRING", "session"): 'a session name in double quotes, such as "Morning"',
    ("STRING", "phase"): 'a phase name in double quotes, such as "Activate"',
    ("STRING", "program"): 'the program\'s title in double quotes, such as "Glutes for a sore back"',
    ("STRING", "client"): 'the client\'s name in double quotes, such as "Sam Lee"',
    ("STRING", "clinician"): 'the clinician\'s name in double quotes, such as "Alex Moore"',
    ("STRING", "timezone"): 'a time zone in double quotes, such as "Australia/Sydney"',
    ("STRING", "registry"): 'a file name in double quotes, such as "clinic.toml"',
    ("STRING", "include"): 'a file name in double quotes, such as "protocols/acl.prog"',
    ("STRING", "caution"): "a text in double quotes",
    ("STRING", "note"): "a text in double quotes",
}

# Words written after a dose that the dose already says (`3x12 reps`).
_UNIT_WORDS = {"rep", "reps", "repetition", "repetitions", "set", "sets", "times", "x"}

# `6pm`, `6:30 pm`, `6.30pm`, `7`: a time not written HH:MM.
_CLOCK = re.compile(r"(\d{1,2})(?:[.:h](\d{2}))?[ ]*(am|pm|a\.m\.|p\.m\.)?(?!\w)", re.IGNORECASE)


# Lines that stand in the header and in phases alike.
_ANYWHERE = frozenset({"caution", "note", "allow"})


@cache
def _header_words(parser: Lark) -> frozenset[str]:
    """The word each header-only line starts with, from the grammar."""
    return frozenset(phrase.split()[0] for phrase in grammar_phrases(parser, "header_line")) - _ANYWHERE


_MODIFIER_WORDS = {
    *("each", "per", "rest", "hold", "tempo", "band", "load", "bodyweight", "progress", "taper"),
    *("left", "right", "affected", "other", "rpe", "pain", "TIMES_A_DAY", "TWICE_DAILY"),
}
_FREQUENCY_WORDS = {"daily", "on", "every", "TIMES_A_WEEK", "DAYS_A_WEEK", "weekdays", "EVERY_OTHER_DAY"}


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
    if keywords & _header_words(parser) and "phase" in keywords:
        phrases.append("a header line such as `client`, `start` or `equipment`, or a `phase` line")
        keywords -= _header_words(parser) | _ANYWHERE | {"phase"}
        keywords.discard("NAME")
    if previous is not None and previous.value in ("from", "to") and {"INT", "QUANTITY"} <= keywords:
        phrases.append(
            "a number such as 8, an amount with its unit such as 30s, sets and repetitions "
            "such as 4x12, `load 12kg` or `band blue`"
        )
        keywords -= {"INT", "QUANTITY", "RANGE", "SETS_DOSE", "load", "band"}
    if "SETS_DOSE" in keywords and "QUANTITY" in keywords:
        phrases.append(_TERMINAL_WORDS["SETS_DOSE"] + ", or 20min for one bout")
        keywords -= {"SETS_DOSE", "QUANTITY"}
    if len(keywords & _MODIFIER_WORDS) > 2:
        phrases.append("a detail such as `rest 60s`, `each side`, `hold 3s` or `progress from 8 over 2w`")
        keywords -= _MODIFIER_WORDS | {"note", "allow", "at"}
    if len(keywords & _FREQUENCY_WORDS) > 2:
        phrases.append("how often, such as `daily`, `3x/week`, `on mon wed fri` or `every 2 days`")
        keywords -= _FREQUENCY_WORDS | {"INT"}
    if {"INT", "QUANTITY"} <= keywords and not (previous is not None and previous.value == "by"):
        phrases.append("a number such as 8, or an amount with its unit such as 30s or 8kg")
        keywords -= {"INT", "QUANTITY", "RANGE"}
    context = previous.value if previous is not None else ""
    for word in sorted(keywords, key=lambda k: (k.startswith("_") or k == "$END", k)):
        if (word, context) in _IN_CONTEXT:
            phrases.append(_IN_CONTEXT[word, context])
        elif word == "NAME":
            phrases.append("an exercise name such as clam_shell")
        elif word in _TERMINAL_WORDS:
            phrases.append(_TERMINAL_WORDS[word])
        elif not (word.isupper() or word.startswith(("_", "$"))):  # never a token's name
            phrases.append(f"`{word}`")
    phrases = list(dict.fromkeys(phrases))  # several tokens may share one phrase (`by` STEP)
    if not phrases:
        return "something else"
    if len(phrases) == 1:
        return phrases[0]
    if any("," in phrase for phrase in phrases):  # lists of their own ("such as `daily`, `3x/week` or ...")
        return "; ".join(phrases[:-1]) + "; or " + phrases[-1]
    return ", ".join(phrases[:-1]) + " or " + phrases[-1]


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
    if "TIME" in expected and token.type in ("INT", "QUANTITY", "NAME"):
        clock = _clock(source, span)
        if clock is not None:
            return clock
    number_span = positioned_span(previous) if previous is not None and previous.type == "INT" else None
    unit_span = positioned_span(token)
    # `12 reps`, `3 sets`: after a number, a word the dose form says (a bare `12` is a dose too).
    counted = token.type == "NAME" and token.value.lower() in _UNIT_WORDS - {"x", "times"}
    if (
        (expected == {"TIMES"} or counted)
        and previous is not None
        and number_span is not None
        and unit_span is not None
    ):
        return _number_and_word(previous.value, token.value, number_span.to(unit_span), source)
    meant = _misspelt_keyword(token, expected, parser)
    if token.type == "NAME" and previous is not None:
        if "STRING" in expected and previous.value in _QUOTED and meant is None:
            return _needs_quotes(previous.value, token.value, span, source)
        time_span = positioned_span(previous)
        if previous.type == "TIME" and token.value.lower() in ("am", "pm") and time_span is not None:
            clock = _clock(source, time_span)
            if clock is not None:
                return clock
        if previous.type == "SETS_DOSE" and token.value.lower() in _UNIT_WORDS:
            return error(
                "E101",
                f"`{token.value}` is not needed after the dose",
                span,
                f"drop `{token.value}`: `{previous.value}` already says how many sets and repetitions",
            )
    help_text = _lookalike_near(source, span)
    if token.type == "NAME" and "NAME" not in expected and builtin_registry().get(token.value):
        help_text = "each exercise goes on a line of its own"
    elif meant is not None and help_text is None:  # `each sde`: the line as it would read says most
        help_text = f"did you mean `{meant}`, as in `{_line_with(source, span, meant)}`?"
    return error(
        "E101",
        f"{_unexpected(token)}: expected {_expected_words(expected, parser, previous)}",
        span,
        help_text,
    )


def _misspelt_keyword(token: Token, expected: set[str], parser: Lark) -> str | None:
    """The keyword a word was meant to be (`sde` for `side`), when one expected here is close."""
    if token.type != "NAME":
        return None
    keywords = [word for name in expected if (word := _literal(parser, name)) and word.isalpha()]
    meant = close_matches(token.value, keywords, n=1, cutoff=0.7)
    return meant[0] if meant else None


# What a quoted value is called after each keyword that takes one.
_QUOTED = {
    "session": "session name",
    "phase": "phase name",
    "program": "title",
    "client": "client's name",
    "clinician": "clinician's name",
    "timezone": "time zone",
    "caution": "text",
    "note": "text",
    "registry": "file name",
    "include": "file name",
}


def _needs_quotes(keyword: str, word: str, span: Span, source: SourceFile) -> Diagnostic:
    """`session Morning daily:`: a name written without its quotes."""
    quoted = _line_with(source, span, f'"{word}"')
    return error(
        "E101",
        f"the {_QUOTED[keyword]} `{word}` needs double quotes",
        span,
        f"write it in double quotes: {quoted}",
    )


def _line_with(source: SourceFile, span: Span, text: str) -> str:
    """The span's line, trimmed, with `text` in place of what the span covers."""
    line = source.line(span.line)
    return f"{line[: span.col - 1]}{text}{line[span.end_col - 1 :]}".strip()


def _number_and_word(number: str, word: str, span: Span, source: SourceFile) -> Diagnostic:
    """A number and a word where a dose or a length should be (`12 reps`, `1 month`),
    quoted as the file has it."""
    line = source.line(span.line)
    written = line[span.col - 1 : span.end_col - 1]
    if line.split()[:1] == ["phase"]:
        months = " (a month is about 4w)" if word.lower().startswith("month") else ""
        return error(
            "E101",
            f"`{written}` is not a phase length",
            span,
            f"give the phase's length in days or weeks, such as 4w or 30d{months}",
        )
    if word.lower() in ("rep", "reps", "repetition", "repetitions", "time", "times"):
        help = (
            f"write the sets, an x, then the repetitions: `1x{number}` is one set of {number}, `3x{number}` three sets"
        )
    elif word.lower() in ("set", "sets"):
        sets = "one set" if number == "1" else f"{number} sets"
        help = f"write the sets, an x, then the repetitions: `{number}x12` is {sets} of 12"
    else:
        help = "write sets and repetitions or time together, such as 3x12 or 3x30s, or one bout such as 20min"
    return error("E101", f"`{written}` is not how a dose is written", span, help)


def _clock(source: SourceFile, span: Span) -> Diagnostic | None:
    """`time 6pm`, `at 7.30`: a time of day not written HH:MM, with the 24-hour time it means."""
    line = source.line(span.line)
    match = _CLOCK.match(line, span.col - 1)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    half = (match.group(3) or "").lower().replace(".", "")
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    written = match.group().rstrip()
    return error(
        "E101",
        f"`{written}` is not a time written HH:MM",
        Span.point(span.line, span.col, len(written)),
        f"write times on the 24-hour clock as HH:MM: {hour:02d}:{minute:02d}",
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
