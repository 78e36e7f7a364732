//! Delivery of iTIP messages to calendar users of this server (RFC 6638 §3.2,
//! §4.1): the message is filed in their inbox and their calendar is brought in
//! line with it. Rooms and equipment answer by themselves.

use agora_ical::TzSpec;
use agora_ical::freebusy::{Period, busy_periods};
use agora_ical::itip::{self, Method, Outgoing};
use agora_store::{Booked, Booking, BookingDecision, Collection, Object, Principal, WriteCondition};

use super::{BOOKING_HORIZON, address, answers_itself, new_object_name, new_schedule_tag, now};
use crate::Core;
use crate::error::{CoreError, Result};

/// Most instances one object contributes to a room's conflict check.
const MAX_BOOKING_INSTANCES: usize = 5_000;

/// RFC 6638 §3.2.9 request-status codes for SCHEDULE-STATUS.
pub(crate) mod status {
    /// Queued for e-mail.
    pub const PENDING: &str = "1.0";
    /// Sent by e-mail.
    pub const SENT: &str = "1.1";
    /// Delivered to a local inbox.
    pub const DELIVERED: &str = "1.2";
    /// Nobody this server can reach.
    pub const NO_SCHEDULING: &str = "5.3";
    /// E-mail failed for good.
    pub const UNDELIVERABLE: &str = "5.1";
}

