"""The wheel carries everything progdsl reads at run time, and works outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest
from support import PROGRAMS, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(dist), str(ROOT)],
        check=True,
    )
    return next(dist.glob("progdsl-*.whl"))


def test_wheel_ships_grammar_registry_and_templates(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "progdsl/grammar/progdsl.lark" in names
    assert "progdsl/data/exercises/glutes.toml" in names
    assert any(name.startswith("progdsl/templates/") for name in names)
    assert not any(name.startswith(("tests/", "programs/")) for name in names)


def test_installed_wheel_checks_programs_from_outside_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)  # a pure-Python wheel installs by unpacking
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [sys.executable, "-c", "import progdsl; print(progdsl.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(site))
    check = subprocess.run(
        [sys.executable, "-m", "progdsl", "check", str(PROGRAMS)],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_no_file_holds_a_merge_conflict_marker():
    """A conflict left in a doc once shipped: every text file in the project is checked."""
    markers = ("<<<<<<< ", ">>>>>>> ")
    found = []
    for folder in ("docs", "progdsl", "templates", "grammar", "programs", "tests", "benchmarks", "editors"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".md", ".py", ".html", ".css", ".lark", ".prog", ".toml", ".json"}:
                lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
                found += [f"{path}:{n}" for n, line in enumerate(lines, 1) if line.startswith(markers)]
    found += [
        f"README.md:{n}"
        for n, line in enumerate((ROOT / "README.md").read_text().splitlines(), 1)
        if line.startswith(markers)
    ]
    assert found == []
