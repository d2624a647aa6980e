"""Reading .ics files with Mozilla's ical.js, the parser in Thunderbird, as a second opinion.

`ical_js()` installs the npm package `ical.js` (major version 2) once into tests/.icaljs/
(see tests/npm.py) and returns a reader, or skips the test with the reason.
`utc_events(data)` is what Python's icalendar reads from the same file, in the same shape,
to compare with.
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


@dataclass(frozen=True)
class IcalJs:
    module: Path
    version: str

    def events(self, data: bytes) -> dict[str, tuple[str, str]]:
        """UID → (start, end) as ical.js reads them, in the shape `utc_events` returns."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "calendar.ics"
            path.write_bytes(data)
            done = subprocess.run(
                ["node", str(SCRIPT), str(self.module), str(path)], capture_output=True, text=True, timeout=120
            )
        assert done.returncode == 0, done.stderr
        return {event["uid"]: (event["start"], event["end"]) for event in json.loads(done.stdout)}


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


def utc_events(data: bytes) -> dict[str, tuple[str, str]]:
    """UID → (start, end) as Python's icalendar reads them."""
    return {
        str(event["UID"]): (_instant(event.decoded("DTSTART")), _instant(event.decoded("DTEND")))
        for event in Calendar.from_ical(data).walk("VEVENT")
    }
