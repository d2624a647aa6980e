"""A check runs with Python's cyclic garbage collector paused, and puts it back as it was:
long-lived processes (the language server, watch) must collect between checks."""

from __future__ import annotations

import gc

import pytest
from support import LANGUAGE_EXAMPLE

from progdsl import load_bytes
from progdsl.collector import collector_paused


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


def test_what_a_lasting_pause_made_is_not_left_to_the_young_generation(collector_on):
    """Left young, everything the block made would be walked by the collection that the
    first allocation after it sets off; it goes to the oldest generation instead."""
    with collector_paused(lasting=True):
        kept = [[index] for index in range(20_000)]
        young_collections = gc.get_stats()[0]["collections"]
    assert gc.get_stats()[0]["collections"] == young_collections
    assert gc.get_freeze_count() == 0  # moved, not frozen: a full collection still looks at it
    assert len(kept) == 20_000


def test_what_a_passing_pause_made_is_collected_young(collector_on):
    """A check in a long-lived process: what it dropped in a cycle goes at the next young collection."""
    with collector_paused():
        made = [[index] for index in range(20_000)]
        young_collections = gc.get_stats()[0]["collections"]
    assert gc.get_stats()[0]["collections"] > young_collections
    assert len(made) == 20_000


def test_a_cycle_a_pause_left_behind_is_still_collected(collector_on):
    import weakref

    class Node:
        pass

    with collector_paused(lasting=True):
        node = Node()
        node.itself = node
        gone = weakref.ref(node)
    del node
    assert gone() is not None  # only a cycle holds it
    gc.collect()
    assert gone() is None


def test_the_check_command_runs_with_the_collector_paused_then_puts_it_back(collector_on, tmp_path, monkeypatch):
    """`progdsl check` pauses it for the whole command, its imports and every file included."""
    from click.testing import CliRunner

    from progdsl import cli

    program = tmp_path / "t.prog"
    program.write_text(LANGUAGE_EXAMPLE)
    seen = []
    paths = cli._program_paths

    def spy(given):
        seen.append(gc.isenabled())
        return paths(given)

    monkeypatch.setattr(cli, "_program_paths", spy)
    result = CliRunner().invoke(cli.main, ["check", str(program)])
    assert result.exit_code == 0, result.output
    assert seen == [False]
    assert gc.isenabled()


def test_a_command_reads_its_options_with_the_collector_paused(collector_on, tmp_path, monkeypatch):
    """Option callbacks load modules (the project config's lookup loads the registry's): they
    run in a lasting pause, as the command line's own modules load, and the command runs with
    the collector on."""
    from click.testing import CliRunner

    from progdsl import cli, registry

    program = tmp_path / "t.prog"
    program.write_text(LANGUAGE_EXAMPLE)
    seen = []
    lookup = registry.find_project_config

    def spy(start):
        seen.append(("options", gc.isenabled()))
        return lookup(start)

    monkeypatch.setattr(registry, "find_project_config", spy)
    monkeypatch.setattr(cli, "_check_output_name", lambda name: seen.append(("body", gc.isenabled())))
    args = ["build", str(program), "--to", "json", "-o", str(tmp_path / "out"), "--name", "t"]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    assert seen[:1] == [("options", False)] and ("body", True) in seen
    assert gc.isenabled()


def test_the_command_line_loads_with_the_collector_paused_and_runs_with_it_on():
    """The `progdsl` script (`__main__.run`) loads the command line without a collection,
    and long-running commands still collect: the collector is on when a command starts."""
    import subprocess
    import sys

    code = (
        "import gc, sys\n"
        "runs = []\n"
        "def loading():  # progdsl.cli and what it imports are loading: its last function is not yet defined\n"
        "    return 'progdsl.cli' in sys.modules and not hasattr(sys.modules['progdsl.cli'], 'schema')\n"
        "gc.callbacks.append(lambda phase, info: runs.append(phase) if phase == 'start' and loading() else None)\n"
        "sys.argv = ['progdsl', '--version']\n"
        "import progdsl.__main__ as entry\n"
        "try:\n"
        "    entry.run()\n"
        "except SystemExit:\n"
        "    print(len(runs), gc.isenabled())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    collections, enabled = result.stdout.split()[-2:]
    assert collections == "0" and enabled == "True"


def test_importing_progdsl_loads_no_typing_before_the_collector_is_paused():
    """`import progdsl` comes before the script can pause the collector, so it stays small."""
    import subprocess
    import sys

    code = "import sys, progdsl.__main__; print('typing' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_script_leaves_the_last_collection_almost_nothing_to_walk(tmp_path):
    """After a check, every object the command made is out of the collector's reach, so the
    interpreter's last collection on the way out does not walk them all again."""
    import subprocess
    import sys

    program = tmp_path / "t.prog"
    program.write_text(LANGUAGE_EXAMPLE)
    code = (
        "import gc, sys\n"
        f"sys.argv = ['progdsl', 'check', {str(program)!r}]\n"
        "import progdsl.__main__ as entry\n"
        "try:\n"
        "    entry.run()\n"
        "except SystemExit:\n"
        "    print(len(gc.get_objects()), gc.get_freeze_count())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    walked, frozen = map(int, result.stdout.split()[-2:])
    assert frozen > 10_000 and walked < 100, (walked, frozen)
