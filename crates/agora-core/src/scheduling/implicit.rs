//! What a client's write of a scheduling object makes the server send (RFC 6638
//! §3.2): the server acts for the calendar's owner, so a delegate's or sharee's
//! write is scheduled as the owner's, exactly once per attendee.

use agora_ical::itip::{self, Outgoing, Scheduling};
use agora_store::{
    Collection, CollectionKind, NewObject, ObjectMeta, Principal, PutOutcome, WriteCondition, WriteRules,
};

use super::{address, now};
use crate::error::{Result, Rule};
use crate::resources::Resources;

/// The owner's part in a scheduling object.
enum Role {
    Organizer,
    /// An attendee, by the address the event lists them with.
    Attendee(String),
}

/// `None` when the owner neither organises nor attends.
fn role(owner: &Principal, s: &Scheduling) -> Option<Role> {
    if address::names(owner, &s.organizer) {
        return Some(Role::Organizer);
    }
    s.attendees.iter().find(|a| address::names(owner, &a.address)).map(|a| Role::Attendee(a.address.clone()))
}

impl Resources<'_> {
    /// Stores a calendar object a client wrote (already authorised and
    /// validated), scheduling as RFC 6638 says. Returns the outcome and whether
    /// the stored bytes differ from the client's (then no ETag may be sent).
    pub(crate) async fn put_scheduled(
        &self,
        c: &Collection,
        name: &str,
        mut object: NewObject,
        condition: &WriteCondition,
        rules: &WriteRules,
    ) -> Result<(PutOutcome, bool)> {
        let text = String::from_utf8_lossy(&object.data).into_owned();
        let Some(sched) = itip::scheduling(&text) else {
            return Ok((self.store().put_object(c.id, name, &object, condition, rules, now()).await?, false));
        };
        let owner = self.principal(c.owner_id).await?;
        // An event the owner neither organises nor attends (an invitation copied
        // from elsewhere) is stored as it is, without reading what it replaces.
        let Some(role) = role(&owner, &sched) else {
            object.schedule_tag = None;
            return Ok((self.store().put_object(c.id, name, &object, condition, rules, now()).await?, false));
        };
        if let Some((k, other)) = self.core.other_scheduling_object(&owner, &sched.uid, (c, name), None).await? {
            return self.put_elsewhere(&role, (c, name), object, condition, (&k, other), &owner).await;
        }
        let old = self.store().object(c.id, name).await?;
        let old_text = old.as_ref().map(|o| String::from_utf8_lossy(&o.data).into_owned());
        object.schedule_tag = Some(super::new_schedule_tag());
        match role {
            Role::Organizer => {
                let outcome = itip::organizer_messages(old_text.as_deref(), Some(&text), now());
                let mut stored = outcome.stored.unwrap_or_else(|| text.clone());
                let statuses = self.core.delivery_statuses(&outcome.messages).await?;
                if !statuses.is_empty() {
                    stored = itip::set_schedule_status(&stored, &statuses);
                }
                let changed = stored != text;
                if changed {
                    let tag = object.schedule_tag.take();
                    object = crate::resources::validate::calendar(c, stored.into_bytes(), None)?;
                    object.schedule_tag = tag;
                }
                let put = self.store().put_object(c.id, name, &object, condition, rules, now()).await?;
                let origin = format!("{}{name}", c.path);
                self.core.dispatch(&owner, &outcome.messages, Some(&origin)).await;
                Ok((put, changed))
            }
            Role::Attendee(me) => {
                // RFC 6638 §3.2.10: the attendee's own changes (their answer,
                // alarms) keep the Schedule-Tag; only the organiser's updates
                // delivered by the server change it.
                if let Some(o) = &old {
                    object.schedule_tag = o.meta.schedule_tag.clone().or(object.schedule_tag.take());
                }
                let put = self.store().put_object(c.id, name, &object, condition, rules, now()).await?;
                // A copy the attendee creates is an import (their client already
                // answered, or the organiser is not scheduling through us).
                if let Some(old_text) = &old_text
                    && let Some(reply) = itip::attendee_reply(Some(old_text), Some(&text), &me, now())
                {
                    self.core.dispatch(&owner, &[reply], None).await;
                }
                Ok((put, false))
            }
        }
    }

    /// A PUT of a scheduling object the owner already has under another name
    /// (RFC 6638 §3.2.4.1 allows one). An attendee's new resource is taken as
    /// that object moved there: Evolution and others save an accepted invitation
    /// into the calendar the user picked, and the answer must reach the
    /// organiser. The old one goes in the same transaction (with its dead
    /// properties and Schedule-Tag), and the answer is read against it.
    /// Anything else — the organiser's second copy, a PUT onto an existing
    /// name — is refused with `unique-scheduling-object-resource`.
    async fn put_elsewhere(
        &self,
        role: &Role,
        (c, name): (&Collection, &str),
        mut object: NewObject,
        condition: &WriteCondition,
        (k, other): (&Collection, agora_store::Object),
        owner: &Principal,
    ) -> Result<(PutOutcome, bool)> {
        let refuse = || Err(Rule::UniqueSchedulingObject { path: format!("{}{}", k.path, other.meta.name) }.into());
        let Role::Attendee(me) = role else { return refuse() };
        if self.store().object_meta(c.id, name).await?.is_some() {
            return refuse();
        }
        if !condition.allows(None) {
            return Err(crate::CoreError::PreconditionFailed);
        }
        let leaving = self.lock_path(k, &other.meta.name).await?;
        let mut checks = Self::lock_checks(&self.lock_path(c, name).await?, false);
        checks.extend(Self::lock_checks(&leaving, true));
        let rules = self.write_rules(checks, Some(c.owner_id)).await?;
        object.schedule_tag = other.meta.schedule_tag.clone().or_else(|| Some(super::new_schedule_tag()));
        let text = String::from_utf8_lossy(&object.data).into_owned();
        let put = self
            .store()
            .transfer_object(k.id, &other.meta.name, c.id, name, &object, true, false, &rules, now())
            .await?;
        // Locks stay with their URL (RFC 4918 §9.9.4), which no longer names anything.
        self.forget_locks(&leaving).await?;
        let old_text = String::from_utf8_lossy(&other.data);
        if let Some(reply) = itip::attendee_reply(Some(&old_text), Some(&text), me, now()) {
            self.core.dispatch(owner, &[reply], None).await;
        }
        Ok((put, false))
    }

    /// A COPY or MOVE of `object` from `src` to `dst_name` in `dst`: when it is a
    /// scheduling object of the destination's owner, it must be their only one
    /// with its UID (RFC 6638 §3.2.4.1) and it carries a Schedule-Tag (kept by a
    /// MOVE among the owner's calendars, new otherwise), which is returned.
    pub(crate) async fn transferred_scheduling(
        &self,
        (src, src_meta): (&Collection, &ObjectMeta),
        (dst, dst_name): (&Collection, &str),
        object: &NewObject,
        delete_source: bool,
    ) -> Result<Option<String>> {
        if dst.kind != CollectionKind::Calendar {
            return Ok(None);
        }
        let Some(sched) = itip::scheduling(&String::from_utf8_lossy(&object.data)) else { return Ok(None) };
        let owner = self.principal(dst.owner_id).await?;
        if role(&owner, &sched).is_none() {
            return Ok(None);
        }
        let leaving = delete_source.then_some((src, src_meta.name.as_str()));
        if let Some((k, o)) = self.core.other_scheduling_object(&owner, &sched.uid, (dst, dst_name), leaving).await? {
            return Err(Rule::UniqueSchedulingObject { path: format!("{}{}", k.path, o.meta.name) }.into());
        }
        Ok(Some(match &src_meta.schedule_tag {
            Some(tag) if delete_source && src.owner_id == dst.owner_id => tag.clone(),
            _ => super::new_schedule_tag(),
        }))
    }

    /// After a client deleted a scheduling object: the organiser's deletion
    /// cancels the meeting, an attendee's declines it (unless the client asked
    /// for no reply with CalendarServer's `Schedule-Reply: F`).
    pub(crate) async fn deleted_scheduled(&self, c: &Collection, old: &[u8], reply: bool) -> Result<()> {
        let text = String::from_utf8_lossy(old);
        let Some(sched) = itip::scheduling(&text) else { return Ok(()) };
        let owner = self.principal(c.owner_id).await?;
        let messages: Vec<Outgoing> = match role(&owner, &sched) {
            Some(Role::Organizer) => itip::organizer_messages(Some(&text), None, now()).messages,
            Some(Role::Attendee(me)) if reply => {
                itip::attendee_reply(Some(&text), None, &me, now()).into_iter().collect()
            }
            _ => Vec::new(),
        };
        self.core.dispatch(&owner, &messages, None).await;
        Ok(())
    }
}
