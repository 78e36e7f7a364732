//! Records of DAV resources: collections, objects, dead properties, changes.

use crate::model::PrincipalId;

/// Row id of a collection.
pub type CollectionId = i64;

/// What a collection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CollectionKind {
    /// `/calendars/NAME/`: holds a user's calendars and schedule boxes.
    CalendarHome,
    /// `/addressbooks/NAME/`: holds a user's address books.
    AddressbookHome,
    /// A CalDAV calendar collection.
    Calendar,
    /// A CardDAV address book.
    Addressbook,
    /// The scheduling inbox (RFC 6638 §2.2).
    Inbox,
    /// The scheduling outbox (RFC 6638 §2.1).
    Outbox,
    /// A plain WebDAV collection (MKCOL without a resource type).
    Plain,
    /// A user's notifications (CalendarServer sharing invitations and replies),
    /// written by the server only.
    Notifications,
}

impl CollectionKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CollectionKind::CalendarHome => "calendar-home",
            CollectionKind::AddressbookHome => "addressbook-home",
            CollectionKind::Calendar => "calendar",
            CollectionKind::Addressbook => "addressbook",
            CollectionKind::Inbox => "inbox",
            CollectionKind::Outbox => "outbox",
            CollectionKind::Plain => "plain",
            CollectionKind::Notifications => "notifications",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "calendar-home" => CollectionKind::CalendarHome,
            "addressbook-home" => CollectionKind::AddressbookHome,
            "calendar" => CollectionKind::Calendar,
            "addressbook" => CollectionKind::Addressbook,
            "inbox" => CollectionKind::Inbox,
            "outbox" => CollectionKind::Outbox,
            "plain" => CollectionKind::Plain,
            "notifications" => CollectionKind::Notifications,
            _ => return None,
        })
    }
}

/// Calendar component types a collection accepts, as a bit set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Components(pub i64);

impl Components {
    /// VEVENT
    pub const EVENT: i64 = 1;
    /// VTODO
    pub const TODO: i64 = 2;
    /// VJOURNAL
    pub const JOURNAL: i64 = 4;
    /// VFREEBUSY
    pub const FREEBUSY: i64 = 8;
    /// VAVAILABILITY (RFC 7953)
    pub const AVAILABILITY: i64 = 16;
    const NAMES: [(i64, &'static str); 5] = [
        (Self::EVENT, "VEVENT"),
        (Self::TODO, "VTODO"),
        (Self::JOURNAL, "VJOURNAL"),
        (Self::FREEBUSY, "VFREEBUSY"),
        (Self::AVAILABILITY, "VAVAILABILITY"),
    ];

    /// The bit of a component name, if it is one a calendar can hold.
    pub fn bit(name: &str) -> Option<i64> {
        Self::NAMES.iter().find(|(_, n)| n.eq_ignore_ascii_case(name)).map(|(b, _)| *b)
    }

    /// Whether the named component is accepted.
    pub fn allows(self, name: &str) -> bool {
        Self::bit(name).is_some_and(|b| self.0 & b != 0)
    }

    /// The accepted component names, in a fixed order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Self::NAMES.into_iter().filter(move |(b, _)| self.0 & b != 0).map(|(_, n)| n)
    }
}

/// A stored collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    /// Row id.
    pub id: CollectionId,
    /// The principal that owns it.
    pub owner_id: PrincipalId,
    /// Decoded path without leading slash, ending with `/`.
    pub path: String,
    /// The enclosing collection, `None` for homes.
    pub parent_id: Option<CollectionId>,
    /// What it is.
    pub kind: CollectionKind,
    /// Accepted calendar components (calendars only).
    pub components: Components,
    /// Sync revision.
    pub revision: i64,
    /// Creation time, Unix seconds.
    pub created_at: i64,
    /// Last change of the collection or a member, Unix seconds.
    pub modified_at: i64,
    /// What fills it when not clients: `directory` (the global address list) or
    /// the URL of a subscribed iCalendar feed. Such collections are read-only.
    pub source: Option<String>,
    /// Set when this is a sharee's view of someone else's collection: the share.
    /// `path` and `parent_id` are then the sharee's, everything else the original's.
    pub share_id: Option<i64>,
}

