"""Seeded random recurring events for the differential test (differential.py).

events(seed) returns [(file name, iCalendar bytes)]: rules with FREQ, INTERVAL, COUNT,
UNTIL or no end, BYDAY with ordinals, BYMONTHDAY (negative too), BYMONTH, BYSETPOS;
EXDATEs and RDATEs; overrides that move an occurrence or cancel it; in zones with DST
changes (Europe/Berlin, America/New_York, Australia/Sydney), UTC, floating time and all
day; some with a VTIMEZONE, most by their IANA name alone. DTSTART is placed on the
rule's first occurrence (RFC 5545 §3.8.5.3: a DTSTART out of step with its rule gives an
undefined recurrence set), computed with dateutil from a random candidate.
"""

import datetime as dt
import random
import zoneinfo

import icalendar
from dateutil import rrule as du

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "UTC", "floating", "date"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _rule(rnd, kind):
    freq = rnd.choice(["DAILY", "WEEKLY", "WEEKLY", "MONTHLY", "MONTHLY", "YEARLY"])
    parts = [f"FREQ={freq}"]
    if rnd.random() < 0.4:
        parts.append(f"INTERVAL={rnd.randint(2, 3)}")
    if freq == "DAILY" and rnd.random() < 0.3:
        parts.append("BYDAY=" + ",".join(sorted(rnd.sample(DAYS[:5], 3), key=DAYS.index)))
    elif freq == "WEEKLY":
        parts.append("BYDAY=" + ",".join(sorted(rnd.sample(DAYS, rnd.randint(1, 3)), key=DAYS.index)))
        if rnd.random() < 0.3:
            parts.append("WKST=" + rnd.choice(["MO", "SU"]))
    elif freq == "MONTHLY":
        form = rnd.choice(["ordinal", "monthday", "setpos"])
        if form == "ordinal":
            parts.append(f"BYDAY={rnd.choice(['1', '2', '3', '-1', '-2'])}{rnd.choice(DAYS)}")
        elif form == "monthday":
            parts.append("BYMONTHDAY=" + ",".join(str(d) for d in rnd.sample([1, 10, 15, 28, 29, 30, 31, -1, -2, -7], rnd.randint(1, 2))))
        else:
            parts.append("BYDAY=MO,TU,WE,TH,FR")
            parts.append(f"BYSETPOS={rnd.choice(['1', '-1', '2', '-2'])}")
    elif freq == "YEARLY":
        form = rnd.choice(["plain", "ordinal", "monthday"])
        if form == "ordinal":
            parts.append(f"BYMONTH={rnd.randint(1, 12)}")
            parts.append(f"BYDAY={rnd.choice(['1', '2', '-1'])}{rnd.choice(DAYS)}")
        elif form == "monthday":
            parts.append(f"BYMONTH={rnd.choice([2, 4, 6, 11])}")
            parts.append(f"BYMONTHDAY={rnd.choice([1, 29, 30, 31, -1])}")
    end = rnd.choice(["count", "count", "until", "until", "none"])
    return parts, end


def _fmt(v, kind):
    if kind == "date":
        return v.strftime("%Y%m%d")
    if kind in ("floating",):
        return v.strftime("%Y%m%dT%H%M%S")
    if kind == "UTC":
        return v.strftime("%Y%m%dT%H%M%SZ")
    return v.strftime("%Y%m%dT%H%M%S")


def _prop(name, v, kind):
    if kind == "date":
        return f"{name};VALUE=DATE:{_fmt(v, kind)}"
    if kind in ("floating", "UTC"):
        return f"{name}:{_fmt(v, kind)}"
    return f"{name};TZID={kind}:{_fmt(v, kind)}"


