//! Who is on the other end: the peer address, or, behind a trusted reverse proxy,
//! the address the proxy reports in `X-Forwarded-For`.
//!
//! Without this, every client behind nginx would share the proxy's address and a
//! few failed logins from anyone would throttle everyone.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request};
use ipnet::IpNet;

/// The client address of a request, put in its extensions by `observe`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

/// Resolves the client address. Only when the peer is a trusted proxy is
/// `X-Forwarded-For` read, right to left, skipping trusted proxies: the first
/// address not trusted is the client (anything further left may be forged).
pub fn resolve(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> ClientAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let Some(peer) = peer else { return ClientAddr(None) };
    if !is_trusted(&peer) {
        return ClientAddr(Some(peer));
    }
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let client = hops.iter().rev().find(|ip| !is_trusted(ip)).or(hops.first()).copied().unwrap_or(peer);
    ClientAddr(Some(client))
}

/// Whether a trusted reverse proxy says the client reached it over HTTPS
/// (`X-Forwarded-Proto: https`, the last value, which the nearest proxy wrote):
/// the web session cookie is then marked `Secure` although this hop is plain.
/// From anyone else the header is ignored.
pub fn forwarded_https(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> bool {
    let Some(peer) = peer else { return false };
    if !trusted.iter().any(|net| net.contains(&peer)) {
        return false;
    }
    let last = headers
        .get_all("x-forwarded-proto")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .next_back();
    last.is_some_and(|proto| proto.eq_ignore_ascii_case("https"))
}

/// The TCP peer of a request, when the server recorded it.
pub fn peer<B>(req: &Request<B>) -> Option<IpAddr> {
    req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().unwrap());
        h
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn untrusted_peers_are_the_client() {
        let got = resolve(ip("203.0.113.9"), &headers("198.51.100.1"), &[]);
        assert_eq!(got, ClientAddr(ip("203.0.113.9")));
    }

    #[test]
    fn https_is_believed_from_trusted_proxies_only() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let mut h = HeaderMap::new();
        h.append("x-forwarded-proto", "http, HTTPS".parse().unwrap());
        assert!(forwarded_https(ip("10.0.0.1"), &h, &trusted));
        assert!(!forwarded_https(ip("203.0.113.1"), &h, &trusted));
        assert!(!forwarded_https(ip("10.0.0.1"), &HeaderMap::new(), &trusted));
        h.append("x-forwarded-proto", "http".parse().unwrap());
        assert!(!forwarded_https(ip("10.0.0.1"), &h, &trusted), "the nearest proxy's word counts");
    }

    #[test]
    fn trusted_proxies_are_skipped_from_the_right() {
        let trusted: Vec<IpNet> = vec!["127.0.0.1/32".parse().unwrap(), "10.0.0.0/8".parse().unwrap()];
        let h = headers("6.6.6.6, 198.51.100.7, 10.1.2.3");
        assert_eq!(resolve(ip("127.0.0.1"), &h, &trusted), ClientAddr(ip("198.51.100.7")));
        assert_eq!(resolve(ip("127.0.0.1"), &HeaderMap::new(), &trusted), ClientAddr(ip("127.0.0.1")));
        assert_eq!(resolve(ip("127.0.0.1"), &headers("garbage"), &trusted), ClientAddr(ip("127.0.0.1")));
    }
}
