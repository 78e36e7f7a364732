//! The fetcher against feeds served on loopback: refused addresses are never
//! connected to, whether named by an IP literal, by a name or by a redirect at
//! any hop. Names standing for public hosts are pinned to loopback servers, the
//! way an administrator pins an intranet host (`feeds_resolve`).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use agora_core::subscriptions::address::SpecialRange;

use super::{FetchError, Fetcher, Refusal};

const FEED: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n";

/// A loopback HTTP server answering every request with `answer` (a 200 with the
/// feed, or a redirect to the given location); counts the requests it gets.
struct Served {
    port: u16,
    hits: Arc<AtomicUsize>,
}

fn serve(location: Option<String>) -> Served {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            counted.fetch_add(1, Ordering::SeqCst);
            let answer = match &location {
                Some(to) => {
                    format!("HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                }
                None => format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{FEED}",
                    FEED.len()
                ),
            };
            let _ = (&stream).write_all(answer.as_bytes());
        }
    });
    Served { port, hits }
}

impl Served {
    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

/// Names standing for public hosts, all on loopback.
fn public_names() -> HashMap<String, Vec<IpAddr>> {
    ["feeds.example", "moved.example"]
        .into_iter()
        .map(|name| (name.to_owned(), vec![IpAddr::V4(Ipv4Addr::LOCALHOST)]))
        .collect()
}

fn refusal(result: Result<String, FetchError>) -> Refusal {
    match result {
        Err(FetchError::Refused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn an_ip_literal_on_loopback_is_refused_unless_private_is_allowed() {
    let feed = serve(None);
    let url = format!("http://127.0.0.1:{}/secret-token/basic.ics", feed.port);
    let refused = refusal(Fetcher::new(false, HashMap::new()).fetch(&url).await);
    assert!(matches!(refused, Refusal::Literal { range: SpecialRange::Loopback, .. }), "{refused:?}");
    assert!(!refused.to_string().contains("secret"), "{refused}");
    assert_eq!(feed.hits(), 0);

    assert_eq!(Fetcher::new(true, HashMap::new()).fetch(&url).await.unwrap(), FEED);
    assert_eq!(feed.hits(), 1);
}

#[tokio::test]
async fn a_name_resolving_to_loopback_is_refused_unless_private_is_allowed() {
    let feed = serve(None);
    let url = format!("http://localhost:{}/secret-token/basic.ics?key=hush", feed.port);
    let e = Fetcher::new(false, HashMap::new()).fetch(&url).await;
    let message = e.as_ref().unwrap_err().to_string();
    match refusal(e) {
        Refusal::Resolved { host, addresses } => {
            assert_eq!(host, "localhost");
            assert!(!addresses.is_empty() && addresses.iter().all(|(_, r)| *r == SpecialRange::Loopback));
        }
        other => panic!("{other:?}"),
    }
    assert!(message.contains("localhost") && !message.contains("secret") && !message.contains("hush"), "{message}");
    assert_eq!(feed.hits(), 0);

    assert_eq!(Fetcher::new(true, HashMap::new()).fetch(&url).await.unwrap(), FEED);
    assert_eq!(feed.hits(), 1);
}

#[tokio::test]
async fn every_hop_of_a_redirect_chain_is_checked() {
    let inside = serve(None);
    // feeds.example → feeds.example → moved.example → 127.0.0.1: the third
    // redirect is refused, the two before it followed.
    let last = serve(Some(format!("http://127.0.0.1:{}/secret-inside", inside.port)));
    let middle = serve(Some(format!("http://moved.example:{}/hop?token=hush", last.port)));
    let first = serve(Some(format!("http://feeds.example:{}/hop", middle.port)));
    let url = format!("http://feeds.example:{}/secret-token.ics", first.port);
    let e = Fetcher::new(false, public_names()).fetch(&url).await;
    let message = e.as_ref().unwrap_err().to_string();
    match refusal(e) {
        Refusal::Redirect { hop: 3, refusal } => {
            assert!(matches!(*refusal, Refusal::Literal { range: SpecialRange::Loopback, .. }), "{refusal:?}")
        }
        other => panic!("{other:?}"),
    }
    assert!(message.starts_with("refused: redirect 3: 127.0.0.1 is a refused address (loopback)"), "{message}");
    assert!(!message.contains("secret") && !message.contains("hush"), "{message}");
    assert_eq!((first.hits(), middle.hits(), last.hits(), inside.hits()), (1, 1, 1, 0));

    // Allowed, the same chain reaches the feed.
    assert_eq!(Fetcher::new(true, public_names()).fetch(&url).await.unwrap(), FEED);
    assert_eq!(inside.hits(), 1);
}

#[tokio::test]
async fn a_redirect_to_a_name_resolving_inside_is_refused() {
    let inside = serve(None);
    let public = serve(Some(format!("http://localhost:{}/feed.ics", inside.port)));
    let url = format!("http://feeds.example:{}/feed.ics", public.port);
    assert!(matches!(refusal(Fetcher::new(false, public_names()).fetch(&url).await), Refusal::Resolved { .. }));
    assert_eq!((public.hits(), inside.hits()), (1, 0));
}

#[tokio::test]
async fn redirects_to_other_schemes_and_endless_chains_are_refused() {
    let to_ftp = serve(Some("ftp://feeds.example/feed.ics".into()));
    let url = format!("http://feeds.example:{}/feed.ics", to_ftp.port);
    assert!(
        matches!(refusal(Fetcher::new(true, public_names()).fetch(&url).await), Refusal::Redirect { hop: 1, refusal } if matches!(&*refusal, Refusal::Scheme(s) if s == "ftp"))
    );
    // reqwest does not even offer a location without a host to the policy.
    let to_file = serve(Some("file:///etc/passwd".into()));
    let url = format!("http://feeds.example:{}/feed.ics", to_file.port);
    let answer = Fetcher::new(true, public_names()).fetch(&url).await;
    assert!(matches!(answer, Err(FetchError::Status(s)) if s == 302), "{answer:?}");

    let looping = serve(Some("/again".into()));
    let url = format!("http://feeds.example:{}/feed.ics", looping.port);
    assert!(matches!(refusal(Fetcher::new(true, public_names()).fetch(&url).await), Refusal::TooManyRedirects(5)));
    assert_eq!(looping.hits(), 6, "the first request and five redirects");
}

#[tokio::test]
async fn other_failures_name_no_url() {
    let url = "http://127.0.0.1:1/secret-token.ics?key=hush";
    let message = Fetcher::new(true, HashMap::new()).fetch(url).await.unwrap_err().to_string();
    assert!(!message.contains("secret") && !message.contains("hush") && !message.contains("127.0.0.1"), "{message}");
    let message = Fetcher::new(true, HashMap::new()).fetch("http://[::1/secret").await.unwrap_err().to_string();
    assert!(message.starts_with("invalid URL") && !message.contains("secret"), "{message}");
}