impl Collection {
    /// The last path segment, without the trailing slash.
    pub fn name(&self) -> &str {
        let trimmed = self.path.trim_end_matches('/');
        trimmed.rsplit('/').next().unwrap_or(trimmed)
    }
}

/// A collection to create.
#[derive(Debug, Clone)]
pub struct NewCollection {
    /// Owner.
    pub owner_id: PrincipalId,
    /// Decoded path, ending with `/`.
    pub path: String,
    /// Path of the parent collection, `None` for a home.
    pub parent_path: Option<String>,
    /// Kind.
    pub kind: CollectionKind,
    /// Accepted components.
    pub components: Components,
    /// Initial dead properties (Clark name, verbatim XML).
    pub properties: Vec<(String, String)>,
    /// What fills it (see [`Collection::source`]); `None` for client-written ones.
    pub source: Option<String>,
    /// Initial grants, written with the collection (the org-wide free/busy
    /// default on a schedule inbox).
    pub grants: Vec<(Grantee, i64)>,
}

/// An object without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectMeta {
    /// Row id.
    pub id: i64,
    /// Its collection.
    pub collection_id: CollectionId,
    /// Decoded last path segment.
    pub name: String,
    /// iCalendar/vCard UID, if any.
    pub uid: Option<String>,
    /// Strong entity tag, without quotes.
    pub etag: String,
    /// Media type of the stored bytes.
    pub content_type: String,
    /// Main component (VEVENT, VTODO, VJOURNAL, VCARD…), `None` for plain files.
    pub component: Option<String>,
    /// Size in bytes.
    pub size: i64,
    /// Creation time, Unix seconds.
    pub created_at: i64,
    /// Last modification, Unix seconds.
    pub modified_at: i64,
    /// Collection revision of the last change.
    pub revision: i64,
    /// CLASS: 0 public, 1 confidential, 2 private.
    pub class: i64,
    /// Schedule-Tag of a scheduling object (RFC 6638 §3.2.10), `None` otherwise.
    pub schedule_tag: Option<String>,
}

/// An object with its bytes, exactly as the client sent them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    /// Everything but the bytes.
    pub meta: ObjectMeta,
    /// The stored bytes.
    pub data: Vec<u8>,
}

/// An object to store.
#[derive(Debug, Clone)]
pub struct NewObject {
    /// UID, unique within the collection.
    pub uid: Option<String>,
    /// Strong entity tag, without quotes.
    pub etag: String,
    /// Media type.
    pub content_type: String,
    /// Bytes.
    pub data: Vec<u8>,
    /// Main component.
    pub component: Option<String>,
    /// Start of the overall time span (`None`: not time-indexed, matches any range).
    pub span_start: Option<i64>,
    /// End of the span (`None`: open-ended).
    pub span_end: Option<i64>,
    /// CLASS: 0 public, 1 confidential, 2 private.
    pub class: i64,
    /// Schedule-Tag of a scheduling object (RFC 6638 §3.2.10), `None` otherwise.
    pub schedule_tag: Option<String>,
    /// The pieces of the object's instances, for time-range queries without a
    /// parse (`None`: only the span indexes it).
    pub instances: Option<InstancePieces>,
}

/// Longest instance piece the store accepts, in seconds: a time-range lookup
/// reads the pieces starting at most this long before the range.
pub const MAX_PIECE_SECONDS: i64 = 7 * 86_400;

/// The instances of an event cut into pieces of at most [`MAX_PIECE_SECONDS`]:
/// an object has an instance overlapping `[a, b)` exactly when one of its pieces
/// does (`start < b AND end > a`), provided `[a, b)` lies inside `[from, to)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstancePieces {
    /// `[start, end)` in Unix seconds.
    pub pieces: Vec<(i64, i64)>,
    /// False when a hit only makes the object a candidate (floating times).
    pub exact: bool,
    /// Ranges inside `[from, to)` are decided by the pieces (`i64::MIN`, `i64::MAX`: all).
    pub from: i64,
    /// See [`Self::from`].
    pub to: i64,
}

impl InstancePieces {
    /// Whether every instance is indexed, whatever the range.
    pub fn whole(&self) -> bool {
        self.from == i64::MIN && self.to == i64::MAX
    }
}

