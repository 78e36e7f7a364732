#!/usr/bin/env python3
"""`agora migrate` from real servers of other projects, and from a second Agora.

    migrate_driver.py RESULTS_TSV

Everything else comes from the environment (migrate.sh sets it): AGORA_BIN, AGORA_URL
and AGORA_STORE_ARGS (JSON list: the target Agora and the --data-dir/--store its
administration commands need), MIGRATE_USER / MIGRATE_PASSWORD (the target user),
RADICALE_URL, XANDIKOS_URL, SOURCE_AGORA_URL / SOURCE_STORE_ARGS (a second Agora),
MIGRATE_BULK (events and contacts loaded in the second Agora), and WORK (a temp dir).

For Radicale and Xandikos: seeds a few hundred objects by plain WebDAV PUT (recurring
events with overridden instances, all-day events, events with a VTIMEZONE, a meeting
the user organises, tasks, journal entries, vCard 3.0 and 4.0 with photos) in
collections with names, colours and descriptions; runs `agora migrate`; checks over
Agora's CalDAV/CardDAV that every object came (same UIDs, the same components and
properties once parsed: servers reformat), that the collection properties came, and
that the outgoing iMIP queue is empty; then changes one object, adds one and deletes
one at the source and checks that a second run reports exactly 1 updated, 1 created,
1 deleted and the rest unchanged. For the second Agora: loads MIGRATE_BULK events and
contacts with `agora import`, migrates them, checks the counts and a sample.

Each check is PASS or FAIL (a check that cannot run because an earlier step failed is
SKIP, which fails the suite too), written to RESULTS_TSV as check<TAB>STATUS<TAB>detail.
"""

import json
import os
import random
import re
import subprocess
import sys
import time
import traceback
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

import icalendar
import requests
import vobject

RESULTS = sys.argv[1]
ENV = os.environ
AGORA_BIN = ENV["AGORA_BIN"]
AGORA_URL = ENV["AGORA_URL"].rstrip("/")
STORE_ARGS = json.loads(ENV["AGORA_STORE_ARGS"])
USER, PASSWORD = ENV["MIGRATE_USER"], ENV["MIGRATE_PASSWORD"]
WORK = ENV["WORK"]
BULK = int(ENV.get("MIGRATE_BULK", "20000"))
results = []
failed_steps = set()

DAV = "{DAV:}"
NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CR="urn:ietf:params:xml:ns:carddav" ' \
     'xmlns:A="http://apple.com/ns/ical/"'


def record(name, status, detail=""):
    results.append((name, status, detail))
    print(f"  {status:4}  {name}" + (f": {detail}" if detail and status != "PASS" else ""), flush=True)


def check(name, fn, needs=()):
    """Runs fn() as a check; an exception fails it. Returns fn's value or None."""
    if any(n in failed_steps for n in needs):
        record(name, "SKIP", "an earlier step failed: " + ", ".join(n for n in needs if n in failed_steps))
        failed_steps.add(name)
        return None
    try:
        value = fn()
        record(name, "PASS")
        return value
    except Exception as e:  # noqa: BLE001 - every failure is reported
        detail = f"{type(e).__name__}: {e}"
        record(name, "FAIL", detail[:500])
        traceback.print_exc()
        failed_steps.add(name)
        return None


# --- plain WebDAV --------------------------------------------------------------------

def dav(method, url, auth, body=None, depth=None, ctype="application/xml; charset=utf-8"):
    headers = {}
    if body is not None:
        headers["Content-Type"] = ctype
    if depth is not None:
        headers["Depth"] = depth
    r = requests.request(method, url, data=body.encode() if isinstance(body, str) else body,
                         headers=headers, auth=auth, timeout=120)
    return r


def put(url, auth, text, ctype):
    r = dav("PUT", url, auth, text, ctype=ctype)
    assert r.status_code in (200, 201, 204), f"PUT {url}: {r.status_code} {r.text[:200]}"


