"""The memory of a process and everything it starts, sampled from /proc while it runs (Linux)."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

INTERVAL = 0.05  # seconds between samples


@dataclass(frozen=True)
class Peak:
    """The most a process tree held at one moment, in MB.

    `largest` is the resident size of the biggest single process (a worker); `total`
    adds up the proportional set size (PSS) of every process in the tree, so pages
    that forked workers share with their server are counted once, not once per worker.
    """

    seconds: float
    largest: float
    total: float
    processes: int  # the most processes alive at one sample


def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            found.setdefault(parent, []).append(int(entry.name))
    return found


def _tree(root: int) -> list[int]:
    children, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _sizes(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of one process in MB; zeros when it has just gone."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss"):
                values[key] = int(rest.split()[0]) / 1024
    except (OSError, ValueError):
        pass
    return values.get("Rss", 0.0), values.get("Pss", 0.0)


def peak_memory(argv: list[str]) -> Peak:
    """Run a command to the end and report the peak memory of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    largest = total = 0.0
    most = 0
    while process.poll() is None:
        pids = [pid for pid in _tree(process.pid) if pid != os.getpid()]
        sizes = [_sizes(pid) for pid in pids]
        largest = max([largest, *(rss for rss, _ in sizes)])
        total = max(total, sum(pss for _, pss in sizes))
        most = max(most, len(pids))
        time.sleep(INTERVAL)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {process.returncode}")
    return Peak(time.perf_counter() - started, largest, total, most)
