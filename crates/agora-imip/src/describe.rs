//! The human side of an iMIP message: its Subject and the text/plain summary that
//! mail clients without calendar support show (RFC 6047 §2.4 leaves the text part
//! free; these are only descriptions, the text/calendar part is authoritative).

use crate::Language;
use crate::ical_text::{Calendar, Property, strip_mailto};
use crate::when;

/// The words of a summary in one language. French puts a (no-break) space before
/// a colon and uses « » quotes, as French typography asks.
struct Words {
    untitled: &'static str,
    someone: &'static str,
    /// "Subject prefix: " per method, before the title.
    updated: &'static str,
    invitation: &'static str,
    cancelled: &'static str,
    added: &'static str,
    event: &'static str,
    counter_declined: &'static str,
    counter: &'static str,
    refresh: &'static str,
    /// Reply verbs in the Subject, by PARTSTAT; then the generic one.
    replies: [(&'static str, &'static str); 6],
    reply: &'static str,
    /// Body headlines.
    was_updated: &'static str,
    invited: &'static str,
    was_cancelled: &'static str,
    was_added: &'static str,
    proposes: &'static str,
    counter_was_declined: &'static str,
    asks_latest: &'static str,
    /// "X has accepted «title»." by PARTSTAT; then the generic one.
    answered: [(&'static str, &'static str); 7],
    replied: &'static str,
    quotes: (&'static str, &'static str),
    /// Labels of the summary lines, padded to one width.
    what: &'static str,
    when: &'static str,
    until: &'static str,
    due: &'static str,
    repeats: &'static str,
    place: &'static str,
    organizer: &'static str,
    attendees: &'static str,
    comment: &'static str,
    /// Attendees' answers, by PARTSTAT.
    partstats: [(&'static str, &'static str); 7],
    footer: &'static str,
}

const EN: Words = Words {
    untitled: "(no title)",
    someone: "Someone",
    updated: "Updated invitation: ",
    invitation: "Invitation: ",
    cancelled: "Cancelled: ",
    added: "New occurrence: ",
    event: "Event: ",
    counter_declined: "Counter-proposal declined: ",
    counter: "Counter-proposal: ",
    refresh: "Update requested: ",
    replies: [
        ("ACCEPTED", "Accepted"),
        ("DECLINED", "Declined"),
        ("TENTATIVE", "Tentative"),
        ("DELEGATED", "Delegated"),
        ("COMPLETED", "Completed"),
        ("IN-PROCESS", "In progress"),
    ],
    reply: "Reply",
    was_updated: "This invitation has been updated.",
    invited: "You are invited.",
    was_cancelled: "This has been cancelled.",
    was_added: "An occurrence has been added.",
    proposes: "proposes a change.",
    counter_was_declined: "Your proposed change was declined.",
    asks_latest: "asks for the latest version.",
    answered: [
        ("ACCEPTED", "has accepted"),
        ("DECLINED", "has declined"),
        ("TENTATIVE", "has tentatively accepted"),
        ("DELEGATED", "has delegated"),
        ("COMPLETED", "has completed"),
        ("IN-PROCESS", "is working on"),
        ("NEEDS-ACTION", "has not yet answered"),
    ],
    replied: "has replied to",
    quotes: ("\"", "\""),
    what: "What:",
    when: "When:",
    until: "Until:",
    due: "Due:",
    repeats: "Repeats:",
    place: "Where:",
    organizer: "Organizer:",
    attendees: "Attendees:",
    comment: "Comment:",
    partstats: [
        ("ACCEPTED", "accepted"),
        ("DECLINED", "declined"),
        ("TENTATIVE", "tentative"),
        ("DELEGATED", "delegated"),
        ("COMPLETED", "completed"),
        ("IN-PROCESS", "in-process"),
        ("NEEDS-ACTION", "needs-action"),
    ],
    footer: "The attached calendar file holds the details; calendar applications handle it directly.",
};

