"""What a build of one program imports before its backends run (issue 18)."""

from __future__ import annotations

import subprocess
import sys

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
