//! The human side of an iMIP message: its Subject and the text/plain summary that
//! mail clients without calendar support show (RFC 6047 §2.4 leaves the text part
//! free; these are only descriptions, the text/calendar part is authoritative).

use crate::ical_text::{Calendar, Property, strip_mailto};
use crate::when;

const UNTITLED: &str = "(no title)";

/// The Subject line for `method` (RFC 5546 §1.4 methods).
pub(crate) fn subject(method: &str, cal: &Calendar) -> String {
    let title = cal.text("SUMMARY").unwrap_or_else(|| UNTITLED.to_string());
    let titled_when = match cal.prop("DTSTART").or_else(|| cal.prop("DUE")) {
        Some(start) => format!("{title} ({})", when::describe(start)),
        None => title.clone(),
    };
    let subject = match method {
        "REQUEST" if sequence(cal) > 0 => format!("Updated invitation: {titled_when}"),
        "REQUEST" => format!("Invitation: {titled_when}"),
        "CANCEL" => format!("Cancelled: {titled_when}"),
        "ADD" => format!("New occurrence: {titled_when}"),
        "PUBLISH" => format!("Event: {titled_when}"),
        "DECLINECOUNTER" => format!("Counter-proposal declined: {titled_when}"),
        "COUNTER" => format!("Counter-proposal: {} – {titled_when}", replier(cal)),
        "REFRESH" => format!("Update requested: {} – {title}", replier(cal)),
        "REPLY" => {
            let verb = match partstat(cal).as_deref() {
                Some("ACCEPTED") => "Accepted",
                Some("DECLINED") => "Declined",
                Some("TENTATIVE") => "Tentative",
                Some("DELEGATED") => "Delegated",
                Some("COMPLETED") => "Completed",
                Some("IN-PROCESS") => "In progress",
                _ => "Reply",
            };
            format!("{verb}: {} – {title}", replier(cal))
        }
        _ => titled_when,
    };
    one_line(&subject)
}

/// The text/plain body: what, when, where, organizer, attendees; for a REPLY, who
/// answered what.
pub(crate) fn body(method: &str, cal: &Calendar) -> String {
    let title = cal.text("SUMMARY").unwrap_or_else(|| UNTITLED.to_string());
    let mut out = String::new();
    let headline = match method {
        "REQUEST" if sequence(cal) > 0 => "This invitation has been updated.".to_string(),
        "REQUEST" => "You are invited.".to_string(),
        "CANCEL" => "This has been cancelled.".to_string(),
        "ADD" => "An occurrence has been added.".to_string(),
        "COUNTER" => format!("{} proposes a change.", replier(cal)),
        "DECLINECOUNTER" => "Your proposed change was declined.".to_string(),
        "REFRESH" => format!("{} asks for the latest version.", replier(cal)),
        "REPLY" => {
            let answer = match partstat(cal).as_deref() {
                Some("ACCEPTED") => "has accepted",
                Some("DECLINED") => "has declined",
                Some("TENTATIVE") => "has tentatively accepted",
                Some("DELEGATED") => "has delegated",
                Some("COMPLETED") => "has completed",
                Some("IN-PROCESS") => "is working on",
                Some("NEEDS-ACTION") => "has not yet answered",
                _ => "has replied to",
            };
            format!("{} {answer} \"{title}\".", replier(cal))
        }
        _ => String::new(),
    };
    if !headline.is_empty() {
        out.push_str(&headline);
        out.push_str("\n\n");
    }
    line(&mut out, "What", Some(title.clone()));
    if let Some(start) = cal.prop("DTSTART") {
        line(&mut out, "When", Some(when::describe(start)));
        line(&mut out, "Until", cal.prop("DTEND").map(when::describe));
    } else {
        line(&mut out, "Due", cal.prop("DUE").map(when::describe));
    }
    line(&mut out, "Repeats", cal.prop("RRULE").map(|r| r.value.trim().to_string()));
    line(&mut out, "Where", cal.text("LOCATION"));
    line(&mut out, "Organizer", cal.prop("ORGANIZER").map(person));
    let attendees: Vec<String> = cal
        .props("ATTENDEE")
        .map(|a| match a.param("PARTSTAT") {
            Some(p) => format!("{} ({})", person(a), p.to_ascii_lowercase()),
            None => person(a),
        })
        .collect();
    if !attendees.is_empty() {
        out.push_str("Attendees:\n");
        for a in attendees {
            out.push_str("  - ");
            out.push_str(&a);
            out.push('\n');
        }
    }
    if let Some(comment) = cal.text("COMMENT") {
        out.push_str("\nComment:\n");
        out.push_str(&comment);
        out.push('\n');
    }
    if let Some(description) = cal.text("DESCRIPTION") {
        out.push('\n');
        out.push_str(&description);
        out.push('\n');
    }
    out.push_str("\nThe attached calendar file holds the details; calendar applications handle it directly.\n");
    // Lines end with CRLF in a message body (RFC 5322 §2.3).
    out.replace("\r\n", "\n").replace('\r', "\n").replace('\n', "\r\n")
}