def mkcol(url, auth, kind, name, color=None, description=None, comps=None):
    """Extended MKCOL (RFC 5689) with the resource type, name and component set, then a
    PROPPATCH of colour and description (Xandikos takes those only by PROPPATCH, and
    refuses a component set: its calendars then take every component)."""
    rtype = "<C:calendar/>" if kind == "calendar" else "<CR:addressbook/>"
    props = f"<D:resourcetype><D:collection/>{rtype}</D:resourcetype><D:displayname>{escape(name)}</D:displayname>"
    if comps:
        props += "<C:supported-calendar-component-set>" + "".join(
            f'<C:comp name="{c}"/>' for c in comps) + "</C:supported-calendar-component-set>"
    body = f'<?xml version="1.0"?><D:mkcol {NS}><D:set><D:prop>{props}</D:prop></D:set></D:mkcol>'
    r = dav("MKCOL", url, auth, body)
    if r.status_code == 403 or (r.status_code == 201 and b"403" in r.content and comps):
        # A server that refuses the component set at creation: create without it.
        body = body.replace(props, props.split("<C:supported-calendar-component-set>")[0])
        dav("DELETE", url, auth)
        r = dav("MKCOL", url, auth, body)
    assert r.status_code in (200, 201), f"MKCOL {url}: {r.status_code} {r.text[:300]}"
    patch = ""
    if color:
        patch += f"<A:calendar-color>{color}</A:calendar-color>"
    if description:
        tag = "C:calendar-description" if kind == "calendar" else "CR:addressbook-description"
        patch += f"<{tag}>{escape(description)}</{tag}>"
    if patch:
        body = f'<?xml version="1.0"?><D:propertyupdate {NS}><D:set><D:prop>{patch}</D:prop></D:set></D:propertyupdate>'
        r = dav("PROPPATCH", url, auth, body)
        assert r.status_code == 207 and b"200 OK" in r.content, f"PROPPATCH {url}: {r.status_code} {r.text[:300]}"


def propfind(url, auth, props, depth="0"):
    body = f'<?xml version="1.0"?><D:propfind {NS}><D:prop>{props}</D:prop></D:propfind>'
    r = dav("PROPFIND", url, auth, body, depth=depth)
    assert r.status_code == 207, f"PROPFIND {url}: {r.status_code} {r.text[:300]}"
    return ET.fromstring(r.content)


def members(url, auth, data_prop):
    """{href: text} of every member of a collection, by a REPORT that returns the data."""
    if data_prop == "calendar-data":
        body = (f'<?xml version="1.0"?><C:calendar-query {NS}><D:prop><C:calendar-data/></D:prop>'
                '<C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>')
        ns = "{urn:ietf:params:xml:ns:caldav}"
    else:
        body = (f'<?xml version="1.0"?><CR:addressbook-query {NS}><D:prop><CR:address-data/></D:prop>'
                '<CR:filter><CR:prop-filter name="UID"/></CR:filter></CR:addressbook-query>')
        ns = "{urn:ietf:params:xml:ns:carddav}"
    r = dav("REPORT", url, auth, body, depth="1")
    assert r.status_code == 207, f"REPORT {url}: {r.status_code} {r.text[:300]}"
    out = {}
    for resp in ET.fromstring(r.content).iter(DAV + "response"):
        href = resp.find(DAV + "href").text
        data = resp.find(f".//{ns}{data_prop}")
        if data is not None and data.text:
            out[href] = data.text
    return out


# --- what is compared ------------------------------------------------------------------

CAL_PROPS = ("SUMMARY", "DTSTART", "DTEND", "DUE", "RRULE", "RECURRENCE-ID", "DESCRIPTION", "LOCATION",
             "STATUS", "ORGANIZER", "ATTENDEE", "EXDATE", "CATEGORIES", "PRIORITY")
CARD_PROPS = ("fn", "n", "email", "tel", "org", "photo", "bday", "note")


def calendar_digest(text):
    """{(uid, kind, recurrence-id): {prop: sorted values}} of an iCalendar text."""
    out = {}
    cal = icalendar.Calendar.from_ical(text)
    for comp in cal.walk():
        if comp.name not in ("VEVENT", "VTODO", "VJOURNAL"):
            continue
        rid = comp.get("RECURRENCE-ID")
        key = (str(comp.get("UID")), comp.name, rid.to_ical().decode() if rid is not None else "")
        props = {}
        for name in CAL_PROPS:
            values = comp.get(name)
            if values is None:
                continue
            if not isinstance(values, list):
                values = [values]
            props[name] = sorted(v.to_ical().decode() if hasattr(v, "to_ical") else str(v) for v in values)
        out[key] = props
    return out


def card_digest(text):
    card = vobject.readOne(text)
    uid = card.uid.value
    props = {}
    for name in CARD_PROPS:
        values = card.contents.get(name, [])
        if values:
            props[name] = sorted(str(v.value) for v in values)
    props["version"] = card.version.value
    return {uid: props}


def digest_all(texts, card):
    out = {}
    for t in texts:
        out.update(card_digest(t) if card else calendar_digest(t))
    return out