impl Core {
    /// What SCHEDULE-STATUS each recipient of these messages gets when they are
    /// sent: delivered at once to local users, queued for e-mail otherwise.
    pub(crate) async fn delivery_statuses(&self, messages: &[Outgoing]) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        for m in messages {
            if !matches!(m.method, Method::Request | Method::Add) {
                continue;
            }
            let s = if self.local_principal(&m.recipient).await?.is_some() {
                status::DELIVERED
            } else if self.config.imip.enabled && address::mailbox(&m.recipient).is_some() {
                status::PENDING
            } else {
                status::NO_SCHEDULING
            };
            out.push((m.recipient.clone(), s.to_owned()));
        }
        Ok(out)
    }

    /// Sends messages from `from`: local recipients at once, others by e-mail.
    /// `origin` is the organiser's event (collection path + name) for statuses.
    /// A failure for one recipient is logged and does not stop the others: the
    /// sender's own write has already succeeded.
    pub(crate) async fn dispatch(&self, from: &Principal, messages: &[Outgoing], origin: Option<&str>) {
        for m in messages {
            let result = match self.local_principal(&m.recipient).await {
                Ok(Some(to)) if to.id == from.id => Ok(()),
                Ok(Some(to)) => match Box::pin(self.deliver_local(&to, &m.recipient, m.method, &m.text)).await {
                    // Their copy of the series is gone: the whole series instead.
                    Err(CoreError::NotFound { .. }) if m.fallback.is_some() => {
                        let whole = m.fallback.as_deref().unwrap_or_default();
                        Box::pin(self.deliver_local(&to, &m.recipient, Method::Request, whole)).await
                    }
                    other => other,
                },
                Ok(None) => self.queue_imip(from, &m.for_mail(), origin).await,
                Err(e) => Err(e),
            };
            if let Err(e) = result {
                tracing::warn!(method = m.method.as_str(), recipient = %m.recipient, error = %e, "scheduling message not delivered");
            }
        }
    }

    /// The copy of an event (by UID) among a principal's calendars.
    async fn copy_of(&self, p: &Principal, uid: &str) -> Result<Option<(Collection, Object)>> {
        let calendars = self.calendars_of(p).await?;
        let ids: Vec<_> = calendars.iter().map(|c| c.id).collect();
        let found = self.store.objects_by_uid(&ids, uid).await?.into_iter().next();
        Ok(found.and_then(|o| calendars.into_iter().find(|c| c.id == o.meta.collection_id).map(|c| (c, o))))
    }

    /// RFC 6638 §3.2.4.1: a user has one scheduling object per UID among their
    /// calendars. The one other than `(c, name)` (and than `leaving`, which a
    /// MOVE removes in the same write), if there is one.
    pub(crate) async fn other_scheduling_object(
        &self,
        p: &Principal,
        uid: &str,
        (c, name): (&Collection, &str),
        leaving: Option<(&Collection, &str)>,
    ) -> Result<Option<(Collection, Object)>> {
        let calendars = self.calendars_of(p).await?;
        let ids: Vec<_> = calendars.iter().map(|c| c.id).collect();
        let same = |o: &Object, (oc, on): (&Collection, &str)| o.meta.collection_id == oc.id && o.meta.name == on;
        // Only scheduling objects carry a Schedule-Tag: copies of others' events
        // the user neither organises nor attends do not count.
        let other = self
            .store
            .objects_by_uid(&ids, uid)
            .await?
            .into_iter()
            .find(|o| o.meta.schedule_tag.is_some() && !same(o, (c, name)) && !leaving.is_some_and(|l| same(o, l)));
        Ok(other.and_then(|o| calendars.into_iter().find(|k| k.id == o.meta.collection_id).map(|k| (k, o))))
    }

    /// Writes a server-made version of a calendar object; `tag` is its new
    /// Schedule-Tag, or `None` to keep the current one (RFC 6638 §3.2.10: an
    /// attendee's answer recorded in the organiser's copy does not change it).
    async fn write_copy(
        &self,
        c: &Collection,
        name: &str,
        text: String,
        tag: Option<String>,
        prev: Option<&Object>,
    ) -> Result<()> {
        let mut object = crate::resources::validate::calendar(c, text.into_bytes(), None)?;
        object.schedule_tag = tag.or_else(|| prev.and_then(|o| o.meta.schedule_tag.clone()));
        let condition = match prev {
            // Someone else's write in between wins; the message stays in the inbox.
            Some(o) => WriteCondition::IfMatch(vec![o.meta.etag.clone()]),
            None => WriteCondition::IfNoneMatchAny,
        };
        self.store.put_object(c.id, name, &object, &condition, &agora_store::WriteRules::NONE, now()).await?;
        Ok(())
    }

    /// Delivers one iTIP message to a local calendar user (`to_address` is how the
    /// message names them).
    pub(crate) async fn deliver_local(
        &self,
        to: &Principal,
        to_address: &str,
        method: Method,
        text: &str,
    ) -> Result<()> {
        let msg = itip::parse_message(text).map_err(|e| CoreError::Invalid(e.to_string()))?;
        let existing = self.copy_of(to, &msg.uid).await?;
        match method {
            Method::Request => {
                let copy = itip::attendee_copy(text, existing.as_ref().map(|(_, o)| as_text(o)).as_deref(), to_address)
                    .map_err(|e| CoreError::Invalid(e.to_string()))?;
                if let Some(why) = self.booking_refusal(to, msg.organizer.as_deref()).await? {
                    return self.book(to, to_address, copy, existing, Some(why)).await;
                }
                if answers_itself(to) {
                    return self.book(to, to_address, copy, existing, None).await;
                }
                self.save_copy(to, copy, existing, Some(new_schedule_tag())).await?;
            }
            Method::Add => {
                let Some((_, o)) = &existing else {
                    return Err(CoreError::NotFound { what: "series for this ADD", name: msg.uid });
                };
                let copy = match itip::apply_add(text, &as_text(o)) {
                    Ok(copy) => copy,
                    Err(itip::ItipError::Stale) => {
                        tracing::info!(uid = %msg.uid, "stale ADD ignored");
                        return Ok(());
                    }
                    Err(itip::ItipError::NoMatch(m)) => {
                        return Err(CoreError::NotFound { what: "series for this ADD", name: m });
                    }
                    Err(e) => return Err(CoreError::Invalid(e.to_string())),
                };
                if let Some(why) = self.booking_refusal(to, msg.organizer.as_deref()).await? {
                    return self.book(to, to_address, copy, existing, Some(why)).await;
                }
                if answers_itself(to) {
                    return self.book(to, to_address, copy, existing, None).await;
                }
                self.save_copy(to, copy, existing, Some(new_schedule_tag())).await?;
            }
            Method::Cancel => {
                if let Some((c, o)) = &existing {
                    if answers_itself(to) {
                        self.store
                            .delete_object(
                                c.id,
                                &o.meta.name,
                                &WriteCondition::Always,
                                &agora_store::WriteRules::NONE,
                                now(),
                            )
                            .await?;
                        return Ok(());
                    }
                    match itip::apply_cancel(text, &as_text(o)) {
                        Ok(t) => self.write_copy(c, &o.meta.name, t, Some(new_schedule_tag()), Some(o)).await?,
                        Err(itip::ItipError::Stale) => tracing::info!(uid = %msg.uid, "stale CANCEL ignored"),
                        Err(e) => return Err(CoreError::Invalid(e.to_string())),
                    }
                }
            }
            Method::Reply => {
                let Some((c, o)) = &existing else {
                    return Err(CoreError::NotFound { what: "event for this reply", name: msg.uid });
                };
                match itip::apply_reply(&as_text(o), text) {
                    Ok((t, _)) => self.write_copy(c, &o.meta.name, t, None, Some(o)).await?,
                    Err(itip::ItipError::Stale) => {
                        tracing::info!(uid = %msg.uid, "stale REPLY ignored");
                        return Ok(());
                    }
                    Err(e) => return Err(CoreError::Invalid(e.to_string())),
                }
            }
            other => return Err(CoreError::Invalid(format!("iTIP {} is not supported", other.as_str()))),
        }
        if !answers_itself(to) {
            self.file_in_inbox(to, text).await?;
        }
        Ok(())
    }

    /// Saves an attendee's copy where it is, or in their default calendar.
    async fn save_copy(
        &self,
        to: &Principal,
        copy: String,
        existing: Option<(Collection, Object)>,
        tag: Option<String>,
    ) -> Result<()> {
        match existing {
            Some((c, o)) => self.write_copy(&c, &o.meta.name, copy, tag, Some(&o)).await,
            None => {
                let Some(c) = self.default_calendar(to).await? else {
                    return Err(CoreError::NotFound { what: "calendar", name: to.name.clone() });
                };
                self.write_copy(&c, &new_object_name(), copy, tag, None).await
            }
        }
    }

    /// A room or piece of equipment answers by itself: accepted when every
    /// instance (within two years) is free, declined otherwise, or declined
    /// whatever the times when `refusal` says why (an organiser who may not book
    /// it; the reason goes to them with the answer). The check and the
    /// write are one store transaction under the room's booking lock
    /// ([`agora_store::SchedulingStore::book`]), so two simultaneous requests, from
    /// this process or another on the same database (`agora deliver` run by the
    /// MTA, a second server), cannot both win. The answer is sent after the commit.
    async fn book(
        &self,
        room: &Principal,
        address: &str,
        copy: String,
        existing: Option<(Collection, Object)>,
        refusal: Option<String>,
    ) -> Result<()> {
        let uid = itip::scheduling(&copy).map(|s| s.uid).unwrap_or_default();
        let calendars = self.calendars_of(room).await?;
        let Some(default) = self.default_calendar(room).await? else {
            return Err(CoreError::NotFound { what: "calendar", name: room.name.clone() });
        };
        let accepted_text = itip::set_partstat(&copy, address, "ACCEPTED");
        // The copy stays where it is, if the room holds one; validated for that calendar.
        let home = existing.as_ref().map_or(&default, |(c, _)| c);
        let mut accepted = crate::resources::validate::calendar(home, accepted_text.clone().into_bytes(), None)?;
        accepted.schedule_tag = Some(new_schedule_tag());
        let wanted = wanted_periods(&copy);
        let span = match (wanted.iter().map(|p| p.start).min(), wanted.iter().map(|p| p.end).max()) {
            (Some(lo), Some(hi)) => lo..hi,
            // Takes no time: nothing to check.
            _ => 0..0,
        };
        let ids: Vec<_> = calendars.iter().map(|c| c.id).collect();
        let name = new_object_name();
        let booking = Booking {
            key: room.id,
            calendars: &ids,
            uid: &uid,
            span: span.clone(),
            accepted: &accepted,
            new_at: (default.id, &name),
        };
        let refused = refusal.is_some();
        let decide = move |others: &[Object]| {
            if refused || others.iter().any(|o| overlaps(o, &wanted, &span)) {
                BookingDecision::Decline
            } else {
                BookingDecision::Accept
            }
        };
        let booked = self.store.book(&booking, &decide, now()).await?;
        let (partstat, answered) = match booked {
            Booked::Accepted(_) => ("ACCEPTED", accepted_text),
            Booked::Declined { .. } => {
                let declined = itip::set_partstat(&copy, address, "DECLINED");
                let text = match &refusal {
                    Some(why) => itip::set_attendee_comment(&declined, address, why),
                    None => declined,
                };
                ("DECLINED", text)
            }
        };
        tracing::info!(room = %room.name, uid = %uid, partstat, "resource answered");
        if let Some(reply) = itip::reply_from_copy(&answered, address, now()) {
            self.dispatch(room, &[reply], None).await;
        }
        Ok(())
    }
}

