//! Public value types of the iTIP module.

use std::fmt;

/// An iTIP method (RFC 5546 §1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Invite, update or reschedule.
    Request,
    /// An attendee's answer.
    Reply,
    /// Cancellation of the event or of instances.
    Cancel,
    /// New instances for an existing series.
    Add,
    /// An attendee asks for the latest version.
    Refresh,
    /// An attendee proposes a change.
    Counter,
    /// The organizer rejects a counter-proposal.
    DeclineCounter,
    /// Publication without attendees.
    Publish,
}

impl Method {
    /// The METHOD value as written in iCalendar.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Reply => "REPLY",
            Method::Cancel => "CANCEL",
            Method::Add => "ADD",
            Method::Refresh => "REFRESH",
            Method::Counter => "COUNTER",
            Method::DeclineCounter => "DECLINECOUNTER",
            Method::Publish => "PUBLISH",
        }
    }

    /// Reads a METHOD value (case-insensitive, surrounding blanks ignored).
    pub fn parse(s: &str) -> Option<Method> {
        Some(match s.trim().to_ascii_uppercase().as_str() {
            "REQUEST" => Method::Request,
            "REPLY" => Method::Reply,
            "CANCEL" => Method::Cancel,
            "ADD" => Method::Add,
            "REFRESH" => Method::Refresh,
            "COUNTER" => Method::Counter,
            "DECLINECOUNTER" => Method::DeclineCounter,
            "PUBLISH" => Method::Publish,
            _ => return None,
        })
    }
}

/// Who delivers scheduling messages for a calendar user (SCHEDULE-AGENT, RFC 6638 §7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Agent {
    /// The server (the default, also for unknown values as §7.1 requires).
    #[default]
    Server,
    /// The client does it itself.
    Client,
    /// Nobody.
    None,
}

impl Agent {
    /// Reads a SCHEDULE-AGENT parameter value; absent or unknown values mean [`Agent::Server`].
    pub fn parse(value: Option<&str>) -> Agent {
        match value.map(|v| v.trim().to_ascii_uppercase()).as_deref() {
            Some("CLIENT") => Agent::Client,
            Some("NONE") => Agent::None,
            _ => Agent::Server,
        }
    }
}

/// One ATTENDEE as the scheduling logic sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    /// Normalised calendar user address ([`super::normalise_address`]).
    pub address: String,
    /// PARTSTAT, upper-cased; NEEDS-ACTION when absent.
    pub partstat: String,
    /// SCHEDULE-AGENT.
    pub agent: Agent,
    /// CUTYPE, upper-cased; INDIVIDUAL when absent.
    pub cutype: String,
    /// SCHEDULE-FORCE-SEND (REQUEST or REPLY), as written.
    pub force_send: Option<String>,
    /// CN.
    pub cn: Option<String>,
}

/// What implicit scheduling needs to know about a stored calendar object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduling {
    /// UID.
    pub uid: String,
    /// Normalised ORGANIZER address.
    pub organizer: String,
    /// SCHEDULE-AGENT of the ORGANIZER line.
    pub organizer_agent: Agent,
    /// CN of the ORGANIZER line.
    pub organizer_cn: Option<String>,
    /// Attendees over the master and the overrides, deduplicated by address (first occurrence wins).
    pub attendees: Vec<Attendee>,
    /// SUMMARY of the master (else of the first component), TEXT escapes undone.
    pub summary: Option<String>,
    /// The highest SEQUENCE over the components (0 when absent).
    pub sequence: i64,
}

/// One scheduling message to deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Its METHOD.
    pub method: Method,
    /// Normalised address of the recipient.
    pub recipient: String,
    /// A complete VCALENDAR with METHOD, CRLF line endings, folded.
    pub text: String,
    /// For an ADD: the same news as a REQUEST of the whole series, for
    /// recipients who do not take ADD (mail clients by iMIP; an attendee whose
    /// copy of the series is gone).
    pub fallback: Option<String>,
}

impl Outgoing {
    /// The message as sent by e-mail: an ADD becomes its full REQUEST
    /// (Gmail and Outlook ignore ADD), everything else is unchanged.
    pub fn for_mail(&self) -> Outgoing {
        match (&self.method, &self.fallback) {
            (Method::Add, Some(whole)) => Outgoing {
                method: Method::Request,
                recipient: self.recipient.clone(),
                text: whole.clone(),
                fallback: None,
            },
            _ => self.clone(),
        }
    }
}

/// The result of [`super::organizer_messages`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizerOutcome {
    /// Text to store instead of the client's; `None`: store the client's bytes
    /// unchanged (or the object was deleted).
    pub stored: Option<String>,
    /// The messages to deliver, at most one per recipient and method.
    pub messages: Vec<Outgoing>,
}

/// Why an incoming iTIP message could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItipError {
    /// Not a usable iTIP message or calendar object.
    Malformed(String),
    /// The message does not belong to this object (UID) or calendar user.
    NoMatch(String),
    /// The message is older (SEQUENCE) than what is stored.
    Stale,
}

impl fmt::Display for ItipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItipError::Malformed(m) => write!(f, "malformed iTIP message: {m}"),
            ItipError::NoMatch(m) => write!(f, "iTIP message does not match: {m}"),
            ItipError::Stale => f.write_str("iTIP message is older than the stored object"),
        }
    }
}

impl std::error::Error for ItipError {}

/// A parsed incoming iTIP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// METHOD.
    pub method: Method,
    /// The UID all components share.
    pub uid: String,
    /// Normalised ORGANIZER address, if any component has one.
    pub organizer: Option<String>,
    /// Attendees over all components, deduplicated by address.
    pub attendees: Vec<Attendee>,
    /// Highest SEQUENCE over the components (0 when absent).
    pub sequence: i64,
    /// RECURRENCE-ID values (as written) of the components that have one.
    pub recurrence_ids: Vec<String>,
    /// The message text as received.
    pub text: String,
}
