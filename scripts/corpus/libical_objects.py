#!/usr/bin/python3
"""Calendar objects written by libical itself, as Evolution's data server writes them.

    /usr/bin/python3 scripts/corpus/libical_objects.py OUTDIR

Needs the system Python with libical's GObject bindings (Debian `gir1.2-ical-3.0` and
`python3-gi`); generate.py runs it and commits the output, so the differential test does
not need libical. Every object is built through the libical API (components, properties,
ICalGLib.Time values in libical's built-in zones, whose TZIDs carry libical's
`/freeassociation.sourceforge.net/` prefix) and serialized by libical
(`as_ical_string`: its property order, its folding, its VTIMEZONE from the built-in
zone data).
"""

import os
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib as I  # noqa: E402

OUT = sys.argv[1]
DTSTAMP = "20261101T090000Z"


def zone(name):
    tz = I.Timezone.get_builtin_timezone(name)
    assert tz is not None, name
    return tz


def local(text, tz):
    """An ICalGLib.Time for TEXT (YYYYMMDDTHHMMSS) in the zone TZ."""
    t = I.Time.new_from_string(text)
    t.set_timezone(tz)
    return t


def prop_with_tzid(kind, text, tz):
    """A date-time property (DTSTART, RECURRENCE-ID, EXDATE...) with its TZID parameter,
    the way Evolution's ECalComponent writes them."""
    prop = I.Property.new_from_string(f"{kind};TZID={tz.get_tzid()}:{text}")
    return prop


def calendar(*components, zones=()):
    cal = I.Component.new(I.ComponentKind.VCALENDAR_COMPONENT)
    cal.add_property(I.Property.new_from_string("PRODID:-//GNOME//Evolution 3.46 (libical 3.0.16)//EN"))
    cal.add_property(I.Property.new_from_string("VERSION:2.0"))
    for tz in zones:
        cal.add_component(tz.get_component().clone())
    for c in components:
        cal.add_component(c)
    return cal


def event(uid, summary, extra=()):
    ev = I.Component.new(I.ComponentKind.VEVENT_COMPONENT)
    ev.set_uid(uid)
    ev.add_property(I.Property.new_from_string(f"DTSTAMP:{DTSTAMP}"))
    ev.set_summary(summary)
    for line in extra:
        ev.add_property(I.Property.new_from_string(line))
    return ev


def write(name, cal):
    text = cal.as_ical_string()
    # libical already writes CRLF line ends; check rather than assume.
    assert "\r\n" in text
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as f:
        f.write(text)
    print(f"  libical  {name}")


def main():
    paris, ny = zone("Europe/Paris"), zone("America/New_York")
    pid = paris.get_tzid()

    # A weekly meeting in Paris across both DST changes, one occurrence moved and one
    # cancelled: the series as Evolution saves it after "this occurrence only" edits.
    master = event("evolution-weekly-paris@example.org", "Réunion d'équipe", [
        "SEQUENCE:2",
        "X-EVOLUTION-CALDAV-HREF:evolution-weekly-paris.ics",
    ])
    master.add_property(prop_with_tzid("DTSTART", "20260305T100000", paris))
    master.add_property(prop_with_tzid("DTEND", "20260305T110000", paris))
    master.add_property(I.Property.new_from_string("RRULE:FREQ=WEEKLY;COUNT=12;BYDAY=TH"))
    master.add_property(prop_with_tzid("EXDATE", "20260402T100000", paris))
    moved = event("evolution-weekly-paris@example.org", "Réunion d'équipe (déplacée)", ["SEQUENCE:2"])
    moved.add_property(prop_with_tzid("RECURRENCE-ID", "20260326T100000", paris))
    moved.add_property(prop_with_tzid("DTSTART", "20260327T140000", paris))
    moved.add_property(prop_with_tzid("DTEND", "20260327T150000", paris))
    write("evolution-libical-weekly-override.ics", calendar(master, moved, zones=[paris]))

    # The object of the report in issue 14: RECURRENCE-ID and DTSTART in libical's zone
    # name, with no VTIMEZONE at all (Evolution leaves it out when the zone is built in).
    master = event("evolution-no-vtimezone@example.org", "Stand-up")
    master.add_property(prop_with_tzid("DTSTART", "20260601T091500", paris))
    master.add_property(prop_with_tzid("DTEND", "20260601T093000", paris))
    master.add_property(I.Property.new_from_string("RRULE:FREQ=DAILY;COUNT=10;BYDAY=MO,TU,WE,TH,FR"))
    moved = event("evolution-no-vtimezone@example.org", "Stand-up (later)")
    moved.add_property(prop_with_tzid("RECURRENCE-ID", "20260603T091500", paris))
    moved.add_property(prop_with_tzid("DTSTART", "20260603T113000", paris))
    moved.add_property(prop_with_tzid("DTEND", "20260603T114500", paris))
    write("evolution-libical-tzid-without-vtimezone.ics", calendar(master, moved))

    # A monthly rule with a negative BYMONTHDAY in New York, with an alarm.
    ev = event("evolution-monthly-ny@example.org", "Month-end report", ["TRANSP:OPAQUE"])
    ev.add_property(prop_with_tzid("DTSTART", "20260130T160000", ny))
    ev.add_property(I.Property.new_from_string("DURATION:PT2H"))
    ev.add_property(I.Property.new_from_string("RRULE:FREQ=MONTHLY;BYMONTHDAY=-2;UNTIL=20270101T000000Z"))
    alarm = I.Component.new(I.ComponentKind.VALARM_COMPONENT)
    for line in ["X-EVOLUTION-ALARM-UID:20261101T090000Z-1-evolution", "ACTION:DISPLAY",
                 "TRIGGER;VALUE=DURATION;RELATED=START:-PT15M", "DESCRIPTION:Month-end report"]:
        alarm.add_property(I.Property.new_from_string(line))
    ev.add_component(alarm)
    write("evolution-libical-monthly-negative-day.ics", calendar(ev, zones=[ny]))

    # A task with a start and a due time in a zone, as Evolution's task list saves it.
    todo = I.Component.new(I.ComponentKind.VTODO_COMPONENT)
    todo.set_uid("evolution-task@example.org")
    todo.add_property(I.Property.new_from_string(f"DTSTAMP:{DTSTAMP}"))
    todo.set_summary("Steuererklärung abgeben")
    todo.add_property(prop_with_tzid("DTSTART", "20260720T090000", paris))
    todo.add_property(prop_with_tzid("DUE", "20260731T170000", paris))
    todo.add_property(I.Property.new_from_string("PERCENT-COMPLETE:40"))
    todo.add_property(I.Property.new_from_string("STATUS:IN-PROCESS"))
    todo.add_property(I.Property.new_from_string("PRIORITY:3"))
    write("evolution-libical-task.ics", calendar(todo, zones=[paris]))

    # An all-day event with a long UTF-8 description: libical folds it at 75 octets.
    text = ("Jahresversammlung — Tagesordnung: Begrüßung, Rückblick, Kassenbericht, "
            "Entlastung des Vorstands, Wahlen, Verschiedenes. Ζητήματα προς συζήτηση, "
            "議題の確認と次回の日程。")
    ev = event("evolution-allday-folded@example.org", "Jahresversammlung")
    ev.add_property(I.Property.new_from_string("DTSTART;VALUE=DATE:20260912"))
    ev.add_property(I.Property.new_from_string("DTEND;VALUE=DATE:20260913"))
    ev.set_description(text)
    write("evolution-libical-allday-folded.ics", calendar(ev))


if __name__ == "__main__":
    main()