/// The busy periods a booking asks for: from its own first instance (a meeting
/// years ahead, or one booked after the fact, is checked like any other), over
/// the booking horizon.
fn wanted_periods(event: &str) -> Vec<Period> {
    let utc = TzSpec::utc();
    let span = agora_ical::CalendarObject::parse(event.as_bytes())
        .ok()
        .and_then(|o| agora_ical::object_span(&o, &utc))
        .filter(|s| s.start > i64::MIN);
    let start = span.map_or(now() - 86_400, |s| s.start);
    let end = start.saturating_add(BOOKING_HORIZON).min(span.and_then(|s| s.end).unwrap_or(i64::MAX).saturating_add(1));
    busy_periods(event.as_bytes(), start, end, &utc, MAX_BOOKING_INSTANCES)
}

/// Whether another booking takes any of the wanted periods (all within `span`).
fn overlaps(other: &Object, wanted: &[Period], span: &std::ops::Range<i64>) -> bool {
    let taken = busy_periods(&other.data, span.start, span.end, &TzSpec::utc(), MAX_BOOKING_INSTANCES);
    taken.iter().any(|t| wanted.iter().any(|w| w.start < t.end && t.start < w.end))
}

fn as_text(o: &Object) -> String {
    String::from_utf8_lossy(&o.data).into_owned()
}
