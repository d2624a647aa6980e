"""Where the safety rules and the registry's ranges come from: `data/sources.toml`.

A rule's documentation cites a source as `[LABEL]` in its "Where this comes from" section;
the basis of each registry category's ranges, of the defaults a clinic entry inherits, and of
a region's stop signs cite sources the same way. `citations` finds them in any text and
`references` turns them into full references.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from .records import Record

SOURCES_FILE = Path(__file__).parent / "data" / "sources.toml"

# What a source's citation looks like in a text: `[ACSM 2011]`. Markdown links (`[text](url)`)
# and option lists such as `[--select]` never match a label, so they are left alone.
_CITATION = re.compile(r"\[([^\[\]\n]+)\](?!\()")


class Source(Record, frozen=True):
    """One published source, as its entry in data/sources.toml records it."""

    label: str
    kind: str
    title: str
    body: str
    year: int | str
    says: str
    read: str
    url: str | None = None

    @property
    def reference(self) -> str:
        """The full reference on one line: title, body, year and, where stable, the address."""
        address = f" {self.url}" if self.url else ""
        return f"{self.sentence_title} {self.body}, {self.year}.{address}"

    @property
    def sentence_title(self) -> str:
        """The title as a sentence: with a full stop, unless it ends with its own."""
        return self.title if self.title.endswith((".", "?", "!")) else f"{self.title}."

    @property
    def anchor(self) -> str:
        """The heading anchor of this source in docs/sources.md."""
        return re.sub(r"[^a-z0-9 -]", "", self.label.lower()).replace(" ", "-")


class Sources(Record, frozen=True):
    """Everything data/sources.toml holds."""

    sources: dict[str, Source]
    ranges: dict[str, str]  # registry category, or "defaults" -> basis
    exercises: dict[str, str]  # built-in exercise id -> basis, where it has its own
    stop_signs: dict[str, str]  # region -> basis

    def citations(self, text: str) -> list[str]:
        """The labels of known sources that `text` cites, each once, in order of first citation."""
        found = [match for match in _CITATION.findall(" ".join(text.split())) if match in self.sources]
        return list(dict.fromkeys(found))

    def unknown_citations(self, text: str) -> list[str]:
        """Bracketed words in `text` that look like a citation but name no source."""
        found = _CITATION.findall(" ".join(text.split()))
        return [m for m in found if m not in self.sources and re.search(r"\d{4}|\(", m)]

    def references(self, text: str) -> list[Source]:
        """The sources `text` cites, in order of first citation."""
        return [self.sources[label] for label in self.citations(text)]

    def range_basis(self, category: str, exercise: str | None = None) -> str:
        """What a built-in exercise's safe and recommended ranges rest on: its own basis where
        it has one, else its category's."""
        if exercise in self.exercises:
            return self.exercises[exercise]
        return self.ranges.get(category, self.ranges["defaults"])

    def cited_by(self, texts: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
        """For each source label, the names of the `(name, text)` pairs that cite it."""
        users: dict[str, list[str]] = {label: [] for label in self.sources}
        for name, text in texts:
            for label in self.citations(text):
                users[label].append(name)
        return users

    def basis_texts(self) -> list[tuple[str, str]]:
        """Every range and stop-sign basis as `(what, text)`, for docs/sources.md and its checks."""
        texts = [(f"ranges of {_category_name(key)}", text) for key, text in self.ranges.items()]
        texts += [(f"ranges of `{key}`", text) for key, text in self.exercises.items()]
        texts += [(f"stop signs for `{key}`", text) for key, text in self.stop_signs.items()]
        return texts


def _category_name(key: str) -> str:
    return "the defaults a clinic entry inherits" if key == "defaults" else f"`{key}` exercises"


def _text(value: str) -> str:
    """A multi-line TOML string as one paragraph."""
    return " ".join(value.split())


@cache
def load() -> Sources:
    """data/sources.toml, read once."""
    import tomllib

    with SOURCES_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    sources = {
        label: Source(
            label=label,
            kind=entry["kind"],
            title=entry["title"],
            body=entry["body"],
            year=entry["year"],
            says=_text(entry["says"]),
            read=_text(entry["read"]),
            url=entry.get("url"),
        )
        for label, entry in data["sources"].items()
    }
    ranges = {key: _text(entry["basis"]) for key, entry in data["ranges"].items()}
    exercises = {key: _text(entry["basis"]) for key, entry in data.get("exercises", {}).items()}
    stop_signs = {key: _text(entry["basis"]) for key, entry in data.get("stop_signs", {}).items()}
    return Sources(sources, ranges, exercises, stop_signs)
