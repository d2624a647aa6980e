"""Batch builds: `progdsl build --jobs N` in worker processes gives what one process gives."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import LANGUAGE_EXAMPLE, PROGRAMS, install_backends

from progdsl import plugins
from progdsl.batch import compile_programs
from progdsl.build_settings import BuildSettings
from progdsl.cli import main

BAD = 'program "Bad"\nstart 2026-12-07\nphase "A" 1w daily:\n  clamshel 3x12\n'


@pytest.fixture
def fakes(monkeypatch) -> tuple[plugins.Plugin, ...]:
    """Discovery sees the real JSON backend and fakes from tests/fake_backends.py."""
    return install_backends(
        monkeypatch,
        {
            "base": ("fake_backends:Base", "acme-backends"),
            "crash": ("fake_backends:Crash", "acme-backends"),
            "exits": ("fake_backends:Exits", "acme-backends"),
            "json": ("progdsl.backends.json:JsonBackend", "acme-backends"),
            "pid": ("fake_backends:Pid", "acme-backends"),
            "raises": ("fake_backends:Raises", "acme-backends"),
        },
    )


@pytest.fixture
def batch(tmp_path) -> Path:
    """Every example program and the language reference's, under names that sort in a known order."""
    folder = tmp_path / "batch"
    folder.mkdir()
    for number, program in enumerate(sorted(PROGRAMS.glob("*.prog")), start=1):
        shutil.copy(program, folder / f"{number:02}_{program.name}")
    (folder / "06_language.prog").write_text(LANGUAGE_EXAMPLE)
    return folder


def build(*args: str):
    return CliRunner().invoke(main, ["build", *args])


