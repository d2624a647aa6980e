"""Processes that die with their parent: the pool's fork server and workers must not
outlive a `progdsl build` that is killed (SIGKILL, SIGTERM, out of memory).

On Linux the kernel does it: `prctl(PR_SET_PDEATHSIG, SIGKILL)` asks for SIGKILL when
the parent dies. The pool's fork server imports `progdsl.forkserver_guard` (it is in
the server's preload list), which calls `die_with_parent`, so it dies with `progdsl`; each worker calls `die_with_parent` as it
starts, so it dies with the fork server. Elsewhere this does nothing.
"""

from __future__ import annotations

import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux; a no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request: nobody will send the signal
        os.kill(os.getpid(), signal.SIGKILL)
