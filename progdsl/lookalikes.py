"""Characters that look like the ones the language uses, and what was probably meant."""

from __future__ import annotations

_MEANT = {
    "\u00a0": "a normal space",
    "\u2009": "a normal space",
    "\u202f": "a normal space",
    "\u200b": "nothing (it is an invisible zero-width space)",
    "\ufeff": "nothing (it is an invisible byte-order mark)",
    "\u201c": 'a straight double quote "',
    "\u201d": 'a straight double quote "',
    "\u201e": 'a straight double quote "',
    "\u2018": 'a straight double quote " (text goes in double quotes)',
    "\u2019": 'a straight double quote " (text goes in double quotes)',
    "\u2014": "a hyphen - or an en dash –",
    "\u2212": "a hyphen -",
    "\uff1a": "a colon :",
}

_LATIN_TWINS = dict(
    zip(
        "аеорсухіјѕԁԛԝАВЕКМНОРСТХІЈЅαοιΑΒΕΗΙΚΜΝΟΡΤΧΥΖ",
        "aeopcyxijsdqwABEKMHOPCTXIJSaoiABEHIKMNOPTXYZ",
    )
)


def meant(char: str) -> str | None:
    """What a look-alike character probably stands for, in words; None if it is not one."""
    if char in _MEANT:
        return _MEANT[char]
    twin = _LATIN_TWINS.get(char)
    if twin:
        return f"the Latin letter `{twin}`"
    return None


def lookalike_hint(word: str) -> str | None:
    """A hint naming the first look-alike letter in a word, such as a Cyrillic `с`."""
    import unicodedata  # only for a misspelt word: a clean check does without its tables

    for char in word:
        if char.isascii():
            continue
        replacement = meant(char)
        if replacement:
            name = unicodedata.name(char, f"U+{ord(char):04X}").lower()
            return f"`{char}` is {name}, which looks like {replacement.removeprefix('the ')}; retype it"
    return None
