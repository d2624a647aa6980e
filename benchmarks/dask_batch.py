"""Handouts per core-hour: a batch of one-page handouts built with `--jobs 1`, and on a
2-worker Dask cluster started on this machine (`--executor dask --scheduler ADDRESS`).

    .venv/bin/python benchmarks/dask_batch.py            # 20 handouts, --to pdf
    .venv/bin/python benchmarks/dask_batch.py --count 40

The cluster is started once, before the timing, as a clinic network's cluster would be
running already; the time it took to start is printed on its own. A handout per core-hour
figure is handouts × 3600 / (seconds × cores): 1 core for `--jobs 1`, 2 for the cluster.
Each build is timed once, after one warm-up build of the same batch (docs/batch.md quotes
the figures). Needs Dask: `pip install 'progdsl[dask]'`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from inputs import handouts
from timing import progdsl_command

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "programs" / "glutes_sore_back.prog"


def timed(argv: list[str]) -> float:
    started = time.perf_counter()
    finished = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if finished.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {finished.returncode}:\n{finished.stderr.decode()[-2000:]}")
    return time.perf_counter() - started


def per_core_hour(count: int, seconds: float, cores: int) -> float:
    return count * 3600 / (seconds * cores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20, help="handouts in the batch (default 20)")
    parser.add_argument("--to", default="pdf", help="backend to build with (default pdf)")
    args = parser.parse_args()

    from progdsl.dask_pool import DaskPool

    folder = Path(tempfile.mkdtemp(prefix="progdsl-dask-bench-"))
    try:
        programs = handouts(folder / "programs", args.count, PROGRAM)
        build = [*progdsl_command(), "build", *map(str, programs), "--to", args.to]
        started = time.perf_counter()
        pool = DaskPool(None, 2)
        startup = time.perf_counter() - started
        try:
            runs = {
                "--jobs 1": ([*build, "-o", str(folder / "one"), "--jobs", "1"], 1),
                "dask, 2 workers": (
                    [*build, "-o", str(folder / "dask"), "--executor", "dask", "--scheduler", pool.scheduler],
                    2,
                ),
            }
            print(f"{args.count} handouts, --to {args.to}; the 2-worker cluster took {startup:.1f} s to start")
            for name, (argv, cores) in runs.items():
                timed(argv)  # warm-up: imports, font caches, the workers' first imports
                seconds = timed(argv)
                rate = per_core_hour(args.count, seconds, cores)
                print(
                    f"{name:>16}: {seconds:6.1f} s, {args.count / seconds:5.2f} handouts/s, {rate:,.0f} per core-hour"
                )
        finally:
            pool.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
