//! Fuzzes calendar-query and addressbook-query filters end to end: the input is
//! a REPORT body, a NUL byte, then an iCalendar or vCard text. The body goes
//! through the XML parser, its filter through `agora_ical::filter` against the
//! parsed object. Checked: every text-match and its negation disagree on every
//! property value, and a card filter with one prop-filter gives the same answer
//! under anyof and allof.
//!
//! The XML-to-filter mapping below mirrors agora-dav's
//! `methods/report/filters.rs` (agora-dav is too heavy to build here); keep the
//! two alike.
#![no_main]

use agora_dav_xml as x;
use agora_dav_xml::{Limits, Report, parse_report};
use agora_ical::filter as f;
use agora_ical::{CalendarObject, TzSpec, content};
use libfuzzer_sys::fuzz_target;

fn text_match(t: &x::TextMatch) -> Option<f::TextMatch> {
    Some(f::TextMatch {
        text: t.text.clone(),
        collation: match t.collation {
            x::Collation::Octet => f::Collation::Octet,
            x::Collation::AsciiCasemap => f::Collation::AsciiCasemap,
            x::Collation::UnicodeCasemap => f::Collation::UnicodeCasemap,
            x::Collation::Other(_) => return None,
        },
        negate: t.negate,
        match_type: match t.match_type {
            x::MatchType::Contains => f::MatchType::Contains,
            x::MatchType::Equals => f::MatchType::Equals,
            x::MatchType::StartsWith => f::MatchType::StartsWith,
            x::MatchType::EndsWith => f::MatchType::EndsWith,
        },
    })
}

fn param(p: &x::ParamFilter) -> Option<f::ParamFilter> {
    Some(f::ParamFilter {
        name: p.name.clone(),
        is_not_defined: p.is_not_defined,
        text_match: match &p.text_match {
            Some(t) => Some(text_match(t)?),
            None => None,
        },
    })
}

fn comp(c: &x::CompFilter) -> Option<f::CompFilter> {
    let range = |t: &Option<x::TimeRange>| t.as_ref().map(|t| (t.start, t.end));
    Some(f::CompFilter {
        name: c.name.clone(),
        is_not_defined: c.is_not_defined,
        time_range: range(&c.time_range),
        prop_filters: c
            .prop_filters
            .iter()
            .map(|p| {
                Some(f::PropFilter {
                    name: p.name.clone(),
                    is_not_defined: p.is_not_defined,
                    time_range: range(&p.time_range),
                    text_matches: p.text_match.iter().map(text_match).collect::<Option<_>>()?,
                    param_filters: p.param_filters.iter().map(param).collect::<Option<_>>()?,
                    all: true,
                })
            })
            .collect::<Option<_>>()?,
        comp_filters: c.comp_filters.iter().map(comp).collect::<Option<_>>()?,
    })
}

fn card(c: &x::CardFilter) -> Option<(Vec<f::PropFilter>, bool)> {
    let props = c
        .prop_filters
        .iter()
        .map(|p| {
            Some(f::PropFilter {
                name: p.name.clone(),
                is_not_defined: p.is_not_defined,
                time_range: None,
                text_matches: p.text_matches.iter().map(text_match).collect::<Option<_>>()?,
                param_filters: p.param_filters.iter().map(param).collect::<Option<_>>()?,
                all: p.test == x::Test::AllOf,
            })
        })
        .collect::<Option<_>>()?;
    Some((props, c.test == x::Test::AllOf))
}

fn text_matches_of(c: &f::CompFilter, out: &mut Vec<f::TextMatch>) {
    for p in &c.prop_filters {
        out.extend(p.text_matches.iter().cloned());
        out.extend(p.param_filters.iter().filter_map(|q| q.text_match.clone()));
    }
    for child in &c.comp_filters {
        text_matches_of(child, out);
    }
}

fn values(node: &content::Node, out: &mut Vec<String>) {
    for line in &node.lines {
        out.push(content::unescape(&line.value));
        out.extend(line.params.iter().flat_map(|(_, v)| v.iter().cloned()));
    }
    for child in &node.children {
        values(child, out);
    }
}

fn check_negation(matches: &[f::TextMatch], text: &str) {
    let mut vals = Vec::new();
    if let Some(tree) = content::parse(text) {
        values(&tree, &mut vals);
    }
    for m in matches {
        let negated = f::TextMatch { negate: !m.negate, ..m.clone() };
        for v in &vals {
            assert_ne!(m.test(v), negated.test(v), "{m:?} on {v:?}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let (xml, rest) = data.split_at(split);
    let object = rest.get(1..).unwrap_or_default();
    let Ok(text) = std::str::from_utf8(object) else { return };
    match parse_report(xml, &Limits::default()) {
        Ok(Report::CalendarQuery { filter, .. }) => {
            let Some(filter) = comp(&filter) else { return };
            let mut matches = Vec::new();
            text_matches_of(&filter, &mut matches);
            check_negation(&matches, text);
            if let Ok(obj) = CalendarObject::parse(object) {
                let _ = f::calendar_matches(&obj, text, &filter, &TzSpec::utc());
            }
        }
        Ok(Report::AddressbookQuery { filter, .. }) => {
            let Some((props, all)) = card(&filter) else { return };
            let matches: Vec<_> = props
                .iter()
                .flat_map(|p| {
                    p.text_matches.iter().cloned().chain(p.param_filters.iter().filter_map(|q| q.text_match.clone()))
                })
                .collect();
            check_negation(&matches, text);
            let answer = f::card_matches(text, &props, all);
            if props.len() == 1 {
                assert_eq!(answer, f::card_matches(text, &props, !all), "anyof and allof differ on one prop-filter");
            }
            if props.is_empty() {
                assert_eq!(answer, content::parse(text).is_some(), "an empty filter matches every card");
            }
        }
        _ => {}
    }
});
