//! `DAV:principal-property-search` and `DAV:principal-search-property-set`
//! (RFC 3744 §9.4, §9.5): finding colleagues by name or e-mail address, as
//! Apple clients, Thunderbird and Evolution do when inviting someone.

use agora_core::search::{Field, Match, Term};
use agora_dav_xml::{
    MatchType, MultistatusWriter, NS_CALDAV, NS_CALENDARSERVER, NS_DAV, PropName, PropertySearch, Propfind, Test,
};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::HttpError;
use crate::methods::multistatus;
use crate::props;
use crate::resolve::{Dav, Resource};

/// Most principals one search returns.
const MAX_RESULTS: usize = 200;

/// The directory field a searched property stands for, if searchable.
fn field(name: &PropName) -> Option<Field> {
    match (name.ns.as_str(), name.local.as_str()) {
        (NS_DAV, "displayname") | (NS_CALENDARSERVER, "first-name") | (NS_CALENDARSERVER, "last-name") => {
            Some(Field::Name)
        }
        (NS_CALDAV, "calendar-user-address-set") | (NS_CALENDARSERVER, "email-address-set") => Some(Field::Email),
        (NS_CALDAV, "calendar-user-type") => Some(Field::CalendarUserType),
        _ => None,
    }
}

/// Runs a principal-property-search.
pub async fn search(
    dav: &Dav<'_>,
    searches: &[PropertySearch],
    test: &Test,
    props: &[PropName],
    limit: Option<u32>,
) -> Result<Response, HttpError> {
    let all = *test == Test::AllOf;
    let mut terms = Vec::new();
    for s in searches {
        let how = match s.match_type {
            Some(MatchType::StartsWith) => Match::StartsWith,
            Some(MatchType::Equals) => Match::Equals,
            _ => Match::Contains,
        };
        let fields: Vec<Field> = s.props.iter().filter_map(field).collect();
        if fields.is_empty() && all {
            // An unsearchable property in an all-of search matches nobody.
            return Ok(multistatus(MultistatusWriter::begin(Vec::new()).expect("memory").finish().expect("memory")));
        }
        terms.extend(fields.into_iter().map(|field| Term { field, text: s.text.clone(), how }));
    }
    let limit = limit.map(|n| n as usize).unwrap_or(MAX_RESULTS).min(MAX_RESULTS);
    let found = if searches.is_empty() {
        // No condition at all: the directory, as caldav-server-tester asks for it.
        dav.state.core.directory().list(None).await?.into_iter().take(limit).collect()
    } else {
        dav.state.core.directory().search(&terms, all, limit).await?
    };
    let wanted = Propfind::Prop(props.to_vec());
    let mut out = MultistatusWriter::begin(Vec::new()).expect("writing to memory");
    for p in found {
        let r = Resource::Principal(p);
        let stats = props::propstats(dav, &r, &wanted).await?;
        out.response(&r.href(), &stats).expect("writing to memory");
    }
    Ok(multistatus(out.finish().expect("writing to memory")))
}

/// The searchable properties with a description (§9.5).
pub fn search_property_set() -> Response {
    let entry = |prop: &str, what: &str| {
        format!(
            "<D:principal-search-property><D:prop>{prop}</D:prop><D:description xml:lang=\"en\">{what}</D:description></D:principal-search-property>"
        )
    };
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:principal-search-property-set xmlns:D=\"DAV:\" xmlns:C=\"{NS_CALDAV}\" xmlns:CS=\"{NS_CALENDARSERVER}\">{}{}{}{}</D:principal-search-property-set>",
        entry("<D:displayname/>", "Display name"),
        entry("<C:calendar-user-address-set/>", "Calendar user address (mailto:)"),
        entry("<CS:email-address-set/>", "E-mail address"),
        entry("<C:calendar-user-type/>", "Kind: INDIVIDUAL, GROUP, ROOM or RESOURCE"),
    );
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/xml; charset=utf-8")], body).into_response()
}
