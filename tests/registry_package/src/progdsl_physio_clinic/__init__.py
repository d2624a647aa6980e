"""A clinic's exercises as an installed package: the entry point returns the TOML file's path."""

from pathlib import Path


def registry() -> Path:
    return Path(__file__).parent / "exercises.toml"
