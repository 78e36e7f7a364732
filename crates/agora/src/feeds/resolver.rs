//! Name resolution for feed fetches, with the address filter inside it: reqwest
//! connects to exactly the addresses this resolver returns, so no later lookup
//! (DNS rebinding) can swap a checked address for an internal one.
//!
//! reqwest does not call a resolver for IP-literal hosts; those are checked by
//! [`super::redirect::check_url`] for the first URL and every redirect.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

use agora_core::subscriptions::address;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::Refusal;

/// Resolves with the system's resolver and keeps only the addresses a feed may
/// be fetched from; a name left with none fails with [`Refusal::Resolved`].
pub(super) struct FilteringResolver {
    pub allow_private: bool,
    /// Names the administrator pinned to addresses (`feeds_resolve`): used as
    /// given, unfiltered, and never looked up.
    pub pinned: HashMap<String, Vec<IpAddr>>,
}

impl Resolve for FilteringResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().trim_end_matches('.').to_ascii_lowercase();
        if let Some(addresses) = self.pinned.get(&host) {
            // Port 0: the connector puts the URL's port in.
            let addrs: Vec<SocketAddr> = addresses.iter().map(|ip| SocketAddr::new(*ip, 0)).collect();
            return Box::pin(async move { Ok(Box::new(addrs.into_iter()) as Addrs) });
        }
        let allow_private = self.allow_private;
        Box::pin(async move {
            let found = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let (allowed, refused): (Vec<SocketAddr>, Vec<SocketAddr>) =
                found.partition(|a| address::refusal(a.ip(), allow_private).is_none());
            if allowed.is_empty() {
                let addresses = refused
                    .iter()
                    .filter_map(|a| address::refusal(a.ip(), allow_private).map(|range| (a.ip(), range)))
                    .collect();
                return Err(Refusal::Resolved { host, addresses }.into());
            }
            if !refused.is_empty() {
                tracing::debug!(host, refused = refused.len(), "internal addresses of a feed host skipped");
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}
