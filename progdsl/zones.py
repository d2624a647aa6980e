"""Time zone names: which are portable, and suggestions for a misspelt or machine-bound one
(imported only when a `timezone` line needs them).

A portable name is one of the IANA database's zone names, as the `tzdata` package lists them
(Area/City names such as "Europe/London", and the older aliases such as "UTC" or "US/Eastern"):
it means the same zone on every computer. A computer's zone folder holds other files that
Python's zoneinfo also loads, and whose meaning depends on that computer: `localtime` (the zone
the computer is set to), `posixrules`, the `posix/` and `right/` copies of every zone (the
`right/` ones count leap seconds, which calendars do not), and `Factory`, a placeholder.
"""

from __future__ import annotations

import functools
import os

import tzdata

from .suggest import close_matches

# Names that zoneinfo may load from a computer's zone folder but that are not portable zones.
MACHINE_NAMES = {
    "localtime": "it is whatever zone the computer that builds the calendar is set to",
    "posixrules": "it is a rules file of the computer's zone database, not a zone",
    "Factory": "it is a placeholder zone with no offset of its own",
}
MACHINE_FOLDERS = {
    "posix/": "it is the computer's copy of a zone, which only some computers have",
    "right/": "it counts leap seconds, which calendars do not, and only some computers have it",
}


@functools.cache
def portable_zones() -> frozenset[str]:
    """The IANA zone names, from the tzdata package (a dependency), without `Factory`."""
    # Read straight from the package's folder: importlib.resources costs more than the read.
    with open(os.path.join(os.path.dirname(tzdata.__file__), "zones"), encoding="utf-8") as listing:
        names = listing.read().split()
    return frozenset(names) - MACHINE_NAMES.keys()


def machine_bound(name: str, loads: bool) -> str | None:
    """Why `name` is not portable, when it is a name of a computer's zone folder rather than a
    zone: one of MACHINE_NAMES or MACHINE_FOLDERS, or any other name that zoneinfo `loads` on
    this computer but that the IANA list does not have. None for a portable name, or one that
    names nothing."""
    if name in portable_zones():
        return None
    if name in MACHINE_NAMES:
        return MACHINE_NAMES[name]
    for folder, why in MACHINE_FOLDERS.items():
        if name.startswith(folder):
            return why
    return "it is a file of this computer's zone folder, not an IANA zone name" if loads else None


def portable_equivalent(name: str) -> str | None:
    """The portable name a machine-bound one stands for: `right/UTC` → `UTC`, `posix/Europe/London`
    → `Europe/London`, or the closest portable name; None for MACHINE_NAMES, which stand for no
    one zone."""
    if name in MACHINE_NAMES:
        return None
    for folder in MACHINE_FOLDERS:
        if name.startswith(folder):
            name = name[len(folder) :]
            break
    return suggest_zone(name) if name else None


def suggest_zone(name: str) -> str | None:
    """The closest portable zone name, matching case-insensitively and on the city alone."""
    zones = sorted(portable_zones())
    by_lower = {zone.lower(): zone for zone in zones}
    wanted = name.strip().lower().replace(" ", "_")
    if wanted in by_lower:
        return by_lower[wanted]
    close = close_matches(wanted, by_lower, n=1)
    if close:
        return by_lower[close[0]]
    cities = {zone.rsplit("/", 1)[-1].lower(): zone for zone in zones}
    close = close_matches(wanted.rsplit("/", 1)[-1], cities, n=1, cutoff=0.75)
    return cities[close[0]] if close else None
