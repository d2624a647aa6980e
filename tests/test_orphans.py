"""A killed `progdsl build --jobs 2` leaves no fork server or worker behind (Linux)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import LANGUAGE_EXAMPLE

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")

TESTS = Path(__file__).resolve().parent

# `progdsl build` with the fake backends installed, in a process of its own.
BUILD = """
import sys
sys.path.insert(0, {tests!r})
from progdsl import plugins
found = (plugins.Plugin(plugins.BACKENDS, "hangs", "fake_backends:Hangs", "acme-backends", "1.0"),)
plugins.discover = lambda group: found if group == plugins.BACKENDS else ()
from progdsl.cli import main
main(sys.argv[1:])
"""


def _stat(pid: int) -> tuple[int, str, str] | None:
    """(parent pid, state, start time) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0], fields[19]


def descendants(root: int) -> dict[int, str]:
    """Every process below `root`, with its start time (so a reused pid is not mistaken for it)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            table[int(entry.name)] = stat
    found, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _, started) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = started
                frontier.append(pid)
    return found


def alive(pid: int, started: str) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[2] == started and stat[1] != "Z"


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_and_the_fork_server_die_with_a_killed_build(tmp_path, sig, jobs):
    """With --jobs 2: the fork server and workers, and the processes rendering in them;
    with --jobs 1, the process rendering the hanging backend."""
    folder = tmp_path / "programs"
    folder.mkdir()
    for n in range(4):
        (folder / f"p{n}.prog").write_text(LANGUAGE_EXAMPLE)
    build = subprocess.Popen(
        [
            sys.executable,
            "-c",
            BUILD.format(tests=str(TESTS)),
            "build",
            str(folder),
            "--to",
            "hangs",
            "-o",
            str(tmp_path / "out"),
            "--jobs",
            jobs,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 30
        least = 4 if jobs == "2" else 1  # tracker, server, 2 workers; or the rendering child
        while len(children := descendants(build.pid)) < least and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(children) >= least, children
        time.sleep(0.5)  # the workers are rendering
        build.send_signal(sig)
        build.wait(timeout=10)
        deadline = time.monotonic() + 5
        while (
            left := [pid for pid, started in children.items() if alive(pid, started)]
        ) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert left == []
    finally:
        if build.poll() is None:
            build.kill()
        for pid, started in children.items():  # after a failure, tidy up what this test started
            if alive(pid, started):
                os.kill(pid, signal.SIGKILL)
