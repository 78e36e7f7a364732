//! Properties of every resource: live ones computed here, dead ones stored
//! verbatim. Answers PROPFIND (RFC 4918 §9.1) for one resource at a time.

use agora_core::{Principal, PrincipalKind, ResourceKind};
use agora_dav_xml::{
    Content, NS_AGORA, NS_CALDAV, NS_CALENDARSERVER, NS_CARDDAV, NS_DAV, PropName, PropStat, PropValue, Propfind,
    SUPPORTED_LOCK_XML, escape_text,
};
use agora_store::{Collection, CollectionKind};

use crate::error::HttpError;
use crate::paths;
use crate::resolve::{Dav, Resource};
use crate::security_headers;
use crate::sync;

/// Live properties that RFC 4918 §9.1 makes part of `allprop`.
const ALLPROP: &[(&str, &str)] = &[
    (NS_DAV, "resourcetype"),
    (NS_DAV, "displayname"),
    (NS_DAV, "getetag"),
    (NS_DAV, "getcontenttype"),
    (NS_DAV, "getcontentlength"),
    (NS_DAV, "getlastmodified"),
    (NS_DAV, "creationdate"),
    (NS_DAV, "supportedlock"),
    (NS_DAV, "lockdiscovery"),
];

/// Every live property this server computes (for `propname` and for refusing
/// PROPPATCH on protected ones).
const LIVE: &[(&str, &str)] = &[
    (NS_DAV, "resourcetype"),
    (NS_DAV, "getetag"),
    (NS_DAV, "getcontenttype"),
    (NS_DAV, "getcontentlength"),
    (NS_DAV, "getlastmodified"),
    (NS_DAV, "creationdate"),
    (NS_DAV, "supportedlock"),
    (NS_DAV, "lockdiscovery"),
    (NS_DAV, "acl"),
    (NS_DAV, "supported-privilege-set"),
    (NS_DAV, "acl-restrictions"),
    (NS_DAV, "inherited-acl-set"),
    (NS_DAV, "group-member-set"),
    (NS_DAV, "group-membership"),
    (NS_DAV, "share-access"),
    (NS_DAV, "invite"),
    (NS_DAV, "sharer-resource-uri"),
    (NS_CALENDARSERVER, "invite"),
    (NS_CALENDARSERVER, "publish-url"),
    (NS_CALENDARSERVER, "calendar-proxy-read-for"),
    (NS_CALENDARSERVER, "calendar-proxy-write-for"),
    (NS_DAV, "quota-used-bytes"),
    (NS_DAV, "quota-available-bytes"),
    (NS_DAV, "current-user-principal"),
    (NS_DAV, "principal-URL"),
    (NS_DAV, "principal-collection-set"),
    (NS_DAV, "owner"),
    (NS_DAV, "current-user-privilege-set"),
    (NS_DAV, "supported-report-set"),
    (NS_DAV, "sync-token"),
    (NS_CALENDARSERVER, "getctag"),
    (NS_CALENDARSERVER, "email-address-set"),
    (NS_CALENDARSERVER, "notification-URL"),
    (NS_CALDAV, "calendar-home-set"),
    (NS_CALDAV, "calendar-user-address-set"),
    (NS_CALDAV, "schedule-inbox-URL"),
    (NS_CALDAV, "schedule-outbox-URL"),
    (NS_CALDAV, "schedule-default-calendar-URL"),
    (NS_CALDAV, "schedule-tag"),
    (NS_CALDAV, "calendar-user-type"),
    (NS_CALDAV, "supported-calendar-component-set"),
    (NS_CALDAV, "supported-calendar-data"),
    (NS_CALDAV, "max-resource-size"),
    (NS_CARDDAV, "addressbook-home-set"),
    (NS_CARDDAV, "directory-gateway"),
    (NS_CARDDAV, "supported-address-data"),
    (NS_CARDDAV, "max-resource-size"),
    (NS_AGORA, "feed-status"),
    (NS_AGORA, "capacity"),
];

/// Whether a client may not set this property (RFC 4918 §9.2.1).
/// `displayname` and the descriptions are live elsewhere but stored dead here.
pub fn is_protected(name: &PropName) -> bool {
    LIVE.iter().any(|(ns, local)| name.is(ns, local))
}

