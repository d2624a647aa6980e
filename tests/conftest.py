"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import PROGRAMS


@pytest.fixture
def example_programs() -> list[Path]:
    return sorted(PROGRAMS.glob("*.prog"))
