"""The exercise registry: what each exercise is, the doses it takes, its safe ranges.

The built-in data lives in `progdsl/data/exercises/*.toml`; plugins add more
through the `progdsl.registries` entry-point group (a function returning a
mapping of the same shape).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .cache import cached, fingerprint
from .suggest import close_matches
from .units import Range
from .vocabulary import LIMIT_KEYS, DoseKind

DATA_DIR = Path(__file__).parent / "data" / "exercises"


@dataclass(frozen=True)
class Limits:
    """Ranges for one exercise; a key the exercise does not use is None."""

    sets: Range
    rest_s: Range
    reps: Range | None = None
    hold_s: Range | None = None
    duration_min: Range | None = None
    hold_per_rep_s: Range | None = None

    @classmethod
    def from_table(cls, table: Mapping[str, list[int]]) -> Limits:
        return cls(**{key: Range(*table[key]) for key in LIMIT_KEYS if key in table})

    def get(self, key: str) -> Range | None:
        return getattr(self, key)


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    aliases: tuple[str, ...]
    category: str
    dose: tuple[DoseKind, ...]
    one_sided: bool
    equipment: tuple[str, ...]
    targets: tuple[str, ...]
    stage: int
    safe: Limits
    recommended: Limits
    instructions: tuple[str, ...]
    cautions: tuple[str, ...]
    easier: tuple[str, ...]
    harder: tuple[str, ...]
    origin: str = "progdsl"

    @classmethod
    def from_table(cls, id: str, table: Mapping, origin: str = "progdsl") -> Exercise:
        return cls(
            id=id,
            name=table["name"],
            aliases=tuple(table.get("aliases", ())),
            category=table["category"],
            dose=tuple(DoseKind(form) for form in table["dose"]),
            one_sided=bool(table["one_sided"]),
            equipment=tuple(table.get("equipment", ())),
            targets=tuple(table.get("targets", ())),
            stage=int(table["stage"]),
            safe=Limits.from_table(table["safe"]),
            recommended=Limits.from_table(table["recommended"]),
            instructions=tuple(table["instructions"]),
            cautions=tuple(table.get("cautions", ())),
            easier=tuple(table.get("easier", ())),
            harder=tuple(table.get("harder", ())),
            origin=origin,
        )


class Registry:
    """Exercises by id, with aliases, search and did-you-mean."""

    def __init__(self, exercises: Iterable[Exercise]):
        self._by_id: dict[str, Exercise] = {}
        self._names: dict[str, str] = {}  # id or alias -> id
        for exercise in exercises:
            self._by_id[exercise.id] = exercise
            for name in (exercise.id, *exercise.aliases):
                self._names[name] = exercise.id

    def __iter__(self) -> Iterator[Exercise]:
        return iter(sorted(self._by_id.values(), key=lambda e: e.id))

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, name: str) -> Exercise | None:
        """The exercise an id or alias names (case and hyphens forgiven), or None."""
        key = self._names.get(name) or self._names.get(name.lower().replace("-", "_"))
        return self._by_id.get(key) if key else None

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """The names closest to a misspelt one, best first, one per exercise."""
        wanted = name.lower().replace("-", "_")
        close = close_matches(wanted, self._names, n=limit * 3)
        if not close:
            close = [known for known in self._names if len(wanted) > 2 and (wanted in known or known in wanted)]
        by_exercise: dict[str, str] = {}
        for known in close:
            target = self._names[known]
            # Name the exercise by its id when the id itself is close, else by the alias that matched.
            by_exercise.setdefault(target, target if target in close else known)
        return list(by_exercise.values())[:limit]

    def search(self, query: str) -> list[Exercise]:
        """Exercises whose id, alias, name, category, target or equipment contains every word of the query."""
        words = query.lower().replace("-", "_").split()

        def haystack(e: Exercise) -> str:
            return " ".join((e.id, *e.aliases, e.name.lower(), e.category, *e.targets, *e.equipment))

        return [e for e in self if all(word in haystack(e) for word in words)]


def load_tables(directory: Path = DATA_DIR) -> dict[str, Mapping]:
    """Every exercise table in a folder of TOML files, by id."""
    import tomllib

    tables: dict[str, Mapping] = {}
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            tables.update(tomllib.load(handle))
    return tables


@cache
def builtin_registry() -> Registry:
    files = sorted(DATA_DIR.glob("*.toml"))
    tables = cached("registry", fingerprint(files), load_tables)
    return Registry(Exercise.from_table(id, table) for id, table in tables.items())
