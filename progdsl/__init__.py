"""progdsl: a compiler for home-exercise programs.

    >>> import progdsl
    >>> result = progdsl.load("programs/glutes.prog")
    >>> result.ok, [d.code for d in result.diagnostics]
"""

from .compiler import Result, load, load_bytes, loads

__all__ = ["Result", "load", "load_bytes", "loads"]
__version__ = "0.1.0"
