//! Signing in to the web interface and sending requests with its cookie.

use super::{Server, client};

/// A signed-in browser: the session cookie and the CSRF token.
pub struct WebSession {
    pub cookie: String,
    pub csrf: String,
    /// The `Set-Cookie` header of the sign-in.
    pub set_cookie: String,
    /// The JSON answer of the sign-in.
    pub body: serde_json::Value,
}

/// `POST /api/login` with a JSON body.
pub fn post_login(server: &Server, login: &str, password: &str) -> reqwest::blocking::Response {
    let body = serde_json::json!({ "login": login, "password": password }).to_string();
    client().post(server.url("/api/login")).header("Content-Type", "application/json").body(body).send().unwrap()
}

/// Signs in; panics unless the server accepts.
pub fn login(server: &Server, login: &str, password: &str) -> WebSession {
    let r = post_login(server, login, password);
    assert_eq!(r.status(), 200, "sign-in of {login}");
    let set_cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    assert!(cookie.starts_with("agora_session="), "{set_cookie}");
    let body = json(r);
    let csrf = body["csrf"].as_str().unwrap().to_owned();
    WebSession { cookie, csrf, set_cookie, body }
}

impl WebSession {
    /// A request with the cookie, and the CSRF header when `csrf` is given.
    pub fn request(
        &self,
        server: &Server,
        method: &str,
        path: &str,
        csrf: Option<&str>,
    ) -> reqwest::blocking::RequestBuilder {
        let mut r = client()
            .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), server.url(path))
            .header("Cookie", &self.cookie);
        if let Some(token) = csrf {
            r = r.header("X-Agora-CSRF", token);
        }
        r
    }

    /// A request with the cookie and the right CSRF header.
    pub fn send(&self, server: &Server, method: &str, path: &str) -> reqwest::blocking::RequestBuilder {
        self.request(server, method, path, Some(&self.csrf))
    }

    /// The status of `GET /api/session` with this cookie.
    pub fn session_status(&self, server: &Server) -> u16 {
        self.request(server, "GET", "/api/session", None).send().unwrap().status().as_u16()
    }
}

/// The body of a JSON answer.
pub fn json(r: reqwest::blocking::Response) -> serde_json::Value {
    let text = r.text().unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The `error` code of a JSON error answer.
pub fn error_code(r: reqwest::blocking::Response) -> String {
    let body = json(r);
    body["error"].as_str().unwrap_or_default().to_owned()
}
