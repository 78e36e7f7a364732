#!/usr/bin/env python3
"""A real DAV client for the web e2e tests: python caldav (the library many DAV tools are
built on) reads what the page wrote and writes what the page must then show, over plain
CalDAV with Basic auth, independently of the page's own code.

    caldav_client.py list   BASE USER PASSWORD CALENDAR_PATH
        every VEVENT of the calendar as JSON (one entry per component: master and overrides)
    caldav_client.py expand BASE USER PASSWORD CALENDAR_PATH START END SUMMARY
        the instances of events named SUMMARY between START and END (ISO, UTC), expanded
        by the client library itself, as JSON [start, ...] in UTC
    caldav_client.py create BASE USER PASSWORD CALENDAR_PATH SUMMARY START END
        a new event (START/END ISO with offset); prints its UID
    caldav_client.py calendars BASE USER PASSWORD CALENDAR_PATH
        the paths of the user's calendars, found from the principal (CALENDAR_PATH unused)
"""
import datetime
import json
import sys
import uuid
import zoneinfo

import caldav


def text(component, name):
    value = component.get(name)
    return None if value is None else str(value)


def when(component, name):
    value = component.get(name)
    return None if value is None else value.dt.isoformat()


def attendees(component):
    found = component.get("attendee") or []
    if not isinstance(found, list):
        found = [found]
    return [{"address": str(a), "partstat": str(a.params.get("PARTSTAT", "")), "cutype": str(a.params.get("CUTYPE", ""))} for a in found]


def main():
    cmd, base, user, password, path = sys.argv[1:6]
    client = caldav.DAVClient(url=base, username=user, password=password)
    if cmd == "calendars":
        print(json.dumps([str(c.url.path) for c in client.principal().calendars()]))
        return
    calendar = client.calendar(url=base.rstrip("/") + path)
    if cmd == "list":
        out = []
        for obj in calendar.events():
            for comp in obj.icalendar_instance.walk("VEVENT"):
                rrule = comp.get("rrule")
                out.append({
                    "href": str(obj.url.path),
                    "uid": text(comp, "uid"),
                    "summary": text(comp, "summary"),
                    "dtstart": when(comp, "dtstart"),
                    "dtend": when(comp, "dtend"),
                    "recurrence_id": when(comp, "recurrence-id"),
                    "rrule": rrule.to_ical().decode() if rrule else None,
                    "exdate": [d.dt.isoformat() for e in (comp.get("exdate") if isinstance(comp.get("exdate"), list) else [comp.get("exdate")] if comp.get("exdate") else []) for d in e.dts],
                    "organizer": text(comp, "organizer"),
                    "attendees": attendees(comp),
                })
        print(json.dumps(out))
    elif cmd == "expand":
        start, end, summary = sys.argv[6:9]
        parse = datetime.datetime.fromisoformat
        found = calendar.search(start=parse(start), end=parse(end), event=True, expand=True)
        out = []
        for obj in found:
            for comp in obj.icalendar_instance.walk("VEVENT"):
                if text(comp, "summary") == summary:
                    out.append(comp.get("dtstart").dt.astimezone(datetime.timezone.utc).isoformat())
        print(json.dumps(sorted(out)))
    elif cmd == "create":
        summary, start, end, zone = sys.argv[6:10]
        uid = f"python-caldav-{uuid.uuid4()}"
        tz = zoneinfo.ZoneInfo(zone)
        parse = lambda s: datetime.datetime.fromisoformat(s).replace(tzinfo=tz)
        calendar.save_event(uid=uid, summary=summary, dtstart=parse(start), dtend=parse(end))
        print(uid)
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
