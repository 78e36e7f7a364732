//! The `manifest.json` of an `agora export` (docs/export-format.md): what the
//! iCalendar and vCard files cannot carry — principals, collection properties,
//! shares, ACL grants, delegates, subscriptions, publish links, working hours,
//! web preferences. Written by `export`, read by `import`; the format is
//! versioned so that a later Agora can still read an older export.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What `format` holds, so that another JSON file is not mistaken for one.
pub const FORMAT: &str = "agora-export";
/// The manifest version this Agora writes; it reads this one and older.
pub const VERSION: u32 = 1;
/// The manifest's name at the top of an export.
pub const FILE: &str = "manifest.json";

/// Clark names of the dead properties shown in words beside the verbatim XML.
pub const DISPLAY_NAME: &str = "{DAV:}displayname";
pub const COLOR: &str = "{http://apple.com/ns/ical/}calendar-color";
pub const ORDER: &str = "{http://apple.com/ns/ical/}calendar-order";
pub const CALENDAR_DESCRIPTION: &str = "{urn:ietf:params:xml:ns:caldav}calendar-description";
pub const ADDRESSBOOK_DESCRIPTION: &str = "{urn:ietf:params:xml:ns:carddav}addressbook-description";
pub const TIMEZONE: &str = "{urn:ietf:params:xml:ns:caldav}calendar-timezone";
pub const AVAILABILITY: &str = "{urn:ietf:params:xml:ns:caldav}calendar-availability";

/// The whole manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`VERSION`] when written by this Agora.
    pub version: u32,
    /// When the export was made (RFC 3339, UTC).
    pub exported_at: String,
    /// The Agora version that wrote it.
    pub agora_version: String,
    /// Users, groups and resources, in the order they are recreated.
    pub principals: Vec<PrincipalEntry>,
}

/// One user, group or resource.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PrincipalEntry {
    pub name: String,
    /// `user`, `group` or `resource`.
    pub kind: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub emails: Vec<String>,
    /// `room` or `equipment` (resources).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_kind: Option<String>,
    #[serde(default)]
    pub administrator: bool,
    #[serde(default)]
    pub disabled: bool,
    /// `null`: the server's quota; `0`: unlimited.
    #[serde(default)]
    pub quota_bytes: Option<u64>,
    /// Resources: people a room holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    /// Resources: whether it answers invitations by itself.
    #[serde(default = "yes")]
    pub auto_accept: bool,
    /// Resources: the group whose members may book it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bookers: Option<String>,
    /// Groups: the direct members' names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// Users: who reads or manages their calendars (calendar-proxy).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delegates: Vec<Delegate>,
    /// Users: the web interface's preferences (a JSON object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferences: Option<serde_json::Value>,
    /// The collections the principal owns, homes and schedule boxes included.
    #[serde(default)]
    pub collections: Vec<CollectionEntry>,
}

fn yes() -> bool {
    true
}

/// One delegate of a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delegate {
    pub name: String,
    /// calendar-proxy-write when true, calendar-proxy-read otherwise.
    pub write: bool,
}

/// One collection.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CollectionEntry {
    /// Path without leading slash, ending with `/` (`calendars/alice/work/`).
    pub path: String,
    /// `calendar`, `addressbook`, `plain`, `calendar-home`, `addressbook-home`,
    /// `inbox`, `outbox`, `notifications`.
    pub kind: String,
    /// Calendars: the component types accepted (`VEVENT`, `VTODO`, `VJOURNAL`…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<String>,
    /// The export file holding its objects (relative to the export's top).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// How many objects the file holds.
    #[serde(default)]
    pub objects: usize,
    /// Subscriptions: the feed's URL (the server fills the calendar from it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The birthdays calendar: filled by the server from the address books.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub server_filled: bool,
    /// Shown in words (informative; `properties` is what is restored when it
    /// has the property, these fill in for a hand-written manifest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Working hours (the inbox's VAVAILABILITY).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<String>,
    /// Every dead property: Clark name → the stored XML element, verbatim.
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
    /// ACL grants set on this collection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acl: Vec<AclEntry>,
    /// Who it is shared with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shares: Vec<ShareEntry>,
    /// The secret token of its publish link (`/publish/TOKEN.ics`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_token: Option<String>,
}

