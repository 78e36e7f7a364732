//! Query filters: CalDAV `calendar-query` (RFC 4791 §9.7) and CardDAV
//! `addressbook-query` (RFC 6352 §10.5), evaluated on one stored object.
//! Time ranges use the recurrence engine (§9.9, every instance counts);
//! properties and parameters are tested on the content lines as written.

use crate::content::{self, Line, Node};
use crate::object::CalendarObject;
use crate::query::{alarms_overlap, overlaps};
use crate::zone::TzSpec;
use unicode_normalization::UnicodeNormalization;

/// A time range in Unix seconds; a missing bound is infinite.
pub type Range = (Option<i64>, Option<i64>);

/// How text is compared (RFC 4790 collations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collation {
    /// `i;octet`: exact.
    Octet,
    /// `i;ascii-casemap` (the default): ASCII letters compared without case.
    AsciiCasemap,
    /// `i;unicode-casemap` (RFC 5051): compared without case and after compatibility
    /// decomposition, so `é` matches `e` + U+0301 and `ñ` contains `n`.
    UnicodeCasemap,
}

/// Where the text must occur (CardDAV `match-type`; CalDAV always substring).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchType {
    /// Anywhere.
    Contains,
    /// The whole value.
    Equals,
    /// At the start.
    StartsWith,
    /// At the end.
    EndsWith,
}

/// `text-match`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextMatch {
    /// The text looked for.
    pub text: String,
    /// Comparison.
    pub collation: Collation,
    /// `negate-condition="yes"`.
    pub negate: bool,
    /// Where it must occur.
    pub match_type: MatchType,
}

/// `param-filter`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamFilter {
    /// Parameter name.
    pub name: String,
    /// True: the parameter must be absent.
    pub is_not_defined: bool,
    /// Condition on its value.
    pub text_match: Option<TextMatch>,
}

/// `prop-filter`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropFilter {
    /// Property name.
    pub name: String,
    /// True: the property must be absent.
    pub is_not_defined: bool,
    /// For date properties: the value must fall in the range.
    pub time_range: Option<Range>,
    /// Conditions on the value.
    pub text_matches: Vec<TextMatch>,
    /// Conditions on parameters.
    pub param_filters: Vec<ParamFilter>,
    /// CardDAV `test`: all conditions (true) or any (false, the default there).
    /// CalDAV combines them with AND.
    pub all: bool,
}

/// `comp-filter`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompFilter {
    /// Component name (VCALENDAR at the top).
    pub name: String,
    /// True: no such component.
    pub is_not_defined: bool,
    /// Some instance must overlap.
    pub time_range: Option<Range>,
    /// All must match.
    pub prop_filters: Vec<PropFilter>,
    /// All must match.
    pub comp_filters: Vec<CompFilter>,
}

impl TextMatch {
    /// Whether `value` satisfies the match (negation applied).
    pub fn test(&self, value: &str) -> bool {
        let fold = |s: &str| match self.collation {
            Collation::Octet => s.to_owned(),
            Collation::AsciiCasemap => s.to_ascii_lowercase(),
            Collation::UnicodeCasemap => unicode_casemap(s),
        };
        let (v, t) = (fold(value), fold(&self.text));
        let hit = match self.match_type {
            MatchType::Contains => v.contains(&t),
            MatchType::Equals => v == t,
            MatchType::StartsWith => v.starts_with(&t),
            MatchType::EndsWith => v.ends_with(&t),
        };
        hit != self.negate
    }
}

/// The key RFC 5051 §2 compares with `i;unicode-casemap`: each character replaced by its
/// simple titlecase mapping, then the whole string decomposed to NFKD (a decomposed
/// character can expose a letter with a case mapping of its own, so the mapping is applied
/// again). Rust has no titlecase mapping; the simple uppercase one puts characters in the
/// same classes (they differ only for the Serbo-Croatian digraphs, whose three forms map
/// to one character either way). Where the full uppercase mapping has several characters
/// (ß → SS) the simple one is the character itself, as in UnicodeData.txt.
fn unicode_casemap(s: &str) -> String {
    fn simple_upper(c: char) -> char {
        let mut up = c.to_uppercase();
        match (up.next(), up.next()) {
            (Some(u), None) => u,
            _ => c,
        }
    }
    let mapped: String = s.chars().map(simple_upper).collect();
    mapped.nfkd().map(simple_upper).collect()
}

fn param_matches(line: &Line, f: &ParamFilter) -> bool {
    let found: Vec<&String> =
        line.params.iter().filter(|(n, _)| n.eq_ignore_ascii_case(&f.name)).flat_map(|(_, v)| v).collect();
    if f.is_not_defined {
        return found.is_empty();
    }
    match &f.text_match {
        None => !found.is_empty(),
        Some(tm) => found.iter().any(|v| tm.test(v)),
    }
}

