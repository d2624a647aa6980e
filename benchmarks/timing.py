"""Timing helpers: whole processes, interleaved runs, medians, and a log-log fit."""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from handout import median_seconds

PYTHON = sys.executable


def progdsl_command() -> list[str]:
    """The installed `progdsl` script next to this Python, as users run it, else `python -m progdsl`."""
    script = Path(PYTHON).with_name("progdsl")
    return [str(script)] if script.exists() else [PYTHON, "-m", "progdsl"]


def process(argv: list[str]) -> Callable[[], None]:
    """An action that runs a whole process and insists that it succeeds."""

    def run() -> None:
        finished = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if finished.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} exited {finished.returncode}:\n{finished.stderr.decode()[-2000:]}")

    return run


def interleaved(actions: dict, runs: int, warm_up: bool = True) -> dict:
    """Each action's median time over `runs` turns, after a warm-up turn unless the actions
    take minutes; the actions take turns (floor, subject, floor, subject …), so that a slow
    spell of the machine falls on all of them alike."""
    if warm_up:
        for action in actions.values():
            action()
    return median_seconds(actions, runs)


def fitted_exponent(sizes: list[float], seconds: list[float]) -> float:
    """k in time ≈ c·size^k: the least-squares slope of log(time) against log(size)."""
    xs = [math.log(size) for size in sizes]
    ys = [math.log(time) for time in seconds]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)