fn line(out: &mut String, label: &str, value: Option<String>) {
    if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
        out.push_str(&format!("{:<11}{}\n", format!("{label}:"), one_line(&value)));
    }
}

/// "Name <address>" or the bare address from an ORGANIZER/ATTENDEE property.
fn person(prop: &Property) -> String {
    let address = strip_mailto(&prop.value);
    match prop.param("CN").map(str::trim).filter(|cn| !cn.is_empty()) {
        Some(cn) if !address.is_empty() => format!("{cn} <{address}>"),
        Some(cn) => cn.to_string(),
        None => address.to_string(),
    }
}

/// Who sent a REPLY/COUNTER/REFRESH: its (single) ATTENDEE's name or address.
fn replier(cal: &Calendar) -> String {
    match cal.prop("ATTENDEE") {
        Some(a) => match a.param("CN").map(str::trim).filter(|cn| !cn.is_empty()) {
            Some(cn) => cn.to_string(),
            None => strip_mailto(&a.value).to_string(),
        },
        None => "Someone".to_string(),
    }
}

fn partstat(cal: &Calendar) -> Option<String> {
    cal.prop("ATTENDEE").and_then(|a| a.param("PARTSTAT")).map(|p| p.trim().to_ascii_uppercase())
}

fn sequence(cal: &Calendar) -> i64 {
    cal.prop("SEQUENCE").and_then(|s| s.value.trim().parse().ok()).unwrap_or(0)
}

/// Collapses control characters (line breaks included) into single spaces.
pub(crate) fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_control() || c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal(body: &str) -> Calendar {
        Calendar::read(&format!("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n{body}END:VEVENT\r\nEND:VCALENDAR\r\n"))
    }

    #[test]
    fn subjects_without_summary_or_start() {
        assert_eq!(subject("REQUEST", &cal("UID:x\r\n")), "Invitation: (no title)");
        assert_eq!(subject("REPLY", &cal("UID:x\r\n")), "Reply: Someone – (no title)");
        assert_eq!(subject("X-OTHER", &cal("SUMMARY:Multi\\nline\r\n")), "Multi line");
    }

    #[test]
    fn body_lists_attendees_with_their_answers() {
        let c = cal("SUMMARY:Lunch\r\nLOCATION:Café\\, 1st floor\r\nDTSTART:20260303T120000Z\r\n\
             ORGANIZER;CN=Alice:mailto:alice@example.com\r\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bob@example.com\r\n");
        let text = body("REQUEST", &c);
        assert!(text.starts_with("You are invited.\r\n\r\n"));
        assert!(text.contains("What:      Lunch\r\n"));
        assert!(text.contains("When:      Tue 3 Mar 2026 12:00 UTC\r\n"));
        assert!(text.contains("Where:     Café, 1st floor\r\n"));
        assert!(text.contains("Organizer: Alice <alice@example.com>\r\n"));
        assert!(text.contains("  - bob@example.com (needs-action)\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "only CRLF line ends");
    }
}
