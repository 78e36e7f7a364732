//! Single sign-on with OpenID Connect against a real provider run here
//! (scripts/oidc-test-provider: panva's oidc-provider, PKCE required), on both
//! stores: the authorization code flow through the provider's own sign-in and
//! consent forms, the account matched by verified e-mail or created, the
//! session usable for DAV, and the refusals (a taken name, a forged state, a
//! callback without a pending sign-in).
//!
//! The provider needs `npm ci` in scripts/oidc-test-provider (scripts/test does
//! it); without it this test fails, it does not skip.

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use common::web::json;
use common::*;

agora_testkit::on_both_stores!(sign_in_through_the_provider, forged_and_stale_callbacks_are_refused);

/// The provider, stopped when dropped.
struct Provider {
    child: Child,
    issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn provider(redirect: &str) -> Provider {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/oidc-test-provider");
    assert!(
        dir.join("node_modules/oidc-provider").is_dir(),
        "run `npm ci --prefix scripts/oidc-test-provider` first (scripts/test does)"
    );
    let mut child = Command::new("node")
        .arg("provider.mjs")
        .current_dir(&dir)
        .env("OIDC_REDIRECT", redirect)
        .env("OIDC_PORT", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node runs the test provider");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let issuer = line.trim().strip_prefix("issuer ").unwrap_or_else(|| panic!("provider said {line:?}")).to_owned();
    Provider { child, issuer }
}

/// Agora with `[oidc]` pointing at a fresh provider; alice has a verified address there.
fn setup(backend: Backend) -> (StoreEnv, Provider, Server) {
    let env = StoreEnv::new(backend);
    let port = agora_testkit::free_port();
    let redirect = format!("http://127.0.0.1:{port}/auth/oidc/callback");
    let provider = provider(&redirect);
    let config = env.dir.path().join("agora.toml");
    std::fs::write(
        &config,
        format!(
            "[oidc]\nissuer = \"{}\"\nclient_id = \"agora\"\nclient_secret = \"agora-test-secret\"\n\
             redirect_url = \"{redirect}\"\nlabel = \"Sign in with Test ID\"\n",
            provider.issuer
        ),
    )
    .unwrap();
    let server = Server::start_on(&env, port, &[], |cmd| {
        cmd.env("AGORA_CONFIG", &config);
    });
    add_users(&env, &["alice"]);
    (env, provider, server)
}

/// A browser: follows redirects by hand (to see each step), keeps cookies.
fn browser() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .unwrap()
}

/// The `action` of the first form in a page.
fn form_action(html: &str) -> Option<String> {
    let form = &html[html.find("<form")?..];
    let start = form.find("action=\"")? + "action=\"".len();
    Some(form[start..start + form[start..].find('"')?].replace("&amp;", "&"))
}

fn absolute(base: &str, location: &str) -> String {
    if location.starts_with("http") { location.to_owned() } else { format!("{base}{location}") }
}

/// Runs the flow from `/auth/oidc/start` as `login` at the provider, through its
/// sign-in and consent forms, up to Agora's answer to the callback.
fn sign_in(
    server: &Server,
    provider: &Provider,
    b: &reqwest::blocking::Client,
    login: &str,
) -> reqwest::blocking::Response {
    let r = b.get(server.url("/auth/oidc/start")).send().unwrap();
    assert_eq!(r.status(), 303, "start redirects to the provider");
    let pending = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(pending.starts_with("agora_oidc=") && pending.contains("HttpOnly") && pending.contains("SameSite=Lax"));
    let mut url = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(url.starts_with(&provider.issuer) && url.contains("code_challenge_method=S256"), "{url}");
    for _ in 0..20 {
        if url.starts_with(&server.url("/")) {
            return b.get(&url).send().unwrap();
        }
        let r = b.get(&url).send().unwrap();
        if r.status().is_redirection() {
            url = absolute(&provider.issuer, r.headers()["location"].to_str().unwrap());
            continue;
        }
        let page = r.text().unwrap();
        let action = absolute(&provider.issuer, &form_action(&page).unwrap_or_else(|| panic!("no form: {page}")));
        // The provider's development forms: sign-in, then consent.
        let form: Vec<(&str, &str)> = if page.contains("name=\"login\"") {
            vec![("prompt", "login"), ("login", login), ("password", "any")]
        } else {
            vec![("prompt", "consent")]
        };
        let r = b.post(&action).form(&form).send().unwrap();
        assert!(r.status().is_redirection(), "{action}: {}", r.status());
        url = absolute(&provider.issuer, r.headers()["location"].to_str().unwrap());
    }
    panic!("the flow did not come back to Agora");
}

fn session_of(signed_in: &reqwest::blocking::Response) -> String {
    let set = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("agora_session="))
        .expect("a session cookie")
        .to_owned();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
    set.split(';').next().unwrap().to_owned()
}

