//! Realistic objects, as desktop and phone clients write them: events in four
//! time zones (with their VTIMEZONE), a tenth weekly-recurring with a deleted
//! occurrence (EXDATE) and half of those with a moved one (RECURRENCE-ID), a
//! third with an organiser and attendees, some all-day, some with an alarm;
//! tasks (VTODO) open and completed; vCard 3.0 contacts, one in twenty with a
//! photo. Lines are folded at 75 octets (RFC 5545 §3.1, RFC 6350 §3.2).
//!
//! Everything is a pure function of an index, so population is repeatable and a
//! rerun finds the same names. Events spread over 2026-2027 ([`week`] walks that
//! span). Organisers and attendees live at example.com, outside the server: the
//! events are plain stored objects, not invitations that would schedule mail.

use base64::Engine;
use chrono::{Days, NaiveDate, NaiveDateTime};

/// One object to PUT: its name in the collection and its body.
#[derive(Clone, Debug)]
pub struct Item {
    /// Resource name (no slash).
    pub name: String,
    /// iCalendar or vCard text, CRLF line ends.
    pub body: String,
}

const ZONES: [&str; 4] = ["Europe/Paris", "America/New_York", "Asia/Tokyo", "Europe/London"];
const PRODID: &str = "PRODID:-//Agora//agora-bench//EN";
/// Days over which events are spread, from [`first_day`].
const SPAN_DAYS: u64 = 730;
/// Weeks in the populated span, for [`week`].
pub const WEEKS: usize = 103;

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).expect("a valid date")
}

/// Appends a content line, folded at 75 octets without splitting a character.
fn line(out: &mut String, text: &str) {
    let mut width = 0;
    for ch in text.chars() {
        if width + ch.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += ch.len_utf8();
    }
    out.push_str("\r\n");
}

fn stamp(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

/// The `i`-th event of a calendar: name `event-{i}.ics`.
pub fn event(i: usize) -> Item {
    event_as(&format!("event-{i}"), i, 0)
}

/// An event with `i`'s shape (time, recurrence, attendees) under another name
/// and UID, at `revision` (0 when created; edits bump SEQUENCE and SUMMARY).
pub fn event_as(key: &str, i: usize, revision: u32) -> Item {
    let zone = ZONES[i % ZONES.len()];
    let day = first_day() + Days::new(i as u64 % SPAN_DAYS);
    let start = day.and_hms_opt(8 + (i / 7 % 10) as u32, [0, 30][i % 2], 0).expect("a valid time");
    let end = start + chrono::Duration::minutes([30, 60, 90][i % 3]);
    let all_day = i % 25 == 1;
    let recurring = i.is_multiple_of(10);
    let mut b = String::with_capacity(2048);
    for l in ["BEGIN:VCALENDAR", "VERSION:2.0", PRODID, "CALSCALE:GREGORIAN"] {
        line(&mut b, l);
    }
    if !all_day {
        b.push_str(&vtimezone(zone));
    }
    let uid = format!("bench-{key}@agora.invalid");
    let (dtstart, dtend) = if all_day {
        (
            format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")),
            format!("DTEND;VALUE=DATE:{}", (day + Days::new(1)).format("%Y%m%d")),
        )
    } else {
        (format!("DTSTART;TZID={zone}:{}", stamp(start)), format!("DTEND;TZID={zone}:{}", stamp(end)))
    };
    let common = |b: &mut String, summary: &str| {
        line(b, "BEGIN:VEVENT");
        line(b, &format!("UID:{uid}"));
        line(b, "DTSTAMP:20260101T000000Z");
        line(b, &format!("SEQUENCE:{revision}"));
        line(b, &format!("SUMMARY:{summary}"));
    };
    let summary =
        if revision == 0 { format!("Réunion {i}") } else { format!("Réunion {i} (modifiée, version {revision})") };
    common(&mut b, &summary);
    line(&mut b, &dtstart);
    line(&mut b, &dtend);
    line(
        &mut b,
        &format!(
            "DESCRIPTION:Ordre du jour\\, points divers et suivi du projet {i}. Merci de préparer les chiffres du trimestre\\; compte rendu envoyé après la réunion."
        ),
    );
    line(&mut b, &format!("LOCATION:Salle {}\\, bâtiment {}", i % 40, ["A", "B", "C"][i % 3]));
    line(&mut b, "CATEGORIES:Travail");
    if recurring {
        line(&mut b, "RRULE:FREQ=WEEKLY;COUNT=20");
        line(&mut b, &format!("EXDATE;TZID={zone}:{}", stamp(start + Days::new(14))));
    }
    if i.is_multiple_of(3) {
        line(&mut b, &format!("ORGANIZER;CN=Organisateur {}:mailto:organizer{}@example.com", i % 50, i % 50));
        for a in 0..2 + i % 4 {
            line(
                &mut b,
                &format!(
                    "ATTENDEE;CN=Participant {a};ROLE=REQ-PARTICIPANT;PARTSTAT={};RSVP=TRUE:mailto:person{}@example.com",
                    ["ACCEPTED", "NEEDS-ACTION", "TENTATIVE"][a % 3],
                    (i + a) % 500
                ),
            );
        }
    }
    if i % 4 == 1 {
        for l in ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Rappel", "TRIGGER:-PT15M", "END:VALARM"] {
            line(&mut b, l);
        }
    }
    line(&mut b, "END:VEVENT");
    if recurring && i.is_multiple_of(20) {
        // The fifth occurrence moved one hour later.
        let moved = start + Days::new(28);
        common(&mut b, &format!("{summary} (déplacée)"));
        line(&mut b, &format!("RECURRENCE-ID;TZID={zone}:{}", stamp(moved)));
        line(&mut b, &format!("DTSTART;TZID={zone}:{}", stamp(moved + chrono::Duration::hours(1))));
        line(&mut b, &format!("DTEND;TZID={zone}:{}", stamp(end + Days::new(28) + chrono::Duration::hours(1))));
        line(&mut b, "END:VEVENT");
    }
    line(&mut b, "END:VCALENDAR");
    Item { name: format!("{key}.ics"), body: b }
}

