"""Files that ship with progdsl but live outside the package in the source tree.

`grammar/` and `templates/` sit at the top of the repository; the wheel carries
them inside the package (see `force-include` in pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).parent


def resource_dir(name: str) -> Path:
    """The folder `name` (`grammar` or `templates`) in the installed wheel or the checkout."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"progdsl is installed without its {name} folder")
