//! Fuzzes an LMTP session (RFC 2033): the input is everything a client sends
//! (commands, DATA with dot-stuffing, anything) before closing. Checked: every
//! reply line is a three-digit code followed by a space or a dash, the session
//! ends, and every delivered message went to an accepted RCPT, fits the size
//! limit and has CRLF line ends only.
#![no_main]

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use agora_fuzz::{MemStream, runtime};
use agora_imip::lmtp::{LmtpConfig, LmtpHandler, Refusal, serve_connection};
use libfuzzer_sys::fuzz_target;

#[derive(Default)]
struct Recorder {
    accepted: Mutex<Vec<String>>,
    delivered: Mutex<Vec<(String, Vec<u8>)>>,
}

#[async_trait::async_trait]
impl LmtpHandler for Recorder {
    async fn accepts(&self, rcpt: &str) -> Result<bool, Refusal> {
        if rcpt.starts_with('t') {
            return Err(Refusal::transient("try later"));
        }
        let ok = !rcpt.starts_with('n');
        if ok {
            self.accepted.lock().unwrap().push(rcpt.to_owned());
        }
        Ok(ok)
    }

    async fn deliver(&self, _from: &str, rcpt: &str, message: &[u8]) -> Result<(), Refusal> {
        self.delivered.lock().unwrap().push((rcpt.to_owned(), message.to_vec()));
        if rcpt.starts_with('r') { Err(Refusal::permanent("refused\r\n250 forged")) } else { Ok(()) }
    }
}

fuzz_target!(|data: &[u8]| {
    let (step, input) = match data.split_first() {
        Some((s, rest)) => (usize::from(*s % 16) + 1, rest.to_vec()),
        None => return,
    };
    let recorder = Arc::new(Recorder::default());
    let config = LmtpConfig { max_message_bytes: 2048, max_recipients: 4, ..LmtpConfig::default() };
    let stream = MemStream::new(input, step);
    let output = Arc::clone(&stream.output);
    let handler: Arc<dyn LmtpHandler> = recorder.clone();
    let peer = SocketAddr::from((Ipv4Addr::LOCALHOST, 1));
    runtime().block_on(serve_connection(stream, peer, handler, config));
    let output = output.lock().unwrap();
    let text = String::from_utf8_lossy(&output);
    for line in text.split_terminator("\r\n") {
        let b = line.as_bytes();
        assert!(
            b.len() >= 4 && b[..3].iter().all(u8::is_ascii_digit) && (b[3] == b' ' || b[3] == b'-'),
            "bad reply line {line:?}"
        );
    }
    let accepted = recorder.accepted.lock().unwrap();
    for (rcpt, message) in recorder.delivered.lock().unwrap().iter() {
        assert!(accepted.contains(rcpt), "delivered to {rcpt:?}, never accepted");
        assert!(message.len() <= 2048, "a message over the size limit was delivered");
        assert!(message.is_empty() || message.ends_with(b"\r\n"));
        assert!(message.windows(2).all(|w| w[1] != b'\n' || w[0] == b'\r'), "a bare LF was delivered");
    }
});