/// VTIMEZONE of the four zones used, with today's rules (RFC 5545 §3.6.5).
fn vtimezone(zone: &str) -> String {
    // (name, standard offset, daylight offset, names, DST start, DST end, rules)
    let (std, dst, std_name, dst_name, on, off, on_rule, off_rule) = match zone {
        "Europe/Paris" => ("+0100", "+0200", "CET", "CEST", "19700329T020000", "19701025T030000", "-1SU", "-1SU"),
        "Europe/London" => ("+0000", "+0100", "GMT", "BST", "19700329T010000", "19701025T020000", "-1SU", "-1SU"),
        "America/New_York" => ("-0500", "-0400", "EST", "EDT", "19700308T020000", "19701101T020000", "2SU", "1SU"),
        _ => ("+0900", "", "JST", "", "", "", "", ""),
    };
    let mut b = String::new();
    line(&mut b, "BEGIN:VTIMEZONE");
    line(&mut b, &format!("TZID:{zone}"));
    if dst.is_empty() {
        for l in ["BEGIN:STANDARD", "DTSTART:19700101T000000", &format!("TZOFFSETFROM:{std}")] {
            line(&mut b, l);
        }
        for l in [&format!("TZOFFSETTO:{std}"), &format!("TZNAME:{std_name}"), "END:STANDARD"] {
            line(&mut b, l);
        }
    } else {
        let (on_month, off_month) = (&on[4..6], &off[4..6]);
        let parts = [
            ("DAYLIGHT", on, std, dst, dst_name, on_month, on_rule),
            ("STANDARD", off, dst, std, std_name, off_month, off_rule),
        ];
        for (kind, at, from, to, name, month, rule) in parts {
            line(&mut b, &format!("BEGIN:{kind}"));
            line(&mut b, &format!("DTSTART:{at}"));
            line(&mut b, &format!("RRULE:FREQ=YEARLY;BYMONTH={};BYDAY={rule}", month.trim_start_matches('0')));
            line(&mut b, &format!("TZOFFSETFROM:{from}"));
            line(&mut b, &format!("TZOFFSETTO:{to}"));
            line(&mut b, &format!("TZNAME:{name}"));
            line(&mut b, &format!("END:{kind}"));
        }
    }
    line(&mut b, "END:VTIMEZONE");
    b
}

