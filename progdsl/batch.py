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
only its own output for that program. A backend that needs no such guard
(`guarded = False`: the JSON and calendar backends) renders in this process.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from . import plugins
from .backends import RenderOptions, check_backend, guarded, render
from .build_settings import BuildSettings
from .compiler import Result, load_and_plan, load_bytes
from .output import PreviousUnread, WriteError, prepare_folder, read_previous, write_atomically
from .parser import read_file
from .plan import default_start
from .pool import RECYCLE_AFTER, Helper, Raised, Stopped, TimedOut, isolation_available, map_in_order
from .records import Record, replace
from .source import shown_name

if TYPE_CHECKING:
    from .backends import Backend
    from .clients import ClientRow
    from .dask_pool import DaskPool
    from .parcel import Parcel
    from .plan import Plan


class Checked(Record, frozen=True):
    """A program file was read and checked; when it has errors nothing is built from it."""

    path: str
    result: Result


class Written(Record, frozen=True):
    path: str
    backend: str
    output: Path


class Failed(Record, frozen=True):
    """Something was not built; `backend` is None when the whole file was skipped."""

    path: str
    backend: str | None
    message: str


class Noted(Record, frozen=True):
    """Something the user should know that did not stop an output."""

    path: str
    backend: str
    message: str


Event = Checked | Written | Failed | Noted


class Report(Record, frozen=True):
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


class Rendered(Record, frozen=True):
    """One backend's output for a program, not yet written."""

    backend: str
    output: Path
    data: bytes
    note: str | None = None


class Compiled(Record, frozen=True):
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


def compile_program(
    path: str,
    backends: Sequence[plugins.Plugin],
    settings: BuildSettings,
    *,
    data: bytes | None = None,
    name: str | None = None,
    client: ClientRow | None = None,
) -> Compiled:
    """Check, plan and render one program with each backend, writing nothing.

    `data` is the program when it is not read from `path` (standard input, whose `path`
    is `<stdin>`); `name` is what the outputs are called instead of the file's stem;
    `client` makes the program that client's (`progdsl.clients`), its outputs named
    after the program and the client.
    """
    if data is None:
        try:
            data = read_file(path)
        except OSError as exc:
            return Compiled(path, Failed(path, None, f"cannot read {path}: {exc.strerror or exc}"))
    adjust = client.apply if client is not None else None
    plan, result = load_and_plan(data, path, settings.start, registries=settings.registries, adjust=adjust)
    if plan is None:  # errors, or a plan that would end after the latest day (E125)
        return Compiled(path, Checked(path, result))
    if name is not None or client is not None:
        stem = name or plan.name
        plan = replace(plan, output_name=f"{stem}-{client.slug}" if client else stem)
    outputs: list[Rendered | Failed] = []
    for plugin in backends:
        try:
            backend = backend_for(plugin)
            output = settings.folder / f"{plan.name}{backend.suffix}"
            try:
                previous, note = read_previous(output), None
            except PreviousUnread as exc:
                previous, note = None, f"{exc}: the new one is made as if it were not there"
            options = RenderOptions(settings.overrides, settings.timestamp, previous, tuple(result.warnings))
            data = _render(plugin, plan, options, settings.backend_timeout)
            outputs.append(Rendered(plugin.name, output, data, note))
        except plugins.PluginError as exc:
            outputs.append(Failed(path, plugin.name, str(exc)))
    return Compiled(path, Checked(path, result), plan.name, tuple(outputs))


class _Helpers(threading.local):
    """Each thread's own rendering helper: a Dask worker may build on several threads at once."""

    def __init__(self) -> None:
        self.helper = Helper()


_helpers = _Helpers()  # renders this thread's outputs when a time limit applies


