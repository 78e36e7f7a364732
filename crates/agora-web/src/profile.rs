//! What a phone needs to be set up in one scan: the server's address as the
//! client reached it, the Apple configuration profile (`.mobileconfig`) and the
//! link DAVx5 opens.
//!
//! # The Apple profile
//! An XML property list (`<!DOCTYPE plist …>`) of type `Configuration` whose
//! `PayloadContent` holds one `com.apple.caldav.account` and one
//! `com.apple.carddav.account` payload: host, port, TLS flag, principal URL and
//! user name (Apple's Device Management reference, "CalDAV" and "CardDAV").
//! It carries **no password**: a profile file lingers in Downloads folders and
//! mail, and iOS asks for the password when the profile is installed (the page
//! shows the device's app password at that moment). The identifiers are derived
//! from host and user, so installing a newer profile replaces the older one
//! instead of adding a second account.
//!
//! # The DAVx5 link
//! DAVx5 registers the `caldavs://` and `carddavs://` schemes (`caldav://`
//! without TLS): `caldavs://USER:PASSWORD@HOST[:PORT]/PATH` opens its login
//! screen filled in. The app password rides in it because the link is only
//! ever scanned from the screen, never stored as a file. The path is the root:
//! DAVx5 finds both services from there (`/.well-known/caldav`, RFC 6764).

use agora_dav::AppState;
use agora_dav::paths::principal_href;
use agora_dav_xml::escape_text;
use axum::extract::Request;
use axum::http::header;
use axum::http::uri::Authority;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha2::{Digest, Sha256};

/// Where clients reach this server: scheme, host and port of the request as
/// the server received it (its `Host`, and HTTPS when served over TLS here or
/// at a trusted proxy that says so, like the session cookie's `Secure`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    pub https: bool,
    /// The host name or address, without port (IPv6 in brackets).
    pub host: String,
    pub port: u16,
}

impl Origin {
    /// The request's origin; `None` without a usable `Host` (or authority).
    pub fn of(tls: bool, app: &AppState, req: &Request) -> Option<Origin> {
        let https = crate::api::secure(tls, app, req);
        let raw = match req.headers().get(header::HOST) {
            Some(v) => v.to_str().ok()?.to_owned(),
            None => req.uri().authority()?.as_str().to_owned(),
        };
        let authority: Authority = raw.trim().parse().ok()?;
        if authority.as_str().contains('@') || authority.host().is_empty() {
            return None;
        }
        let port = authority.port_u16().unwrap_or(if https { 443 } else { 80 });
        Some(Origin { https, host: authority.host().to_ascii_lowercase(), port })
    }

    fn default_port(&self) -> bool {
        self.port == if self.https { 443 } else { 80 }
    }

    /// `host` or `host:port` when the port is not the scheme's default.
    pub fn authority(&self) -> String {
        if self.default_port() { self.host.clone() } else { format!("{}:{}", self.host, self.port) }
    }

    /// `https://host[:port]` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("{}://{}", if self.https { "https" } else { "http" }, self.authority())
    }
}

/// What URL user information may carry unescaped (RFC 3986 §3.2.1: unreserved
/// and sub-delims; `:` separates the password, so it is escaped in the user).
const USERINFO: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The link DAVx5 opens with its login screen filled in.
pub(crate) fn davx5_link(origin: &Origin, login: &str, password: &str) -> String {
    let scheme = if origin.https { "caldavs" } else { "caldav" };
    let user = utf8_percent_encode(login, USERINFO);
    let pass = utf8_percent_encode(password, USERINFO);
    format!("{scheme}://{user}:{pass}@{}/", origin.authority())
}

/// The file name the profile is offered under.
pub(crate) fn file_name(origin: &Origin) -> String {
    let host: String =
        origin.host.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).collect();
    format!("agora-{host}.mobileconfig")
}

