//! Slowing down repeated authentication failures.
//!
//! Failures are counted per login (as typed, lower-cased) and per client address
//! within a window. Past the limit, every attempt for that key is refused without
//! checking the password until a back-off has passed; the back-off doubles with
//! each further failure (1 s, 2 s, 4 s …) up to the window. Unknown logins are
//! counted exactly like real ones, so the answers never reveal whether an account
//! exists. Counts live in this process's memory: behind a load balancer each
//! front-end throttles on its own, which still bounds guessing to a few per second.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const MAX_KEYS: usize = 100_000;
/// A client address may fail this many times more than one login may.
const ADDRESS_FACTOR: u32 = 4;

#[derive(Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

#[derive(Hash, PartialEq, Eq, Clone)]
enum Key {
    Login(String),
    Address(IpAddr),
}

pub(super) struct Throttle {
    max_failures: u32,
    window: Duration,
    failures: Mutex<HashMap<Key, Failures>>,
}

impl Throttle {
    pub(super) fn new(max_failures: u32, window: Duration) -> Self {
        Throttle { max_failures: max_failures.max(1), window, failures: Mutex::new(HashMap::new()) }
    }

    fn keys(login: &str, client: Option<IpAddr>) -> impl Iterator<Item = (Key, u32)> {
        std::iter::once((Key::Login(login.to_owned()), 1)).chain(client.map(|ip| (Key::Address(ip), ADDRESS_FACTOR)))
    }

    /// How long until an attempt for this login from this client is considered.
    pub(super) fn blocked(&self, login: &str, client: Option<IpAddr>) -> Option<Duration> {
        let now = Instant::now();
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        Self::keys(login, client)
            .filter_map(|(key, factor)| {
                let f = map.get(&key)?;
                let limit = self.max_failures * factor;
                if f.count < limit {
                    return None;
                }
                let until = f.last + self.backoff(f.count - limit);
                (until > now).then(|| until - now)
            })
            .max()
    }

    fn backoff(&self, excess: u32) -> Duration {
        Duration::from_secs(1u64 << excess.min(16)).min(self.window)
    }

    pub(super) fn failed(&self, login: &str, client: Option<IpAddr>) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_KEYS {
            let window = self.window;
            map.retain(|_, f| now.duration_since(f.last) < window);
        }
        for (key, _) in Self::keys(login, client) {
            let f = map.entry(key).or_insert(Failures { count: 0, last: now });
            if now.duration_since(f.last) > self.window {
                *f = Failures { count: 0, last: now };
            }
            f.count += 1;
            f.last = now;
        }
    }

    pub(super) fn succeeded(&self, login: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&Key::Login(login.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_and_backs_off() {
        let t = Throttle::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert!(t.blocked("eve", None).is_none());
            t.failed("eve", None);
        }
        let wait = t.blocked("eve", None).expect("blocked after 3 failures");
        assert!(wait <= Duration::from_secs(1));
        t.failed("eve", None);
        assert!(t.blocked("eve", None).unwrap() > Duration::from_secs(1));
        assert!(t.blocked("alice", None).is_none(), "other logins are unaffected");
    }

    #[test]
    fn an_address_is_limited_across_logins() {
        let t = Throttle::new(2, Duration::from_secs(60));
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        for i in 0..8 {
            t.failed(&format!("user{i}"), Some(ip));
        }
        assert!(t.blocked("someone-new", Some(ip)).is_some());
        assert!(t.blocked("someone-new", None).is_none());
    }

    #[test]
    fn success_clears_the_login() {
        let t = Throttle::new(2, Duration::from_secs(60));
        t.failed("bob", None);
        t.succeeded("bob");
        t.failed("bob", None);
        assert!(t.blocked("bob", None).is_none());
    }
}
