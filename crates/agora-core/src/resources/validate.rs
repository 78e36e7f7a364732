//! What a PUT body must be in each kind of collection, and what is indexed about it.
//! The bytes are stored as sent, unless `agora_ical::intake` repaired them (a
//! byte-order mark, `METHOD:PUBLISH`): then [`Prepared::repaired`] is set and the
//! response carries no ETag. Client bodies ([`prepare`]: PUT, import, COPY/MOVE)
//! pass the intake's checks; text the server writes itself ([`calendar`]) is
//! validated as stored objects are read.

use agora_ical::{IcalError, TzSpec};
use agora_store::{Collection, CollectionKind, InstancePieces, NewObject};
use sha2::{Digest, Sha256};

use crate::error::{CoreError, Filler, Result, Rule};

/// A strong entity tag: 128 bits of SHA-256 over the stored bytes.
pub fn etag(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The media type without parameters, lower-cased.
fn essence(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// Whether a body of this media type is stored as sent (false for jCal and
/// jCard, which are stored as text: the response must then carry no ETag).
pub fn stored_verbatim(content_type: Option<&str>) -> bool {
    !matches!(content_type.map(essence).as_deref(), Some("application/calendar+json" | "application/vcard+json"))
}

/// A client's body, checked and ready to store.
#[derive(Debug)]
pub struct Prepared {
    /// The object to store.
    pub object: NewObject,
    /// The stored bytes differ from the ones sent (see `agora_ical::intake`).
    pub repaired: bool,
}

/// Checks a client's body for a collection and builds the object to store.
pub fn prepare(collection: &Collection, data: Vec<u8>, content_type: Option<&str>, max_size: u64) -> Result<Prepared> {
    if data.len() as u64 > max_size {
        return Err(Rule::MaxSize { max: max_size }.into());
    }
    read_only(collection, "write-content")?;
    let verbatim = |object| Prepared { object, repaired: false };
    match collection.kind {
        CollectionKind::Calendar => calendar_input(collection, data, content_type),
        CollectionKind::Addressbook => card(data, content_type),
        CollectionKind::Plain => Ok(verbatim(NewObject {
            uid: None,
            etag: etag(&data),
            content_type: content_type.unwrap_or("application/octet-stream").to_owned(),
            data,
            component: None,
            span_start: None,
            span_end: None,
            class: 0,
            schedule_tag: None,
            instances: None,
        })),
        CollectionKind::Inbox | CollectionKind::Outbox | CollectionKind::Notifications => {
            Err(CoreError::Forbidden("schedule boxes and notifications are written by the server, not by PUT".into()))
        }
        CollectionKind::CalendarHome | CollectionKind::AddressbookHome => {
            Err(CoreError::Forbidden("a home holds collections only; create a calendar or address book first".into()))
        }
    }
}

/// Refuses client writes to a collection the server fills (the global address
/// list, a subscribed feed, the birthdays calendar): `privilege` is the one
/// the write needs there, which nobody holds.
pub(super) fn read_only(collection: &Collection, privilege: &'static str) -> Result<()> {
    let filler = match collection.source.as_deref() {
        None => return Ok(()),
        Some(crate::gal::SOURCE) => Filler::Directory,
        Some(crate::birthdays::SOURCE) => Filler::Birthdays,
        Some(_) => Filler::Feed,
    };
    Err(Rule::ServerFilled { path: collection.path.clone(), privilege, filler }.into())
}

/// jCal (RFC 7265) is stored as the iCalendar text it stands for.
fn calendar_text(data: Vec<u8>, content_type: Option<&str>) -> Result<Vec<u8>> {
    match content_type.map(essence).as_deref() {
        None | Some("text/calendar") => Ok(data),
        Some("application/calendar+json") => Ok(agora_ical::json::jcal_bytes_to_icalendar(&data)
            .map_err(|e| Rule::ValidData(e.to_string()))?
            .into_bytes()),
        Some(_) => Err(Rule::SupportedData(content_type.unwrap_or_default().to_owned()).into()),
    }
}

fn ical_rule(e: IcalError) -> Rule {
    match e {
        IcalError::Invalid(m) => Rule::ValidData(m),
        IcalError::UnsupportedComponent(m) => Rule::SupportedComponent(m),
        IcalError::NotAnObjectResource(m) => Rule::ObjectResource(m),
        IcalError::TooManyInstances(n) => Rule::ObjectResource(format!("more than {n} instances")),
    }
}

/// A client's calendar body: the intake's repairs and checks, then the index.
fn calendar_input(collection: &Collection, data: Vec<u8>, content_type: Option<&str>) -> Result<Prepared> {
    let admitted = agora_ical::intake::calendar(calendar_text(data, content_type)?).map_err(ical_rule)?;
    for repair in &admitted.repairs {
        tracing::debug!(collection = %collection.path, %repair, "calendar object repaired on the way in");
    }
    let repaired = !admitted.repairs.is_empty();
    Ok(Prepared { object: calendar_object(collection, &admitted.parsed, admitted.data)?, repaired })
}

/// Text the server writes (scheduling, feeds, stubs): validated as stored objects are read.
pub(crate) fn calendar(collection: &Collection, data: Vec<u8>, content_type: Option<&str>) -> Result<NewObject> {
    let data = calendar_text(data, content_type)?;
    let obj = agora_ical::CalendarObject::parse(&data).map_err(ical_rule)?;
    calendar_object(collection, &obj, data)
}

/// The object to store for parsed calendar data, with its index.
fn calendar_object(collection: &Collection, obj: &agora_ical::CalendarObject, data: Vec<u8>) -> Result<NewObject> {
    let info = obj.info(&TzSpec::utc());
    let kind = info.kind.as_str();
    if !collection.components.allows(kind) {
        return Err(Rule::SupportedComponent(kind.to_owned()).into());
    }
    // Floating times and dates may be anywhere from UTC-12 to UTC+14; the index uses
    // UTC and widens such spans so that no zone can fall outside them (RFC 4791 §9.9
    // evaluates them in the calendar's zone at query time).
    let slack = if info.has_floating { agora_ical::FLOATING_SLACK } else { 0 };
    // No span: nothing to index; such objects are always candidates and the
    // precise RFC 4791 §9.9 filter decides.
    let (span_start, span_end) = match info.span {
        None => (None, None),
        Some(span) => (Some(span.start.saturating_sub(slack)), span.end.map(|e| e.saturating_add(slack))),
    };
    let instances = agora_ical::instance_index(obj, &info, crate::now()).map(pieces);
    let class = agora_ical::privacy::restriction(obj).code();
    Ok(NewObject {
        class,
        uid: Some(info.uid),
        etag: etag(&data),
        content_type: "text/calendar; charset=utf-8".into(),
        data,
        component: Some(kind.to_owned()),
        span_start,
        span_end,
        schedule_tag: None,
        instances,
    })
}

// A piece longer than the store reads back would be missed by its lookups.
const _: () = assert!(agora_ical::PIECE <= agora_store::MAX_PIECE_SECONDS);

/// The store's form of an instance index (the same contract; see
/// `agora_store::InstancePieces`).
pub(crate) fn pieces(index: agora_ical::InstanceIndex) -> InstancePieces {
    InstancePieces { pieces: index.pieces, exact: index.exact, from: index.from, to: index.to }
}

fn card(data: Vec<u8>, content_type: Option<&str>) -> Result<Prepared> {
    let data = match content_type.map(essence).as_deref() {
        None | Some("text/vcard" | "text/x-vcard" | "text/directory") => data,
        // jCard (RFC 7095) is stored as the vCard text it stands for.
        Some("application/vcard+json") => {
            agora_ical::json::jcard_bytes_to_vcard(&data).map_err(|e| Rule::ValidData(e.to_string()))?.into_bytes()
        }
        Some(_) => return Err(Rule::SupportedData(content_type.unwrap_or_default().to_owned()).into()),
    };
    let admitted = agora_ical::intake::card(data).map_err(|e| match e {
        agora_ical::vcard::VcardError::Invalid(m) => Rule::ValidData(m),
        agora_ical::vcard::VcardError::NotAnObjectResource(m) => Rule::ObjectResource(m),
    })?;
    let object = NewObject {
        uid: Some(admitted.parsed.uid),
        etag: etag(&admitted.data),
        content_type: "text/vcard; charset=utf-8".into(),
        data: admitted.data,
        component: Some("VCARD".into()),
        span_start: None,
        span_end: None,
        class: 0,
        schedule_tag: None,
        instances: None,
    };
    Ok(Prepared { object, repaired: !admitted.repairs.is_empty() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_are_strong_hashes_of_the_bytes() {
        assert_eq!(etag(b"a"), etag(b"a"));
        assert_ne!(etag(b"a"), etag(b"b"));
        assert_eq!(etag(b"").len(), 32);
    }

    #[test]
    fn media_type_essence() {
        assert_eq!(essence("Text/Calendar; charset=UTF-8"), "text/calendar");
    }
}
