//! The XML bodies of the requests real clients send, written by hand: they are
//! constant but for a token, a time range or a list of hrefs.

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";

/// PROPFIND Depth 0 for the change markers a polling client compares: the
/// CalendarServer `getctag` and the RFC 6578 §4 `sync-token` property.
pub fn change_markers() -> String {
    format!(
        "{HEAD}<D:propfind xmlns:D=\"DAV:\" xmlns:CS=\"http://calendarserver.org/ns/\">\
         <D:prop><CS:getctag/><D:sync-token/></D:prop></D:propfind>"
    )
}

/// `sync-collection` (RFC 6578 §3.2) from `token` (empty: everything), ETags only.
pub fn sync_collection(token: &str) -> String {
    format!(
        "{HEAD}<D:sync-collection xmlns:D=\"DAV:\"><D:sync-token>{}</D:sync-token>\
         <D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>",
        escape(token)
    )
}

/// Which multiget: the report and its data property differ by protocol.
#[derive(Clone, Copy, Debug)]
pub enum Multiget {
    /// RFC 4791 §7.9.
    Calendar,
    /// RFC 6352 §8.7.
    Addressbook,
}

/// A multiget of these hrefs, with ETag and data.
pub fn multiget(kind: Multiget, hrefs: &[String]) -> String {
    let (ns, report, data) = match kind {
        Multiget::Calendar => ("urn:ietf:params:xml:ns:caldav", "calendar-multiget", "calendar-data"),
        Multiget::Addressbook => ("urn:ietf:params:xml:ns:carddav", "addressbook-multiget", "address-data"),
    };
    let mut body =
        format!("{HEAD}<X:{report} xmlns:D=\"DAV:\" xmlns:X=\"{ns}\"><D:prop><D:getetag/><X:{data}/></D:prop>");
    for h in hrefs {
        body.push_str("<D:href>");
        body.push_str(&escape(h));
        body.push_str("</D:href>");
    }
    body.push_str(&format!("</X:{report}>"));
    body
}

/// `calendar-query` (RFC 4791 §7.8) for the events overlapping `[start, end)`
/// (UTC, `YYYYMMDDTHHMMSSZ`); recurring events match by any instance.
pub fn events_between(start: &str, end: &str, with_data: bool) -> String {
    let data = if with_data { "<C:calendar-data/>" } else { "" };
    format!(
        "{HEAD}<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">\
         <D:prop><D:getetag/>{data}</D:prop><C:filter><C:comp-filter name=\"VCALENDAR\">\
         <C:comp-filter name=\"VEVENT\"><C:time-range start=\"{start}\" end=\"{end}\"/>\
         </C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_escaped() {
        assert!(sync_collection("a&b").contains("<D:sync-token>a&amp;b</D:sync-token>"));
        assert!(sync_collection("").contains("<D:sync-token></D:sync-token>"));
    }

    #[test]
    fn multigets_name_their_protocol() {
        let body = multiget(Multiget::Addressbook, &["/a/1.vcf".into(), "/a/2.vcf".into()]);
        assert!(body.contains("<X:addressbook-multiget"));
        assert!(body.contains("<X:address-data/>"));
        assert_eq!(body.matches("<D:href>").count(), 2);
    }
}
