"""progdsl: a compiler for home-exercise programs.

    >>> import progdsl
    >>> result = progdsl.load("programs/glutes.prog")
    >>> result.ok, [d.code for d in result.diagnostics]
"""

__version__ = "0.1.0"

from .compiler import Result, load, load_bytes, loads  # noqa: E402 (after __version__, which they read)

__all__ = ["Result", "load", "load_bytes", "loads"]
