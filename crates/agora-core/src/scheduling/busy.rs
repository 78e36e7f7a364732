//! Free/busy of a calendar user (RFC 6638 §5, RFC 7953): busy time from their
//! own calendars (TRANSP, STATUS, declined invitations and calendars marked
//! `schedule-calendar-transp` transparent do not count), and time outside their
//! working hours (VAVAILABILITY in the inbox's `calendar-availability`) as
//! BUSY-UNAVAILABLE. Only times are ever revealed.

use agora_ical::TzSpec;
use agora_ical::freebusy::{self, FbReply, Period};
use agora_ical::itip;
use agora_store::{Collection, Principal};

use super::{address, now};
use crate::Core;
use crate::acl::Privileges;
use crate::auth::Identity;
use crate::error::{CoreError, Result};
use crate::resources::{Access, Resources};

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

impl Core {
    /// Busy periods of a principal in [start, end), merged.
    pub async fn busy_of(&self, p: &Principal, start: i64, end: i64) -> Result<Vec<Period>> {
        let utc = TzSpec::utc();
        let mut periods = Vec::new();
        // Only events make busy time (RFC 4791 §7.10): task and journal calendars
        // are not searched.
        for c in self.calendars_of(p).await?.into_iter().filter(|c| c.components.allows("VEVENT")) {
            if self.transparent(&c).await? {
                continue;
            }
            for o in self.store.objects_in_span(c.id, Some(start), Some(end)).await? {
                if declined(p, &o.data) {
                    continue;
                }
                periods.extend(freebusy::busy_periods(&o.data, start, end, &utc, MAX_INSTANCES));
            }
        }
        if let Some(inbox) = self.inbox_of(p).await?
            && let Some((_, xml)) =
                self.store.collection_properties(inbox.id).await?.into_iter().find(|(n, _)| n == AVAILABILITY)
        {
            periods.extend(agora_ical::availability::unavailable(&xml_text(&xml), start, end));
        }
        Ok(freebusy::merge(periods))
    }

    /// A VFREEBUSY of a principal for a range (the plain free/busy URL).
    pub async fn free_busy_text(&self, p: &Principal, start: i64, end: i64) -> Result<String> {
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

    async fn transparent(&self, c: &Collection) -> Result<bool> {
        Ok(self
            .store
            .collection_properties(c.id)
            .await?
            .iter()
            .any(|(n, xml)| n == CALENDAR_TRANSP && xml.contains("transparent")))
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
        let mut answers = Vec::new();
        for attendee in &req.attendees {
            let answer = match self.core.local_principal(attendee).await? {
                Some(p) if !as_organizer.may_see_free_busy(&p).await? => FreeBusyAnswer {
                    recipient: attendee.clone(),
                    status: "3.8;No authority".into(),
                    calendar_data: None,
                },
                Some(p) => {
                    let periods = self.core.busy_of(&p, req.start, req.end).await?;
                    let data = freebusy::vfreebusy(&FbReply {
                        method: Some("REPLY"),
                        uid: req.uid.as_deref(),
                        organizer: Some(&req.organizer),
                        attendee: Some(attendee),
                        start: req.start,
                        end: req.end,
                        now: now(),
                        periods: &periods,
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

    /// Whether the user may see `p`'s busy time: they are `p`, or they hold
    /// `CALDAV:read-free-busy` on `p`'s schedule inbox (granted to every
    /// signed-in user by default, see [`crate::resources::homes::inbox_grants`];
    /// delegates hold it through delegation).
    pub async fn may_see_free_busy(&self, p: &Principal) -> Result<bool> {
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
fn xml_text(xml: &str) -> String {
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
