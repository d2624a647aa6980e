// Reads an .ics file with Mozilla's ical.js (the parser in Thunderbird) and prints, as JSON,
// each event's UID, start, end, title, status and the moments its alarms go off: UTC instants
// (2027-01-04T17:30:00.000Z) for times in a zone or in UTC, the local time as written
// (2027-01-04T17:30:00) for floating times and for alarms of all-day events, and YYYY-MM-DD for
// all-day events.
// Usage: node read_ics.mjs PATH/TO/ical.js/dist/ical.js FILE.ics
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const ICAL = (await import(pathToFileURL(process.argv[2]).href)).default;
const calendar = new ICAL.Component(ICAL.parse(readFileSync(process.argv[3], "utf8")));
// The file's own VTIMEZONEs, not a built-in database: that is how a calendar app reads an import.
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const floating = (time) => !time.zone || time.zone === ICAL.Timezone.localTimezone;
const when = (time) => (time.isDate || floating(time) ? time.toString() : time.toJSDate().toISOString());
// An alarm's trigger is a duration from the start (RELATED=START, the default). From an all-day
// event's start it is a time on that day's clock; from a time in a zone, elapsed time (RFC 5545 3.3.6).
const alarmAt = (start, trigger) => {
  if (!(trigger instanceof ICAL.Duration)) {
    return when(trigger);
  }
  if (start.isDate || floating(start)) {
    const moment = start.clone();
    moment.isDate = false;
    moment.addDuration(trigger);
    return moment.toString();
  }
  return new Date(start.toJSDate().getTime() + trigger.toSeconds() * 1000).toISOString();
};
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  const alarms = component
    .getAllSubcomponents("valarm")
    .map((alarm) => alarmAt(event.startDate, alarm.getFirstPropertyValue("trigger")));
  return {
    uid: event.uid,
    start: when(event.startDate),
    end: when(event.endDate),
    summary: event.summary,
    status: component.getFirstPropertyValue("status"),
    alarms,
  };
});
console.log(JSON.stringify(events));
