"""benchmarks/reliability.py, the README's reliability figure, still runs: a small part of it here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from progdsl import pool

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import reliability

pytestmark = pytest.mark.skipif(not pool.isolation_available(), reason="the script renders in a helper process")


def test_the_same_seed_gives_the_same_inputs_of_every_kind():
    made = reliability.inputs(20, seed=17)
    assert made == reliability.inputs(20, seed=17) != reliability.inputs(20, seed=18)
    assert len(made) == 20 and len(set(made)) > 15


def test_fuzzed_inputs_are_counted_and_none_fails():
    tally, outcomes = reliability.fuzz_in_process(reliability.inputs(30, seed=17), limit=60)
    assert tally.tried == 30 == outcomes["built"] + outcomes["refused"]
    assert tally.faults == 0, tally.notes


def test_an_input_that_breaks_the_compiler_would_be_counted(monkeypatch):
    monkeypatch.setattr(reliability, "compile_in_helper", _broken)
    tally, _ = reliability.fuzz_in_process([b"x"], limit=60)
    assert (tally.tracebacks, tally.faults) == (1, 1)


def _broken(data: bytes) -> bytes:
    raise ValueError("a bug")
