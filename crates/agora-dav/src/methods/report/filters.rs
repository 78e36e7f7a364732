//! From the XML request's filters to the format crate's: one mapping, so that
//! evaluation stays in `agora_ical::filter`.

use agora_dav_xml as x;
use agora_ical::filter as f;
use axum::http::StatusCode;

use crate::error::HttpError;

fn collation(c: &x::Collation, card: bool) -> Result<f::Collation, HttpError> {
    Ok(match c {
        x::Collation::Octet => f::Collation::Octet,
        x::Collation::AsciiCasemap => f::Collation::AsciiCasemap,
        x::Collation::UnicodeCasemap => f::Collation::UnicodeCasemap,
        x::Collation::Other(_) => {
            let p = if card { x::Precondition::CardSupportedCollation } else { x::Precondition::CalSupportedCollation };
            return Err(HttpError::Precondition(StatusCode::FORBIDDEN, p));
        }
    })
}

fn text_match(t: &x::TextMatch, card: bool) -> Result<f::TextMatch, HttpError> {
    Ok(f::TextMatch {
        text: t.text.clone(),
        collation: collation(&t.collation, card)?,
        negate: t.negate,
        match_type: match t.match_type {
            x::MatchType::Contains => f::MatchType::Contains,
            x::MatchType::Equals => f::MatchType::Equals,
            x::MatchType::StartsWith => f::MatchType::StartsWith,
            x::MatchType::EndsWith => f::MatchType::EndsWith,
        },
    })
}

fn param(p: &x::ParamFilter, card: bool) -> Result<f::ParamFilter, HttpError> {
    Ok(f::ParamFilter {
        name: p.name.clone(),
        is_not_defined: p.is_not_defined,
        text_match: p.text_match.as_ref().map(|t| text_match(t, card)).transpose()?,
    })
}

fn range(t: &Option<x::TimeRange>) -> Option<f::Range> {
    t.as_ref().map(|t| (t.start, t.end))
}

/// A CalDAV comp-filter.
pub fn comp(c: &x::CompFilter) -> Result<f::CompFilter, HttpError> {
    Ok(f::CompFilter {
        name: c.name.clone(),
        is_not_defined: c.is_not_defined,
        time_range: range(&c.time_range),
        prop_filters: c
            .prop_filters
            .iter()
            .map(|p| {
                Ok(f::PropFilter {
                    name: p.name.clone(),
                    is_not_defined: p.is_not_defined,
                    time_range: range(&p.time_range),
                    text_matches: p.text_match.iter().map(|t| text_match(t, false)).collect::<Result<_, _>>()?,
                    param_filters: p.param_filters.iter().map(|q| param(q, false)).collect::<Result<_, _>>()?,
                    all: true,
                })
            })
            .collect::<Result<_, HttpError>>()?,
        comp_filters: c.comp_filters.iter().map(comp).collect::<Result<_, _>>()?,
    })
}

/// A CardDAV filter: its prop-filters and whether all must match.
pub fn card(c: &x::CardFilter) -> Result<(Vec<f::PropFilter>, bool), HttpError> {
    let props = c
        .prop_filters
        .iter()
        .map(|p| {
            Ok(f::PropFilter {
                name: p.name.clone(),
                is_not_defined: p.is_not_defined,
                time_range: None,
                text_matches: p.text_matches.iter().map(|t| text_match(t, true)).collect::<Result<_, _>>()?,
                param_filters: p.param_filters.iter().map(|q| param(q, true)).collect::<Result<_, _>>()?,
                all: p.test == x::Test::AllOf,
            })
        })
        .collect::<Result<_, HttpError>>()?;
    Ok((props, c.test == x::Test::AllOf))
}

/// The widest time range of the first-level comp-filters, for the index lookup.
pub fn index_range(top: &x::CompFilter) -> Option<(Option<i64>, Option<i64>)> {
    let ranges: Vec<_> = top.comp_filters.iter().map(|c| c.time_range.as_ref()).collect();
    if ranges.is_empty() || ranges.iter().any(Option::is_none) {
        return None;
    }
    let start = ranges.iter().map(|r| r.and_then(|r| r.start)).try_fold(i64::MAX, |m, s| s.map(|s| m.min(s)));
    let end = ranges.iter().map(|r| r.and_then(|r| r.end)).try_fold(i64::MIN, |m, e| e.map(|e| m.max(e)));
    Some((start, end))
}

/// The range of a filter that asks only "events with an instance in this range"
/// (`VCALENDAR` > `VEVENT` with a `time-range`, nothing else), which the instance
/// index decides without parsing; the query clients send to open a calendar view.
pub fn event_range_only(top: &x::CompFilter) -> Option<(Option<i64>, Option<i64>)> {
    let plain = |c: &x::CompFilter| !c.is_not_defined && c.prop_filters.is_empty();
    match top.comp_filters.as_slice() {
        [event]
            if plain(top)
                && top.time_range.is_none()
                && plain(event)
                && event.comp_filters.is_empty()
                && event.name.eq_ignore_ascii_case("VEVENT") =>
        {
            event.time_range.as_ref().map(|t| (t.start, t.end))
        }
        _ => None,
    }
}

/// A `calendar-data` partial-retrieval selection (RFC 4791 §9.6.1).
pub fn comp_select(c: &x::CompSelect) -> agora_ical::partial::CompSelect {
    agora_ical::partial::CompSelect {
        name: c.name.clone(),
        allprop: c.allprop,
        props: c.props.iter().map(|p| (p.name.clone(), p.novalue)).collect(),
        allcomp: c.allcomp,
        comps: c.comps.iter().map(comp_select).collect(),
    }
}
