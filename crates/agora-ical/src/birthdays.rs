//! Birthdays and anniversaries of a vCard as yearly all-day events: what the
//! server's birthdays calendar holds (agora-core's `birthdays` fills it).
//!
//! The dates are read from the card's content lines as the strict reader
//! ([`crate::content`]) gives them, the name from calcard's tree:
//! `BDAY` (vCard 3 and 4), `ANNIVERSARY` (vCard 4), `X-ANNIVERSARY` (vCard 3:
//! Evolution, KAddressBook, DAVx5), `X-EVOLUTION-ANNIVERSARY`, and Apple's
//! labelled date (`itemN.X-ABDATE` with `itemN.X-ABLabel:_$!<Anniversary>!$_`).
//! A date without year (`--0415`, RFC 6350 §4.3.1; Apple's
//! `X-APPLE-OMIT-YEAR=1604` with year 1604) gives an event from 1972 on; a
//! month or a day alone gives nothing.
//!
//! February 29: a yearly rule on DTSTART Feb 29 has no instance in common years
//! (RFC 5545 §3.3.10: invalid dates are ignored). The event uses
//! `BYMONTH=2;BYMONTHDAY=-1` instead: the last day of February, so Feb 29 in
//! leap years and Feb 28 otherwise.
//!
//! The text is a function of the card only (fixed DTSTAMP, no time of
//! creation): its entity tag changes exactly when what it shows does.

use calcard::vcard::{VCard, VCardEntry, VCardProperty};
use chrono::{Datelike, NaiveDate};

use crate::Language as Lang;
use crate::content::Line;
use crate::vcard::VcardError;

/// What a card's date celebrates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Occasion {
    /// `BDAY`.
    Birthday,
    /// `ANNIVERSARY` and its vCard 3 forms.
    Anniversary,
}

impl Occasion {
    /// Every occasion, in the order a card's events are listed.
    pub const ALL: [Occasion; 2] = [Occasion::Birthday, Occasion::Anniversary];

    /// A short ASCII word naming it (in hrefs and UIDs).
    pub fn word(self) -> &'static str {
        match self {
            Occasion::Birthday => "birthday",
            Occasion::Anniversary => "anniversary",
        }
    }
}

/// One yearly date of a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardDate {
    /// What it celebrates.
    pub occasion: Occasion,
    /// The year, when the card gives one.
    pub year: Option<i32>,
    /// 1–12.
    pub month: u32,
    /// 1–31, valid for the month (Feb 29 allowed).
    pub day: u32,
}

/// What the birthdays calendar needs of a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardDates {
    /// The card's UID.
    pub uid: String,
    /// Who it is: FN, else the name parts of N, else ORG; empty when none.
    pub name: String,
    /// At most one date per occasion (the first the card gives).
    pub dates: Vec<CardDate>,
}

/// The birthdays calendar's words, in each language.
impl Lang {
    /// The name of the birthdays calendar.
    pub fn calendar_name(self) -> &'static str {
        match self {
            Lang::En => "Birthdays",
            Lang::Fr => "Anniversaires",
        }
    }

    fn summary(self, occasion: Occasion, name: &str) -> String {
        let what = match (self, occasion) {
            (Lang::En, Occasion::Birthday) => "Birthday",
            (Lang::En, Occasion::Anniversary) => "Anniversary",
            (Lang::Fr, Occasion::Birthday) => "Anniversaire",
            (Lang::Fr, Occasion::Anniversary) => "Anniversaire de mariage",
        };
        match (self, name.is_empty()) {
            (_, true) => what.to_owned(),
            (Lang::En, false) => format!("{what}: {name}"),
            // French typography: a (no-break) space before the colon.
            (Lang::Fr, false) => format!("{what}\u{a0}: {name}"),
        }
    }

    fn description(self, occasion: Occasion, year: i32) -> String {
        match (self, occasion) {
            (Lang::En, Occasion::Birthday) => format!("Born in {year}"),
            (Lang::En, Occasion::Anniversary) => format!("Since {year}"),
            (Lang::Fr, Occasion::Birthday) => format!("Né(e) en {year}"),
            (Lang::Fr, Occasion::Anniversary) => format!("Depuis {year}"),
        }
    }
}

/// Apple's label of an anniversary date (`itemN.X-ABLabel`).
const APPLE_ANNIVERSARY_LABEL: &str = "_$!<Anniversary>!$_";
/// The year of an event whose card gives none: a leap year, so that Feb 29
/// has a first instance, after 1970 for clients that dislike older dates.
const NO_YEAR: i32 = 1972;

