//! Free/busy of a calendar user (RFC 6638 §5, RFC 7953): busy time from their
//! own calendars (TRANSP, STATUS, declined invitations and calendars marked
//! `schedule-calendar-transp` transparent do not count), and time outside their
//! working hours (VAVAILABILITY in the inbox's `calendar-availability`) as
//! BUSY-UNAVAILABLE. Only times are ever revealed.

use std::collections::HashMap;

use agora_ical::TzSpec;
use agora_ical::freebusy::{self, FbReply, Period};
use agora_ical::itip;
use agora_store::{Collection, CollectionId, CollectionKind, Principal, PrincipalId};

use super::{address, now};
use crate::Core;
use crate::acl::Privileges;
use crate::auth::Identity;
use crate::error::{CoreError, Result};
use crate::resources::{Access, Resources, homes};

/// Most instances one object contributes to a free/busy answer.
const MAX_INSTANCES: usize = 10_000;
/// The longest range one free/busy request may ask for (RFC 6638 leaves it to
/// the server; a year bounds the work).
const MAX_RANGE: i64 = 366 * 86_400;

/// Dead property names (Clark notation) free/busy honours.
const CALENDAR_TRANSP: &str = "{urn:ietf:params:xml:ns:caldav}schedule-calendar-transp";
const AVAILABILITY: &str = "{urn:ietf:params:xml:ns:caldav}calendar-availability";

/// One recipient's part of an outbox free/busy answer (RFC 6638 §6.1.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreeBusyAnswer {
    /// The recipient as the request named them.
    pub recipient: String,
    /// iTIP request status, e.g. `2.0;Success`.
    pub status: String,
    /// The VFREEBUSY REPLY when the status is a success.
    pub calendar_data: Option<String>,
}

/// Where a principal's busy time comes from: their own calendars that take
/// events, and their schedule inbox (working hours, the read-free-busy grant).
struct BusySources {
    calendars: Vec<Collection>,
    inbox: Option<Collection>,
}

impl Core {
    /// Busy periods of a principal in [start, end), merged.
    pub async fn busy_of(&self, p: &Principal, start: i64, end: i64) -> Result<Vec<Period>> {
        let (sources, _) = self.busy_sources(&[p]).await?;
        let mut busy = self.busy_of_many(&[p], &sources, start, end).await?;
        Ok(busy.remove(&p.id).unwrap_or_default())
    }

    /// The calendars and inbox of each principal (as `calendars_of` and
    /// `inbox_of` find them), read with one query for all, and every collection
    /// they own. Homes are provisioned first where they may be missing (a user
    /// who never signed in, a room): only when the newest default collection is
    /// not among what was read, exactly as `provision_homes_of` decides.
    async fn busy_sources(&self, ps: &[&Principal]) -> Result<(HashMap<PrincipalId, BusySources>, Vec<Collection>)> {
        let mut ids: Vec<PrincipalId> = ps.iter().map(|p| p.id).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut owned = if ids.is_empty() { Vec::new() } else { self.store.collections_of_owners(&ids).await? };
        let mut provisioned = false;
        for p in ps {
            if self.homes.fresh(p.id) {
                continue;
            }
            if let Some(last) = homes::initial_collections(p).last()
                && !owned.iter().any(|c| c.path == last.path)
            {
                self.provision_homes_of(p).await?;
                provisioned = true;
            }
        }
        if provisioned {
            owned = self.store.collections_of_owners(&ids).await?;
        }
        let mut out = HashMap::new();
        for p in ps {
            let calendars = owned
                .iter()
                .filter(|c| c.owner_id == p.id)
                .filter(|c| c.kind == CollectionKind::Calendar && c.source.is_none() && c.share_id.is_none())
                // Only events make busy time (RFC 4791 §7.10): task and journal
                // calendars are not searched.
                .filter(|c| c.components.allows("VEVENT"))
                .cloned()
                .collect();
            let path = format!("{}{}/", homes::calendar_home(&p.name), homes::defaults::INBOX);
            let inbox = match owned.iter().find(|c| c.path == path && c.kind == CollectionKind::Inbox) {
                Some(inbox) => Some(inbox.clone()),
                // Not among their own collections (a group has none): the lookup by path.
                None => self.inbox_of(p).await?,
            };
            out.insert(p.id, BusySources { calendars, inbox });
        }
        Ok((out, owned))
    }

