"""The floor of the calendar figure: `progdsl check`, then icalendar alone writing the same calendar.

    python benchmarks/ics_floor.py recipe CALENDAR.ics RECIPE     # once, untimed
    python benchmarks/ics_floor.py run PROGRAM RECIPE OUT.ics      # the timed process

`recipe` reads a calendar that `progdsl build --to ics` wrote and keeps every component and
property as the plain Python values progdsl hands to icalendar (text, dates, times in their
zone, durations, numbers), pickled. `run` is what a calendar of those events costs at least:
the same check as `progdsl check PROGRAM` (the CLI, in this process), then icalendar building
each component with `add` from those values and writing the file with `to_ical`. What it
leaves out is progdsl's own work: planning, the titles and descriptions, the UIDs, the
content hashes and the time-zone scan. `same_calendar` checks that the floor wrote the same
calendar as progdsl: the same events and the same properties, byte for byte.
"""

from __future__ import annotations

import pickle
import re
import sys
from pathlib import Path

# Properties icalendar reads back as vUnknown (NAME and the X- ones): progdsl writes them as TEXT.
_TEXT = "text"


def recipe(calendar: bytes) -> tuple:
    """The calendar as nested (kind, [(name, value, how)], [subcomponents]) of plain values."""
    from icalendar import Calendar, vUnknown

    def component(item) -> tuple:
        properties = []
        for name, value in item.property_items(recursive=False):
            if name in ("BEGIN", "END"):
                continue
            if isinstance(value, vUnknown):
                properties.append((name, _unescaped(str(value)), _TEXT))
            else:
                properties.append((name, item.decoded(name) if not isinstance(value, list) else value, None))
        return item.name, properties, [component(sub) for sub in item.subcomponents]

    return component(Calendar.from_ical(calendar))


def _unescaped(text: str) -> str:
    """TEXT as written, from its escaped form (RFC 5545 3.3.11)."""
    return re.sub(r"\\([\\;,nN])", lambda found: "\n" if found[1] in "nN" else found[1], text)


def run(program: str, recipe_file: str, out: str) -> None:
    from progdsl.cli import main

    try:
        main(["check", program], standalone_mode=False)
    except SystemExit as exit:
        if exit.code:
            raise
    from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vText

    kinds = {
        "VCALENDAR": Calendar,
        "VTIMEZONE": Timezone,
        "STANDARD": TimezoneStandard,
        "DAYLIGHT": TimezoneDaylight,
        "VEVENT": Event,
        "VALARM": Alarm,
    }

    def build(spec: tuple):
        kind, properties, subcomponents = spec
        item = kinds[kind]()
        for name, value, how in properties:
            item.add(name, vText(value) if how == _TEXT else value)
        for sub in subcomponents:
            item.add_component(build(sub))
        return item

    with open(recipe_file, "rb") as file:
        calendar = build(pickle.load(file))
    Path(out).write_bytes(calendar.to_ical())


def write_recipe(calendar: Path, recipe_file: Path) -> None:
    recipe_file.write_bytes(pickle.dumps(recipe(calendar.read_bytes())))


def same_calendar(progdsl: bytes, floor: bytes) -> None:
    """Raise unless the floor wrote progdsl's calendar: the same events, properties and bytes."""
    events = progdsl.count(b"BEGIN:VEVENT\r\n"), floor.count(b"BEGIN:VEVENT\r\n")
    lines = progdsl.count(b"\r\n") - progdsl.count(b"\r\n "), floor.count(b"\r\n") - floor.count(b"\r\n ")
    if events[0] != events[1] or lines[0] != lines[1] or progdsl != floor:
        raise SystemExit(
            f"the calendar floor is not progdsl's calendar: {events[1]} events and {lines[1]} content lines "
            f"against {events[0]} and {lines[0]}, or other bytes"
        )


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "recipe":
        write_recipe(Path(arguments[0]), Path(arguments[1]))
    elif command == "run":
        run(*arguments)
    else:
        raise SystemExit(__doc__)
