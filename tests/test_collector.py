"""A check runs with Python's cyclic garbage collector paused, and puts it back as it was:
long-lived processes (the language server, watch) must collect between checks."""

from __future__ import annotations

import gc

import pytest
from support import LANGUAGE_EXAMPLE

from progdsl import load_bytes
from progdsl.parser import collector_paused


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_off_during_a_check_and_on_after_it(collector_on):
    seen = []

    def adjust(program):
        seen.append(gc.isenabled())
        return program

    result = load_bytes(LANGUAGE_EXAMPLE.encode(), "example.prog", adjust=adjust)
    assert result.ok and seen == [False]
    assert gc.isenabled()


def test_the_collector_is_back_on_after_a_check_that_fails(collector_on):
    def adjust(program):
        raise RuntimeError("a bug in a stage")

    with pytest.raises(RuntimeError):
        load_bytes(LANGUAGE_EXAMPLE.encode(), "example.prog", adjust=adjust)
    assert gc.isenabled()


def test_the_collector_is_back_on_after_a_program_with_errors(collector_on):
    assert not load_bytes(b'program "T"\nphase :\n', "bad.prog").ok
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off(collector_on):
    gc.disable()
    load_bytes(LANGUAGE_EXAMPLE.encode(), "example.prog")
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_pauses_nest(collector_on):
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
