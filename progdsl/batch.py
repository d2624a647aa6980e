"""`progdsl build` without the printing: check each program, plan it, render it with
each backend, and write the files.

Compiling a program (`compile_program`: check, plan, render) touches nothing on
disk but the program and the file an output will replace, so it can run in a
worker process (`progdsl.pool`). Writing happens here, in the parent, one
program at a time in the order the programs were given: the files, the messages
and the decision between two programs of the same name are the same whatever the
number of workers.

A file with errors writes nothing; a backend that raises, or a file that cannot
be written, is reported and the other backends and files go on. Outputs are
rendered in a helper process (`progdsl.pool.Helper`, a fork of the process
compiling the programs) that is killed when a render takes longer than
`BuildSettings.backend_timeout`: a backend that hangs, crashes or exits costs
only its own output for that program.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from . import plugins
from .backends import RenderOptions, check_backend, render
from .compiler import Result, load_bytes, plan_of
from .output import PreviousUnread, WriteError, prepare_folder, read_previous, write_atomically
from .parser import read_file
from .pool import RECYCLE_AFTER, Helper, Raised, Stopped, TimedOut, isolation_available, map_in_order

BACKEND_TIMEOUT = 120.0  # seconds one backend may take over one program: ten times a year-long handout

if TYPE_CHECKING:
    from .backends import Backend
    from .plan import Plan


@dataclass(frozen=True)
class BuildSettings:
    """What the command line asks of every program in a build."""

    folder: Path
    start: dt.date | None = None
    overrides: Mapping[str, object] = field(default_factory=dict)
    timestamp: dt.datetime | None = None
    registries: tuple[str, ...] = ()  # `--registry` paths, added to every program's
    backend_timeout: float | None = BACKEND_TIMEOUT  # seconds per render; None renders in this process, unguarded


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


@dataclass(frozen=True)
class Noted:
    """Something the user should know that did not stop an output."""

    path: str
    backend: str
    message: str


Event = Checked | Written | Failed | Noted


@dataclass(frozen=True)
class Report:
    """Everything that happened to one program, in order."""

    path: str
    events: tuple[Event, ...]

    @property
    def ok(self) -> bool:
        """Checked without errors and every output written."""
        return not any(isinstance(e, Failed) or (isinstance(e, Checked) and not e.result.ok) for e in self.events)

    @property
    def warned(self) -> bool:
        return any(isinstance(e, Checked) and e.result.warnings for e in self.events)


@dataclass(frozen=True)
class Rendered:
    """One backend's output for a program, not yet written."""

    backend: str
    output: Path
    data: bytes
    note: str | None = None


@dataclass(frozen=True)
class Compiled:
    """One program checked and rendered by every backend, with nothing written yet.

    `name` is what its outputs are called; it is None when nothing is to be written.
    """

    path: str
    checked: Checked | Failed
    name: str | None = None
    outputs: tuple[Rendered | Failed, ...] = ()


@cache
def backend_for(plugin: plugins.Plugin) -> Backend:
    """The plugin's backend, imported and checked once per process; raises PluginError."""
    return check_backend(plugin, plugins.load(plugin))


def compile_program(path: str, backends: Sequence[plugins.Plugin], settings: BuildSettings) -> Compiled:
    """Check, plan and render one program with each backend, writing nothing."""
    try:
        data = read_file(path)
    except OSError as exc:
        return Compiled(path, Failed(path, None, f"cannot read {path}: {exc.strerror or exc}"))
    plan, result = plan_of(load_bytes(data, path, registries=settings.registries), settings.start)
    if plan is None:  # errors, or a plan that would end after the latest day (E125)
        return Compiled(path, Checked(path, result))
    outputs: list[Rendered | Failed] = []
    for plugin in backends:
        try:
            backend = backend_for(plugin)
            output = settings.folder / f"{plan.name}{backend.suffix}"
            try:
                previous, note = read_previous(output), None
            except PreviousUnread as exc:
                previous, note = None, f"{exc}: the new one is made as if it were not there"
            options = RenderOptions(settings.overrides, settings.timestamp, previous)
            data = _render(plugin, plan, options, settings.backend_timeout)
            outputs.append(Rendered(plugin.name, output, data, note))
        except plugins.PluginError as exc:
            outputs.append(Failed(path, plugin.name, str(exc)))
    return Compiled(path, Checked(path, result), plan.name, tuple(outputs))


