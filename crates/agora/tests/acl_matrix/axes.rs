//! The matrix's axes: the roles (columns), the resources and the operations
//! (rows), and where each resource is as each role reaches it.

use Op::*;
use Res::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Role {
    Owner,
    Read,
    Write,
    FreeBusy,
    ProxyWrite,
    ProxyRead,
    Stranger,
    Anonymous,
}

/// The columns of the matrix, in order.
pub(crate) const ROLES: [Role; 8] = [
    Role::Owner,
    Role::Read,
    Role::Write,
    Role::FreeBusy,
    Role::ProxyWrite,
    Role::ProxyRead,
    Role::Stranger,
    Role::Anonymous,
];

impl Role {
    /// Who sends the request; `None` sends no credentials.
    pub(crate) fn user(self) -> Option<&'static str> {
        Some(match self {
            Role::Owner => "alice",
            Role::Read => "bob",
            Role::Write => "carol",
            Role::FreeBusy => "dave",
            Role::ProxyWrite => "erin",
            Role::ProxyRead => "grace",
            Role::Stranger => "frank",
            Role::Anonymous => return None,
        })
    }

    /// The user whose own home a request names (anonymous borrows the stranger's).
    pub(crate) fn login(self) -> &'static str {
        self.user().unwrap_or("frank")
    }

    /// Distinguishes what each role creates.
    pub(crate) fn tag(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Read => "read",
            Role::Write => "write",
            Role::FreeBusy => "fb",
            Role::ProxyWrite => "pw",
            Role::ProxyRead => "pr",
            Role::Stranger => "stranger",
            Role::Anonymous => "anon",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Res {
    /// `/calendars/alice/calendar/`: bob read, carol read-write, dave free/busy.
    Cal,
    /// `secret.ics` in it.
    Event,
    /// `private-req.ics` in it, CLASS:PRIVATE: readers without write access see
    /// nothing, not even that it exists.
    PrivateEvent,
    /// `/calendars/alice/public/`: read granted to DAV:unauthenticated, not shared.
    Public,
    /// `public.ics` in it.
    PublicEvent,
    /// `/addressbooks/alice/contacts/`: bob read, carol read-write.
    Book,
    /// `secret.vcf` in it.
    Card,
    /// `/principals/alice/` (PROPPATCH: her calendar-proxy-read group).
    Principal,
    /// The shared calendar at the requester's own `/calendars/USER/alice-calendar/`
    /// (alice: her own URL; nobody else has one there).
    CalMount,
    /// `secret.ics` through that mount.
    EventMount,
}

pub(crate) const RESOURCES: [Res; 10] = [
    Res::Cal,
    Res::Event,
    Res::PrivateEvent,
    Res::Public,
    Res::PublicEvent,
    Res::Book,
    Res::Card,
    Res::Principal,
    Res::CalMount,
    Res::EventMount,
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Op {
    Options,
    Get,
    Head,
    Propfind0,
    Propfind1,
    /// A dead property of the requester's own name (the proxy group's members on
    /// a principal: the requester names themselves).
    Proppatch,
    /// A new member of a collection; over a fresh object; at a principal.
    Put,
    /// A fresh collection shared like the resource; a fresh object.
    Delete,
    /// Extended MKCOL of the resource's kind next to it in the owner's home
    /// (mounts: inside); at an object's or principal's URL.
    Mkcol,
    /// MKCALENDAR inside the collection; at an object's or principal's URL.
    Mkcalendar,
    /// To the requester's own home or calendar (a fresh object).
    CopyTo,
    /// A fresh collection or object to the requester's own home or calendar.
    MoveTo,
    /// Depth 0 write lock, then UNLOCK by the same role.
    Lock,
    /// UNLOCK of the owner's lock.
    Unlock,
    /// Grants the requester DAV:all.
    Acl,
    /// CalendarServer share with the requester, read-write.
    PostShare,
    /// CalendarServer publish-calendar.
    PostPublish,
    CalendarQuery,
    CalendarMultiget,
    FreeBusyQuery,
    SyncCollection,
    AddressbookQuery,
    AddressbookMultiget,
    ExpandProperty,
    PrincipalPropertySearch,
    PrincipalSearchPropertySet,
    PrincipalMatch,
    AclPrincipalPropSet,
}

pub(crate) const OPS: [Op; 28] = [
    Op::Options,
    Op::Get,
    Op::Head,
    Op::Propfind0,
    Op::Propfind1,
    Op::Proppatch,
    Op::Put,
    Op::Delete,
    Op::Mkcol,
    Op::Mkcalendar,
    Op::CopyTo,
    Op::MoveTo,
    Op::Lock,
    Op::Unlock,
    Op::Acl,
    Op::PostShare,
    Op::PostPublish,
    Op::CalendarQuery,
    Op::CalendarMultiget,
    Op::FreeBusyQuery,
    Op::SyncCollection,
    Op::AddressbookQuery,
    Op::AddressbookMultiget,
    Op::ExpandProperty,
    Op::PrincipalPropertySearch,
    Op::PrincipalSearchPropertySet,
    Op::PrincipalMatch,
    Op::AclPrincipalPropSet,
];

pub(crate) const CAL: &str = "/calendars/alice/calendar/";
pub(crate) const PUBLIC: &str = "/calendars/alice/public/";
pub(crate) const BOOK: &str = "/addressbooks/alice/contacts/";
pub(crate) const PRINCIPAL: &str = "/principals/alice/";

impl Res {
    pub(crate) fn tag(self) -> String {
        format!("{self:?}").to_lowercase()
    }

    pub(crate) fn is_object(self) -> bool {
        matches!(self, Event | PrivateEvent | PublicEvent | Card | EventMount)
    }

    pub(crate) fn is_card(self) -> bool {
        matches!(self, Book | Card)
    }

    pub(crate) fn is_public(self) -> bool {
        matches!(self, Public | PublicEvent)
    }

    pub(crate) fn is_mount(self) -> bool {
        matches!(self, CalMount | EventMount)
    }

    /// The owner's URL of the collection the resource is, or is in.
    pub(crate) fn collection(self) -> &'static str {
        match self {
            Cal | Event | PrivateEvent | CalMount | EventMount => CAL,
            Public | PublicEvent => PUBLIC,
            Book | Card => BOOK,
            Principal => PRINCIPAL,
        }
    }

    /// The same collection as `role` reaches it.
    pub(crate) fn collection_for(self, role: Role) -> String {
        if self.is_mount() && role != Role::Owner {
            format!("/calendars/{}/alice-calendar/", role.login())
        } else {
            self.collection().to_owned()
        }
    }

    /// The object of an object resource, or the one a collection's reports name.
    pub(crate) fn object(self) -> &'static str {
        match self {
            Public | PublicEvent => "public.ics",
            Book | Card => "secret.vcf",
            PrivateEvent => "private-req.ics",
            _ => "secret.ics",
        }
    }

    pub(crate) fn target(self, role: Role) -> String {
        match self {
            Principal => PRINCIPAL.to_owned(),
            r if r.is_object() => format!("{}{}", r.collection_for(role), r.object()),
            r => r.collection_for(role),
        }
    }

    pub(crate) fn ext(self) -> &'static str {
        if self.is_card() { "vcf" } else { "ics" }
    }

    /// Where `role` keeps copies of its own: a home, or a collection in it (the
    /// owner's are beside the originals, to keep UIDs apart).
    pub(crate) fn own_home(self, role: Role) -> String {
        let top = if self.is_card() { "addressbooks" } else { "calendars" };
        format!("/{top}/{}/", role.login())
    }

    pub(crate) fn own_collection(self, role: Role) -> String {
        match (self.is_card(), role) {
            (true, Role::Owner) => "/addressbooks/alice/target/".into(),
            (true, _) => format!("/addressbooks/{}/contacts/", role.login()),
            (false, Role::Owner) => "/calendars/alice/target/".into(),
            (false, _) => format!("/calendars/{}/calendar/", role.login()),
        }
    }

    /// The private member a multiget asks for besides the resource's object.
    pub(crate) fn private_member(self) -> Option<&'static str> {
        match self {
            Cal | CalMount => Some("private-req.ics"),
            Public => Some("pubpriv-req.ics"),
            _ => None,
        }
    }

    /// What a successful answer must show: the data read, and the real owner
    /// wherever DAV:owner is asked for (RFC 3744 §5.1).
    pub(crate) fn must_show(self, op: Op) -> Vec<&'static str> {
        let (member, content) = match self {
            Cal | CalMount | Event | EventMount => ("secret.ics", "CALSECRET"),
            PrivateEvent => ("private-req.ics", "PRIVSECRET"),
            Public | PublicEvent => ("public.ics", "PUBSECRET"),
            Book | Card => ("secret.vcf", "CARDSECRET"),
            Principal => return Vec::new(),
        };
        match (self.is_object(), op) {
            // GET of a collection says what it is; PROPFIND lists members.
            (false, Propfind1 | SyncCollection) => vec![member],
            (false, CalendarQuery | CalendarMultiget | AddressbookQuery | AddressbookMultiget) => vec![content],
            (false, FreeBusyQuery) => vec!["FBTYPE=BUSY"],
            (true, Get) => vec![content],
            (_, Propfind0) => vec!["<D:owner><D:href>/principals/alice/</D:href></D:owner>"],
            (_, ExpandProperty) => vec!["<D:owner><D:response><D:href>/principals/alice/</D:href>"],
            _ => Vec::new(),
        }
    }
}
