"""`progdsl init DIR`: a clinic's starting folder.

A project config, a programs folder with one example, an empty registry file whose
comment shows an entry, and a templates folder with the one partial a clinic brands
first. Nothing that exists is overwritten: the whole folder is refused instead.
"""

from __future__ import annotations

from pathlib import Path

from .output import write_atomically
from .resources import resource_dir

STARTER = Path(__file__).parent / "data" / "starter"

# What is written (relative to DIR) and where it comes from.
FILES: dict[str, Path] = {
    "progdsl.toml": STARTER / "config.toml",
    "registry/clinic.toml": STARTER / "registry.toml",
    "programs/example.prog": STARTER / "example.prog",
    ".gitignore": STARTER / "gitignore",
}


def starter_files() -> dict[str, bytes]:
    """Relative path → content of every file `init` writes."""
    files = {name: source.read_bytes() for name, source in FILES.items()}
    files["templates/partials/brand.html"] = (resource_dir("templates") / "partials" / "brand.html").read_bytes()
    return files


def existing(folder: Path) -> list[str]:
    """The starter's files that are already in `folder`: `init` writes none of them then."""
    return [name for name in starter_files() if (folder / name).exists()]


def write_starter(folder: Path) -> list[Path]:
    """Write the starter into `folder` (made when missing); the files written, in order.
    Raises output.WriteError when a file cannot be written."""
    written = []
    for name, content in starter_files().items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, content)
        written.append(target)
    return written
