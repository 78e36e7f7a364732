//! Which addresses a subscribed feed may be fetched from: the one decision
//! against request forgery (a user naming a feed URL must not make the server
//! probe its own network, its cloud's metadata service or anything that is not
//! an ordinary host on the Internet).
//!
//! [`refusal`] is pure; the binary's feed fetcher calls it on every address a
//! name resolves to and on every IP literal of the first URL and of each
//! redirect, so that the address checked is the address connected to.
//! [`host_refusal`] applies it, when a subscription is created, to what can be
//! judged without a lookup (an IP-literal host, a `localhost` name): the user is
//! told at once instead of getting a calendar that stays empty. Names that
//! resolve inside are still refused only when fetched, since what a name
//! resolves to can change.
//!
//! The ranges are those of the IANA special-purpose address registries
//! (RFC 6890 and its updates). IPv6 forms that carry an IPv4 address (mapped,
//! compatible, NAT64 well-known prefix, 6to4) are judged by the address they
//! carry. IPv6 outside global unicast (2000::/3) is refused as reserved.

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// The server's feed settings.
#[derive(Debug, Clone, Default)]
pub struct FeedPolicy {
    /// `feeds_allow_private`: see [`refusal`].
    pub allow_private: bool,
    /// `feeds_resolve`: host names (lower case, without a final dot) the
    /// administrator pinned to addresses, used as given and never refused.
    pub pinned: HashMap<String, Vec<IpAddr>>,
}

/// Why a feed URL's host is refused before any lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostRefusal {
    /// An IP-literal host in a refused range.
    Address(IpAddr, SpecialRange),
    /// `localhost` or a name below it, which resolvers answer with loopback
    /// (RFC 6761 §6.3).
    LocalName(String),
}

impl fmt::Display for HostRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostRefusal::Address(ip, range) => write!(f, "feed address {ip} is {range}: refused"),
            HostRefusal::LocalName(host) => write!(f, "feed host {host} is {}: refused", SpecialRange::Loopback),
        }
    }
}

/// Why the host of `url` (as the fetcher's URL parser reads it: decimal, octal
/// and hexadecimal IPv4 forms are dotted quads, IPv6 unbracketed) is refused
/// under `policy` without a lookup, `None` if only fetching can tell.
pub fn host_refusal(url: &Url, policy: &FeedPolicy) -> Option<HostRefusal> {
    let ip = match url.host()? {
        Host::Ipv4(v4) => IpAddr::V4(v4),
        Host::Ipv6(v6) => IpAddr::V6(v6),
        Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            let local = name == "localhost" || name.ends_with(".localhost");
            let refused = local
                && !policy.pinned.contains_key(&name)
                && refusal(Ipv4Addr::LOCALHOST.into(), policy.allow_private).is_some();
            return refused.then_some(HostRefusal::LocalName(name));
        }
    };
    refusal(ip, policy.allow_private).map(|range| HostRefusal::Address(ip, range))
}

/// A range of addresses that is not an ordinary public host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialRange {
    /// 127.0.0.0/8, ::1.
    Loopback,
    /// 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918).
    Private,
    /// 100.64.0.0/10, carrier-grade NAT (RFC 6598); also used by overlay VPNs.
    SharedAddressSpace,
    /// fc00::/7 (RFC 4193).
    UniqueLocal,
    /// fec0::/10, deprecated by RFC 3879 but still routed inside some sites.
    SiteLocal,
    /// 64:ff9b:1::/48, NAT64 for local use (RFC 8215): the site's own translator.
    LocalNat64,
    /// 0.0.0.0/8 ("this network", RFC 1122 §3.2.1.3), ::.
    Unspecified,
    /// 169.254.0.0/16, fe80::/10: cloud metadata services live here.
    LinkLocal,
    /// 224.0.0.0/4, ff00::/8.
    Multicast,
    /// 255.255.255.255.
    Broadcast,
    /// 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 (RFC 5737), 2001:db8::/32
    /// (RFC 3849), 3fff::/20 (RFC 9637).
    Documentation,
    /// 198.18.0.0/15 (RFC 2544), 2001:2::/48 (RFC 5180).
    Benchmarking,
    /// 192.0.0.0/24 and 2001::/23, IETF protocol assignments (RFC 6890).
    ProtocolAssignments,
    /// 2001::/32 (RFC 4380): a tunnel whose end is hidden in the address.
    Teredo,
    /// 240.0.0.0/4, 192.88.99.0/24, 100::/64, IPv4-compatible IPv6 and anything
    /// outside IPv6 global unicast.
    Reserved,
}

