"""The front of the pipeline: bytes → source → AST → bound program → diagnostics.

Each stage returns `(value, diagnostics)`; a stage with errors stops the ones after it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from . import ast, model, wording
from .collector import collector_paused
from .diagnostics import Diagnostic, error, has_errors, sort_key
from .parser import decode, parse, read_file
from .plan import Plan, build_plan, default_start
from .records import Record
from .registry import Registry, builtin_registry, find_project_config
from .resolve import resolve
from .rules import CheckOptions, check_program
from .rules.base import REFERENCE_MONDAY, ProgramFacts
from .source import SourceFile

if TYPE_CHECKING:
    from pathlib import Path


class Result(Record, frozen=True):
    """What checking one file found: the bound program when it is valid, and every diagnostic."""

    source: SourceFile
    program: model.Program | None
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the file has no errors (warnings allowed): it may be compiled."""
        return self.program is not None and not has_errors(self.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


def load_bytes(
    data: bytes,
    name: str,
    registry: Registry | None = None,
    *,
    options: CheckOptions | None = None,
    registries: Sequence[str | Path] = (),
    adjust: Callable[[model.Program], model.Program] | None = None,
) -> Result:
    """Check a program given as bytes; `name` is what diagnostics call the file.

    Without a `registry`, the program is checked against the built-in one and every clinic
    registry in use: its own `registry` lines, `registries` (paths, as `--registry` gives
    them), the project config above it and installed registry packages (docs/registry.md).
    A fault in any of those is reported in that file, and the program is not compiled.

    A program that binds is then checked by the safety rules; `options` chooses which
    rules run and whether warnings count as errors (`progdsl.rules.CheckOptions`).
    `adjust` changes the bound program before the rules see it (a client's own values
    in place of a protocol's, `progdsl.clients`).
    """
    with collector_paused():
        return _load_bytes(data, name, registry, options, registries, adjust)[0]


def load_bytes_and_registry(data: bytes, name: str) -> tuple[Result, Registry | None]:
    """`load_bytes`, and the registry the program was checked against: None when the
    program did not get as far (a syntax error, an include or a clinic registry at fault).
    For editors, which offer that registry's names while the text is being written."""
    with collector_paused():
        result, registry, _ = _load_bytes(data, name, None, None, (), None)
        return result, registry


def _load_bytes(
    data: bytes,
    name: str,
    registry: Registry | None,
    options: CheckOptions | None,
    registries: Sequence[str | Path],
    adjust: Callable[[model.Program], model.Program] | None,
    start: dt.date | None = None,
) -> tuple[Result, Registry | None, ProgramFacts | None]:
    """`load_bytes`, the registry it used, and the facts the rules derived (None when they did
    not run). With a `start`, the first day a build gives a program without a `start` line,
    the rules walk the plan from it when it is a Monday (`ProgramFacts`)."""
    source, diagnostics = decode(data, name)
    if diagnostics or source is None:
        return _result(source or SourceFile(name, ""), None, diagnostics), None, None
    tree, diagnostics = parse(source)
    if tree is None:
        return _result(source, None, diagnostics), None, None
    expansion = None
    if any(isinstance(item, ast.Line) and item.keyword == "include" for item in tree.items):
        from .include import expand

        expansion, diagnostics = expand(tree, source)
        if has_errors(diagnostics):
            return _result(source, None, diagnostics), None, None
        tree = expansion.tree
    if registry is None:
        registry, diagnostics = registry_for(tree, source, registries)
        if registry is None:
            return _result(source, None, _located(expansion, diagnostics)), None, None
    program, diagnostics = resolve(tree, expansion.source if expansion else source, registry)
    if program is not None and adjust is not None:
        program = adjust(program)
    facts = None
    if program is not None:
        monday = start if start is not None and start.weekday() == 0 else REFERENCE_MONDAY
        if program.start is None and model.runs_past_latest_day(monday, program.days):
            monday = REFERENCE_MONDAY  # E125 stops the build; the rules walk what they always did
        facts = ProgramFacts(program, monday)
        diagnostics = [*diagnostics, *check_program(program, options or CheckOptions(), facts=facts)]
    return _result(source, program, _located(expansion, diagnostics)), registry, facts


def _located(expansion, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Each diagnostic in the file it is about, when the program includes others."""
    return diagnostics if expansion is None else [expansion.locate(d) for d in diagnostics]


def registry_for(
    tree: ast.Program, source: SourceFile, paths: Sequence[str | Path] = ()
) -> tuple[Registry | None, list[Diagnostic]]:
    """The registry a program is checked against; None when a clinic registry has errors.
    The built-in one, from the cache, when no clinic registry is in use."""
    from . import plugins

    lines = [item for item in tree.items if isinstance(item, ast.Line) and item.keyword == "registry"]
    folder = os.getcwd() if source.name.startswith("<") else os.path.dirname(source.name)
    config = find_project_config(os.path.realpath(folder))  # os.path: a check imports no pathlib
    if not (lines or paths or config or plugins.discover(plugins.REGISTRIES)):
        return builtin_registry(), []
    from pathlib import Path

    from .clinic import Source, registry_with, sources_for

    sources, diagnostics = sources_for(config, paths)
    for line in lines:
        file = Path(folder) / line.value.value
        if file.is_file():
            sources.append(Source(str(file), file))
        else:
            diagnostics.append(
                error(
                    "E310",
                    f"the registry `{line.value.value}` does not exist",
                    line.value.span,
                    "the path is relative to the program file",
                )
            )
    registry, found = registry_with(sources)
    diagnostics += found
    return (None if has_errors(diagnostics) else registry), diagnostics


def loads(
    text: str, name: str = "<string>", registry: Registry | None = None, *, options: CheckOptions | None = None
) -> Result:
    """Check a program given as text."""
    return load_bytes(text.encode("utf-8"), name, registry, options=options)


def load(
    path: str | Path,
    registry: Registry | None = None,
    *,
    options: CheckOptions | None = None,
    registries: Sequence[str | Path] = (),
) -> Result:
    """Check the program in a file."""
    return load_bytes(read_file(path), str(path), registry, options=options, registries=registries)


def parse_only(text: str, name: str = "<string>") -> tuple[ast.Program | None, list[Diagnostic]]:
    """Text → AST, for tools (and tests) that want the syntax alone."""
    source, diagnostics = decode(text.encode("utf-8"), name)
    return (None, diagnostics) if diagnostics or source is None else parse(source)


def _result(source: SourceFile, program, diagnostics) -> Result:
    ordered = tuple(sorted(diagnostics, key=sort_key))
    return Result(source, None if has_errors(ordered) else program, ordered)


def load_and_plan(
    data: bytes,
    name: str,
    start: dt.date | None = None,
    *,
    registries: Sequence[str | Path] = (),
    adjust: Callable[[model.Program], model.Program] | None = None,
) -> tuple[Plan | None, Result]:
    """`load_bytes` then `plan_of`, as a build does, planning the program once: the plan the
    safety rules walked is the one returned, when it starts on the build's first day.

    The collector's pause is lasting: the plan and what it holds live on into the render,
    and a check leaves next to no cyclic garbage (3 objects for a year of sessions, once warm)."""
    first = start or default_start()
    with collector_paused(lasting=True):
        result, _, facts = _load_bytes(data, name, None, None, registries, adjust, first)
        return plan_of(result, start, facts)


def plan_of(
    result: Result, start: dt.date | None = None, facts: ProgramFacts | None = None
) -> tuple[Plan | None, Result]:
    """The dated plan of a program that checked clean, and its result.

    `start` is used when the program has no `start` line (without either, the next Monday).
    A plan whose last day would fall after `model.LATEST_DAY` is not made: the result
    comes back with an E125 error on the program's title line instead. `facts` are the
    check's, whose plan is taken when it starts on the same day.
    """
    if result.program is None or not result.ok:
        return None, result
    program = result.program
    first = program.start or start or default_start()
    if model.runs_past_latest_day(first, program.days):
        message, help = wording.past_latest_day(first, program.days)
        return None, _result(
            result.source, None, [*result.diagnostics, error("E125", message, program.title_span, help)]
        )
    if facts is not None and facts.program is program and (program.start or facts.start) == first:
        walked = facts.plan  # None for a program longer than the rules walk
        if walked is not None:
            return walked, result
    return build_plan(program, first), result
