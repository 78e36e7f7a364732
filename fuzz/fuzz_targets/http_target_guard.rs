//! Differential fuzzing of `agora_dav::target_guard` against hyper's own HTTP/1
//! server parser. The guard re-frames requests to turn a `#` in a request
//! target into `<` (which hyper refuses); if it ever disagreed with hyper on
//! where a request ends it could rewrite a body or a header, or let a fragment
//! through. For each input (structured requests, often malformed, or raw
//! bytes), three runs:
//!
//! 1. the guard alone, one byte at a time, recording where it believes each
//!    request starts and each header block ends, and every byte it rewrote;
//! 2. hyper alone (reads of one byte, so the stream position when the service
//!    is called is exactly where hyper's header block ended);
//! 3. hyper behind the guard, in reads of a size the input chooses.
//!
//! Checked: the guard's output does not depend on how reads are split; it only
//! ever turns `#` into `<`; after it gives up it changes nothing; while it is
//! inspecting, its header-block ends are hyper's; the guarded server sees the
//! same requests (method, target, version, headers, body) as the plain one, up
//! to the first request whose target holds a `#`, which it refuses with 400,
//! and that `#` lies inside the request target as httparse reads that request.
#![no_main]

use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use agora_fuzz::target_guard::{Guarded, Phase, REFUSED, TargetGuard};
use agora_fuzz::{MemStream, runtime};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

/// What the service saw of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    method: String,
    uri: String,
    version: String,
    headers: Vec<(String, Vec<u8>)>,
    body: Option<Vec<u8>>,
}

/// Runs a hyper HTTP/1 server connection over `input`; returns what the
/// service saw, with the stream position at each call, and what was written.
fn serve(input: &[u8], step: usize, guarded: bool) -> (Vec<(Seen, usize)>, Vec<u8>) {
    let stream = MemStream::new(input.to_vec(), step);
    let read = Arc::clone(&stream.read);
    let output = Arc::clone(&stream.output);
    let seen: Arc<Mutex<Vec<(Seen, usize)>>> = Arc::default();
    let log = Arc::clone(&seen);
    let service = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
        let head_end = read.load(Ordering::SeqCst);
        let log = Arc::clone(&log);
        async move {
            let (parts, body) = req.into_parts();
            let body = body.collect().await.ok().map(|b| b.to_bytes().to_vec());
            let seen = Seen {
                method: parts.method.to_string(),
                uri: parts.uri.to_string(),
                version: format!("{:?}", parts.version),
                headers: parts.headers.iter().map(|(n, v)| (n.to_string(), v.as_bytes().to_vec())).collect(),
                body,
            };
            // Like Agora, which never upgrades: CONNECT is refused.
            let status =
                if parts.method == hyper::Method::CONNECT { StatusCode::METHOD_NOT_ALLOWED } else { StatusCode::OK };
            log.lock().unwrap().push((seen, head_end));
            let mut response = Response::new(Full::new(Bytes::from_static(b"ok")));
            *response.status_mut() = status;
            Ok::<_, Infallible>(response)
        }
    });
    let builder = hyper::server::conn::http1::Builder::new();
    runtime().block_on(async {
        let _ = if guarded {
            builder.serve_connection(TokioIo::new(Guarded::new(stream)), service).with_upgrades().await
        } else {
            builder.serve_connection(TokioIo::new(stream), service).with_upgrades().await
        };
    });
    let seen = seen.lock().unwrap().clone();
    let output = output.lock().unwrap().clone();
    (seen, output)
}

/// The guard's view of `input`, fed one byte at a time.
struct GuardView {
    output: Vec<u8>,
    /// Offsets where a request starts (the guard enters a fresh request line).
    starts: Vec<usize>,
    /// Offsets just past each header block.
    head_ends: Vec<usize>,
    /// Offset from which it passes everything through.
    gave_up: usize,
}

fn guard_view(input: &[u8]) -> GuardView {
    let mut guard = TargetGuard::default();
    let mut output = input.to_vec();
    let (mut starts, mut head_ends) = (vec![0], Vec::new());
    let mut gave_up = usize::MAX;
    for i in 0..output.len() {
        let before = guard.phase();
        guard.filter(&mut output[i..i + 1]);
        let after = guard.phase();
        if before == Phase::Headers && after != Phase::Headers {
            head_ends.push(i + 1);
        }
        if before != Phase::RequestLine && after == Phase::RequestLine {
            starts.push(i + 1);
        }
        if after == Phase::Passthrough && gave_up == usize::MAX {
            gave_up = i + 1;
        }
    }
    GuardView { output, starts, head_ends, gave_up }
}

