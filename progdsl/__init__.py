"""progdsl: a compiler for home-exercise programs.

    >>> import progdsl
    >>> result = progdsl.load("programs/glutes_sore_back.prog")
    >>> result.ok, [d.code for d in result.diagnostics]

Importing the package is cheap: the compiler is imported the first time one of
its names is used, so `progdsl.cli` starts without loading what a command does
not need.
"""

from __future__ import annotations

from .version import __version__

# typing.TYPE_CHECKING without importing typing: `progdsl` loads first, before the command
# line pauses the garbage collector, and typing's import would run half a dozen collections.
# Type checkers read any constant of this name as true.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from .compiler import Result, load, load_bytes, loads

__all__ = ["Result", "__version__", "load", "load_bytes", "loads"]


def __getattr__(name: str) -> object:
    if name in ("Result", "load", "load_bytes", "loads"):
        from . import compiler

        return getattr(compiler, name)
    raise AttributeError(f"module 'progdsl' has no attribute {name!r}")
