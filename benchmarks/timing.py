"""Timing helpers: whole processes, interleaved runs, medians and spreads, and a log-log fit."""

from __future__ import annotations

import math
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

PYTHON = sys.executable


class Timings(dict):
    """Each action's median time (`timings[name]`), and every run's in `runs`, turn by turn."""

    def __init__(self, runs: dict[object, list[float]]):
        super().__init__({name: statistics.median(found) for name, found in runs.items()})
        self.runs = runs

    def ratio(self, subject, floor) -> tuple[float, float, float]:
        """The ratio of the medians, and the least and the greatest ratio of one turn's runs."""
        paired = [mine / theirs for mine, theirs in zip(self.runs[subject], self.runs[floor], strict=True)]
        return self[subject] / self[floor], min(paired), max(paired)


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


def interleaved(actions: dict, runs: int, warm_up: bool = True) -> Timings:
    """Each action's time in each of `runs` turns, after a warm-up turn unless the actions
    take minutes; the actions take turns (floor, subject, floor, subject …), so that a slow
    spell of the machine falls on all of them alike, and a turn's runs can be paired."""
    if warm_up:
        for action in actions.values():
            action()
    times: dict[object, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - started)
    return Timings(times)


def fitted_exponent(sizes: list[float], seconds: list[float]) -> float:
    """k in time ≈ c·size^k: the least-squares slope of log(time) against log(size)."""
    xs = [math.log(size) for size in sizes]
    ys = [math.log(time) for time in seconds]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)
