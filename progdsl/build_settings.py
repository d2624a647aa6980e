"""What a `progdsl build` asks of every program: `BuildSettings`.

Its own module, so that `progdsl.batch` (which builds) and `progdsl.parcel` (which packs
a program and its settings for a Dask worker) both import it, and neither imports the other
to get it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from .records import Record, field

BACKEND_TIMEOUT = 120.0  # seconds one backend may take over one program: ten times a year-long handout


class BuildSettings(Record, frozen=True):
    """What the command line asks of every program in a build."""

    folder: Path
    start: dt.date | None = None
    overrides: Mapping[str, object] = field(default_factory=dict)
    timestamp: dt.datetime | None = None
    registries: tuple[str, ...] = ()  # `--registry` paths, added to every program's
    backend_timeout: float | None = BACKEND_TIMEOUT  # seconds per render; None renders in this process, unguarded
