//! The access-control matrix (issue 4), on both stores: every role against every
//! method and report on every kind of resource, each cell with the status it must
//! get. Roles: the owner (alice), a read sharee (bob), a read-write sharee
//! (carol), a free/busy-only sharee (dave), a write delegate (erin), a read
//! delegate (grace), a stranger (frank) and a request without credentials.
//! Resources: alice's shared calendar and an event in it, a public calendar (read
//! granted to DAV:unauthenticated) and an event in it, her shared address book and
//! a contact in it, her principal, and the shared calendar and event as each
//! sharee mounts them in their own home.
//!
//! Beyond the status, every answer is searched for what the role may not see
//! (event and contact text, names of unlisted and private members, e-mail
//! addresses for anonymous requests); every COPY that succeeds has what it
//! wrote read back by its new owner and searched the same way (a reader must not
//! copy what they may not read); each refused write is checked to have
//! changed nothing; writes that are allowed run on their own fresh object or
//! collection, so the state stays predictable; and the owner's data, ACLs, shares,
//! delegates and locks are verified at the end. Every mismatching cell is
//! reported in one run.
//!
//! The table states the correct answer everywhere. When it was first run it
//! found eight server faults, all fixed with it: GET listings named private
//! members; a read-write sharee could delete or MOVE the owner's collection
//! (unbind on the parent, RFC 3744 §3.10); principal-property-search answered
//! anonymous requests; expand-property named the requester as DAV:owner;
//! multigets ran on the other kind of collection; locks held per URL, so a
//! sharee wrote through the owner's lock via their mount; and a free/busy-only
//! sharee could not list their own home.

mod common;

use common::*;
use reqwest::Method;

