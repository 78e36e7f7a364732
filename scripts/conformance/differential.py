#!/usr/bin/env python3
"""Differential test: Agora's answers against independent Python implementations.

    differential.py BASE_URL USER PASSWORD RESULTS_TSV CORPUS_DIR [SEED]

Stores every object of the real-client corpus (tests/corpus/calendar/*.ics into one
calendar, tests/corpus/contacts/*.vcf into one address book) and a set of generated
recurring events (seeded random rules, see generated.py) into another calendar, then,
for several time ranges, compares what Agora answers with what is computed here,
independently of Agora's code:

  a) the hrefs a calendar-query with a VEVENT (and a VTODO) time-range returns, against
     RFC 4791 §9.9 applied to the instances `recurring-ical-events` computes;
  b) the instances calendar-data `expand` returns (UID, start and end in UTC, §9.6.5);
  c) the busy periods of a free-busy-query REPORT (§7.10), per FBTYPE, merged;
and, for the address book, the hrefs an addressbook-query text-match returns (FN,
EMAIL, TEL, ORG; equals, contains, starts-with, ends-with; i;unicode-casemap as RFC
5051 defines it) against the same test over vobject-parsed cards.

Every disagreement fails its check, except the known ones in KNOWN below, each one an
exact (check, item) with the reason and the RFC section: a listed exception that no
longer happens fails too, so the list cannot go stale. Results go to RESULTS_TSV
("check<TAB>PASS|FAIL<TAB>detail"); a summary line counts objects, ranges and instances.
"""

import datetime as dt
import glob
import os
import re
import sys
import traceback
import unicodedata
import urllib.parse
import warnings
import xml.etree.ElementTree as ET

import icalendar
import recurring_ical_events
import requests
import vobject

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generated  # noqa: E402

warnings.filterwarnings("ignore")  # icalendar warns when it guesses a vendor TZID

BASE_URL, USER, PASSWORD, RESULTS, CORPUS = sys.argv[1:6]
SEED = int(sys.argv[6]) if len(sys.argv) > 6 else 20261207
UTC = dt.timezone.utc
DAV, CAL, CARD = "DAV:", "urn:ietf:params:xml:ns:caldav", "urn:ietf:params:xml:ns:carddav"
NS = {"D": DAV, "C": CAL, "R": CARD}

# The time ranges every calendar check runs on (UTC, end exclusive). They cross DST
# changes in Europe (29 March, 25 October 2026), the US (8 March, 1 November 2026) and
# Australia (5 April, 4 October 2026), a leap day, a single hour, and lie before and
# after the window the server indexes endless rules in (400 days back, two years ahead
# of the write).
RANGES = [
    ("2026-03-01T00:00:00", "2026-03-15T00:00:00"),
    ("2026-03-23T00:00:00", "2026-04-08T00:00:00"),
    ("2026-06-03T09:00:00", "2026-06-03T10:00:00"),
    ("2026-10-20T00:00:00", "2026-11-10T00:00:00"),
    ("2026-12-07T00:00:00", "2026-12-08T00:00:00"),
    ("2026-01-01T00:00:00", "2027-01-01T00:00:00"),
    ("2024-01-01T00:00:00", "2025-06-01T00:00:00"),
    ("2028-02-01T00:00:00", "2028-03-01T00:00:00"),
    ("2030-05-01T00:00:00", "2030-06-01T00:00:00"),
]
RANGES = [(dt.datetime.fromisoformat(a).replace(tzinfo=UTC), dt.datetime.fromisoformat(b).replace(tzinfo=UTC))
          for a, b in RANGES]

