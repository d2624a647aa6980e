"""A program with every file its build reads, packed to be built on another machine.

A build on a Dask cluster (`progdsl build --executor dask`) cannot count on the workers
seeing this machine's files. So the process that starts the build packs each program
into a `Parcel`: the program's bytes, and the bytes of every other file compiling it
may read:

- the files its `include` and `registry` lines name (and theirs, in turn);
- the project config above it (`progdsl.toml`, or `pyproject.toml` with `[tool.progdsl]`)
  and the registries that config names;
- the `--registry` files, and the pictures each registry names beside it;
- every file in the clinic's template folder (`--template-dir`);
- the outputs the build will replace (the previous calendar keeps its events' ids).

A worker unpacks a parcel into a private folder of its own, the files at their original
absolute paths under it, builds the program there, puts the original paths back in what it
returns (`batch.compile_parcel`), and removes the folder. What the worker returns is the `Compiled`
value a local worker returns; the process that started the build writes it, as always.

A file a program names that is not found here is not packed: the worker then reports it
missing, exactly as a local build would. Exercise registries installed as packages, and
backends, must be installed on the workers too (they are code, not files).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from .build_settings import BuildSettings
from .output import PreviousUnread, read_previous
from .records import Record, replace
from .registry import find_project_config
from .source import UNPACKED_AT

MAX_DEPTH = 16  # include lines followed this deep; the worker reports deeper loops as a local build would
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")

# `include "FILE"` and `registry "FILE"` header lines, found without parsing: a line that only
# looks like one packs a file the worker does not read, which costs bytes, not correctness.
_NAMED_FILE = re.compile(rb'^[ \t]*(include|registry)[ \t]+"([^"\r\n]*)"', re.MULTILINE)


class Parcel(Record, frozen=True):
    """One program and the files building it reads, by absolute path on the machine that packed it."""

    path: str  # the program as the user gave it: what messages call it
    data: bytes
    cwd: str  # the folder relative paths are relative to
    files: Mapping[str, bytes]  # absolute path -> contents
    settings: BuildSettings


def pack(path: str, settings: BuildSettings, suffixes: Sequence[str], data: bytes) -> Parcel:
    """The parcel for the program `data` read from `path`; `suffixes` are the outputs' (for previous outputs)."""
    cwd = os.getcwd()
    files: dict[str, bytes] = {}
    program = Path(os.path.abspath(path))
    _add_named(program, data, files, 0)
    config = find_project_config(program.parent)
    if config is not None:
        _add_config(config, files)
    for registry in settings.registries:
        _add_registry(Path(os.path.abspath(registry)), files)
    template = settings.overrides.get("template")
    if isinstance(template, str):
        files.update(_folder_files(os.path.abspath(template)))
    folder = Path(os.path.abspath(settings.folder))
    stem = program.name.rsplit(".", 1)[0] if "." in program.name else program.name
    for suffix in suffixes:
        output = folder / f"{stem or 'program'}{suffix}"
        with contextlib.suppress(PreviousUnread):  # the worker finds it unread too, and says so
            previous = read_previous(output)
            if previous is not None:
                files[str(output)] = previous
    return Parcel(path, data, cwd, files, settings)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def _add_named(program: Path, data: bytes, files: dict[str, bytes], depth: int) -> None:
    """The files a program's `include` and `registry` lines name, relative to it."""
    if depth > MAX_DEPTH:
        return
    for keyword, name in _NAMED_FILE.findall(data):
        target = Path(os.path.abspath(program.parent / name.decode("utf-8", "replace")))
        if str(target) in files:
            continue
        if keyword == b"registry":
            _add_registry(target, files)
            continue
        content = _read(target)
        if content is not None:
            files[str(target)] = content
            _add_named(target, content, files, depth + 1)


def _add_config(config: Path, files: dict[str, bytes]) -> None:
    content = _read(config)
    if content is None:
        return
    files[str(config)] = content
    try:
        table: Any = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return  # the worker reports it
    if config.name == "pyproject.toml":
        table = table.get("tool", {}).get("progdsl", {})
    names = table.get("registries", []) if isinstance(table, dict) else []
    for name in names if isinstance(names, list) else []:
        if isinstance(name, str):
            _add_registry(Path(os.path.abspath(config.parent / name)), files)


def _add_registry(path: Path, files: dict[str, bytes]) -> None:
    files.update(_registry_files(path))


@cache
def _registry_files(path: Path) -> tuple[tuple[str, bytes], ...]:
    """A registry file and the pictures it names (read once per build, however many programs use it)."""
    content = _read(path)
    if content is None:
        return ()
    found = [(str(path), content)]
    try:
        table = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return tuple(found)
    for value in _strings(table):
        if value.lower().endswith(IMAGE_SUFFIXES):
            picture = Path(os.path.abspath(path.parent / value))
            if picture.is_relative_to(path.parent) and (image := _read(picture)) is not None:
                found.append((str(picture), image))
    return tuple(found)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@cache
def _folder_files(folder: str) -> tuple[tuple[str, bytes], ...]:
    """Every file in a folder and the folders under it (read once per build)."""
    found = []
    for base, _, names in os.walk(folder):
        for name in sorted(names):
            path = os.path.join(base, name)
            content = _read(Path(path))
            if content is not None:
                found.append((path, content))
    return tuple(found)


@contextlib.contextmanager
def unpacked(parcel: Parcel) -> Iterator[tuple[str, BuildSettings]]:
    """The parcel's files in a private folder: the program's path there, and the settings
    with their paths there. Until the block ends, `source.shown_name` takes the folder off a
    path again (in a registry entry's origin, and in what the worker returns); then the folder is removed.

    The files are at their absolute paths under FOLDER/tree; FOLDER/cwd links to the packing
    machine's working folder in that tree, so that a relative path stays relative (and
    `../` still leads where it led) and an absolute one absolute, once the folder is taken off.
    """
    folder = tempfile.mkdtemp(prefix="progdsl-parcel-")
    tree, here = os.path.join(folder, "tree"), os.path.join(folder, "cwd")
    try:
        for name, content in parcel.files.items():
            target = _under(tree, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as stream:
                stream.write(content)
        cwd = _under(tree, parcel.cwd)
        os.makedirs(cwd, exist_ok=True)
        os.symlink(cwd, here)
        settings = parcel.settings
        overrides = dict(settings.overrides)
        template = overrides.get("template")
        if isinstance(template, str):
            overrides["template"] = _there(template, tree, here)
        settings = replace(
            settings,
            folder=Path(_there(str(settings.folder), tree, here)),
            registries=tuple(_there(r, tree, here) for r in settings.registries),
            overrides=overrides,
        )
        program = _there(parcel.path, tree, here)
        os.makedirs(os.path.dirname(program), exist_ok=True)
        token = UNPACKED_AT.set((here + os.sep, tree))
        try:
            yield program, settings
        finally:
            UNPACKED_AT.reset(token)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _under(tree: str, path: str) -> str:
    return os.path.join(tree, os.path.abspath(path).lstrip(os.sep))


def _there(path: str, tree: str, here: str) -> str:
    """Where a path given on the packing machine is in the unpacked folder."""
    return _under(tree, path) if os.path.isabs(path) else os.path.join(here, path)
