"""A backend that hangs, crashes its process or exits costs only its own output for that
program: each render runs in a forked child with a time limit (`--backend-timeout`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import LANGUAGE_EXAMPLE, PROGRAMS, install_backends

from progdsl import pool
from progdsl.batch import compile_program
from progdsl.build_settings import BACKEND_TIMEOUT, BuildSettings
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
    "unguarded_pid": ("fake_backends:UnguardedPid", "acme-backends"),
}


@pytest.fixture
def fakes(monkeypatch):
    from progdsl.rules import catalog

    catalog()  # cached for the process: made while discovery still sees the real rule packs
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


def test_a_backend_that_needs_no_guard_renders_in_this_process(fakes, batch, tmp_path):
    out = tmp_path / "out"
    result = build(str(batch / "01_glutes.prog"), "--to", "unguarded_pid", "--to", "pid", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert int((out / "01_glutes.unguarded").read_bytes()) == os.getpid()
    assert int((out / "01_glutes.pid").read_bytes()) != os.getpid()


def test_only_the_json_and_calendar_backends_go_unguarded():
    from progdsl import plugins
    from progdsl.backends import guarded
    from progdsl.batch import backend_for

    unguarded = {plugin.name for plugin in plugins.discover(plugins.BACKENDS) if not guarded(backend_for(plugin))}
    assert unguarded == {"json", "ics"}


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
    backends = [
        plugin
        for plugin in __import__("progdsl").plugins.discover("progdsl.backends")
        if plugin.name not in ("pdf", "summary")
    ]  # both print with WeasyPrint: slow
    here = compile_program(path, backends, BuildSettings(tmp_path, backend_timeout=None))
    child = compile_program(path, backends, BuildSettings(tmp_path))
    assert [(o.backend, o.data) for o in child.outputs] == [(o.backend, o.data) for o in here.outputs]  # type: ignore[union-attr]
    assert len(here.outputs) == 3


# ---- pool.Helper -------------------------------------------------------------------


def _big() -> bytes:
    return b"x" * 300_000  # more than a pipe holds


def _fails() -> bytes:
    raise ValueError("nope")


def _hangs(marker: Path) -> bytes:
    sleeper = subprocess.Popen(["sleep", "60"])
    marker.write_text(str(sleeper.pid))
    time.sleep(60)
    return b""


def _signal(number: int) -> bytes:
    os.kill(os.getpid(), number)
    return b""


def _exits(base: bool) -> bytes:
    if base:
        raise SystemExit(4)
    os._exit(0)


def _remember(value: bytes) -> bytes:
    """What the helper's earlier calls left in its memory, then this one's value."""
    before = os.environ.get("PROGDSL_TEST_MEMORY", "").encode()
    os.environ["PROGDSL_TEST_MEMORY"] = value.decode()
    return before + b"|" + str(os.getpid()).encode()


@pytest.fixture
def helper():
    made = pool.Helper()
    yield made
    made.close(kill=True)


def test_a_helper_returns_bytes_or_the_message_of_what_it_raised(helper):
    assert helper.call(_big, 30) == _big()
    with pytest.raises(pool.Raised, match="^nope$"):
        helper.call(_fails, 30)


def test_a_helper_keeps_what_its_calls_built_and_is_replaced_after_its_share():
    helper = pool.Helper(recycle_after=2)
    try:
        first, second, third = (helper.call(partial(_remember, value), 30) for value in (b"a", b"b", b"c"))
    finally:
        helper.close()
    assert first.split(b"|")[0] == b"" and second.split(b"|")[0] == b"a"  # the same process, warm
    assert first.split(b"|")[1] == second.split(b"|")[1] != str(os.getpid()).encode()
    assert third.split(b"|")[0] == b"" and third.split(b"|")[1] != first.split(b"|")[1]  # a fresh one


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").exists() and Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] == "Z"


def test_a_call_past_its_limit_is_killed_with_what_it_started_and_the_next_call_works(helper, tmp_path):
    marker = tmp_path / "grandchild"
    started = time.monotonic()
    with pytest.raises(pool.TimedOut):
        helper.call(partial(_hangs, marker), 1)
    assert time.monotonic() - started < 10
    grandchild = int(marker.read_text())
    deadline = time.monotonic() + 5
    while not _gone(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(grandchild)
    assert helper.call(_big, 30) == _big()


def test_a_helper_that_dies_is_reported_by_how_it_ended(helper):
    with pytest.raises(pool.Stopped, match="killed by SIGTERM"):
        helper.call(partial(_signal, signal.SIGTERM), 30)
    with pytest.raises(pool.Stopped, match="ended without returning anything"):
        helper.call(partial(_exits, False), 30)
    with pytest.raises(pool.Stopped, match="exited with status 70"):
        helper.call(partial(_exits, True), 30)
    assert helper.call(_big, 30) == _big()


def test_ctrl_c_stops_a_hanging_call_and_its_helper(tmp_path):
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from functools import partial\n"
        "from pathlib import Path\n"
        "from progdsl import pool\n"
        "from test_backend_isolation import _hangs\n"
        "print('ready', flush=True)\n"
        f"pool.Helper().call(partial(_hangs, Path({str(tmp_path / 'grandchild')!r})), 60)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stdout.readline() == b"ready\n"
    deadline = time.monotonic() + 20
    while not (tmp_path / "grandchild").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=10)
    assert b"KeyboardInterrupt" in stderr
    grandchild = int((tmp_path / "grandchild").read_text())
    deadline = time.monotonic() + 5
    while not _gone(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(grandchild)


def _prints() -> bytes:
    print("printed by the helper")
    return b"printed"


def test_a_call_that_prints_does_not_wait_for_a_lock_held_when_the_helper_was_forked(helper, monkeypatch):
    """A progress bar's thread may hold standard output's lock at the moment of the fork."""
    import io
    import threading

    held = threading.Lock()
    held.acquire()

    class Locked(io.TextIOBase):
        encoding = "utf-8"

        def write(self, text: str) -> int:
            with held:
                return len(text)

    monkeypatch.setattr(sys, "stdout", Locked())
    assert helper.call(_prints, 10) == b"printed"


def test_every_example_plan_reaches_the_helper_whole(tmp_path):
    """The helper gets each plan pickled: a plan that could not be pickled would fail every render."""
    import pickle

    from progdsl.compiler import load, plan_of

    for path in sorted(PROGRAMS.glob("*.prog")):
        plan, result = plan_of(load(path), None)
        assert plan is not None, result.diagnostics
        assert pickle.loads(pickle.dumps(plan)) == plan


class _Unpicklable:
    def __reduce__(self):
        raise TypeError("not to be pickled")

    def __call__(self) -> bytes:
        return b"from memory"


def test_a_fresh_helper_gets_its_first_call_by_the_fork_not_pickled(helper):
    assert helper.call(_Unpicklable(), 10) == b"from memory"


def _frozen() -> bytes:
    import gc

    return str(gc.get_freeze_count()).encode()


def test_a_fresh_helper_leaves_what_it_shares_with_its_parent_to_no_collection(helper):
    """Its collections would otherwise touch, and so copy, every page it shares with the build."""
    import gc

    before = gc.get_freeze_count()
    assert int(helper.call(_frozen, 30)) > before + 10_000
    assert gc.get_freeze_count() == before  # the parent collects as before


def test_a_later_call_that_cannot_be_pickled_is_stopped_not_raised(helper):
    assert helper.call(_big, 30) == _big()
    with pytest.raises(pool.Stopped, match="could not be sent to its process"):
        helper.call(lambda: b"", 10)
    assert helper.call(_big, 30) == _big()
