//! Finding a user's collections on the other server, as a CalDAV/CardDAV
//! client does: the well-known URLs (RFC 6764 §5), the principal
//! (`current-user-principal`, RFC 5397), its homes (`calendar-home-set`,
//! RFC 4791 §6.2.1; `addressbook-home-set`, RFC 6352 §7.1.1), then one
//! Depth-1 PROPFIND of each home for what each collection is and what is
//! carried over (names, colours, descriptions, time zone, component set).

use agora_dav_xml::{MultistatusResponse, NS_APPLE_ICAL, NS_CALDAV, NS_CALENDARSERVER, NS_CARDDAV, NS_DAV};
use reqwest::{StatusCode, Url};

use super::client::{Remote, RemoteError, shown};

/// What the home listing asks of every collection.
const COLLECTION_PROPS: &str = "<D:resourcetype/><D:displayname/><D:owner/><D:sync-token/><CS:getctag/>\
    <A:calendar-color/><A:calendar-order/><C:calendar-description/><CR:addressbook-description/>\
    <C:calendar-timezone/><C:supported-calendar-component-set/><CS:source/><D:current-user-privilege-set/>";

/// What a remote collection is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A calendar (events, tasks, journal entries).
    Calendar,
    /// An address book.
    Addressbook,
    /// A calendar subscribed to an iCalendar feed at this URL.
    Subscription(String),
}

/// A collection to bring, with what is carried over.
#[derive(Debug, Clone)]
pub struct RemoteCollection {
    /// Its URL.
    pub url: Url,
    /// Calendar, address book or subscription.
    pub kind: Kind,
    /// `DAV:displayname`.
    pub displayname: Option<String>,
    /// Apple's `calendar-color`.
    pub color: Option<String>,
    /// Apple's `calendar-order`.
    pub order: Option<String>,
    /// `calendar-description` or `addressbook-description`.
    pub description: Option<String>,
    /// `calendar-timezone` (a VTIMEZONE).
    pub timezone: Option<String>,
    /// `supported-calendar-component-set`, upper-case names; empty when not said.
    pub components: Vec<String>,
    /// CalendarServer's `getctag`.
    pub ctag: Option<String>,
    /// `DAV:sync-token` (RFC 6578).
    pub sync_token: Option<String>,
}

impl RemoteCollection {
    /// What tells whether anything in the collection changed: the sync token,
    /// else the ctag (`None`: the server gives neither, always look).
    pub fn version(&self) -> Option<String> {
        self.sync_token.clone().or_else(|| self.ctag.clone())
    }
}

/// Something found in a home that is not brought, and why.
#[derive(Debug, Clone)]
pub struct NotBrought {
    /// Its URL.
    pub url: Url,
    /// Why, in words.
    pub why: String,
}

/// What discovery found.
#[derive(Debug, Default)]
pub struct Found {
    /// Collections to bring, calendars first.
    pub collections: Vec<RemoteCollection>,
    /// Collections reported, not brought (shared by others…).
    pub not_brought: Vec<NotBrought>,
}

/// Discovers the collections of the signed-in user from the server's base URL.
pub async fn discover(remote: &Remote, base: &Url) -> Result<Found, RemoteError> {
    let principals = principals(remote, base).await?;
    let mut homes: Vec<Url> = Vec::new();
    for principal in &principals {
        let (at, rs) = remote.propfind(principal, "0", "<C:calendar-home-set/><CR:addressbook-home-set/>").await?;
        for r in &rs {
            for href in
                r.hrefs(NS_CALDAV, "calendar-home-set").iter().chain(&r.hrefs(NS_CARDDAV, "addressbook-home-set"))
            {
                if let Ok(home) = at.join(href)
                    && !homes.contains(&home)
                {
                    homes.push(home);
                }
            }
        }
    }
    if homes.is_empty() {
        return Err(RemoteError::Answer {
            url: shown(base),
            reason: "no calendar-home-set or addressbook-home-set: is this a CalDAV or CardDAV server?".into(),
        });
    }
    let principal_paths: Vec<String> = principals.iter().map(|p| p.path().trim_end_matches('/').to_owned()).collect();
    let mut found = Found::default();
    for home in &homes {
        let (at, rs) = remote.propfind(home, "1", COLLECTION_PROPS).await?;
        for r in &rs {
            let Ok(url) = at.join(&r.href) else { continue };
            if same_path(&url, &at) || same_path(&url, home) {
                continue;
            }
            if found.collections.iter().any(|c| same_path(&c.url, &url))
                || found.not_brought.iter().any(|n| same_path(&n.url, &url))
            {
                continue;
            }
            match classify(r, &url, &at, &principal_paths) {
                Some(Ok(c)) => found.collections.push(c),
                Some(Err(why)) => found.not_brought.push(NotBrought { url, why }),
                None => {}
            }
        }
    }
    // Calendars before address books: the order of the report.
    found.collections.sort_by_key(|c| matches!(c.kind, Kind::Addressbook));
    Ok(found)
}

