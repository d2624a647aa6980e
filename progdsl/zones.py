"""Time zone suggestions for a misspelt IANA name (imported only on that error)."""

from __future__ import annotations

import zoneinfo

from .suggest import close_matches


def suggest_zone(name: str) -> str | None:
    """The closest IANA zone name, matching case-insensitively and on the city alone."""
    zones = sorted(zoneinfo.available_timezones())
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
