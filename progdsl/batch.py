"""`progdsl build` without the printing: check each program, plan it, render it with
each backend and write the files.

A file with errors writes nothing; a backend that raises, or a file that cannot
be written, is reported and the other backends and files go on. Every step is
reported as an event, in order, for the command line to print.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from . import plugins
from .backends import Backend, RenderOptions
from .compiler import Result, load_bytes
from .output import WriteError, prepare_folder, read_previous, write_atomically
from .plan import build_plan


@dataclass(frozen=True)
class BuildSettings:
    """What the command line asks of every program in a build."""

    folder: Path
    start: dt.date | None = None
    overrides: Mapping[str, object] = field(default_factory=dict)
    timestamp: dt.datetime | None = None


@dataclass(frozen=True)
class Checked:
    """A program file was read and checked; when it has errors nothing is built from it."""

    path: str
    result: Result


@dataclass(frozen=True)
class Written:
    path: str
    backend: str
    output: Path


@dataclass(frozen=True)
class Failed:
    """Something was not built; `backend` is None when the whole file was skipped."""

    path: str
    backend: str | None
    message: str


Event = Checked | Written | Failed


def build_files(paths: Sequence[str], backends: Sequence[Backend], settings: BuildSettings) -> Iterator[Event]:
    """Build every program with every backend into `settings.folder`, reporting as it goes."""
    claimed: dict[str, str] = {}  # output name -> the program that claimed it
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            yield Failed(path, None, f"cannot read {path}: {exc.strerror or exc}")
            continue
        result = load_bytes(data, path)
        yield Checked(path, result)
        if not result.ok:
            continue
        plan = build_plan(result.program, settings.start)
        if claimed.setdefault(plan.name, path) != path:
            yield Failed(path, None, f"not built: its outputs would replace those of {claimed[plan.name]} "
                                     f"(both are named '{plan.name}')")
            continue
        try:
            prepare_folder(settings.folder)
        except WriteError as exc:
            yield Failed(path, None, str(exc))
            continue
        for backend in backends:
            output = settings.folder / f"{plan.name}{backend.suffix}"
            options = RenderOptions(settings.overrides, settings.timestamp, read_previous(output))
            try:
                write_atomically(output, plugins.render(backend, plan, options))
            except (plugins.PluginError, WriteError) as exc:
                yield Failed(path, backend.name, str(exc))
            else:
                yield Written(path, backend.name, output)