agora_testkit::on_both_stores!(every_role_gets_exactly_its_access);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
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
const ROLES: [Role; 8] = [
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
    fn user(self) -> Option<&'static str> {
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
    fn login(self) -> &'static str {
        self.user().unwrap_or("frank")
    }

    /// Distinguishes what each role creates.
    fn tag(self) -> &'static str {
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
enum Res {
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

const RESOURCES: [Res; 10] = [
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
enum Op {
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

const OPS: [Op; 28] = [
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

use Op::*;
use Res::*;

/// The expected status of every cell. Columns: owner, read sharee, write sharee,
/// free/busy sharee, write delegate, read delegate, stranger, anonymous.
#[rustfmt::skip]
const MATRIX: &[(Res, Op, &str)] = &[
    //                                   own  read writ f/b  pxyw pxyr strg anon
    (Cal, Options,                      "200  200  200  200  200  200  200  401"),
    (Cal, Get,                          "200  200  200  403  200  200  403  401"),
    (Cal, Head,                         "200  200  200  403  200  200  403  401"),
    (Cal, Propfind0,                    "207  207  207  403  207  207  403  401"),
    (Cal, Propfind1,                    "207  207  207  403  207  207  403  401"),
    (Cal, Proppatch,                    "207  403  207  403  207  403  403  401"),
    (Cal, Put,                          "201  403  201  403  201  403  403  401"),
    (Cal, Delete,                       "204  403  403  403  204  403  403  401"),
    (Cal, Mkcol,                        "201  403  403  403  201  403  403  401"),
    (Cal, Mkcalendar,                   "403  403  403  403  403  403  403  401"),
    (Cal, CopyTo,                       "201  201  201  403  201  201  403  401"),
    (Cal, MoveTo,                       "201  403  403  403  403  403  403  401"),
    (Cal, Lock,                         "200  403  200  403  200  403  403  401"),
    (Cal, Unlock,                       "204  403  403  403  403  403  403  401"),
    (Cal, Acl,                          "200  403  403  403  403  403  403  401"),
    (Cal, PostShare,                    "200  403  403  403  403  403  403  401"),
    (Cal, PostPublish,                  "200  403  403  403  403  403  403  401"),
    (Cal, CalendarQuery,                "207  207  207  403  207  207  403  401"),
    (Cal, CalendarMultiget,             "207  207  207  403  207  207  403  401"),
    (Cal, FreeBusyQuery,                "200  200  200  200  200  200  403  401"),
    (Cal, SyncCollection,               "207  207  207  403  207  207  403  401"),
    (Cal, AddressbookQuery,             "403  403  403  403  403  403  403  401"),
    (Cal, AddressbookMultiget,          "403  403  403  403  403  403  403  401"),
    (Cal, ExpandProperty,               "207  207  207  403  207  207  403  401"),
    (Cal, PrincipalPropertySearch,      "207  207  207  403  207  207  403  401"),
    (Cal, PrincipalSearchPropertySet,   "200  200  200  403  200  200  403  401"),
    (Cal, PrincipalMatch,               "207  207  207  403  207  207  403  401"),
    (Cal, AclPrincipalPropSet,          "207  403  403  403  403  403  403  401"),

    (Event, Options,                    "200  200  200  200  200  200  200  401"),
    (Event, Get,                        "200  200  200  403  200  200  403  401"),
    (Event, Head,                       "200  200  200  403  200  200  403  401"),
    (Event, Propfind0,                  "207  207  207  403  207  207  403  401"),
    (Event, Propfind1,                  "207  207  207  403  207  207  403  401"),
    (Event, Proppatch,                  "207  403  207  403  207  403  403  401"),
    (Event, Put,                        "204  403  204  403  204  403  403  401"),
    (Event, Delete,                     "204  403  204  403  204  403  403  401"),
    (Event, Mkcol,                      "405  403  405  403  405  403  403  401"),
    (Event, Mkcalendar,                 "405  403  405  403  405  403  403  401"),
    (Event, CopyTo,                     "201  201  201  403  201  201  403  401"),
    (Event, MoveTo,                     "201  403  201  403  201  403  403  401"),
    (Event, Lock,                       "200  403  200  403  200  403  403  401"),
    (Event, Unlock,                     "204  403  403  403  403  403  403  401"),
    (Event, Acl,                        "403  403  403  403  403  403  403  401"),
    (Event, PostShare,                  "404  404  404  403  404  404  403  401"),
    (Event, PostPublish,                "404  404  404  403  404  404  403  401"),
    (Event, CalendarQuery,              "207  207  207  403  207  207  403  401"),
    (Event, CalendarMultiget,           "207  207  207  403  207  207  403  401"),
    (Event, FreeBusyQuery,              "403  403  403  403  403  403  403  401"),
    (Event, SyncCollection,             "403  403  403  403  403  403  403  401"),
    (Event, AddressbookQuery,           "403  403  403  403  403  403  403  401"),
    (Event, AddressbookMultiget,        "403  403  403  403  403  403  403  401"),
    (Event, ExpandProperty,             "207  207  207  403  207  207  403  401"),
    (Event, PrincipalPropertySearch,    "207  207  207  403  207  207  403  401"),
    (Event, PrincipalSearchPropertySet, "200  200  200  403  200  200  403  401"),
    (Event, PrincipalMatch,             "207  207  207  403  207  207  403  401"),
    (Event, AclPrincipalPropSet,        "207  403  403  403  403  403  403  401"),

    // CLASS:PRIVATE: to readers without write access it does not exist (404).
    (PrivateEvent, Options,             "200  200  200  200  200  200  200  401"),
    (PrivateEvent, Get,                 "200  404  200  403  200  404  403  401"),
    (PrivateEvent, Head,                "200  404  200  403  200  404  403  401"),
    (PrivateEvent, Propfind0,           "207  404  207  403  207  404  403  401"),
    (PrivateEvent, Propfind1,           "207  404  207  403  207  404  403  401"),
    (PrivateEvent, Proppatch,           "207  404  207  403  207  404  403  401"),
    (PrivateEvent, Put,                 "204  403  204  403  204  403  403  401"),
    (PrivateEvent, Delete,              "204  404  204  403  204  404  403  401"),
    (PrivateEvent, Mkcol,               "405  403  405  403  405  403  403  401"),
    (PrivateEvent, Mkcalendar,          "405  403  405  403  405  403  403  401"),
    (PrivateEvent, CopyTo,              "201  404  201  403  201  404  403  401"),
    (PrivateEvent, MoveTo,              "201  403  201  403  201  403  403  401"),
    (PrivateEvent, Lock,                "200  403  200  403  200  403  403  401"),
    (PrivateEvent, Unlock,              "204  403  403  403  403  403  403  401"),
    (PrivateEvent, Acl,                 "403  403  403  403  403  403  403  401"),
    (PrivateEvent, PostShare,           "404  404  404  403  404  404  403  401"),
    (PrivateEvent, PostPublish,         "404  404  404  403  404  404  403  401"),
    (PrivateEvent, CalendarQuery,       "207  404  207  403  207  404  403  401"),
    (PrivateEvent, CalendarMultiget,    "207  404  207  403  207  404  403  401"),
    (PrivateEvent, FreeBusyQuery,       "403  404  403  403  403  404  403  401"),
    (PrivateEvent, SyncCollection,      "403  404  403  403  403  404  403  401"),
    (PrivateEvent, AddressbookQuery,    "403  404  403  403  403  404  403  401"),
    (PrivateEvent, AddressbookMultiget, "403  404  403  403  403  404  403  401"),
    (PrivateEvent, ExpandProperty,      "207  404  207  403  207  404  403  401"),
    (PrivateEvent, PrincipalPropertySearch, "207  404  207  403  207  404  403  401"),
    (PrivateEvent, PrincipalSearchPropertySet, "200  404  200  403  200  404  403  401"),
    (PrivateEvent, PrincipalMatch,      "207  404  207  403  207  404  403  401"),
    (PrivateEvent, AclPrincipalPropSet, "207  404  403  403  403  404  403  401"),

    (Public, Options,                   "200  200  200  200  200  200  200  401"),
    (Public, Get,                       "200  403  403  403  200  200  403  200"),
    (Public, Head,                      "200  403  403  403  200  200  403  200"),
    (Public, Propfind0,                 "207  403  403  403  207  207  403  207"),
    (Public, Propfind1,                 "207  403  403  403  207  207  403  207"),
    (Public, Proppatch,                 "207  403  403  403  207  403  403  401"),
    (Public, Put,                       "201  403  403  403  201  403  403  401"),
    (Public, Delete,                    "204  403  403  403  204  403  403  401"),
    (Public, Mkcol,                     "201  403  403  403  201  403  403  401"),
    (Public, Mkcalendar,                "403  403  403  403  403  403  403  401"),
    (Public, CopyTo,                    "201  403  403  403  201  201  403  401"),
    (Public, MoveTo,                    "201  403  403  403  403  403  403  401"),
    (Public, Lock,                      "200  403  403  403  200  403  403  401"),
    (Public, Unlock,                    "204  403  403  403  403  403  403  401"),
    (Public, Acl,                       "200  403  403  403  403  403  403  401"),
    (Public, PostShare,                 "200  403  403  403  403  403  403  401"),
    (Public, PostPublish,               "200  403  403  403  403  403  403  401"),
    (Public, CalendarQuery,             "207  403  403  403  207  207  403  207"),
    (Public, CalendarMultiget,          "207  403  403  403  207  207  403  207"),
    (Public, FreeBusyQuery,             "200  403  403  403  200  200  403  200"),
    (Public, SyncCollection,            "207  403  403  403  207  207  403  207"),
    (Public, AddressbookQuery,          "403  403  403  403  403  403  403  401"),
    (Public, AddressbookMultiget,       "403  403  403  403  403  403  403  401"),
    (Public, ExpandProperty,            "207  403  403  403  207  207  403  207"),
    (Public, PrincipalPropertySearch,   "207  403  403  403  207  207  403  401"),
    (Public, PrincipalSearchPropertySet,"200  403  403  403  200  200  403  200"),
    (Public, PrincipalMatch,            "207  403  403  403  207  207  403  401"),
    (Public, AclPrincipalPropSet,       "207  403  403  403  403  403  403  401"),

    (PublicEvent, Options,              "200  200  200  200  200  200  200  401"),
    (PublicEvent, Get,                  "200  403  403  403  200  200  403  200"),
    (PublicEvent, Head,                 "200  403  403  403  200  200  403  200"),
    (PublicEvent, Propfind0,            "207  403  403  403  207  207  403  207"),
    (PublicEvent, Propfind1,            "207  403  403  403  207  207  403  207"),
    (PublicEvent, Proppatch,            "207  403  403  403  207  403  403  401"),
    (PublicEvent, Put,                  "204  403  403  403  204  403  403  401"),
    (PublicEvent, Delete,               "204  403  403  403  204  403  403  401"),
    (PublicEvent, Mkcol,                "405  403  403  403  405  403  403  401"),
    (PublicEvent, Mkcalendar,           "405  403  403  403  405  403  403  401"),
    (PublicEvent, CopyTo,               "201  403  403  403  201  201  403  401"),
    (PublicEvent, MoveTo,               "201  403  403  403  201  403  403  401"),
    (PublicEvent, Lock,                 "200  403  403  403  200  403  403  401"),
    (PublicEvent, Unlock,               "204  403  403  403  403  403  403  401"),
    (PublicEvent, Acl,                  "403  403  403  403  403  403  403  401"),
    (PublicEvent, PostShare,            "404  403  403  403  404  404  403  401"),
    (PublicEvent, PostPublish,          "404  403  403  403  404  404  403  401"),
    (PublicEvent, CalendarQuery,        "207  403  403  403  207  207  403  207"),
    (PublicEvent, CalendarMultiget,     "207  403  403  403  207  207  403  207"),
    (PublicEvent, FreeBusyQuery,        "403  403  403  403  403  403  403  401"),
    (PublicEvent, SyncCollection,       "403  403  403  403  403  403  403  401"),
    (PublicEvent, AddressbookQuery,     "403  403  403  403  403  403  403  401"),
    (PublicEvent, AddressbookMultiget,  "403  403  403  403  403  403  403  401"),
    (PublicEvent, ExpandProperty,       "207  403  403  403  207  207  403  207"),
    (PublicEvent, PrincipalPropertySearch, "207  403  403  403  207  207  403  401"),
    (PublicEvent, PrincipalSearchPropertySet, "200  403  403  403  200  200  403  200"),
    (PublicEvent, PrincipalMatch,       "207  403  403  403  207  207  403  401"),
    (PublicEvent, AclPrincipalPropSet,  "207  403  403  403  403  403  403  401"),

    (Book, Options,                     "200  200  200  200  200  200  200  401"),
    (Book, Get,                         "200  200  200  403  403  403  403  401"),
    (Book, Head,                        "200  200  200  403  403  403  403  401"),
    (Book, Propfind0,                   "207  207  207  403  403  403  403  401"),
    (Book, Propfind1,                   "207  207  207  403  403  403  403  401"),
    (Book, Proppatch,                   "207  403  207  403  403  403  403  401"),
    (Book, Put,                         "201  403  201  403  403  403  403  401"),
    (Book, Delete,                      "204  403  403  403  403  403  403  401"),
    (Book, Mkcol,                       "201  403  403  403  403  403  403  401"),
    (Book, Mkcalendar,                  "403  403  403  403  403  403  403  401"),
    (Book, CopyTo,                      "201  201  201  403  403  403  403  401"),
    (Book, MoveTo,                      "201  403  403  403  403  403  403  401"),
    (Book, Lock,                        "200  403  200  403  403  403  403  401"),
    (Book, Unlock,                      "204  403  403  403  403  403  403  401"),
    (Book, Acl,                         "200  403  403  403  403  403  403  401"),
    (Book, PostShare,                   "200  403  403  403  403  403  403  401"),
    (Book, PostPublish,                 "403  403  403  403  403  403  403  401"),
    (Book, CalendarQuery,               "403  403  403  403  403  403  403  401"),
    (Book, CalendarMultiget,            "403  403  403  403  403  403  403  401"),
    (Book, FreeBusyQuery,               "403  403  403  403  403  403  403  401"),
    (Book, SyncCollection,              "207  207  207  403  403  403  403  401"),
    (Book, AddressbookQuery,            "207  207  207  403  403  403  403  401"),
    (Book, AddressbookMultiget,         "207  207  207  403  403  403  403  401"),
    (Book, ExpandProperty,              "207  207  207  403  403  403  403  401"),
    (Book, PrincipalPropertySearch,     "207  207  207  403  403  403  403  401"),
    (Book, PrincipalSearchPropertySet,  "200  200  200  403  403  403  403  401"),
    (Book, PrincipalMatch,              "207  207  207  403  403  403  403  401"),
    (Book, AclPrincipalPropSet,         "207  403  403  403  403  403  403  401"),

    (Card, Options,                     "200  200  200  200  200  200  200  401"),
    (Card, Get,                         "200  200  200  403  403  403  403  401"),
    (Card, Head,                        "200  200  200  403  403  403  403  401"),
    (Card, Propfind0,                   "207  207  207  403  403  403  403  401"),
    (Card, Propfind1,                   "207  207  207  403  403  403  403  401"),
    (Card, Proppatch,                   "207  403  207  403  403  403  403  401"),
    (Card, Put,                         "204  403  204  403  403  403  403  401"),
    (Card, Delete,                      "204  403  204  403  403  403  403  401"),
    (Card, Mkcol,                       "405  403  405  403  403  403  403  401"),
    (Card, Mkcalendar,                  "405  403  405  403  403  403  403  401"),
    (Card, CopyTo,                      "201  201  201  403  403  403  403  401"),
    (Card, MoveTo,                      "201  403  201  403  403  403  403  401"),
    (Card, Lock,                        "200  403  200  403  403  403  403  401"),
    (Card, Unlock,                      "204  403  403  403  403  403  403  401"),
    (Card, Acl,                         "403  403  403  403  403  403  403  401"),
    (Card, PostShare,                   "404  404  404  403  403  403  403  401"),
    (Card, PostPublish,                 "404  404  404  403  403  403  403  401"),
    (Card, CalendarQuery,               "403  403  403  403  403  403  403  401"),
    (Card, CalendarMultiget,            "403  403  403  403  403  403  403  401"),
    (Card, FreeBusyQuery,               "403  403  403  403  403  403  403  401"),
    (Card, SyncCollection,              "403  403  403  403  403  403  403  401"),
    (Card, AddressbookQuery,            "207  207  207  403  403  403  403  401"),
    (Card, AddressbookMultiget,         "207  207  207  403  403  403  403  401"),
    (Card, ExpandProperty,              "207  207  207  403  403  403  403  401"),
    (Card, PrincipalPropertySearch,     "207  207  207  403  403  403  403  401"),
    (Card, PrincipalSearchPropertySet,  "200  200  200  403  403  403  403  401"),
    (Card, PrincipalMatch,              "207  207  207  403  403  403  403  401"),
    (Card, AclPrincipalPropSet,         "207  403  403  403  403  403  403  401"),

    (Principal, Options,                "200  200  200  200  200  200  200  401"),
    (Principal, Get,                    "200  200  200  200  200  200  200  401"),
    (Principal, Head,                   "200  200  200  200  200  200  200  401"),
    (Principal, Propfind0,              "207  207  207  207  207  207  207  401"),
    (Principal, Propfind1,              "207  207  207  207  207  207  207  401"),
    (Principal, Proppatch,              "207  403  403  403  403  403  403  401"),
    (Principal, Put,                    "405  405  405  405  405  405  405  401"),
    (Principal, Delete,                 "405  405  405  405  405  405  405  401"),
    (Principal, Mkcol,                  "405  405  405  405  405  405  405  401"),
    (Principal, Mkcalendar,             "405  405  405  405  405  405  405  401"),
    (Principal, CopyTo,                 "405  405  405  405  405  405  405  401"),
    (Principal, MoveTo,                 "405  405  405  405  405  405  405  401"),
    (Principal, Lock,                   "405  405  405  405  405  405  405  401"),
    (Principal, Unlock,                 "404  404  404  404  404  404  404  401"),
    (Principal, Acl,                    "403  403  403  403  403  403  403  401"),
    (Principal, PostShare,              "404  404  404  404  404  404  404  401"),
    (Principal, PostPublish,            "404  404  404  404  404  404  404  401"),
    (Principal, CalendarQuery,          "403  403  403  403  403  403  403  401"),
    (Principal, CalendarMultiget,       "403  403  403  403  403  403  403  401"),
    (Principal, FreeBusyQuery,          "403  403  403  403  403  403  403  401"),
    (Principal, SyncCollection,         "403  403  403  403  403  403  403  401"),
    (Principal, AddressbookQuery,       "403  403  403  403  403  403  403  401"),
    (Principal, AddressbookMultiget,    "403  403  403  403  403  403  403  401"),
    (Principal, ExpandProperty,         "207  207  207  207  207  207  207  401"),
    (Principal, PrincipalPropertySearch,"207  207  207  207  207  207  207  401"),
    (Principal, PrincipalSearchPropertySet, "200  200  200  200  200  200  200  401"),
    (Principal, PrincipalMatch,         "207  207  207  207  207  207  207  401"),
    (Principal, AclPrincipalPropSet,    "207  207  207  207  207  207  207  401"),

    // Through the requester's own mount: a sharee's names are their own, leaving
    // is a DELETE; whoever has no mount finds nothing there.
    (CalMount, Options,                 "200  200  200  200  200  200  200  401"),
    (CalMount, Get,                     "200  200  200  403  404  404  404  401"),
    (CalMount, Head,                    "200  200  200  403  404  404  404  401"),
    (CalMount, Propfind0,               "207  207  207  403  404  404  404  401"),
    (CalMount, Propfind1,               "207  207  207  403  404  404  404  401"),
    (CalMount, Proppatch,               "207  207  207  403  404  404  404  401"),
    (CalMount, Put,                     "201  403  201  403  409  409  409  401"),
    (CalMount, Delete,                  "204  204  204  204  404  404  404  401"),
    (CalMount, Mkcol,                   "403  403  403  403  409  409  409  401"),
    (CalMount, Mkcalendar,              "403  403  403  403  409  409  409  401"),
    (CalMount, CopyTo,                  "201  403  403  403  404  404  404  401"),
    (CalMount, MoveTo,                  "201  403  403  403  404  404  404  401"),
    (CalMount, Lock,                    "200  403  200  403  409  409  409  401"),
    (CalMount, Unlock,                  "204  403  403  403  404  404  404  401"),
    (CalMount, Acl,                     "200  403  403  403  404  404  404  401"),
    (CalMount, PostShare,               "200  403  403  403  404  404  404  401"),
    (CalMount, PostPublish,             "200  403  403  403  404  404  404  401"),
    (CalMount, CalendarQuery,           "207  207  207  403  404  404  404  401"),
    (CalMount, CalendarMultiget,        "207  207  207  403  404  404  404  401"),
    (CalMount, FreeBusyQuery,           "200  200  200  200  404  404  404  401"),
    (CalMount, SyncCollection,          "207  207  207  403  404  404  404  401"),
    (CalMount, AddressbookQuery,        "403  403  403  403  404  404  404  401"),
    (CalMount, AddressbookMultiget,     "403  403  403  403  404  404  404  401"),
    (CalMount, ExpandProperty,          "207  207  207  403  404  404  404  401"),
    (CalMount, PrincipalPropertySearch, "207  207  207  403  404  404  404  401"),
    (CalMount, PrincipalSearchPropertySet, "200  200  200  403  404  404  404  401"),
    (CalMount, PrincipalMatch,          "207  207  207  403  404  404  404  401"),
    (CalMount, AclPrincipalPropSet,     "207  403  403  403  404  404  404  401"),

    (EventMount, Options,               "200  200  200  200  200  200  200  401"),
    (EventMount, Get,                   "200  200  200  403  404  404  404  401"),
    (EventMount, Head,                  "200  200  200  403  404  404  404  401"),
    (EventMount, Propfind0,             "207  207  207  403  404  404  404  401"),
    (EventMount, Propfind1,             "207  207  207  403  404  404  404  401"),
    (EventMount, Proppatch,             "207  403  207  403  404  404  404  401"),
    (EventMount, Put,                   "204  403  204  403  409  409  409  401"),
    (EventMount, Delete,                "204  403  204  403  404  404  404  401"),
    (EventMount, Mkcol,                 "405  403  405  403  409  409  409  401"),
    (EventMount, Mkcalendar,            "405  403  405  403  409  409  409  401"),
    (EventMount, CopyTo,                "201  201  201  403  404  404  404  401"),
    (EventMount, MoveTo,                "201  403  201  403  404  404  404  401"),
    (EventMount, Lock,                  "200  403  200  403  409  409  409  401"),
    (EventMount, Unlock,                "204  403  403  403  404  404  404  401"),
    (EventMount, Acl,                   "403  403  403  403  404  404  404  401"),
    (EventMount, PostShare,             "404  404  404  403  404  404  404  401"),
    (EventMount, PostPublish,           "404  404  404  403  404  404  404  401"),
    (EventMount, CalendarQuery,         "207  207  207  403  404  404  404  401"),
    (EventMount, CalendarMultiget,      "207  207  207  403  404  404  404  401"),
    (EventMount, FreeBusyQuery,         "403  403  403  403  404  404  404  401"),
    (EventMount, SyncCollection,        "403  403  403  403  404  404  404  401"),
    (EventMount, AddressbookQuery,      "403  403  403  403  404  404  404  401"),
    (EventMount, AddressbookMultiget,   "403  403  403  403  404  404  404  401"),
    (EventMount, ExpandProperty,        "207  207  207  403  404  404  404  401"),
    (EventMount, PrincipalPropertySearch, "207  207  207  403  404  404  404  401"),
    (EventMount, PrincipalSearchPropertySet, "200  200  200  403  404  404  404  401"),
    (EventMount, PrincipalMatch,        "207  207  207  403  404  404  404  401"),
    (EventMount, AclPrincipalPropSet,   "207  403  403  403  404  404  404  401"),
];

/// Text only some roles may ever receive, in any answer to any request.
#[rustfmt::skip]
const SECRETS: &[(&str, &[Role])] = {
    use Role::*;
    const SHARED: &[Role] = &[Owner, Read, Write, ProxyWrite, ProxyRead];
    const WRITERS: &[Role] = &[Owner, Write, ProxyWrite];
    const PUBLIC_READERS: &[Role] = &[Owner, ProxyWrite, ProxyRead, Anonymous];
    const CARD_READERS: &[Role] = &[Owner, Read, Write];
    &[
        // Events of the shared calendar, and the name of a member never asked for.
        ("CALSECRET", SHARED), ("unlisted-7f3a", SHARED),
        // CLASS:PRIVATE events there: writers only (name and content).
        ("PRIVSECRET", WRITERS), ("private-b71c", WRITERS),
        // The public calendar: not shared, read granted to DAV:unauthenticated.
        ("PUBSECRET", PUBLIC_READERS), ("unlisted-3c9d", PUBLIC_READERS),
        ("PUBPRIV", &[Owner, ProxyWrite]), ("pubpriv-5e6f", &[Owner, ProxyWrite]),
        // The address book: sharees only, delegation is for calendars.
        ("CARDSECRET", CARD_READERS), ("unlisted-card-9c1e", CARD_READERS),
        // The directory's addresses: never to anonymous requests.
        ("@example.org", &[Owner, Read, Write, FreeBusy, ProxyWrite, ProxyRead, Stranger]),
    ]
};

const CAL: &str = "/calendars/alice/calendar/";
const PUBLIC: &str = "/calendars/alice/public/";
const BOOK: &str = "/addressbooks/alice/contacts/";
const PRINCIPAL: &str = "/principals/alice/";

impl Res {
    fn tag(self) -> String {
        format!("{self:?}").to_lowercase()
    }

    fn is_object(self) -> bool {
        matches!(self, Event | PrivateEvent | PublicEvent | Card | EventMount)
    }

    fn is_card(self) -> bool {
        matches!(self, Book | Card)
    }

    fn is_public(self) -> bool {
        matches!(self, Public | PublicEvent)
    }

    fn is_mount(self) -> bool {
        matches!(self, CalMount | EventMount)
    }

    /// The owner's URL of the collection the resource is, or is in.
    fn collection(self) -> &'static str {
        match self {
            Cal | Event | PrivateEvent | CalMount | EventMount => CAL,
            Public | PublicEvent => PUBLIC,
            Book | Card => BOOK,
            Principal => PRINCIPAL,
        }
    }

    /// The same collection as `role` reaches it.
    fn collection_for(self, role: Role) -> String {
        if self.is_mount() && role != Role::Owner {
            format!("/calendars/{}/alice-calendar/", role.login())
        } else {
            self.collection().to_owned()
        }
    }

    /// The object of an object resource, or the one a collection's reports name.
    fn object(self) -> &'static str {
        match self {
            Public | PublicEvent => "public.ics",
            Book | Card => "secret.vcf",
            PrivateEvent => "private-req.ics",
            _ => "secret.ics",
        }
    }

    fn target(self, role: Role) -> String {
        match self {
            Principal => PRINCIPAL.to_owned(),
            r if r.is_object() => format!("{}{}", r.collection_for(role), r.object()),
            r => r.collection_for(role),
        }
    }

    fn ext(self) -> &'static str {
        if self.is_card() { "vcf" } else { "ics" }
    }

    /// Where `role` keeps copies of its own: a home, or a collection in it (the
    /// owner's are beside the originals, to keep UIDs apart).
    fn own_home(self, role: Role) -> String {
        let top = if self.is_card() { "addressbooks" } else { "calendars" };
        format!("/{top}/{}/", role.login())
    }

    fn own_collection(self, role: Role) -> String {
        match (self.is_card(), role) {
            (true, Role::Owner) => "/addressbooks/alice/target/".into(),
            (true, _) => format!("/addressbooks/{}/contacts/", role.login()),
            (false, Role::Owner) => "/calendars/alice/target/".into(),
            (false, _) => format!("/calendars/{}/calendar/", role.login()),
        }
    }

    /// The private member a multiget asks for besides the resource's object.
    fn private_member(self) -> Option<&'static str> {
        match self {
            Cal | CalMount => Some("private-req.ics"),
            Public => Some("pubpriv-req.ics"),
            _ => None,
        }
    }