/// The objects a time-range lookup found (each list ordered by name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeCandidates {
    /// Objects that have an instance in the range, decided by the index (with
    /// empty `data` when the lookup was asked for metadata only).
    pub matched: Vec<Object>,
    /// Objects that may have one: the caller applies RFC 4791 §9.9 to them.
    pub to_test: Vec<Object>,
}

/// The conditional-request headers of a write, checked inside its transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum WriteCondition {
    /// No condition.
    #[default]
    Always,
    /// `If-Match`: the current ETag must be one of these (`*`: must exist).
    IfMatch(Vec<String>),
    /// `If-None-Match: *`: the object must not exist.
    IfNoneMatchAny,
    /// `If-None-Match` with tags: the current ETag must be none of these.
    IfNoneMatch(Vec<String>),
    /// `If-Schedule-Tag-Match` (RFC 6638 §8.3): the object exists with this Schedule-Tag.
    IfScheduleTagMatch(String),
}

impl WriteCondition {
    /// Whether a write may proceed given the current ETag (`None`: absent).
    pub fn allows(&self, current: Option<&str>) -> bool {
        match self {
            WriteCondition::Always => true,
            WriteCondition::IfMatch(tags) => current.is_some_and(|etag| tags.iter().any(|t| t == "*" || t == etag)),
            WriteCondition::IfNoneMatchAny => current.is_none(),
            WriteCondition::IfNoneMatch(tags) => current.is_none_or(|etag| !tags.iter().any(|t| t == etag)),
            WriteCondition::IfScheduleTagMatch(_) => current.is_some(),
        }
    }

    /// Whether a write may proceed given the current Schedule-Tag.
    pub fn allows_schedule_tag(&self, current: Option<&str>) -> bool {
        match self {
            WriteCondition::IfScheduleTagMatch(tag) => current == Some(tag.as_str()),
            _ => true,
        }
    }
}

/// What a successful PUT did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutOutcome {
    /// True when the object did not exist before.
    pub created: bool,
    /// The stored object.
    pub meta: ObjectMeta,
}

/// A member's latest change since a sync token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Member name (a sub-collection's ends with `/`).
    pub name: String,
    /// Revision of the change.
    pub revision: i64,
    /// The object now, `None` when deleted (or a sub-collection).
    pub object: Option<ObjectMeta>,
    /// True when the member was deleted.
    pub deleted: bool,
}

/// One operation of a PROPPATCH, applied all or nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropertyChange {
    /// Set a dead property (Clark name, verbatim XML).
    Set(String, String),
    /// Remove a dead property.
    Remove(String),
}

/// An active WebDAV lock (RFC 4918 §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lock {
    /// The lock token (`urn:uuid:…`).
    pub token: String,
    /// Decoded path of the lock root (collections end with `/`).
    pub path: String,
    /// Depth infinity (covers everything below a collection) or 0.
    pub depth_infinity: bool,
    /// Exclusive or shared.
    pub exclusive: bool,
    /// The client's `<D:owner>` content, verbatim.
    pub owner_xml: Option<String>,
    /// Who took the lock.
    pub principal_id: PrincipalId,
    /// The granted timeout in seconds.
    pub timeout_secs: i64,
    /// When it lapses, Unix seconds.
    pub expires_at: i64,
}

impl Lock {
    /// Whether the lock applies to `path`: its root, or below it for depth infinity.
    pub fn covers(&self, path: &str) -> bool {
        path == self.path || (self.depth_infinity && self.path.ends_with('/') && path.starts_with(&self.path))
    }
}

/// Who a grant is for (RFC 3744 §5.5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Grantee {
    /// A user, group or resource.
    Principal(PrincipalId),
    /// Every authenticated user (`DAV:authenticated`).
    Authenticated,
    /// Requests without credentials (`DAV:unauthenticated`).
    Unauthenticated,
    /// Everyone (`DAV:all`).
    All,
}

/// One grant on a collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The collection it is set on.
    pub collection_id: CollectionId,
    /// Who.
    pub grantee: Grantee,
    /// Granted privileges, a bit set defined by the core.
    pub privileges: i64,
}