/// One ACL grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AclEntry {
    /// `principal:NAME`, `authenticated`, `unauthenticated` or `all`.
    pub grantee: String,
    /// The privileges' Clark names (aggregates and their parts).
    pub privileges: Vec<String>,
}

/// One share of a collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareEntry {
    pub sharee: String,
    /// `read`, `read-write` or `freebusy`.
    pub access: String,
    /// `pending`, `accepted` or `declined`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Where the sharee sees it (accepted shares).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_path: Option<String>,
    /// The sharee's own values (their name and colour for it), Clark name → XML.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, String>,
}

impl CollectionEntry {
    /// Fills the words-for-people fields from `properties`.
    pub fn describe(&mut self) {
        let text = |name: &str| self.properties.get(name).map(|xml| agora_core::scheduling::dead_property_text(xml));
        self.display_name = text(DISPLAY_NAME);
        self.color = text(COLOR);
        self.order = text(ORDER);
        self.description = text(CALENDAR_DESCRIPTION).or_else(|| text(ADDRESSBOOK_DESCRIPTION));
        self.timezone = text(TIMEZONE);
        self.availability = text(AVAILABILITY);
    }

    /// The dead properties to restore: `properties`, plus those only given in
    /// words (a hand-written manifest).
    pub fn restored_properties(&self) -> BTreeMap<String, String> {
        let mut out = self.properties.clone();
        let description = if self.kind == "addressbook" { ADDRESSBOOK_DESCRIPTION } else { CALENDAR_DESCRIPTION };
        for (name, value) in [
            (DISPLAY_NAME, &self.display_name),
            (COLOR, &self.color),
            (ORDER, &self.order),
            (description, &self.description),
            (TIMEZONE, &self.timezone),
            (AVAILABILITY, &self.availability),
        ] {
            if let Some(value) = value
                && !out.contains_key(name)
            {
                out.insert(name.to_owned(), element(name, value));
            }
        }
        out
    }
}

/// A dead property's XML element from its Clark name and text.
pub fn element(clark: &str, text: &str) -> String {
    let (ns, local) = clark.strip_prefix('{').and_then(|s| s.split_once('}')).unwrap_or(("", clark));
    let escaped = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('\r', "&#13;");
    // The prefixes Agora's own responses use, for readers of the stored XML.
    let prefix = match ns {
        "DAV:" => "D",
        "urn:ietf:params:xml:ns:caldav" => "C",
        "urn:ietf:params:xml:ns:carddav" => "CARD",
        "http://apple.com/ns/ical/" => "ICAL",
        "http://calendarserver.org/ns/" => "CS",
        _ => "X",
    };
    format!("<{prefix}:{local} xmlns:{prefix}=\"{ns}\">{escaped}</{prefix}:{local}>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_xml_agree() {
        let mut c = CollectionEntry { kind: "calendar".into(), ..Default::default() };
        c.properties
            .insert(DISPLAY_NAME.into(), "<D:displayname xmlns:D=\"DAV:\">Work &amp; co</D:displayname>".into());
        c.describe();
        assert_eq!(c.display_name.as_deref(), Some("Work & co"));
        // Words alone (hand-written) become the property; the XML wins when both are given.
        c.color = Some("#FF0000".into());
        let restored = c.restored_properties();
        assert_eq!(restored[DISPLAY_NAME], c.properties[DISPLAY_NAME]);
        assert_eq!(
            restored[COLOR],
            "<ICAL:calendar-color xmlns:ICAL=\"http://apple.com/ns/ical/\">#FF0000</ICAL:calendar-color>"
        );
        let mut back = CollectionEntry { properties: restored, ..Default::default() };
        back.describe();
        assert_eq!(back.color.as_deref(), Some("#FF0000"));
    }
}
