"""The ordered pool's interface on a Dask cluster: one function over many items on the
cluster's workers, each result given back in the order of the items.

Like `progdsl.pool`, it knows nothing of programs. Dask (`pip install 'progdsl[dask]'`)
is imported only when a pool is opened. Items are handed out through
`Client.get_executor()`, a few per worker thread at a time, so a batch of any size
keeps the scheduler's memory small. When a worker dies, Dask itself runs its items
again on another worker; an item whose workers keep dying (Dask's
`distributed.scheduler.allowed-failures`, 3 by default) gets `died(item)` as its result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

AHEAD = 2  # items handed to the cluster per worker thread, so that none waits for the next


class DaskMissing(Exception):
    """Dask is not installed here; the message says how to install it."""


class DaskPool:
    """A Dask cluster: the scheduler at `address`, or a cluster started on this machine
    (`workers` processes of one thread each) when the address is None."""

    travels = True  # items reach machines that do not share this one's files

    def __init__(self, address: str | None = None, workers: int | None = None):
        try:
            import distributed
        except ImportError as exc:
            raise DaskMissing(
                "Dask is not installed: install it with `pip install 'progdsl[dask]'` (or `pip install 'dask[distributed]'`)"
            ) from exc
        import dask

        self._cluster: Any = None
        if address is None:
            # A worker holds only the item it works on, so a worker that dies counts against that item alone.
            with dask.config.set({"distributed.scheduler.worker-saturation": 1.0}):
                self._cluster = distributed.LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
            address = self._cluster.scheduler_address
        self.scheduler: str = address
        self.client: Any = distributed.Client(address, set_as_default=False)

    def threads(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def map_in_order(
        self, function: Callable[[Item], Result], items: Sequence[Item], *, died: Callable[[Item], Result]
    ) -> Iterator[Result]:
        """`function(item)` for every item on the cluster, yielded in the order of `items`."""
        from distributed import KilledWorker

        executor = self.client.get_executor(pure=False)
        queued = iter(enumerate(items))
        running: dict[Future, int] = {}
        finished: dict[int, Result] = {}
        next_index = 0
        try:
            while next_index < len(items):
                wanted = self.threads() * AHEAD  # asked each round: workers may join or leave
                while len(running) < wanted and (entry := next(queued, None)) is not None:
                    running[executor.submit(function, entry[1])] = entry[0]
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    index = running.pop(future)
                    try:
                        finished[index] = future.result()
                    except KilledWorker:
                        finished[index] = died(items[index])
                while next_index in finished:
                    yield finished.pop(next_index)
                    next_index += 1
        finally:
            for future in running:
                future.cancel()

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()