def events(seed, n=70):
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        kind = rnd.choice(ZONES)
        tz = None if kind in ("floating", "date") else (dt.timezone.utc if kind == "UTC" else zoneinfo.ZoneInfo(kind))
        day = dt.date(2024, 6, 1) + dt.timedelta(days=rnd.randint(0, 1000))
        # Some start at night, across the DST gap or overlap of their zone.
        hour = rnd.choice([1, 2, 3, 8, 9, 12, 17, 23]) if kind != "date" else 0
        minute = rnd.choice([0, 15, 30])
        candidate = dt.datetime(day.year, day.month, day.day, hour, minute)
        parts, end = _rule(rnd, kind)
        # The first occurrence from the candidate, by dateutil on local (naive) times.
        rule_text = ";".join(parts)
        first = next(iter(du.rrulestr(rule_text, dtstart=candidate)), None)
        if first is None:
            continue
        start = first
        occ = list(du.rrulestr(rule_text + ";COUNT=40", dtstart=start))
        if end == "count":
            count = rnd.randint(1, 15)
            parts.append(f"COUNT={count}")
            occ = occ[:count]
        elif end == "until":
            k = rnd.randint(1, min(15, len(occ))) - 1
            last = occ[k]
            # UNTIL in the value type of DTSTART, in UTC for zoned times (RFC 5545
            # §3.3.10); sometimes a little after the last occurrence.
            until = last + dt.timedelta(minutes=rnd.choice([0, 0, 30]))
            if kind == "date":
                parts.append(f"UNTIL={until.strftime('%Y%m%d')}")
            elif kind == "floating":
                parts.append(f"UNTIL={until.strftime('%Y%m%dT%H%M%S')}")
            else:
                u = until.replace(tzinfo=tz).astimezone(dt.timezone.utc)
                parts.append(f"UNTIL={u.strftime('%Y%m%dT%H%M%SZ')}")
            occ = occ[: k + 1]
        if kind == "date":
            length = dt.timedelta(days=rnd.choice([1, 1, 2]))
        else:
            length = dt.timedelta(minutes=rnd.choice([0, 15, 30, 60, 90, 180, 600]))
        uid = f"generated-{seed}-{i}@example.org"
        lines = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261101T090000Z",
                 _prop("DTSTART", start, kind)]
        if rnd.random() < 0.5 or kind == "date":
            lines.append(_prop("DTEND", start + length, kind))
        else:
            lines.append("DURATION:" + icalendar.vDuration(length).to_ical().decode())
        lines.append("RRULE:" + ";".join(parts))
        lines.append(f"SUMMARY:Generated {i} ({kind}, {';'.join(parts)})")
        if rnd.random() < 0.2:
            lines.append("STATUS:TENTATIVE")
        if rnd.random() < 0.1:
            lines.append("TRANSP:TRANSPARENT")
        overrides = []
        if len(occ) > 2:
            picks = rnd.sample(occ[1:], min(len(occ) - 1, rnd.randint(0, 3)))
            for j, p in enumerate(picks):
                what = rnd.choice(["exdate", "move", "cancel"])
                if what == "exdate":
                    lines.append(_prop("EXDATE", p, kind))
                else:
                    ov = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261101T090000Z", _prop("RECURRENCE-ID", p, kind)]
                    shift = dt.timedelta(days=rnd.choice([-1, 0, 1, 3])) if kind == "date" else \
                        dt.timedelta(hours=rnd.choice([-30, -2, 1, 5, 26]))
                    ov += [_prop("DTSTART", p + shift, kind),
                           _prop("DTEND", p + shift + max(length, dt.timedelta(days=1) if kind == "date" else length), kind),
                           f"SUMMARY:Generated {i} override {j} ({what})"]
                    if what == "cancel":
                        ov.append("STATUS:CANCELLED")
                    ov.append("END:VEVENT")
                    overrides += ov
        if rnd.random() < 0.25:
            extra = start + dt.timedelta(days=rnd.randint(1, 60), hours=0 if kind == "date" else rnd.randint(0, 5))
            lines.append(_prop("RDATE", extra, kind))
        lines.append("END:VEVENT")
        cal = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Agora//differential generator//EN"]
        body = lines + overrides
        if kind in ("Europe/Berlin", "America/New_York", "Australia/Sydney") and rnd.random() < 0.3:
            # About a third of the zoned objects carry a VTIMEZONE, written by the
            # icalendar library; the others name their IANA zone alone.
            vtz = icalendar.Timezone.from_tzid(kind, first_date=dt.date(2023, 1, 1), last_date=dt.date(2032, 1, 1))
            body = vtz.to_ical().decode().strip().split("\r\n") + body
        text = "\r\n".join(cal + body + ["END:VCALENDAR"]) + "\r\n"
        out.append((f"generated-{i:03d}.ics", text.encode("utf-8")))
    return out