/// Computes the propstats of one resource for a PROPFIND request.
pub async fn propstats(dav: &Dav<'_>, r: &Resource, request: &Propfind) -> Result<Vec<PropStat>, HttpError> {
    // Objects rarely have dead properties; a listing of thousands asking only for
    // live ones (getetag, getcontenttype) must not cost a query per object.
    let only_live = matches!(request, Propfind::Prop(names) if names.iter().all(is_protected));
    let mut dead =
        if only_live && matches!(r, Resource::Object(..)) { Vec::new() } else { dead_properties(dav, r).await? };
    crate::computed::inject(dav, r, request, &mut dead).await?;
    let mut found = Vec::new();
    let mut missing = Vec::new();
    match request {
        Propfind::Prop(names) => {
            for name in names {
                match value(dav, r, &dead, name) {
                    Some(content) => found.push(PropValue::new(name.clone(), content)),
                    None => missing.push(PropValue::empty(name.clone())),
                }
            }
        }
        Propfind::AllProp { include } => {
            let live = ALLPROP.iter().map(|(ns, l)| PropName::new(*ns, *l)).chain(include.iter().cloned());
            for name in live {
                if let Some(content) = live_value(dav, r, &name) {
                    found.push(PropValue::new(name, content));
                }
            }
            for (clark, xml) in &dead {
                if let Some(name) = PropName::parse_clark(clark) {
                    found.retain(|p| p.name != name);
                    found.push(PropValue::new(name, Content::Verbatim(xml.clone())));
                }
            }
        }
        Propfind::PropName => {
            for (ns, local) in LIVE {
                let name = PropName::new(*ns, *local);
                if live_value(dav, r, &name).is_some() {
                    found.push(PropValue::empty(name));
                }
            }
            found.extend(dead.iter().filter_map(|(c, _)| PropName::parse_clark(c)).map(PropValue::empty));
        }
    }
    Ok(propstats_of(found, missing))
}

/// The 200 and 404 propstats of a response (empty ones left out).
pub fn propstats_of(found: Vec<PropValue>, missing: Vec<PropValue>) -> Vec<PropStat> {
    let mut out = Vec::new();
    if !found.is_empty() {
        out.push(PropStat { status: 200, props: found });
    }
    if !missing.is_empty() {
        out.push(PropStat { status: 404, props: missing });
    }
    out
}

/// The stored (dead) properties of a resource, Clark name → verbatim XML.
pub async fn dead_properties(dav: &Dav<'_>, r: &Resource) -> Result<Vec<(String, String)>, HttpError> {
    Ok(match r {
        Resource::Collection(c) => dav.res.collection_properties(c).await?,
        Resource::Object(c, o) => dav.res.object_properties(c, o).await?,
        _ => Vec::new(),
    })
}

/// One property: dead first (a client's own value wins), then live.
pub fn value(dav: &Dav<'_>, r: &Resource, dead: &[(String, String)], name: &PropName) -> Option<Content> {
    let clark = name.clark();
    if let Some((_, xml)) = dead.iter().find(|(c, _)| *c == clark) {
        return Some(Content::Verbatim(xml.clone()));
    }
    live_value(dav, r, name)
}

fn hrefs(list: Vec<String>) -> Option<Content> {
    Some(Content::Hrefs(list))
}

fn text(s: impl Into<String>) -> Option<Content> {
    Some(Content::Text(s.into()))
}