    /// Busy periods of each principal in [start, end), merged: the properties
    /// of all their calendars and inboxes in one query, the candidate objects
    /// of all their calendars in another.
    async fn busy_of_many(
        &self,
        ps: &[&Principal],
        sources: &HashMap<PrincipalId, BusySources>,
        start: i64,
        end: i64,
    ) -> Result<HashMap<PrincipalId, Vec<Period>>> {
        let utc = TzSpec::utc();
        let mut owner_of: HashMap<CollectionId, &Principal> = HashMap::new();
        let mut ids = Vec::new();
        for &p in ps {
            let Some(s) = sources.get(&p.id) else { continue };
            for c in s.calendars.iter().chain(&s.inbox) {
                if owner_of.insert(c.id, p).is_none() {
                    ids.push(c.id);
                }
            }
        }
        let props = if ids.is_empty() {
            Vec::new()
        } else {
            self.store.collection_properties_named(&ids, &[CALENDAR_TRANSP, AVAILABILITY]).await?
        };
        let prop = |id: CollectionId, name: &str| props.iter().find(|(c, n, _)| *c == id && n == name).map(|p| &p.2);
        let mut periods: HashMap<PrincipalId, Vec<Period>> = ps.iter().map(|p| (p.id, Vec::new())).collect();
        // Calendars marked transparent (schedule-calendar-transp) make no busy time.
        let searched: Vec<CollectionId> = ps
            .iter()
            .filter_map(|p| sources.get(&p.id))
            .flat_map(|s| &s.calendars)
            .map(|c| c.id)
            .filter(|id| !prop(*id, CALENDAR_TRANSP).is_some_and(|xml| xml.contains("transparent")))
            .collect();
        let objects = if searched.is_empty() {
            Vec::new()
        } else {
            self.store.objects_in_span_of(&searched, Some(start), Some(end)).await?
        };
        for o in objects {
            let Some(p) = owner_of.get(&o.meta.collection_id) else { continue };
            if declined(p, &o.data) {
                continue;
            }
            if let Some(list) = periods.get_mut(&p.id) {
                list.extend(freebusy::busy_periods(&o.data, start, end, &utc, MAX_INSTANCES));
            }
        }
        for p in ps {
            if let Some(inbox) = sources.get(&p.id).and_then(|s| s.inbox.as_ref())
                && let Some(xml) = prop(inbox.id, AVAILABILITY)
                && let Some(list) = periods.get_mut(&p.id)
            {
                list.extend(agora_ical::availability::unavailable(&xml_text(xml), start, end));
            }
        }
        Ok(periods.into_iter().map(|(id, list)| (id, freebusy::merge(list))).collect())
    }

    /// A VFREEBUSY of a principal for a range (the plain free/busy URL).
    pub(crate) async fn free_busy_text(&self, p: &Principal, start: i64, end: i64) -> Result<String> {
        check_range(start, end)?;
        let periods = self.busy_of(p, start, end).await?;
        let who = address::preferred(p);
        Ok(freebusy::vfreebusy(&FbReply {
            method: None,
            uid: None,
            organizer: None,
            attendee: Some(&who),
            start,
            end,
            now: now(),
            periods: &periods,
        }))
    }
}

