"""`progdsl build --executor dask`: a batch on a Dask cluster (here a 2-worker LocalCluster)
gives the bytes one process gives; a worker that dies costs a retry; a bad program is
reported and the others built. Without Dask installed, the option says how to install it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import LANGUAGE_EXAMPLE, PROGRAMS, install_backends

from progdsl import plugins
from progdsl.batch import Failed, Written, build_files
from progdsl.build_settings import BuildSettings
from progdsl.cli import main

BAD = 'program "Bad"\nstart 2026-12-07\nphase "A" 1w daily:\n  clamshel 3x12\n'


@pytest.fixture(scope="module")
def cluster():
    """One 2-worker cluster on this machine for the module's tests; a program's task may fail
    on two workers before Dask gives it up (the default, 3, makes the killing test slower).
    Each worker holds only the program it is building (worker-saturation 1.0), so a worker
    that dies counts against that program alone, not one queued behind it."""
    pytest.importorskip("distributed", reason="Dask is not installed: pip install 'progdsl[dask]'")
    import dask

    from progdsl.dask_pool import DaskPool

    config = {"distributed.scheduler.allowed-failures": 2, "distributed.scheduler.worker-saturation": 1.0}
    with dask.config.set(config):
        pool = DaskPool(None, 2)
    yield pool
    pool.close()


def build(*args: str):
    return CliRunner().invoke(main, ["build", *args])


def outputs(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.slow
def test_a_cluster_writes_the_same_bytes_and_lines_as_one_process(cluster, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765065600")
    batch = tmp_path / "batch"
    shutil.copytree(PROGRAMS / "clinic", batch / "clinic")  # a program that includes a protocol
    shutil.copy(PROGRAMS / "knee_acl_early.prog", batch)
    (batch / "language.prog").write_text(LANGUAGE_EXAMPLE)
    here, there = tmp_path / "here", tmp_path / "there"
    first = build(str(batch), "--to", "ics", "-o", str(here), "-j", "1")
    assert first.exit_code == 0, first.output
    shutil.copytree(here, there)  # last build's calendars, which the new ones keep the events of
    formats = ["--to", "json", "--to", "ics", "--to", "html", "--to", "pdf"]

    one = build(str(batch), *formats, "-o", str(here), "-j", "1")
    many = build(str(batch), *formats, "-o", str(there), "--executor", "dask", "--scheduler", cluster.scheduler)

    assert one.exit_code == many.exit_code == 0, many.output
    assert outputs(here) == outputs(there)
    assert len(outputs(there)) == 4 * 4
    assert many.output.replace(str(there), "OUT") == one.output.replace(str(here), "OUT")


def kills(monkeypatch) -> tuple[plugins.Plugin, ...]:
    return install_backends(
        monkeypatch,
        {
            "crash_once": ("fake_backends:CrashOnce", "acme-backends"),
            "json": ("progdsl.backends.json:JsonBackend", "acme-backends"),
        },
    )


@pytest.mark.slow
def test_a_worker_killed_mid_batch_costs_a_retry_and_nothing_half_written(cluster, tmp_path, monkeypatch):
    backends = kills(monkeypatch)
    batch = tmp_path / "batch"
    batch.mkdir()
    marker = tmp_path / "killed-once"
    titles = ["One", f"Crash once {marker}", "Three", "Crash always", "Five"]
    paths = []
    for number, title in enumerate(titles, start=1):
        path = batch / f"{number}.prog"
        path.write_text(LANGUAGE_EXAMPLE.replace("Glutes for a sore back", title))
        paths.append(str(path))
    out = tmp_path / "out"
    settings = BuildSettings(out, backend_timeout=None)  # render in the worker itself, which the backend kills

    reports = list(build_files(paths, backends, settings, executor=cluster))

    assert [r.path for r in reports] == paths
    assert marker.exists()  # the second program killed its worker once, then was built on a retry
    assert [r.ok for r in reports] == [True, True, True, False, True], reports
    (died,) = [e for e in reports[3].events if isinstance(e, Failed)]
    assert "each worker that tried to build it died" in died.message
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{n}.{suffix}" for n in (1, 2, 3, 5) for suffix in ("json", "crash_once")
    )  # and no temporary or partial file


@pytest.mark.slow
def test_a_failing_program_is_reported_and_the_rest_built(cluster, tmp_path, monkeypatch):
    backends = install_backends(
        monkeypatch,
        {
            "json": ("progdsl.backends.json:JsonBackend", "acme-backends"),
            "raises": ("fake_backends:Raises", "acme-backends"),
        },
    )
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "1.prog").write_text(LANGUAGE_EXAMPLE)
    (batch / "2.prog").write_text(BAD)
    (batch / "3.prog").write_text(LANGUAGE_EXAMPLE)
    paths = [str(batch / f"{n}.prog") for n in (1, 2, 3, 4)]  # 4.prog is not there
    out = tmp_path / "out"

    reports = list(build_files(paths, backends, BuildSettings(out), executor=cluster))

    assert [r.path for r in reports] == paths
    checked = reports[1].events[0]
    assert [d.code for d in checked.result.errors] == ["E201"]  # type: ignore[union-attr]
    assert checked.result.source.name == paths[1]  # type: ignore[union-attr]
    assert [e.message for e in reports[3].events if isinstance(e, Failed)][0].startswith(f"cannot read {paths[3]}")
    for report in (reports[0], reports[2]):
        assert [e.backend for e in report.events if isinstance(e, Written)] == ["json"]
        (failed,) = [e.message for e in report.events if isinstance(e, Failed)]
        assert failed.startswith("backend 'raises' failed: ValueError: boom")
    assert sorted(p.name for p in out.iterdir()) == ["1.json", "3.json"]


def test_without_dask_the_option_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # importing it fails, as when it is not installed
    program = tmp_path / "p.prog"
    program.write_text(LANGUAGE_EXAMPLE)

    result = build(str(program), "-o", str(tmp_path / "out"), "--executor", "dask")

    assert result.exit_code == 2
    assert "pip install 'progdsl[dask]'" in result.output
    assert not (tmp_path / "out").exists()


def test_scheduler_goes_with_the_dask_executor(tmp_path):
    result = build(str(PROGRAMS / "knee_acl_early.prog"), "--scheduler", "tcp://127.0.0.1:8786")
    assert result.exit_code == 2
    assert "--scheduler goes with --executor dask" in result.output


def test_a_scheduler_that_does_not_answer_is_a_usage_error(tmp_path):
    dask = pytest.importorskip("dask", reason="Dask is not installed: pip install 'progdsl[dask]'")
    pytest.importorskip("distributed", reason="Dask is not installed: pip install 'progdsl[dask]'")
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = build(
            str(PROGRAMS / "knee_acl_early.prog"),
            "-o",
            str(tmp_path / "out"),
            "--executor",
            "dask",
            "--scheduler",
            "tcp://127.0.0.1:1",
        )
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in result.output
    assert not (tmp_path / "out").exists()