const FR: Words = Words {
    untitled: "(sans titre)",
    someone: "Quelqu’un",
    updated: "Invitation mise à jour\u{a0}: ",
    invitation: "Invitation\u{a0}: ",
    cancelled: "Annulé\u{a0}: ",
    added: "Nouvelle occurrence\u{a0}: ",
    event: "Événement\u{a0}: ",
    counter_declined: "Contre-proposition refusée\u{a0}: ",
    counter: "Contre-proposition\u{a0}: ",
    refresh: "Mise à jour demandée\u{a0}: ",
    replies: [
        ("ACCEPTED", "Accepté"),
        ("DECLINED", "Refusé"),
        ("TENTATIVE", "Peut-être"),
        ("DELEGATED", "Délégué"),
        ("COMPLETED", "Terminé"),
        ("IN-PROCESS", "En cours"),
    ],
    reply: "Réponse",
    was_updated: "Cette invitation a été mise à jour.",
    invited: "Vous êtes invité(e).",
    was_cancelled: "Ceci a été annulé.",
    was_added: "Une occurrence a été ajoutée.",
    proposes: "propose une modification.",
    counter_was_declined: "Votre proposition de modification a été refusée.",
    asks_latest: "demande la dernière version.",
    answered: [
        ("ACCEPTED", "a accepté"),
        ("DECLINED", "a refusé"),
        ("TENTATIVE", "a peut-être accepté"),
        ("DELEGATED", "a délégué"),
        ("COMPLETED", "a terminé"),
        ("IN-PROCESS", "travaille sur"),
        ("NEEDS-ACTION", "n’a pas encore répondu à"),
    ],
    replied: "a répondu à",
    quotes: ("«\u{a0}", "\u{a0}»"),
    what: "Quoi\u{a0}:",
    when: "Quand\u{a0}:",
    until: "Jusqu’à\u{a0}:",
    due: "Échéance\u{a0}:",
    repeats: "Répétition\u{a0}:",
    place: "Où\u{a0}:",
    organizer: "Organisateur\u{a0}:",
    attendees: "Participants\u{a0}:",
    comment: "Commentaire\u{a0}:",
    partstats: [
        ("ACCEPTED", "accepté"),
        ("DECLINED", "refusé"),
        ("TENTATIVE", "peut-être"),
        ("DELEGATED", "délégué"),
        ("COMPLETED", "terminé"),
        ("IN-PROCESS", "en cours"),
        ("NEEDS-ACTION", "sans réponse"),
    ],
    footer: "Le fichier d’agenda joint contient les détails\u{a0}; les applications d’agenda le lisent directement.",
};

fn words(lang: Language) -> &'static Words {
    lang.pick(&EN, &FR)
}

/// The word for `key` in a (PARTSTAT, word) table.
fn find<'a>(table: &[(&str, &'a str)], key: Option<&str>) -> Option<&'a str> {
    key.and_then(|k| table.iter().find(|(p, _)| *p == k).map(|(_, w)| *w))
}

/// The Subject line for `method` (RFC 5546 §1.4 methods).
pub(crate) fn subject(method: &str, cal: &Calendar, lang: Language) -> String {
    let w = words(lang);
    let title = cal.text("SUMMARY").unwrap_or_else(|| w.untitled.to_string());
    let titled_when = match cal.prop("DTSTART").or_else(|| cal.prop("DUE")) {
        Some(start) => format!("{title} ({})", when::describe(start, lang)),
        None => title.clone(),
    };
    let subject = match method {
        "REQUEST" if sequence(cal) > 0 => format!("{}{titled_when}", w.updated),
        "REQUEST" => format!("{}{titled_when}", w.invitation),
        "CANCEL" => format!("{}{titled_when}", w.cancelled),
        "ADD" => format!("{}{titled_when}", w.added),
        "PUBLISH" => format!("{}{titled_when}", w.event),
        "DECLINECOUNTER" => format!("{}{titled_when}", w.counter_declined),
        "COUNTER" => format!("{}{} – {titled_when}", w.counter, replier(cal, w)),
        "REFRESH" => format!("{}{} – {title}", w.refresh, replier(cal, w)),
        "REPLY" => {
            let verb = find(&w.replies, partstat(cal).as_deref()).unwrap_or(w.reply);
            let colon = lang.pick(": ", "\u{a0}: ");
            format!("{verb}{colon}{} – {title}", replier(cal, w))
        }
        _ => titled_when,
    };
    one_line(&subject)
}

