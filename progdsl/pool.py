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
import gc
import os
import select
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from .orphans import die_with_parent

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

# `multiprocessing` and `concurrent.futures` (about 15 ms to import) are imported by the
# functions that start worker processes: a build of one program renders in a `Helper`
# and needs neither.

Item = TypeVar("Item")
Result = TypeVar("Result")

RECYCLE_AFTER = 25  # items per worker process; see benchmarks/README.md


def _context(preload: Sequence[str]):
    import multiprocessing

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
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

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
        from concurrent.futures import ProcessPoolExecutor

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
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

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


# ---- calls in a helper process, each with a time limit -----------------------------


class Stopped(Exception):
    """A `Helper` call gave no result: its process ended without one, or ran out of time
    (`TimedOut`). The message says which, for a person."""


class TimedOut(Stopped):
    """A `Helper` call was still running when its time was up."""


class Raised(Exception):
    """A `Helper` call raised an Exception; the message is its message."""


def isolation_available() -> bool:
    """Whether a `Helper` can run here: it forks, which Windows cannot."""
    return hasattr(os, "fork")


class Helper:
    """A forked copy of this process that makes calls for it, one at a time, each stopped
    from outside when it runs past its time limit.

    A call is a function of no arguments that returns bytes. The helper is forked from this
    process when the first call comes, so it has everything imported here already, that call
    included: a first call (a render's whole plan) is never pickled. Later calls reach it
    pickled, so they must be picklable (a `functools.partial` of a module-level function).
    The helper keeps what its calls import and cache, so the next call starts warm. A call
    that raises an Exception comes back as `Raised`. When a call runs past its limit, the
    helper is killed with its process group (whatever it started); when the helper dies
    during a call (a crash in a C library, `os._exit`, a signal, a BaseException), the call
    fails with `Stopped`, saying how it ended. Either way the next call gets a fresh helper.
    A helper is also replaced after `recycle_after` calls, as pool workers are, and it dies
    with this process (`progdsl.orphans`) or when this process closes the pipe to it. Ctrl-C
    stops it as it stops this process.
    """

    def __init__(self, recycle_after: int = RECYCLE_AFTER * 4):
        self.recycle_after = recycle_after
        self.pid: int | None = None
        self.calls = 0
        self.to_helper = self.from_helper = -1

    def call(self, function: Callable[[], bytes], limit: float) -> bytes:
        fresh = self.pid is None or self.calls >= self.recycle_after
        job = None if fresh else _pickled(function)
        if fresh:  # forked with the call in its memory: nothing to pickle
            self.close()
            self._start(function)
        self.calls += 1
        deadline = time.monotonic() + limit
        try:
            if job is not None:
                _send(self.to_helper, job)
            reply = _receive(self.from_helper, deadline)
        except OSError:  # the helper had already gone: EPIPE
            reply = None
        except BaseException:  # TimedOut, or Ctrl-C here: the helper and what it started go too
            self.close(kill=True)
            raise
        if reply is None:  # it died during the call
            raise Stopped(_ending(self.close(kill=True)))
        if reply[:1] == b"X":
            raise Raised(reply[1:].decode("utf-8", "replace"))
        return reply[1:]

    def _start(self, first: Callable[[], bytes]) -> None:
        jobs_read, jobs_write = os.pipe()
        replies_read, replies_write = os.pipe()
        gc.freeze()  # the helper's collections leave what it shares with this process untouched
        try:
            pid = os.fork()
        except BaseException:
            gc.unfreeze()
            raise
        if pid == 0:  # the helper: never returns into the caller's code
            status = 70
            try:
                os.close(jobs_write)
                os.close(replies_read)
                status = _serve(first, jobs_read, replies_write)
            finally:
                os._exit(status)
        gc.unfreeze()
        os.close(jobs_read)
        os.close(replies_write)
        self.pid, self.calls = pid, 0
        self.to_helper, self.from_helper = jobs_write, replies_read

    def close(self, kill: bool = False) -> int:
        """Let the helper go (it leaves when the pipe to it closes), or kill it; its wait status."""
        if self.pid is None:
            return 0
        pid, self.pid = self.pid, None
        for handle in (self.to_helper, self.from_helper):
            with contextlib.suppress(OSError):
                os.close(handle)
        if kill:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        try:
            return os.waitpid(pid, 0)[1]
        except ChildProcessError:
            return 0


def _pickled(function: Callable[[], bytes]) -> bytes:
    import pickle

    try:
        return pickle.dumps(function)
    except Exception as exc:  # a bug: something in the call that pickle cannot carry
        raise Stopped(f"it could not be sent to its process ({type(exc).__name__}: {exc})") from exc


def _serve(first: Callable[[], bytes], jobs: int, replies: int) -> int:
    """The helper's loop: its first call, then each call from the pipe, its result out,
    until the pipe of calls closes."""
    os.setpgid(0, 0)  # its own group, so that whatever it starts is killed with it
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    die_with_parent()
    _fresh_streams()
    _send(replies, _outcome(first))
    while (job := _receive(jobs, None)) is not None:
        _send(replies, _outcome(_unpickled, job))
    return 0


def _unpickled(job: bytes) -> bytes:
    import pickle

    return pickle.loads(job)()


def _outcome(call: Callable[..., bytes], *args: object) -> bytes:
    """A call's reply: R and its bytes, or X and the message of the Exception it raised."""
    try:
        return b"R" + call(*args)
    except Exception as exc:
        return b"X" + str(exc).encode("utf-8", "replace")


def _fresh_streams() -> None:
    """New sys.stdout and sys.stderr on the same file descriptors. Another thread of the
    parent (a progress bar redrawing itself) may have held the old ones' locks when it
    forked; no thread is left here to release them, and a call that printed would wait for ever."""
    for name, handle in (("stdout", 1), ("stderr", 2)):
        old = getattr(sys, name)
        try:
            stream = open(handle, "w", encoding=getattr(old, "encoding", None), closefd=False)  # noqa: SIM115 - for ever
        except (OSError, ValueError, TypeError):
            continue
        stream.reconfigure(line_buffering=True, errors=getattr(old, "errors", None) or "backslashreplace")
        setattr(sys, name, stream)


def _send(handle: int, payload: bytes) -> None:
    view = memoryview(len(payload).to_bytes(8, "big") + payload)
    while view:
        view = view[os.write(handle, view) :]


def _receive(handle: int, deadline: float | None) -> bytes | None:
    """One message from the pipe, or None when the other end closed it first; TimedOut at the deadline."""
    poller = select.poll()
    poller.register(handle, select.POLLIN)
    wanted, chunks, header = 8, [], True
    while True:
        while wanted:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimedOut("it did not finish in time")
                if not poller.poll(left * 1000):
                    continue
            chunk = os.read(handle, min(wanted, 1 << 20))
            if not chunk:
                return None
            chunks.append(chunk)
            wanted -= len(chunk)
        data = b"".join(chunks)
        if not header:
            return data
        wanted, chunks, header = int.from_bytes(data, "big"), [], False
        if wanted == 0:
            return b""


def _ending(status: int) -> str:
    """How a helper ended during a call, in words."""
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