impl SpecialRange {
    /// Whether the range is where a site's own servers live, so that
    /// `feeds_allow_private` lets it through (intranet feeds). The others are
    /// never a feed's host: unspecified and broadcast reach the server itself or
    /// everyone, multicast is not a host, link-local is where cloud metadata
    /// services answer, and the rest is not routed.
    pub fn is_internal_network(self) -> bool {
        matches!(
            self,
            SpecialRange::Loopback
                | SpecialRange::Private
                | SpecialRange::SharedAddressSpace
                | SpecialRange::UniqueLocal
                | SpecialRange::SiteLocal
                | SpecialRange::LocalNat64
        )
    }
}

impl fmt::Display for SpecialRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SpecialRange::Loopback => "loopback",
            SpecialRange::Private => "private network",
            SpecialRange::SharedAddressSpace => "carrier-grade NAT shared space",
            SpecialRange::UniqueLocal => "unique-local",
            SpecialRange::SiteLocal => "site-local",
            SpecialRange::LocalNat64 => "local-use NAT64",
            SpecialRange::Unspecified => "unspecified",
            SpecialRange::LinkLocal => "link-local",
            SpecialRange::Multicast => "multicast",
            SpecialRange::Broadcast => "broadcast",
            SpecialRange::Documentation => "documentation",
            SpecialRange::Benchmarking => "benchmarking",
            SpecialRange::ProtocolAssignments => "IETF protocol assignments",
            SpecialRange::Teredo => "Teredo",
            SpecialRange::Reserved => "reserved",
        })
    }
}

/// Why a feed may not be fetched from `ip`, or `None` if it may.
/// `allow_private` is the `feeds_allow_private` setting: it lets through the
/// ranges of [`SpecialRange::is_internal_network`], never the others.
pub fn refusal(ip: IpAddr, allow_private: bool) -> Option<SpecialRange> {
    special_range(ip).filter(|range| !(allow_private && range.is_internal_network()))
}

/// The special range `ip` is in, `None` for an ordinary public address.
pub fn special_range(ip: IpAddr) -> Option<SpecialRange> {
    match ip {
        IpAddr::V4(v4) => special_v4(v4),
        IpAddr::V6(v6) => special_v6(v6),
    }
}

fn special_v4(ip: Ipv4Addr) -> Option<SpecialRange> {
    use SpecialRange::*;
    if ip == Ipv4Addr::BROADCAST {
        return Some(Broadcast);
    }
    let bits = u32::from(ip);
    let within = |net: [u8; 4], len: u32| bits >> (32 - len) == u32::from_be_bytes(net) >> (32 - len);
    const TABLE: &[([u8; 4], u32, SpecialRange)] = &[
        ([0, 0, 0, 0], 8, Unspecified),
        ([10, 0, 0, 0], 8, Private),
        ([100, 64, 0, 0], 10, SharedAddressSpace),
        ([127, 0, 0, 0], 8, Loopback),
        ([169, 254, 0, 0], 16, LinkLocal),
        ([172, 16, 0, 0], 12, Private),
        ([192, 0, 0, 0], 24, ProtocolAssignments),
        ([192, 0, 2, 0], 24, Documentation),
        ([192, 88, 99, 0], 24, Reserved),
        ([192, 168, 0, 0], 16, Private),
        ([198, 18, 0, 0], 15, Benchmarking),
        ([198, 51, 100, 0], 24, Documentation),
        ([203, 0, 113, 0], 24, Documentation),
        ([224, 0, 0, 0], 4, Multicast),
        ([240, 0, 0, 0], 4, Reserved),
    ];
    TABLE.iter().find(|(net, len, _)| within(*net, *len)).map(|(_, _, range)| *range)
}