    /// What a successful answer must show: the data read, and the real owner
    /// wherever DAV:owner is asked for (RFC 3744 §5.1).
    fn must_show(self, op: Op) -> Vec<&'static str> {
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

/// Which kind of disposable collection a destructive cell consumes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum VictimKind {
    Cal,
    Public,
    Book,
}

fn event(uid: &str, summary: &str, class: &str, hour: u32) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agora matrix//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n\
         DTSTAMP:20260101T000000Z\r\nDTSTART:20261201T{hour:02}0000Z\r\nDTEND:20261201T{:02}0000Z\r\n{class}\
         SUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        hour + 1
    )
}

fn card(uid: &str, name: &str) -> String {
    format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{name};;;;\r\nEND:VCARD\r\n")
}

const NS: &str = r#"xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CARD="urn:ietf:params:xml:ns:carddav" xmlns:CS="http://calendarserver.org/ns/""#;

fn propfind() -> String {
    format!(
        "<D:propfind {NS}><D:prop><D:displayname/><D:getetag/><D:resourcetype/><D:owner/>\
         <D:current-user-privilege-set/></D:prop></D:propfind>"
    )
}

const LOCKINFO: &str = r#"<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>matrix</D:owner></D:lockinfo>"#;

/// One request, before it is sent.
struct Call {
    method: &'static str,
    path: String,
    headers: Vec<(&'static str, String)>,
    body: String,
}

impl Call {
    fn new(method: &'static str, path: impl Into<String>) -> Call {
        Call { method, path: path.into(), headers: Vec::new(), body: String::new() }
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Call {
        self.headers.push((name, value.into()));
        self
    }

    fn body(mut self, content_type: &str, body: impl Into<String>) -> Call {
        self.body = body.into();
        self.with("Content-Type", content_type)
    }

    fn xml(self, body: impl Into<String>) -> Call {
        self.body("application/xml; charset=utf-8", body)
    }

    /// An iCalendar or vCard body, after the path's extension.
    fn data(self, body: impl Into<String>) -> Call {
        let ct = if self.path.ends_with(".vcf") { "text/vcard" } else { "text/calendar" };
        self.body(ct, body)
    }
}

struct Reply {
    status: u16,
    lock_token: Option<String>,
    body: String,
}

fn ok(status: u16) -> bool {
    (200..300).contains(&status)
}

/// What to check once a cell has run.
enum After {
    Nothing,
    /// Refused: the owner still reads exactly these bytes here.
    Unchanged {
        path: String,
        data: String,
    },
    /// Refused: nothing was made here.
    Absent(String),
    /// COPY: refused, the source is unchanged; done, what the copy holds (read
    /// by its new owner, the role) is no more than the role may read.
    Copied {
        source: Option<(String, String)>,
        dest: String,
        collection: bool,
    },
    /// A disposable collection: refused, it is still there; done, it is used up.
    Victim {
        kind: VictimKind,
        owner_path: String,
    },
    /// LOCK: done, the same role releases it; refused, no lock was left.
    OwnLock {
        path: String,
        owner_path: String,
    },
    /// UNLOCK of the owner's lock: unless done, the owner still holds it.
    OwnersLock {
        owner_path: String,
        token: String,
    },
    /// POST publish: done, the owner revokes the link.
    Unpublish(String),
}

struct Matrix<'a> {
    env: &'a StoreEnv,
    server: &'a Server,
    http: reqwest::blocking::Client,
    victims: [Option<String>; 3],
    made: usize,
    /// The owner's objects and their bytes, verified at the end.
    originals: Vec<(String, String)>,
    mismatches: Vec<String>,
}

fn snippet(body: &str) -> String {
    let flat: String = body.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if flat.chars().count() > 300 { format!("{}…", flat.chars().take(300).collect::<String>()) } else { flat }
}

impl Matrix<'_> {
    fn send(&self, role: Role, call: &Call) -> Reply {
        let method = Method::from_bytes(call.method.as_bytes()).unwrap();
        let mut r = self.http.request(method, self.server.url(&call.path));
        if let Some(user) = role.user() {
            r = r.basic_auth(user, Some(PASSWORD));
        }
        for (name, value) in &call.headers {
            r = r.header(*name, value);
        }
        let response = r.body(call.body.clone()).send().unwrap();
        let lock_token = response
            .headers()
            .get("lock-token")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().trim_start_matches('<').trim_end_matches('>').to_owned());
        Reply { status: response.status().as_u16(), lock_token, body: response.text().unwrap_or_default() }
    }

    fn alice(&self, call: Call) -> Reply {
        self.send(Role::Owner, &call)
    }

    /// A setup step that must work.
    fn must(&self, call: Call, expected: u16) -> Reply {
        let (method, path) = (call.method, call.path.clone());
        let reply = self.alice(call);
        assert_eq!(reply.status, expected, "setup: {method} {path}: {}", reply.body);
        reply
    }

    fn miss(&mut self, text: String) {
        self.mismatches.push(text);
    }

    fn setup(&mut self) {
        add_users(self.env, &["alice", "bob", "carol", "dave", "erin", "frank", "grace"]);
        let put = |m: &mut Self, path: &str, data: String| {
            m.must(Call::new("PUT", path).data(data.clone()), 201);
            m.originals.push((path.to_owned(), data));
        };
        put(self, &format!("{CAL}secret.ics"), event("secret", "CALSECRET meeting", "", 10));
        put(self, &format!("{CAL}unlisted-7f3a.ics"), event("unlisted", "CALSECRET unlisted", "", 14));
        put(self, &format!("{CAL}private-b71c.ics"), event("private", "PRIVSECRET", "CLASS:PRIVATE\r\n", 12));
        put(self, &format!("{CAL}private-req.ics"), event("private-req", "PRIVSECRET asked", "CLASS:PRIVATE\r\n", 15));
        self.must(Call::new("MKCALENDAR", PUBLIC), 201);
        self.must(Call::new("ACL", PUBLIC).xml(acl_body(None, true)), 200);
        put(self, &format!("{PUBLIC}public.ics"), event("public", "PUBSECRET talk", "", 10));
        put(self, &format!("{PUBLIC}unlisted-3c9d.ics"), event("pub-unlisted", "PUBSECRET unlisted", "", 14));
        put(self, &format!("{PUBLIC}pubpriv-5e6f.ics"), event("pubpriv", "PUBPRIV", "CLASS:PRIVATE\r\n", 12));
        put(self, &format!("{PUBLIC}pubpriv-req.ics"), event("pubpriv-req", "PUBPRIV asked", "CLASS:PRIVATE\r\n", 15));
        put(self, &format!("{BOOK}secret.vcf"), card("secret", "CARDSECRET Agent"));
        put(self, &format!("{BOOK}unlisted-card-9c1e.vcf"), card("unlisted", "CARDSECRET Unlisted"));
        // The owner's own places for copies, apart from the originals.
        self.must(Call::new("MKCALENDAR", "/calendars/alice/target/"), 201);
        self.must(Call::new("MKCOL", "/addressbooks/alice/target/").xml(mkcol_body(true)), 201);
        self.share("calendars/alice/calendar", &[("bob", "read"), ("carol", "read-write"), ("dave", "freebusy")]);
        self.share("addressbooks/alice/contacts", &[("bob", "read"), ("carol", "read-write")]);
        for (group, who) in [("calendar-proxy-write", "erin"), ("calendar-proxy-read", "grace")] {
            self.must(Call::new("PROPPATCH", format!("{PRINCIPAL}{group}/")).xml(members(who)), 207);
        }
        // Everyone else has a home of their own (provisioned on first request).
        for role in ROLES {
            if role.user().is_some() {
                assert_eq!(self.send(role, &Call::new("OPTIONS", "/")).status, 200);
            }
        }
    }

    fn share(&self, collection: &str, sharees: &[(&str, &str)]) {
        for (who, access) in sharees {
            self.env.cli_ok(&["share", "add", collection, who, "--access", access], None);
        }
    }

    /// A disposable collection shared like the resource (made on first use, and
    /// again once a cell has deleted or moved it); its name.
    fn victim(&mut self, kind: VictimKind) -> String {
        if let Some(name) = &self.victims[kind as usize] {
            return name.clone();
        }
        self.made += 1;
        let n = self.made;
        let name = match kind {
            VictimKind::Cal => format!("vcal-{n}"),
            VictimKind::Public => format!("vpub-{n}"),
            VictimKind::Book => format!("vbook-{n}"),
        };
        match kind {
            VictimKind::Cal | VictimKind::Public => {
                let path = format!("/calendars/alice/{name}/");
                self.must(Call::new("MKCALENDAR", &path), 201);
                let secret = if kind == VictimKind::Cal { "CALSECRET victim" } else { "PUBSECRET victim" };
                self.must(Call::new("PUT", format!("{path}v.ics")).data(event(&name, secret, "", 9)), 201);
                if kind == VictimKind::Cal {
                    let store_path = format!("calendars/alice/{name}");
                    self.share(&store_path, &[("bob", "read"), ("carol", "read-write"), ("dave", "freebusy")]);
                } else {
                    self.must(Call::new("ACL", &path).xml(acl_body(None, true)), 200);
                }
            }
            VictimKind::Book => {
                let path = format!("/addressbooks/alice/{name}/");
                self.must(Call::new("MKCOL", &path).xml(mkcol_body(true)), 201);
                self.must(Call::new("PUT", format!("{path}v.vcf")).data(card(&name, "CARDSECRET victim")), 201);
                self.share(&format!("addressbooks/alice/{name}"), &[("bob", "read"), ("carol", "read-write")]);
            }
        }
        self.victims[kind as usize] = Some(name.clone());
        name
    }

    /// A victim as `role` reaches it, and as the owner does.
    fn victim_paths(&mut self, res: Res, role: Role) -> (VictimKind, String, String) {
        let kind = match res {
            Public => VictimKind::Public,
            Book => VictimKind::Book,
            _ => VictimKind::Cal,
        };
        let name = self.victim(kind);
        let top = if kind == VictimKind::Book { "addressbooks" } else { "calendars" };
        let owner_path = format!("/{top}/alice/{name}/");
        let path = if res.is_mount() && role != Role::Owner {
            format!("/calendars/{}/alice-{name}/", role.login())
        } else {
            owner_path.clone()
        };
        (kind, path, owner_path)
    }

    /// A fresh object for one cell, made by the owner: its path for `role`, the
    /// owner's path and its bytes.
    fn fresh(&self, res: Res, what: &str, role: Role) -> (String, String, String) {
        let name = format!("{what}-{}-{}.{}", res.tag(), role.tag(), res.ext());
        let uid = name.trim_end_matches(".ics").trim_end_matches(".vcf");
        let class = if res == PrivateEvent { "CLASS:PRIVATE\r\n" } else { "" };
        let data = if res.is_card() { card(uid, "fresh card") } else { event(uid, "fresh event", class, 8) };
        let owner_path = format!("{}{name}", res.collection());
        self.must(Call::new("PUT", &owner_path).data(data.clone()), 201);
        (format!("{}{name}", res.collection_for(role)), owner_path, data)
    }

    /// The request of one cell, after what it needs has been made.
    fn plan(&mut self, res: Res, op: Op, role: Role) -> (Call, After) {
        let me = role.login();
        let tag = format!("{}-{}", res.tag(), role.tag());
        let target = res.target(role);
        let server = self.server;
        let url = |path: &str| server.url(path);
        let mut hrefs = format!("<D:href>{}{}</D:href>", res.collection_for(role), res.object());
        if let Some(private) = res.private_member() {
            hrefs.push_str(&format!("<D:href>{}{private}</D:href>", res.collection_for(role)));
        }
        let call = match op {
            Options => Call::new("OPTIONS", &target),
            Get => Call::new("GET", &target),
            Head => Call::new("HEAD", &target),
            Propfind0 => Call::new("PROPFIND", &target).with("Depth", "0").xml(propfind()),
            Propfind1 => Call::new("PROPFIND", &target).with("Depth", "1").xml(propfind()),
            Proppatch if res == Principal => {
                // The owner keeps her reader; anyone else tries to become one.
                let who = if role == Role::Owner { "grace" } else { me };
                Call::new("PROPPATCH", format!("{PRINCIPAL}calendar-proxy-read/")).xml(members(who))
            }
            Proppatch => Call::new("PROPPATCH", &target).xml(format!(
                r#"<D:propertyupdate xmlns:D="DAV:" xmlns:X="urn:agora:matrix"><D:set><D:prop><X:note-{r}>set-by-{r}</X:note-{r}></D:prop></D:set></D:propertyupdate>"#,
                r = role.tag()
            )),
            Put if res == Principal => Call::new("PUT", &target).data(event(&tag, "put", "", 8)),
            Put if res.is_object() => {
                let (path, owner_path, data) = self.fresh(res, "put", role);
                let new = data.replace("fresh", "overwritten");
                return (Call::new("PUT", path).data(new), After::Unchanged { path: owner_path, data });
            }
            Put => {
                let name = format!("new-{tag}.{}", res.ext());
                let data = if res.is_card() { card(&name, "new card") } else { event(&name, "new event", "", 8) };
                let call = Call::new("PUT", format!("{}{name}", res.collection_for(role))).data(data);
                return (call, After::Absent(format!("{}{name}", res.collection())));
            }
            Delete if res == Principal => Call::new("DELETE", &target),
            Delete if res.is_object() => {
                let (path, owner_path, data) = self.fresh(res, "del", role);
                return (Call::new("DELETE", path), After::Unchanged { path: owner_path, data });
            }
            Delete => {
                let (kind, path, owner_path) = self.victim_paths(res, role);
                return (Call::new("DELETE", path), After::Victim { kind, owner_path });
            }
            Mkcol | Mkcalendar if res == Principal || res.is_object() => Call::new(method_of(op), &target),
            Mkcol if res.is_mount() => {
                let call = Call::new("MKCOL", format!("{target}mkcol-{tag}/")).xml(mkcol_body(false));
                return (call, After::Absent(format!("{CAL}mkcol-{tag}/")));
            }
            Mkcol => {
                let top = if res.is_card() { "addressbooks" } else { "calendars" };
                let path = format!("/{top}/alice/mkcol-{tag}/");
                return (Call::new("MKCOL", &path).xml(mkcol_body(res.is_card())), After::Absent(path));
            }
            Mkcalendar => {
                let call = Call::new("MKCALENDAR", format!("{target}mkcal-{tag}/"));
                return (call, After::Absent(format!("{}mkcal-{tag}/", res.collection())));
            }
            CopyTo if res == Principal => {
                Call::new("COPY", &target).with("Destination", url(&format!("/calendars/{me}/copy-{tag}/")))
            }
            CopyTo if res.is_object() => {
                let (path, owner_path, data) = self.fresh(res, "cp", role);
                let dest = format!("{}cp-{tag}.{}", res.own_collection(role), res.ext());
                let call = Call::new("COPY", path).with("Destination", url(&dest));
                return (call, After::Copied { source: Some((owner_path, data)), dest, collection: false });
            }
            CopyTo => {
                let dest = format!("{}copy-{tag}/", res.own_home(role));
                let call = Call::new("COPY", &target).with("Destination", url(&dest)).with("Depth", "infinity");
                return (call, After::Copied { source: None, dest, collection: true });
            }
            MoveTo if res == Principal => {
                Call::new("MOVE", &target).with("Destination", url(&format!("/calendars/{me}/moved-{tag}/")))
            }
            MoveTo if res.is_object() => {
                let (path, owner_path, data) = self.fresh(res, "mv", role);
                let dest = format!("{}mv-{tag}.{}", res.own_collection(role), res.ext());
                let call = Call::new("MOVE", path).with("Destination", url(&dest));
                return (call, After::Unchanged { path: owner_path, data });
            }
            MoveTo => {
                let (kind, path, owner_path) = self.victim_paths(res, role);
                let dest = format!("{}moved-{tag}/", res.own_home(role));
                let call = Call::new("MOVE", path).with("Destination", url(&dest)).with("Depth", "infinity");
                return (call, After::Victim { kind, owner_path });
            }
            Lock => {
                let call = Call::new("LOCK", &target).with("Depth", "0").with("Timeout", "Second-60").xml(LOCKINFO);
                return (call, After::OwnLock { path: target.clone(), owner_path: res.target(Role::Owner) });
            }
            Unlock if res == Principal => {
                Call::new("UNLOCK", &target).with("Lock-Token", "<urn:uuid:00000000-0000-4000-8000-000000000000>")
            }
            Unlock => {
                let owner_path = res.target(Role::Owner);
                let lock = Call::new("LOCK", &owner_path).with("Depth", "0").with("Timeout", "Second-60").xml(LOCKINFO);
                let token = self.must(lock, 200).lock_token.expect("a lock token");
                let call = Call::new("UNLOCK", &target).with("Lock-Token", format!("<{token}>"));
                return (call, After::OwnersLock { owner_path, token });
            }
            Acl => Call::new("ACL", &target).xml(acl_body(Some(me), res.is_public())),
            PostShare => Call::new("POST", &target).xml(format!(
                r#"<CS:share {NS}><CS:set><D:href>mailto:{me}@example.org</D:href><CS:read-write/></CS:set></CS:share>"#
            )),
            PostPublish => {
                let call = Call::new("POST", &target).xml(format!("<CS:publish-calendar {NS}/>"));
                return (call, After::Unpublish(res.collection().to_owned()));
            }
            CalendarQuery | CalendarMultiget | FreeBusyQuery | SyncCollection | AddressbookQuery
            | AddressbookMultiget | ExpandProperty | PrincipalPropertySearch | PrincipalSearchPropertySet
            | PrincipalMatch | AclPrincipalPropSet => {
                let (depth, body) = report_body(op, res == Principal, &hrefs);
                Call::new("REPORT", &target).with("Depth", depth).xml(body)
            }
        };
        (call, After::Nothing)
    }

    /// Runs one cell and records whatever is wrong with it.
    fn cell(&mut self, res: Res, op: Op, role: Role, expected: u16) {
        let (call, after) = self.plan(res, op, role);
        let reply = self.send(role, &call);
        let label = format!("{res:?} × {op:?} × {role:?}: {} {}", call.method, call.path);
        if reply.status != expected {
            self.miss(format!("{label} → {}, expected {expected}: {}", reply.status, snippet(&reply.body)));
        }
        for (secret, allowed) in SECRETS {
            if reply.body.contains(secret) && !allowed.contains(&role) {
                self.miss(format!("{label} → {} LEAKS {secret:?}: {}", reply.status, snippet(&reply.body)));
            }
        }
        for shown in res.must_show(op) {
            if ok(reply.status) && !reply.body.contains(shown) {
                self.miss(format!("{label} → {} without {shown:?}: {}", reply.status, snippet(&reply.body)));
            }
        }
        self.after(&label, role, &reply, after);
    }

    fn after(&mut self, label: &str, role: Role, reply: &Reply, after: After) {
        let done = ok(reply.status);
        match after {
            After::Unchanged { path, data } if !done => {
                let now = self.alice(Call::new("GET", &path));
                if now.status != 200 || now.body != data {
                    self.miss(format!("{label}: refused, yet {path} is now {} {}", now.status, snippet(&now.body)));
                }
            }
            After::Copied { source: Some((path, data)), .. } if !done => {
                let now = self.alice(Call::new("GET", &path));
                if now.status != 200 || now.body != data {
                    self.miss(format!("{label}: refused, yet {path} is now {} {}", now.status, snippet(&now.body)));
                }
            }
            After::Copied { dest, collection, .. } if done => {
                let mut copies = vec![dest.clone()];
                if collection {
                    let listing = self.send(role, &Call::new("PROPFIND", &dest).with("Depth", "1").xml(propfind()));
                    copies = listing
                        .body
                        .split("<D:href>")
                        .skip(1)
                        .filter_map(|h| h.split("</D:href>").next())
                        .filter(|h| *h != dest)
                        .map(str::to_owned)
                        .collect();
                    if copies.is_empty() {
                        self.miss(format!("{label}: the copied collection {dest} lists nothing"));
                    }
                }
                for copy in copies {
                    let got = self.send(role, &Call::new("GET", &copy));
                    for (secret, allowed) in SECRETS {
                        if got.body.contains(secret) && !allowed.contains(&role) {
                            self.miss(format!("{label}: its copy {copy} holds {secret:?}: {}", snippet(&got.body)));
                        }
                    }
                }
            }
            After::Absent(path) if !done => {
                let now = self.alice(Call::new("PROPFIND", &path).with("Depth", "0").xml(propfind()));
                if now.status != 404 {
                    self.miss(format!("{label}: refused, yet {path} exists ({})", now.status));
                }
            }
            After::Victim { kind, owner_path } => {
                if done {
                    self.victims[kind as usize] = None;
                } else {
                    let now = self.alice(Call::new("PROPFIND", &owner_path).with("Depth", "1").xml(propfind()));
                    if now.status != 207 || !now.body.contains("/v.") {
                        self.miss(format!("{label}: refused, yet {owner_path} is gone ({})", now.status));
                    }
                }
            }
            After::OwnLock { path, owner_path } => {
                if done {
                    match &reply.lock_token {
                        Some(token) => {
                            let unlock = Call::new("UNLOCK", &path).with("Lock-Token", format!("<{token}>"));
                            let status = self.send(role, &unlock).status;
                            if status != 204 {
                                self.miss(format!("{label}: its own UNLOCK → {status}"));
                            }
                        }
                        None => self.miss(format!("{label}: locked without a Lock-Token")),
                    }
                }
                let discovery = r#"<D:propfind xmlns:D="DAV:"><D:prop><D:lockdiscovery/></D:prop></D:propfind>"#;
                let now = self.alice(Call::new("PROPFIND", &owner_path).with("Depth", "0").xml(discovery));
                if now.body.contains("locktoken") {
                    self.miss(format!("{label}: a lock is left on {owner_path}"));
                }
            }
            After::OwnersLock { owner_path, token } if !done => {
                let unlock = Call::new("UNLOCK", &owner_path).with("Lock-Token", format!("<{token}>"));
                let status = self.alice(unlock).status;
                if status != 204 {
                    self.miss(format!("{label}: refused, yet the owner's lock is gone ({status})"));
                }
            }
            After::Unpublish(path) if done => {
                let unpublish = Call::new("POST", path).xml(format!("<CS:unpublish-calendar {NS}/>"));
                self.alice(unpublish);
            }
            _ => {}
        }
    }

    /// After the whole matrix: the owner's data, ACLs, shares, delegates and locks
    /// are what they were, but for the writes the table allows.
    fn verify_owner_data(&mut self) {
        for (path, data) in self.originals.clone() {
            let now = self.alice(Call::new("GET", &path));
            if now.status != 200 || now.body != data {
                self.miss(format!("end: {path} changed: {} {}", now.status, snippet(&now.body)));
            }
        }
        // Dead properties: set by exactly the roles allowed to.
        let notes: String = ROLES.iter().map(|r| format!("<X:note-{}/>", r.tag())).collect();
        let ask =
            format!(r#"<D:propfind xmlns:D="DAV:" xmlns:X="urn:agora:matrix"><D:prop>{notes}</D:prop></D:propfind>"#);
        for (path, rows) in [
            (CAL.to_owned(), &[Cal][..]),
            (format!("{CAL}secret.ics"), &[Event, EventMount][..]),
            (format!("{CAL}private-req.ics"), &[PrivateEvent][..]),
            (PUBLIC.to_owned(), &[Public][..]),
            (format!("{PUBLIC}public.ics"), &[PublicEvent][..]),
            (BOOK.to_owned(), &[Book][..]),
            (format!("{BOOK}secret.vcf"), &[Card][..]),
        ] {
            let body = self.alice(Call::new("PROPFIND", &path).with("Depth", "0").xml(ask.clone())).body;
            for (i, role) in ROLES.iter().enumerate() {
                let allowed = rows.iter().any(|r| ok(expected(*r, Proppatch)[i]));
                let set = body.contains(&format!("set-by-{}", role.tag()));
                if set != allowed {
                    self.miss(format!("end: {path}: note of {role:?} set: {set}, expected {allowed}"));
                }
            }
        }
        // Nobody granted themselves anything; the public grant is still there.
        let acl = r#"<D:propfind xmlns:D="DAV:"><D:prop><D:acl/><D:invite/></D:prop></D:propfind>"#;
        for path in [CAL, PUBLIC, BOOK] {
            let body = self.alice(Call::new("PROPFIND", path).with("Depth", "0").xml(acl)).body;
            for user in ["bob", "carol", "dave", "erin", "frank", "grace"] {
                if body.contains(&format!("<D:principal><D:href>/principals/{user}/")) {
                    self.miss(format!("end: {path}: an ACE for {user}: {}", snippet(&body)));
                }
            }
            if (path == PUBLIC) != body.contains("<D:unauthenticated/>") {
                self.miss(format!("end: {path}: the grant to DAV:unauthenticated changed: {}", snippet(&body)));
            }
            let shares: &[(&str, &str)] = match path {
                // (D:invite has no free/busy level: dave's is only checked as accepted.)
                CAL => &[("bob", "<D:read/>"), ("carol", "<D:read-write/>"), ("dave", "")],
                BOOK => &[("bob", "<D:read/>"), ("carol", "<D:read-write/>")],
                _ => &[],
            };
            for (user, level) in shares {
                let expected =
                    format!("<D:href>mailto:{user}@example.org</D:href><D:invite-accepted/><D:share-access>{level}");
                if !body.contains(&expected) {
                    self.miss(format!(
                        "end: {path}: {user}'s share is no longer {level}, accepted: {}",
                        snippet(&body)
                    ));
                }
            }
            for user in ["erin", "frank", "grace"] {
                if body.contains(&format!("mailto:{user}@example.org")) {
                    self.miss(format!("end: {path}: shared with {user}: {}", snippet(&body)));
                }
            }
        }
        // Delegates unchanged.
        let group = r#"<D:propfind xmlns:D="DAV:"><D:prop><D:group-member-set/></D:prop></D:propfind>"#;
        for (kind, who) in [("write", "erin"), ("read", "grace")] {
            let path = format!("{PRINCIPAL}calendar-proxy-{kind}/");
            let body = self.alice(Call::new("PROPFIND", &path).with("Depth", "0").xml(group)).body;
            let exact = format!("<D:group-member-set><D:href>/principals/{who}/</D:href></D:group-member-set>");
            if !body.contains(&exact) {
                self.miss(format!("end: {path}: delegates changed: {}", snippet(&body)));
            }
        }
        // No lock left behind, no link published.
        let left = r#"<D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:prop><D:lockdiscovery/><CS:publish-url/></D:prop></D:propfind>"#;
        for res in [Cal, Event, PrivateEvent, Public, PublicEvent, Book, Card] {
            let path = res.target(Role::Owner);
            let body = self.alice(Call::new("PROPFIND", &path).with("Depth", "0").xml(left)).body;
            if body.contains("locktoken") || body.contains("/publish/") {
                self.miss(format!("end: {path}: a lock or a link is left: {}", snippet(&body)));
            }
        }
        // Every user still lists their own homes, mounts included.
        for role in ROLES.into_iter().filter(|r| r.user().is_some()) {
            for home in ["calendars", "addressbooks"] {
                let path = format!("/{home}/{}/", role.login());
                let got = self.send(role, &Call::new("PROPFIND", &path).with("Depth", "1").xml(propfind()));
                if got.status != 207 {
                    self.miss(format!("end: {role:?} PROPFIND {path} → {}: {}", got.status, snippet(&got.body)));
                }
            }
        }
        // The owner's lock holds whatever URL the object is reached by.
        let (_, probe, data) = self.fresh(EventMount, "lockprobe", Role::Write);
        let lock = Call::new("LOCK", &probe).with("Depth", "0").with("Timeout", "Second-60").xml(LOCKINFO);
        let token = self.must(lock, 200).lock_token.expect("a lock token");
        let through_mount = format!("/calendars/carol/alice-calendar/{}", &probe[CAL.len()..]);
        for path in [probe.clone(), through_mount] {
            let put = Call::new("PUT", &path).data(data.replace("fresh", "overwritten"));
            let got = self.send(Role::Write, &put).status;
            if got != 423 {
                self.miss(format!("end: Write PUT {path} while the owner locks {probe} → {got}, expected 423"));
            }
        }
        self.must(Call::new("UNLOCK", &probe).with("Lock-Token", format!("<{token}>")), 204);
        // And the access each role has is still the one it started with.
        for (role, method, path, status) in [
            (Role::Read, "PUT", format!("{CAL}late-read.ics"), 403),
            (Role::Read, "GET", format!("{CAL}secret.ics"), 200),
            (Role::Write, "GET", format!("{BOOK}secret.vcf"), 200),
            (Role::FreeBusy, "GET", format!("{CAL}secret.ics"), 403),
            (Role::ProxyWrite, "GET", format!("{BOOK}secret.vcf"), 403),
            (Role::ProxyRead, "PUT", format!("{CAL}late-pr.ics"), 403),
            (Role::Stranger, "GET", format!("{CAL}secret.ics"), 403),
            (Role::Stranger, "GET", format!("{PUBLIC}public.ics"), 403),
            (Role::Anonymous, "GET", format!("{CAL}secret.ics"), 401),
            (Role::Anonymous, "GET", format!("{PUBLIC}public.ics"), 200),
        ] {
            let mut call = Call::new(method, &path);
            if method == "PUT" {
                call = call.data(event("late", "late", "", 8));
            }
            let got = self.send(role, &call).status;
            if got != status {
                self.miss(format!("end: {role:?} {method} {path} → {got}, expected {status}"));
            }
        }
    }
}

