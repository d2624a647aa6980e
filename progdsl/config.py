"""A project's settings: `progdsl.toml`, or `[tool.progdsl]` in `pyproject.toml`.

The nearest config above a program (`registry.find_project_config`) gives the defaults of
the command-line options in `KEYS`; an option given on the command line wins. `registries`
is read by `clinic.py`. A config file with a fault is reported at its line and column
(E330 an unknown key, E331 a value of the wrong kind), like a registry file's.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from .diagnostics import Diagnostic, error
from .records import Record
from .registry_schema import Locator, not_toml
from .source import SourceFile, Span
from .suggest import close_matches
from .wording import did_you_mean


class Key(Record, frozen=True):
    """One config key: the commands and option it sets, and the kind of value it takes."""

    option: str  # the option's parameter name in cli.py
    commands: tuple[str, ...]
    kind: type  # str, int, float, bool or list (of strings)
    path: bool = False  # a path, relative to the config file
    help: str = ""


KEYS: dict[str, Key] = {
    "select": Key("select", ("check",), list, help="rule codes or prefixes that `check` runs, such as ['S1', 'S5']"),
    "ignore": Key("ignore", ("check",), list, help="rule codes or prefixes that `check` leaves out"),
    "backends": Key("backend_names", ("build", "watch"), list, help="what `build` writes, such as ['pdf', 'ics']"),
    "output-dir": Key("output_dir", ("build", "watch"), str, path=True, help='the folder outputs go to, such as "out"'),
    "template-dir": Key("template_dir", ("build",), str, path=True, help="the clinic's handout templates"),
    "reminder": Key("reminder", ("build",), str, help='how long before a timed session the calendar reminds, "15m"'),
    "reminder-at": Key("reminder_at", ("build",), str, help='when an all-day session reminds, "08:00"'),
    "page-size": Key("page_size", ("build",), str, help='"a4" or "letter"'),
    "jobs": Key("jobs", ("build",), int, help="how many programs to build at a time"),
    "backend-timeout": Key("backend_timeout", ("build",), float, help="seconds one backend may take on one program"),
}
READ_ELSEWHERE = ("registries",)  # by clinic.py


class Setting(Record, frozen=True):
    """A value the config gives, and where: for `--show-settings` and for the defaults."""

    key: str
    value: object
    span: Span


class ProjectConfig(Record, frozen=True):
    path: Path
    settings: tuple[Setting, ...]

    def defaults(self, command: str) -> dict[str, object]:
        """Click's default_map for one command: option name → value."""
        return {KEYS[s.key].option: s.value for s in self.settings if command in KEYS[s.key].commands}

    def where(self, key: str) -> str | None:
        """`progdsl.toml:3` for a key the config sets."""
        for setting in self.settings:
            if setting.key == key:
                return f"{self.path}:{setting.span.line}"
        return None


def read_config(path: Path) -> tuple[ProjectConfig | None, list[Diagnostic]]:
    """The config file's settings, each checked; None and the faults when it has any."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        source = SourceFile(str(path), "")
        return None, [error("E331", f"the config file cannot be read: {exc}", Span.point(1, 1), source=source)]
    source = SourceFile(str(path), text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [not_toml(exc, source)]
    in_pyproject = path.name == "pyproject.toml"
    table = data.get("tool", {}).get("progdsl", {}) if in_pyproject else data
    where = ("tool", "progdsl") if in_pyproject else ()
    locator = Locator(text)
    settings, faults = [], []
    for key, value in table.items():
        span = locator.key(where, key)
        if key in READ_ELSEWHERE:
            continue
        known = KEYS.get(key)
        if known is None:
            help = did_you_mean(close_matches(key, [*KEYS, *READ_ELSEWHERE])) or f"the keys are {', '.join(KEYS)}"
            faults.append(error("E330", f"`{key}` is not a progdsl setting", span, help, source=source))
            continue
        checked = _value(known, value)
        if checked is None:
            faults.append(error("E331", f"`{key}` takes {_kind(known)}", span, f"{key}: {known.help}", source=source))
            continue
        if known.path:
            checked = str((path.parent / str(checked)).resolve())
        settings.append(Setting(key, checked, span))
    if faults:
        return None, faults
    return ProjectConfig(path, tuple(settings)), []


def _value(key: Key, value: object) -> object | None:
    if key.kind is list:
        ok = isinstance(value, list) and all(isinstance(item, str) for item in value)
        return value if ok else None
    if key.kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, key.kind) and not isinstance(value, bool):
        return value
    return None


def _kind(key: Key) -> str:
    return {list: "a list of texts", str: "a text", int: "a whole number", float: "a number"}[key.kind]
