//! The session cookie as set and cleared: `HttpOnly` (no script reads it),
//! `SameSite=Strict` (no other site's page makes the browser send it), `Path=/`
//! (DAV and the API alike), `Secure` when served over TLS, and a `Max-Age` that
//! ends with the session's absolute limit.

use agora_core::{Session, SessionConfig};
use agora_dav::auth::SESSION_COOKIE;
use axum::http::HeaderValue;

/// The `Set-Cookie` value that gives the browser a session.
pub(crate) fn set(session: &Session, config: &SessionConfig, tls: bool, now: i64) -> HeaderValue {
    let max_age = (session.hard_end(config) - now).max(0);
    value(&format!("{SESSION_COOKIE}={}; Max-Age={max_age}", session.token), tls)
}

/// The `Set-Cookie` value that removes the session cookie.
pub(crate) fn clear(tls: bool) -> HeaderValue {
    value(&format!("{SESSION_COOKIE}=; Max-Age=0"), tls)
}

fn value(start: &str, tls: bool) -> HeaderValue {
    let secure = if tls { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{start}; Path=/; HttpOnly; SameSite=Strict{secure}"))
        .expect("a base64url token makes a valid header")
}

#[cfg(test)]
mod tests {
    use super::*;
    use agora_core::Identity;
    use std::time::Duration;

    #[test]
    fn flags_and_lifetime() {
        let session = Session {
            token: "tok".into(),
            csrf: "c".into(),
            identity: Identity::anonymous(),
            created_at: 100,
            expires_at: 150,
        };
        let config = SessionConfig { idle: Duration::from_secs(50), max: Duration::from_secs(1000) };
        assert_eq!(
            set(&session, &config, false, 160),
            "agora_session=tok; Max-Age=940; Path=/; HttpOnly; SameSite=Strict"
        );
        assert_eq!(clear(true), "agora_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict; Secure");
    }
}
