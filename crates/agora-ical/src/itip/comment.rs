//! The attendee's comment on their answer (RFC 5546 §3.2.3 allows COMMENT in a
//! REPLY; `reply` copies the attendee's COMMENTs into it): how the organizer's
//! copy records it, as the `X-RESPONSE-COMMENT` parameter on that attendee's ATTENDEE line
//! (what Thunderbird/Lightning writes and shows). It is not copied as a COMMENT
//! property of the organizer's component: that would go to every attendee with
//! the next REQUEST as if the organizer had written it.

use super::tree::{remove_param, set_param};
use crate::content::{Line, Node};

/// The ATTENDEE parameter holding an attendee's comment on their answer.
pub(crate) const RESPONSE_COMMENT: &str = "X-RESPONSE-COMMENT";

/// The comment a REPLY component (`reply`, whose ATTENDEE line is `attendee`)
/// makes on the answer, as a parameter value, for the organizer's component
/// `organizer`: the REPLY's COMMENTs (TEXT unescaped, several joined by a
/// space) that the organizer's component does not have itself (a client that
/// copies the whole event into its REPLY echoes the organizer's own COMMENTs),
/// else the replier's X-RESPONSE-COMMENT parameter. `None` when there is none.
pub(crate) fn response_comment(reply: &Node, attendee: &Line, organizer: &Node) -> Option<String> {
    let own: Vec<String> = organizer.props("COMMENT").map(Line::text).collect();
    let said: Vec<String> = reply.props("COMMENT").map(Line::text).filter(|t| !own.contains(t)).collect();
    let text =
        if said.is_empty() { attendee.param(RESPONSE_COMMENT).unwrap_or_default().to_owned() } else { said.join(" ") };
    let text = param_text(&text);
    (!text.is_empty()).then_some(text)
}

/// Records `comment` on an ATTENDEE line, or removes the previous one when the
/// new answer has none (a new answer replaces the old one, comment included).
pub(crate) fn set_response_comment(line: &mut Line, comment: Option<&str>) {
    match comment {
        Some(c) => set_param(line, RESPONSE_COMMENT, c),
        None => remove_param(line, RESPONSE_COMMENT),
    }
}

/// A TEXT value made fit for a parameter value (RFC 5545 §3.1, §3.2: no control
/// characters, no DQUOTE inside a quoted value). Line breaks and other control
/// characters become spaces and runs of white space one space: clients show the
/// comment on one line, and a reader without RFC 6868 would show `^n` literally.
/// DQUOTE is kept: the content writer writes it as `^'` (RFC 6868 §3), which
/// Thunderbird (ical.js) decodes, and there is no other way to keep it. The
/// writer also quotes the value when it holds `:` `;` `,`.
pub(crate) fn param_text(text: &str) -> String {
    text.split(|c: char| c.is_control() || c.is_whitespace()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{line_text, parse_line};

    #[test]
    fn param_text_folds_breaks_and_keeps_quotes_for_the_writer() {
        assert_eq!(param_text("  Will bring\r\nthe\tslides \u{7} "), "Will bring the slides");
        assert_eq!(param_text("\n \r"), "");
        let mut line = Line::new("ATTENDEE", Vec::new(), "mailto:bob@example.org");
        set_response_comment(&mut line, Some(&param_text("Say \"hi\"; later: ok")));
        let text = line_text(&line);
        assert_eq!(text, "ATTENDEE;X-RESPONSE-COMMENT=\"Say ^'hi^'; later: ok\":mailto:bob@example.org");
        let back = parse_line(&text).unwrap();
        assert_eq!(back.param(RESPONSE_COMMENT), Some("Say \"hi\"; later: ok"));
        set_response_comment(&mut line, None);
        assert_eq!(line.param(RESPONSE_COMMENT), None);
    }
}