fn special_v6(ip: Ipv6Addr) -> Option<SpecialRange> {
    use SpecialRange::*;
    let bits = u128::from(ip);
    let within = |net: Ipv6Addr, len: u32| bits >> (128 - len) == u128::from(net) >> (128 - len);
    let low_v4 = Ipv4Addr::from((bits & 0xffff_ffff) as u32);
    if ip == Ipv6Addr::UNSPECIFIED {
        return Some(Unspecified);
    }
    if ip == Ipv6Addr::LOCALHOST {
        return Some(Loopback);
    }
    // ::ffff:0:0/96 (RFC 4291 §2.5.5.2): the IPv4 host itself on a dual-stack socket.
    if within(Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0, 0), 96) {
        return special_v4(low_v4);
    }
    // ::/96, IPv4-compatible (deprecated, RFC 4291 §2.5.5.1): never a real host.
    if within(Ipv6Addr::UNSPECIFIED, 96) {
        return Some(special_v4(low_v4).unwrap_or(Reserved));
    }
    // 64:ff9b::/96 (RFC 6052): the translator reaches the embedded IPv4 address.
    if within(Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0), 96) {
        return special_v4(low_v4);
    }
    // 2002::/16 (RFC 3056): 6to4 reaches the IPv4 address in bits 16..48.
    if within(Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0), 16) {
        return special_v4(Ipv4Addr::from((bits >> 80) as u32));
    }
    let table: [(Ipv6Addr, u32, SpecialRange); 11] = [
        (Ipv6Addr::new(0x64, 0xff9b, 1, 0, 0, 0, 0, 0), 48, LocalNat64),
        (Ipv6Addr::new(0x100, 0, 0, 0, 0, 0, 0, 0), 64, Reserved),
        (Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0), 32, Teredo),
        (Ipv6Addr::new(0x2001, 2, 0, 0, 0, 0, 0, 0), 48, Benchmarking),
        (Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0), 23, ProtocolAssignments),
        (Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32, Documentation),
        (Ipv6Addr::new(0x3fff, 0, 0, 0, 0, 0, 0, 0), 20, Documentation),
        (Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0), 7, UniqueLocal),
        (Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0), 10, LinkLocal),
        (Ipv6Addr::new(0xfec0, 0, 0, 0, 0, 0, 0, 0), 10, SiteLocal),
        (Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0), 8, Multicast),
    ];
    if let Some((_, _, range)) = table.iter().find(|(net, len, _)| within(*net, *len)) {
        return Some(*range);
    }
    // Only global unicast (RFC 4291 §2.4) is an ordinary host.
    (!within(Ipv6Addr::new(0x2000, 0, 0, 0, 0, 0, 0, 0), 3)).then_some(Reserved)
}

#[cfg(test)]
mod tests {
    use super::SpecialRange::{self, *};
    use super::{FeedPolicy, HostRefusal, host_refusal, refusal, special_range};

