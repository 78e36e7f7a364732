//! Records of the directory as the store keeps them.

/// Row id of a principal.
pub type PrincipalId = i64;

/// The three sorts of principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    /// A person who can log in.
    User,
    /// A set of users and groups.
    Group,
    /// A room or a piece of equipment that can be booked.
    Resource,
}

impl PrincipalKind {
    /// The value stored in the `kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::User => "user",
            PrincipalKind::Group => "group",
            PrincipalKind::Resource => "resource",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "user" => Some(PrincipalKind::User),
            "group" => Some(PrincipalKind::Group),
            "resource" => Some(PrincipalKind::Resource),
            _ => None,
        }
    }
}

/// What a resource principal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    /// A meeting room (iCalendar CUTYPE=ROOM).
    Room,
    /// Equipment such as a projector or a car (CUTYPE=RESOURCE).
    Equipment,
}

impl ResourceKind {
    /// The value stored in the `resource_kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Room => "room",
            ResourceKind::Equipment => "equipment",
        }
    }

    /// Parses the stored or user-given name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "room" => Some(ResourceKind::Room),
            "equipment" => Some(ResourceKind::Equipment),
            _ => None,
        }
    }
}

/// A principal with its addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Row id.
    pub id: PrincipalId,
    /// User, group or resource.
    pub kind: PrincipalKind,
    /// Unique, lower-case name (login name for users).
    pub name: String,
    /// Human-readable name.
    pub display_name: String,
    /// Set for resources only.
    pub resource_kind: Option<ResourceKind>,
    /// E-mail addresses, lower-case, the preferred one first.
    pub emails: Vec<String>,
    /// Creation time, seconds since the Unix epoch.
    pub created_at: i64,
    /// What an administrator set on it.
    pub settings: Settings,
}

/// What an administrator sets on a principal; the core decides what each means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// A user who may administer the server.
    pub administrator: bool,
    /// A user who may not sign in by any means.
    pub disabled: bool,
    /// Bytes this principal may store: `None` follows the server's quota,
    /// `Some(0)` is unlimited.
    pub quota_bytes: Option<u64>,
    /// How many people a room holds (resources; `None`: not said).
    pub capacity: Option<u32>,
    /// Whether a resource answers invitations by itself.
    pub auto_accept: bool,
    /// The group whose members may book a resource (`None`: anyone).
    pub bookers: Option<PrincipalId>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            administrator: false,
            disabled: false,
            quota_bytes: None,
            capacity: None,
            auto_accept: true,
            bookers: None,
        }
    }
}

/// Sizes of the store, for the administrators' health page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// User principals.
    pub users: u64,
    /// Group principals.
    pub groups: u64,
    /// Rooms and equipment.
    pub resources: u64,
    /// Collections (homes included).
    pub collections: u64,
    /// Stored objects.
    pub objects: u64,
}

/// A principal to create.
#[derive(Debug, Clone)]
pub struct NewPrincipal {
    /// User, group or resource.
    pub kind: PrincipalKind,
    /// Unique, already normalised name.
    pub name: String,
    /// Human-readable name.
    pub display_name: String,
    /// Set for resources only.
    pub resource_kind: Option<ResourceKind>,
    /// Normalised e-mail addresses, preferred first.
    pub emails: Vec<String>,
    /// Argon2id PHC string, for users.
    pub password_hash: Option<String>,
}

/// What authentication needs to know about a login.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    /// The user's id.
    pub id: PrincipalId,
    /// The user's name (the login may have been an e-mail address).
    pub name: String,
    /// Argon2id PHC string of the account password, if one is set.
    pub password_hash: Option<String>,
    /// Current credential epoch, see [`crate::DirectoryStore::auth_epoch`].
    pub auth_epoch: i64,
    /// The account may not sign in.
    pub disabled: bool,
}

/// A per-device password, without its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPassword {
    /// Row id.
    pub id: i64,
    /// The owner.
    pub principal_id: PrincipalId,
    /// The user's name for the device ("phone", "laptop").
    pub label: String,
    /// Creation time, seconds since the Unix epoch.
    pub created_at: i64,
}