fn pick<'a>(u: &mut Unstructured<'_>, choices: &[&'a str]) -> Result<&'a str> {
    u.choose(choices).copied()
}

/// One request, well-formed or not.
fn request(u: &mut Unstructured<'_>, out: &mut Vec<u8>) -> Result<()> {
    for _ in 0..u.int_in_range(0..=2)? {
        out.extend_from_slice(pick(u, &["\r\n", "\n", "\r"])?.as_bytes());
    }
    let method = pick(u, &["GET", "PUT", "POST", "DELETE", "PROPFIND", "CONNECT", "PRI", "G#T", "OPTIONS", ""])?;
    out.extend_from_slice(method.as_bytes());
    out.extend_from_slice(pick(u, &[" ", " ", " ", "  ", "\t"])?.as_bytes());
    if u.ratio(1, 8)? {
        out.extend_from_slice(pick(u, &["*", "http://h/a#b", "h:80", "//x"])?.as_bytes());
    } else {
        out.push(b'/');
        for _ in 0..u.int_in_range(0..=4)? {
            out.extend_from_slice(pick(u, &["a", "#", "?q", "%23", "{", "/", "#f", "é", " ", "\r"])?.as_bytes());
        }
    }
    let version = pick(u, &[" HTTP/1.1", " HTTP/1.1", " HTTP/1.0", " HTTP/2.0", " HTTP/1.1 ", "", " http/1.1"])?;
    out.extend_from_slice(version.as_bytes());
    let eol = |u: &mut Unstructured<'_>| -> Result<&'static str> {
        Ok(if u.ratio(7, 8)? { "\r\n" } else { pick(u, &["\n", "\r", "\r\r\n", " \r\n"])? })
    };
    out.extend_from_slice(eol(u)?.as_bytes());
    let mut length: Option<usize> = None;
    let mut chunked = false;
    for _ in 0..u.int_in_range(0..=5)? {
        match u.int_in_range(0..=9)? {
            0 | 1 => {
                let n = u.int_in_range(0..=12)?;
                length = Some(n);
                let name = pick(u, &["Content-Length", "content-length", "Content-Length ", "Content-Length\t"])?;
                let value = pick(
                    u,
                    &[
                        "{n}",
                        "{n}",
                        " {n} ",
                        "+{n}",
                        "{n}, {n}",
                        "{n},{m}",
                        "0{n}",
                        "-{n}",
                        "",
                        "0x{n}",
                        "99999999999999999999",
                    ],
                )?;
                let m = u.int_in_range(0..=12)?;
                let value = value.replace("{n}", &n.to_string()).replace("{m}", &m.to_string());
                out.extend_from_slice(format!("{name}:{value}").as_bytes());
            }
            2 | 3 => {
                chunked = true;
                let value = pick(
                    u,
                    &[
                        "chunked",
                        "chunked",
                        "Chunked",
                        " chunked ",
                        "gzip, chunked",
                        "chunked, gzip",
                        "identity",
                        "chunked,",
                        "chunk",
                        "chunked, chunked",
                    ],
                )?;
                out.extend_from_slice(format!("Transfer-Encoding:{value}").as_bytes());
            }
            4 => out.extend_from_slice(
                pick(u, &["Connection: close", "Connection: keep-alive", "Connection: upgrade"])?.as_bytes(),
            ),
            5 => {
                out.extend_from_slice(pick(u, &["Upgrade: websocket", "Expect: 100-continue", "Host: h#x"])?.as_bytes())
            }
            6 => out.extend_from_slice(
                pick(u, &[" folded: x", "\tx", "No-Colon", "Bad Name: x", "X#: y", ": empty"])?.as_bytes(),
            ),
            _ => {
                out.extend_from_slice(b"X-A: ");
                let len = u.int_in_range(0..=8)?;
                out.extend_from_slice(u.bytes(len)?);
            }
        }
        out.extend_from_slice(eol(u)?.as_bytes());
    }
    out.extend_from_slice(eol(u)?.as_bytes());
    if chunked && u.ratio(3, 4)? {
        for _ in 0..u.int_in_range(0..=3)? {
            let size = u.int_in_range(0..=9usize)?;
            let declared = if u.ratio(7, 8)? { size } else { u.int_in_range(0..=12)? };
            let ext = pick(u, &["", "", ";a=b", "; x", ";\"q#\"", " "])?;
            out.extend_from_slice(format!("{declared:x}{ext}").as_bytes());
            out.extend_from_slice(eol(u)?.as_bytes());
            body_bytes(u, size, out)?;
            out.extend_from_slice(eol(u)?.as_bytes());
        }
        out.extend_from_slice(pick(u, &["0", "0", "00", "0;e=1"])?.as_bytes());
        out.extend_from_slice(eol(u)?.as_bytes());
        if u.ratio(1, 4)? {
            out.extend_from_slice(pick(u, &["T: #1", "GET /x#y HTTP/1.1", " t"])?.as_bytes());
            out.extend_from_slice(eol(u)?.as_bytes());
        }
        out.extend_from_slice(eol(u)?.as_bytes());
    } else if let Some(n) = length {
        let n = if u.ratio(7, 8)? { n } else { u.int_in_range(0..=14)? };
        body_bytes(u, n, out)?;
    }
    Ok(())
}

/// Body bytes, rich in what could confuse a framer.
fn body_bytes(u: &mut Unstructured<'_>, n: usize, out: &mut Vec<u8>) -> Result<()> {
    const PIECES: &[u8] = b"##\r\n0 /GETHTTP:";
    for _ in 0..n {
        let b = if u.ratio(3, 4)? { *u.choose(PIECES)? } else { u.arbitrary::<u8>()? };
        out.push(b);
    }
    Ok(())
}

fn generate(data: &[u8]) -> (Vec<u8>, usize) {
    let mut u = Unstructured::new(data);
    let step = u.int_in_range(1..=64usize).unwrap_or(1);
    let mut out = Vec::new();
    if u.ratio(1, 8).unwrap_or(false) {
        out.extend_from_slice(u.take_rest());
        return (out, step);
    }
    while !u.is_empty() && out.len() < 4096 {
        let r = if u.ratio(1, 10).unwrap_or(false) {
            let len = u.int_in_range(0..=16).unwrap_or(0);
            u.bytes(len).map(|b| out.extend_from_slice(b))
        } else {
            request(&mut u, &mut out)
        };
        if r.is_err() {
            break;
        }
    }
    (out, step)
}

fuzz_target!(|data: &[u8]| {
    let (input, step) = generate(data);
    if std::env::var_os("SHOW_INPUT").is_some() {
        eprintln!("input ({step}-byte reads): {:?}", String::from_utf8_lossy(&input));
    }
    let view = guard_view(&input);

    // The output is the same however the reads are split.
    let mut split = input.clone();
    let mut guard = TargetGuard::default();
    for chunk in split.chunks_mut(step) {
        guard.filter(chunk);
    }
    assert_eq!(split, view.output, "the guard's output depends on read sizes");

    // Only `#` → `<`, and nothing once it has given up.
    let rewrites: Vec<usize> = (0..input.len()).filter(|&i| input[i] != view.output[i]).collect();
    for &i in &rewrites {
        assert_eq!((input[i], view.output[i]), (b'#', REFUSED));
        assert!(i < view.gave_up, "a byte was rewritten after the guard gave up");
    }

    let (plain, _) = serve(&input, 1, false);
    let (guarded, guarded_output) = serve(&input, step, true);

    // While inspecting, the guard's header blocks end where hyper's do.
    for (i, (_, head_end)) in plain.iter().enumerate() {
        if *head_end > view.gave_up {
            break;
        }
        assert_eq!(
            view.head_ends.get(i),
            Some(head_end),
            "request {i}: the guard and hyper disagree on where its header block ends"
        );
    }

    // The guarded server sees the plain one's requests, up to a refused fragment.
    assert!(guarded.len() <= plain.len(), "the guard made hyper accept more requests");
    for (i, ((g, _), (p, _))) in guarded.iter().zip(&plain).enumerate() {
        assert_eq!(g, p, "request {i} differs behind the guard");
    }
    let k = guarded.len();
    let fragment_at = |i: usize| -> Option<usize> {
        // Request i's head as the guard framed it, read by httparse: where its
        // target holds a `#`.
        let (start, end) = (*view.starts.get(i)?, *view.head_ends.get(i)?);
        let mut headers = [httparse::EMPTY_HEADER; 128];
        let mut req = httparse::Request::new(&mut headers);
        let head = &input[start..end];
        match req.parse(head) {
            Ok(httparse::Status::Complete(n)) if n == head.len() => {}
            _ => return None,
        }
        let path = req.path?;
        let path_start = path.as_ptr() as usize - head.as_ptr() as usize;
        path.find('#').map(|p| start + path_start + p)
    };
    if k < plain.len() {
        // Refused: the first rewrite is a `#` in request k's target, as hyper framed it.
        let first = *rewrites.first().expect("the guarded server stopped early without a rewrite");
        assert!(first < plain[k].1, "the first rewrite is not in request {k}'s head");
        assert_eq!(view.head_ends.get(k), Some(&plain[k].1));
        assert_eq!(fragment_at(k), Some(first), "the rewrite at {first} is not request {k}'s fragment");
        assert!(String::from_utf8_lossy(&guarded_output).contains("400 Bad Request"));
    }
    // And the guard works: every inspected request with a fragment was refused.
    for (i, request) in plain.iter().enumerate() {
        if request.1 <= view.gave_up && fragment_at(i).is_some() {
            assert!(k <= i, "request {i} has a fragment in its target but was served");
        }
    }
});