# Known and justified disagreements: the item a check's detail names (an instance
# "UID/START/END", a busy period "FBTYPE/START/END", an href) -> why. Each is a case
# where the other implementation is wrong or the specification leaves the answer open;
# none is a blanket skip, and one that no longer happens fails the run (see main).
_UNTIL_DATE = ("outlook-until-as-date.ics: UNTIL=20260209 (a DATE) with a DATE-TIME DTSTART, "
               "which RFC 5545 §3.3.10 forbids (same value type), so the set is undefined; "
               "Agora keeps the occurrence on the UNTIL day, as the Outlook user who chose "
               "'end by 9 February' means, recurring-ical-events (dateutil) reads midnight "
               "and drops it")
KNOWN = {
    "outlook-until-date@example.org/20260209T070000Z/20260209T073000Z": _UNTIL_DATE,
    "BUSY/20260209T070000Z/20260209T073000Z": _UNTIL_DATE,
}

# Corpus files Agora must refuse, with the precondition it must name.
REFUSED = {
    # RFC 6352 §5.1 requires vCard 3.0 and supported-address-data lists 3.0 and 4.0;
    # Outlook's vCard 2.1 export is for import, no CardDAV client PUTs it.
    "outlook-vcard21-photo.vcf": "valid-address-data",
    "outlook-vcard21-quoted-printable.vcf": "valid-address-data",
}

results = []
known_seen = set()
totals = {"calendar objects": 0, "generated objects": 0, "cards": 0, "ranges": len(RANGES),
          "hrefs compared": 0, "instances compared": 0, "busy periods compared": 0,
          "addressbook queries": 0, "durations recomputed": 0}


def record(name, status, detail=""):
    results.append((name, status, detail))
    print(f"  {status}  {name}" + (f": {detail}" if detail else ""), flush=True)


def compare(name, got, want, show=lambda x: str(x)):
    """PASS when the sets agree, apart from the KNOWN exceptions of this check."""
    missing = sorted(show(x) for x in want - got)
    extra = sorted(show(x) for x in got - want)
    diffs = [f"missing {m}" for m in missing] + [f"unexpected {e}" for e in extra]
    real = []
    for d in diffs:
        item = d.split(" ", 1)[1]
        if item in KNOWN:
            known_seen.add(item)
        else:
            real.append(d)
    if real:
        record(name, "FAIL", f"{len(real)} difference(s): " + "; ".join(real[:12]))
    else:
        record(name, "PASS", f"{len(want)} item(s)")
    return not real


# --- HTTP ------------------------------------------------------------------------------------
http = requests.Session()
http.auth = (USER, PASSWORD)


def url(path):
    return urllib.parse.urljoin(BASE_URL, path)


def report(path, body, depth="1"):
    r = http.request("REPORT", url(path), data=body.encode(), timeout=60,
                     headers={"Depth": depth, "Content-Type": "application/xml; charset=utf-8"})
    return r


def multistatus(r):
    if r.status_code != 207:
        raise AssertionError(f"REPORT answered {r.status_code}: {r.text[:300]}")
    root = ET.fromstring(r.content)
    out = []
    for resp in root.findall("D:response", NS):
        href = urllib.parse.unquote(resp.findtext("D:href", "", NS).strip())
        props = {}
        for ps in resp.findall("D:propstat", NS):
            if "200" in (ps.findtext("D:status", "", NS)):
                for p in ps.find("D:prop", NS):
                    props[p.tag] = p.text or ""
        out.append((href, props))
    return out


def mkcol(path, kind):
    if kind == "calendar":
        body = (f'<C:mkcalendar xmlns:D="DAV:" xmlns:C="{CAL}"><D:set><D:prop>'
                "<D:displayname>differential</D:displayname></D:prop></D:set></C:mkcalendar>")
        r = http.request("MKCALENDAR", url(path), data=body, timeout=30,
                         headers={"Content-Type": "application/xml"})
    else:
        body = (f'<D:mkcol xmlns:D="DAV:" xmlns:R="{CARD}"><D:set><D:prop><D:resourcetype>'
                "<D:collection/><R:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>")
        r = http.request("MKCOL", url(path), data=body, timeout=30,
                         headers={"Content-Type": "application/xml"})
    if r.status_code != 201:
        raise AssertionError(f"{kind} {path}: {r.status_code} {r.text[:300]}")