/// Reads the birthday and anniversary of a stored card.
pub fn card_dates(bytes: &[u8]) -> Result<CardDates, VcardError> {
    let (card, _) = crate::vcard::parse_one(bytes)?;
    let uid = card.uid().map(str::trim).unwrap_or_default().to_owned();
    // The date values as written: calcard reads the extended forms clients
    // write in vCard 4 (`2005-06-10`, `--04-15`, RFC 6350 §4.3.1 has only the
    // basic ones) as a month without day. `parse_one` checked the text.
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix(crate::content::BOM).unwrap_or(&text);
    let lines = crate::content::parse_all(text)
        .ok()
        .and_then(|nodes| nodes.into_iter().next())
        .map(|node| node.lines)
        .unwrap_or_default();
    let mut dates = Vec::new();
    if let Some(d) = lines.iter().filter(|l| l.name == "BDAY").find_map(|l| date_of(l, Occasion::Birthday)) {
        dates.push(d);
    }
    let anniversary = lines
        .iter()
        .filter(|l| match l.name.as_str() {
            "ANNIVERSARY" | "X-ANNIVERSARY" | "X-EVOLUTION-ANNIVERSARY" => true,
            "X-ABDATE" => apple_label(&lines, l).is_some_and(|label| label == APPLE_ANNIVERSARY_LABEL),
            _ => false,
        })
        .find_map(|l| date_of(l, Occasion::Anniversary));
    dates.extend(anniversary);
    Ok(CardDates { uid, name: name_of(&card), dates })
}

/// The `X-ABLabel` of the group a line belongs to (`item1.X-ABDATE` →
/// `item1.X-ABLabel`).
fn apple_label(lines: &[Line], line: &Line) -> Option<String> {
    let group = line.group.as_deref()?;
    lines
        .iter()
        .filter(|l| l.group.as_deref().is_some_and(|g| g.eq_ignore_ascii_case(group)))
        .find(|l| l.name == "X-ABLABEL")
        .map(Line::text)
}

