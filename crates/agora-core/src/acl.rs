//! Access control (RFC 3744), decided here for every request.
//!
//! A collection's owner holds every privilege; nothing else is implicit. Others get
//! what grants say: grants are set on collections (the ACL method, sharing) and
//! apply to everything below; a grant to a group applies to its members, through
//! nested groups; `DAV:authenticated` and `DAV:all` apply to every user. ACLs are
//! grant-only (no deny, no invert), which keeps evaluation order-free.

use agora_store::{Grant, Grantee, PrincipalId};

/// A set of privileges (RFC 3744 §3, RFC 4791 §6.1, RFC 6638 §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Privileges(pub i64);

impl Privileges {
    /// `DAV:read` (includes `CALDAV:read-free-busy`, RFC 4791 §6.1.1).
    pub const READ: i64 = 1;
    /// `DAV:write-content`.
    pub const WRITE_CONTENT: i64 = 2;
    /// `DAV:write-properties`.
    pub const WRITE_PROPERTIES: i64 = 4;
    /// `DAV:bind`: add members.
    pub const BIND: i64 = 8;
    /// `DAV:unbind`: remove members.
    pub const UNBIND: i64 = 16;
    /// `DAV:unlock`.
    pub const UNLOCK: i64 = 32;
    /// `DAV:read-acl`.
    pub const READ_ACL: i64 = 64;
    /// `DAV:read-current-user-privilege-set`.
    pub const READ_CUPS: i64 = 128;
    /// `DAV:write-acl`.
    pub const WRITE_ACL: i64 = 256;
    /// `CALDAV:read-free-busy`.
    pub const READ_FREE_BUSY: i64 = 512;
    /// `DAV:write` = write-content, write-properties, bind, unbind (§3.2).
    pub const WRITE: i64 = Self::WRITE_CONTENT | Self::WRITE_PROPERTIES | Self::BIND | Self::UNBIND;
    /// `DAV:all`.
    pub const ALL: i64 = (1 << 10) - 1;

    /// The names clients use, with the bits they stand for; aggregates first.
    pub const NAMES: [(&'static str, &'static str, i64); 12] = [
        ("DAV:", "all", Self::ALL),
        ("DAV:", "read", Self::READ | Self::READ_FREE_BUSY),
        ("DAV:", "write", Self::WRITE),
        ("DAV:", "write-properties", Self::WRITE_PROPERTIES),
        ("DAV:", "write-content", Self::WRITE_CONTENT),
        ("DAV:", "bind", Self::BIND),
        ("DAV:", "unbind", Self::UNBIND),
        ("DAV:", "unlock", Self::UNLOCK),
        ("DAV:", "read-acl", Self::READ_ACL),
        ("DAV:", "read-current-user-privilege-set", Self::READ_CUPS),
        ("DAV:", "write-acl", Self::WRITE_ACL),
        ("urn:ietf:params:xml:ns:caldav", "read-free-busy", Self::READ_FREE_BUSY),
    ];

    /// Whether every bit of `wanted` is held.
    pub fn has(self, wanted: i64) -> bool {
        self.0 & wanted == wanted
    }

    /// The bits of a named privilege, if it is one.
    pub fn named(ns: &str, local: &str) -> Option<i64> {
        Self::NAMES.iter().find(|(n, l, _)| *n == ns && *l == local).map(|(_, _, b)| *b)
    }

    /// The names of every privilege held, aggregates included (for
    /// `current-user-privilege-set`, which lists them expanded).
    pub fn names(self) -> Vec<(&'static str, &'static str)> {
        Self::NAMES.iter().filter(|(_, _, b)| self.has(*b)).map(|(n, l, _)| (*n, *l)).collect()
    }
}

/// Who is asking, as far as grants are concerned.
#[derive(Debug, Clone, Default)]
pub struct Subject {
    /// The user, `None` for an unauthenticated request.
    pub principal: Option<PrincipalId>,
    /// Every group the user belongs to, directly or not.
    pub groups: Vec<PrincipalId>,
}

/// The union of the grants that apply to `subject` (owner rights are decided by
/// the caller, who knows the owner).
pub fn granted(grants: &[Grant], subject: &Subject) -> Privileges {
    let applies = |g: &Grantee| match g {
        Grantee::All => true,
        Grantee::Authenticated => subject.principal.is_some(),
        Grantee::Unauthenticated => subject.principal.is_none(),
        Grantee::Principal(id) => subject.principal == Some(*id) || subject.groups.contains(id),
    };
    let mut bits = grants.iter().filter(|g| applies(&g.grantee)).fold(0, |acc, g| acc | g.privileges);
    // Whoever may read may see what they may do.
    if bits & Privileges::READ != 0 {
        bits |= Privileges::READ_CUPS;
    }
    Privileges(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(grantee: Grantee, bits: i64) -> Grant {
        Grant { collection_id: 1, grantee, privileges: bits }
    }

    #[test]
    fn grants_to_users_groups_and_everyone() {
        let grants = [
            grant(Grantee::Principal(7), Privileges::READ),
            grant(Grantee::Principal(20), Privileges::WRITE),
            grant(Grantee::Authenticated, Privileges::READ_FREE_BUSY),
        ];
        let alice = Subject { principal: Some(7), groups: vec![] };
        let bob_in_group = Subject { principal: Some(8), groups: vec![20] };
        let stranger = Subject { principal: Some(9), groups: vec![] };
        let anonymous = Subject::default();
        assert!(granted(&grants, &alice).has(Privileges::READ));
        assert!(!granted(&grants, &alice).has(Privileges::WRITE_CONTENT));
        assert!(granted(&grants, &bob_in_group).has(Privileges::WRITE));
        assert!(!granted(&grants, &bob_in_group).has(Privileges::READ));
        assert_eq!(granted(&grants, &stranger), Privileges(Privileges::READ_FREE_BUSY));
        assert_eq!(granted(&grants, &anonymous), Privileges(0));
    }

    #[test]
    fn names_list_aggregates_and_parts() {
        let all = Privileges(Privileges::ALL).names();
        assert_eq!(all.len(), Privileges::NAMES.len());
        let read = Privileges(Privileges::READ | Privileges::READ_FREE_BUSY | Privileges::READ_CUPS).names();
        assert!(
            read.contains(&("DAV:", "read")) && read.contains(&("urn:ietf:params:xml:ns:caldav", "read-free-busy"))
        );
        assert!(!read.contains(&("DAV:", "write")));
        assert_eq!(Privileges::named("DAV:", "write"), Some(Privileges::WRITE));
        assert_eq!(Privileges::named("DAV:", "bogus"), None);
    }
}
