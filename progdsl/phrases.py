"""The fixed words of the grammar, read from the parser itself: `phase`, `each side`,
`progress to`. The language server offers them and syntax errors name them, so a new
form of the language is known to both as soon as it parses."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._lark_standalone import Lark


@cache
def _expansions(lark: Lark) -> dict[str, list[list[str]]]:
    rules: dict[str, list[list[str]]] = {}
    for rule in lark.rules:
        rules.setdefault(rule.origin.name, []).append([symbol.name for symbol in rule.expansion])
    return rules


@cache
def _keyword_text(lark: Lark) -> dict[str, str]:
    """Terminal name → its text, for the grammar's fixed words (`program`, `each`, ...)."""
    # By the class's name: the parser is Lark's own or the generated module's copy of it.
    return {t.name: t.pattern.value for t in lark.terminals if type(t.pattern).__name__ == "PatternStr"}


@cache
def grammar_phrases(lark: Lark, rule: str) -> tuple[str, ...]:
    """The phrases that can open `rule` in the grammar: `phase`, `each side`, `progress to`..."""
    words = _keyword_text(lark)
    expansions = _expansions(lark)
    found: list[str] = []

    def walk(name: str, seen: frozenset[str]) -> None:
        for expansion in expansions.get(name, []):
            phrase = []
            for symbol in expansion:
                if symbol in words and words[symbol].isalpha():
                    phrase.append(words[symbol])
                else:
                    break
            if phrase:
                found.append(" ".join(phrase))
            elif expansion and expansion[0] in expansions and expansion[0] not in seen:
                walk(expansion[0], seen | {expansion[0]})

    walk(rule, frozenset({rule}))
    return tuple(dict.fromkeys(found))