/// A live property's value, `None` when the resource does not have it.
pub fn live_value(dav: &Dav<'_>, r: &Resource, name: &PropName) -> Option<Content> {
    let me = &dav.who.name;
    if name.ns == NS_DAV {
        match name.local.as_str() {
            // RFC 5397 §3: an unauthenticated request has no principal.
            "current-user-principal" if dav.who.is_anonymous() => {
                return Some(Content::Raw("<D:unauthenticated/>".into()));
            }
            "current-user-principal" => return hrefs(vec![paths::principal_href(me)]),
            // Clients ask for it on / and on homes too, and break on a 404 there.
            "principal-URL"
                if !matches!(r, Resource::Principal(_) | Resource::Object(..)) && !dav.who.is_anonymous() =>
            {
                return hrefs(vec![paths::principal_href(me)]);
            }
            "principal-collection-set" => return hrefs(vec!["/principals/".into()]),
            "resourcetype" => return Some(resourcetype(r)),
            // What GET answers for resources that are not objects (RFC 4918 §15.4, §15.5).
            "getcontentlength" if !matches!(r, Resource::Object(..)) => {
                return crate::methods::get::page(dav, r).and_then(|p| text(p.len().to_string()));
            }
            "getcontenttype" if !matches!(r, Resource::Object(..)) => {
                return crate::methods::get::page(dav, r).and_then(|_| text(crate::methods::get::PAGE_TYPE));
            }
            _ => {}
        }
    }
    match r {
        Resource::Principal(p) => principal_value(dav, p, name),
        Resource::Collection(c) => collection_value(dav, c, name),
        Resource::Object(c, o) => match (name.ns.as_str(), name.local.as_str()) {
            (NS_DAV, "supportedlock") => Some(Content::Raw(SUPPORTED_LOCK_XML.into())),
            (NS_DAV, "getetag") => text(format!("\"{}\"", o.etag)),
            (NS_DAV, "getcontenttype") => text(security_headers::served_type(c.kind, &o.content_type).to_owned()),
            (NS_DAV, "getcontentlength") => text(o.size.to_string()),
            (NS_DAV, "getlastmodified") => text(http_date(o.modified_at)),
            (NS_DAV, "creationdate") => text(rfc3339(o.created_at)),
            (NS_DAV, "owner") => hrefs(vec![paths::principal_href(me)]),
            (NS_CALDAV, "schedule-tag") => o.schedule_tag.as_ref().and_then(|t| text(format!("\"{t}\""))),
            _ => None,
        },
        Resource::Root | Resource::Principals => match (name.ns.as_str(), name.local.as_str()) {
            (NS_DAV, "current-user-privilege-set") => Some(Content::Raw(READ_PRIVILEGES.into())),
            (NS_DAV, "supported-report-set") => Some(Content::Raw(String::new())),
            _ => None,
        },
        Resource::Proxy(p, write) => match (name.ns.as_str(), name.local.as_str()) {
            (NS_DAV, "displayname") => {
                text(format!("{} ({})", p.display_name, if *write { "calendar managers" } else { "calendar readers" }))
            }
            (NS_DAV, "principal-URL") => hrefs(vec![paths::proxy_href(&p.name, *write)]),
            (NS_DAV, "current-user-privilege-set") => Some(Content::Raw(READ_PRIVILEGES.into())),
            _ => None,
        },
        Resource::Missing { .. } => None,
    }
}

fn resourcetype(r: &Resource) -> Content {
    let raw = match r {
        Resource::Root | Resource::Principals => "<D:collection/>",
        Resource::Principal(_) => "<D:collection/><D:principal/>",
        Resource::Proxy(_, false) => "<D:principal/><CS:calendar-proxy-read/>",
        Resource::Proxy(_, true) => "<D:principal/><CS:calendar-proxy-write/>",
        // The global address list (draft-daboo-carddav-directory-gateway §4).
        Resource::Collection(c) if c.source.as_deref() == Some(agora_core::gal::SOURCE) => {
            "<D:collection/><CARD:addressbook/><CARD:directory/>"
        }
        // A share as the sharee sees it (CalendarServer marks it so).
        Resource::Collection(c) if c.share_id.is_some() => match c.kind {
            CollectionKind::Addressbook => "<D:collection/><CARD:addressbook/><CS:shared/>",
            _ => "<D:collection/><C:calendar/><CS:shared/>",
        },
        Resource::Collection(c) => match c.kind {
            CollectionKind::Calendar => "<D:collection/><C:calendar/>",
            CollectionKind::Addressbook => "<D:collection/><CARD:addressbook/>",
            CollectionKind::Inbox => "<D:collection/><C:schedule-inbox/>",
            CollectionKind::Outbox => "<D:collection/><C:schedule-outbox/>",
            CollectionKind::Notifications => "<D:collection/><CS:notification/>",
            _ => "<D:collection/>",
        },
        Resource::Object(..) | Resource::Missing { .. } => return Content::Empty,
    };
    Content::Raw(raw.into())
}

/// Everything the owner may do (RFC 3744 §5.4, aggregates listed with their parts).
const OWNER_PRIVILEGES: &str = "<D:privilege><D:all/></D:privilege><D:privilege><D:read/></D:privilege>\
    <D:privilege><D:write/></D:privilege><D:privilege><D:write-properties/></D:privilege>\
    <D:privilege><D:write-content/></D:privilege><D:privilege><D:bind/></D:privilege>\
    <D:privilege><D:unbind/></D:privilege><D:privilege><D:unlock/></D:privilege>\
    <D:privilege><D:read-acl/></D:privilege><D:privilege><D:read-current-user-privilege-set/></D:privilege>\
    <D:privilege><C:read-free-busy/></D:privilege>";

