"""A clinic's own registries, added to the built-in one (docs/registry.md).

A registry comes from a file named by a program's `registry "FILE.toml"` line, by
`--registry PATH`, or by a project config (`progdsl.toml`, or `[tool.progdsl]` in a
`pyproject.toml`, with `registries = [...]`), or from an installed package through the
`progdsl.registries` entry-point group (docs/plugins.md). Each is checked by
`progdsl.registry_schema`; this module puts them together: an id that is already defined
(built in, or by an earlier registry) is an error naming both files unless the entry says
`override = true`, and every `easier` and `harder` id must exist once all are loaded.

Nothing here is imported when no clinic registry is used.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from . import plugins
from .diagnostics import Diagnostic, error, has_errors
from .records import Record
from .registry import Exercise, Registry, builtin_file, builtin_registry
from .registry_schema import RegistryFile, check_file, check_text, not_toml
from .source import SourceFile, Span, shown_name


class Source(Record, frozen=True):
    """One registry to load: a file, or TOML text from a package (`path` None)."""

    name: str  # what diagnostics and `progdsl exercise` call it
    path: Path | None = None
    text: str | None = None


# ---- where registries come from ---------------------------------------------------------------


def config_sources(config: Path) -> tuple[list[Source], list[Diagnostic]]:
    """The registries a project config names, relative to the config file."""
    import tomllib

    from .registry_schema import Locator

    text = config.read_text(encoding="utf-8", errors="replace")
    source = SourceFile(str(config), text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [], [not_toml(exc, source)]
    table = data.get("tool", {}).get("progdsl", {}) if config.name == "pyproject.toml" else data
    path = ("tool", "progdsl") if config.name == "pyproject.toml" else ()
    locator = Locator(text)
    names = table.get("registries", [])
    where = locator.key(path, "registries")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return [], [
            error(
                "E304",
                "`registries` must be a list of paths to TOML files",
                where,
                'such as registries = ["exercises/clinic.toml"]',
                source=source,
            )
        ]
    found, diagnostics = [], []
    for name in names:
        file = config.parent / name
        if not file.is_file():
            diagnostics.append(
                error(
                    "E310",
                    f"the registry `{name}` does not exist",
                    locator.value(path, "registries", name),
                    f"the path is relative to {config.name}",
                    source=source,
                )
            )
        else:
            found.append(Source(_shown(file), file))
    return found, diagnostics


def _shown(path: Path) -> str:
    """A path as messages show it: relative to the working folder when it is under it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def plugin_sources() -> tuple[list[Source], list[Diagnostic]]:
    """The registries installed packages offer through the `progdsl.registries` group.

    An entry point names a path (a `pathlib.Path` or an `importlib.resources` file) to a
    TOML file, a string of TOML text, or a function taking no arguments that returns either.
    """
    found, diagnostics = [], []
    for plugin in plugins.discover(plugins.REGISTRIES):
        name = plugin.label
        try:
            value = plugins.load(plugin)
            if callable(value):
                value = value()
        except plugins.PluginError as exc:
            diagnostics.append(_unreadable(name, str(exc)))
            continue
        except Exception as exc:  # a plugin's own fault, reported by name
            diagnostics.append(_unreadable(name, f"{name} failed: {plugins.failure(exc)}"))
            continue
        if isinstance(value, str):
            found.append(Source(name, None, value))
        elif isinstance(value, os.PathLike) or hasattr(value, "read_text"):
            path = Path(os.fspath(value)) if isinstance(value, os.PathLike) else None
            if path is not None:
                found.append(Source(f"{path} ({name})", path))
            else:
                found.append(Source(name, None, value.read_text(encoding="utf-8")))
        else:
            diagnostics.append(_unreadable(name, f"{name} gave {type(value).__name__}, not a path or TOML text"))
    return found, diagnostics


def _unreadable(name: str, message: str) -> Diagnostic:
    return error(
        "E301",
        f"the registry cannot be read: {message}",
        Span.point(1, 1),
        "docs/plugins.md says what a registry entry point returns",
        source=SourceFile(name, ""),
    )


# ---- loading and putting together -------------------------------------------------------------


@cache
def _checked_file(path: str, name: str, stamp: tuple[int, int]) -> tuple[RegistryFile, tuple[Diagnostic, ...]]:
    file, diagnostics = check_file(Path(path), name)
    return file, tuple(diagnostics)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
        return stat.st_size, stat.st_mtime_ns
    except OSError:
        return -1, -1


def load(source: Source) -> tuple[RegistryFile, list[Diagnostic]]:
    """One registry checked; a file is read once per process while it does not change."""
    if source.path is not None:
        file, diagnostics = _checked_file(str(source.path), source.name, _stamp(source.path))
        return file, list(diagnostics)
    return check_text(source.text or "", source.name, None)


def registry_with(sources: Sequence[Source], base: Registry | None = None) -> tuple[Registry | None, list[Diagnostic]]:
    """The built-in registry (or `base`) with every source's entries added, in order;
    None when any registry has an error."""
    base = base or builtin_registry()
    seen: set[str] = set()
    files: list[RegistryFile] = []
    diagnostics: list[Diagnostic] = []
    for source in sources:
        key = str(source.path.resolve()) if source.path is not None else source.name
        if key in seen:
            continue
        seen.add(key)
        file, found = load(source)
        files.append(file)
        diagnostics += found

    builtin_ids = {e.id for e in base}
    owner: dict[str, RegistryFile] = {}
    for file in files:
        for id, table in file.tables.items():
            if not table["override"]:
                span = file.locator.table((id,))
                if id in owner:
                    diagnostics.append(
                        error(
                            "E309",
                            f"`{id}` is already defined in {owner[id].source.name}",
                            span,
                            f"rename it, or write `override = true` to replace the entry in {owner[id].source.name}",
                            source=file.source,
                        )
                    )
                elif id in builtin_ids:
                    where = builtin_file(id)
                    shown = f"progdsl/data/exercises/{where.name}" if where else "progdsl's built-in registry"
                    diagnostics.append(
                        error(
                            "E309",
                            f"`{id}` is a built-in exercise, defined in {shown}",
                            span,
                            "rename it, or write `override = true` to replace the built-in entry",
                            source=file.source,
                        )
                    )
            owner[id] = file

    known = builtin_ids | set(owner)
    for file in files:
        for id, table in file.tables.items():
            for key in ("easier", "harder"):
                for link in table[key]:
                    if link not in known:
                        from .suggest import close_matches
                        from .wording import did_you_mean

                        hint = did_you_mean(close_matches(link, sorted(known), n=1))
                        diagnostics.append(
                            error(
                                "E308",
                                f"`{key}` of `{id}` names `{link}`, which is in no loaded registry",
                                file.locator.value((id,), key, link),
                                hint or "`progdsl exercises` lists the ids",
                                source=file.source,
                            )
                        )
    if has_errors(diagnostics):
        return None, diagnostics

    exercises = {e.id: e for e in base}
    for file in files:
        for id, table in file.tables.items():
            exercises[id] = Exercise.from_table(id, table, origin=shown_name(file.source.name))
    return Registry(exercises.values()), diagnostics


def sources_for(config: Path | None, paths: Sequence[str | Path] = ()) -> tuple[list[Source], list[Diagnostic]]:
    """The registries of the installed packages, the project config and `paths`, in that order."""
    found, diagnostics = plugin_sources()
    if config is not None:
        more, problems = config_sources(config)
        found += more
        diagnostics += problems
    found += [Source(str(path), Path(path)) for path in paths]
    return found, diagnostics