# --- seeds -------------------------------------------------------------------------------

VTIMEZONE = ("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
             "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
             "END:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\n"
             "TZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n")
PHOTO = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def vcal(body, tz=False):
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agora conformance//migrate//EN\r\n"
            + (VTIMEZONE if tz else "") + body + "END:VCALENDAR\r\n")


def event(i, tag):
    uid = f"{tag}-ev-{i}"
    day = 1 + i % 28
    month = 1 + (i // 28) % 12
    stamp = "DTSTAMP:20260101T000000Z\r\n"
    if i % 5 == 0:  # weekly series in a time zone, with an overridden instance
        start = f"2026{month:02d}{day:02d}T090000"
        return uid, vcal(
            f"BEGIN:VEVENT\r\nUID:{uid}\r\n{stamp}DTSTART;TZID=Europe/Paris:{start}\r\n"
            f"DTEND;TZID=Europe/Paris:2026{month:02d}{day:02d}T100000\r\nRRULE:FREQ=WEEKLY;COUNT=6\r\n"
            f"SUMMARY:Series {i}\r\nEND:VEVENT\r\n"
            f"BEGIN:VEVENT\r\nUID:{uid}\r\n{stamp}RECURRENCE-ID;TZID=Europe/Paris:{start}\r\n"
            f"DTSTART;TZID=Europe/Paris:2026{month:02d}{day:02d}T140000\r\n"
            f"DTEND;TZID=Europe/Paris:2026{month:02d}{day:02d}T150000\r\nSUMMARY:Series {i} (moved)\r\n"
            "END:VEVENT\r\n", tz=True)
    if i % 5 == 1:  # all-day
        return uid, vcal(f"BEGIN:VEVENT\r\nUID:{uid}\r\n{stamp}DTSTART;VALUE=DATE:2026{month:02d}{day:02d}\r\n"
                         f"SUMMARY:Holiday {i}\r\nEND:VEVENT\r\n")
    if i % 5 == 2:  # a meeting the user organises: bringing it must mail nobody
        return uid, vcal(f"BEGIN:VEVENT\r\nUID:{uid}\r\n{stamp}DTSTART:2026{month:02d}{day:02d}T120000Z\r\n"
                         f"DTEND:2026{month:02d}{day:02d}T130000Z\r\nSUMMARY:Meeting {i}\r\n"
                         f"ORGANIZER:mailto:{USER}@example.org\r\n"
                         f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{USER}@example.org\r\n"
                         "ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:someone@elsewhere.example\r\n"
                         "END:VEVENT\r\n")
    return uid, vcal(f"BEGIN:VEVENT\r\nUID:{uid}\r\n{stamp}DTSTART:2026{month:02d}{day:02d}T080000Z\r\n"
                     f"DTEND:2026{month:02d}{day:02d}T083000Z\r\nSUMMARY:Event {i}\r\n"
                     f"DESCRIPTION:Line one\\nline two\\, with a comma\r\nLOCATION:Room {i}\r\nEND:VEVENT\r\n")


def todo(i, tag):
    uid = f"{tag}-todo-{i}"
    return uid, vcal(f"BEGIN:VTODO\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Task {i}\r\n"
                     f"DUE:202612{1 + i % 28:02d}T170000Z\r\nPRIORITY:{1 + i % 9}\r\nSTATUS:NEEDS-ACTION\r\n"
                     "END:VTODO\r\n")


def journal(i, tag):
    uid = f"{tag}-note-{i}"
    return uid, vcal(f"BEGIN:VJOURNAL\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n"
                     f"DTSTART;VALUE=DATE:202603{1 + i:02d}\r\nSUMMARY:Note {i}\r\nDESCRIPTION:Minutes {i}\r\n"
                     "END:VJOURNAL\r\n")


def card(i, tag):
    uid = f"{tag}-card-{i}"
    if i % 2:
        return uid, (f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:Person {i}\r\nN:{i};Person;;;\r\n"
                     f"EMAIL;TYPE=INTERNET:p{i}@example.net\r\nTEL;TYPE=CELL:+33 6 00 00 {i % 100:02d}\r\n"
                     f"PHOTO;ENCODING=b;TYPE=PNG:{PHOTO}\r\nEND:VCARD\r\n")
    return uid, (f"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:{uid}\r\nFN:Person {i}\r\nN:{i};Person;;;\r\n"
                 f"EMAIL:p{i}@example.net\r\nORG:Example {i}\r\n"
                 f"PHOTO:data:image/png;base64,{PHOTO}\r\nEND:VCARD\r\n")


# --- the CLI -----------------------------------------------------------------------------

def agora(*args, store=None, env=None, timeout=1800):
    cmd = [AGORA_BIN, *(store or STORE_ARGS), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env={**ENV, **(env or {})},
                          stdin=subprocess.DEVNULL)


def migrate(url, login, password, state):
    env = {"AGORA_MIGRATE_PASSWORD": password}
    t0 = time.monotonic()
    out = agora("migrate", "--from", url, "--user", USER, "--login", login, "--state", state, env=env)
    took = time.monotonic() - t0
    print(out.stdout, out.stderr[-2000:], sep="\n", flush=True)
    assert out.returncode == 0, f"agora migrate exited {out.returncode}: {out.stderr[-800:]}"
    assert password not in out.stdout + out.stderr, "the password was printed"
    return out.stdout, took


def report_lines(stdout):
    """{remote URL: (created, updated, deleted, unchanged, skipped, local)} of a migrate report."""
    out = {}
    for line in stdout.splitlines():
        m = re.match(r"\s+(\S+) -> (\S+): (\d+) created, (\d+) updated, (\d+) deleted, (\d+) unchanged, (\d+) skipped",
                     line)
        if m:
            out[m.group(1)] = tuple(int(m.group(i)) for i in range(3, 8)) + (m.group(2),)
    return out


def mail_queue_empty():
    out = agora("mail", "queue")
    assert out.returncode == 0, out.stderr
    rows = [l for l in out.stdout.splitlines() if l.strip() and not l.startswith("ID")]
    assert not rows, "the outgoing queue holds messages:\n" + out.stdout


# --- one source server -------------------------------------------------------------------

def run_source(label, base, login, password, cal_urls, book_url, journals=True):
    """Seeds the source, migrates, checks; then changes one, adds one, deletes one and checks."""
    auth = (login, password)
    tag = label
    seeded = {}  # collection url -> {uid: text}

    def seed():
        events, tasks, notes = cal_urls
        mkcol(events, auth, "calendar", f"{label} work & life", color="#1E90FFFF",
              description=f"Everything from {label}", comps=["VEVENT"])
        mkcol(tasks, auth, "calendar", f"{label} tasks", color="#FF8800FF", comps=["VTODO"])
        if journals:
            mkcol(notes, auth, "calendar", f"{label} notes", comps=["VJOURNAL"])
        mkcol(book_url, auth, "addressbook", f"{label} friends", description="People I know")
        plan = [(events, [event(i, tag) for i in range(150)], "text/calendar"),
                (tasks, [todo(i, tag) for i in range(40)], "text/calendar"),
                (book_url, [card(i, tag) for i in range(80)], "text/vcard")]
        if journals:
            plan.append((notes, [journal(i, tag) for i in range(10)], "text/calendar"))
        for url, objs, ctype in plan:
            seeded[url] = {}
            for uid, text in objs:
                put(f"{url}{uid}.{'vcf' if ctype == 'text/vcard' else 'ics'}", auth, text, ctype)
                seeded[url][uid] = text
        return sum(len(v) for v in seeded.values())

    n = check(f"{label}: seed by PUT", seed)
    state = os.path.join(WORK, f"{label}.state.json")
    first = check(f"{label}: agora migrate", lambda: migrate(base, login, password, state),
                  needs=[f"{label}: seed by PUT"])
    report = report_lines(first[0]) if first else {}
    local = {}

    def collections_mapped():
        for url in seeded:
            line = report.get(url)
            assert line, f"no report line for {url}: {report}"
            created, updated, deleted, unchanged, skipped, path = line
            assert (created, skipped) == (len(seeded[url]), 0), f"{url}: {line}, expected {len(seeded[url])} created"
            local[url] = AGORA_URL + path
    check(f"{label}: report lists every collection, all created", collections_mapped,
          needs=[f"{label}: agora migrate"])
    agora_auth = (USER, PASSWORD)

    def same_objects():
        for url, objs in seeded.items():
            is_card = url == book_url
            prop = "address-data" if is_card else "calendar-data"
            got = members(local[url], agora_auth, prop)
            # What the source serves (it may have reformatted what was PUT), every UID seeded.
            want = digest_all(members(url, auth, prop).values(), is_card)
            assert {k if is_card else k[0] for k in want} == set(objs), f"{url}: the source lost objects"
            have = digest_all(got.values(), is_card)
            assert set(have) == set(want), f"{url}: missing {sorted(set(want) - set(have))[:5]}, " \
                                           f"extra {sorted(set(have) - set(want))[:5]}"
            for key in want:
                assert have[key] == want[key], f"{key}: {have[key]} != {want[key]}"
    check(f"{label}: same UIDs, components and properties on Agora", same_objects,
          needs=[f"{label}: report lists every collection, all created"])

    def props_carried():
        events, tasks, _ = cal_urls
        xml = propfind(local[events], agora_auth,
                       "<D:displayname/><A:calendar-color/><C:calendar-description/>"
                       "<C:supported-calendar-component-set/>")
        text = ET.tostring(xml, encoding="unicode")
        assert f"{label} work &amp; life" in text, text
        assert "#1E90FFFF" in text.upper(), text
        assert f"Everything from {label}" in text, text
        xml = propfind(local[book_url], agora_auth, "<D:displayname/><CR:addressbook-description/>")
        text = ET.tostring(xml, encoding="unicode")
        assert f"{label} friends" in text and "People I know" in text, text
        xml = propfind(local[tasks], agora_auth, "<C:supported-calendar-component-set/>")
        comps = [c.get("name") for c in xml.iter("{urn:ietf:params:xml:ns:caldav}comp")]
        assert "VTODO" in comps, comps
    check(f"{label}: names, colours, descriptions, components carried", props_carried,
          needs=[f"{label}: report lists every collection, all created"])
    check(f"{label}: nothing queued for mailing (no invitation)", mail_queue_empty,
          needs=[f"{label}: agora migrate"])

    def incremental():
        events = cal_urls[0]
        uid_changed, uid_deleted = f"{tag}-ev-3", f"{tag}-ev-4"
        changed = seeded[events][uid_changed].replace(f"SUMMARY:Event 3", "SUMMARY:Event 3 (changed)")
        assert changed != seeded[events][uid_changed]
        put(f"{events}{uid_changed}.ics", auth, changed, "text/calendar")
        r = dav("DELETE", f"{events}{uid_deleted}.ics", auth)
        assert r.status_code in (200, 204), f"DELETE: {r.status_code}"
        uid_new, text_new = event(1000, tag)
        put(f"{events}{uid_new}.ics", auth, text_new, "text/calendar")
        out, _ = migrate(base, login, password, state)
        lines = report_lines(out)
        c, u, d, un, s, _ = lines[events]
        assert (c, u, d, s) == (1, 1, 1, 0), f"changed collection: {lines[events]}"
        assert un == len(seeded[events]) - 2, f"unchanged {un}, expected {len(seeded[events]) - 2}"
        for url, line in lines.items():
            if url != events:
                assert line[:5] == (0, 0, 0, len(seeded.get(url, {})), 0), f"{url}: {line}"
        got = digest_all(members(local[events], agora_auth, "calendar-data").values(), False)
        assert (uid_new, "VEVENT", "") in got and not any(k[0] == uid_deleted for k in got), sorted(got)[:5]
        assert got[(uid_changed, "VEVENT", "")]["SUMMARY"] == ["Event 3 (changed)"], got[(uid_changed, "VEVENT", "")]
    check(f"{label}: second run after 1 change, 1 addition, 1 deletion", incremental,
          needs=[f"{label}: same UIDs, components and properties on Agora"])
    return n


# --- the second Agora ----------------------------------------------------------------------

def bulk_from_agora():
    src_url = ENV["SOURCE_AGORA_URL"].rstrip("/")
    src_store = json.loads(ENV["SOURCE_STORE_ARGS"])
    src_user, src_pw = "source", "source-password-1"
    t0 = time.monotonic()
    ics = os.path.join(WORK, "bulk.ics")
    vcf = os.path.join(WORK, "bulk.vcf")
    rnd = random.Random(17)
    with open(ics, "w") as f:
        f.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agora conformance//bulk//EN\r\n")
        for i in range(BULK):
            day = rnd.randrange(1, 29)
            f.write(f"BEGIN:VEVENT\r\nUID:bulk-ev-{i}\r\nDTSTAMP:20260101T000000Z\r\n"
                    f"DTSTART:2026{1 + i % 12:02d}{day:02d}T{8 + i % 10:02d}0000Z\r\nDURATION:PT1H\r\n"
                    f"SUMMARY:Bulk event {i}\r\nEND:VEVENT\r\n")
        f.write("END:VCALENDAR\r\n")
    with open(vcf, "w") as f:
        for i in range(BULK):
            f.write(f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bulk-card-{i}\r\nFN:Bulk {i}\r\nN:{i};Bulk;;;\r\n"
                    f"EMAIL:bulk{i}@example.net\r\nEND:VCARD\r\n")
    for path, file in ((f"calendars/{src_user}/calendar", ics), (f"addressbooks/{src_user}/contacts", vcf)):
        out = agora("import", path, file, store=src_store)
        assert out.returncode == 0, out.stderr[-500:]
        assert f"{BULK} created" in out.stderr, out.stderr[-500:]
    print(f"  loaded {BULK} events and {BULK} contacts in the source Agora in {time.monotonic() - t0:.1f} s")
    state = os.path.join(WORK, "agora.state.json")
    out, took = migrate(src_url + "/", src_user, src_pw, state)
    print(f"  migrated {2 * BULK} objects in {took:.1f} s")
    lines = report_lines(out)
    cal = [l for u, l in lines.items() if u.endswith(f"/calendars/{src_user}/calendar/")]
    book = [l for u, l in lines.items() if u.endswith(f"/addressbooks/{src_user}/contacts/")]
    assert cal and cal[0][0] == BULK and cal[0][4] == 0, f"calendar: {lines}"
    assert book and book[0][0] == BULK and book[0][4] == 0, f"contacts: {lines}"
    # A sample, compared parsed.
    auth = (src_user, src_pw)
    mine = (USER, PASSWORD)
    for i in rnd.sample(range(BULK), 20):
        for kind, src_path, dst_path, name in (
                ("ics", f"/calendars/{src_user}/calendar/", cal[0][5], f"bulk-ev-{i}"),
                ("vcf", f"/addressbooks/{src_user}/contacts/", book[0][5], f"bulk-card-{i}")):
            q = ("calendar-data", f'<C:calendar-query {NS}><D:prop><C:calendar-data/></D:prop><C:filter>'
                 f'<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="UID">'
                 f'<C:text-match collation="i;octet">{name}</C:text-match></C:prop-filter></C:comp-filter>'
                 '</C:comp-filter></C:filter></C:calendar-query>') if kind == "ics" else \
                ("address-data", f'<CR:addressbook-query {NS}><D:prop><CR:address-data/></D:prop><CR:filter>'
                 f'<CR:prop-filter name="UID"><CR:text-match collation="i;octet" match-type="equals">{name}'
                 '</CR:text-match></CR:prop-filter></CR:filter></CR:addressbook-query>')
            texts = []
            for base, path, a in ((src_url, src_path, auth), (AGORA_URL, dst_path, mine)):
                r = dav("REPORT", base + path, a, q[1], depth="1")
                assert r.status_code == 207, f"{base}{path}: {r.status_code}"
                tag = "{urn:ietf:params:xml:ns:caldav}calendar-data" if kind == "ics" else \
                    "{urn:ietf:params:xml:ns:carddav}address-data"
                # text-match is a substring match: keep the exact UID.
                found = [e.text for e in ET.fromstring(r.content).iter(tag)
                         if re.search(rf"^UID:{re.escape(name)}\r?$", e.text or "", re.M)]
                assert len(found) == 1, f"{name} at {base}{path}: {len(found)} found"
                texts.append(found[0])
            dig = (lambda t: digest_all([t], kind == "vcf"))
            assert dig(texts[0]) == dig(texts[1]), f"{name}: {texts}"
    return took


def main():
    n = 0
    for label, var, login, cals, book in (
            ("radicale", "RADICALE_URL", "carol-radicale", ["rad-work/", "rad-todo/", "rad-journal/"], "rad-people/"),
            ("xandikos", "XANDIKOS_URL", "carol-xandikos", ["xan-work/", "xan-todo/", "xan-journal/"],
             "xan-people/")):
        base = ENV[var].rstrip("/") + "/"
        home = base + (f"{login}/" if label == "radicale" else "user/calendars/")
        book_home = base + (f"{login}/" if label == "radicale" else "user/contacts/")
        n += run_source(label, base, login, "remote-pw", [home + c for c in cals], book_home + book) or 0
    took = check(f"second Agora: {BULK} events and {BULK} contacts", bulk_from_agora)
    if took is not None:
        print(f"  second Agora: {2 * BULK} objects migrated in {took:.1f} s")
    with open(RESULTS, "w") as f:
        for name, status, detail in results:
            f.write(f"{name}\t{status}\t{detail.replace(chr(9), ' ').replace(chr(10), ' ')}\n")
    return 0 if all(s == "PASS" for _, s, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