/// The `i`-th task: name `task-{i}.ics`; one in five completed.
pub fn task(i: usize) -> Item {
    let uid = format!("bench-task-{i}@agora.invalid");
    let due = first_day() + Days::new((i as u64 * 3) % SPAN_DAYS);
    let mut b = String::with_capacity(512);
    for l in ["BEGIN:VCALENDAR", "VERSION:2.0", PRODID, "BEGIN:VTODO"] {
        line(&mut b, l);
    }
    line(&mut b, &format!("UID:{uid}"));
    line(&mut b, "DTSTAMP:20260101T000000Z");
    line(&mut b, &format!("SUMMARY:Tâche {i} : relancer le fournisseur"));
    if i.is_multiple_of(2) {
        line(&mut b, &format!("DUE:{}T170000Z", due.format("%Y%m%d")));
    } else {
        line(&mut b, &format!("DUE;VALUE=DATE:{}", due.format("%Y%m%d")));
    }
    line(&mut b, &format!("PRIORITY:{}", i % 10));
    if i.is_multiple_of(5) {
        line(&mut b, "STATUS:COMPLETED");
        line(&mut b, "PERCENT-COMPLETE:100");
        line(&mut b, &format!("COMPLETED:{}T090000Z", due.format("%Y%m%d")));
    } else {
        line(&mut b, "STATUS:NEEDS-ACTION");
    }
    for l in ["END:VTODO", "END:VCALENDAR"] {
        line(&mut b, l);
    }
    Item { name: format!("task-{i}.ics"), body: b }
}

/// The `i`-th contact: name `contact-{i}.vcf`; one in twenty has a photo of
/// about 4 KB, the size a phone keeps for a contact picture.
pub fn contact(i: usize) -> Item {
    let uid = format!("bench-contact-{i}@agora.invalid");
    let mut b = String::with_capacity(1024);
    for l in ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Agora//agora-bench//EN"] {
        line(&mut b, l);
    }
    line(&mut b, &format!("UID:{uid}"));
    line(&mut b, &format!("FN:Contact {i} Dupont"));
    line(&mut b, &format!("N:Dupont;Contact {i};;;"));
    line(&mut b, &format!("EMAIL;TYPE=INTERNET,WORK:contact{i}@example.org"));
    line(&mut b, &format!("EMAIL;TYPE=INTERNET,HOME:c{i}@home.example"));
    line(
        &mut b,
        &format!("TEL;TYPE=CELL:+33 6 {:02} {:02} {:02} {:02}", i % 100, (i / 100) % 100, (i / 10_000) % 100, i % 97),
    );
    line(&mut b, &format!("ORG:Entreprise {};Service {}", i % 50, i % 7));
    line(&mut b, &format!("item1.ADR;TYPE=WORK:;;{} rue de la Paix;Paris;;75002;France", i % 200));
    line(&mut b, "item1.X-ABLabel:Bureau");
    line(&mut b, &format!("NOTE:Rencontré au salon {}\\, à rappeler en septembre.", 2020 + i % 6));
    if i.is_multiple_of(20) {
        line(&mut b, &format!("PHOTO;ENCODING=b;TYPE=JPEG:{}", photo(i)));
    }
    line(&mut b, "END:VCARD");
    Item { name: format!("contact-{i}.vcf"), body: b }
}

