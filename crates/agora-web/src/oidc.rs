//! Single sign-on with OpenID Connect: the authorization code flow with PKCE
//! (OpenID Connect Core §3.1, RFC 7636), with the `openidconnect` crate.
//!
//! - `GET /auth/oidc/start` discovers the provider (cached an hour), makes a
//!   state, a nonce and a PKCE verifier, keeps them in a short-lived cookie
//!   (`HttpOnly`, `SameSite=Lax` so that it comes back with the provider's
//!   top-level redirect, path `/auth/oidc/`) and sends the browser to the
//!   provider. Nothing is kept in the process: any node can take the callback.
//! - `GET /auth/oidc/callback` checks the state against the cookie (login CSRF),
//!   exchanges the code with the verifier, verifies the ID token (signature,
//!   issuer, audience, expiry, nonce), asks the core which user the identity is
//!   ([`agora_core::Core::oidc_user`]), opens a session and answers a page that
//!   moves to `/` by itself: the session cookie is `SameSite=Strict`, and a
//!   browser does not send it on a redirect chain that started at the provider,
//!   while a refresh from our own page is same-site.
//! - Failures answer a small page with the reason and a link back.

use std::time::{Duration, Instant};

use agora_dav::AppState;
use agora_dav::auth::{LoggedUser, cookie};
use agora_dav::client::ClientAddr;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, TokenResponse,
};
use tokio::sync::Mutex;

use crate::cookie as session_cookie;
use agora_core::Language as Lang;
use agora_dav::language::of_headers;

/// The provider Agora signs people in with (`[oidc]` in agora.toml). Its
/// `Debug` hides the client secret.
#[derive(Clone)]
pub struct OidcConfig {
    /// The issuer URL; its `/.well-known/openid-configuration` is read.
    pub issuer: String,
    /// Agora's client id at the provider.
    pub client_id: String,
    /// Agora's client secret at the provider.
    pub client_secret: String,
    /// This server's `…/auth/oidc/callback` as the provider knows it.
    pub redirect_url: String,
    /// The sign-in button's text.
    pub label: String,
    /// Whether a person the directory does not know gets an account.
    pub create_accounts: bool,
}

impl std::fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("redirect_url", &self.redirect_url)
            .field("label", &self.label)
            .field("create_accounts", &self.create_accounts)
            .finish()
    }
}

/// The cookie that carries the pending sign-in from start to callback.
const PENDING_COOKIE: &str = "agora_oidc";
/// How long a person has at the provider.
const PENDING_SECONDS: u64 = 600;
/// How long discovered provider metadata is used.
const METADATA_TTL: Duration = Duration::from_secs(3600);

/// The sign-in flow's state shared by the handlers.
pub(crate) struct Oidc {
    config: OidcConfig,
    http: openidconnect::reqwest::Client,
    metadata: Mutex<Option<(CoreProviderMetadata, Instant)>>,
}

impl Oidc {
    pub(crate) fn new(config: OidcConfig) -> Oidc {
        // No redirects: the crate's advice against SSRF through the provider's answers.
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .expect("a TLS client can be built");
        Oidc { config, http, metadata: Mutex::new(None) }
    }

    /// The button the sign-in page shows.
    pub(crate) fn label(&self) -> &str {
        &self.config.label
    }

    async fn metadata(&self) -> Result<CoreProviderMetadata, String> {
        let mut cached = self.metadata.lock().await;
        if let Some((m, at)) = cached.as_ref()
            && at.elapsed() < METADATA_TTL
        {
            return Ok(m.clone());
        }
        let issuer = IssuerUrl::new(self.config.issuer.clone()).map_err(|e| format!("issuer: {e}"))?;
        let m = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| format!("discovery of {} failed: {e}", self.config.issuer))?;
        *cached = Some((m.clone(), Instant::now()));
        Ok(m)
    }

    async fn client(
        &self,
    ) -> Result<
        CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        String,
    > {
        let redirect = RedirectUrl::new(self.config.redirect_url.clone()).map_err(|e| format!("redirect_url: {e}"))?;
        Ok(CoreClient::from_provider_metadata(
            self.metadata().await?,
            ClientId::new(self.config.client_id.clone()),
            Some(ClientSecret::new(self.config.client_secret.clone())),
        )
        .set_redirect_uri(redirect))
    }
}

/// `GET /auth/oidc/start`.
pub(crate) async fn start(oidc: &Oidc, secure: bool, lang: Lang) -> Response {
    let client = match oidc.client().await {
        Ok(c) => c,
        Err(e) => return unreachable_provider(lang, &e),
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    let pending = format!("{}!{}!{}", state.secret(), nonce.secret(), verifier.secret());
    let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, url.to_string())]).into_response();
    r.headers_mut().insert(header::SET_COOKIE, pending_cookie(&pending, PENDING_SECONDS, secure));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The provider's answer (OpenID Connect Core §3.1.2.5, §3.1.2.6), from the query.
