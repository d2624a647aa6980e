"""A backend that hangs, crashes its process or exits costs only its own output for that
program: each render runs in a forked child with a time limit (`--backend-timeout`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import LANGUAGE_EXAMPLE, PROGRAMS, install_backends

from progdsl import pool
from progdsl.batch import BACKEND_TIMEOUT, BuildSettings, compile_program
from progdsl.cli import main

pytestmark = pytest.mark.skipif(not pool.isolation_available(), reason="renders in a child only where fork exists")

FAKES = {
    "crash": ("fake_backends:Crash", "acme-backends"),
    "exits": ("fake_backends:Exits", "acme-backends"),
    "hangs": ("fake_backends:Hangs", "acme-backends"),
    "hard_exit": ("fake_backends:HardExit", "acme-backends"),
    "json": ("progdsl.backends.json:JsonBackend", "acme-backends"),
    "pid": ("fake_backends:Pid", "acme-backends"),
    "segfault": ("fake_backends:Segfault", "acme-backends"),
}


@pytest.fixture
def fakes(monkeypatch):
    return install_backends(monkeypatch, FAKES)


@pytest.fixture
def batch(tmp_path) -> Path:
    """Three programs; the second one's title makes the `crash` backend kill its process."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "01_glutes.prog").write_text(LANGUAGE_EXAMPLE)
    (folder / "02_crash.prog").write_text(LANGUAGE_EXAMPLE.replace("Glutes for a sore back", "Crash"))
    (folder / "03_knee.prog").write_text(LANGUAGE_EXAMPLE.replace("Glutes for a sore back", "Knee"))
    return folder


def build(*args: str):
    return CliRunner().invoke(main, ["build", *args])


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_hanging_crashing_and_exiting_backends_cost_only_their_own_outputs(fakes, batch, tmp_path, jobs):
    out = tmp_path / "out"
    names = ["hangs", "crash", "exits", "hard_exit", "segfault", "json"]
    to = [arg for name in names for arg in ("--to", name)]
    started = time.monotonic()
    result = build(str(batch), *to, "-o", str(out), "--jobs", jobs, "--backend-timeout", "0.5")
    assert time.monotonic() - started < 60
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    programs = sorted(batch.iterdir())
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(
        [f"{p.stem}.json" for p in programs] + [f"{p.stem}.crash" for p in programs if p.stem != "02_crash"]
    )  # every other output, and nothing half-written (no temporary file either)
    for program in programs:
        assert f"{program}: backend 'hangs' was stopped after 0.5 s without finishing" in result.stderr
        assert f"{program}: backend 'exits' failed: SystemExit: 3" in result.stderr
        assert f"{program}: backend 'hard_exit' failed: its process exited with status 5" in result.stderr
        assert f"{program}: backend 'segfault' failed: its process was killed by SIGSEGV" in result.stderr
    assert f"{batch / '02_crash.prog'}: backend 'crash' failed: its process was killed by SIGKILL" in result.stderr
    assert result.stderr.count("backend 'crash'") == 1
    assert result.stderr.rstrip().endswith("5 written, 13 failed, 0 backend(s) unavailable, 0 file(s) with errors")


def test_each_backend_renders_in_a_child_process_unless_the_limit_is_zero(fakes, batch, tmp_path):
    assert build(str(batch / "01_glutes.prog"), "--to", "pid", "-o", str(tmp_path / "a")).exit_code == 0
    assert int((tmp_path / "a" / "01_glutes.pid").read_bytes()) != os.getpid()
    result = build(str(batch / "01_glutes.prog"), "--to", "pid", "-o", str(tmp_path / "b"), "--backend-timeout", "0")
    assert result.exit_code == 0
    assert int((tmp_path / "b" / "01_glutes.pid").read_bytes()) == os.getpid()


def test_the_default_limit_applies_when_none_is_given(fakes, batch, tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr("progdsl.batch.compile_program", lambda path, backends, settings: seen.append(settings))
    build(str(batch / "01_glutes.prog"), "--to", "json", "-o", str(tmp_path / "out"))
    assert [settings.backend_timeout for settings in seen] == [BACKEND_TIMEOUT] == [120]


@pytest.mark.parametrize("value", ["-1", "soon"])
def test_the_limit_is_a_number_of_seconds(batch, tmp_path, value):
    result = build(str(batch), "--to", "json", "-o", str(tmp_path / "out"), "--backend-timeout", value)
    assert result.exit_code == 2
    assert "Invalid value for '--backend-timeout'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_help_documents_the_limit_and_its_default():
    help = CliRunner().invoke(main, ["build", "--help"]).output
    assert "--backend-timeout SECONDS" in help and "[default: 120" in " ".join(help.split())


def test_the_same_bytes_in_a_child_as_in_this_process(tmp_path):
    """The built-in backends give identical files either way."""
    path = str(PROGRAMS / "glutes_sore_back.prog")
    backends = [plugin for plugin in __import__("progdsl").plugins.discover("progdsl.backends") if plugin.name != "pdf"]
    here = compile_program(path, backends, BuildSettings(tmp_path, backend_timeout=None))
    child = compile_program(path, backends, BuildSettings(tmp_path))
    assert [(o.backend, o.data) for o in child.outputs] == [(o.backend, o.data) for o in here.outputs]  # type: ignore[union-attr]
    assert len(here.outputs) == 3


# ---- pool.call_in_child ---------------------------------------------------------------


def test_a_child_returns_bytes_or_the_message_of_what_it_raised():
    assert pool.call_in_child(lambda: b"x" * 300_000, 30) == b"x" * 300_000  # more than a pipe holds

    def fails() -> bytes:
        raise ValueError("nope")

    with pytest.raises(pool.Raised, match="^nope$"):
        pool.call_in_child(fails, 30)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").exists() and Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] == "Z"


def test_a_child_past_its_limit_is_killed_with_what_it_started(tmp_path):
    marker = tmp_path / "grandchild"

    def hangs() -> bytes:
        sleeper = subprocess.Popen(["sleep", "60"])
        marker.write_text(str(sleeper.pid))
        time.sleep(60)
        return b""

    started = time.monotonic()
    with pytest.raises(pool.TimedOut):
        pool.call_in_child(hangs, 1)
    assert time.monotonic() - started < 10
    grandchild = int(marker.read_text())
    deadline = time.monotonic() + 5
    while not _gone(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(grandchild)


def test_a_child_that_dies_is_reported_by_how_it_ended():
    with pytest.raises(pool.Stopped, match="killed by SIGTERM"):
        pool.call_in_child(lambda: os.kill(os.getpid(), signal.SIGTERM) or b"", 30)
    with pytest.raises(pool.Stopped, match="ended without returning anything"):
        pool.call_in_child(lambda: os._exit(0), 30)

    def base() -> bytes:
        raise SystemExit(4)

    with pytest.raises(pool.Stopped, match="exited with status 70"):
        pool.call_in_child(base, 30)


def test_a_hanging_backend_run_from_a_terminal_stops_with_ctrl_c(tmp_path):
    """Ctrl-C during a render stops the build, and its rendering child with it."""
    script = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from progdsl import pool\n"
        "from fake_backends import Hangs\n"
        "print('ready', flush=True)\n"
        "pool.call_in_child(lambda: Hangs().render(None, None), 60)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stdout.readline() == b"ready\n"
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=10)
    assert b"KeyboardInterrupt" in stderr