/// FN, else the given and family names of N, else ORG.
fn name_of(card: &VCard) -> String {
    let texts = |e: &VCardEntry| -> Vec<String> {
        e.values
            .iter()
            .filter_map(|v| v.as_text())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    if let Some(full) = card.property(&VCardProperty::Fn).map(texts).filter(|t| !t.is_empty()) {
        return full.join(" ");
    }
    if let Some(n) = card.property(&VCardProperty::N) {
        // N: family; given; additional; prefixes; suffixes (RFC 6350 §6.2.2).
        let part = |i: usize| n.values.get(i).and_then(|v| v.as_text()).map(str::trim).unwrap_or_default();
        let name = [part(1), part(0)].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ");
        if !name.is_empty() {
            return name;
        }
    }
    card.property(&VCardProperty::Org).map(texts).and_then(|t| t.first().cloned()).unwrap_or_default()
}

/// The yearly date of a BDAY-like line, if it has a month and a day.
fn date_of(line: &Line, occasion: Occasion) -> Option<CardDate> {
    if line.param("VALUE").is_some_and(|v| v.eq_ignore_ascii_case("text")) {
        return None;
    }
    let (year, month, day) = text_date(&line.value)?;
    // Apple writes a date without year as year 1604 with X-APPLE-OMIT-YEAR=1604.
    let omitted = line.param("X-APPLE-OMIT-YEAR").is_some_and(|y| y.trim().parse::<i32>().ok() == year);
    let year = if omitted { None } else { year };
    // The date must exist: in its year, or in a leap year when there is none.
    NaiveDate::from_ymd_opt(year.unwrap_or(NO_YEAR), month, day)?;
    Some(CardDate { occasion, year, month, day })
}

/// `YYYY-MM-DD`, `YYYYMMDD`, `--MMDD`, `--MM-DD`, optionally followed by a
/// time (`T…`): (year, month, day).
fn text_date(text: &str) -> Option<(Option<i32>, u32, u32)> {
    let date = text.trim().split(['T', 't']).next()?;
    let (year, rest) = match date.strip_prefix("--") {
        Some(rest) => (None, rest.to_owned()),
        None => {
            let digits: String = date.chars().filter(|c| *c != '-').collect();
            if digits.len() != 8 {
                return None;
            }
            (Some(digits[..4].parse().ok()?), digits[4..].to_owned())
        }
    };
    let rest: String = rest.chars().filter(|c| *c != '-').collect();
    if rest.len() != 4 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((year, rest[..2].parse().ok()?, rest[2..].parse().ok()?))
}

/// The iCalendar object of one date of a card: a yearly all-day VEVENT,
/// transparent, with `uid` as its UID.
pub fn event(card: &CardDates, date: &CardDate, uid: &str, lang: Lang) -> String {
    use crate::content::{Node, serialize};
    let esc = crate::json::values::escape;
    let year = date.year.unwrap_or(NO_YEAR);
    // `card_dates` only keeps dates that exist.
    let start = NaiveDate::from_ymd_opt(year, date.month, date.day).unwrap_or_default();
    let end = start.succ_opt().unwrap_or(start);
    let day = |d: NaiveDate| format!("{:04}{:02}{:02}", d.year(), d.month(), d.day());
    let as_date = || vec![("VALUE".to_owned(), vec!["DATE".to_owned()])];
    let rule = if date.month == 2 && date.day == 29 { "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1" } else { "FREQ=YEARLY" };
    let mut lines = vec![
        Line::new("UID", vec![], esc(uid)),
        Line::new("DTSTAMP", vec![], "20000101T000000Z"),
        Line::new("DTSTART", as_date(), day(start)),
        Line::new("DTEND", as_date(), day(end)),
        Line::new("RRULE", vec![], rule),
        Line::new("SUMMARY", vec![], esc(&lang.summary(date.occasion, &card.name))),
    ];
    if let Some(y) = date.year {
        lines.push(Line::new("DESCRIPTION", vec![], esc(&lang.description(date.occasion, y))));
    }
    lines.extend([
        Line::new("CATEGORIES", vec![], esc(lang.summary(date.occasion, "").as_str())),
        Line::new("TRANSP", vec![], "TRANSPARENT"),
        Line::new("CLASS", vec![], "PUBLIC"),
    ]);
    let event = Node { name: "VEVENT".into(), lines, children: vec![] };
    let calendar = Node {
        name: "VCALENDAR".into(),
        lines: vec![
            Line::new("VERSION", vec![], "2.0"),
            Line::new("PRODID", vec![], "-//Agora//Birthdays//EN"),
            Line::new("CALSCALE", vec![], "GREGORIAN"),
        ],
        children: vec![event],
    };
    serialize(&calendar)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(version: &str, lines: &str) -> Vec<u8> {
        format!("BEGIN:VCARD\r\nVERSION:{version}\r\nUID:c-1\r\nFN:Jean Dupont\r\n{lines}END:VCARD\r\n").into_bytes()
    }

    fn dates(version: &str, lines: &str) -> Vec<CardDate> {
        card_dates(&card(version, lines)).unwrap().dates
    }

    fn on(occasion: Occasion, year: Option<i32>, month: u32, day: u32) -> CardDate {
        CardDate { occasion, year, month, day }
    }

    #[test]
    fn vcard4_birthday_and_anniversary() {
        let found = dates("4.0", "BDAY:19800415\r\nANNIVERSARY:2005-06-10\r\n");
        assert_eq!(found, [on(Occasion::Birthday, Some(1980), 4, 15), on(Occasion::Anniversary, Some(2005), 6, 10)]);
        let info = card_dates(&card("4.0", "BDAY:19800415\r\n")).unwrap();
        assert_eq!((info.uid.as_str(), info.name.as_str()), ("c-1", "Jean Dupont"));
    }

    #[test]
    fn dates_without_year() {
        assert_eq!(dates("4.0", "BDAY:--0415\r\n"), [on(Occasion::Birthday, None, 4, 15)]);
        assert_eq!(dates("3.0", "BDAY:--04-15\r\n"), [on(Occasion::Birthday, None, 4, 15)]);
        assert_eq!(dates("3.0", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15\r\n"), [on(Occasion::Birthday, None, 4, 15)]);
        assert_eq!(
            dates("3.0", "BDAY;VALUE=date:1604-04-15\r\n"),
            [on(Occasion::Birthday, Some(1604), 4, 15)],
            "a year without Apple's marker is a year"
        );
        // A day, a month or a year alone is no yearly date.
        assert!(dates("4.0", "BDAY:---15\r\n").is_empty());
        assert!(dates("4.0", "BDAY:1980\r\n").is_empty());
        assert!(dates("4.0", "BDAY;VALUE=text:circa 1800\r\n").is_empty());
    }

    #[test]
    fn vcard3_forms() {
        assert_eq!(dates("3.0", "BDAY:1980-04-15\r\n"), [on(Occasion::Birthday, Some(1980), 4, 15)]);
        assert_eq!(dates("3.0", "BDAY:1980-04-15T00:00:00Z\r\n"), [on(Occasion::Birthday, Some(1980), 4, 15)]);
        assert_eq!(dates("3.0", "X-ANNIVERSARY:2005-06-10\r\n"), [on(Occasion::Anniversary, Some(2005), 6, 10)]);
        assert_eq!(
            dates("3.0", "X-EVOLUTION-ANNIVERSARY:20050610\r\n"),
            [on(Occasion::Anniversary, Some(2005), 6, 10)]
        );
        let apple = "item1.X-ABDATE;type=pref:2005-06-10\r\nitem1.X-ABLabel:_$!<Anniversary>!$_\r\n\
            item2.X-ABDATE:2010-01-02\r\nitem2.X-ABLabel:_$!<Other>!$_\r\n";
        assert_eq!(dates("3.0", apple), [on(Occasion::Anniversary, Some(2005), 6, 10)]);
        assert!(dates("3.0", "item2.X-ABDATE:2010-01-02\r\nitem2.X-ABLabel:_$!<Other>!$_\r\n").is_empty());
    }

    #[test]
    fn impossible_dates_give_nothing() {
        assert!(dates("4.0", "BDAY:19810229\r\n").is_empty(), "1981 is not a leap year");
        assert!(dates("4.0", "BDAY:--0230\r\n").is_empty());
        assert_eq!(dates("4.0", "BDAY:--0229\r\n"), [on(Occasion::Birthday, None, 2, 29)]);
    }

    #[test]
    fn names_fall_back_to_n_then_org() {
        let no_fn = b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\nN:Dupont;Jean;;;\r\nBDAY:--0415\r\nEND:VCARD\r\n";
        assert_eq!(card_dates(no_fn).unwrap().name, "Jean Dupont");
        let org = b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\nFN:\r\nORG:ACME;R&D\r\nEND:VCARD\r\n";
        assert_eq!(card_dates(org).unwrap().name, "ACME");
    }

    #[test]
    fn events_are_yearly_all_day_and_transparent() {
        let info = card_dates(&card("4.0", "BDAY:19800415\r\n")).unwrap();
        let text = event(&info, &info.dates[0], "u-1", Lang::En);
        for line in [
            "UID:u-1",
            "DTSTART;VALUE=DATE:19800415",
            "DTEND;VALUE=DATE:19800416",
            "RRULE:FREQ=YEARLY\r\n",
            "SUMMARY:Birthday: Jean Dupont",
            "DESCRIPTION:Born in 1980",
            "TRANSP:TRANSPARENT",
        ] {
            assert!(text.contains(line), "{line} in {text}");
        }
        assert_eq!(text, event(&info, &info.dates[0], "u-1", Lang::En), "the same card, the same bytes");
        let parsed = crate::CalendarObject::parse(text.as_bytes()).expect("a valid calendar object");
        assert_eq!(parsed.info(&crate::TzSpec::utc()).uid, "u-1");

        let fr = event(&info, &info.dates[0], "u-1", Lang::Fr);
        assert!(fr.contains("SUMMARY:Anniversaire\u{a0}: Jean Dupont") && fr.contains("Né(e) en 1980"), "{fr}");
    }

    #[test]
    fn february_29_falls_on_the_last_day_of_february() {
        let info = card_dates(&card("4.0", "BDAY:--0229\r\nANNIVERSARY:20000229\r\n")).unwrap();
        let text = event(&info, &info.dates[0], "u", Lang::En);
        assert!(text.contains("DTSTART;VALUE=DATE:19720229"), "{text}");
        assert!(text.contains("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"), "{text}");
        assert!(!text.contains("DESCRIPTION"), "no year, no description: {text}");
        let anniversary = event(&info, &info.dates[1], "v", Lang::En);
        assert!(anniversary.contains("DTSTART;VALUE=DATE:20000229"), "{anniversary}");

        // The instances from 2025 to 2028, as the index and queries see them.
        let parsed = crate::CalendarObject::parse(text.as_bytes()).unwrap();
        let day =
            |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
        let found = crate::expand(&parsed, day(2025, 1, 1), day(2029, 1, 1), &crate::TzSpec::utc(), 100).unwrap();
        let starts: Vec<i64> = found.iter().map(|i| i.start).collect();
        assert_eq!(starts, [day(2025, 2, 28), day(2026, 2, 28), day(2027, 2, 28), day(2028, 2, 29)]);
        assert!(found.iter().all(|i| i.transparent && i.end - i.start == 86_400));
    }

    #[test]
    fn names_are_escaped() {
        let mut info = card_dates(&card("4.0", "BDAY:--0101\r\n")).unwrap();
        info.name = "Dupont, Jean; Jr".into();
        let text = event(&info, &info.dates[0], "u", Lang::En);
        assert!(text.contains("SUMMARY:Birthday: Dupont\\, Jean\\; Jr"), "{text}");
    }
}