/// The Depth and body of a report; `hrefs` are those a multiget names.
fn report_body(op: Op, on_principal: bool, hrefs: &str) -> (&'static str, String) {
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

fn method_of(op: Op) -> &'static str {
    match op {
        Mkcol => "MKCOL",
        Mkcalendar => "MKCALENDAR",
        other => unreachable!("{other:?}"),
    }
}

/// An ACL granting `grantee` everything, keeping the public grant where there is one.
fn acl_body(grantee: Option<&str>, public: bool) -> String {
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

fn mkcol_body(addressbook: bool) -> String {
    let kind = if addressbook { "<CARD:addressbook/>" } else { "<C:calendar/>" };
    format!(
        "<D:mkcol {NS}><D:set><D:prop><D:resourcetype><D:collection/>{kind}</D:resourcetype></D:prop></D:set></D:mkcol>"
    )
}

fn members(user: &str) -> String {
    format!(
        r#"<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:group-member-set><D:href>/principals/{user}/</D:href></D:group-member-set></D:prop></D:set></D:propertyupdate>"#
    )
}

/// The statuses of one row.
fn expected(res: Res, op: Op) -> [u16; 8] {
    let rows: Vec<_> = MATRIX.iter().filter(|(r, o, _)| (*r, *o) == (res, op)).collect();
    assert_eq!(rows.len(), 1, "{res:?} × {op:?} must be in the matrix exactly once");
    let statuses: Vec<u16> = rows[0].2.split_whitespace().map(|s| s.parse().unwrap()).collect();
    statuses.try_into().unwrap_or_else(|v| panic!("{res:?} × {op:?}: {v:?} is not one status per role"))
}

fn every_role_gets_exactly_its_access(backend: Backend) {
    // No cell is skipped: every resource × operation is in the table once.
    assert_eq!(MATRIX.len(), RESOURCES.len() * OPS.len());
    for res in RESOURCES {
        for op in OPS {
            expected(res, op);
        }
    }
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    let mut m = Matrix {
        env: &env,
        server: &server,
        http: client(),
        victims: [None, None, None],
        made: 0,
        originals: Vec::new(),
        mismatches: Vec::new(),
    };
    m.setup();
    let started = std::time::Instant::now();
    let mut cells = 0;
    for res in RESOURCES {
        for op in OPS {
            for (role, status) in ROLES.into_iter().zip(expected(res, op)) {
                m.cell(res, op, role, status);
                cells += 1;
            }
        }
    }
    m.verify_owner_data();
    eprintln!("{cells} cells in {:?}", started.elapsed());
    assert!(
        m.mismatches.is_empty(),
        "{} mismatches over {cells} cells:\n{}",
        m.mismatches.len(),
        m.mismatches.join("\n")
    );
}
