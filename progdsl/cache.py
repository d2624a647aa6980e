"""A small on-disk cache for what every `progdsl check` would otherwise recompute.

Parsing the registry's TOML and scanning installed distributions for entry points
cost more than the rest of a check together. Their results are kept as JSON in
the user's cache folder, each with a fingerprint of what it was made from (file
sizes and modification times); a stale, unreadable or unwritable cache is simply
recomputed. Set PROGDSL_CACHE_DIR to move it, or to an empty string to turn it off.

Each Python environment (virtual environment, or interpreter) keeps its own files: two
environments that shared one would find each other's entries stale on every run, and
scan again each time. Beside its entries each environment leaves `KEY.prefix`, naming its
folder, so that entries of an environment since deleted are removed on the next store.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from .version import __version__

if TYPE_CHECKING:
    from pathlib import Path

T = TypeVar("T")


# Paths here are strings (os.path), not pathlib: every check reads the cache, and pathlib
# (with the urllib.parse and ipaddress it imports) would cost a check more than the read.


def cache_dir() -> str | None:
    configured = os.environ.get("PROGDSL_CACHE_DIR")
    if configured is not None:
        return configured or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "progdsl")


def environment() -> str:
    """A short name for this Python environment: its prefix and its interpreter (`python` and
    `python3` in one virtual environment are the same interpreter, so the same environment).

    Two CRC-32s (of the prefix, and of the interpreter and its version) make 64 bits, plenty
    to tell a machine's environments apart; zlib is loaded already, where hashlib would cost
    a check a few milliseconds to load OpenSSL."""
    import zlib

    def crc(text: str) -> int:
        return zlib.crc32(text.encode("utf-8", "surrogateescape"))

    interpreter = f"{os.path.realpath(sys.executable)}\n{sys.version}"
    return f"{crc(sys.prefix):08x}{crc(interpreter):08x}"


def cache_path(name: str) -> str | None:
    """Where the entry `name` of this environment is kept, or None when caching is off."""
    folder = cache_dir()
    return os.path.join(folder, f"{name}-{environment()}.json") if folder else None


def fingerprint(paths: Iterable[str | os.PathLike]) -> str:
    """What the cached value depends on: progdsl's version and each path's size and mtime."""
    parts = [__version__]
    for path in paths:
        try:
            stat = os.stat(path)
            parts.append(f"{os.fspath(path)}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append(f"{os.fspath(path)}:missing")
    return "\n".join(parts)


def cached(name: str, depends_on: str, compute: Callable[[], T], as_type: Any = Any) -> T:
    """`compute()`'s result, from the cache when `depends_on` still matches. The value is kept
    as JSON: plain data, or records; `as_type` (such as `list[Exercise]`) is what it is read
    back as, built straight from the JSON by msgspec."""
    path = cache_path(name)
    if path is not None:
        try:
            with open(path, "rb") as stream:
                found, value = msgspec.json.decode(stream.read(), type=tuple[str, as_type])
            if found == depends_on:
                return value
        except (OSError, ValueError):  # unreadable, not JSON, or not of the type (msgspec's errors are ValueErrors)
            pass
    value = compute()
    if path is not None:
        _store(path, (depends_on, value))
    return value


def _store(path: str, record: tuple) -> None:
    """Write atomically, so a concurrent check never reads half a file; failures are ignored."""
    from pathlib import Path

    from .output import WriteError, write_atomically

    with contextlib.suppress(OSError, WriteError):
        folder = Path(path).parent
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(Path(path), msgspec.json.encode(record))
        _forget_deleted_environments(folder)
        write_atomically(folder / f"{environment()}.prefix", sys.prefix.encode("utf-8", "surrogateescape"))


def _forget_deleted_environments(folder: Path) -> None:
    """Remove the entries of environments whose folder no longer exists (a removed virtual environment)."""
    for marker in folder.glob("*.prefix"):
        with contextlib.suppress(OSError):
            if not os.path.isdir(marker.read_bytes().decode("utf-8", "surrogateescape")):
                for entry in folder.glob(f"*-{marker.stem}.json"):
                    entry.unlink()
                marker.unlink()