#[derive(Default)]
pub(crate) struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

impl Callback {
    fn parse(query: &str) -> Callback {
        let mut c = Callback::default();
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let slot = match key.as_ref() {
                "code" => &mut c.code,
                "state" => &mut c.state,
                "error" => &mut c.error,
                "error_description" => &mut c.error_description,
                _ => continue,
            };
            // A repeated parameter is not an answer the provider gives.
            if slot.replace(value.into_owned()).is_some() {
                return Callback { error: Some("invalid_request".into()), ..Callback::default() };
            }
        }
        c
    }
}

/// `GET /auth/oidc/callback`.
pub(crate) async fn callback(oidc: &Oidc, app: &AppState, from: &Browser, answer: Callback, secure: bool) -> Response {
    let clear = pending_cookie("", 0, secure);
    let mut r = finish(oidc, app, from, answer, secure).await;
    r.headers_mut().append(header::SET_COOKIE, clear);
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// What the callback needs of the request (taken before any wait: a request's
/// body cannot be shared across threads).
pub(crate) struct Browser {
    headers: HeaderMap,
    client: Option<std::net::IpAddr>,
}

async fn finish(oidc: &Oidc, app: &AppState, from: &Browser, answer: Callback, secure: bool) -> Response {
    let lang = of_headers(&from.headers, app.core.default_language());
    let denied =
        |why: &str| failure(lang, StatusCode::FORBIDDEN, lang.pick("Sign-in refused", "Connexion refusée"), why);
    if let Some(error) = answer.error {
        let detail = answer.error_description.unwrap_or_default();
        let said = lang.pick("the identity provider answered", "le fournisseur d’identité a répondu");
        return denied(&format!("{said} {error} {detail}"));
    }
    let Some(pending) = cookie(&from.headers, PENDING_COOKIE) else {
        return denied(lang.pick(
            "this sign-in was not started here, or took longer than ten minutes; start again",
            "cette connexion n’a pas été commencée ici, ou a pris plus de dix minutes ; recommencez",
        ));
    };
    let mut parts = pending.splitn(3, '!');
    let (Some(state), Some(nonce), Some(verifier)) = (parts.next(), parts.next(), parts.next()) else {
        return denied(lang.pick(
            "the pending sign-in is unreadable; start again",
            "la connexion en cours est illisible ; recommencez",
        ));
    };
    // The state binds the answer to this browser (OpenID Connect Core §3.1.2.7).
    let given = answer.state.unwrap_or_default();
    if !agora_core::auth::constant_time_eq(given.as_bytes(), state.as_bytes()) {
        return denied(lang.pick(
            "the answer does not belong to this sign-in; start again",
            "la réponse n’appartient pas à cette connexion ; recommencez",
        ));
    }
    let Some(code) = answer.code else {
        return denied(
            lang.pick("the identity provider sent no code", "le fournisseur d’identité n’a envoyé aucun code"),
        );
    };
    let client = match oidc.client().await {
        Ok(c) => c,
        Err(e) => return unreachable_provider(lang, &e),
    };
    let request = match client.exchange_code(AuthorizationCode::new(code)) {
        Ok(r) => r.set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned())),
        Err(e) => {
            let title = lang.pick(
                "the identity provider has no token endpoint",
                "le fournisseur d’identité n’a pas de point d’accès aux jetons",
            );
            return failure(lang, StatusCode::BAD_GATEWAY, title, &e.to_string());
        }
    };
    let tokens = match request.request_async(&oidc.http).await {
        Ok(t) => t,
        Err(e) => {
            return denied(&format!("{}: {e}", lang.pick("the code was not accepted", "le code n’a pas été accepté")));
        }
    };
    let Some(id_token) = tokens.id_token() else {
        return denied(lang.pick(
            "the identity provider sent no ID token",
            "le fournisseur d’identité n’a envoyé aucun jeton d’identité",
        ));
    };
    let nonce = Nonce::new(nonce.to_owned());
    let claims = match id_token.claims(&client.id_token_verifier(), &nonce) {
        Ok(c) => c,
        Err(e) => {
            return denied(&format!(
                "{}: {e}",
                lang.pick("the ID token is not valid", "le jeton d’identité n’est pas valide")
            ));
        }
    };
    let identity = agora_core::oidc::OidcIdentity {
        issuer: claims.issuer().as_str().to_owned(),
        subject: claims.subject().as_str().to_owned(),
        email: claims.email().map(|e| e.as_str().to_owned()),
        email_verified: claims.email_verified().unwrap_or(false),
        preferred_username: claims.preferred_username().map(|u| u.as_str().to_owned()),
        name: claims.name().and_then(|n| n.get(None)).map(|n| n.as_str().to_owned()),
    };
    let core = &app.core;
    let user = match core.oidc_user(&identity, oidc.config.create_accounts).await {
        Ok(p) => p,
        Err(agora_core::CoreError::Forbidden(why)) => return denied(&why),
        Err(e) => return sign_in_failed(lang, &e),
    };
    let (session, principal) = match core.open_session_for(user.id, from.client).await {
        Ok(opened) => opened,
        // A disabled account.
        Err(agora_core::CoreError::Forbidden(why)) => return denied(&why),
        Err(e) => return sign_in_failed(lang, &e),
    };
    tracing::info!(user = %principal.name, issuer = %identity.issuer, "signed in through OpenID Connect");
    let body = lang.pick(
        "<p>Signed in. <a href=\"/\">Open your agenda</a>.</p>",
        "<p>Vous êtes connecté. <a href=\"/\">Ouvrir votre agenda</a>.</p>",
    );
    let mut r = page(lang, StatusCode::OK, lang.pick("Signed in", "Connecté"), body, true);
    let set = session_cookie::set(&session, &core.config().sessions, secure, agora_core::now());
    r.headers_mut().insert(header::SET_COOKIE, set);
    r.extensions_mut().insert(LoggedUser(principal.name));
    r
}