/// The principal URLs: from the well-known addresses, else from the base URL
/// itself; the base URL as the principal when the server has no
/// `current-user-principal`.
async fn principals(remote: &Remote, base: &Url) -> Result<Vec<Url>, RemoteError> {
    let mut candidates = Vec::new();
    for wk in ["/.well-known/caldav", "/.well-known/carddav"] {
        if let Ok(u) = base.join(wk) {
            candidates.push(u);
        }
    }
    candidates.push(base.clone());
    let mut out: Vec<Url> = Vec::new();
    let mut last_error = None;
    for candidate in candidates {
        match remote.propfind(&candidate, "0", "<D:current-user-principal/>").await {
            Ok((at, rs)) => {
                for href in rs.iter().flat_map(|r| r.hrefs(NS_DAV, "current-user-principal")) {
                    if let Ok(p) = at.join(&href)
                        && !out.contains(&p)
                    {
                        out.push(p);
                    }
                }
            }
            // The login is wrong whatever else is tried; nobody answers at all.
            Err(e @ (RemoteError::Unauthorized { .. } | RemoteError::Unreachable { .. })) => return Err(e),
            // A missing well-known address (404, 405…) or an odd answer: try the next.
            Err(e) => last_error = Some(e),
        }
        if !out.is_empty() {
            break;
        }
    }
    if out.is_empty() {
        if let Some(e @ RemoteError::Status { status: StatusCode::FORBIDDEN, .. }) = last_error {
            return Err(e);
        }
        out.push(base.clone());
    }
    Ok(out)
}

fn same_path(a: &Url, b: &Url) -> bool {
    a.host_str() == b.host_str() && a.path().trim_end_matches('/') == b.path().trim_end_matches('/')
}

/// What one member of a home is: `Some(Ok)` to bring, `Some(Err(why))` to
/// report, `None` to pass over in silence (schedule boxes, notifications,
/// plain folders).
fn classify(
    r: &MultistatusResponse,
    url: &Url,
    at: &Url,
    principal_paths: &[String],
) -> Option<Result<RemoteCollection, String>> {
    let types = r.child_names(NS_DAV, "resourcetype");
    let has = |ns: &str, local: &str| types.iter().any(|t| t.is(ns, local));
    if has(NS_CALDAV, "schedule-inbox") || has(NS_CALDAV, "schedule-outbox") || has(NS_CALENDARSERVER, "notification") {
        return None;
    }
    if has(NS_CARDDAV, "directory") {
        return Some(Err("the server's directory (global address list): Agora has its own".into()));
    }
    let is_calendar = has(NS_CALDAV, "calendar");
    let is_book = has(NS_CARDDAV, "addressbook");
    let subscribed = has(NS_CALENDARSERVER, "subscribed");
    if !(is_calendar || is_book || subscribed) {
        return None;
    }
    // RFC 3744 §5.1: the owner of a collection shared with the user is
    // someone else; CalendarServer also marks a sharee's copy `shared`.
    let owner = r.hrefs(NS_DAV, "owner").into_iter().next().and_then(|h| at.join(&h).ok());
    let foreign_owner = owner.as_ref().filter(|o| !principal_paths.iter().any(|p| o.path().trim_end_matches('/') == p));
    if has(NS_CALENDARSERVER, "shared") || foreign_owner.is_some() {
        let who = foreign_owner.map_or_else(|| "another user".to_owned(), |o| o.path().to_owned());
        return Some(Err(format!("shared with this user, owned by {who}: migrate it from its owner's account")));
    }
    // A calendar or address book the user may not write to in their own home is
    // filled by the other server (a birthdays calendar: Agora makes its own from
    // the migrated contacts; copying it would show every birthday twice).
    if !subscribed && read_only(r) {
        return Some(Err("read-only on the other server, which fills it itself (e.g. birthdays)".into()));
    }
    let kind = if subscribed {
        match r.hrefs(NS_CALENDARSERVER, "source").into_iter().next().or_else(|| r.text(NS_CALENDARSERVER, "source")) {
            Some(source) => Kind::Subscription(source),
            None => return Some(Err("a subscription whose source URL the server does not tell".into())),
        }
    } else if is_calendar {
        Kind::Calendar
    } else {
        Kind::Addressbook
    };
    let components = r
        .prop(NS_CALDAV, "supported-calendar-component-set")
        .map(|p| {
            p.elements()
                .filter(|e| e.name.is(NS_CALDAV, "comp"))
                .filter_map(|e| e.attr("name").map(|n| n.to_ascii_uppercase()))
                .collect()
        })
        .unwrap_or_default();
    Some(Ok(RemoteCollection {
        url: url.clone(),
        kind,
        displayname: r.text(NS_DAV, "displayname"),
        color: r.text(NS_APPLE_ICAL, "calendar-color"),
        order: r.text(NS_APPLE_ICAL, "calendar-order"),
        description: r
            .text(NS_CALDAV, "calendar-description")
            .or_else(|| r.text(NS_CARDDAV, "addressbook-description")),
        timezone: r.text(NS_CALDAV, "calendar-timezone"),
        components,
        ctag: r.text(NS_CALENDARSERVER, "getctag"),
        sync_token: r.text(NS_DAV, "sync-token"),
    }))
}

/// Whether `current-user-privilege-set` (RFC 3744 §5.4) is given and grants no
/// write: `DAV:all`, `write` or `write-content` make a collection writable.
fn read_only(r: &MultistatusResponse) -> bool {
    let Some(set) = r.prop(NS_DAV, "current-user-privilege-set") else { return false };
    let writes = set
        .elements()
        .flat_map(|p| p.elements())
        .any(|g| g.name.is(NS_DAV, "all") || g.name.is(NS_DAV, "write") || g.name.is(NS_DAV, "write-content"));
    !writes
}
