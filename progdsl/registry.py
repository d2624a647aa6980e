"""The exercise registry: what each exercise is, the doses it takes, its safe ranges.

The built-in data lives in `progdsl/data/exercises/*.toml`. A clinic's own registries
(files, project config, `progdsl.registries` entry points) are checked by
`progdsl.registry_schema` and added by `progdsl.clinic` (docs/registry.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING

from .cache import cached, fingerprint
from .records import Record, field_names
from .suggest import close_matches
from .units import Range
from .vocabulary import LIMIT_KEYS, Balance, Category, DoseKind, Position, Region

if TYPE_CHECKING:
    from pathlib import Path

# Folders and files here are strings (os.path) on the way of a check, which lists the data
# folder and looks for a project config every time: importing pathlib would cost it more.
DATA_DIR = os.path.join(os.path.dirname(__file__), "data", "exercises")


def _data_files() -> list[str]:
    """The built-in registry's TOML files, in name order."""
    return sorted(os.path.join(DATA_DIR, name) for name in os.listdir(DATA_DIR) if name.endswith(".toml"))


class Limits(Record, frozen=True):
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
        return getattr(self, key, None)  # None for a kind the registry has no range for (distance, steps)


class Exercise(Record, frozen=True):
    """One registry entry: what the exercise is, the doses it takes, and how to do it safely."""

    id: str
    name: str
    aliases: tuple[str, ...]
    category: Category
    dose: tuple[DoseKind, ...]
    one_sided: bool
    equipment: tuple[str, ...]
    targets: tuple[str, ...]
    stage: int
    regions: tuple[Region, ...]  # the first is the main one
    position: Position | None
    safe: Limits
    recommended: Limits
    instructions: tuple[str, ...]
    cautions: tuple[str, ...]
    easier: tuple[str, ...]
    harder: tuple[str, ...]
    # What the safety rules read (see docs/registry.md).
    impact: bool = False
    loaded_spinal_flexion: bool = False
    breath_hold_risk: bool = False
    balance: Balance = Balance.NONE
    eyes_closed: bool = False
    quick_position_change: bool = False
    origin: str = "progdsl"  # the registry the entry came from: "progdsl", or a file or package
    image: str | None = None  # a picture's absolute path, inside its registry's folder
    credit: str | None = None  # who made the picture
    # the pose data its figure is drawn from (docs/figures.md), as the registry wrote it
    figure: Mapping | None = None  # left out of comparisons and the hash, as a dict cannot be hashed

    def _compared(self) -> tuple:
        return tuple(getattr(self, name) for name in field_names(self) if name != "figure")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._compared() == other._compared()

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self._compared())

    @classmethod
    def from_table(cls, id: str, table: Mapping, origin: str = "progdsl") -> Exercise:
        position = table.get("position")
        return cls(
            id=id,
            name=table["name"],
            aliases=tuple(table.get("aliases", ())),
            category=Category(table["category"]),
            dose=tuple(DoseKind(form) for form in table["dose"]),
            one_sided=bool(table["one_sided"]),
            equipment=tuple(table.get("equipment", ())),
            targets=tuple(table.get("targets", ())),
            stage=int(table.get("stage", 1)),
            regions=tuple(Region(region) for region in table.get("regions", ())),
            position=Position(position) if position else None,
            safe=Limits.from_table(table["safe"]),
            recommended=Limits.from_table(table["recommended"]),
            instructions=tuple(table["instructions"]),
            cautions=tuple(table.get("cautions", ())),
            easier=tuple(table.get("easier", ())),
            harder=tuple(table.get("harder", ())),
            impact=bool(table.get("impact", False)),
            loaded_spinal_flexion=bool(table.get("loaded_spinal_flexion", False)),
            breath_hold_risk=bool(table.get("breath_hold_risk", False)),
            balance=Balance(table.get("balance", Balance.NONE)),
            eyes_closed=bool(table.get("eyes_closed", False)),
            quick_position_change=bool(table.get("quick_position_change", False)),
            origin=origin,
            image=table.get("image"),
            credit=table.get("credit"),
            figure=table.get("figure"),
        )