def put(path, data, ctype):
    r = http.put(url(path), data=data, timeout=30, headers={"Content-Type": ctype, "If-None-Match": "*"})
    return r


# --- time and the RFC 4791 tests ---------------------------------------------------------------
def utc(v):
    """A DATE or DATE-TIME as an aware UTC datetime: dates and floating times are read as
    UTC, as the server does for a calendar without calendar-timezone (RFC 4791 §9.9)."""
    if isinstance(v, dt.datetime):
        return v.astimezone(UTC) if v.tzinfo else v.replace(tzinfo=UTC)
    return dt.datetime(v.year, v.month, v.day, tzinfo=UTC)


def event_span(c):
    """(start, end) of a VEVENT instance per RFC 4791 §9.9 (end == start: zero length)."""
    start = c.get("DTSTART").dt
    if getattr(c, "exact_end", None) is not None:
        return utc(start), c.exact_end
    if "DTEND" in c:
        end = c.get("DTEND").dt
    elif "DURATION" in c:
        end = start + c.get("DURATION").dt
    elif isinstance(start, dt.datetime):
        end = start
    else:
        end = start + dt.timedelta(days=1)
    return utc(start), utc(end)


def event_overlaps(c, a, b):
    s, e = event_span(c)
    return (a < e and b > s) if e > s else (a <= s and b > s)


def todo_overlaps(c, a, b):
    """RFC 4791 §9.9, the VTODO table."""
    g = lambda n: utc(c.get(n).dt) if n in c else None  # noqa: E731
    start, due, completed, created = g("DTSTART"), g("DUE"), g("COMPLETED"), g("CREATED")
    if start is not None and "DURATION" in c:
        end = start + c.get("DURATION").dt
        return a <= end and (b > start or b >= end)
    if start is not None and due is not None:
        return (a < due or a <= start) and (b > start or b >= due)
    if start is not None:
        return a <= start and b > start
    if due is not None:
        return a < due and b >= due
    if completed is not None and created is not None:
        return (a <= created or a <= completed) and (b >= created or b >= completed)
    if completed is not None:
        return a <= completed and b >= completed
    if created is not None:
        return b > created
    return True


PAD = dt.timedelta(days=40)


def occurrences(cal, kind, a, b):
    """Instances of KIND overlapping [a, b), by recurring-ical-events (which may return
    more: the RFC test is applied here)."""
    if kind == "VTODO":
        # Tasks without DTSTART and DUE have no instances there; §9.9 still places them.
        out = []
        series = [t for t in cal.walk("VTODO")]
        if all("DTSTART" not in t and "DUE" not in t for t in series):
            return [t for t in series if todo_overlaps(t, a, b)]
        for o in recurring_ical_events.of(cal, components=["VTODO"]).between(a - PAD, b + PAD):
            if todo_overlaps(o, a, b):
                out.append(o)
        return out
    out = []
    for o in recurring_ical_events.of(cal, components=["VEVENT"]).between(a - PAD, b + PAD):
        exact_duration_end(cal, o)
        if event_overlaps(o, a, b):
            out.append(o)
    return out


def exact_duration_end(cal, o):
    """recurring-ical-events turns a DURATION into a DTEND by wall-clock arithmetic in
    the event's zone, so `PT1H30M` from 01:15 on the night clocks go back ends at 02:45
    local, 2 h 30 min later. RFC 5545 §3.3.6: the days and weeks of a duration are
    nominal, its hours, minutes and seconds exact. For an instance of a component with
    DURATION the end is recomputed here (counted in the summary), so this bug of the
    other implementation does not show as a disagreement."""
    rid = o.get("RECURRENCE-ID")
    src = None
    for c in cal.walk("VEVENT"):
        if str(c.get("UID")) != str(o.get("UID")):
            continue
        crid = c.get("RECURRENCE-ID")
        if crid is not None and rid is not None and utc(crid.dt) == utc(rid.dt):
            src = c
            break
        if crid is None:
            src = src or c
    if src is None or "DURATION" not in src or "DTEND" in src:
        return
    start = o.get("DTSTART").dt
    if not isinstance(start, dt.datetime):
        return
    d = src.get("DURATION").dt
    exact = utc(start + dt.timedelta(days=d.days)) + dt.timedelta(seconds=d.seconds)
    if exact != event_span(o)[1]:
        totals["durations recomputed"] += 1
    o.exact_end = exact


