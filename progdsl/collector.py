"""Python's cyclic garbage collector paused while a check runs, or while modules load
(functions, classes, click's options: thousands of objects that live as long as the
process), and spared its last walk when the command ends. Imported by the command line
before anything else, so it imports nothing itself.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(lasting: bool = False) -> Iterator[None]:
    """Python's cyclic garbage collector off for the length of the block, then as it was.

    A check makes hundreds of thousands of small objects that all live until it ends; the
    collector would walk them again and again and find nothing to free (the AST and the
    bound program hold no cycles). Collection resumes when the block ends, even on an
    error, so long-lived processes (the language server, watch) collect between checks.
    Blocks may nest.

    `lasting` says that what the block makes lives on: the command line's modules, or a
    `check` command's results, kept until its process ends. As the collector resumes, all
    of it is moved to the oldest generation (`gc.freeze`, then `gc.unfreeze`, which puts
    the frozen objects there) instead of being walked, a tenth of a short check's time, by
    the collection that the first allocation after the block would set off. That unfreezes
    whatever was frozen before; progdsl freezes only as a process ends or forks
    (`spare_the_last_collection`, `pool.Helper`).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if lasting:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def spare_the_last_collection() -> None:
    """Move every object there is now out of the collector's reach (`gc.freeze`), just
    before the process ends.

    On its way out Python runs one last full collection, which walks every object the
    command made (the registry, the parse tables, the program) only to find them alive
    until the very end: about a sixth of a check's time. Modules are still torn down and
    every object freed as usual; only cycles made before this call are left for the
    process's end to reclaim. progdsl closes each file it writes, atomically, before this
    point, so no output waits for that collection."""
    gc.freeze()
