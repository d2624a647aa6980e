"""How many programs a worker should build before a fresh one replaces it (`progdsl.pool.RECYCLE_AFTER`).

    .venv/bin/python benchmarks/recycle.py [--quick]

A fresh worker pays once for WeasyPrint's import and its first document (fonts, caches);
a worker that lives on holds a little more memory after every document. This prints both,
for a one-page handout (programs/glutes_sore_back.prog) and the 12-week one of
benchmarks/handout.py, then times a batch of one-page handouts with `--jobs 2` and
several recycle counts, with the peak memory of the process tree.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
from pathlib import Path

import inputs
from memory import peak_memory
from timing import PYTHON

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "programs" / "glutes_sore_back.prog"

# One process printing handout after handout, as a worker does: seconds and RSS (MB) after each.
ONE_WORKER = """
import json, sys, time
from pathlib import Path
from progdsl import plugins
from progdsl.batch import compile_program
from progdsl.build_settings import BuildSettings
pdf = plugins.find(plugins.BACKENDS, "pdf")
settings = BuildSettings(Path(sys.argv[1]) / "out")
records = []
for path in sys.argv[2:]:
    started = time.perf_counter()
    compiled = compile_program(path, [pdf], settings)
    assert compiled.name and not hasattr(compiled.outputs[0], "message"), compiled
    rss = int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20
    records.append((time.perf_counter() - started, rss))
print(json.dumps(records))
"""

# A batch through the worker pools with a given recycle count; the parent writes nothing.
BATCH = """
import sys
from pathlib import Path
from progdsl import plugins
from progdsl.batch import compile_programs
from progdsl.build_settings import BuildSettings
pdf = plugins.find(plugins.BACKENDS, "pdf")
paths = sorted(str(p) for p in Path(sys.argv[2]).glob("*.prog"))
for compiled in compile_programs(paths, [pdf], BuildSettings(Path(sys.argv[2]) / "out"), 2, int(sys.argv[1])):
    assert compiled.name, compiled
"""


def one_worker(folder: Path, program: Path, count: int) -> None:
    import json

    paths = [str(p) for p in inputs.handouts(folder, count, program)]
    records = json.loads(
        subprocess.run(
            [PYTHON, "-c", ONE_WORKER, str(folder), *paths], capture_output=True, check=True, text=True
        ).stdout
    )
    seconds = [s for s, _ in records]
    rss = [r for _, r in records]
    steady = statistics.median(seconds[3:])
    warmed = min(5, count - 2)  # caches fill over the first few documents
    growth = (rss[-1] - rss[warmed]) / (count - 1 - warmed)
    print(
        f"| {program.name} | {seconds[0]:.2f} s | {steady:.2f} s | {seconds[0] - steady:.2f} s | "
        f"{rss[warmed]:.0f} → {rss[-1]:.0f} MB | {growth:.3f} MB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer documents: a smoke run")
    quick = parser.parse_args().quick
    small, large, batch = (12, 8, 12) if quick else (120, 40, 100)
    with tempfile.TemporaryDirectory(prefix="progdsl-recycle-") as name:
        folder = Path(name)
        large_program = inputs.write(folder, "large.prog", inputs.HANDOUT)
        print("One process printing handouts one after another:\n")
        print(
            "| program | first document | each after | first's extra | RSS after warm-up → end | growth per document |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        one_worker(folder / "small", EXAMPLE, small)
        one_worker(folder / "large", large_program, large)

        programs = folder / "batch"
        inputs.handouts(programs, batch, EXAMPLE)
        print(f"\n{batch} one-page handouts, `--jobs 2`, by programs per worker:\n")
        print("| recycle after | time | largest process | whole tree (PSS) |")
        print("| ---: | ---: | ---: | ---: |")
        for recycle in (5, 10, 25, 50, batch):
            peak = peak_memory([PYTHON, "-c", BATCH, str(recycle), str(programs)])
            label = f"{recycle} (never)" if recycle == batch else str(recycle)
            print(f"| {label} | {peak.seconds:.1f} s | {peak.largest:.0f} MB | {peak.total:.0f} MB |")


if __name__ == "__main__":
    main()