def _render(plugin: plugins.Plugin, plan: Plan, options: RenderOptions, limit: float | None) -> bytes:
    """The plugin's output for a plan, rendered in this process's helper when there is a
    `limit` and the backend is guarded; raises PluginError naming the backend when it
    fails, runs out of time or dies."""
    backend = backend_for(plugin)
    if limit is None or not guarded(backend) or not isolation_available():
        return render(backend, plan, options)
    try:
        return _helpers.helper.call(partial(_render_in_helper, plugin, plan, options), limit)
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
    executor: DaskPool | None = None,
) -> Iterator[Compiled]:
    """`compile_program` for every path, in the order given; `jobs` above 1 compiles in
    that many worker processes, each replaced after `recycle_after` programs. With an
    `executor` (a Dask cluster), each program is packed with the files it reads
    (`progdsl.parcel`) and compiled on the cluster instead."""
    if executor is not None:
        return _on_cluster(paths, backends, settings, executor)
    if jobs > 1 and len(paths) > 1:
        work = partial(compile_program, backends=backends, settings=settings)
        return map_in_order(work, paths, jobs, died=_died, preload=["progdsl.batch"], recycle_after=recycle_after)
    return _here(paths, backends, settings)


def _on_cluster(
    paths: Sequence[str], backends: Sequence[plugins.Plugin], settings: BuildSettings, executor: DaskPool
) -> Iterator[Compiled]:
    """`compile_program` for every path on a cluster that shares no files with this machine
    (nor its clock: a program without a start begins the Monday after today here)."""
    settings = replace(settings, start=settings.start or default_start())
    suffixes = []
    for plugin in backends:
        try:
            suffixes.append(backend_for(plugin).suffix)
        except plugins.PluginError:
            continue  # the worker reports it with the program
    work = partial(compile_parcel, backends=backends)
    return executor.map_in_order(work, _Parcels(paths, settings, suffixes), died=_died_on_cluster)


class _Parcels(Sequence["Parcel | Compiled"]):
    """Each program packed as the cluster asks for it, so that a batch of any size holds
    only the parcels on their way; a program that cannot be read comes as its failure."""

    def __init__(self, paths: Sequence[str], settings: BuildSettings, suffixes: Sequence[str]):
        self.paths, self.settings, self.suffixes = paths, settings, suffixes

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index):
        from .parcel import pack

        path = self.paths[index]
        try:
            data = read_file(path)
        except OSError as exc:
            return Compiled(path, Failed(path, None, f"cannot read {path}: {exc.strerror or exc}"))
        return pack(path, self.settings, self.suffixes, data)


def compile_parcel(parcel: Parcel | Compiled, backends: Sequence[plugins.Plugin]) -> Compiled:
    """A packed program compiled where it is unpacked (on a cluster's worker); what could
    not be packed (a file that could not be read) comes back as it is."""
    from .parcel import Parcel, unpacked

    if not isinstance(parcel, Parcel):
        return parcel
    with unpacked(parcel) as (path, settings):
        return _restored(compile_program(path, backends, settings, data=parcel.data), parcel)


def _restored(compiled: Compiled, parcel: Parcel) -> Compiled:
    """What was built from an unpacked parcel, with the paths the user knows put back
    (called while it is unpacked, when `shown_name` knows the folder)."""

    def failed(event: Failed) -> Failed:
        return replace(event, path=parcel.path, message=shown_name(event.message))

    def text(value: str | None) -> str | None:
        return None if value is None else shown_name(value)

    checked = compiled.checked
    if isinstance(checked, Checked):
        result = checked.result
        diagnostics = tuple(
            replace(
                d,
                message=shown_name(d.message),
                help=text(d.help),
                source=None if d.source is None else replace(d.source, name=shown_name(d.source.name)),
            )
            for d in result.diagnostics
        )
        source = replace(result.source, name=parcel.path)
        checked = Checked(parcel.path, replace(result, source=source, diagnostics=diagnostics))
    else:
        checked = failed(checked)
    outputs = tuple(
        failed(o)
        if isinstance(o, Failed)
        else replace(o, output=Path(parcel.settings.folder) / o.output.name, note=text(o.note))
        for o in compiled.outputs
    )
    return replace(compiled, path=parcel.path, checked=checked, outputs=outputs)