    /// Every range, at its edges where they matter: address → range (`None`:
    /// an ordinary public host).
    const TABLE: &[(&str, Option<SpecialRange>)] = &[
        // IPv4 public, including neighbours of special ranges.
        ("93.184.216.34", None),
        ("8.8.8.8", None),
        ("1.1.1.1", None),
        ("9.255.255.255", None),
        ("11.0.0.0", None),
        ("100.63.255.255", None),
        ("100.128.0.0", None),
        ("126.255.255.255", None),
        ("128.0.0.0", None),
        ("169.253.255.255", None),
        ("172.15.255.255", None),
        ("172.32.0.0", None),
        ("192.0.1.0", None),
        ("192.167.255.255", None),
        ("192.169.0.0", None),
        ("198.17.255.255", None),
        ("198.20.0.0", None),
        ("223.255.255.255", None),
        // IPv4 special.
        ("0.0.0.0", Some(Unspecified)),
        ("0.1.2.3", Some(Unspecified)),
        ("10.0.0.1", Some(Private)),
        ("10.255.255.255", Some(Private)),
        ("100.64.0.1", Some(SharedAddressSpace)),
        ("100.127.255.255", Some(SharedAddressSpace)),
        ("127.0.0.1", Some(Loopback)),
        ("127.255.255.254", Some(Loopback)),
        ("169.254.169.254", Some(LinkLocal)),
        ("172.16.0.1", Some(Private)),
        ("172.31.255.255", Some(Private)),
        ("192.0.0.8", Some(ProtocolAssignments)),
        ("192.0.0.170", Some(ProtocolAssignments)),
        ("192.0.2.1", Some(Documentation)),
        ("192.88.99.1", Some(Reserved)),
        ("192.168.1.1", Some(Private)),
        ("198.18.0.1", Some(Benchmarking)),
        ("198.19.255.255", Some(Benchmarking)),
        ("198.51.100.7", Some(Documentation)),
        ("203.0.113.9", Some(Documentation)),
        ("224.0.0.1", Some(Multicast)),
        ("239.255.255.250", Some(Multicast)),
        ("240.0.0.1", Some(Reserved)),
        ("255.255.255.254", Some(Reserved)),
        ("255.255.255.255", Some(Broadcast)),
        // IPv6 public.
        ("2606:2800:220:1::1", None),
        ("2a00:1450:4007:80e::200e", None),
        ("2001:200::1", None),
        ("2001:4860:4860::8888", None),
        // IPv6 special.
        ("::", Some(Unspecified)),
        ("::1", Some(Loopback)),
        ("fc00::1", Some(UniqueLocal)),
        ("fd00:ec2::254", Some(UniqueLocal)),
        ("fe80::1", Some(LinkLocal)),
        ("febf:ffff::1", Some(LinkLocal)),
        ("fec0::1", Some(SiteLocal)),
        ("ff02::1", Some(Multicast)),
        ("ff0e::101", Some(Multicast)),
        ("2001:db8::1", Some(Documentation)),
        ("3fff::1", Some(Documentation)),
        ("2001::1", Some(Teredo)),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", Some(Teredo)),
        ("2001:2::1", Some(Benchmarking)),
        ("2001:10::1", Some(ProtocolAssignments)),
        ("2001:1ff::1", Some(ProtocolAssignments)),
        ("100::1", Some(Reserved)),
        ("4000::1", Some(Reserved)),
        ("::ffff:0:0:0", Some(Reserved)),
        ("64:ff9b:1::a00:1", Some(LocalNat64)),
        // IPv4-mapped: judged by the IPv4 address.
        ("::ffff:127.0.0.1", Some(Loopback)),
        ("::ffff:10.0.0.1", Some(Private)),
        ("::ffff:169.254.169.254", Some(LinkLocal)),
        ("::ffff:0.0.0.0", Some(Unspecified)),
        ("::ffff:8.8.8.8", None),
        // IPv4-compatible (deprecated): the IPv4 range, else reserved.
        ("::127.0.0.1", Some(Loopback)),
        ("::10.1.2.3", Some(Private)),
        ("::2", Some(Unspecified)),
        ("::8.8.8.8", Some(Reserved)),
        // NAT64 well-known prefix: judged by the IPv4 address.
        ("64:ff9b::7f00:1", Some(Loopback)),
        ("64:ff9b::a9fe:a9fe", Some(LinkLocal)),
        ("64:ff9b::c0a8:101", Some(Private)),
        ("64:ff9b::808:808", None),
        // 6to4: judged by the IPv4 address in bits 16..48.
        ("2002:7f00:1::1", Some(Loopback)),
        ("2002:a00:1::", Some(Private)),
        ("2002:a9fe:a9fe::1", Some(LinkLocal)),
        ("2002:808:808::1", None),
    ];

