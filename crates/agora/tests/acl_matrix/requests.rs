//! The requests the matrix sends: their bodies (events, cards, PROPFIND,
//! reports, ACLs, MKCOL), and a request and its reply as plain values.

use crate::axes::Op;
use crate::axes::Op::*;

pub(crate) fn event(uid: &str, summary: &str, class: &str, hour: u32) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agora matrix//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n\
         DTSTAMP:20260101T000000Z\r\nDTSTART:20261201T{hour:02}0000Z\r\nDTEND:20261201T{:02}0000Z\r\n{class}\
         SUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        hour + 1
    )
}

pub(crate) fn card(uid: &str, name: &str) -> String {
    format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{name};;;;\r\nEND:VCARD\r\n")
}

pub(crate) const NS: &str = r#"xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CARD="urn:ietf:params:xml:ns:carddav" xmlns:CS="http://calendarserver.org/ns/""#;

pub(crate) fn propfind() -> String {
    format!(
        "<D:propfind {NS}><D:prop><D:displayname/><D:getetag/><D:resourcetype/><D:owner/>\
         <D:current-user-privilege-set/></D:prop></D:propfind>"
    )
}

pub(crate) const LOCKINFO: &str = r#"<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>matrix</D:owner></D:lockinfo>"#;

/// One request, before it is sent.
pub(crate) struct Call {
    pub(crate) method: &'static str,
    pub(crate) path: String,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: String,
}

impl Call {
    pub(crate) fn new(method: &'static str, path: impl Into<String>) -> Call {
        Call { method, path: path.into(), headers: Vec::new(), body: String::new() }
    }

    pub(crate) fn with(mut self, name: &'static str, value: impl Into<String>) -> Call {
        self.headers.push((name, value.into()));
        self
    }

    pub(crate) fn body(mut self, content_type: &str, body: impl Into<String>) -> Call {
        self.body = body.into();
        self.with("Content-Type", content_type)
    }

    pub(crate) fn xml(self, body: impl Into<String>) -> Call {
        self.body("application/xml; charset=utf-8", body)
    }

    /// An iCalendar or vCard body, after the path's extension.
    pub(crate) fn data(self, body: impl Into<String>) -> Call {
        let ct = if self.path.ends_with(".vcf") { "text/vcard" } else { "text/calendar" };
        self.body(ct, body)
    }
}

pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) lock_token: Option<String>,
    pub(crate) body: String,
}

pub(crate) fn ok(status: u16) -> bool {
    (200..300).contains(&status)
}

/// The Depth and body of a report; `hrefs` are those a multiget names.
pub(crate) fn report_body(op: Op, on_principal: bool, hrefs: &str) -> (&'static str, String) {
    let caldata = "<D:prop><D:getetag/><C:calendar-data/></D:prop>";
    let carddata = "<D:prop><D:getetag/><CARD:address-data/></D:prop>";
    let dec1 = r#"start="20261201T000000Z" end="20261202T000000Z""#;
    let owner = r#"<D:property name="owner"><D:property name="displayname"/><D:property name="calendar-user-address-set" namespace="urn:ietf:params:xml:ns:caldav"/></D:property>"#;
    let home = r#"<D:property name="calendar-home-set" namespace="urn:ietf:params:xml:ns:caldav"><D:property name="displayname"/></D:property><D:property name="calendar-user-address-set" namespace="urn:ietf:params:xml:ns:caldav"/>"#;
    let (depth, body) = match op {
        CalendarQuery => (
            "1",
            format!(
                r#"<C:calendar-query {NS}>{caldata}<C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>"#
            ),
        ),
        CalendarMultiget => ("1", format!("<C:calendar-multiget {NS}>{caldata}{hrefs}</C:calendar-multiget>")),
        FreeBusyQuery => ("1", format!("<C:free-busy-query {NS}><C:time-range {dec1}/></C:free-busy-query>")),
        SyncCollection => (
            "1",
            format!(
                "<D:sync-collection {NS}><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"
            ),
        ),
        AddressbookQuery => (
            "1",
            format!(
                r#"<CARD:addressbook-query {NS}>{carddata}<CARD:filter><CARD:prop-filter name="FN"><CARD:text-match collation="i;unicode-casemap" match-type="contains">secret</CARD:text-match></CARD:prop-filter></CARD:filter></CARD:addressbook-query>"#
            ),
        ),
        AddressbookMultiget => {
            ("1", format!("<CARD:addressbook-multiget {NS}>{carddata}{hrefs}</CARD:addressbook-multiget>"))
        }
        ExpandProperty => ("0", format!("<D:expand-property {NS}>{owner}{home}</D:expand-property>")),
        PrincipalPropertySearch => (
            "0",
            format!(
                "<D:principal-property-search {NS}><D:property-search><D:prop><D:displayname/></D:prop><D:match>a</D:match></D:property-search><D:prop><D:displayname/><C:calendar-user-address-set/></D:prop></D:principal-property-search>"
            ),
        ),
        PrincipalSearchPropertySet => ("0", format!("<D:principal-search-property-set {NS}/>")),
        // On a principal: who am I there; elsewhere: what below is mine.
        PrincipalMatch if on_principal => {
            ("0", format!("<D:principal-match {NS}><D:self/><D:prop><D:displayname/></D:prop></D:principal-match>"))
        }
        PrincipalMatch => (
            "0",
            format!(
                "<D:principal-match {NS}><D:principal-property><D:owner/></D:principal-property><D:prop><D:displayname/></D:prop></D:principal-match>"
            ),
        ),
        AclPrincipalPropSet => (
            "0",
            format!("<D:acl-principal-prop-set {NS}><D:prop><D:displayname/></D:prop></D:acl-principal-prop-set>"),
        ),
        other => unreachable!("{other:?} is not a report"),
    };
    (depth, body)
}

pub(crate) fn method_of(op: Op) -> &'static str {
    match op {
        Mkcol => "MKCOL",
        Mkcalendar => "MKCALENDAR",
        other => unreachable!("{other:?}"),
    }
}

/// An ACL granting `grantee` everything, keeping the public grant where there is one.
pub(crate) fn acl_body(grantee: Option<&str>, public: bool) -> String {
    let ace = |principal: String, privilege: &str| {
        format!(
            "<D:ace><D:principal>{principal}</D:principal><D:grant><D:privilege><D:{privilege}/></D:privilege></D:grant></D:ace>"
        )
    };
    let mut aces = grantee.map(|g| ace(format!("<D:href>/principals/{g}/</D:href>"), "all")).unwrap_or_default();
    if public {
        aces.push_str(&ace("<D:unauthenticated/>".into(), "read"));
    }
    format!(r#"<D:acl xmlns:D="DAV:">{aces}</D:acl>"#)
}

pub(crate) fn mkcol_body(addressbook: bool) -> String {
    let kind = if addressbook { "<CARD:addressbook/>" } else { "<C:calendar/>" };
    format!(
        "<D:mkcol {NS}><D:set><D:prop><D:resourcetype><D:collection/>{kind}</D:resourcetype></D:prop></D:set></D:mkcol>"
    )
}

pub(crate) fn members(user: &str) -> String {
    format!(
        r#"<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:group-member-set><D:href>/principals/{user}/</D:href></D:group-member-set></D:prop></D:set></D:propertyupdate>"#
    )
}
