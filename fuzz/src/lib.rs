//! Helpers shared by the fuzz targets: in-memory connections, and the two
//! agora-dav files fuzzed here, included by path (see Cargo.toml for why).

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// `agora_dav::paths`, compiled from its source file.
#[path = "../../crates/agora-dav/src/paths.rs"]
#[allow(dead_code)]
pub mod paths;

/// `agora_dav::target_guard`, compiled from its source file.
#[path = "../../crates/agora-dav/src/target_guard.rs"]
pub mod target_guard;

/// A connection whose client sent `input` and then closed its side: reads hand
/// out at most `step` bytes at a time; writes are kept in `output`.
#[derive(Debug)]
pub struct MemStream {
    input: Vec<u8>,
    step: usize,
    /// How many input bytes reads have handed out so far.
    pub read: Arc<AtomicUsize>,
    /// Everything written.
    pub output: Arc<Mutex<Vec<u8>>>,
}

impl MemStream {
    /// A stream serving `input` in reads of at most `step` (≥ 1) bytes.
    pub fn new(input: Vec<u8>, step: usize) -> Self {
        MemStream { input, step: step.max(1), read: Arc::new(AtomicUsize::new(0)), output: Arc::default() }
    }
}

impl AsyncRead for MemStream {
    fn poll_read(self: Pin<&mut Self>, _cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let at = this.read.load(Ordering::SeqCst);
        let n = this.step.min(this.input.len() - at).min(buf.remaining());
        buf.put_slice(&this.input[at..at + n]);
        this.read.store(at + n, Ordering::SeqCst);
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for MemStream {
    fn poll_write(self: Pin<&mut Self>, _cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        self.output.lock().expect("not poisoned").extend_from_slice(data);
        Poll::Ready(Ok(data.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// A single-threaded runtime with timers, for targets that drive async code.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_time().build().expect("runtime")
}

/// A text's logical lines unfolded (RFC 5545 §3.1, RFC 6350 §3.2), one per line,
/// as `agora_ical::content` reads them: what a value such as a UID is looked for
/// in (a UID folded over several physical lines is not a substring of the text).
pub fn unfolded(text: &str) -> String {
    agora_ical::content::logical_lines(text).map(|l| format!("{}\n", l.unfolded())).collect()
}
