"""Compile programs in worker processes, and give the parent back each program in
the order given.

A worker imports progdsl once and each backend the first time it uses it, then
compiles program after program. WeasyPrint's memory grows by about a quarter
megabyte per document in a process that keeps printing, so no worker compiles
more than RECYCLE_AFTER programs: a build of any size then runs in about the same
memory. (benchmarks/README.md shows the measurements behind the number.)

Workers are not retired with `ProcessPoolExecutor(max_tasks_per_child=...)`: on
Python 3.11 and 3.12 that pool stops starting replacements once a worker retires
with programs still queued, and the build hangs (CPython issue gh-115634, fixed
in 3.13). Instead the pool itself is replaced: each pool is handed at most
`jobs * RECYCLE_AFTER` programs, then shut down without waiting, and its workers
leave as soon as their last program is done while the next pool takes over.
At most `jobs` programs are being compiled at any time.

Workers are forked from a server process that has already imported progdsl
(the `forkserver` start method), so a fresh worker is ready in milliseconds;
where there is no forkserver (Windows), workers are spawned.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Iterator, Sequence

from . import plugins
from .batch import BuildSettings, Compiled, Failed, compile_program

RECYCLE_AFTER = 25  # programs per worker process; see benchmarks/README.md


def _context():
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["progdsl.batch"])
    return context


class _Pools:
    """Process pools in turn, each given at most `quota` programs."""

    def __init__(self, jobs: int, quota: int):
        self.jobs, self.quota = jobs, quota
        self.context = _context()
        self.current: ProcessPoolExecutor | None = None
        self.left = 0
        self.retired: list[ProcessPoolExecutor] = []

    def submit(self, *args) -> Future:
        if self.current is None or self.left == 0:
            self.retire()
            self.current = ProcessPoolExecutor(self.jobs, mp_context=self.context)
            self.left = self.quota
        self.left -= 1
        try:
            return self.current.submit(compile_program, *args)
        except BrokenProcessPool:  # a worker died: the programs still queued go to a new pool
            self.retire()
            return self.submit(*args)

    def alone(self, *args) -> Future:
        """Compile in a pool of its own, whose fate is then this program's alone."""
        pool = ProcessPoolExecutor(1, mp_context=self.context)
        future = pool.submit(compile_program, *args)
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


def compile_in_workers(paths: Sequence[str], backends: Sequence[plugins.Plugin], settings: BuildSettings,
                       jobs: int, recycle_after: int = RECYCLE_AFTER) -> Iterator[Compiled]:
    """`compile_program` for every path in `jobs` worker processes, yielded in the order of `paths`.

    When a worker process dies (killed, out of memory, a crash in a C library), every
    program its pool was compiling fails with it; each is tried once more in a process
    of its own, so only the program that kills its worker is reported.
    """
    pools = _Pools(jobs, jobs * recycle_after)
    queued = iter(enumerate(paths))
    running: dict[Future, int] = {}
    finished: dict[int, Compiled] = {}
    retried: set[int] = set()
    next_index = 0
    completed = False
    try:
        while next_index < len(paths):
            while len(running) < jobs and (item := next(queued, None)) is not None:
                running[pools.submit(item[1], backends, settings)] = item[0]
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                index = running.pop(future)
                try:
                    finished[index] = future.result()
                except BrokenProcessPool:
                    if index in retried:
                        finished[index] = _died(paths[index])
                    else:
                        retried.add(index)
                        running[pools.alone(paths[index], backends, settings)] = index
            while next_index in finished:
                yield finished.pop(next_index)
                next_index += 1
        completed = True
    finally:
        pools.close(cancel=not completed)


def _died(path: str) -> Compiled:
    message = "not built: the process building it stopped unexpectedly, twice (out of memory, or killed)"
    return Compiled(path, Failed(path, None, message))