const READ_PRIVILEGES: &str =
    "<D:privilege><D:read/></D:privilege><D:privilege><D:read-current-user-privilege-set/></D:privilege>";

fn principal_value(dav: &Dav<'_>, p: &Principal, name: &PropName) -> Option<Content> {
    let has_calendars = p.kind != PrincipalKind::Group;
    let cal_home = agora_core::resources::homes::calendar_home(&p.name);
    match (name.ns.as_str(), name.local.as_str()) {
        (NS_DAV, "displayname") => text(p.display_name.clone()),
        (NS_DAV, "principal-URL") => hrefs(vec![paths::principal_href(&p.name)]),
        (NS_DAV, "current-user-privilege-set") if p.name == dav.who.name => Some(Content::Raw(OWNER_PRIVILEGES.into())),
        (NS_DAV, "current-user-privilege-set") => Some(Content::Raw(READ_PRIVILEGES.into())),
        (NS_DAV, "supported-report-set") => Some(Content::Raw(String::new())),
        (NS_CALDAV, "calendar-home-set") if has_calendars => hrefs(vec![paths::href(&cal_home)]),
        (NS_CARDDAV, "addressbook-home-set") if p.kind == PrincipalKind::User => {
            hrefs(vec![paths::href(&agora_core::resources::homes::addressbook_home(&p.name))])
        }
        (NS_CARDDAV, "directory-gateway") if p.kind == PrincipalKind::User => hrefs(vec![gateway(&p.name)]),
        (NS_CALDAV, "schedule-inbox-URL") if has_calendars => hrefs(vec![paths::href(&format!("{cal_home}inbox/"))]),
        (NS_CALDAV, "schedule-outbox-URL") if has_calendars => hrefs(vec![paths::href(&format!("{cal_home}outbox/"))]),
        (NS_CALDAV, "schedule-default-calendar-URL") if has_calendars => {
            hrefs(vec![paths::href(&format!("{cal_home}calendar/"))])
        }
        (NS_CALDAV, "calendar-user-address-set") => {
            // Every address as mailto: (Thunderbird matches its identity against
            // them), then the principal URL.
            let mut list: Vec<String> = p.emails.iter().map(|e| format!("mailto:{e}")).collect();
            list.push(paths::principal_href(&p.name));
            hrefs(list)
        }
        (NS_CALDAV, "calendar-user-type") => text(match (p.kind, p.resource_kind) {
            (PrincipalKind::User, _) => "INDIVIDUAL",
            (PrincipalKind::Group, _) => "GROUP",
            (PrincipalKind::Resource, Some(ResourceKind::Room)) => "ROOM",
            (PrincipalKind::Resource, _) => "RESOURCE",
        }),
        (NS_CALENDARSERVER, "notification-URL") if p.kind == PrincipalKind::User => {
            hrefs(vec![paths::href(&format!("{cal_home}{}/", agora_core::resources::homes::defaults::NOTIFICATIONS))])
        }
        // How many people a room or piece of equipment holds, as an administrator
        // set it (the web's room finder shows it).
        (NS_AGORA, "capacity") if p.kind == PrincipalKind::Resource => {
            p.settings.capacity.and_then(|c| text(c.to_string()))
        }
        (NS_CALENDARSERVER, "email-address-set") => Some(Content::Raw(
            p.emails.iter().map(|e| format!("<CS:email-address>{}</CS:email-address>", escape_text(e))).collect(),
        )),
        _ => None,
    }
}

/// The name of a default collection that was never given one, in the reader's
/// language (a name set by PROPPATCH is the user's and shown as written).
fn default_display_name(c: &Collection) -> String {
    use agora_core::resources::homes::defaults;
    let lang = crate::language::current();
    match c.name() {
        defaults::CALENDAR if c.kind == CollectionKind::Calendar => lang.pick("Calendar", "Agenda").into(),
        defaults::TASKS if c.kind == CollectionKind::Calendar => lang.pick("Tasks", "Tâches").into(),
        defaults::NOTES if c.kind == CollectionKind::Calendar => "Notes".into(),
        defaults::CONTACTS if c.kind == CollectionKind::Addressbook => "Contacts".into(),
        other => other.to_owned(),
    }
}

