"""What a build of one program costs before its backends run: what it imports, and what
its rendering helper does on its way in (issue 18)."""

from __future__ import annotations

import gc
import subprocess
import sys
from functools import partial

import pytest

from progdsl import pool
from progdsl.build_settings import BuildSettings


def _imported_after(statement: str, names: tuple[str, ...]) -> list[str]:
    """Which of `names` a fresh interpreter has imported once it has run `statement`."""
    code = f"import sys\n{statement}\nprint(' '.join(n for n in {names!r} if n in sys.modules))"
    finished = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return finished.stdout.split()


def test_a_build_imports_no_batch_machinery_until_a_batch_needs_it():
    heavy = ("multiprocessing", "concurrent.futures", "tomllib", "progdsl.parcel")
    assert _imported_after("import progdsl.cli, progdsl.batch", heavy) == []


def test_the_pool_imports_its_machinery_when_it_starts_workers():
    statement = "from progdsl.pool import map_in_order\nassert list(map_in_order(abs, [-1, -2], 2, died=str)) == [1, 2]"
    assert _imported_after(statement, ("multiprocessing", "concurrent.futures")) == [
        "multiprocessing",
        "concurrent.futures",
    ]


def test_parcel_and_batch_share_build_settings_without_importing_each_other():
    assert _imported_after("import progdsl.parcel", ("progdsl.batch",)) == []
    from progdsl import batch, parcel

    assert batch.BuildSettings is parcel.BuildSettings is BuildSettings


def _frozen() -> bytes:
    return str(gc.get_freeze_count()).encode()


@pytest.mark.skipif(not pool.isolation_available(), reason="the helper forks")
def test_a_helper_keeps_what_it_inherited_out_of_its_garbage_collector():
    helper = pool.Helper()
    try:
        assert int(helper.call(partial(_frozen), 30)) > 1000
    finally:
        helper.close()
