#!/usr/bin/env python3
"""Writes the real-client corpus under tests/corpus/ (calendar/*.ics, contacts/*.vcf).

    target/conformance-venv/bin/python scripts/corpus/generate.py [--check]

Three sources, each file named after the client whose output it is:
  - libical (Evolution's data server): scripts/corpus/libical_objects.py, run with the
    system Python that has libical's GObject bindings (Debian gir1.2-ical-3.0,
    python3-gi). When they are missing the committed libical files are kept as they are.
  - the Python libraries `icalendar` and `vobject` (pinned in
    scripts/conformance/requirements.txt): objects built through their APIs and
    serialized by them.
  - every other client (Apple Calendar and Contacts, Outlook through CalDAV connectors,
    Exchange's .ics export, Outlook's vCard 2.1 export, Thunderbird, DAVx5 with ical4j
    and ez-vcard, Google): written here from the clients' known output (their PRODIDs,
    property order, X- properties, VTIMEZONE styles, folding and line ends), since
    those clients do not run here.

The output is committed: the differential test (scripts/conformance/differential.py)
reads the committed files and never regenerates them. Run this script again after
changing it, and commit the result; --check only reports files that would change.
"""

import base64
import datetime as dt
import os
import subprocess
import sys
import zoneinfo

import icalendar
import vobject

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vtimezones import current_rules  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CORPUS = os.path.join(ROOT, "tests", "corpus")
CAL = os.path.join(CORPUS, "calendar")
CARD = os.path.join(CORPUS, "contacts")
CHECK = "--check" in sys.argv
changed = []

# A 1x1 PNG, small enough for a photo in every card that has one.
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a2d8d6"
    "b50000000049454e44ae426082")).decode()


# --- writing ------------------------------------------------------------------------------

def fold(line, split_utf8=False):
    """Fold one content line at 75 octets (RFC 5545 §3.1). With split_utf8 the cut may
    fall inside a multi-byte UTF-8 sequence, as some writers do (RFC 5545 says SHOULD
    NOT, and readers must join the octets before decoding)."""
    data = line.encode("utf-8")
    out, first = [], True
    while data:
        room = 75 if first else 74
        cut = min(room, len(data))
        if not split_utf8:
            while cut < len(data) and (data[cut] & 0xC0) == 0x80:
                cut -= 1
        out.append((b"" if first else b" ") + data[:cut])
        data, first = data[cut:], False
    return out


def text(lines, *, eol="\r\n", bom=False, split_utf8=False, nofold=False):
    body = []
    for line in lines:
        body += [line.encode("utf-8")] if nofold else fold(line, split_utf8)
    data = eol.encode().join(body) + eol.encode()
    return (b"\xef\xbb\xbf" if bom else b"") + data


def write(folder, name, data, source):
    path = os.path.join(folder, name)
    if isinstance(data, str):
        data = data.encode("utf-8")
    old = open(path, "rb").read() if os.path.exists(path) else None
    if old != data:
        changed.append(name)
        if not CHECK:
            with open(path, "wb") as f:
                f.write(data)
    print(f"  {source:<10} {name}")


def ics(name, lines, source="documented", **kw):
    write(CAL, name, text(lines, **kw), source)


def vcf(name, lines, source="documented", **kw):
    write(CARD, name, text(lines, **kw), source)


def vcal(prodid, body, extra=(), method=None):
    head = ["BEGIN:VCALENDAR", f"PRODID:{prodid}", "VERSION:2.0", "CALSCALE:GREGORIAN"]
    if method:
        head.append(f"METHOD:{method}")
    return head + list(extra) + body + ["END:VCALENDAR"]


STAMP = "20261101T090000Z"

# --- Apple Calendar (macOS / iOS) ---------------------------------------------------------
APPLE = "-//Apple Inc.//macOS 14.5//EN"
APPLE_IOS = "-//Apple Inc.//iPhone OS 17.5//EN"


def apple_alarm(uid, trigger="-PT15M"):
    return ["BEGIN:VALARM", f"X-WR-ALARMUID:{uid}", f"UID:{uid}", f"TRIGGER:{trigger}",
            "DESCRIPTION:Reminder", "ACTION:DISPLAY", "END:VALARM"]


