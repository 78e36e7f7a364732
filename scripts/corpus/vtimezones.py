"""VTIMEZONE components as clients write them, for the corpus generator.

Clients rarely send a zone's whole history: Apple, Thunderbird, Google and Outlook send
the current rules only, each with its own first-onset year (Apple 1981/1996 or 2007,
Thunderbird 1970, Outlook 1601, Google 1970 with X-LIC-LOCATION), and Outlook and
Exchange name the zone by its Windows name or its display name. Each function returns
the lines of one VTIMEZONE.
"""

# Current rules: (standard name, daylight name, standard offset, daylight offset,
# daylight start month/BYDAY, standard start month/BYDAY, local onset times).
RULES = {
    "Europe/Berlin": ("CET", "CEST", "+0100", "+0200", (3, "-1SU", "020000"), (10, "-1SU", "030000")),
    "Europe/Paris": ("CET", "CEST", "+0100", "+0200", (3, "-1SU", "020000"), (10, "-1SU", "030000")),
    "Europe/Vienna": ("CET", "CEST", "+0100", "+0200", (3, "-1SU", "020000"), (10, "-1SU", "030000")),
    "Europe/London": ("GMT", "BST", "+0000", "+0100", (3, "-1SU", "010000"), (10, "-1SU", "020000")),
    "America/New_York": ("EST", "EDT", "-0500", "-0400", (3, "2SU", "020000"), (11, "1SU", "020000")),
    "America/Los_Angeles": ("PST", "PDT", "-0800", "-0700", (3, "2SU", "020000"), (11, "1SU", "020000")),
    # Southern hemisphere: daylight time from October to April.
    "Australia/Sydney": ("AEST", "AEDT", "+1000", "+1100", (10, "1SU", "020000"), (4, "1SU", "030000")),
}


def first_day(year, month, byday):
    """The day of month of BYDAY (1SU, 2SU, -1SU) in YEAR-MONTH."""
    import calendar

    n, _ = int(byday[:-2]), byday[-2:]
    days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1) if calendar.weekday(year, month, d) == 6]
    return days[n - 1] if n > 0 else days[n]


def current_rules(tzid, location, year, *, rrule_order="month-first", x_lic=False, tzname=True, extra=()):
    """A VTIMEZONE with the zone's current rules from YEAR on, named TZID.

    rrule_order: "month-first" (FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU, Apple, Google,
    Thunderbird) or "day-first" (FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3, Microsoft).
    """
    std, dst, std_off, dst_off, dst_rule, std_rule = RULES[location]
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    if x_lic:
        lines.append(f"X-LIC-LOCATION:{location}")
    lines += list(extra)
    for kind, name, off_from, off_to, (month, byday, at) in (
        ("DAYLIGHT", dst, std_off, dst_off, dst_rule),
        ("STANDARD", std, dst_off, std_off, std_rule),
    ):
        if year == 1601:
            start = f"16010101T{at}"  # Outlook: the rule is anchored on 1 January 1601
        else:
            start = f"{year}{month:02d}{first_day(year, month, byday):02d}T{at}"
        rule = (f"RRULE:FREQ=YEARLY;BYMONTH={month};BYDAY={byday}" if rrule_order == "month-first"
                else f"RRULE:FREQ=YEARLY;BYDAY={byday};BYMONTH={month}")
        lines += [f"BEGIN:{kind}", f"TZOFFSETFROM:{off_from}", f"TZOFFSETTO:{off_to}"]
        if tzname:
            lines.append(f"TZNAME:{name}")
        lines += [f"DTSTART:{start}", rule, f"END:{kind}"]
    lines.append("END:VTIMEZONE")
    return lines