fn collection_value(dav: &Dav<'_>, c: &Collection, name: &PropName) -> Option<Content> {
    let max = dav.state.core.config().max_resource_size.to_string();
    match (name.ns.as_str(), name.local.as_str()) {
        (NS_DAV, "supportedlock") => Some(Content::Raw(SUPPORTED_LOCK_XML.into())),
        (NS_DAV, "displayname") => text(default_display_name(c)),
        (NS_DAV, "getlastmodified") => text(http_date(c.modified_at)),
        (NS_DAV, "creationdate") => text(rfc3339(c.created_at)),
        (NS_DAV, "owner") => hrefs(vec![paths::principal_href(&dav.who.name)]),
        (NS_DAV, "supported-report-set") => Some(Content::Raw(supported_reports(c.kind))),
        (NS_DAV, "sync-token") => text(sync::token(c)),
        (NS_CALENDARSERVER, "getctag") => text(sync::token(c)),
        (NS_CALDAV, "supported-calendar-component-set") if c.kind == CollectionKind::Calendar => {
            Some(Content::Raw(c.components.names().map(|n| format!("<C:comp name=\"{n}\"/>")).collect()))
        }
        (NS_CALDAV, "supported-calendar-data") if c.kind == CollectionKind::Calendar => Some(Content::Raw(
            "<C:calendar-data content-type=\"text/calendar\" version=\"2.0\"/>\
                 <C:calendar-data content-type=\"application/calendar+json\" version=\"2.0\"/>"
                .into(),
        )),
        (NS_CALDAV, "max-resource-size") if c.kind == CollectionKind::Calendar => text(max),
        (NS_CARDDAV, "supported-address-data") if c.kind == CollectionKind::Addressbook => Some(Content::Raw(
            "<CARD:address-data-type content-type=\"text/vcard\" version=\"3.0\"/>\
             <CARD:address-data-type content-type=\"text/vcard\" version=\"4.0\"/>\
             <CARD:address-data-type content-type=\"application/vcard+json\" version=\"4.0\"/>"
                .into(),
        )),
        (NS_CARDDAV, "max-resource-size") if c.kind == CollectionKind::Addressbook => text(max),
        (NS_CARDDAV, "directory-gateway") if c.kind == CollectionKind::AddressbookHome => {
            hrefs(vec![gateway(&dav.who.name)])
        }
        // RFC 6638 §9.1: calendars count for free/busy unless marked transparent.
        (NS_CALDAV, "schedule-calendar-transp") if c.kind == CollectionKind::Calendar => {
            Some(Content::Raw("<C:opaque/>".into()))
        }
        (NS_CALDAV, "schedule-default-calendar-URL") if c.kind == CollectionKind::Inbox => {
            let home = c.path.trim_end_matches("inbox/");
            hrefs(vec![paths::href(&format!("{home}calendar/"))])
        }
        _ => None,
    }
}

/// Where a user's global address list is mounted.
fn gateway(user: &str) -> String {
    let home = agora_core::resources::homes::addressbook_home(user);
    paths::href(&format!("{home}{}/", agora_core::gal::MOUNT_NAME))
}

/// The REPORTs each kind of collection answers (RFC 3253 §3.1.5).
fn supported_reports(kind: CollectionKind) -> String {
    let report = |r: &str| format!("<D:supported-report><D:report>{r}</D:report></D:supported-report>");
    let mut out = report("<D:sync-collection/>");
    match kind {
        CollectionKind::Calendar => {
            for r in ["<C:calendar-multiget/>", "<C:calendar-query/>", "<C:free-busy-query/>"] {
                out.push_str(&report(r));
            }
        }
        CollectionKind::Addressbook => {
            out.push_str(&report("<CARD:addressbook-multiget/>"));
            out.push_str(&report("<CARD:addressbook-query/>"));
        }
        _ => {}
    }
    // RFC 3744 §9: the ACL reports apply to every resource and are listed so.
    for r in [
        "<D:expand-property/>",
        "<D:acl-principal-prop-set/>",
        "<D:principal-match/>",
        "<D:principal-property-search/>",
    ] {
        out.push_str(&report(r));
    }
    out
}

/// RFC 9110 §5.6.7 date, for getlastmodified and Last-Modified.
pub fn http_date(unix: i64) -> String {
    httpdate::fmt_http_date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(unix.max(0) as u64))
}

/// RFC 3339 UTC time to the second, for creationdate and Agora's properties.
pub(crate) fn rfc3339(unix: i64) -> String {
    humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + std::time::Duration::from_secs(unix.max(0) as u64))
        .to_string()
}
