"""Exercise figures drawn from the pose data in the registry (docs/figures.md).

`figure_spec(exercise)` reads an entry's `figure` table; `render_svg` draws it; `problems`
lists what is wrong with its data. Pure Python: no drawing library is imported.
"""

from __future__ import annotations

from collections.abc import Mapping

from .scene import problems
from .spec import FigureSpec, faults, read
from .svg import render

__all__ = ["FigureSpec", "faults", "problems", "read", "render", "render_table"]


def render_table(table: Mapping) -> bytes:
    """SVG bytes for a checked `figure` table."""
    return render(read(table))