def apple():
    berlin = current_rules("Europe/Berlin", "Europe/Berlin", 1996)
    ics("apple-calendar-weekly-override.ics", vcal(APPLE, berlin + [
        "BEGIN:VEVENT", "CREATED:20260110T101500Z", "UID:6E1C83C5-4F3A-4B57-9A0D-AE6A1F1C2B01",
        "DTEND;TZID=Europe/Berlin:20260113T103000",
        "RRULE:FREQ=WEEKLY;UNTIL=20260428T215959Z",
        "TRANSP:OPAQUE", "X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC",
        "SUMMARY:Jour fixe", "LAST-MODIFIED:20260110T101600Z", f"DTSTAMP:{STAMP}",
        "DTSTART;TZID=Europe/Berlin:20260113T100000",
        "EXDATE;TZID=Europe/Berlin:20260203T100000,20260210T100000",
        "SEQUENCE:1",
        *apple_alarm("A1B2C3D4-0000-4000-8000-000000000001"),
        "END:VEVENT",
        "BEGIN:VEVENT", "CREATED:20260110T101500Z", "UID:6E1C83C5-4F3A-4B57-9A0D-AE6A1F1C2B01",
        "DTEND;TZID=Europe/Berlin:20260331T170000", "TRANSP:OPAQUE",
        "SUMMARY:Jour fixe (verschoben)", "DTSTART;TZID=Europe/Berlin:20260331T160000",
        f"DTSTAMP:{STAMP}", "RECURRENCE-ID;TZID=Europe/Berlin:20260331T100000", "SEQUENCE:2",
        "END:VEVENT"]))
    ics("apple-calendar-birthday-allday.ics", vcal(APPLE, [
        "BEGIN:VEVENT", "UID:0B7F2E51-9A3C-4E1D-8F55-5A9D6C3B0002", f"DTSTAMP:{STAMP}",
        "DTSTART;VALUE=DATE:20250214", "DTEND;VALUE=DATE:20250215",
        "RRULE:FREQ=YEARLY", "SUMMARY:Anniversary", "TRANSP:TRANSPARENT",
        "X-APPLE-UNIVERSAL-ID:5b0f2b8c-1d5e-4b8a-9a55-0b7f2e519a3c",
        *apple_alarm("A1B2C3D4-0000-4000-8000-000000000002", "-PT15H"),
        "END:VEVENT"]))
    ics("apple-calendar-floating.ics", vcal(APPLE_IOS, [
        "BEGIN:VEVENT", "UID:2C8E5A77-3D11-4F0B-B7A2-91E0F5D40003", f"DTSTAMP:{STAMP}",
        "DTSTART:20260704T190000", "DTEND:20260704T230000", "SUMMARY:Fireworks (floating time)",
        "X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:DISABLED",
        "END:VEVENT"]))
    ics("apple-calendar-last-weekday-bysetpos.ics", vcal(APPLE, berlin + [
        "BEGIN:VEVENT", "UID:9D4A1F20-6B7E-4C2A-8E13-3F5B2D9C0004", f"DTSTAMP:{STAMP}",
        "DTSTART;TZID=Europe/Berlin:20260130T150000", "DTEND;TZID=Europe/Berlin:20260130T153000",
        "RRULE:FREQ=MONTHLY;COUNT=14;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        "SUMMARY:Monatsabschluss", "END:VEVENT"]))
    # Apple's "no alarm" placeholder and an acknowledged alarm, with a structured location
    # whose parameters are quoted and long.
    ics("apple-calendar-structured-location.ics", vcal(APPLE_IOS, berlin + [
        "BEGIN:VEVENT", "UID:41C0E6B9-7A58-4D2E-9C44-0E2F8B7A0005", f"DTSTAMP:{STAMP}",
        "DTSTART;TZID=Europe/Berlin:20261028T120000", "DTEND;TZID=Europe/Berlin:20261028T133000",
        "SUMMARY:Mittagessen im Café Größenwahn", "LOCATION:Café Größenwahn\\nKurfürstendamm 12\\, Berlin",
        'X-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-ADDRESS="Kurfürstendamm 12, 10719 Berlin, Deutschland";'
        'X-APPLE-RADIUS=70.58;X-APPLE-REFERENCEFRAME=1;X-TITLE="Café Größenwahn":geo:52.503800,13.331300',
        "BEGIN:VALARM", "X-WR-ALARMUID:E0F1D2C3-0000-4000-8000-000000000005", "ACTION:NONE",
        "TRIGGER;VALUE=DATE-TIME:19760401T005545Z", "X-APPLE-DEFAULT-ALARM:TRUE", "END:VALARM",
        "BEGIN:VALARM", "X-WR-ALARMUID:E0F1D2C3-0000-4000-8000-000000000006", "ACTION:DISPLAY",
        "TRIGGER:-PT30M", "DESCRIPTION:Reminder", "ACKNOWLEDGED:20261028T093000Z", "END:VALARM",
        "END:VEVENT"]))
    ics("apple-reminders-todo.ics", vcal(APPLE_IOS, [
        "BEGIN:VTODO", "UID:7F3E2D1C-8B9A-4C5D-AE6F-7081928A0006", f"DTSTAMP:{STAMP}",
        "CREATED:20261001T080000Z", "SUMMARY:Reifen wechseln", "DUE;VALUE=DATE:20261015",
        "DTSTART;VALUE=DATE:20261015", "X-APPLE-SORT-ORDER:710931600", "STATUS:NEEDS-ACTION",
        "PRIORITY:0", "END:VTODO"]))
    ics("apple-reminders-recurring-todo.ics", vcal(APPLE_IOS, berlin + [
        "BEGIN:VTODO", "UID:7F3E2D1C-8B9A-4C5D-AE6F-7081928A0007", f"DTSTAMP:{STAMP}",
        "SUMMARY:Blumen gießen", "DTSTART;TZID=Europe/Berlin:20260601T080000",
        "DUE;TZID=Europe/Berlin:20260601T090000", "RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=8",
        "X-APPLE-SORT-ORDER:710931601", "END:VTODO"]))


# --- Outlook through CalDAV connectors, and Exchange's .ics export ----------------------------
def outlook():
    # Outlook CalDav Synchronizer (ical.net): Windows zone names, Microsoft's 1601 rules.
    wet = current_rules("W. Europe Standard Time", "Europe/Berlin", 1601, rrule_order="day-first", tzname=False)
    ics("outlook-caldavsynchronizer-windows-tz.ics", vcal("-//github.com/rianjs/ical.net//NONSGML ical.net 4.0//EN", wet + [
        "BEGIN:VEVENT", "CLASS:PUBLIC", "CREATED:20260201T101010Z", "DESCRIPTION:Weekly sync",
        "DTEND;TZID=W. Europe Standard Time:20260302T143000", f"DTSTAMP:{STAMP}",
        "DTSTART;TZID=W. Europe Standard Time:20260302T140000",
        "EXDATE;TZID=W. Europe Standard Time:20260316T140000",
        "LAST-MODIFIED:20260201T101010Z", "PRIORITY:5", "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10",
        "SEQUENCE:0", "SUMMARY:Weekly sync", "TRANSP:OPAQUE",
        "UID:040000008200E00074C5B7101A82E0080000000020C4F1B7A0D3DC01000000000000000010000000A1B2C3D4E5F60718293A4B5C6D7E8F90",
        "X-MICROSOFT-CDO-BUSYSTATUS:BUSY", "END:VEVENT",
        "BEGIN:VEVENT", "DTEND;TZID=W. Europe Standard Time:20260406T103000", f"DTSTAMP:{STAMP}",
        "DTSTART;TZID=W. Europe Standard Time:20260406T100000",
        "RECURRENCE-ID;TZID=W. Europe Standard Time:20260406T140000", "SEQUENCE:1",
        "SUMMARY:Weekly sync (morning)",
        "UID:040000008200E00074C5B7101A82E0080000000020C4F1B7A0D3DC01000000000000000010000000A1B2C3D4E5F60718293A4B5C6D7E8F90",
        "END:VEVENT"]))
    # A connector that sends the Windows name without a VTIMEZONE.
    ics("outlook-windows-tzid-without-vtimezone.ics", vcal("-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", [
        "BEGIN:VEVENT", "UID:outlook-eastern-no-vtimezone@example.org", f"DTSTAMP:{STAMP}",
        "DTSTART;TZID=Eastern Standard Time:20261102T090000",
        "DTEND;TZID=Eastern Standard Time:20261102T100000",
        "RRULE:FREQ=DAILY;INTERVAL=3;COUNT=6", "SUMMARY:Check-in", "END:VEVENT"]))
    # Exchange 2010's .ics export: METHOD:PUBLISH, display-name TZIDs, CDO properties.
    cet = current_rules("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin",
                        1601, rrule_order="day-first", tzname=False)
    ics("exchange-export-display-name-tz.ics", vcal("Microsoft Exchange Server 2010", cet + [
        "BEGIN:VEVENT", "ORGANIZER;CN=Ana Lopez:MAILTO:ana@example.org",
        "DESCRIPTION;LANGUAGE=de-DE:Quartalsplanung\\n", "SUMMARY;LANGUAGE=de-DE:Quartalsplanung",
        "DTSTART;TZID=\"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna\":20260112T090000",
        "DTEND;TZID=\"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna\":20260112T120000",
        "RRULE:FREQ=MONTHLY;UNTIL=20261207T080000Z;INTERVAL=3;BYDAY=2MO",
        "UID:040000008200E00074C5B7101A82E00800000000B0A1C2D3E4F5DA01000000000000000010000000112233445566778899AABBCCDDEEFF00",
        "CLASS:PUBLIC", "PRIORITY:5", f"DTSTAMP:{STAMP}", "TRANSP:OPAQUE", "STATUS:CONFIRMED",
        "SEQUENCE:0", "LOCATION;LANGUAGE=de-DE:Raum 4.12", "X-MICROSOFT-CDO-APPT-SEQUENCE:0",
        "X-MICROSOFT-CDO-BUSYSTATUS:BUSY", "X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY",
        "X-MICROSOFT-CDO-ALLDAYEVENT:FALSE", "X-MICROSOFT-CDO-IMPORTANCE:1",
        "X-MICROSOFT-CDO-INSTTYPE:1", "X-MICROSOFT-DISALLOW-COUNTER:FALSE", "END:VEVENT"],
        method="PUBLISH"))
    eastern = current_rules("Eastern Standard Time", "America/New_York", 1601, rrule_order="day-first", tzname=False)
    ics("exchange-export-monthly-nth-override.ics", vcal("Microsoft Exchange Server 2010", eastern + [
        "BEGIN:VEVENT", "SUMMARY;LANGUAGE=en-US:Board meeting",
        "DTSTART;TZID=Eastern Standard Time:20260210T130000",
        "DTEND;TZID=Eastern Standard Time:20260210T150000",
        "RRULE:FREQ=MONTHLY;COUNT=10;BYDAY=2TU",
        "EXDATE;TZID=Eastern Standard Time:20260811T130000",
        "UID:040000008200E00074C5B7101A82E00800000000C0D1E2F3A4B5DA01000000000000000010000000FFEEDDCCBBAA99887766554433221100",
        "CLASS:PUBLIC", "PRIORITY:5", f"DTSTAMP:{STAMP}", "TRANSP:OPAQUE", "STATUS:CONFIRMED",
        "SEQUENCE:0", "X-MICROSOFT-CDO-BUSYSTATUS:BUSY", "X-MICROSOFT-CDO-INSTTYPE:1", "END:VEVENT",
        "BEGIN:VEVENT", "SUMMARY;LANGUAGE=en-US:Board meeting (moved to Thursday)",
        "DTSTART;TZID=Eastern Standard Time:20261112T100000",
        "DTEND;TZID=Eastern Standard Time:20261112T120000",
        "RECURRENCE-ID;TZID=Eastern Standard Time:20261110T130000",
        "UID:040000008200E00074C5B7101A82E00800000000C0D1E2F3A4B5DA01000000000000000010000000FFEEDDCCBBAA99887766554433221100",
        f"DTSTAMP:{STAMP}", "SEQUENCE:1", "X-MICROSOFT-CDO-INSTTYPE:3", "END:VEVENT"],
        method="PUBLISH"))
    # Outlook's all-day event: free, DATE values, CDO flags.
    ics("outlook-allday-free.ics", vcal("-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", [
        "BEGIN:VEVENT", "CLASS:PUBLIC", "DTSTART;VALUE=DATE:20261224", "DTEND;VALUE=DATE:20261227",
        f"DTSTAMP:{STAMP}", "SUMMARY:Weihnachten", "TRANSP:TRANSPARENT",
        "UID:040000008200E00074C5B7101A82E00800000000D1E2F3A4B5C6DA01000000000000000010000000ABCDEF0123456789ABCDEF0123456789",
        "X-MICROSOFT-CDO-BUSYSTATUS:FREE", "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE", "END:VEVENT"]))
    ics("outlook-tentative.ics", vcal("-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", wet + [
        "BEGIN:VEVENT", "CLASS:PUBLIC", "DTSTART;TZID=W. Europe Standard Time:20261203T150000",
        "DTEND;TZID=W. Europe Standard Time:20261203T163000", f"DTSTAMP:{STAMP}",
        "SUMMARY:Maybe: roadmap review", "STATUS:TENTATIVE", "TRANSP:OPAQUE",
        "UID:outlook-tentative@example.org", "X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE", "END:VEVENT"]))
    # An UNTIL written as a date while DTSTART is a date-time (older Outlook exports):
    # RFC 5545 §3.3.10 says both SHOULD have the same value type.
    ics("outlook-until-as-date.ics", vcal("-//Microsoft Corporation//Outlook 12.0 MIMEDIR//EN", wet + [
        "BEGIN:VEVENT", "DTSTART;TZID=W. Europe Standard Time:20260105T080000",
        "DTEND;TZID=W. Europe Standard Time:20260105T083000", f"DTSTAMP:{STAMP}",
        "RRULE:FREQ=WEEKLY;UNTIL=20260209;BYDAY=MO", "SUMMARY:Early call",
        "UID:outlook-until-date@example.org", "END:VEVENT"]))


# --- Thunderbird ------------------------------------------------------------------------------
TB = "-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN"


def thunderbird():
    paris = current_rules("Europe/Paris", "Europe/Paris", 1970, x_lic=True)
    ics("thunderbird-daily-exdate-override.ics", vcal(TB, paris + [
        "BEGIN:VEVENT", "CREATED:20260301T080000Z", "LAST-MODIFIED:20260301T081500Z", f"DTSTAMP:{STAMP}",
        "UID:5a1c0e9b-3f7d-4e2a-9b11-thunderbird01", "SUMMARY:Daily scrum",
        "RRULE:FREQ=DAILY;COUNT=20", "EXDATE:20260322T080000Z",
        "DTSTART;TZID=Europe/Paris:20260316T090000", "DTEND;TZID=Europe/Paris:20260316T091500",
        "TRANSP:OPAQUE", "X-MOZ-GENERATION:3", "SEQUENCE:1",
        "X-MOZ-LASTACK:20260316T075500Z",
        "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER;VALUE=DURATION:-PT5M", "DESCRIPTION:Default Mozilla Description",
        "END:VALARM", "END:VEVENT",
        "BEGIN:VEVENT", "CREATED:20260301T080000Z", "LAST-MODIFIED:20260320T120000Z", f"DTSTAMP:{STAMP}",
        "UID:5a1c0e9b-3f7d-4e2a-9b11-thunderbird01", "SUMMARY:Daily scrum (after the DST change)",
        "RECURRENCE-ID;TZID=Europe/Paris:20260329T090000",
        "DTSTART;TZID=Europe/Paris:20260329T100000", "DTEND;TZID=Europe/Paris:20260329T101500",
        "SEQUENCE:2", "X-MOZ-GENERATION:4", "END:VEVENT"]))
    # Lightning 0.x and 1.0 named zones with the /mozilla.org/ prefix.
    london = current_rules("/mozilla.org/20071231_1/Europe/London", "Europe/London", 1970, x_lic=True)
    ics("thunderbird-mozilla-org-tzid.ics", vcal("-//Mozilla.org/NONSGML Mozilla Calendar V1.0//EN", london + [
        "BEGIN:VEVENT", "CREATED:20261101T080000Z", f"DTSTAMP:{STAMP}", "UID:thunderbird-mozilla-tzid-02",
        "SUMMARY:Book club", "RRULE:FREQ=MONTHLY;BYDAY=-1WE;COUNT=6",
        "DTSTART;TZID=/mozilla.org/20071231_1/Europe/London:20261028T183000",
        "DTEND;TZID=/mozilla.org/20071231_1/Europe/London:20261028T200000",
        "END:VEVENT"]))
    ics("thunderbird-task.ics", vcal(TB, paris + [
        "BEGIN:VTODO", "CREATED:20261010T100000Z", f"DTSTAMP:{STAMP}", "UID:thunderbird-task-03",
        "SUMMARY:Rapport mensuel", "RRULE:FREQ=MONTHLY;BYMONTHDAY=1;COUNT=6",
        "DTSTART;TZID=Europe/Paris:20261101T090000", "DUE;TZID=Europe/Paris:20261101T170000",
        "PERCENT-COMPLETE:0", "X-MOZ-GENERATION:1", "END:VTODO"]))
    ics("thunderbird-allday-multiday.ics", vcal(TB, [
        "BEGIN:VEVENT", "CREATED:20261010T100000Z", f"DTSTAMP:{STAMP}", "UID:thunderbird-allday-04",
        "SUMMARY:Conférence", "DTSTART;VALUE=DATE:20261116", "DTEND;VALUE=DATE:20261119",
        "TRANSP:OPAQUE", "X-MOZ-GENERATION:1",
        "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER;VALUE=DURATION:-PT15H", "DESCRIPTION:Default Mozilla Description",
        "END:VALARM", "END:VEVENT"]))
    # An event with an RDATE list and a completed and a cancelled flag, in UTC.
    ics("thunderbird-rdate-utc.ics", vcal(TB, [
        "BEGIN:VEVENT", f"DTSTAMP:{STAMP}", "UID:thunderbird-rdate-05", "SUMMARY:Launch rehearsals",
        "DTSTART:20260907T130000Z", "DTEND:20260907T140000Z",
        "RDATE:20260914T130000Z,20260921T150000Z", "RDATE:20261005T090000Z",
        "X-MOZ-GENERATION:2", "END:VEVENT"]))


# --- DAVx5 (ical4j) and Android tasks apps --------------------------------------------------
DAVX5 = "+//IDN bitfire.at//DAVx5/4.3.16-ose ical4j/3.2.14 (at.techbee.jtx)"


def davx5():
    vienna = current_rules("Europe/Vienna", "Europe/Vienna", 1996, extra=["TZURL:https://www.tzurl.org/zoneinfo/Europe/Vienna"])
    ics("davx5-ical4j-duration-weekly.ics", vcal(DAVX5, [
        "BEGIN:VEVENT", f"DTSTAMP:{STAMP}", "UID:1b4f0c3a-davx5-android-0001",
        "SUMMARY:Yoga", "DTSTART;TZID=Europe/Vienna:20260407T183000", "DURATION:PT1H30M",
        "RRULE:FREQ=WEEKLY;WKST=MO;UNTIL=20260630T163000Z;BYDAY=TU,TH",
        "EXDATE;TZID=Europe/Vienna:20260416T183000,20260521T183000",
        "STATUS:CONFIRMED", "END:VEVENT"] + vienna))
    ics("davx5-ical4j-allday-duration.ics", vcal(DAVX5, [
        "BEGIN:VEVENT", f"DTSTAMP:{STAMP}", "UID:1b4f0c3a-davx5-android-0002",
        "SUMMARY:Urlaub", "DTSTART;VALUE=DATE:20260803", "DURATION:P5D", "TRANSP:OPAQUE",
        "END:VEVENT"]))
    ics("davx5-ical4j-rdate-exdate.ics", vcal(DAVX5, [
        "BEGIN:VEVENT", f"DTSTAMP:{STAMP}", "UID:1b4f0c3a-davx5-android-0003",
        "SUMMARY:Sprechstunde", "DTSTART;TZID=Europe/Vienna:20261005T100000",
        "DTEND;TZID=Europe/Vienna:20261005T110000", "RRULE:FREQ=WEEKLY;COUNT=5",
        "RDATE;TZID=Europe/Vienna:20261008T140000,20261015T140000",
        "EXDATE;TZID=Europe/Vienna:20261019T100000", "END:VEVENT"] + vienna))
    ics("jtx-board-task-recurring.ics", vcal("+//IDN bitfire.at//ical4android (at.techbee.jtx)", [
        "BEGIN:VTODO", f"DTSTAMP:{STAMP}", "UID:jtx-1730000000000-3f7e",
        "SUMMARY:Wochenbericht", "DTSTART;VALUE=DATE:20261106", "DUE;VALUE=DATE:20261107",
        "RRULE:FREQ=WEEKLY;COUNT=6", "STATUS:NEEDS-ACTION", "X-APPLE-SORT-ORDER:0",
        "END:VTODO"]))
    ics("tasks-org-todo-completed.ics", vcal("+//IDN tasks.org//android-130804//EN", [
        "BEGIN:VTODO", f"DTSTAMP:{STAMP}", "UID:5632478931245678901", "CREATED:20261001T120000Z",
        "LAST-MODIFIED:20261002T120000Z", "SUMMARY:Paket abholen", "DUE:20261002T160000Z",
        "STATUS:COMPLETED", "COMPLETED:20261002T151000Z", "PERCENT-COMPLETE:100", "PRIORITY:9",
        "END:VTODO"]))


# --- Google Calendar ------------------------------------------------------------------------
GOOGLE = "-//Google Inc//Google Calendar 70.9054//EN"


def google():
    la = current_rules("America/Los_Angeles", "America/Los_Angeles", 1970, x_lic=True)
    ics("google-weekly-until-override.ics", vcal(GOOGLE, la + [
        "BEGIN:VEVENT", "DTSTART;TZID=America/Los_Angeles:20260302T090000",
        "DTEND;TZID=America/Los_Angeles:20260302T093000",
        "RRULE:FREQ=WEEKLY;WKST=SU;UNTIL=20260413T065959Z;BYDAY=MO,WE", f"DTSTAMP:{STAMP}",
        "UID:4g3hj2k1l0m9n8b7v6c5x4z3a2@google.com", "CREATED:20260201T180000Z",
        "LAST-MODIFIED:20260201T180000Z", "SEQUENCE:0", "STATUS:CONFIRMED", "SUMMARY:Team sync",
        "TRANSP:OPAQUE", "END:VEVENT",
        "BEGIN:VEVENT", "DTSTART;TZID=America/Los_Angeles:20260311T150000",
        "DTEND;TZID=America/Los_Angeles:20260311T153000", f"DTSTAMP:{STAMP}",
        "UID:4g3hj2k1l0m9n8b7v6c5x4z3a2@google.com",
        "RECURRENCE-ID;TZID=America/Los_Angeles:20260311T090000", "CREATED:20260201T180000Z",
        "LAST-MODIFIED:20260305T180000Z", "SEQUENCE:1", "STATUS:CONFIRMED",
        "SUMMARY:Team sync (afternoon)", "TRANSP:OPAQUE", "END:VEVENT",
        # A cancelled instance, the way Google's CalDAV feed shows one.
        "BEGIN:VEVENT", "DTSTART;TZID=America/Los_Angeles:20260323T090000",
        "DTEND;TZID=America/Los_Angeles:20260323T093000", f"DTSTAMP:{STAMP}",
        "UID:4g3hj2k1l0m9n8b7v6c5x4z3a2@google.com",
        "RECURRENCE-ID;TZID=America/Los_Angeles:20260323T090000", "SEQUENCE:1",
        "STATUS:CANCELLED", "SUMMARY:Team sync", "TRANSP:OPAQUE", "END:VEVENT"],
        extra=["X-WR-CALNAME:Work", "X-WR-TIMEZONE:America/Los_Angeles"]))
    ics("google-allday-until-date.ics", vcal(GOOGLE, [
        "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20260105", "DTEND;VALUE=DATE:20260106",
        "RRULE:FREQ=WEEKLY;WKST=MO;UNTIL=20260223;BYDAY=MO", f"DTSTAMP:{STAMP}",
        "UID:0p9o8i7u6y5t4r3e2w1q@google.com", "SUMMARY:Bin day", "TRANSP:TRANSPARENT",
        "END:VEVENT"]))
    ics("google-utc-yearly-byweekno.ics", vcal(GOOGLE, [
        "BEGIN:VEVENT", "DTSTART:20260105T170000Z", "DTEND:20260105T180000Z",
        "RRULE:FREQ=YEARLY;BYWEEKNO=2,27;BYDAY=MO;COUNT=4", f"DTSTAMP:{STAMP}",
        "UID:weekno9x8c7v6b5n4m3@google.com", "SUMMARY:Half-year kickoff", "END:VEVENT"]))


# --- encodings and line forms ------------------------------------------------------------
def odd_forms():
    # A file saved by Windows tools (Notepad, Outlook's "Save as" through some add-ins)
    # with a UTF-8 byte-order mark.
    ics("bom-outlook-saved.ics", vcal("-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", [
        "BEGIN:VEVENT", "UID:bom-event@example.org", f"DTSTAMP:{STAMP}",
        "DTSTART:20261209T100000Z", "DTEND:20261209T110000Z", "SUMMARY:Starts with a BOM",
        "END:VEVENT"]), bom=True)
    # Bare LF line ends (Unix tools, hand-written files, some PHP libraries).
    ics("lf-line-ends.ics", vcal("-//Sabre//Sabre VObject 4.5.4//EN", [
        "BEGIN:VEVENT", "UID:lf-event@example.org", f"DTSTAMP:{STAMP}",
        "DTSTART;TZID=Europe/Berlin:20261210T100000", "DTEND;TZID=Europe/Berlin:20261210T113000",
        "RRULE:FREQ=DAILY;UNTIL=20261213T090000Z", "SUMMARY:LF only", "END:VEVENT"]), eol="\n")
    # Folds cut inside a multi-byte UTF-8 sequence (libical before 3.0, some Java writers).
    ics("folded-inside-utf8.ics", vcal("-//Ximian//NONSGML Evolution Calendar//EN", [
        "BEGIN:VEVENT", "UID:fold-utf8@example.org", f"DTSTAMP:{STAMP}",
        "DTSTART;VALUE=DATE:20261220", "SUMMARY:ÄÖÜäöüß ÄÖÜäöüß ÄÖÜäöüß ÄÖÜäöüß ÄÖÜäöüß ÄÖÜäöüß ÄÖÜäöüß — ✓✓✓✓ 日本語日本語",
        "DESCRIPTION:Ελληνικά κείμενα που διπλώνονται στη μέση ενός χαρακτήρα πολλών byte για δοκιμή.",
        "END:VEVENT"]), split_utf8=True)
    # Folds with a TAB, and a fold right after the property name.
    lines = vcal("-//Example Corp.//CalDAV Client//EN", [
        "BEGIN:VEVENT", "UID:fold-tab@example.org", f"DTSTAMP:{STAMP}",
        "DTSTART;TZID=America/New_York:20261215T083000", "DTEND;TZID=America/New_York:20261215T090000",
        "SUMMARY:Folded with a tab", "END:VEVENT"])
    data = text(lines).replace(b"DTSTART;TZID=America/New_York:", b"DTSTART;TZID=America/\r\n\tNew_York:")
    data = data.replace(b"SUMMARY:Folded", b"SUMMARY:\r\n Folded")
    write(CAL, "folded-tab-and-name.ics", data, "documented")


# --- Python icalendar (khal, Radicale's clients, the caldav library) --------------------------------
def python_icalendar():
    def cal():
        c = icalendar.Calendar()
        c.add("prodid", "-//icalendar-py//khal//EN")
        c.add("version", "2.0")
        return c

    stamp = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.timezone.utc)
    sydney = zoneinfo.ZoneInfo("Australia/Sydney")
    c = cal()
    ev = icalendar.Event()
    ev.add("uid", "icalendar-sydney-fortnightly@example.org")
    ev.add("dtstamp", stamp)
    ev.add("summary", "Fortnightly review (Sydney)")
    ev.add("dtstart", dt.datetime(2026, 3, 23, 9, 0, tzinfo=sydney))
    ev.add("dtend", dt.datetime(2026, 3, 23, 10, 0, tzinfo=sydney))
    ev.add("rrule", {"freq": "weekly", "interval": 2, "count": 8, "byday": "MO"})
    ev.add("exdate", dt.datetime(2026, 4, 20, 9, 0, tzinfo=sydney))
    c.add_component(ev)
    c.add_missing_timezones(first_date=dt.date(2026, 1, 1), last_date=dt.date(2028, 1, 1))
    write(CAL, "python-icalendar-sydney-dst.ics", c.to_ical(), "icalendar")

    ny = zoneinfo.ZoneInfo("America/New_York")
    c = cal()
    ev = icalendar.Event()
    ev.add("uid", "icalendar-thanksgiving@example.org")
    ev.add("dtstamp", stamp)
    ev.add("summary", "Thanksgiving dinner")
    ev.add("dtstart", dt.datetime(2026, 11, 26, 17, 0, tzinfo=ny))
    ev.add("duration", dt.timedelta(hours=3))
    ev.add("rrule", {"freq": "yearly", "bymonth": 11, "byday": "4TH", "until": dt.datetime(2029, 1, 1, tzinfo=dt.timezone.utc)})
    c.add_component(ev)
    ov = icalendar.Event()
    ov.add("uid", "icalendar-thanksgiving@example.org")
    ov.add("dtstamp", stamp)
    ov.add("summary", "Thanksgiving dinner (at noon)")
    ov.add("recurrence-id", dt.datetime(2027, 11, 25, 17, 0, tzinfo=ny))
    ov.add("dtstart", dt.datetime(2027, 11, 25, 12, 0, tzinfo=ny))
    ov.add("dtend", dt.datetime(2027, 11, 25, 15, 0, tzinfo=ny))
    c.add_component(ov)
    c.add_missing_timezones(first_date=dt.date(2026, 1, 1), last_date=dt.date(2030, 1, 1))
    write(CAL, "python-icalendar-yearly-nth-override.ics", c.to_ical(), "icalendar")

    c = cal()
    todo = icalendar.Todo()
    todo.add("uid", "icalendar-todo@example.org")
    todo.add("dtstamp", stamp)
    todo.add("summary", "Renew passport")
    todo.add("dtstart", dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone.utc))
    todo.add("duration", dt.timedelta(days=2))
    todo.add("priority", 1)
    c.add_component(todo)
    write(CAL, "python-icalendar-todo-duration.ics", c.to_ical(), "icalendar")

    c = cal()
    ev = icalendar.Event()
    ev.add("uid", "icalendar-floating-daily@example.org")
    ev.add("dtstamp", stamp)
    ev.add("summary", "Medication (floating)")
    ev.add("dtstart", dt.datetime(2026, 12, 5, 8, 0))
    ev.add("dtend", dt.datetime(2026, 12, 5, 8, 15))
    ev.add("rrule", {"freq": "daily", "until": dt.datetime(2026, 12, 20, 8, 0)})
    c.add_component(ev)
    write(CAL, "python-icalendar-floating-until-local.ics", c.to_ical(), "icalendar")


# --- vCards -----------------------------------------------------------------------------------
def vcards():
    apple = "-//Apple Inc.//macOS 14.5//EN"
    vcf("apple-contacts-photo-base64.vcf", [
        "BEGIN:VCARD", "VERSION:3.0", f"PRODID:{apple}", "N:Appleseed;Johnny;;;",
        "FN:Johnny Appleseed", "ORG:Apple Inc.;", "EMAIL;type=INTERNET;type=WORK;type=pref:johnny@apple.example",
        "TEL;type=CELL;type=VOICE;type=pref:+1 (408) 555-0101", f"PHOTO;BASE64:{PNG}",
        "UID:apple-contact-photo-base64", "X-ABUID:9F7A3C10-0001:ABPerson", "END:VCARD"])
    vcf("apple-contacts-itemn-labels.vcf", [
        "BEGIN:VCARD", "VERSION:3.0", f"PRODID:{apple}", "N:Müller-Lüdenscheidt;Renée;;Dr.;",
        "FN:Dr. Renée Müller-Lüdenscheidt", "NICKNAME:René", "ORG:Großhandel GmbH;Einkauf",
        "TITLE:Einkäuferin", "item1.EMAIL;type=INTERNET;type=pref:renee@grosshandel.example",
        "item1.X-ABLabel:_$!<Other>!$_", "item2.TEL:+49 30 1234567", "item2.X-ABLabel:Büro",
        "TEL;type=HOME;type=VOICE:+49 30 7654321",
        "item3.ADR;type=WORK;type=pref:;;Hauptstraße 5;Berlin;;10115;Deutschland",
        "item3.X-ABADR:de", "item4.URL;type=pref:https\\://grosshandel.example", "item4.X-ABLabel:_$!<HomePage>!$_",
        "BDAY:1984-02-29", "UID:apple-contact-itemn", "X-ABUID:9F7A3C10-0002:ABPerson", "END:VCARD"])
    vcf("apple-contacts-company.vcf", [
        "BEGIN:VCARD", "VERSION:3.0", f"PRODID:{apple}", "N:;;;;", "FN:Café Zürich AG",
        "ORG:Café Zürich AG;", "X-ABShowAs:COMPANY", "TEL;type=WORK;type=VOICE;type=pref:+41 44 555 01 00",
        "EMAIL;type=INTERNET;type=WORK:info@cafe-zuerich.example", "UID:apple-contact-company", "END:VCARD"])
    vcf("apple-contacts-group.vcf", [
        "BEGIN:VCARD", "VERSION:3.0", f"PRODID:{apple}", "N:Book club", "FN:Book club",
        "X-ADDRESSBOOKSERVER-KIND:group",
        "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:apple-contact-itemn",
        "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:apple-contact-photo-base64",
        "UID:apple-contact-group", "END:VCARD"])
    vcf("apple-contacts-photo-encoding-b.vcf", [
        "BEGIN:VCARD", "VERSION:3.0", f"PRODID:{APPLE_IOS}", "N:Öztürk;İlkay;;;", "FN:İlkay Öztürk",
        "EMAIL;type=INTERNET;type=HOME;type=pref:ilkay@example.com.tr", "TEL;type=IPHONE;type=CELL;type=VOICE;type=pref:+90 212 555 0199",
        f"PHOTO;ENCODING=b;TYPE=PNG:{PNG}", "UID:apple-contact-encoding-b", "END:VCARD"])
    # Google Contacts' export (vCard 3.0), a photo by URL.
    vcf("google-contacts-export.vcf", [
        "BEGIN:VCARD", "VERSION:3.0", "FN:Zoë Saldaña", "N:Saldaña;Zoë;;;",
        "EMAIL;TYPE=INTERNET;TYPE=HOME:zoe.saldana@gmail.example",
        "EMAIL;TYPE=INTERNET;TYPE=WORK:zsaldana@studio.example", "TEL;TYPE=CELL:(213) 555-0142",
        "item1.ORG:Studio Example", "item1.X-ABLabel:", "CATEGORIES:myContacts,Friends",
        "PHOTO:https://lh3.googleusercontent.com/contacts/AHfHd1X3example=s96",
        "UID:google-contact-1", "END:VCARD"])
    # Outlook's vCard 2.1 export: QUOTED-PRINTABLE with soft line breaks, CHARSET, bare
    # TYPE names, a base64 photo ending in a blank line.
    vcf("outlook-vcard21-quoted-printable.vcf", [
        "BEGIN:VCARD", "VERSION:2.1", "N;LANGUAGE=de-de;CHARSET=utf-8;ENCODING=QUOTED-PRINTABLE:Gr=C3=BCn;J=C3=BCrgen",
        "FN;CHARSET=utf-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen Gr=C3=BCn",
        "ORG;CHARSET=utf-8:Stadtwerke M\u00fcnchen", "TITLE:Leiter Netzbetrieb",
        "TEL;WORK;VOICE:+49 89 2361 0", "TEL;CELL;VOICE:+49 170 5550123",
        "ADR;WORK;PREF;CHARSET=utf-8;ENCODING=QUOTED-PRINTABLE:;;Emmy-Noether-Stra=C3=9Fe 2;M=C3=BCnchen;;80992;=",
        "Deutschland",
        "LABEL;WORK;PREF;CHARSET=utf-8;ENCODING=QUOTED-PRINTABLE:Emmy-Noether-Stra=C3=9Fe 2=0D=0A=",
        "80992 M=C3=BCnchen",
        "EMAIL;PREF;INTERNET:juergen.gruen@swm.example", "X-MS-OL-DEFAULT-POSTAL-ADDRESS:2",
        "REV:20261101T090000Z", "UID:outlook-vcard21-qp", "END:VCARD"], nofold=True)
    vcf("outlook-vcard21-photo.vcf", [
        "BEGIN:VCARD", "VERSION:2.1", "N:Smith;Alexandra", "FN:Alexandra Smith",
        "ORG:Contoso Ltd.", "TEL;WORK;VOICE:(425) 555-0199", "EMAIL;PREF;INTERNET:alex@contoso.example",
        "PHOTO;TYPE=PNG;ENCODING=BASE64:", "  " + PNG[:40], "  " + PNG[40:], "",
        "UID:outlook-vcard21-photo", "END:VCARD"], nofold=True)
    # Thunderbird 102+ (vCard 4.0 in its own address book, synced by CardBook/TbSync).
    vcf("thunderbird-vcard4.vcf", [
        "BEGIN:VCARD", "VERSION:4.0", "PRODID:-//Thunderbird//NONSGML Address Book//EN",
        "FN:Søren Kierkegaard", "N:Kierkegaard;Søren;;;", "EMAIL;PREF=1:soren@filosofi.example",
        "EMAIL;TYPE=work:s.kierkegaard@universitet.example", "TEL;TYPE=cell;VALUE=TEXT:+45 20 55 01 23",
        "ORG:Københavns Universitet", "NOTE:Enten – Eller", "X-MOZILLA-HTML:FALSE",
        "UID:thunderbird-vcard4", "END:VCARD"])
    vcf("thunderbird-vcard4-photo-data-uri.vcf", [
        "BEGIN:VCARD", "VERSION:4.0", "PRODID:-//Thunderbird//NONSGML Address Book//EN",
        "FN:Ada Lovelace", "N:Lovelace;Ada;;;", "EMAIL;PREF=1:ada@analytical.example",
        f"PHOTO:data:image/png;base64,{PNG}", "UID:thunderbird-vcard4-photo", "END:VCARD"])
    # Evolution (libebook, vCard 3.0).
    vcf("evolution-contact.vcf", [
        "BEGIN:VCARD", "VERSION:3.0", "UID:evolution-contact-1", "FN:Jean-Luc Picard",
        "N:Picard;Jean-Luc;;;", "X-EVOLUTION-FILE-AS:Picard\\, Jean-Luc",
        "EMAIL;X-EVOLUTION-UI-SLOT=1;TYPE=WORK:picard@starfleet.example",
        "EMAIL;X-EVOLUTION-UI-SLOT=2;TYPE=HOME:jlp@labarre.example",
        "TEL;TYPE=CELL;X-EVOLUTION-UI-SLOT=1:+33 6 55 01 23 45", "ORG:Starfleet;Enterprise",
        f"PHOTO;ENCODING=b;TYPE=\"image/png\":{PNG}", "X-MOZILLA-HTML:FALSE",
        "REV:2026-11-01T09:00:00Z", "END:VCARD"])
    vcf("evolution-contact-list.vcf", [
        "BEGIN:VCARD", "VERSION:3.0", "UID:evolution-list-1", "FN:Bridge crew", "N:;;;;",
        "X-EVOLUTION-LIST:TRUE", "X-EVOLUTION-LIST-SHOW-ADDRESSES:FALSE",
        "EMAIL;X-EVOLUTION-DEST-CONTACT-UID=evolution-contact-1;X-EVOLUTION-DEST-EMAIL-NUM=0;"
        "X-EVOLUTION-DEST-HTML-MAIL=FALSE;X-EVOLUTION-DEST-NAME=Jean-Luc Picard:picard@starfleet.example",
        "END:VCARD"])
    # DAVx5 (ez-vcard), vCard 3.0 and 4.0.
    vcf("davx5-ezvcard-v3.vcf", [
        "BEGIN:VCARD", "VERSION:3.0", "PRODID:+//IDN bitfire.at//DAVx5/4.3.16-ose ez-vcard/0.11.3",
        "UID:0e7f5a12-davx5-contact-1", "FN:Mei-Ling Chen", "N:Chen;Mei-Ling;;;",
        "X-PHONETIC-FIRST-NAME:Mei Ling", "TEL;TYPE=cell:+86 10 5550 1234",
        "EMAIL;TYPE=home:meiling.chen@example.cn", "item1.X-ABRELATEDNAMES:Wei Chen",
        "item1.X-ABLabel:_$!<Spouse>!$_", "ORG:陈氏贸易有限公司", f"PHOTO;ENCODING=b:{PNG}",
        "REV:20261101T090000Z", "END:VCARD"])
    vcf("davx5-ezvcard-v4.vcf", [
        "BEGIN:VCARD", "VERSION:4.0", "PRODID:+//IDN bitfire.at//DAVx5/4.3.16-ose ez-vcard/0.11.3",
        "UID:urn:uuid:4a1c2d3e-davx5-contact-2", "FN:Ngozi Okonjo", "N:Okonjo;Ngozi;;;",
        "TEL;TYPE=work,voice;VALUE=uri:tel:+234-1-555-0100", "EMAIL;TYPE=work:ngozi@okonjo.example",
        "ORG:Okonjo & Partners", "KIND:individual", "REV:20261101T090000Z", "END:VCARD"])
    # Odd forms: a BOM, bare LF, a fold inside a multi-byte character.
    vcf("bom-contact.vcf", [
        "BEGIN:VCARD", "VERSION:3.0", "UID:bom-contact", "FN:Björn Bom", "N:Bom;Björn;;;",
        "EMAIL:bjorn@bom.example", "END:VCARD"], bom=True)
    vcf("lf-contact.vcf", [
        "BEGIN:VCARD", "VERSION:3.0", "UID:lf-contact", "FN:Line Feed", "N:Feed;Line;;;",
        "TEL:+1 555 0110", "END:VCARD"], eol="\n")
    vcf("folded-inside-utf8-contact.vcf", [
        "BEGIN:VCARD", "VERSION:3.0", "UID:fold-utf8-contact",
        "FN:Παναγιώτης Αλεξανδρόπουλος-Κωνσταντινόπουλος Δημητρακόπουλος",
        "N:Αλεξανδρόπουλος-Κωνσταντινόπουλος;Παναγιώτης;;;",
        "NOTE:Σημείωση που διπλώνεται στη μέση ενός χαρακτήρα UTF-8 για να ελεγχθεί η ένωση των γραμμών.",
        "EMAIL:panos@example.gr", "END:VCARD"], split_utf8=True)
    # vobject (Radicale, khard) building and serializing cards.
    for uid, fn, given, family, email, tel, org in [
        ("vobject-contact-1", "Ærøskøbing Ferry Office", "", "", "ferry@aeroe.example", "+45 62 52 40 00", ["Ærø Færgerne", "Billetsalg"]),
        ("vobject-contact-2", "François d'Eaubonne, Jr.", "François", "d'Eaubonne", "francois@eaubonne.example", "+33 1 55 55 01 01", ["Éditions; Ouvertes"]),
        ("vobject-contact-3", "STRASSE Straße straße", "Straße", "Strasse", "strasse@example.de", "030 123 456", ["Straßenbau AG"]),
    ]:
        card = vobject.vCard()
        card.add("uid").value = uid
        card.add("fn").value = fn
        card.add("n").value = vobject.vcard.Name(family=family, given=given)
        e = card.add("email")
        e.value = email
        e.type_param = "INTERNET"
        t = card.add("tel")
        t.value = tel
        t.type_param = "WORK"
        card.add("org").value = org
        write(CARD, f"{uid}.vcf", card.serialize(), "vobject")


def libical():
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "libical_objects.py")
    probe = subprocess.run(["/usr/bin/python3", "-c", "import gi; gi.require_version('ICalGLib', '3.0')"],
                           capture_output=True)
    if probe.returncode != 0:
        print("  libical    bindings not installed (gir1.2-ical-3.0, python3-gi): committed files kept")
        return
    out = CAL if not CHECK else "/tmp/agora-corpus-libical-check"
    os.makedirs(out, exist_ok=True)
    subprocess.run(["/usr/bin/python3", script, out], check=True)


def main():
    os.makedirs(CAL, exist_ok=True)
    os.makedirs(CARD, exist_ok=True)
    apple()
    outlook()
    thunderbird()
    davx5()
    google()
    odd_forms()
    python_icalendar()
    libical()
    vcards()
    if CHECK and changed:
        sys.exit("would change: " + ", ".join(changed))


if __name__ == "__main__":
    main()