/// A date or date-time value as Unix seconds (UTC, or floating read as UTC).
fn date_value(v: &str) -> Option<i64> {
    let v = v.trim();
    let (date, time) = v.split_once('T').unwrap_or((v, "000000"));
    let utc = time.ends_with('Z');
    let time = time.trim_end_matches('Z');
    if date.len() != 8 || time.len() != 6 {
        return None;
    }
    let d = chrono::NaiveDate::parse_from_str(date, "%Y%m%d").ok()?;
    let t = chrono::NaiveTime::parse_from_str(time, "%H%M%S").ok()?;
    let _ = utc;
    Some(d.and_time(t).and_utc().timestamp())
}

fn prop_matches(node: &Node, f: &PropFilter) -> bool {
    let lines: Vec<&Line> = node.props(&f.name).collect();
    if f.is_not_defined {
        return lines.is_empty();
    }
    lines.into_iter().any(|line| {
        let value = content::unescape(&line.value);
        let mut results = Vec::new();
        if let Some((a, b)) = f.time_range {
            let t = date_value(&line.value);
            results.push(t.is_some_and(|t| a.is_none_or(|a| a <= t) && b.is_none_or(|b| b > t)));
        }
        results.extend(f.text_matches.iter().map(|tm| tm.test(&value)));
        results.extend(f.param_filters.iter().map(|pf| param_matches(line, pf)));
        if results.is_empty() {
            true
        } else if f.all {
            results.iter().all(|r| *r)
        } else {
            results.iter().any(|r| *r)
        }
    })
}

fn comp_matches(obj: &CalendarObject, node: &Node, f: &CompFilter, floating: &TzSpec) -> bool {
    let time_ok = match f.time_range {
        None => true,
        Some((a, b)) => match f.name.to_ascii_uppercase().as_str() {
            "VALARM" => alarms_overlap(obj, a, b, floating),
            "VEVENT" | "VTODO" | "VJOURNAL" | "VFREEBUSY" => overlaps(obj, a, b, floating),
            _ => true,
        },
    };
    time_ok
        && f.prop_filters.iter().all(|pf| prop_matches(node, &PropFilter { all: true, ..pf.clone() }))
        && f.comp_filters.iter().all(|cf| children_match(obj, node, cf, floating))
}

fn children_match(obj: &CalendarObject, parent: &Node, f: &CompFilter, floating: &TzSpec) -> bool {
    let mut candidates = parent.comps(&f.name).peekable();
    if f.is_not_defined {
        return candidates.peek().is_none();
    }
    candidates.any(|c| comp_matches(obj, c, f, floating))
}

/// RFC 4791 §9.7: does the object (its stored `text`) match the top-level
/// comp-filter (normally VCALENDAR)? `floating` evaluates floating times.
pub fn calendar_matches(obj: &CalendarObject, text: &str, filter: &CompFilter, floating: &TzSpec) -> bool {
    let Some(root) = content::parse(text) else { return false };
    if !root.name.eq_ignore_ascii_case(&filter.name) {
        return filter.is_not_defined;
    }
    !filter.is_not_defined && comp_matches(obj, &root, filter, floating)
}