/// The access a share gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShareAccess {
    /// Read everything (private events excepted, see the core).
    Read,
    /// Read and write.
    ReadWrite,
    /// Free/busy time only.
    FreeBusy,
}

impl ShareAccess {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ShareAccess::Read => "read",
            ShareAccess::ReadWrite => "read-write",
            ShareAccess::FreeBusy => "freebusy",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "read" => ShareAccess::Read,
            "read-write" => ShareAccess::ReadWrite,
            "freebusy" => ShareAccess::FreeBusy,
            _ => return None,
        })
    }
}

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShareStatus {
    /// Offered, not yet answered.
    Pending,
    /// Accepted: mounted in the sharee's home.
    Accepted,
    /// Declined.
    Declined,
}

impl ShareStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ShareStatus::Pending => "pending",
            ShareStatus::Accepted => "accepted",
            ShareStatus::Declined => "declined",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => ShareStatus::Pending,
            "accepted" => ShareStatus::Accepted,
            "declined" => ShareStatus::Declined,
            _ => return None,
        })
    }
}

/// A collection shared with a principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    /// Row id.
    pub id: i64,
    /// The owner's collection.
    pub collection_id: CollectionId,
    /// The user or group it is shared with.
    pub sharee_id: PrincipalId,
    /// What the sharee may do.
    pub access: ShareAccess,
    /// Invitation state.
    pub status: ShareStatus,
    /// Where it appears in the sharee's home, once accepted.
    pub mount_path: Option<String>,
    /// The owner's note with the invitation.
    pub summary: Option<String>,
    /// When it was offered.
    pub created_at: i64,
}

/// What a COPY of collections puts in place of the classified objects its
/// copier may not read in full (decided by the domain, applied by the store).
#[derive(Debug, Clone, Default)]
pub struct CopyShaping {
    /// Source collections whose classified objects must be shaped.
    pub restricted: Vec<CollectionId>,
    /// What replaces each of them.
    pub replacements: Vec<ShapedObject>,
}

/// One classified object of a [`CopyShaping`].
#[derive(Debug, Clone)]
pub struct ShapedObject {
    /// Its source collection.
    pub collection: CollectionId,
    /// Its name.
    pub name: String,
    /// The entity tag of the stored object the replacement was made from.
    pub etag: String,
    /// What the copy holds instead; `None` leaves it out.
    pub replacement: Option<NewObject>,
}

/// What a client's write must still find true inside its transaction, besides its
/// condition: no lock it did not submit the token of (RFC 4918 §7), and room in
/// its owner's quota (RFC 4331). The domain decides which paths and whose quota;
/// the store checks them on the open transaction, so a LOCK or another write
/// landing between a check and the write cannot slip through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteRules {
    /// The paths the write touches.
    pub locks: Vec<LockCheck>,
    /// The lock tokens the request submitted.
    pub tokens: Vec<String>,
    /// Who writes: a lock is passed only with its own owner's token.
    pub principal: Option<PrincipalId>,
    /// Whose stored bytes may not grow past the limit.
    pub quota: Option<QuotaCheck>,
    /// What a deletion removes is kept in the trash (a user's calendar or
    /// address book data; never what the server fills or schedule boxes).
    pub trash: bool,
    /// Who writes, from where: the write adds its row to the audit log in its
    /// own transaction (what it did is the store's to say: created or changed).
    pub audit: Option<crate::AuditContext>,
}

impl WriteRules {
    /// A write the server makes (deliveries, the directory, feeds): no rule.
    pub const NONE: WriteRules =
        WriteRules { locks: Vec::new(), tokens: Vec::new(), principal: None, quota: None, trash: false, audit: None };
}

/// One path a write touches (locks are stored by path; collections end with `/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockCheck {
    /// The path.
    pub path: String,
    /// Locks anywhere below count too (DELETE or MOVE of a collection).
    pub recursive: bool,
    /// Only when the write adds or removes a member here (a lock on a collection
    /// protects its membership even at depth 0, RFC 4918 §7.4).
    pub membership: bool,
}

/// The quota a write must respect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaCheck {
    /// The principal whose objects count.
    pub owner: PrincipalId,
    /// Bytes they may store.
    pub limit: i64,
}