fn sign_in_through_the_provider(backend: Backend) {
    let (_env, provider, server) = setup(backend);
    let options = json(client().get(server.url("/api/sign-in")).send().unwrap());
    assert_eq!(options["oidc"]["label"], "Sign in with Test ID");
    assert_eq!(options["oidc"]["start"], "/auth/oidc/start");

    // A person the directory does not know gets an account with the verified address.
    let b = browser();
    let r = sign_in(&server, &provider, &b, "jane");
    assert_eq!(r.status(), 200);
    let cookie = session_of(&r);
    let page = r.text().unwrap();
    assert!(page.contains("http-equiv=\"refresh\" content=\"0;url=/\""), "moves on to the page: {page}");
    let session = json(client().get(server.url("/api/session")).header("Cookie", &cookie).send().unwrap());
    assert_eq!(session["login"], "jane");
    assert_eq!(session["email"], "jane@example.org");
    // The session is a web session like any: DAV with the CSRF header.
    let csrf = session["csrf"].as_str().unwrap();
    let propfind = |with_csrf: bool| {
        let mut r = client()
            .request(reqwest::Method::from_bytes(b"PROPFIND").unwrap(), server.url("/calendars/jane/"))
            .header("Cookie", &cookie)
            .header("Depth", "1");
        if with_csrf {
            r = r.header("X-Agora-CSRF", csrf);
        }
        r.send().unwrap().status().as_u16()
    };
    assert_eq!(propfind(true), 207);
    assert_eq!(propfind(false), 403);

    // alice exists with alice@example.org: the provider's verified address links her.
    let r = sign_in(&server, &provider, &browser(), "alice");
    let cookie = session_of(&r);
    let session = json(client().get(server.url("/api/session")).header("Cookie", &cookie).send().unwrap());
    assert_eq!(session["login"], "alice");

    // An unverified address claiming alice's does not reach her: a new account
    // under the provider's user name, without that address.
    let r = sign_in(&server, &provider, &browser(), "unverified-alice");
    let cookie = session_of(&r);
    let session = json(client().get(server.url("/api/session")).header("Cookie", &cookie).send().unwrap());
    assert_eq!(session["login"], "unverified-alice");
    assert!(session["email"].is_null(), "{session}");
    // Without any address, the link found the second time is the same account.
    let first = session_of(&sign_in(&server, &provider, &browser(), "noemail-dan"));
    let again = session_of(&sign_in(&server, &provider, &browser(), "noemail-dan"));
    for cookie in [first, again] {
        let session = json(client().get(server.url("/api/session")).header("Cookie", &cookie).send().unwrap());
        assert_eq!(session["login"], "noemail-dan");
    }
    // A provider user named like an existing account (the first administrator),
    // whose verified address is not that account's, is refused and told why.
    let admin_like = sign_in(&server, &provider, &browser(), "admin");
    assert_eq!(admin_like.status(), 403);
    assert!(
        admin_like.headers().get_all("set-cookie").iter().all(|c| !c.to_str().unwrap().starts_with("agora_session="))
    );
    let text = admin_like.text().unwrap();
    assert!(text.contains("exists already"), "{text}");
}

fn forged_and_stale_callbacks_are_refused(backend: Backend) {
    let (_env, provider, server) = setup(backend);
    // A callback this browser did not start (login CSRF): no pending cookie.
    let r = browser().get(server.url("/auth/oidc/callback?code=abc&state=xyz")).send().unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.text().unwrap().contains("not started here"));
    // The page speaks the browser's language (French or English).
    let r = browser()
        .get(server.url("/auth/oidc/callback?code=abc&state=xyz"))
        .header("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5")
        .send()
        .unwrap();
    assert_eq!(r.status(), 403);
    let text = r.text().unwrap();
    assert!(text.contains("<html lang=\"fr\">") && text.contains("Connexion refusée"), "{text}");
    assert!(text.contains("n’a pas été commencée ici") && text.contains("Retour à la connexion"), "{text}");
    // Started here, but the answer carries another state.
    let b = browser();
    let start = b.get(server.url("/auth/oidc/start")).send().unwrap();
    assert_eq!(start.status(), 303);
    let r = b.get(server.url("/auth/oidc/callback?code=abc&state=forged")).send().unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.text().unwrap().contains("does not belong to this sign-in"));
    // The provider's own refusal is shown, escaped.
    let b = browser();
    b.get(server.url("/auth/oidc/start")).send().unwrap();
    let r = b
        .get(server.url("/auth/oidc/callback?error=access_denied&error_description=%3Cb%3Eno%3C%2Fb%3E"))
        .send()
        .unwrap();
    assert_eq!(r.status(), 403);
    let text = r.text().unwrap();
    assert!(text.contains("access_denied") && text.contains("&lt;b&gt;no") && !text.contains("<b>no"), "{text}");
    // The flow still works after the refusals.
    let r = sign_in(&server, &provider, &browser(), "carol");
    assert_eq!(r.status(), 200);
}
