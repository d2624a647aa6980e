"""Reading .ics files with Mozilla's ical.js, the parser in Thunderbird, as a second opinion.

`ical_js()` installs the npm package `ical.js` (major version 2) once into tests/.icaljs/
(see tests/npm.py) and returns a reader, or skips the test with the reason.
`utc_events(data)` is what Python's icalendar reads from the same file, and `vobject_events(data)`
what vobject, a third parser of its own, reads, both in the same shape, to compare with: UID →
start, end, title, status and the moments its alarms go off.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from icalendar import Calendar
from npm import npm_packages

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "js" / "read_ics.mjs"
PACKAGE = "ical.js@2"

# An event as a parser reads it: start, end, title, status, and when each alarm goes off.
Reading = tuple[str, str, str, str | None, tuple[str, ...]]


@dataclass(frozen=True)
class IcalJs:
    module: Path
    version: str

    def events(self, data: bytes) -> dict[str, Reading]:
        """UID → what ical.js reads, in the shape `utc_events` returns."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "calendar.ics"
            path.write_bytes(data)
            done = subprocess.run(
                ["node", str(SCRIPT), str(self.module), str(path)], capture_output=True, text=True, timeout=120
            )
        assert done.returncode == 0, done.stderr
        return {
            event["uid"]: (event["start"], event["end"], event["summary"], event["status"], tuple(event["alarms"]))
            for event in json.loads(done.stdout)
        }


def ical_js() -> IcalJs:
    """The installed ical.js, installing it on first use; skips the calling test without it."""
    package = npm_packages(".icaljs", PACKAGE) / "ical.js"
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    return IcalJs(package / "dist" / "ical.js", version)


def _instant(value: dt.date | dt.datetime) -> str:
    """A value as read_ics.mjs prints it: a UTC instant to the millisecond, a floating local time,
    or a date."""
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    if value.tzinfo is None:
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _alarm_at(start: dt.date | dt.datetime, trigger: dt.timedelta | dt.datetime) -> str:
    """When an alarm goes off, as read_ics.mjs prints it: a trigger after an all-day event's start is a
    time on that day's clock; after a time in a zone, elapsed time (RFC 5545 3.3.6)."""
    if isinstance(trigger, dt.datetime):
        return _instant(trigger)
    if not isinstance(start, dt.datetime):
        return _instant(dt.datetime.combine(start, dt.time()) + trigger)
    return _instant(start + trigger if start.tzinfo is None else start.astimezone(dt.UTC) + trigger)


def utc_events(data: bytes) -> dict[str, Reading]:
    """UID → what Python's icalendar reads."""
    readings = {}
    for event in Calendar.from_ical(data).walk("VEVENT"):
        start = event.decoded("DTSTART")
        alarms = tuple(_alarm_at(start, alarm.decoded("TRIGGER")) for alarm in event.walk("VALARM"))
        status = str(event["STATUS"]) if "STATUS" in event else None
        readings[str(event["UID"])] = (
            _instant(start),
            _instant(event.decoded("DTEND")),
            str(event["SUMMARY"]),
            status,
            alarms,
        )
    return readings


def vobject_events(data: bytes) -> dict[str, Reading]:
    """UID → what vobject reads (its zones built from the file's VTIMEZONE)."""
    import vobject

    readings = {}
    for event in vobject.readOne(data.decode("utf-8")).contents.get("vevent", []):
        start = event.dtstart.value
        alarms = tuple(_alarm_at(start, alarm.trigger.value) for alarm in event.contents.get("valarm", []))
        status = event.status.value if "status" in event.contents else None
        readings[event.uid.value] = (
            _instant(start),
            _instant(event.dtend.value),
            event.summary.value,
            status,
            alarms,
        )
    return readings