def show_dt(v):
    return v.strftime("%Y%m%dT%H%M%SZ")


def instance_key(uid, c):
    s, e = event_span(c)
    return (uid, show_dt(s), show_dt(e))


# --- calendar checks ------------------------------------------------------------------------------
def time_range_query(path, kind, a, b, parsed):
    """The hrefs a time-range calendar-query returns. parsed: also ask for calendar-data
    and add a prop-filter (UID defined), which the server cannot answer from its instance
    index: the object must be parsed, and an href counts only with its calendar-data."""
    prop = "<D:getetag/><C:calendar-data/>" if parsed else "<D:getetag/>"
    extra = '<C:prop-filter name="UID"/>' if parsed else ""
    body = (f'<C:calendar-query xmlns:D="DAV:" xmlns:C="{CAL}"><D:prop>{prop}</D:prop>'
            f'<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="{kind}">'
            f'<C:time-range start="{show_dt(a)}" end="{show_dt(b)}"/>{extra}</C:comp-filter></C:comp-filter>'
            "</C:filter></C:calendar-query>")
    return {h for h, props in multistatus(report(path, body))
            if not parsed or "BEGIN:VCALENDAR" in props.get(f"{{{CAL}}}calendar-data", "")}


def expand_query(path, a, b):
    body = (f'<C:calendar-query xmlns:D="DAV:" xmlns:C="{CAL}"><D:prop><C:calendar-data>'
            f'<C:expand start="{show_dt(a)}" end="{show_dt(b)}"/></C:calendar-data></D:prop>'
            f'<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">'
            f'<C:time-range start="{show_dt(a)}" end="{show_dt(b)}"/></C:comp-filter></C:comp-filter>'
            "</C:filter></C:calendar-query>")
    got = set()
    for href, props in multistatus(report(path, body)):
        data = props.get(f"{{{CAL}}}calendar-data", "")
        cal = icalendar.Calendar.from_ical(data)
        for ev in cal.walk("VEVENT"):
            for n in ("DTSTART", "RECURRENCE-ID"):
                v = ev.get(n)
                # §9.6.5: expanded date-times are in UTC; dates stay dates.
                if v is not None and isinstance(v.dt, dt.datetime) and v.dt.tzinfo is None:
                    raise AssertionError(f"{href}: expanded {n} {v.to_ical().decode()} is not in UTC")
            got.add(instance_key(str(ev.get("UID")), ev))
    return got


def freebusy_query(path, a, b):
    body = (f'<C:free-busy-query xmlns:C="{CAL}"><C:time-range start="{show_dt(a)}" end="{show_dt(b)}"/>'
            "</C:free-busy-query>")
    r = report(path, body)
    if r.status_code != 200:
        raise AssertionError(f"free-busy-query answered {r.status_code}: {r.text[:300]}")
    periods = {}
    for fb in icalendar.Calendar.from_ical(r.text).walk("VFREEBUSY"):
        props = fb.get("FREEBUSY", [])
        for p in props if isinstance(props, list) else [props]:
            kind = p.params.get("FBTYPE", "BUSY").upper()
            for s, e in p.dt if isinstance(p.dt, list) else [p.dt]:
                end = e if isinstance(e, dt.datetime) else s + e
                periods.setdefault(kind, []).append((utc(s), utc(end)))
    return {k: merge(v) for k, v in periods.items()}


