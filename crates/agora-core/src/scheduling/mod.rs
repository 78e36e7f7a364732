//! Scheduling (RFC 6638 implicit scheduling, RFC 5546 iTIP, RFC 6047 iMIP).
//!
//! The server acts for the calendar's owner, whoever wrote: a PUT or DELETE of a
//! scheduling object in an organiser's calendar sends REQUEST/CANCEL to every
//! attendee; one in an attendee's copy sends a REPLY to the organiser. Messages to
//! calendar users of this server are delivered at once (inbox item + their copy);
//! others go out by e-mail through the queue. The same delivery code takes iTIP
//! arriving by e-mail (LMTP, `agora deliver`), so CalDAV and iMIP behave alike.
//!
//! # Layout
//! - `address`: calendar user addresses of principals.
//! - `implicit`: what a client's PUT/DELETE sends (organiser and attendee side).
//! - `deliver`: delivery to local users, rooms that answer by themselves.
//! - `bookers`: who may book a room or piece of equipment.
//! - `busy`: free/busy of a principal (calendars + working hours), the outbox POST.
//! - `imip`: the outgoing mail queue and incoming mail.

mod address;
mod bookers;
mod busy;
mod deliver;
mod imip;
mod implicit;

pub use agora_store::{MailStatus, QueuedMail};
pub use busy::{FreeBusyAnswer, xml_text as dead_property_text};
pub use imip::{ImipConfig, IncomingError};

use agora_store::{Collection, CollectionKind, NewObject, Principal, PrincipalKind};

use crate::error::Result;
use crate::resources::homes;
use crate::{Core, now};

/// How long a room's answer may look ahead: a recurring booking is checked for
/// conflicts over this many seconds from now (two years).
const BOOKING_HORIZON: i64 = 2 * 366 * 86_400;

/// A fresh Schedule-Tag (RFC 6638 §3.2.10): opaque, changes on every tagged write.
pub(crate) fn new_schedule_tag() -> String {
    use rand::Rng;
    format!("{:016x}", rand::thread_rng().r#gen::<u64>())
}

/// A fresh object name for server-created objects (inbox items, attendee copies).
fn new_object_name() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    format!("{:016x}{:016x}.ics", rng.r#gen::<u64>(), rng.r#gen::<u64>())
}

impl Core {
    /// A principal's own calendars that take events (not subscriptions, not mounts).
    async fn calendars_of(&self, p: &Principal) -> Result<Vec<Collection>> {
        self.provision_homes_of(p).await?;
        Ok(self
            .store
            .collections_of(p.id)
            .await?
            .into_iter()
            .filter(|c| c.kind == CollectionKind::Calendar && c.source.is_none() && c.share_id.is_none())
            .collect())
    }

    /// Where new invitations land: the default calendar, else the first calendar
    /// that takes events (RFC 6638 §9.2 schedule-default-calendar-URL).
    async fn default_calendar(&self, p: &Principal) -> Result<Option<Collection>> {
        let calendars = self.calendars_of(p).await?;
        let default = format!("{}{}/", homes::calendar_home(&p.name), homes::defaults::CALENDAR);
        Ok(calendars
            .iter()
            .find(|c| c.path == default)
            .or_else(|| calendars.iter().find(|c| c.components.allows("VEVENT")))
            .cloned())
    }

    /// The schedule inbox of a principal.
    async fn inbox_of(&self, p: &Principal) -> Result<Option<Collection>> {
        self.provision_homes_of(p).await?;
        let path = format!("{}{}/", homes::calendar_home(&p.name), homes::defaults::INBOX);
        Ok(self.store.collection(&path).await?.filter(|c| c.kind == CollectionKind::Inbox))
    }

    /// Files an iTIP message in a principal's inbox (RFC 6638 §4.1): clients read
    /// and delete these; the calendar copy was already updated.
    async fn file_in_inbox(&self, p: &Principal, itip: &str) -> Result<()> {
        let Some(inbox) = self.inbox_of(p).await? else { return Ok(()) };
        let data = itip.as_bytes().to_vec();
        let object = NewObject {
            // Several messages may share a UID: the inbox does not index it.
            uid: None,
            etag: crate::resources::etag(&data),
            content_type: "text/calendar; charset=utf-8".into(),
            component: component_of(itip),
            data,
            span_start: None,
            span_end: None,
            class: 0,
            schedule_tag: None,
            instances: None,
        };
        self.store
            .put_object(
                inbox.id,
                &new_object_name(),
                &object,
                &agora_store::WriteCondition::IfNoneMatchAny,
                &agora_store::WriteRules::NONE,
                now(),
            )
            .await?;
        Ok(())
    }
}

/// The main component name of an iCalendar text (VEVENT, VTODO, VFREEBUSY).
fn component_of(text: &str) -> Option<String> {
    let node = agora_ical::content::parse(text)?;
    node.children.iter().map(|c| c.name.clone()).find(|n| n != "VTIMEZONE")
}

/// Whether a principal answers invitations by itself (rooms and equipment
/// unless an administrator turned that off: then a person answers for it, and
/// its copy waits in NEEDS-ACTION like anyone's).
fn answers_itself(p: &Principal) -> bool {
    p.kind == PrincipalKind::Resource && p.settings.auto_accept
}