def _here(paths: Sequence[str], backends: Sequence[plugins.Plugin], settings: BuildSettings) -> Iterator[Compiled]:
    """`compile_program` for every path in this process; its helper leaves at the end."""
    try:
        for path in paths:
            yield compile_program(path, backends, settings)
    finally:
        _helpers.helper.close()


def build_files(
    paths: Sequence[str],
    backends: Sequence[plugins.Plugin],
    settings: BuildSettings,
    jobs: int = 1,
    executor: DaskPool | None = None,
) -> Iterator[Report]:
    """Build every program with every backend into `settings.folder`, one report per
    program in the order given; `jobs` above 1 compiles in that many worker processes,
    an `executor` on a Dask cluster."""
    claimed: dict[str, str] = {}  # output name -> the program that claimed it
    for program in compile_programs(paths, backends, settings, jobs, executor=executor):
        yield Report(program.path, tuple(_write(program, settings.folder, claimed)))


def build_named(
    path: str,
    name: str,
    backends: Sequence[plugins.Plugin],
    settings: BuildSettings,
    data: bytes | None = None,
) -> Report:
    """Build one program whose outputs are called `name`: a file, or `data` read from
    standard input (`path` is then what messages call it, `<stdin>`)."""
    program = compile_program(path, backends, settings, data=data, name=name)
    return Report(program.path, tuple(_write(program, settings.folder, {})))


def build_for_clients(
    path: str,
    clients: Sequence[ClientRow],
    backends: Sequence[plugins.Plugin],
    settings: BuildSettings,
    jobs: int = 1,
    clients_file: str = "",
) -> Iterator[Report]:
    """Build one protocol once per client into `settings.folder`: first a report of the
    protocol's own check, then one per client in the order given. Nothing is built when
    the protocol has errors. A client's report holds only what its own values add to the
    protocol's diagnostics, so a warning about the protocol is shown once, not per client."""
    try:
        data = read_file(path)
    except OSError as exc:
        yield Report(path, (Failed(path, None, f"cannot read {path}: {exc.strerror or exc}"),))
        return
    protocol = load_bytes(data, path, registries=settings.registries)
    yield Report(path, (Checked(path, protocol),))
    if not protocol.ok:
        return
    shown = set(protocol.diagnostics)
    work = partial(_compile_for_client, path=path, data=data, backends=backends, settings=settings, where=clients_file)
    if jobs > 1 and len(clients) > 1:
        died = partial(_client_died, path=path, where=clients_file)
        compiled = map_in_order(work, clients, jobs, died=died, preload=["progdsl.batch"])
    else:
        compiled = (work(client) for client in clients)
    claimed: dict[str, str] = {}
    for program in compiled:
        checked = program.checked
        if isinstance(checked, Checked):
            news = tuple(d for d in checked.result.diagnostics if d not in shown)
            checked = Checked(checked.path, replace(checked.result, diagnostics=news))
        program = replace(program, checked=checked)
        yield Report(program.path, tuple(_write(program, settings.folder, claimed)))


def client_label(path: str, client: ClientRow, where: str) -> str:
    """What messages call one client's build: `knee.prog for Sam Lee (clients.csv:3)`."""
    return f"{path} for {client.client} ({where}:{client.line})"


def _compile_for_client(
    client: ClientRow, path: str, data: bytes, backends: Sequence[plugins.Plugin], settings: BuildSettings, where: str
) -> Compiled:
    compiled = compile_program(path, backends, settings, data=data, client=client)
    label = client_label(path, client, where)
    checked = compiled.checked
    checked = replace(checked, path=label)
    outputs = tuple(replace(o, path=label) if isinstance(o, Failed) else o for o in compiled.outputs)
    return replace(compiled, path=label, checked=checked, outputs=outputs)


def _client_died(client: ClientRow, path: str, where: str) -> Compiled:
    return _died(client_label(path, client, where))


def _died_on_cluster(parcel: Parcel | Compiled) -> Compiled:
    message = "not built: each worker that tried to build it died (out of memory, or killed)"
    return Compiled(parcel.path, Failed(parcel.path, None, message))


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