/// The pending sign-in's cookie (or its removal with `max_age` 0).
fn pending_cookie(value: &str, max_age: u64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{PENDING_COOKIE}={value}; Max-Age={max_age}; Path=/auth/oidc/; HttpOnly; SameSite=Lax{secure}"
    ))
    .expect("random tokens make a valid header")
}

/// A refusal as a page: the title, the reason (escaped) and a way back.
fn failure(lang: Lang, status: StatusCode, title: &str, why: &str) -> Response {
    tracing::info!(reason = %why, "OpenID Connect sign-in failed");
    let back = lang.pick("Back to sign-in", "Retour à la connexion");
    let body = format!("<p>{}</p><p><a href=\"/\">{back}</a></p>", escape(why));
    page(lang, status, title, &body, false)
}

/// The store or core failed while signing in (not the person's fault).
fn sign_in_failed(lang: Lang, e: &agora_core::CoreError) -> Response {
    failure(lang, StatusCode::SERVICE_UNAVAILABLE, lang.pick("Sign-in failed", "Échec de la connexion"), &e.to_string())
}

fn unreachable_provider(lang: Lang, why: &str) -> Response {
    let title = lang.pick("the identity provider cannot be reached", "le fournisseur d’identité est injoignable");
    failure(lang, StatusCode::BAD_GATEWAY, title, why)
}

/// A minimal page under the web interface's CSP; with `to_app`, it moves to `/`
/// by a meta refresh (no script: the CSP forbids inline ones). The empty icon keeps
/// the browser from asking for `/favicon.ico`, which the session cookie without its
/// CSRF header would make a 403 in the console.
fn page(lang: Lang, status: StatusCode, title: &str, body: &str, to_app: bool) -> Response {
    let refresh = if to_app { "<meta http-equiv=\"refresh\" content=\"0;url=/\">" } else { "" };
    let html = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">{refresh}<link rel=\"icon\" href=\"data:,\"><title>{} — Agora</title></head>\
         <body><h1>{}</h1>{body}</body></html>",
        lang.tag(),
        escape(title),
        escape(title)
    );
    let mut r = (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    for (name, value) in agora_dav::security_headers::page_headers() {
        r.headers_mut().insert(name, value);
    }
    r
}

fn escape(s: &str) -> String {
    agora_dav_xml::escape_text(s)
}

/// Routes `/auth/oidc/…`.
pub(crate) async fn route(oidc: &Oidc, app: &AppState, req: Request, secure: bool) -> Response {
    match req.uri().path() {
        "/auth/oidc/start" => start(oidc, secure, of_headers(req.headers(), app.core.default_language())).await,
        "/auth/oidc/callback" => {
            let answer = Callback::parse(req.uri().query().unwrap_or_default());
            let from = Browser {
                headers: req.headers().clone(),
                client: req.extensions().get::<ClientAddr>().and_then(|c| c.0),
            };
            drop(req);
            callback(oidc, app, &from, answer, secure).await
        }
        _ => (StatusCode::NOT_FOUND, "no such page\n").into_response(),
    }
}
