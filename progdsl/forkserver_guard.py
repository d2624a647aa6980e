"""Imported by the pool's fork server, and nowhere else: the server dies with the
process that started it (see `progdsl.orphans`)."""

from .orphans import die_with_parent

die_with_parent()