/// 3 KB of bytes framed like a JPEG (start and end markers), base64: the size of
/// a real picture without shipping one.
fn photo(seed: usize) -> String {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    let mut x = seed as u64 ^ 0x9E37_79B9_7F4A_7C15;
    while bytes.len() < 3_000 {
        // xorshift: cheap noise, so the picture does not compress to nothing.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The `k`-th week of the populated span (Monday 2026-01-05 onwards, cycling),
/// as UTC `(start, end)` in iCalendar form.
pub fn week(k: usize) -> (String, String) {
    let monday = NaiveDate::from_ymd_opt(2026, 1, 5).expect("a valid date") + Days::new(7 * (k % WEEKS) as u64);
    let utc = |d: NaiveDate| format!("{}T000000Z", d.format("%Y%m%d"));
    (utc(monday), utc(monday + Days::new(7)))
}

/// A VFREEBUSY REQUEST for an outbox POST (RFC 6638 §6.1.4): `organizer` asks
/// for the busy time of `attendees` (addresses without `mailto:`) in `range`.
pub fn freebusy_request(uid: &str, organizer: &str, attendees: &[String], range: &(String, String)) -> String {
    let mut b = String::with_capacity(256 + 64 * attendees.len());
    for l in ["BEGIN:VCALENDAR", "VERSION:2.0", PRODID, "METHOD:REQUEST", "BEGIN:VFREEBUSY"] {
        line(&mut b, l);
    }
    line(&mut b, &format!("UID:{uid}"));
    line(&mut b, "DTSTAMP:20260101T000000Z");
    line(&mut b, &format!("DTSTART:{}", range.0));
    line(&mut b, &format!("DTEND:{}", range.1));
    line(&mut b, &format!("ORGANIZER:mailto:{organizer}"));
    for a in attendees {
        line(&mut b, &format!("ATTENDEE:mailto:{a}"));
    }
    for l in ["END:VFREEBUSY", "END:VCALENDAR"] {
        line(&mut b, l);
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use calcard::icalendar::{ICalendar, ICalendarComponentType, ICalendarProperty, ICalendarValue};
    use calcard::vcard::VCard;

    /// BEGIN/END lines pair up, innermost first. (calcard's strict mode refuses
    /// every nested BEGIN and its lenient mode forgives unclosed components, so
    /// the nesting is checked here.)
    fn balanced(body: &str) {
        let mut open = Vec::new();
        for l in body.split("\r\n") {
            if let Some(name) = l.strip_prefix("BEGIN:") {
                open.push(name);
            } else if let Some(name) = l.strip_prefix("END:") {
                assert_eq!(open.pop(), Some(name), "END:{name} closes the wrong component\n{body}");
            }
        }
        assert!(open.is_empty(), "unclosed {open:?}");
    }

    /// Parses, and checks what lenient parsing would let through: dates that
    /// did not parse become text, a bad RRULE becomes text.
    fn calendar(body: &str) -> ICalendar {
        balanced(body);
        let cal = ICalendar::parse(body).unwrap_or_else(|e| panic!("not an iCalendar object: {e:?}\n{body}"));
        assert_eq!(cal.components[0].component_type, ICalendarComponentType::VCalendar);
        use ICalendarProperty as P;
        for c in &cal.components {
            for e in &c.entries {
                let dated = [P::Dtstart, P::Dtend, P::Due, P::Exdate, P::RecurrenceId, P::Dtstamp, P::Completed];
                if dated.contains(&e.name) {
                    assert!(
                        e.values.iter().all(|v| matches!(v, ICalendarValue::PartialDateTime(_))),
                        "{:?} is not a date: {:?}",
                        e.name,
                        e.values
                    );
                }
                if e.name == P::Rrule {
                    assert!(matches!(e.values.first(), Some(ICalendarValue::RecurrenceRule(_))), "{:?}", e.values);
                }
            }
        }
        cal
    }

    fn unfolded(body: &str) -> String {
        body.replace("\r\n ", "")
    }

    #[test]
    fn every_line_is_folded_and_ends_with_crlf() {
        for body in [event(0).body, event(3).body, task(5).body, contact(20).body] {
            assert!(body.ends_with("\r\n"));
            assert!(!body.replace("\r\n", "").contains('\n'), "a bare LF");
            for l in body.split("\r\n") {
                assert!(l.len() <= 75, "a line of {} octets: {l}", l.len());
            }
        }
    }

    #[test]
    fn events_parse_with_unique_uids_and_names() {
        let mut uids = std::collections::HashSet::new();
        let mut names = std::collections::HashSet::new();
        for i in 0..500 {
            let item = event(i);
            let cal = calendar(&item.body);
            let uid = cal.uids().next().expect("a UID").to_owned();
            assert!(cal.uids().all(|u| u == uid), "one UID per object");
            assert!(uids.insert(uid), "UID of event {i} repeated");
            assert!(names.insert(item.name), "name of event {i} repeated");
            assert!(cal.components.iter().any(|c| c.component_type == ICalendarComponentType::VEvent));
        }
    }

    #[test]
    fn a_tenth_recur_with_an_exdate_and_some_move_an_occurrence() {
        let n = 1000;
        let recurring: Vec<usize> =
            (0..n).filter(|&i| unfolded(&event(i).body).contains("RRULE:FREQ=WEEKLY")).collect();
        assert_eq!(recurring.len(), n / 10);
        for &i in &recurring {
            let cal = calendar(&event(i).body);
            let master = cal
                .components
                .iter()
                .find(|c| c.component_type == ICalendarComponentType::VEvent && c.is_recurrent())
                .expect("a recurring master");
            assert!(master.has_property(&ICalendarProperty::Exdate), "event {i} has no EXDATE");
        }
        let moved = (0..n).filter(|&i| calendar(&event(i).body).components.iter().any(|c| c.is_recurrence_override()));
        assert_eq!(moved.count(), n / 20);
    }

    #[test]
    fn some_events_have_attendees_time_zones_and_all_day() {
        let bodies: Vec<String> = (0..300).map(|i| unfolded(&event(i).body)).collect();
        assert_eq!(bodies.iter().filter(|b| b.contains("\r\nATTENDEE;")).count(), 100);
        assert!(bodies.iter().all(|b| !b.contains("mailto:bench")), "no attendee is a bench user");
        for zone in ZONES {
            assert!(bodies.iter().any(|b| b.contains(&format!("TZID:{zone}\r\n"))), "no VTIMEZONE for {zone}");
        }
        assert!(bodies.iter().any(|b| b.contains("DTSTART;VALUE=DATE:")));
        // Every TZID used is defined in the object (RFC 5545 §3.2.19).
        for b in &bodies {
            for used in b.split("TZID=").skip(1).map(|s| &s[..s.find(':').unwrap()]) {
                assert!(b.contains(&format!("\r\nTZID:{used}\r\n")), "TZID {used} without its VTIMEZONE");
            }
        }
    }

    #[test]
    fn an_edit_keeps_the_uid_and_bumps_the_sequence() {
        let (a, b) = (event_as("x", 7, 0), event_as("x", 7, 3));
        assert_eq!(a.name, b.name);
        assert_eq!(calendar(&a.body).uids().next(), calendar(&b.body).uids().next());
        assert!(b.body.contains("SEQUENCE:3\r\n"));
        assert_ne!(a.body, b.body);
    }

    #[test]
    fn tasks_are_vtodos_some_completed() {
        let mut uids = std::collections::HashSet::new();
        for i in 0..50 {
            let cal = calendar(&task(i).body);
            let todo = cal.components.iter().find(|c| c.component_type == ICalendarComponentType::VTodo);
            assert!(todo.is_some(), "task {i} is not a VTODO");
            assert!(uids.insert(cal.uids().next().unwrap().to_owned()));
        }
        assert_eq!((0..50).filter(|&i| task(i).body.contains("STATUS:COMPLETED")).count(), 10);
    }

    #[test]
    fn contacts_parse_and_one_in_twenty_has_a_photo() {
        let mut uids = std::collections::HashSet::new();
        for i in 0..100 {
            let item = contact(i);
            assert!(item.name.ends_with(".vcf"));
            balanced(&item.body);
            let card = VCard::parse(&item.body).unwrap_or_else(|e| panic!("contact {i} is not a vCard: {e:?}"));
            assert!(uids.insert(card.uid().expect("a UID").to_owned()));
        }
        let with_photo: Vec<String> = (0..100).map(|i| contact(i).body).filter(|b| b.contains("PHOTO;")).collect();
        assert_eq!(with_photo.len(), 5);
        assert!(with_photo.iter().all(|b| b.len() > 4_000), "a photo of a few KB");
    }

    #[test]
    fn weeks_stay_in_the_populated_span() {
        assert_eq!(week(0), ("20260105T000000Z".to_owned(), "20260112T000000Z".to_owned()));
        let last = week(WEEKS - 1);
        assert!(last.1.as_str() <= "20280101T000000Z", "{last:?}");
        assert_eq!(week(WEEKS), week(0));
    }

    #[test]
    fn a_freebusy_request_names_organizer_and_attendees() {
        let who: Vec<String> = (1..=20).map(|n| format!("bench{n}@example.org")).collect();
        let body = freebusy_request("fb-1", "bench0@example.org", &who, &week(3));
        let cal = calendar(&body);
        assert!(body.contains("METHOD:REQUEST\r\n"));
        let fb = cal.components.iter().find(|c| c.component_type == ICalendarComponentType::VFreebusy).unwrap();
        assert_eq!(fb.properties(&ICalendarProperty::Attendee).count(), 20);
        assert!(fb.has_property(&ICalendarProperty::Organizer));
    }
}
