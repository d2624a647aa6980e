"""`progdsl` and `python -m progdsl`: the command line, its modules loaded with the cyclic
garbage collector paused (`collector.py` says why). It runs again as soon as they are
loaded, so long-running commands (`watch`, `lsp`) collect as usual; `check` pauses it
again for the whole command. When the command ends, the interpreter's last collection
is spared.
"""

from __future__ import annotations

from .collector import collector_paused, spare_the_last_collection


def run() -> None:
    with collector_paused(lasting=True):
        from .cli import main
    try:
        main()
    finally:
        spare_the_last_collection()


if __name__ == "__main__":
    run()
