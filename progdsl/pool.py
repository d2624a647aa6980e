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

import contextlib
import multiprocessing
import os
import select
import signal
import time
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


# ---- one call in a child process of its own, with a time limit ----------------------


class Stopped(Exception):
    """`call_in_child`'s function did not give its result: it ran out of time, or its
    process ended without one. The message says which, for a person."""


class TimedOut(Stopped):
    """`call_in_child`'s function was still running when its time was up."""


class Raised(Exception):
    """`call_in_child`'s function raised an Exception; the message is its message."""


def isolation_available() -> bool:
    """Whether `call_in_child` can run here: it forks, which Windows cannot."""
    return hasattr(os, "fork")


def call_in_child(function: Callable[[], bytes], limit: float) -> bytes:
    """`function()` in a forked copy of this process, stopped from outside after `limit` seconds.

    The child inherits everything this process has imported and built, so it starts in
    a millisecond or two and nothing is sent to it. It sends back the bytes `function`
    returns, or the message of the Exception it raises (raised here as `Raised`). A child
    that runs past the limit is killed with its process group; one that ends without
    sending its result (a crash in a C library, `os._exit`, a signal, a BaseException)
    is reported as `Stopped`; one stopped at the limit, as `TimedOut`. The child dies with this process
    (`progdsl.orphans`), and Ctrl-C stops it as it stops this process.
    """
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        status = 70
        try:
            os.close(reader)
            os.setpgid(0, 0)  # its own group, so that whatever it starts is killed with it
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            die_with_parent()
            try:
                message = b"R" + function()
            except Exception as exc:
                message = b"X" + str(exc).encode("utf-8", "replace")
            with os.fdopen(writer, "wb") as stream:
                stream.write(message)
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    deadline = time.monotonic() + limit
    reaped = False
    try:
        data = _read_until(reader, deadline)
        status = _reap(pid, deadline)
        reaped = True
    finally:
        os.close(reader)
        if not reaped:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
    if status != 0 or not data:
        raise Stopped(_ending(status))
    if data[:1] == b"X":
        raise Raised(data[1:].decode("utf-8", "replace"))
    return data[1:]


def _read_until(reader: int, deadline: float) -> bytes:
    """Everything the child writes to the pipe, until it closes it; Stopped at the deadline."""
    poller = select.poll()
    poller.register(reader, select.POLLIN)
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimedOut("it did not finish in time")
        if not poller.poll(left * 1000):
            continue
        chunk = os.read(reader, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _reap(pid: int, deadline: float) -> int:
    """The child's wait status once it has ended; Stopped when it is still running at the deadline."""
    pause = 0.0005
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.monotonic() >= deadline:
            raise TimedOut("it did not finish in time")
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def _ending(status: int) -> str:
    """How a child ended without a result, in words."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return f"its process was killed by {name}"
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) != 0:
        return f"its process exited with status {os.WEXITSTATUS(status)} before returning"
    return "its process ended without returning anything"