def merge(spans):
    out = []
    for s, e in sorted(spans):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def expected_freebusy(objects, a, b):
    """RFC 4791 §7.10: the instances of opaque, not cancelled VEVENTs, clipped to the
    range; TENTATIVE ones as BUSY-TENTATIVE."""
    spans = {}
    for cal in objects.values():
        for o in occurrences(cal, "VEVENT", a, b):
            if str(o.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
                continue
            status = str(o.get("STATUS", "CONFIRMED")).upper()
            if status == "CANCELLED":
                continue
            s, e = event_span(o)
            kind = "BUSY-TENTATIVE" if status == "TENTATIVE" else "BUSY"
            spans.setdefault(kind, []).append((max(s, a), min(e, b)))
    # Where kinds overlap the stronger wins: Agora's documented choice (BUSY >
    # BUSY-UNAVAILABLE > BUSY-TENTATIVE, the order of RFC 7953 §4), a presentation of
    # the same busy time that RFC 4791 §7.10 leaves open.
    busy = merge(spans.get("BUSY", []))
    out = {"BUSY": busy, "BUSY-TENTATIVE": subtract(merge(spans.get("BUSY-TENTATIVE", [])), busy)}
    return {k: v for k, v in out.items() if v}


def subtract(spans, minus):
    out = []
    for s, e in spans:
        for ms, me in minus:
            if me <= s or ms >= e:
                continue
            if ms > s:
                out.append((s, ms))
            s = max(s, me)
            if s >= e:
                break
        if s < e:
            out.append((s, e))
    return out


def calendar_checks(label, path, objects):
    """objects: href -> parsed icalendar.Calendar of what was stored."""
    for a, b in RANGES:
        rng = f"{show_dt(a)}/{show_dt(b)}"
        for kind in ("VEVENT", "VTODO"):
            want = None
            for parsed in (False, True):
                name = f"{label} calendar-query {kind}{' +prop-filter +calendar-data' if parsed else ''} {rng}"
                try:
                    if want is None:
                        want = {h for h, cal in objects.items() if cal.walk(kind) and occurrences(cal, kind, a, b)}
                    got = time_range_query(path, kind, a, b, parsed)
                    totals["hrefs compared"] += len(want | got)
                    compare(name, got, want)
                except Exception as e:  # noqa: BLE001 - a crash is a failure with its reason
                    record(name, "FAIL", f"{type(e).__name__}: {e}")
        name = f"{label} expand {rng}"
        try:
            want = set()
            for cal in objects.values():
                for o in occurrences(cal, "VEVENT", a, b):
                    want.add(instance_key(str(o.get("UID")), o))
            got = expand_query(path, a, b)
            totals["instances compared"] += len(want | got)
            compare(name, got, want, show=lambda k: "/".join(k))
        except Exception as e:  # noqa: BLE001
            record(name, "FAIL", f"{type(e).__name__}: {e}")
        name = f"{label} free-busy {rng}"
        try:
            want = expected_freebusy(objects, a, b)
            got = freebusy_query(path, a, b)
            flat = lambda d: {(k, show_dt(s), show_dt(e)) for k, v in d.items() for s, e in v}  # noqa: E731
            totals["busy periods compared"] += len(flat(want) | flat(got))
            compare(name, flat(got), flat(want), show=lambda k: "/".join(k))
        except Exception as e:  # noqa: BLE001
            record(name, "FAIL", f"{type(e).__name__}: {e}")


def strip_bom(data):
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def reference_text(data):
    """The text an RFC 5545 §3.1 (RFC 6350 §3.2) reader sees: no byte-order mark,
    unfolded octet by octet (a fold may cut a UTF-8 character in two), then decoded."""
    return re.sub(rb"\r?\n[ \t]", b"", strip_bom(data)).decode("utf-8")


def refused(name, r):
    """For a file in REFUSED: record whether Agora refused it as it must; True then."""
    if name not in REFUSED:
        return False
    want = REFUSED[name]
    ok = r.status_code in (403, 415) and want in r.text
    record(f"PUT {name} refused", "PASS" if ok else "FAIL",
           f"{r.status_code}" if ok else f"expected 403 with {want}, got {r.status_code} {r.text.strip()[:200]}")
    return True


def store(path, files, content_type, read):
    """PUT each (name, bytes); returns href -> read(reference text) of those stored
    (files in REFUSED must be refused instead)."""
    stored = {}
    for name, data in files:
        href = urllib.parse.unquote(urllib.parse.urlsplit(url(path + name)).path)
        r = put(path + name, data, content_type)
        if refused(name, r):
            continue
        if r.status_code not in (201, 204):
            record(f"PUT {name}", "FAIL", f"{r.status_code} {r.text.strip()[:300]}")
            continue
        record(f"PUT {name}", "PASS", str(r.status_code))
        stored[href] = read(reference_text(data))
    return stored


def store_calendar(path, files):
    """href -> parsed calendar of the objects stored."""
    return store(path, files, "text/calendar; charset=utf-8", icalendar.Calendar.from_ical)


# --- address book ---------------------------------------------------------------------------
def casemap(s):
    """i;unicode-casemap (RFC 5051 §2): each character to its simple titlecase mapping,
    then NFKD. Python's str.title() is the full mapping; where that gives more than one
    character (ß -> Ss) the simple mapping is the character itself."""
    out = []
    for ch in s:
        t = ch.title()
        out.append(t if len(t) == 1 else ch)
    return unicodedata.normalize("NFKD", "".join(out))


def text_match(value, needle, match):
    v, t = casemap(value), casemap(needle)
    return {"equals": v == t, "contains": t in v, "starts-with": v.startswith(t), "ends-with": v.endswith(t)}[match]


def unescape(v):
    out, i = [], 0
    while i < len(v):
        if v[i] == "\\" and i + 1 < len(v):
            out.append("\n" if v[i + 1] in "nN" else v[i + 1])
            i += 2
        else:
            out.append(v[i])
            i += 1
    return "".join(out)


def card_values(card, prop):
    """The values of PROP, unescaped. Structured values (ORG) are the whole value with
    its separators, as written: vobject's parsed ORG drops empty trailing components
    (`Café Zürich AG;`), which RFC 6350 §6.6.4 keeps, so ORG is read untransformed."""
    raw, parsed = card
    if prop == "ORG":
        return [unescape(line.value) for line in raw.contents.get("org", [])]
    return [str(line.value) for line in parsed.contents.get(prop.lower(), [])]


# The needles: words of the corpus in other cases, decomposed forms, and plain ASCII.
NEEDLES = {
    "FN": ["renée", "RENÉE", "Rene\u0301e", "jürgen", "STRASSE", "straße", "søren", "İlkay", "zoë",
           "ΑΛΕΞΑΝΔΡΌΠΟΥΛΟΣ", "picard", "Johnny Appleseed", "café zürich ag", "jr.", "a", "n"],
    "EMAIL": ["@example", "JOHNNY@APPLE.EXAMPLE", "picard", ".example", "gr", "ilkay"],
    "TEL": ["+49", "555", "0199", "+1 (408) 555-0101", "tel:"],
    "ORG": ["gmbh", "Großhandel GmbH;Einkauf", "starfleet", "ærø", "ÉDITIONS; OUVERTES", "ag", "陈氏"],
}


def addressbook_query(path, prop, needle, match, negate=False):
    """The hrefs an addressbook-query returns with their address-data (an href without
    its card does not count: a client asks for the cards). prop None: an empty filter."""
    if prop is None:
        filt = "<R:filter/>"
    else:
        esc = needle.replace("&", "&amp;").replace("<", "&lt;")
        neg = ' negate-condition="yes"' if negate else ""
        filt = (f'<R:filter><R:prop-filter name="{prop}"><R:text-match collation="i;unicode-casemap" '
                f'match-type="{match}"{neg}>{esc}</R:text-match></R:prop-filter></R:filter>')
    body = (f'<R:addressbook-query xmlns:D="DAV:" xmlns:R="{CARD}"><D:prop><D:getetag/><R:address-data/>'
            f"</D:prop>{filt}</R:addressbook-query>")
    return {h for h, props in multistatus(report(path, body))
            if "BEGIN:VCARD" in props.get(f"{{{CARD}}}address-data", "")}


def addressbook_checks(path, cards):
    try:
        compare("addressbook-query empty filter", addressbook_query(path, None, "", ""), set(cards))
    except Exception as e:  # noqa: BLE001
        record("addressbook-query empty filter", "FAIL", f"{type(e).__name__}: {e}")
    for prop, needles in NEEDLES.items():
        for needle in needles:
            for match in ("equals", "contains", "starts-with", "ends-with"):
                for negate in (False, True) if match == "contains" else (False,):
                    name = f"addressbook-query {prop} {match}{' not' if negate else ''} {needle!r}"
                    try:
                        want = {h for h, c in cards.items()
                                if any(text_match(v, needle, match) != negate for v in card_values(c, prop))}
                        got = addressbook_query(path, prop, needle, match, negate)
                        totals["addressbook queries"] += 1
                        totals["hrefs compared"] += len(want | got)
                        compare(name, got, want)
                    except Exception as e:  # noqa: BLE001
                        record(name, "FAIL", f"{type(e).__name__}: {e}")


def store_cards(path, files):
    """href -> (card as written, card as vobject reads it) of the cards stored."""
    return store(path, files, "text/vcard; charset=utf-8",
                 lambda text: (vobject.readOne(text, transform=False), vobject.readOne(text)))


def main():
    def files(pattern):
        return [(os.path.basename(p), open(p, "rb").read()) for p in sorted(glob.glob(os.path.join(CORPUS, pattern)))]

    cal_files, card_files = files("calendar/*.ics"), files("contacts/*.vcf")
    if not cal_files or not card_files:
        record("corpus found", "FAIL", f"no corpus under {CORPUS}")
        return
    home, books = f"/calendars/{USER}/", f"/addressbooks/{USER}/"
    mkcol(home + "diff-corpus/", "calendar")
    mkcol(home + "diff-generated/", "calendar")
    mkcol(books + "diff-contacts/", "addressbook")

    corpus = store_calendar(home + "diff-corpus/", cal_files)
    totals["calendar objects"] = len(corpus)
    gen = generated.events(SEED)
    generated_objects = store_calendar(home + "diff-generated/", gen)
    totals["generated objects"] = len(generated_objects)
    cards = store_cards(books + "diff-contacts/", card_files)
    totals["cards"] = len(cards)

    calendar_checks("corpus", home + "diff-corpus/", corpus)
    calendar_checks("generated", home + "diff-generated/", generated_objects)
    addressbook_checks(books + "diff-contacts/", cards)

    for item in sorted(set(KNOWN) - known_seen):
        record(f"known exception still happens: {item}", "FAIL",
               "listed in KNOWN but no check disagreed on it: remove it from the list")


if __name__ == "__main__":
    try:
        main()
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        record("differential.py ran to the end", "FAIL", traceback.format_exc().strip().splitlines()[-1])
    with open(RESULTS, "w") as f:
        for name, status, detail in results:
            f.write(f"{name}\t{status}\t{detail.replace(chr(9), ' ').replace(chr(10), ' ')}\n")
    failed = sum(1 for _, s, _ in results if s != "PASS")
    print("\nsummary: " + ", ".join(f"{v} {k}" for k, v in totals.items())
          + f"; {len(results)} checks, {failed} failed")
    sys.exit(1 if failed else 0)
