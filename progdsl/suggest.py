"""Did-you-mean: the known names closest to a misspelt one. `wording.did_you_mean` phrases them."""

from __future__ import annotations

from collections.abc import Iterable


def close_matches(word: str, known: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The known names most like `word`, best first (case and hyphens forgiven)."""
    import difflib  # only a program with a mistake gets here: not imported by every check

    wanted = word.lower().replace("-", "_")
    by_key = {name.lower().replace("-", "_"): name for name in known}
    return [by_key[key] for key in difflib.get_close_matches(wanted, by_key, n=n, cutoff=cutoff)]
