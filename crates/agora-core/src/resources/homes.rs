//! The resource name space of a principal and what a new user starts with.
//!
//! Paths are decoded, without a leading slash, and end with `/` for collections:
//! `calendars/NAME/` and `addressbooks/NAME/` are the homes. New users get separate
//! collections for events, tasks and notes: mixed collections make iOS create
//! "Reminders" calendars over and over (interop note).

use agora_store::{CollectionKind, Components, Grantee, NewCollection, Principal, PrincipalKind};

/// First segment of calendar homes.
pub const CALENDARS: &str = "calendars";
/// First segment of address-book homes.
pub const ADDRESSBOOKS: &str = "addressbooks";

/// `calendars/NAME/`
pub fn calendar_home(name: &str) -> String {
    format!("{CALENDARS}/{name}/")
}

/// `addressbooks/NAME/`
pub fn addressbook_home(name: &str) -> String {
    format!("{ADDRESSBOOKS}/{name}/")
}

/// Names of the collections every user starts with.
pub mod defaults {
    /// Events.
    pub const CALENDAR: &str = "calendar";
    /// Tasks.
    pub const TASKS: &str = "tasks";
    /// Journal entries.
    pub const NOTES: &str = "notes";
    /// Scheduling inbox.
    pub const INBOX: &str = "inbox";
    /// Scheduling outbox.
    pub const OUTBOX: &str = "outbox";
    /// Contacts.
    pub const CONTACTS: &str = "contacts";
    /// Sharing notifications (CalendarServer `notification-URL`).
    pub const NOTIFICATIONS: &str = "notifications";
}

/// What everyone starts with on a schedule inbox: every signed-in user of the
/// organisation may see their free/busy (times only), as Exchange's default does.
/// The owner narrows it with the ACL method on the inbox (RFC 3744 §8.1); the
/// outbox POST and the `/freebusy/` URL check `CALDAV:read-free-busy` there.
pub fn inbox_grants() -> Vec<(Grantee, i64)> {
    vec![(Grantee::Authenticated, crate::acl::Privileges::READ_FREE_BUSY)]
}

/// The collections a principal starts with, parents first. Users get both homes;
/// rooms and equipment a calendar and schedule boxes; groups nothing.
pub fn initial_collections(p: &Principal) -> Vec<NewCollection> {
    let owner = p.id;
    let coll = |path: String, parent: Option<String>, kind, components| NewCollection {
        owner_id: owner,
        path,
        parent_path: parent,
        kind,
        components: Components(components),
        properties: Vec::new(),
        source: None,
        grants: if kind == CollectionKind::Inbox { inbox_grants() } else { Vec::new() },
    };
    let cal_home = calendar_home(&p.name);
    let in_cal = |name: &str| format!("{cal_home}{name}/");
    let mut out = match p.kind {
        PrincipalKind::Group => return Vec::new(),
        PrincipalKind::User | PrincipalKind::Resource => vec![
            coll(cal_home.clone(), None, CollectionKind::CalendarHome, 0),
            coll(in_cal(defaults::CALENDAR), Some(cal_home.clone()), CollectionKind::Calendar, Components::EVENT),
            coll(in_cal(defaults::INBOX), Some(cal_home.clone()), CollectionKind::Inbox, 0),
            coll(in_cal(defaults::OUTBOX), Some(cal_home.clone()), CollectionKind::Outbox, 0),
        ],
    };
    if p.kind == PrincipalKind::User {
        let book_home = addressbook_home(&p.name);
        out.extend([
            coll(in_cal(defaults::TASKS), Some(cal_home.clone()), CollectionKind::Calendar, Components::TODO),
            coll(in_cal(defaults::NOTES), Some(cal_home.clone()), CollectionKind::Calendar, Components::JOURNAL),
            coll(book_home.clone(), None, CollectionKind::AddressbookHome, 0),
            coll(format!("{book_home}{}/", defaults::CONTACTS), Some(book_home), CollectionKind::Addressbook, 0),
            coll(in_cal(defaults::NOTIFICATIONS), Some(cal_home.clone()), CollectionKind::Notifications, 0),
            NewCollection {
                properties: crate::birthdays::initial_properties(),
                source: Some(crate::birthdays::SOURCE.into()),
                ..coll(
                    in_cal(crate::birthdays::NAME),
                    Some(cal_home.clone()),
                    CollectionKind::Calendar,
                    Components::EVENT,
                )
            },
        ]);
    }
    out
}

impl crate::Core {
    /// Creates a principal's homes and default collections where missing: on a
    /// user's first request, and before anything is delivered to a principal
    /// that never signs in (rooms, equipment, users who have not logged in yet).
    pub(crate) async fn provision_homes_of(&self, p: &Principal) -> crate::Result<()> {
        // A user seen in the last minute has everything already.
        if self.homes.fresh(p.id) {
            return Ok(());
        }
        let initial = initial_collections(p);
        // The last one is the newest kind: principals created before it get it too.
        if let Some(last) = initial.last()
            && self.store.collection(&last.path).await?.is_none()
        {
            self.store.provision(&initial, crate::now()).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(kind: PrincipalKind) -> Principal {
        Principal {
            id: 1,
            kind,
            name: "x".into(),
            display_name: "X".into(),
            resource_kind: None,
            emails: vec![],
            created_at: 0,
            settings: Default::default(),
        }
    }

    #[test]
    fn users_get_separate_collections_per_component() {
        let all = initial_collections(&principal(PrincipalKind::User));
        let paths: Vec<_> = all.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "calendars/x/",
                "calendars/x/calendar/",
                "calendars/x/inbox/",
                "calendars/x/outbox/",
                "calendars/x/tasks/",
                "calendars/x/notes/",
                "addressbooks/x/",
                "addressbooks/x/contacts/",
                "calendars/x/notifications/",
                "calendars/x/birthdays/"
            ]
        );
        let calendars: Vec<_> = all.iter().filter(|c| c.kind == CollectionKind::Calendar).collect();
        let birthdays = all.last().unwrap();
        assert_eq!(birthdays.source.as_deref(), Some(crate::birthdays::SOURCE), "filled by the server");
        assert!(calendars.iter().all(|c| c.components.names().count() == 1));
        // Parents always come before their children.
        for (i, c) in all.iter().enumerate() {
            if let Some(parent) = &c.parent_path {
                assert!(all[..i].iter().any(|p| &p.path == parent), "{} before its parent", c.path);
            }
        }
    }

    #[test]
    fn groups_get_nothing_and_rooms_a_calendar() {
        assert!(initial_collections(&principal(PrincipalKind::Group)).is_empty());
        let room = initial_collections(&principal(PrincipalKind::Resource));
        assert!(room.iter().any(|c| c.kind == CollectionKind::Calendar));
        assert!(room.iter().all(|c| c.kind != CollectionKind::AddressbookHome));
    }
}