_helper = Helper()  # renders this process's outputs when a time limit applies


def _render(plugin: plugins.Plugin, plan: Plan, options: RenderOptions, limit: float | None) -> bytes:
    """The plugin's output for a plan, rendered in this process's helper when there is a
    `limit`; raises PluginError naming the backend when it fails, runs out of time or dies."""
    if limit is None or not isolation_available():
        return render(backend_for(plugin), plan, options)
    try:
        return _helper.call(partial(_render_in_helper, plugin, plan, options), limit)
    except Raised as exc:  # the PluginError raised in the helper, with its message
        raise plugins.PluginError(str(exc)) from None
    except TimedOut:
        raise plugins.PluginError(
            f"backend '{plugin.name}' was stopped after {limit:g} s without finishing (the limit is --backend-timeout)"
        ) from None
    except Stopped as exc:
        raise plugins.PluginError(f"backend '{plugin.name}' failed: {exc}") from None


def _render_in_helper(plugin: plugins.Plugin, plan: Plan, options: RenderOptions) -> bytes:
    return render(backend_for(plugin), plan, options)


def compile_programs(
    paths: Sequence[str],
    backends: Sequence[plugins.Plugin],
    settings: BuildSettings,
    jobs: int = 1,
    recycle_after: int = RECYCLE_AFTER,
) -> Iterator[Compiled]:
    """`compile_program` for every path, in the order given; `jobs` above 1 compiles in
    that many worker processes, each replaced after `recycle_after` programs."""
    if jobs > 1 and len(paths) > 1:
        work = partial(compile_program, backends=backends, settings=settings)
        return map_in_order(work, paths, jobs, died=_died, preload=["progdsl.batch"], recycle_after=recycle_after)
    return _here(paths, backends, settings)


def _here(paths: Sequence[str], backends: Sequence[plugins.Plugin], settings: BuildSettings) -> Iterator[Compiled]:
    """`compile_program` for every path in this process; its helper leaves at the end."""
    try:
        for path in paths:
            yield compile_program(path, backends, settings)
    finally:
        _helper.close()


def build_files(
    paths: Sequence[str], backends: Sequence[plugins.Plugin], settings: BuildSettings, jobs: int = 1
) -> Iterator[Report]:
    """Build every program with every backend into `settings.folder`, one report per
    program in the order given; `jobs` above 1 compiles in that many worker processes."""
    claimed: dict[str, str] = {}  # output name -> the program that claimed it
    for program in compile_programs(paths, backends, settings, jobs):
        yield Report(program.path, tuple(_write(program, settings.folder, claimed)))


def _died(path: str) -> Compiled:
    message = "not built: the process building it stopped unexpectedly, twice (out of memory, or killed)"
    return Compiled(path, Failed(path, None, message))


def _write(program: Compiled, folder: Path, claimed: dict[str, str]) -> Iterable[Event]:
    """Write one compiled program's outputs, unless an earlier program has the same name."""
    path = program.path
    yield program.checked
    if program.name is None:
        return
    if claimed.setdefault(program.name, path) != path:
        yield Failed(
            path,
            None,
            f"not built: its outputs would replace those of {claimed[program.name]} (both are named '{program.name}')",
        )
        return
    try:
        prepare_folder(folder)
    except WriteError as exc:
        yield Failed(path, None, str(exc))
        return
    for output in program.outputs:
        if isinstance(output, Failed):
            yield output
            continue
        if output.note is not None:
            yield Noted(path, output.backend, output.note)
        try:
            write_atomically(output.output, output.data)
        except WriteError as exc:
            yield Failed(path, output.backend, str(exc))
        else:
            yield Written(path, output.backend, output.output)
