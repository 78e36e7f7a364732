//! Precondition and postcondition codes for `<D:error>` bodies (RFC 4918 §16).

use super::{close_tag, open_tag, push_href};
use crate::name::PropName;
use crate::{NS_CALDAV, NS_CARDDAV, NS_DAV};

/// A privilege a request lacks on a resource (RFC 3744 §7.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedPrivilege {
    /// The resource.
    pub href: String,
    /// The privilege, e.g. `{DAV:}write-content`.
    pub privilege: PropName,
}

/// A failed precondition, written as `<D:error>` content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precondition {
    /// `DAV:propfind-finite-depth` (RFC 4918 §9.1).
    PropfindFiniteDepth,
    /// `DAV:valid-sync-token` (RFC 6578 §3.2).
    ValidSyncToken,
    /// `DAV:number-of-matches-within-limits` (RFC 5323 §3.3, RFC 6578 §3.6).
    NumberOfMatchesWithinLimits,
    /// `DAV:lock-token-submitted` with the locked resources (RFC 4918 §16).
    LockTokenSubmitted(Vec<String>),
    /// `DAV:lock-token-matches-request-uri` (RFC 4918 §9.11.1).
    LockTokenMatchesRequestUri,
    /// `DAV:no-conflicting-lock` with the roots of the conflicting locks.
    NoConflictingLock(Vec<String>),
    /// `DAV:no-external-entities` (RFC 4918 §16).
    NoExternalEntities,
    /// `DAV:cannot-modify-protected-property` (RFC 4918 §9.2.1).
    CannotModifyProtectedProperty,
    /// `DAV:resource-must-be-null` (RFC 4791 §5.3.1.1, RFC 5689 §3).
    ResourceMustBeNull,
    /// `DAV:need-privileges` (RFC 3744 §7.1.1).
    NeedPrivileges(Vec<NeedPrivilege>),
    /// `DAV:supported-report` (RFC 3253 §3.6).
    SupportedReport,
    /// `DAV:valid-resourcetype` (RFC 5689 §3).
    ValidResourcetype,
    /// `C:supported-calendar-data` (RFC 4791 §5.3.2.1).
    SupportedCalendarData,
    /// `C:valid-calendar-data`.
    ValidCalendarData,
    /// `C:valid-calendar-object-resource`.
    ValidCalendarObjectResource,
    /// `C:supported-calendar-component`.
    SupportedCalendarComponent,
    /// `C:no-uid-conflict` with the href of the resource already using the UID.
    CalNoUidConflict(String),
    /// `C:calendar-collection-location-ok`.
    CalendarCollectionLocationOk,
    /// `C:max-resource-size`.
    CalMaxResourceSize,
    /// `C:min-date-time`.
    MinDateTime,
    /// `C:max-date-time`.
    MaxDateTime,
    /// `C:max-instances`.
    MaxInstances,
    /// `C:max-attendees-per-instance`.
    MaxAttendeesPerInstance,
    /// `C:supported-filter` (RFC 4791 §7.7).
    CalSupportedFilter,
    /// `C:valid-filter`.
    ValidFilter,
    /// `C:supported-collation` (RFC 4791 §7.5.1).
    CalSupportedCollation,
    /// `C:valid-timezone` (RFC 4791 §5.3.2.1, RFC 7809).
    ValidTimezone,
    /// `CARD:supported-address-data` (RFC 6352 §6.3.2.1).
    SupportedAddressData,
    /// `CARD:valid-address-data`.
    ValidAddressData,
    /// `CARD:no-uid-conflict` with the href of the resource already using the UID.
    CardNoUidConflict(String),
    /// `CARD:addressbook-collection-location-ok`.
    AddressbookCollectionLocationOk,
    /// `CARD:max-resource-size`.
    CardMaxResourceSize,
    /// `CARD:valid-filter` (RFC 6352 §8.6).
    CardValidFilter,
    /// `C:unique-scheduling-object-resource` (RFC 6638 §3.2.4.1) with the href
    /// of the user's scheduling object that already has the UID.
    UniqueSchedulingObject(String),
    /// `CARD:supported-filter` (RFC 6352 §8.6).
    CardSupportedFilter,
    /// `CARD:supported-collation` (RFC 6352 §8.3).
    CardSupportedCollation,
    /// Any other condition, written as an empty element.
    Other(PropName),
}