/// The text/plain body: what, when, where, organizer, attendees; for a REPLY, who
/// answered what.
pub(crate) fn body(method: &str, cal: &Calendar, lang: Language) -> String {
    let w = words(lang);
    let title = cal.text("SUMMARY").unwrap_or_else(|| w.untitled.to_string());
    let mut out = String::new();
    let headline = match method {
        "REQUEST" if sequence(cal) > 0 => w.was_updated.to_string(),
        "REQUEST" => w.invited.to_string(),
        "CANCEL" => w.was_cancelled.to_string(),
        "ADD" => w.was_added.to_string(),
        "COUNTER" => format!("{} {}", replier(cal, w), w.proposes),
        "DECLINECOUNTER" => w.counter_was_declined.to_string(),
        "REFRESH" => format!("{} {}", replier(cal, w), w.asks_latest),
        "REPLY" => {
            let answer = find(&w.answered, partstat(cal).as_deref()).unwrap_or(w.replied);
            let (open, close) = w.quotes;
            format!("{} {answer} {open}{title}{close}.", replier(cal, w))
        }
        _ => String::new(),
    };
    if !headline.is_empty() {
        out.push_str(&headline);
        out.push_str("\n\n");
    }
    let lines = Lines::new(&[w.what, w.when, w.until, w.due, w.repeats, w.place, w.organizer]);
    lines.add(&mut out, w.what, Some(title.clone()));
    if let Some(start) = cal.prop("DTSTART") {
        lines.add(&mut out, w.when, Some(when::describe(start, lang)));
        lines.add(&mut out, w.until, cal.prop("DTEND").map(|p| when::describe(p, lang)));
    } else {
        lines.add(&mut out, w.due, cal.prop("DUE").map(|p| when::describe(p, lang)));
    }
    lines.add(&mut out, w.repeats, cal.prop("RRULE").map(|r| r.value.trim().to_string()));
    lines.add(&mut out, w.place, cal.text("LOCATION"));
    lines.add(&mut out, w.organizer, cal.prop("ORGANIZER").map(person));
    let attendees: Vec<String> = cal
        .props("ATTENDEE")
        .map(|a| match a.param("PARTSTAT") {
            Some(p) => {
                let p = p.trim().to_ascii_uppercase();
                let word = find(&w.partstats, Some(&p)).map(str::to_owned).unwrap_or_else(|| p.to_ascii_lowercase());
                format!("{} ({word})", person(a))
            }
            None => person(a),
        })
        .collect();
    if !attendees.is_empty() {
        out.push_str(w.attendees);
        out.push('\n');
        for a in attendees {
            out.push_str("  - ");
            out.push_str(&a);
            out.push('\n');
        }
    }
    if let Some(comment) = cal.text("COMMENT") {
        out.push('\n');
        out.push_str(w.comment);
        out.push('\n');
        out.push_str(&comment);
        out.push('\n');
    }
    if let Some(description) = cal.text("DESCRIPTION") {
        out.push('\n');
        out.push_str(&description);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(w.footer);
    out.push('\n');
    // Lines end with CRLF in a message body (RFC 5322 §2.3).
    out.replace("\r\n", "\n").replace('\r', "\n").replace('\n', "\r\n")
}

/// "Label:   value" lines, the values aligned one column after the longest label.
struct Lines {
    width: usize,
}

impl Lines {
    fn new(labels: &[&str]) -> Lines {
        Lines { width: labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) + 1 }
    }

    fn add(&self, out: &mut String, label: &str, value: Option<String>) {
        if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
            let pad = self.width.saturating_sub(label.chars().count());
            out.push_str(label);
            out.extend(std::iter::repeat_n(' ', pad));
            out.push_str(&one_line(&value));
            out.push('\n');
        }
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
fn replier(cal: &Calendar, w: &Words) -> String {
    match cal.prop("ATTENDEE") {
        Some(a) => match a.param("CN").map(str::trim).filter(|cn| !cn.is_empty()) {
            Some(cn) => cn.to_string(),
            None => strip_mailto(&a.value).to_string(),
        },
        None => w.someone.to_string(),
    }
}

fn partstat(cal: &Calendar) -> Option<String> {
    cal.prop("ATTENDEE").and_then(|a| a.param("PARTSTAT")).map(|p| p.trim().to_ascii_uppercase())
}

fn sequence(cal: &Calendar) -> i64 {
    cal.prop("SEQUENCE").and_then(|s| s.value.trim().parse().ok()).unwrap_or(0)
}

/// Collapses control characters (line breaks included) and breaking spaces into
/// single spaces.
pub(crate) fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        // No-break spaces stay: French puts one before a colon.
        if c.is_control() || (c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}')) {
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
        assert_eq!(subject("REQUEST", &cal("UID:x\r\n"), Language::En), "Invitation: (no title)");
        assert_eq!(subject("REPLY", &cal("UID:x\r\n"), Language::En), "Reply: Someone – (no title)");
        assert_eq!(subject("X-OTHER", &cal("SUMMARY:Multi\\nline\r\n"), Language::En), "Multi line");
    }

    #[test]
    fn body_lists_attendees_with_their_answers() {
        let c = cal("SUMMARY:Lunch\r\nLOCATION:Café\\, 1st floor\r\nDTSTART:20260303T120000Z\r\n\
             ORGANIZER;CN=Alice:mailto:alice@example.com\r\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bob@example.com\r\n");
        let text = body("REQUEST", &c, Language::En);
        assert!(text.starts_with("You are invited.\r\n\r\n"));
        assert!(text.contains("What:      Lunch\r\n"));
        assert!(text.contains("When:      Tue 3 Mar 2026 12:00 UTC\r\n"));
        assert!(text.contains("Where:     Café, 1st floor\r\n"));
        assert!(text.contains("Organizer: Alice <alice@example.com>\r\n"));
        assert!(text.contains("  - bob@example.com (needs-action)\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "only CRLF line ends");
    }

    #[test]
    fn french_summaries_are_written_in_french() {
        let c = cal("SUMMARY:Déjeuner\r\nDTSTART:20260303T120000Z\r\n\
             ORGANIZER;CN=Alice:mailto:alice@example.com\r\nATTENDEE;PARTSTAT=TENTATIVE;CN=Bob:mailto:bob@example.com\r\n");
        assert_eq!(subject("REQUEST", &c, Language::Fr), "Invitation\u{a0}: Déjeuner (mar. 3 mars 2026 12:00 UTC)");
        assert_eq!(subject("REPLY", &c, Language::Fr), "Peut-être\u{a0}: Bob – Déjeuner");
        let text = body("REPLY", &c, Language::Fr);
        assert!(text.starts_with("Bob a peut-être accepté «\u{a0}Déjeuner\u{a0}».\r\n\r\n"), "{text}");
        assert!(text.contains("Quand\u{a0}:        mar. 3 mars 2026 12:00 UTC\r\n"), "{text}");
        assert!(text.contains("  - Bob <bob@example.com> (peut-être)\r\n"));
        assert!(text.contains("Le fichier d’agenda joint"));
    }
}