def outputs(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.parametrize("backends", [("json", "ics", "html"), ("pdf",)], ids=["json-ics-html", "pdf"])
def test_two_workers_write_the_same_bytes_and_lines_as_one_process(batch, tmp_path, backends):
    if backends == ("pdf",):  # one small PDF case: two programs
        for extra in sorted(batch.iterdir())[2:]:
            extra.unlink()
    to = [arg for name in backends for arg in ("--to", name)]
    alone = build(str(batch), *to, "-o", str(tmp_path / "one"), "--jobs", "1")
    parallel = build(str(batch), *to, "-o", str(tmp_path / "two"), "--jobs", "2")
    assert alone.exit_code == parallel.exit_code == 0, parallel.output
    assert outputs(tmp_path / "two") == outputs(tmp_path / "one")
    assert len(outputs(tmp_path / "one")) == len(list(batch.iterdir())) * len(backends)
    assert parallel.stdout == alone.stdout.replace(str(tmp_path / "one"), str(tmp_path / "two"))  # input order
    assert parallel.stderr == alone.stderr


def test_one_bad_program_among_good_ones(batch, tmp_path):
    (batch / "03_bad.prog").write_text(BAD)
    out = tmp_path / "out"
    result = build(str(batch), "--to", "json", "-o", str(out), "--jobs", "2")
    assert result.exit_code == 1
    good = sorted(p.stem for p in batch.iterdir() if p.name != "03_bad.prog")
    assert sorted(outputs(out)) == [f"{stem}.json" for stem in good]
    assert "03_bad.prog:4:3: E201 error: unknown exercise `clamshel`" in result.stderr
    assert "03_bad.prog: not built, it has errors" in result.stderr
    assert result.stderr.rstrip().endswith(
        f"{len(good)} written, 0 failed, 0 backend(s) unavailable, 1 file(s) with errors"
    )


def test_a_backend_that_raises_in_a_worker_is_reported_by_name_and_the_rest_completes(fakes, batch, tmp_path):
    out = tmp_path / "out"
    result = build(str(batch), "--to", "raises", "--to", "json", "-o", str(out), "--jobs", "2")
    programs = sorted(batch.iterdir())
    assert result.exit_code == 1
    assert sorted(outputs(out)) == [f"{p.stem}.json" for p in programs]
    for program in programs:
        assert f"{program}: backend 'raises' failed: ValueError: boom (at fake_backends.py:" in result.stderr
    assert f"{len(programs)} written, {len(programs)} failed" in result.stderr
    assert "Traceback" not in result.output


def test_a_worker_that_dies_fails_only_its_own_program(fakes, batch, tmp_path):
    """Without a backend time limit backends render in the worker itself, so a crash kills it."""
    (batch / "02_crash.prog").write_text(LANGUAGE_EXAMPLE.replace("Glutes for a sore back", "Crash"))
    out = tmp_path / "out"
    result = build(str(batch), "--to", "crash", "-o", str(out), "--jobs", "2", "--backend-timeout", "0")
    assert result.exit_code == 1
    others = sorted(p.stem for p in batch.iterdir() if p.name != "02_crash.prog")
    assert sorted(outputs(out)) == [f"{stem}.crash" for stem in others]
    assert "02_crash.prog: not built: the process building it stopped unexpectedly, twice" in result.stderr
    assert result.stderr.count("stopped unexpectedly") == 1


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_whole_number_above_zero(batch, tmp_path, jobs):
    result = build(str(batch), "--to", "json", "-o", str(tmp_path / "out"), "--jobs", jobs)
    assert result.exit_code == 2
    assert "Invalid value for '-j' / '--jobs'" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_workers_are_replaced_after_their_share_and_the_batch_still_finishes(fakes, batch, tmp_path):
    """Python 3.11's max_tasks_per_child hangs here (gh-115634); replacing whole pools does not."""
    paths = [str(p) for p in sorted(batch.iterdir())] * 3  # 18 programs
    pid = next(plugin for plugin in fakes if plugin.name == "pid")
    settings = BuildSettings(tmp_path, backend_timeout=None)  # render in the worker, to see its pid
    compiled = list(compile_programs(paths, [pid], settings, jobs=2, recycle_after=2))
    assert [program.path for program in compiled] == paths
    per_process = Counter(int(program.outputs[0].data) for program in compiled)
    assert max(per_process.values()) <= 2 * 2  # no process outlives its pool's share
    assert len(per_process) >= len(paths) // 4
    assert os.getpid() not in per_process


def test_on_a_terminal_a_summary_follows_the_build(batch, tmp_path):
    """Standard error on a terminal (a pseudo-terminal here): progress bar, then the summary;
    standard output, piped, still gets one `wrote` line per file."""
    (batch / "03_bad.prog").write_text(BAD)
    leader, follower = pty.openpty()
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "progdsl", "build", str(batch), "--to", "json", "-o", str(out), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
    )
    os.close(follower)
    terminal = b""
    while chunk := _read(leader):
        terminal += chunk
    stdout, _ = process.communicate(timeout=60)
    os.close(leader)
    shown = terminal.decode()
    assert process.returncode == 1
    good = len(list(PROGRAMS.glob("*.prog"))) + 1  # the examples and the language reference's
    assert stdout.decode().count("wrote ") == good
    assert "building" in shown  # the bar
    assert f"{good} of {good + 1} program(s) built, 1 failed, " in shown and f"; {good} file(s) written" in shown
    assert "E201" in shown


def test_a_build_with_standard_error_piped_does_not_import_rich(tmp_path):
    """rich draws the progress bar; a build whose standard error is not a terminal has none."""
    code = (
        "import sys\n"
        "from progdsl.cli import main\n"
        "try:\n"
        f"    main(['build', {str(PROGRAMS / 'glutes_sore_back.prog')!r}, '--to', 'json', '-o', {str(tmp_path)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('rich' in sys.modules, file=sys.__stdout__)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().endswith("False"), result.stderr
    assert (tmp_path / "glutes_sore_back.json").exists()


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # the other end closed: Linux raises EIO
        return b""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_backend_raising_system_exit_or_a_base_exception_costs_only_its_own_output(fakes, batch, tmp_path, jobs):
    """SystemExit used to end the build with status 3 and nothing written; a BaseException, with a traceback."""
    out = tmp_path / "out"
    result = build(str(batch), "--to", "exits", "--to", "base", "--to", "json", "-o", str(out), "--jobs", jobs)
    assert result.exit_code == 1, result.output
    assert result.exception is None or (isinstance(result.exception, SystemExit) and result.exception.code == 1)
    build(str(batch), "--to", "json", "-o", str(tmp_path / "json_only"), "--jobs", jobs)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in (tmp_path / "json_only").iterdir())
    assert "backend 'exits' failed: SystemExit: 3" in result.stderr
    assert "backend 'base' failed: PluginAbort: gave up" in result.stderr