    #[test]
    fn every_range_is_classified() {
        for (text, expected) in TABLE {
            assert_eq!(special_range(text.parse().unwrap()), *expected, "{text}");
        }
    }

    #[test]
    fn private_networks_are_refused_by_default() {
        for (text, expected) in TABLE {
            let refused = refusal(text.parse().unwrap(), false);
            assert_eq!(refused, *expected, "{text}");
        }
    }

    #[test]
    fn allowing_private_networks_keeps_the_rest_refused() {
        let released = [Loopback, Private, SharedAddressSpace, UniqueLocal, SiteLocal, LocalNat64];
        for (text, expected) in TABLE {
            let refused = refusal(text.parse().unwrap(), true);
            match expected {
                Some(range) if released.contains(range) => assert_eq!(refused, None, "{text}"),
                other => assert_eq!(refused, *other, "{text}"),
            }
        }
        for ip in ["127.0.0.1", "::1", "10.0.0.1", "100.64.0.1", "fd12::1", "::ffff:192.168.0.1", "64:ff9b:1::1"] {
            assert_eq!(refusal(ip.parse().unwrap(), true), None, "{ip}");
        }
        for ip in ["0.0.0.0", "::", "224.0.0.1", "ff02::1", "169.254.169.254", "fe80::1", "255.255.255.255"] {
            assert!(refusal(ip.parse().unwrap(), true).is_some(), "{ip}");
        }
    }

    #[test]
    fn hosts_judged_without_a_lookup() {
        let closed = FeedPolicy::default();
        let open = FeedPolicy { allow_private: true, ..Default::default() };
        let pinned = FeedPolicy { pinned: [("localhost".to_owned(), vec![])].into(), ..Default::default() };
        let judge = |url: &str, policy: &FeedPolicy| host_refusal(&url.parse().unwrap(), policy).map(|r| r.to_string());
        for (url, refused) in [
            ("http://169.254.169.254/latest/x.ics", Some("feed address 169.254.169.254 is link-local: refused")),
            ("http://127.0.0.1:1/x.ics", Some("feed address 127.0.0.1 is loopback: refused")),
            ("http://10.0.0.1/x.ics", Some("feed address 10.0.0.1 is private network: refused")),
            ("http://2130706433/x.ics", Some("feed address 127.0.0.1 is loopback: refused")),
            ("http://[::1]/x.ics", Some("feed address ::1 is loopback: refused")),
            ("http://[::ffff:169.254.169.254]/x", Some("feed address ::ffff:169.254.169.254 is link-local: refused")),
            ("http://[fe80::1]/x", Some("feed address fe80::1 is link-local: refused")),
            ("http://LocalHost./x.ics", Some("feed host localhost is loopback: refused")),
            ("http://cal.localhost/x.ics", Some("feed host cal.localhost is loopback: refused")),
            ("https://93.184.216.34/x.ics", None),
            ("https://[2606:2800:220:1::1]/x.ics", None),
            ("https://calendar.example/x.ics", None),
            ("https://localhost.example/x.ics", None),
        ] {
            assert_eq!(judge(url, &closed).as_deref(), refused, "{url}");
        }
        assert_eq!(judge("http://127.0.0.1:1/x.ics", &open), None);
        assert_eq!(judge("http://[fd00::1]/x.ics", &open), None);
        assert_eq!(judge("http://localhost:8000/x.ics", &open), None);
        assert_eq!(judge("http://localhost:8000/x.ics", &pinned), None);
        assert_eq!(
            host_refusal(&"http://169.254.169.254/".parse().unwrap(), &open),
            Some(HostRefusal::Address("169.254.169.254".parse().unwrap(), LinkLocal))
        );
        assert!(judge("http://0.0.0.0:8008/", &open).is_some());
    }
}