class RegionInfo(Record, frozen=True):
    """What the handout says about a region: how a sentence names it, and when to stop and call."""

    region: Region
    label: str
    stop_signs: tuple[str, ...]


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

    def suggest(self, name: str, limit: int = 3, near: Iterable[Region] = ()) -> list[str]:
        """The names closest to a misspelt one, best first, one per exercise.

        When `near` names regions (those of the rest of the program) and an exercise in one of
        them is close, only those are offered, so a hurried reader is not sent to another body
        part; and no suggestion is of a higher stage than the best one.
        """
        wanted = name.lower().replace("-", "_")
        close = close_matches(wanted, self._names, n=limit * 4)
        if not close:
            close = [known for known in self._names if len(wanted) > 2 and (wanted in known or known in wanted)]
        by_exercise: dict[str, str] = {}
        for known in close:
            target = self._names[known]
            # Name the exercise by its id when the id itself is close, else by the alias that matched.
            by_exercise.setdefault(target, target if target in close else known)
        regions = set(near)
        nearby = [target for target in by_exercise if regions.intersection(self._by_id[target].regions)]
        ranked = nearby or list(by_exercise)
        if ranked:  # nothing harder than the best match: a misspelt balance drill never suggests a loaded lift
            best = self._by_id[ranked[0]].stage
            ranked = [target for target in ranked if self._by_id[target].stage <= best]
        return [by_exercise[target] for target in ranked][:limit]

    def search(self, query: str = "", region: Region | None = None, equipment: str | None = None) -> list[Exercise]:
        """Exercises whose id, alias, name, category, region, target or equipment contains every
        word of the query, in the region and using the equipment asked for. Those of the regions
        the query names come first, then those it names outright (each word a region of theirs,
        or a whole word of their id, an alias or their name), then the rest: `knee` lists the
        knee's exercises, then `knee_push_up`, then kneeling ones."""
        words = query.lower().replace("-", "_").split()

        def haystack(e: Exercise) -> str:
            return " ".join((e.id, *e.aliases, e.name.lower(), e.category, *e.regions, *e.targets, *e.equipment))

        def rank(e: Exercise) -> int:
            if words and all(word in e.regions for word in words):
                return 0
            names = " ".join((e.id, *e.aliases, e.name.lower())).replace("-", "_").replace(" ", "_").split("_")
            return 1 if all(word in e.regions or word in names for word in words) else 2

        found = [
            e
            for e in self
            if all(word in haystack(e) for word in words)
            and (region is None or region in e.regions)
            and (equipment is None or equipment in e.equipment)
        ]
        return sorted(found, key=rank)  # stable: each group keeps its id order


def load_tables(directory: str | os.PathLike[str] = DATA_DIR) -> dict[str, Mapping]:
    """Every exercise table in a folder of TOML files, by id."""
    import tomllib
    from pathlib import Path

    tables: dict[str, Mapping] = {}
    for path in sorted(Path(directory).glob("*.toml")):
        with path.open("rb") as handle:
            tables.update(tomllib.load(handle))
    return tables


@cache
def region_info() -> dict[Region, RegionInfo]:
    """Every region's label and stop signs, from `data/regions.toml`."""
    import tomllib

    with open(os.path.join(os.path.dirname(DATA_DIR), "regions.toml"), "rb") as handle:
        tables = tomllib.load(handle)
    return {
        Region(key): RegionInfo(Region(key), table["label"], tuple(table["stop_signs"]))
        for key, table in tables.items()
    }


def builtin_file(id: str) -> Path | None:
    """The built-in data file that defines `id`, for messages that name it."""
    import re
    from pathlib import Path

    header = re.compile(rf"^\[{re.escape(id)}\]", re.MULTILINE)
    return next((path for path in map(Path, _data_files()) if header.search(path.read_text("utf-8"))), None)


@cache
def builtin_registry() -> Registry:
    return Registry(cached("registry", fingerprint(_data_files()), _builtin_exercises, list[Exercise]))


def _builtin_exercises() -> list[Exercise]:
    return [Exercise.from_table(id, table) for id, table in load_tables().items()]


CONFIG_FILES = ("progdsl.toml", "pyproject.toml")


def find_project_config(start: str | os.PathLike[str]) -> Path | None:
    """The nearest `progdsl.toml`, or `pyproject.toml` with a `[tool.progdsl]` table, in
    `start` or a folder above it. Looks at the text only, so finding none imports nothing."""
    found = _project_config_file(os.fspath(start))
    if found is None:
        return None
    from pathlib import Path

    return Path(found)


def _project_config_file(folder: str) -> str | None:
    import re

    tool = re.compile(r"^\s*\[\s*tool\.progdsl\s*\]", re.MULTILINE)
    while True:
        if os.path.isfile(config := os.path.join(folder, "progdsl.toml")):
            return config
        pyproject = os.path.join(folder, "pyproject.toml")
        try:
            if os.path.isfile(pyproject):
                with open(pyproject, encoding="utf-8", errors="replace") as handle:
                    if tool.search(handle.read()):
                        return pyproject
        except OSError:
            pass
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