def _count_plans(monkeypatch) -> list:
    """Every call of `build_plan`, wherever progdsl calls it from."""
    import progdsl.compiler
    import progdsl.plan

    calls: list = []
    original = progdsl.plan.build_plan

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(progdsl.plan, "build_plan", counted)
    monkeypatch.setattr(progdsl.compiler, "build_plan", counted)
    return calls


@pytest.mark.parametrize(
    ("text", "options"),
    [
        (LANGUAGE_EXAMPLE, []),  # a `start` line
        (LANGUAGE_EXAMPLE.replace("start 2026-12-07\n", ""), []),  # the next Monday
        (LANGUAGE_EXAMPLE.replace("start 2026-12-07\n", ""), ["--start", "2027-03-01"]),  # a Monday given
    ],
    ids=["start-line", "next-monday", "start-option"],
)
def test_a_build_plans_each_program_once(tmp_path, monkeypatch, text, options):
    assert "start 2026-12-07\n" in LANGUAGE_EXAMPLE
    source = tmp_path / "glutes.prog"
    source.write_text(text, encoding="utf-8")
    calls = _count_plans(monkeypatch)
    outcome = CliRunner().invoke(
        main, ["build", str(source), "--to", "json", "--to", "ics", "-o", str(tmp_path / "out"), *options]
    )
    assert outcome.exit_code == 0, outcome.output
    assert len(calls) == 1


def test_the_plan_a_build_takes_from_the_rules_is_the_one_it_would_make(tmp_path, monkeypatch):
    """Without a `start` line, the rules walk the build's Monday: the outputs are unchanged."""
    import datetime as dt

    from progdsl.compiler import load_and_plan, load_bytes, plan_of

    data = LANGUAGE_EXAMPLE.replace("start 2026-12-07\n", "").encode()
    for start in (dt.date(2027, 3, 1), dt.date(2027, 3, 3), None):  # a Monday, a Wednesday, the next Monday
        taken, result = load_and_plan(data, "glutes.prog", start)
        made, again = plan_of(load_bytes(data, "glutes.prog"), start)
        assert taken == made and result.diagnostics == again.diagnostics


def test_the_plan_command_plans_once(tmp_path, monkeypatch):
    source = tmp_path / "glutes.prog"
    source.write_text(LANGUAGE_EXAMPLE, encoding="utf-8")
    calls = _count_plans(monkeypatch)
    outcome = CliRunner().invoke(main, ["plan", str(source)])
    assert outcome.exit_code == 0, outcome.output
    assert len(calls) == 1


def test_a_build_with_the_clinicians_summary_runs_the_safety_rules_once(tmp_path, monkeypatch):
    """The summary lists the warnings the build's own check found, instead of checking again."""
    import progdsl.compiler
    import progdsl.rules

    source = tmp_path / "glutes.prog"
    source.write_text(LANGUAGE_EXAMPLE.replace("clam_shell 3x12 rest 30-60s", "clam_shell 3x12 rest 5s"))
    calls = []
    original = progdsl.rules.check_program

    def counted(*args, **kwargs):
        found = original(*args, **kwargs)
        calls.append([d.code for d in found])
        return found

    monkeypatch.setattr(progdsl.rules, "check_program", counted)
    monkeypatch.setattr(progdsl.compiler, "check_program", counted)
    args = ["build", str(source), "--to", "summary", "--backend-timeout", "0", "-o", str(tmp_path / "out")]
    outcome = CliRunner().invoke(main, args)
    assert outcome.exit_code == 0, outcome.output
    assert len(calls) == 1 and calls[0], calls
    assert (tmp_path / "out" / "glutes.summary.pdf").exists()


def test_a_start_that_is_not_a_monday_plans_only_for_the_build(monkeypatch):
    """The rules walk their reference Monday; the build plans its own Wednesday, once."""
    import datetime as dt

    from progdsl.compiler import load_and_plan

    calls = _count_plans(monkeypatch)
    data = LANGUAGE_EXAMPLE.replace("start 2026-12-07\n", "").encode()
    plan, _ = load_and_plan(data, "glutes.prog", dt.date(2027, 3, 3))
    assert plan is not None and plan.start == dt.date(2027, 3, 3)
    assert [args[1] for args in calls] == [dt.date(2024, 1, 1), dt.date(2027, 3, 3)]
