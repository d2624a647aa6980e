"""An ordered worker pool: run one function over many items in worker processes, and
give the caller back each result in the order of the items.

The pool knows nothing of programs or backends: `progdsl.batch` hands it a function
and the paths. A worker imports what the function needs once, then works item after
item. WeasyPrint's memory grows by about a quarter megabyte per document in a process
that keeps printing, so no worker takes more than RECYCLE_AFTER items: a build of any
size then runs in about the same memory. (benchmarks/README.md shows the
measurements behind the number.)

Workers are not retired with `ProcessPoolExecutor(max_tasks_per_child=...)`: on
Python 3.11 and 3.12 that pool stops starting replacements once a worker retires
with items still queued, and the run hangs (CPython issue gh-115634, fixed in 3.13).
Instead the pool itself is replaced: each pool is handed at most
`jobs * RECYCLE_AFTER` items, then shut down without waiting, and its workers leave
as soon as their last item is done while the next pool takes over. At most `jobs`
items are being worked on at any time.

Workers are forked from a server process that has already imported the modules the
caller names (the `forkserver` start method), so a fresh worker is ready in
milliseconds; where there is no forkserver (Windows), workers are spawned. On Linux
the fork server and the workers die with the process that started them
(`progdsl.orphans`), even when it is killed with SIGKILL.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from .orphans import die_with_parent

Item = TypeVar("Item")
Result = TypeVar("Result")

RECYCLE_AFTER = 25  # items per worker process; see benchmarks/README.md


def _context(preload: Sequence[str]):
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":  # the guard makes the server die with this process
        context.set_forkserver_preload(["progdsl.forkserver_guard", *preload])
    return context


class _Pools:
    """Process pools in turn, each given at most `quota` items."""

    def __init__(self, function: Callable, jobs: int, quota: int, preload: Sequence[str]):
        self.function = function
        self.jobs, self.quota = jobs, quota
        self.context = _context(preload)
        self.current: ProcessPoolExecutor | None = None
        self.left = 0
        self.retired: list[ProcessPoolExecutor] = []

    def submit(self, item) -> Future:
        if self.current is None or self.left == 0:
            self.retire()
            self.current = ProcessPoolExecutor(self.jobs, mp_context=self.context, initializer=die_with_parent)
            self.left = self.quota
        self.left -= 1
        try:
            return self.current.submit(self.function, item)
        except BrokenProcessPool:  # a worker died: the items still queued go to a new pool
            self.retire()
            return self.submit(item)

    def alone(self, item) -> Future:
        """Work on one item in a pool of its own, whose fate is then this item's alone."""
        pool = ProcessPoolExecutor(1, mp_context=self.context, initializer=die_with_parent)
        future = pool.submit(self.function, item)
        pool.shutdown(wait=False)
        self.retired.append(pool)
        return future

    def retire(self) -> None:
        """Let the current pool's workers leave once they are done."""
        if self.current is not None:
            self.current.shutdown(wait=False)
            self.retired.append(self.current)
            self.current = None

    def close(self, cancel: bool) -> None:
        self.retire()
        for pool in self.retired:
            pool.shutdown(wait=True, cancel_futures=cancel)


def map_in_order(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    jobs: int,
    *,
    died: Callable[[Item], Result],
    preload: Sequence[str] = (),
    recycle_after: int = RECYCLE_AFTER,
) -> Iterator[Result]:
    """`function(item)` for every item in `jobs` worker processes, yielded in the order of `items`.

    `function` must be picklable (a module-level function, or a `functools.partial` of
    one); `preload` names the modules a worker should import before its first item.
    When a worker process dies (killed, out of memory, a crash in a C library), every
    item its pool was working on fails with it; each is tried once more in a process
    of its own, so only the item that kills its worker gets `died(item)` as its result.
    """
    pools = _Pools(function, jobs, jobs * recycle_after, preload)
    queued = iter(enumerate(items))
    running: dict[Future, int] = {}
    finished: dict[int, Result] = {}
    retried: set[int] = set()
    next_index = 0
    completed = False
    try:
        while next_index < len(items):
            while len(running) < jobs and (entry := next(queued, None)) is not None:
                running[pools.submit(entry[1])] = entry[0]
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                index = running.pop(future)
                try:
                    finished[index] = future.result()
                except BrokenProcessPool:
                    if index in retried:
                        finished[index] = died(items[index])
                    else:
                        retried.add(index)
                        running[pools.alone(items[index])] = index
            while next_index in finished:
                yield finished.pop(next_index)
                next_index += 1
        completed = True
    finally:
        pools.close(cancel=not completed)
