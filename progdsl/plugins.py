"""Plugins: backends, rule packs and registry packs found through entry points.

Discovery reads installed distributions' metadata only; a plugin's code is
imported when it is used, so listing plugins is cheap and a broken plugin
never stops the others. The built-in backends are registered in progdsl's own
pyproject.toml exactly as a third party's would be.
"""

from __future__ import annotations

import os
import sys

from .cache import cached, fingerprint
from .records import Record

BACKENDS = "progdsl.backends"
RULES = "progdsl.rules"
REGISTRIES = "progdsl.registries"
GROUPS = {BACKENDS: "backend", RULES: "rule pack", REGISTRIES: "registry pack"}

BUILTIN_DISTRIBUTION = "progdsl"


class PluginError(Exception):
    """A plugin could not be used; the message names it and says why."""


class UnknownPlugin(PluginError):
    """No installed plugin has the name asked for."""


class Plugin(Record, frozen=True):
    """One entry point, described without importing it."""

    group: str
    name: str
    target: str  # "module:attribute"
    distribution: str
    version: str

    @property
    def label(self) -> str:
        """`backend 'pdf' (progdsl 0.1.0)`: how messages name the plugin."""
        return f"{GROUPS[self.group]} '{self.name}' ({self.distribution} {self.version})"

    @property
    def builtin(self) -> bool:
        return self.distribution == BUILTIN_DISTRIBUTION


def _scan() -> dict[str, list[list[str]]]:
    """Every entry point of progdsl's groups in the installed distributions' metadata."""
    from importlib.metadata import entry_points

    found: dict[str, list[list[str]]] = {}
    for group in GROUPS:
        for entry_point in entry_points(group=group):
            dist = entry_point.dist
            distribution = dist.metadata["Name"] if dist is not None else "unknown distribution"
            version = dist.version if dist is not None else "?"
            found.setdefault(group, []).append([entry_point.name, entry_point.value, distribution, version])
    return found


def _installed() -> dict[str, list[list[str]]]:
    """`_scan()`, cached until a folder on the import path changes (a package is installed or removed).

    The first entry is the running script's folder or the working folder, not a place
    packages are installed in; it changes often, so it is left out of the fingerprint.
    """
    folders = [entry for entry in sys.path[1:] if entry and os.path.isdir(entry)]
    return cached("entry-points", fingerprint(folders), _scan)


def discover(group: str) -> tuple[Plugin, ...]:
    """The plugins installed in a group, by name, without importing any of them."""
    plugins = (Plugin(group, *fields) for fields in _installed().get(group, ()))
    return tuple(sorted(plugins, key=lambda p: (p.name, p.distribution)))


def find(group: str, name: str) -> Plugin:
    """The one plugin of that name; raises UnknownPlugin naming the installed ones."""
    installed = discover(group)
    matches = [p for p in installed if p.name == name]
    if not matches:
        from .suggest import close_matches
        from .wording import did_you_mean

        names = sorted({p.name for p in installed})
        close = did_you_mean(close_matches(name, names, n=1))
        hint = f" ({close})" if close else ""
        raise UnknownPlugin(f"unknown {GROUPS[group]} `{name}`{hint}; installed: {', '.join(names) or 'none'}")
    if len(matches) > 1:
        owners = " and ".join(f"{p.distribution} {p.version}" for p in matches)
        raise PluginError(f"{GROUPS[group]} '{name}' is registered by both {owners}; uninstall one of them")
    return matches[0]


def failure(exc: BaseException) -> str:
    """`ValueError: bad value (at module.py:12)`: the error and where the plugin raised it."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    last = frames[-1] if frames else None
    where = (
        f" (at {os.path.basename(last.filename)}:{last.lineno})" if last and not last.filename.startswith("<") else ""
    )
    return f"{type(exc).__name__}: {exc}{where}"


def load(plugin: Plugin) -> object:
    """Import what the entry point names (`module:attribute`); raises PluginError when that fails."""
    from importlib import import_module

    module, _, attributes = plugin.target.partition(":")
    try:
        loaded = import_module(module.strip())
        for attribute in filter(None, attributes.strip().split(".")):
            loaded = getattr(loaded, attribute)
        return loaded
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # SystemExit included: one plugin never stops the build
        raise PluginError(f"{plugin.label} failed to import: {failure(exc)}") from exc