/// The `.mobileconfig` of a user: see the module documentation.
pub(crate) fn mobileconfig(origin: &Origin, login: &str, display_name: &str) -> String {
    let id = identifier(origin, login);
    let principal = format!("{}{}", origin.base_url(), principal_href(login));
    let title = format!("Agora ({})", origin.host);
    let account = |kind: &str, prefix: &str, what: &str| {
        let payload_id = format!("{id}.{kind}");
        let mut d = Dict::default();
        d.string(&format!("{prefix}AccountDescription"), &format!("{what} – {display_name}"));
        d.string(&format!("{prefix}HostName"), &origin.host);
        d.integer(&format!("{prefix}Port"), origin.port.into());
        d.string(&format!("{prefix}PrincipalURL"), &principal);
        d.boolean(&format!("{prefix}UseSSL"), origin.https);
        d.string(&format!("{prefix}Username"), login);
        d.string("PayloadDescription", &format!("{what} account {login} on {}", origin.host));
        d.string("PayloadDisplayName", &format!("{what} ({})", origin.host));
        d.string("PayloadIdentifier", &payload_id);
        d.string("PayloadOrganization", "Agora");
        d.string("PayloadType", &format!("com.apple.{kind}.account"));
        d.string("PayloadUUID", &uuid(&payload_id));
        d.integer("PayloadVersion", 1);
        d.finish(2)
    };
    let mut top = Dict::default();
    top.raw(
        "PayloadContent",
        &format!(
            "<array>\n{}\n{}\n\t</array>",
            account("caldav", "CalDAV", "Calendars"),
            account("carddav", "CardDAV", "Contacts")
        ),
    );
    top.string("PayloadDescription", &format!("Calendars and contacts of {login} on {}", origin.host));
    top.string("PayloadDisplayName", &title);
    top.string("PayloadIdentifier", &id);
    top.string("PayloadOrganization", "Agora");
    top.boolean("PayloadRemovalDisallowed", false);
    top.string("PayloadType", "Configuration");
    top.string("PayloadUUID", &uuid(&id));
    top.integer("PayloadVersion", 1);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
         <plist version=\"1.0\">\n{}\n</plist>\n",
        top.finish(0)
    )
}

/// A reverse-DNS identifier for the profile of `login` on this host, e.g.
/// `org.example.cal.agora.alice`; characters outside `[A-Za-z0-9-]` become `-`.
fn identifier(origin: &Origin, login: &str) -> String {
    let clean = |s: &str| -> String { s.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect() };
    let host = origin.host.trim_matches(['[', ']']);
    let mut parts: Vec<String> = host.split('.').rev().map(clean).collect();
    if origin.port != 443 && origin.port != 80 {
        parts.push(format!("p{}", origin.port));
    }
    parts.push("agora".into());
    parts.push(clean(login));
    parts.join(".")
}

/// A stable UUID derived from a name (SHA-256, laid out as an RFC 9562 version 8
/// UUID), so that the same profile keeps the same UUIDs.
fn uuid(name: &str) -> String {
    let mut b: [u8; 16] = Sha256::digest(name.as_bytes())[..16].try_into().expect("16 bytes");
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02X}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// A plist `<dict>` being written, its keys in the order given.
#[derive(Default)]
struct Dict(Vec<(String, String)>);

impl Dict {
    fn raw(&mut self, key: &str, value: &str) {
        self.0.push((key.to_owned(), value.to_owned()));
    }
    fn string(&mut self, key: &str, value: &str) {
        self.raw(key, &format!("<string>{}</string>", escape_text(value)));
    }
    fn integer(&mut self, key: &str, value: i64) {
        self.raw(key, &format!("<integer>{value}</integer>"));
    }
    fn boolean(&mut self, key: &str, value: bool) {
        self.raw(key, if value { "<true/>" } else { "<false/>" });
    }
    fn finish(self, depth: usize) -> String {
        let pad = "\t".repeat(depth);
        let body: String =
            self.0.iter().map(|(k, v)| format!("{pad}\t<key>{}</key>\n{pad}\t{v}\n", escape_text(k))).collect();
        format!("{pad}<dict>\n{body}{pad}</dict>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(https: bool, host: &str, port: u16) -> Origin {
        Origin { https, host: host.into(), port }
    }

    #[test]
    fn davx5_links_carry_escaped_credentials() {
        let o = origin(true, "cal.example.org", 443);
        assert_eq!(davx5_link(&o, "alice", "abcde-fghij"), "caldavs://alice:abcde-fghij@cal.example.org/");
        let o = origin(false, "127.0.0.1", 8080);
        assert_eq!(davx5_link(&o, "a@b.org", "x:y/z"), "caldav://a%40b.org:x%3Ay%2Fz@127.0.0.1:8080/");
    }

    #[test]
    fn identifiers_and_uuids_are_stable_and_distinct() {
        let o = origin(true, "cal.example.org", 443);
        assert_eq!(identifier(&o, "jean.dupont"), "org.example.cal.agora.jean-dupont");
        assert_eq!(identifier(&origin(false, "[::1]", 8080), "a"), "--1.p8080.agora.a");
        let u = uuid("x");
        assert_eq!(u, uuid("x"));
        assert_ne!(u, uuid("y"));
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "8", "version 8: {u}");
    }

    #[test]
    fn names_are_escaped_in_the_plist() {
        let xml = mobileconfig(&origin(true, "h.example", 443), "bob", "Bob <&> Co");
        assert!(xml.contains("Bob &lt;&amp;&gt; Co"), "{xml}");
        assert!(!xml.contains("<&>"));
        assert_eq!(file_name(&origin(true, "[::1]", 443)), "agora-___1_.mobileconfig");
    }
}
