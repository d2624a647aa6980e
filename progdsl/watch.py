"""`progdsl watch`: after files change on disk, which programs to build again.

A saved program is built again alone. A change to anything a program may read
besides itself (a clinic registry or project config `.toml`, an included `.prog`, a
clients `.csv`) builds every watched program again. Outputs are never watched, so
writing them cannot start another build.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from threading import Event

WATCHED_SUFFIXES = (".prog", ".toml", ".csv")
DEBOUNCE_MS = 300  # an editor's save can be several writes; wait for the last
READY_MS = 100  # how soon the watcher reports that it is running


def to_rebuild(programs: list[str], changed: Iterable[str]) -> list[str]:
    """The programs to build again after `changed` files changed, in the order given."""
    changed_paths = {Path(path).resolve() for path in changed}
    watched = {Path(program).resolve(): program for program in programs}
    if changed_paths - watched.keys():
        return list(programs)
    return [program for path, program in watched.items() if path in changed_paths]


def _relevant(_change: object, path: str) -> bool:
    return path.endswith(WATCHED_SUFFIXES) and not Path(path).name.startswith(".")


def changes(programs: list[str], stop: Event | None = None) -> Iterator[list[str]]:
    """First an empty list, as soon as the folders are being watched (so that nothing saved
    after it is missed); then, each time files change, the programs to build again. Ends
    when `stop` is set; Ctrl-C raises KeyboardInterrupt, for the caller to stop cleanly."""
    import watchfiles

    folders = sorted({str(Path(program).resolve().parent) for program in programs})
    ready = False
    for batch in watchfiles.watch(
        *folders,
        watch_filter=_relevant,
        debounce=DEBOUNCE_MS,
        stop_event=stop,
        rust_timeout=READY_MS,
        yield_on_timeout=True,
    ):
        again = to_rebuild(programs, (path for _, path in batch))
        if again or not ready:
            ready = True
            yield again