impl Resources<'_> {
    /// The outbox POST of a VFREEBUSY REQUEST (RFC 6638 §6.1.4): the organiser
    /// must be the outbox owner (or someone who may write for them), each
    /// attendee gets an answer of its own: their busy time, `3.8` when the
    /// organiser may not see it, `3.7` when they are not a local calendar user.
    pub async fn outbox_free_busy(&self, outbox: &Collection, body: &[u8]) -> Result<Vec<FreeBusyAnswer>> {
        self.authorize(outbox, Access::Write).await?;
        let text = std::str::from_utf8(body).map_err(|_| CoreError::Invalid("the request is not UTF-8".into()))?;
        let req = freebusy::parse_request(text).map_err(CoreError::Invalid)?;
        check_range(req.start, req.end)?;
        let owner = self.principal(outbox.owner_id).await?;
        if !address::names(&owner, &req.organizer) {
            return Err(CoreError::Forbidden(format!(
                "the ORGANIZER {} is not the owner of this outbox (RFC 6638 organizer-allowed)",
                req.organizer
            )));
        }
        // The organiser's privileges decide, also when a delegate posts for them.
        let organizer = Identity { principal_id: owner.id, name: owner.name.clone() };
        let as_organizer = Resources::new(self.core, &organizer);
        // Every attendee at once: one lookup of the addresses, one read of their
        // collections, one privilege check for all inboxes, one search of all
        // calendars (the request names the same person at most once in effect).
        let found = self.core.local_principals(&req.attendees).await?;
        let mut people: Vec<&Principal> = Vec::new();
        for p in found.iter().flatten() {
            if !people.iter().any(|q| q.id == p.id) {
                people.push(p);
            }
        }
        let (sources, owned) = self.core.busy_sources(&people).await?;
        // Whether the organiser may see each one (see `may_see_free_busy`).
        let (asked, inboxes): (Vec<PrincipalId>, Vec<&Collection>) = people
            .iter()
            .filter(|p| p.id != organizer.principal_id)
            .filter_map(|p| sources.get(&p.id).and_then(|s| s.inbox.as_ref()).map(|inbox| (p.id, inbox)))
            .unzip();
        let held = as_organizer.privileges_many(&inboxes, &owned).await?;
        let allowed: Vec<&Principal> = people
            .iter()
            .copied()
            .filter(|p| {
                p.id == organizer.principal_id
                    || asked.iter().zip(&held).any(|(id, h)| *id == p.id && h.has(Privileges::READ_FREE_BUSY))
            })
            .collect();
        let busy = self.core.busy_of_many(&allowed, &sources, req.start, req.end).await?;
        let mut answers = Vec::new();
        for (attendee, p) in req.attendees.iter().zip(&found) {
            let answer = match p.as_ref().map(|p| busy.get(&p.id)) {
                Some(None) => FreeBusyAnswer {
                    recipient: attendee.clone(),
                    status: "3.8;No authority".into(),
                    calendar_data: None,
                },
                Some(Some(periods)) => {
                    let data = freebusy::vfreebusy(&FbReply {
                        method: Some("REPLY"),
                        uid: req.uid.as_deref(),
                        organizer: Some(&req.organizer),
                        attendee: Some(attendee),
                        start: req.start,
                        end: req.end,
                        now: now(),
                        periods,
                    });
                    FreeBusyAnswer {
                        recipient: attendee.clone(),
                        status: "2.0;Success".into(),
                        calendar_data: Some(data),
                    }
                }
                None => FreeBusyAnswer {
                    recipient: attendee.clone(),
                    status: "3.7;Invalid calendar user".into(),
                    calendar_data: None,
                },
            };
            answers.push(answer);
        }
        Ok(answers)
    }

    /// `p`'s busy time as one VFREEBUSY (the free/busy URL), for a signed-in user
    /// who may see it.
    pub async fn free_busy_of(&self, p: &Principal, start: i64, end: i64) -> Result<String> {
        self.authorize_directory()?;
        if !self.may_see_free_busy(p).await? {
            return Err(CoreError::Forbidden(format!("{} does not share their free/busy time with you", p.name)));
        }
        self.core.free_busy_text(p, start, end).await
    }

    /// Whether the user may see `p`'s busy time: they are `p`, or they hold
    /// `CALDAV:read-free-busy` on `p`'s schedule inbox (granted to every
    /// signed-in user by default, see [`crate::resources::homes::inbox_grants`];
    /// delegates hold it through delegation).
    async fn may_see_free_busy(&self, p: &Principal) -> Result<bool> {
        if p.id == self.who.principal_id {
            return Ok(true);
        }
        Ok(match self.core.inbox_of(p).await? {
            Some(inbox) => self.privileges(&inbox).await?.has(Privileges::READ_FREE_BUSY),
            None => false,
        })
    }
}

fn check_range(start: i64, end: i64) -> Result<()> {
    if end <= start {
        return Err(CoreError::Invalid("the free/busy range ends before it starts".into()));
    }
    if end - start > MAX_RANGE {
        return Err(CoreError::Invalid("a free/busy range may span at most 366 days".into()));
    }
    Ok(())
}

/// Whether the principal declined this invitation (then it is not busy time).
fn declined(p: &Principal, data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    itip::scheduling(&text).is_some_and(|s| {
        !address::names(p, &s.organizer)
            && s.attendees.iter().any(|a| address::names(p, &a.address) && a.partstat == "DECLINED")
    })
}

/// The text content of a stored dead property (`<C:calendar-availability>…`),
/// XML entities and CDATA undone.
pub fn xml_text(xml: &str) -> String {
    let inner = xml.find('>').map(|i| &xml[i + 1..]).unwrap_or(xml);
    let inner = inner.rfind("</").map(|i| &inner[..i]).unwrap_or(inner);
    let inner = inner.trim();
    if let Some(cdata) = inner.strip_prefix("<![CDATA[").and_then(|s| s.strip_suffix("]]>")) {
        return cdata.to_owned();
    }
    inner
        .replace("&#13;", "\r")
        .replace("&#xD;", "\r")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    #[test]
    fn availability_text_is_unescaped() {
        let xml = "<C:calendar-availability xmlns:C=\"urn:ietf:params:xml:ns:caldav\">BEGIN:VCALENDAR&#13;\nX:a&amp;b&lt;\nEND:VCALENDAR</C:calendar-availability>";
        assert_eq!(super::xml_text(xml), "BEGIN:VCALENDAR\r\nX:a&b<\nEND:VCALENDAR");
        let cdata = "<C:calendar-availability><![CDATA[BEGIN:VCALENDAR\nEND:VCALENDAR]]></C:calendar-availability>";
        assert_eq!(super::xml_text(cdata), "BEGIN:VCALENDAR\nEND:VCALENDAR");
    }
}