/// RFC 6352 §10.5: does the card match the prop-filters, any (`all` false, the
/// default) or all of them? An empty filter matches every card.
pub fn card_matches(text: &str, filters: &[PropFilter], all: bool) -> bool {
    let Some(card) = content::parse(text) else { return false };
    if filters.is_empty() {
        return true;
    }
    if all { filters.iter().all(|f| prop_matches(&card, f)) } else { filters.iter().any(|f| prop_matches(&card, f)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENT: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u1\r\n\
        DTSTAMP:20260101T000000Z\r\nDTSTART:20261124T100000Z\r\nDTEND:20261124T110000Z\r\nRRULE:FREQ=DAILY;COUNT=3\r\n\
        SUMMARY:Comité de pilotage\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:a@x.org\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n\
        TRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    fn tm(text: &str) -> TextMatch {
        TextMatch {
            text: text.into(),
            collation: Collation::AsciiCasemap,
            negate: false,
            match_type: MatchType::Contains,
        }
    }

    fn comp(name: &str) -> CompFilter {
        CompFilter {
            name: name.into(),
            is_not_defined: false,
            time_range: None,
            prop_filters: vec![],
            comp_filters: vec![],
        }
    }

    fn prop(name: &str) -> PropFilter {
        PropFilter {
            name: name.into(),
            is_not_defined: false,
            time_range: None,
            text_matches: vec![],
            param_filters: vec![],
            all: true,
        }
    }

    fn check(f: CompFilter) -> bool {
        let obj = CalendarObject::parse(EVENT.as_bytes()).unwrap();
        calendar_matches(&obj, EVENT, &CompFilter { comp_filters: vec![f], ..comp("VCALENDAR") }, &TzSpec::utc())
    }

    fn ts(s: &str) -> i64 {
        date_value(s).unwrap()
    }

    #[test]
    fn time_ranges_see_every_instance_and_alarms() {
        let in_third = CompFilter {
            time_range: Some((Some(ts("20261126T103000Z")), Some(ts("20261126T120000Z")))),
            ..comp("VEVENT")
        };
        assert!(check(in_third));
        let after = CompFilter { time_range: Some((Some(ts("20261127T000000Z")), None)), ..comp("VEVENT") };
        assert!(!check(after));
        let alarm = CompFilter {
            time_range: Some((Some(ts("20261125T094000Z")), Some(ts("20261125T095000Z")))),
            ..comp("VALARM")
        };
        assert!(check(CompFilter { comp_filters: vec![alarm], ..comp("VEVENT") }));
    }

    /// Found by the differential test (scripts/conformance/differential.py): RFC 5051
    /// compares decomposed text, so a decomposed needle finds a precomposed name, and a
    /// base letter is found inside an accented one; Greek final sigma is a sigma.
    #[test]
    fn unicode_casemap_compares_decomposed_text() {
        let m = |text: &str, match_type| TextMatch {
            text: text.into(),
            collation: Collation::UnicodeCasemap,
            negate: false,
            match_type,
        };
        assert!(m("Rene\u{301}e", MatchType::Contains).test("Dr. Renée Müller"));
        assert!(m("RENÉE", MatchType::Contains).test("Dr. Rene\u{301}e Müller"));
        assert!(m("n", MatchType::Contains).test("Saldaña"));
        assert!(!m("saldana", MatchType::Equals).test("Saldaña"), "the combining tilde stays");
        assert!(m("ΟΔΟΣ", MatchType::Equals).test("οδος"));
        assert!(m("fi", MatchType::StartsWith).test("\u{FB01}nance"));
        assert!(!m("ss", MatchType::Equals).test("ß"), "ß has no simple case mapping to ss");
        assert!(m("straße", MatchType::EndsWith).test("STRAßE"));
        assert!(!m("x", MatchType::Contains).test("Saldaña"));
    }

    #[test]
    fn text_and_parameter_matches() {
        // ascii-casemap folds ASCII letters only; unicode-casemap folds all.
        let ascii = |t: &str| PropFilter { text_matches: vec![tm(t)], ..prop("SUMMARY") };
        assert!(check(CompFilter { prop_filters: vec![ascii("COMITé")], ..comp("VEVENT") }));
        assert!(!check(CompFilter { prop_filters: vec![ascii("COMITÉ")], ..comp("VEVENT") }));
        let unicode = PropFilter {
            text_matches: vec![TextMatch { collation: Collation::UnicodeCasemap, ..tm("COMITÉ") }],
            ..prop("SUMMARY")
        };
        assert!(check(CompFilter { prop_filters: vec![unicode], ..comp("VEVENT") }));
        let negated =
            PropFilter { text_matches: vec![TextMatch { negate: true, ..tm("pilotage") }], ..prop("SUMMARY") };
        assert!(!check(CompFilter { prop_filters: vec![negated], ..comp("VEVENT") }));
        let partstat = ParamFilter { name: "PARTSTAT".into(), is_not_defined: false, text_match: Some(tm("accepted")) };
        let att = PropFilter { param_filters: vec![partstat], ..prop("ATTENDEE") };
        assert!(check(CompFilter { prop_filters: vec![att], ..comp("VEVENT") }));
        let missing = PropFilter { is_not_defined: true, ..prop("LOCATION") };
        assert!(check(CompFilter { prop_filters: vec![missing], ..comp("VEVENT") }));
        assert!(!check(comp("VTODO")));
        assert!(check(CompFilter { is_not_defined: true, ..comp("VTODO") }));
    }

    #[test]
    fn cards_any_or_all() {
        let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c\r\nFN:Jean Dupont\r\nEMAIL;TYPE=WORK:jean@example.org\r\nEND:VCARD\r\n";
        let starts = PropFilter {
            text_matches: vec![TextMatch { match_type: MatchType::StartsWith, ..tm("jean") }],
            ..prop("FN")
        };
        let nick = PropFilter { text_matches: vec![tm("zz")], ..prop("NICKNAME") };
        assert!(card_matches(card, &[starts.clone(), nick.clone()], false));
        assert!(!card_matches(card, &[starts, nick], true));
        let equals = PropFilter {
            text_matches: vec![TextMatch { match_type: MatchType::Equals, ..tm("jean@example") }],
            ..prop("EMAIL")
        };
        assert!(!card_matches(card, &[equals], false));
        assert!(card_matches(card, &[], false));
    }
}
