"""progdsl's speed, as ratios against floors measured in the same run.

    .venv/bin/python benchmarks/run.py            # the full run, about a quarter of an hour
    .venv/bin/python benchmarks/run.py --quick    # a smoke run of every figure, about two minutes

Prints a Markdown table (figure, measured, floor, ratio, goal, met?), then the batch's peak
memory at two batch sizes and the PDF build with and without HarfBuzz's font subsetter.
Each time is the median of several runs, the subject and its floor taking turns; a ratio
comes with its spread, the least and the greatest ratio of one turn's two runs. The
programs are generated into a temporary folder. benchmarks/README.md explains each figure.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import inputs
from ics_floor import same_calendar
from memory import peak_memory
from timing import PYTHON, Timings, fitted_exponent, interleaved, process, progdsl_command

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "programs" / "glutes_sore_back.prog"

# WeasyPrint falls back to fontTools when it finds no HarfBuzz subsetter; these children run
# `progdsl` with the subsetter as found, or switched off exactly as if it were missing.
_PROGDSL = "from progdsl.cli import main; main(sys.argv[1:], prog_name='progdsl')"
WITH_SUBSETTER = f"import sys, weasyprint.pdf.fonts as fonts; {_PROGDSL}"
WITHOUT_SUBSETTER = f"import sys, weasyprint.pdf.fonts as fonts; fonts.harfbuzz_subset = None; {_PROGDSL}"


@dataclass(frozen=True)
class Effort:
    """How much to measure: runs per figure and batch sizes."""

    light: int  # runs of figures that take under a second
    heavy: int  # runs of figures that take seconds
    batch_runs: int
    batch: int  # handouts in the --jobs figure
    memory_batches: tuple[int, int]


FULL = Effort(light=11, heavy=5, batch_runs=3, batch=100, memory_batches=(50, 200))
QUICK = Effort(light=3, heavy=1, batch_runs=1, batch=10, memory_batches=(10, 40))


@dataclass(frozen=True)
class Row:
    figure: str
    measured: str
    floor: str
    ratio: float
    goal: str
    met: bool
    spread: tuple[float, float] | None = None  # the least and greatest ratio of one turn's runs


def _seconds(value: float) -> str:
    return f"{value:.3f} s"


def _ratio_row(
    figure: str, subject: float, floor: float, ceiling: float, spread: tuple[float, float] | None = None
) -> Row:
    ratio = subject / floor
    return Row(figure, _seconds(subject), _seconds(floor), ratio, f"≤ {ceiling}", ratio <= ceiling, spread)


def _paired_row(figure: str, times: Timings, subject, floor, ceiling: float) -> Row:
    """A row for `subject` against `floor`, with the spread of their paired runs."""
    _, least, greatest = times.ratio(subject, floor)
    return _ratio_row(figure, times[subject], times[floor], ceiling, (least, greatest))


def check_start_up(effort: Effort) -> Row:
    times = interleaved(
        {
            "floor": process([PYTHON, "-c", "import click, lark"]),
            "check": process([*progdsl_command(), "check", str(EXAMPLE)]),
        },
        effort.light,
    )
    return _paired_row(f"`progdsl check {EXAMPLE.name}`, whole process", times, "check", "floor", 1.2)


def long_check(effort: Effort) -> Row:
    from progdsl import load_bytes
    from progdsl.parser import lark_parser

    text = inputs.long_program()
    data = text.encode()
    parser = lark_parser()  # the grammar is loaded before timing starts
    times = interleaved(
        {
            "parse": lambda: parser.parse(text),
            "check": lambda: load_bytes(data, "long.prog"),
        },
        effort.heavy,
    )
    lines = text.count("\n")
    return _paired_row(f"check of a {lines:,}-line program vs Lark's parse", times, "check", "parse", 1.3)


def language_server_recheck(effort: Effort) -> Row:
    """What the language server does after an edit (`lsp.publish`, without the protocol):
    `assist.check` of the document's new text. The text alternates between two versions,
    as an edit that changes one dose and one that changes it back."""
    from progdsl.assist import check
    from progdsl.parser import lark_parser

    text = inputs.long_program(200)
    versions = [text, text.replace("walking 20min\n", "walking 25min\n", 1)]
    assert versions[0] != versions[1]
    parser = lark_parser()
    turns = {"parse": 0, "check": 0}
    repeats = 20  # one re-check takes milliseconds: time twenty in a row

    def parse() -> None:
        for _ in range(repeats):
            turns["parse"] += 1
            parser.parse(versions[turns["parse"] % 2])

    def recheck() -> None:
        for _ in range(repeats):
            turns["check"] += 1
            result, _registry = check(versions[turns["check"] % 2], "/clinic/edited.prog")
            assert result.ok, result.errors

    times = interleaved({"parse": parse, "check": recheck}, effort.light)
    lines = text.count("\n")
    return _ratio_row(
        f"language server's re-check of a {lines}-line program after an edit vs Lark's parse",
        times["check"] / repeats,
        times["parse"] / repeats,
        2.0,
        times.ratio("check", "parse")[1:],
    )


def pdf_build(folder: Path, effort: Effort) -> Row:
    program = inputs.write(folder, "handout.prog", inputs.HANDOUT)
    process([*progdsl_command(), "build", str(program), "--to", "html", "-o", str(folder)])()
    html = folder / "handout.html"
    # The same document progdsl writes: every handout is a tagged PDF, for screen readers
    # (issue 14), and tagging costs WeasyPrint several per cent more (about 7% for this
    # handout); an untagged floor would time a lesser job.
    write_pdf = "import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2], pdf_tags=True)"
    times = interleaved(
        {
            "weasyprint": process([PYTHON, "-c", write_pdf, str(html), str(folder / "alone.pdf")]),
            "build": process([*progdsl_command(), "build", str(program), "--to", "pdf", "-o", str(folder / "pdf")]),
        },
        effort.heavy,
    )
    return _paired_row("`progdsl build --to pdf` (12-week handout), whole process", times, "build", "weasyprint", 1.1)


def batch_speed_up(folder: Path, effort: Effort) -> Row:
    programs = folder / "batch"
    inputs.handouts(programs, effort.batch, EXAMPLE)

    def build(jobs: int):
        return process(
            [
                *progdsl_command(),
                "build",
                str(programs),
                "--to",
                "pdf",
                "-o",
                str(folder / f"out{jobs}"),
                "--jobs",
                str(jobs),
            ]
        )

    times = interleaved({"one": build(1), "two": build(2)}, effort.batch_runs, warm_up=False)
    speed_up, least, greatest = times.ratio("one", "two")
    return Row(
        f"{effort.batch} handouts, `--jobs 2` vs `--jobs 1`",
        _seconds(times["two"]),
        _seconds(times["one"]),
        speed_up,
        "speed-up ≥ 1.8",
        speed_up >= 1.8,
        (least, greatest),
    )


def year_outputs(folder: Path, effort: Effort) -> list[Row]:
    """`--to json` against `progdsl check`, and `--to ics` against `progdsl check` followed by
    icalendar writing the same calendar (`ics_floor.py`). Each build writes a new file: the
    one before is removed first, so that no build reads it back as the file it replaces."""
    program = inputs.write(folder, "year.prog", inputs.year_daily())
    progdsl = progdsl_command()
    out = folder / "year"

    def build(backend: str):
        run = process([*progdsl, "build", str(program), "--to", backend, "-o", str(out)])

        def fresh() -> None:
            (out / f"year.{backend}").unlink(missing_ok=True)
            run()

        return fresh

    check = process([*progdsl, "check", str(program)])
    times = interleaved({"check": check, "build": build("json")}, effort.light)
    rows = [_paired_row("`--to json`, 52 weeks of daily sessions, vs `progdsl check`", times, "build", "check", 1.2)]

    build("ics")()
    recipe, floor_out = folder / "year-ics.pickle", folder / "year-floor.ics"
    here = Path(__file__).resolve().parent / "ics_floor.py"
    process([PYTHON, str(here), "recipe", str(out / "year.ics"), str(recipe)])()
    floor = process([PYTHON, str(here), "run", str(program), str(recipe), str(floor_out)])
    times = interleaved({"floor": floor, "build": build("ics")}, effort.light)
    same_calendar((out / "year.ics").read_bytes(), floor_out.read_bytes())
    rows.append(
        _paired_row(
            "`--to ics`, 52 weeks of daily sessions, vs `progdsl check` plus icalendar writing its calendar",
            times,
            "build",
            "floor",
            1.2,
        )
    )
    return rows


def phase_scaling(effort: Effort) -> tuple[Row, dict[int, float]]:
    from progdsl import loads
    from progdsl.plan import build_plan

    sizes = [1, 10, 100, 1000]
    texts = {size: inputs.phased(size) for size in sizes}

    def check_and_plan(size: int) -> None:
        result = loads(texts[size], f"phases_{size}.prog")
        assert result.ok, result.errors
        build_plan(result.program)

    times = interleaved({size: (lambda size=size: check_and_plan(size)) for size in sizes}, effort.heavy)
    exponent = fitted_exponent(sizes, [times[size] for size in sizes])
    row = Row(
        "check and plan, 1 → 1000 phases: fitted exponent",
        f"{exponent:.2f}",
        "—",
        exponent,
        "linear (≤ 1.1)",
        exponent <= 1.1,
    )
    return row, times


def print_table(rows: list[Row]) -> None:
    print("| figure | measured | floor | ratio | goal | met? |")
    print("| --- | ---: | ---: | ---: | --- | --- |")
    for row in rows:
        ratio = f"{row.ratio:.2f}" + (f" (spread {row.spread[0]:.2f}–{row.spread[1]:.2f})" if row.spread else "")
        print(
            f"| {row.figure} | {row.measured} | {row.floor} | {ratio} | {row.goal} | {'yes' if row.met else '**no**'} |"
        )


def print_memory(folder: Path, effort: Effort) -> None:
    print("\nBatch memory, `--to pdf --jobs 2` (peak while running; PSS counts shared pages once):\n")
    print("| handouts | time | largest process | whole process tree | processes |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for count in effort.memory_batches:
        programs = folder / f"memory_{count}"
        inputs.handouts(programs, count, EXAMPLE)
        peak = peak_memory(
            [*progdsl_command(), "build", str(programs), "--to", "pdf", "-o", str(programs / "out"), "--jobs", "2"]
        )
        print(
            f"| {count} | {peak.seconds:.1f} s | {peak.largest:.0f} MB RSS | {peak.total:.0f} MB PSS | "
            f"{peak.processes} |"
        )


def print_subsetter(folder: Path, effort: Effort) -> None:
    program = inputs.write(folder, "handout.prog", inputs.HANDOUT)
    args = ["build", str(program), "--to", "pdf", "-o", str(folder / "subset")]
    times = interleaved(
        {
            "with": process([PYTHON, "-c", WITH_SUBSETTER, *args]),
            "without": process([PYTHON, "-c", WITHOUT_SUBSETTER, *args]),
        },
        effort.heavy,
    )
    print("\n`progdsl build --to pdf` (12-week handout), whole process, by how WeasyPrint subsets fonts:\n")
    print("| font subsetting | time | ratio |")
    print("| --- | ---: | ---: |")
    print(f"| HarfBuzz (`libharfbuzz-subset0`) | {_seconds(times['with'])} | 1.00 |")
    print(
        f"| fontTools (the library missing) | {_seconds(times['without'])} | {times['without'] / times['with']:.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and smaller batches: a smoke run")
    effort = QUICK if parser.parse_args().quick else FULL
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="progdsl-benchmarks-") as name:
        folder = Path(name)
        scaling, phase_times = phase_scaling(effort)
        rows = [
            check_start_up(effort),
            long_check(effort),
            language_server_recheck(effort),
            pdf_build(folder, effort),
            batch_speed_up(folder, effort),
            *year_outputs(folder, effort),
            scaling,
        ]
        print_table(rows)
        print("\nCheck and plan by phases: " + ", ".join(f"{size}: {_seconds(t)}" for size, t in phase_times.items()))
        print_memory(folder, effort)
        print_subsetter(folder, effort)
    print(
        f"\n{'Quick' if effort is QUICK else 'Full'} run: medians of {effort.light} (under a second) or {effort.heavy} "
        f"runs, {effort.batch_runs} for the batch; Python {sys.version.split()[0]}; "
        f"{time.perf_counter() - started:.0f} s in all."
    )


if __name__ == "__main__":
    main()
