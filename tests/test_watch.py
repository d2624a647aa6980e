"""`progdsl watch`: builds on start, again on save, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from progdsl.watch import to_rebuild

PROGRAM = """\
program "Clams"
equipment mat
phase "Activate" 2w:
  session daily:
    clam_shell 3x12 each side
"""


def test_a_saved_program_is_built_again_alone(tmp_path):
    a, b = str(tmp_path / "a.prog"), str(tmp_path / "b.prog")
    assert to_rebuild([a, b], [b]) == [b]


def test_a_registry_or_included_file_builds_every_program_again(tmp_path):
    a, b = str(tmp_path / "a.prog"), str(tmp_path / "b.prog")
    assert to_rebuild([a, b], [str(tmp_path / "clinic.toml")]) == [a, b]
    assert to_rebuild([a, b], [str(tmp_path / "protocol.prog")]) == [a, b]


def _wait_for(stream, text: str, seconds: float = 60) -> list[str]:
    seen = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = stream.readline()
        seen.append(line)
        if text in line:
            return seen
    raise AssertionError(f"{text!r} never came; saw {seen}")


def test_watch_rebuilds_on_save_and_stops_on_ctrl_c(tmp_path):
    program = tmp_path / "clams.prog"
    program.write_text(PROGRAM, encoding="utf-8")
    out = tmp_path / "out"
    watcher = subprocess.Popen(
        [sys.executable, "-m", "progdsl", "watch", str(program), "--to", "json", "-o", str(out)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        assert watcher.stderr is not None
        _wait_for(watcher.stderr, "press Ctrl-C to stop")
        first = (out / "clams.json").read_bytes()
        program.write_text(PROGRAM.replace("3x12", "3x15").replace("clam_shell", "clam_shel"), encoding="utf-8")
        seen = _wait_for(watcher.stderr, "not built, it has errors")
        assert any("E201" in line for line in seen)
        program.write_text(PROGRAM.replace("3x12", "3x15"), encoding="utf-8")
        _wait_for(watcher.stderr, "changed: building 1 program(s) again")
        deadline = time.monotonic() + 60
        while (out / "clams.json").read_bytes() == first and time.monotonic() < deadline:
            time.sleep(0.1)
        assert b"15" in (out / "clams.json").read_bytes()
        watcher.send_signal(signal.SIGINT)
        _, rest = watcher.communicate(timeout=30)
        assert watcher.returncode == 0
        assert "stopped watching" in rest
        assert "Traceback" not in rest
    finally:
        if watcher.poll() is None:
            watcher.kill()
