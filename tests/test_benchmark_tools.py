"""benchmarks/timing.py's paired runs and benchmarks/ics_floor.py's calendar: the tools behind run.py's figures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import LANGUAGE_EXAMPLE

from progdsl.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import ics_floor
import timing


def test_interleaved_keeps_every_run_in_turns_and_pairs_them(monkeypatch):
    clock = [0.0]
    order = []
    monkeypatch.setattr(timing.time, "perf_counter", lambda: clock[0])

    def takes(name: str, seconds: list[float]):
        left = iter(seconds)

        def action() -> None:
            order.append(name)
            clock[0] += next(left)

        return action

    times = timing.interleaved(
        {"floor": takes("floor", [8.0, 1.0, 1.0, 2.0]), "subject": takes("subject", [8.0, 1.5, 1.25, 2.0])}, 3
    )  # times a binary fraction holds exactly
    assert order == ["floor", "subject"] * 4  # the warm-up turn, then three turns
    assert times.runs == {"floor": [1.0, 1.0, 2.0], "subject": [1.5, 1.25, 2.0]}
    assert times["floor"] == 1.0 and times["subject"] == 1.5  # medians, as before
    assert times.ratio("subject", "floor") == (1.5, 1.0, 1.5)


def test_the_calendar_floor_writes_progdsl_calendar_byte_for_byte(tmp_path):
    program = tmp_path / "glutes.prog"
    program.write_text(LANGUAGE_EXAMPLE, encoding="utf-8")
    outcome = CliRunner().invoke(main, ["build", str(program), "--to", "ics", "-o", str(tmp_path)])
    assert outcome.exit_code == 0, outcome.output
    ics_floor.write_recipe(tmp_path / "glutes.ics", tmp_path / "recipe.pickle")
    ics_floor.run(str(program), str(tmp_path / "recipe.pickle"), str(tmp_path / "floor.ics"))
    written = (tmp_path / "glutes.ics").read_bytes()
    ics_floor.same_calendar(written, (tmp_path / "floor.ics").read_bytes())
    with pytest.raises(SystemExit, match="not progdsl's calendar"):
        ics_floor.same_calendar(written, written.replace(b"BEGIN:VALARM\r\n", b"", 1))