impl Precondition {
    /// The element name of the condition.
    pub fn name(&self) -> PropName {
        use Precondition::*;
        let (ns, local) = match self {
            PropfindFiniteDepth => (NS_DAV, "propfind-finite-depth"),
            ValidSyncToken => (NS_DAV, "valid-sync-token"),
            NumberOfMatchesWithinLimits => (NS_DAV, "number-of-matches-within-limits"),
            LockTokenSubmitted(_) => (NS_DAV, "lock-token-submitted"),
            LockTokenMatchesRequestUri => (NS_DAV, "lock-token-matches-request-uri"),
            NoConflictingLock(_) => (NS_DAV, "no-conflicting-lock"),
            NoExternalEntities => (NS_DAV, "no-external-entities"),
            CannotModifyProtectedProperty => (NS_DAV, "cannot-modify-protected-property"),
            ResourceMustBeNull => (NS_DAV, "resource-must-be-null"),
            NeedPrivileges(_) => (NS_DAV, "need-privileges"),
            SupportedReport => (NS_DAV, "supported-report"),
            ValidResourcetype => (NS_DAV, "valid-resourcetype"),
            SupportedCalendarData => (NS_CALDAV, "supported-calendar-data"),
            ValidCalendarData => (NS_CALDAV, "valid-calendar-data"),
            ValidCalendarObjectResource => (NS_CALDAV, "valid-calendar-object-resource"),
            SupportedCalendarComponent => (NS_CALDAV, "supported-calendar-component"),
            CalNoUidConflict(_) => (NS_CALDAV, "no-uid-conflict"),
            CalendarCollectionLocationOk => (NS_CALDAV, "calendar-collection-location-ok"),
            CalMaxResourceSize => (NS_CALDAV, "max-resource-size"),
            MinDateTime => (NS_CALDAV, "min-date-time"),
            MaxDateTime => (NS_CALDAV, "max-date-time"),
            MaxInstances => (NS_CALDAV, "max-instances"),
            MaxAttendeesPerInstance => (NS_CALDAV, "max-attendees-per-instance"),
            CalSupportedFilter => (NS_CALDAV, "supported-filter"),
            ValidFilter => (NS_CALDAV, "valid-filter"),
            CalSupportedCollation => (NS_CALDAV, "supported-collation"),
            ValidTimezone => (NS_CALDAV, "valid-timezone"),
            SupportedAddressData => (NS_CARDDAV, "supported-address-data"),
            ValidAddressData => (NS_CARDDAV, "valid-address-data"),
            CardNoUidConflict(_) => (NS_CARDDAV, "no-uid-conflict"),
            AddressbookCollectionLocationOk => (NS_CARDDAV, "addressbook-collection-location-ok"),
            CardMaxResourceSize => (NS_CARDDAV, "max-resource-size"),
            CardSupportedFilter => (NS_CARDDAV, "supported-filter"),
            CardValidFilter => (NS_CARDDAV, "valid-filter"),
            UniqueSchedulingObject(_) => (NS_CALDAV, "unique-scheduling-object-resource"),
            CardSupportedCollation => (NS_CARDDAV, "supported-collation"),
            Other(name) => return name.clone(),
        };
        PropName::new(ns, local)
    }

    /// Appends the condition element; the `D`, `C` and `CARD` prefixes must be
    /// in scope.
    pub(crate) fn write(&self, out: &mut String) {
        let name = self.name();
        let hrefs: &[String] = match self {
            Precondition::LockTokenSubmitted(h) | Precondition::NoConflictingLock(h) => h,
            Precondition::CalNoUidConflict(h)
            | Precondition::CardNoUidConflict(h)
            | Precondition::UniqueSchedulingObject(h) => std::slice::from_ref(h),
            _ => &[],
        };
        let empty = hrefs.is_empty() && !matches!(self, Precondition::NeedPrivileges(p) if !p.is_empty());
        open_tag(out, &name, empty);
        if empty {
            return;
        }
        for href in hrefs {
            push_href(out, href);
        }
        if let Precondition::NeedPrivileges(privileges) = self {
            for p in privileges {
                out.push_str("<D:resource>");
                push_href(out, &p.href);
                out.push_str("<D:privilege>");
                open_tag(out, &p.privilege, true);
                out.push_str("</D:privilege></D:resource>");
            }
        }
        close_tag(out, &name);
    }
}

/// A complete `<D:error>` response body (RFC 4918 §16) for a 403/409/412/507
/// answer: XML declaration, `<D:error>` with the namespace declarations and
/// the condition element.
pub fn error_body(condition: &Precondition) -> String {
    error_body_with(condition, None)
}

/// [`error_body`] with a human-readable reason after the condition, in
/// Agora's namespace (RFC 4918 §16 lets `<D:error>` carry other elements;
/// clients that do not know it ignore it, people reading logs see why).
pub fn error_body_with(condition: &Precondition, reason: Option<&str>) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(r#"<D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CARD="urn:ietf:params:xml:ns:carddav">"#);
    condition.write(&mut out);
    if let Some(reason) = reason.filter(|r| !r.is_empty()) {
        out.push_str("<A:reason xmlns:A=\"");
        out.push_str(crate::NS_AGORA);
        out.push_str("\">");
        crate::escape::push_text(&mut out, reason);
        out.push_str("</A:reason>");
    }
    out.push_str("</D:error>");
    out
}
