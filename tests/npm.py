"""npm packages for tests that ask a JavaScript tool for a second opinion (ical.js, vscode-textmate).

`npm_packages(folder, *specs)` installs the packages once into tests/<folder>/ (gitignored) with
`npm install --no-save --prefix`, and returns its node_modules folder; it skips the calling test
with the reason when node or npm is missing or the install fails (no network, say).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
_missing: dict[str, str] = {}  # folder → why its packages cannot be had, once that is known


def npm_packages(folder: str, *specs: str) -> Path:
    """tests/<folder>/node_modules with `specs` installed; skips the test without them."""
    if folder in _missing:
        pytest.skip(_missing[folder])
    try:
        return _install(HERE / folder, specs)
    except pytest.skip.Exception as skipped:
        _missing[folder] = str(skipped.msg)
        raise


def _name(spec: str) -> str:
    """`ical.js@2` → `ical.js`; `@scope/pkg@1` → `@scope/pkg`."""
    return spec[0] + spec[1:].split("@", 1)[0]


def _install(prefix: Path, specs: tuple[str, ...]) -> Path:
    modules = prefix / "node_modules"
    if all((modules / _name(spec) / "package.json").is_file() for spec in specs):
        return modules
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            pytest.skip(f"`{tool}` is not on PATH: {', '.join(specs)} cannot be run")
    command = ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(prefix), *specs]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        pytest.skip(f"`npm install {' '.join(specs)}` took over 5 minutes (no network?)")
    if done.returncode != 0 or not all((modules / _name(spec) / "package.json").is_file() for spec in specs):
        lines = [line for line in done.stderr.splitlines() if line.strip() and "complete log" not in line]
        reason = "; ".join(lines[:3]) or f"exit status {done.returncode}"
        pytest.skip(f"`npm install {' '.join(specs)}` failed (no network?): {reason}")
    return modules
