//! The notifications collection of CalendarServer sharing (`CS:notification-URL`,
//! calendars/NAME/notifications/): Apple clients learn of a share offered to the
//! user from an invite notification there, and the owner learns of the answer from
//! an invite-reply notification. The server alone writes them; the user reads and
//! deletes them. Deleting an invitation's notification only dismisses it: the
//! share stays pending (a client that deletes after answering must not undo the
//! answer).

use agora_dav_xml::{escape_text, href};
use agora_store::{Collection, CollectionKind, NewObject, PrincipalId, Share, ShareAccess, WriteCondition};

use super::{Resources, homes, validate};
use crate::error::Result;
use crate::now;

const CS: &str = "http://calendarserver.org/ns/";
const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<CS:notification xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/" xmlns:C="urn:ietf:params:xml:ns:caldav">"#;

/// Name of the invitation's notification in the sharee's collection.
fn invite_name(share: &Share) -> String {
    format!("invite-{}.xml", share.id)
}

/// Name of the answer's notification in the owner's collection.
fn reply_name(share: &Share) -> String {
    format!("reply-{}.xml", share.id)
}

fn shared_type(c: &Collection) -> &'static str {
    if c.kind == CollectionKind::Addressbook { "addressbook" } else { "calendar" }
}

impl Resources<'_> {
    /// Puts (or refreshes) the invite notification of a pending share in the
    /// sharee's collection.
    pub(super) async fn notify_invite(&self, c: &Collection, share: &Share) -> Result<()> {
        let owner = self.principal(c.owner_id).await?;
        let sharee = self.principal(share.sharee_id).await?;
        // CalendarServer has no free/busy level: Agora names its own, as in `invite`.
        let access = match share.access {
            ShareAccess::ReadWrite => "<CS:read-write/>",
            ShareAccess::Read => "<CS:read/>",
            ShareAccess::FreeBusy => "<A:read-free-busy xmlns:A=\"urn:x-agora:ns\"/>",
        };
        let components = if c.kind == CollectionKind::Calendar {
            let comps: String = c.components.names().map(|n| format!("<C:comp name=\"{n}\"/>")).collect();
            format!("<C:supported-calendar-component-set>{comps}</C:supported-calendar-component-set>")
        } else {
            String::new()
        };
        let body = format!(
            "{HEAD}<CS:dtstamp>{stamp}</CS:dtstamp><CS:invite-notification shared-type=\"{kind}\">\
             <CS:uid>invite-{id}</CS:uid><D:href>{sharee}</D:href><CS:invite-noresponse/>\
             <CS:access>{access}</CS:access><CS:hosturl><D:href>{host}</D:href></CS:hosturl>\
             <CS:organizer><D:href>{organizer}</D:href><CS:common-name>{name}</CS:common-name></CS:organizer>\
             <CS:summary>{summary}</CS:summary>{components}</CS:invite-notification></CS:notification>\n",
            stamp = agora_ical::format_utc(now()),
            kind = shared_type(c),
            id = share.id,
            sharee = escape_text(&address(&sharee)),
            host = escape_text(&href(&c.path)),
            organizer = escape_text(&address(&owner)),
            name = escape_text(&owner.display_name),
            summary = escape_text(share.summary.as_deref().unwrap_or(c.name())),
        );
        self.write_notification(share.sharee_id, &invite_name(share), "invite-notification", shared_type(c), body).await
    }

    /// After the sharee answered: their invitation goes, the owner is told.
    pub(super) async fn notify_answer(&self, c: &Collection, share: &Share, accepted: bool) -> Result<()> {
        self.remove_notification(share.sharee_id, &invite_name(share)).await?;
        let sharee = self.principal(share.sharee_id).await?;
        let answer = if accepted { "<CS:invite-accepted/>" } else { "<CS:invite-declined/>" };
        let body = format!(
            "{HEAD}<CS:dtstamp>{stamp}</CS:dtstamp><CS:invite-reply><D:href>{sharee}</D:href>\
             <CS:common-name>{name}</CS:common-name>{answer}<CS:hosturl><D:href>{host}</D:href></CS:hosturl>\
             <CS:in-reply-to>invite-{id}</CS:in-reply-to></CS:invite-reply></CS:notification>\n",
            stamp = agora_ical::format_utc(now()),
            sharee = escape_text(&address(&sharee)),
            name = escape_text(&sharee.display_name),
            host = escape_text(&href(&c.path)),
            id = share.id,
        );
        self.write_notification(c.owner_id, &reply_name(share), "invite-reply", shared_type(c), body).await
    }

    /// A withdrawn invitation disappears from the sharee's notifications.
    pub(super) async fn withdraw_invite(&self, share: &Share) -> Result<()> {
        self.remove_notification(share.sharee_id, &invite_name(share)).await
    }

    async fn notifications_of(&self, user: PrincipalId) -> Result<Option<Collection>> {
        let p = self.principal(user).await?;
        let path = format!("{}{}/", homes::calendar_home(&p.name), homes::defaults::NOTIFICATIONS);
        let found = self.store().collection(&path).await?;
        if found.is_none() {
            // The user never connected: provision their homes now, so that the
            // notification waits for their first client.
            self.store().provision(&homes::initial_collections(&p), now()).await?;
            return Ok(self.store().collection(&path).await?);
        }
        Ok(found)
    }

    async fn write_notification(
        &self,
        user: PrincipalId,
        name: &str,
        kind: &str,
        shared: &str,
        body: String,
    ) -> Result<()> {
        let Some(c) = self.notifications_of(user).await? else { return Ok(()) };
        let object = NewObject {
            uid: None,
            etag: validate::etag(body.as_bytes()),
            content_type: "application/xml; charset=utf-8".into(),
            data: body.into_bytes(),
            component: None,
            span_start: None,
            span_end: None,
            class: 0,
            schedule_tag: None,
            instances: None,
        };
        let put = self
            .store()
            .put_object(c.id, name, &object, &WriteCondition::Always, &agora_store::WriteRules::NONE, now())
            .await?;
        // CalendarServer's notificationtype, read by clients in the listing.
        let kind_xml = format!(
            "<CS:notificationtype xmlns:CS=\"{CS}\"><CS:{kind} shared-type=\"{shared}\"/></CS:notificationtype>"
        );
        self.store()
            .patch_object(
                put.meta.id,
                &[agora_store::PropertyChange::Set(format!("{{{CS}}}notificationtype"), kind_xml)],
                &agora_store::WriteRules::NONE,
                now(),
            )
            .await?;
        Ok(())
    }

    async fn remove_notification(&self, user: PrincipalId, name: &str) -> Result<()> {
        if let Some(c) = self.notifications_of(user).await? {
            self.store()
                .delete_object(c.id, name, &WriteCondition::Always, &agora_store::WriteRules::NONE, now())
                .await?;
        }
        Ok(())
    }
}

fn address(p: &agora_store::Principal) -> String {
    match p.emails.first() {
        Some(e) => format!("mailto:{e}"),
        None => format!("/principals/{}/", p.name),
    }
}
