//! The web interface's page on the DAV origin: `/` for browsers, `/assets/…`,
//! their security and caching headers, and DAV unchanged on `/` for every
//! other request — on both stores.

mod common;

use common::*;

agora_testkit::on_both_stores!(
    the_page_is_served_to_browsers_with_its_headers,
    assets_are_immutable_and_unknown_ones_absent,
    the_root_stays_dav_for_everything_else,
);

/// The policy the web contract fixes for the page.
const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                        font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

fn browser_get(server: &Server, path: &str) -> reqwest::blocking::Response {
    client()
        .get(server.url(path))
        .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        .send()
        .unwrap()
}

fn header(r: &reqwest::blocking::Response, name: &str) -> String {
    r.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

fn assert_page_headers(r: &reqwest::blocking::Response) {
    assert_eq!(header(r, "content-security-policy"), PAGE_CSP);
    assert_eq!(header(r, "x-content-type-options"), "nosniff");
    assert_eq!(header(r, "referrer-policy"), "no-referrer");
    assert_eq!(header(r, "cross-origin-opener-policy"), "same-origin");
    assert_eq!(header(r, "x-frame-options"), "DENY");
}

/// The `/assets/…` URLs the page loads.
fn asset_urls(html: &str) -> Vec<String> {
    html.split('"').filter(|s| s.starts_with("/assets/")).map(str::to_owned).collect()
}

fn the_page_is_served_to_browsers_with_its_headers(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    // No session is needed for the page itself.
    let r = browser_get(&server, "/");
    assert_eq!(r.status(), 200);
    assert_page_headers(&r);
    assert_eq!(header(&r, "content-type"), "text/html; charset=utf-8");
    assert_eq!(header(&r, "cache-control"), "no-cache");
    let etag = header(&r, "etag");
    assert!(etag.starts_with('"') && etag.len() > 2, "strong ETag: {etag}");
    let html = r.text().unwrap();
    assert!(html.contains("<html") && !asset_urls(&html).is_empty(), "{html}");
    assert!(!html.contains("<script>") && !html.contains("<style"), "no inline script or style: {html}");

    let again = client().get(server.url("/")).header("Accept", "text/html").header("If-None-Match", &etag).send();
    assert_eq!(again.unwrap().status(), 304);
    let head = client().head(server.url("/")).header("Accept", "text/html").send().unwrap();
    assert_eq!(head.status(), 200);
    assert_page_headers(&head);
    // Even with Basic credentials, a browser navigating to / gets the page.
    let r = client().get(server.url("/")).header("Accept", "text/html").basic_auth("admin", Some(server.admin()));
    assert_eq!(header(&r.send().unwrap(), "content-type"), "text/html; charset=utf-8");
}

fn assets_are_immutable_and_unknown_ones_absent(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    let html = browser_get(&server, "/").text().unwrap();
    let urls = asset_urls(&html);
    assert!(urls.iter().any(|u| u.ends_with(".js")), "{urls:?}");
    assert!(urls.iter().any(|u| u.ends_with(".svg")), "the icon: {urls:?}");
    for url in &urls {
        let r = client().get(server.url(url)).send().unwrap();
        assert_eq!(r.status(), 200, "{url}");
        assert_page_headers(&r);
        assert_eq!(header(&r, "cache-control"), "public, max-age=31536000, immutable", "{url}");
        let expected = match url.rsplit_once('.').map(|(_, ext)| ext) {
            Some("js") => "text/javascript; charset=utf-8",
            Some("css") => "text/css; charset=utf-8",
            Some("svg") => "image/svg+xml",
            _ => panic!("unexpected asset {url}"),
        };
        assert_eq!(header(&r, "content-type"), expected, "{url}");
        assert!(!header(&r, "etag").is_empty());
        assert!(!r.bytes().unwrap().is_empty());
    }
    let missing = client().get(server.url("/assets/app-nothere.js")).send().unwrap();
    assert_eq!(missing.status(), 404);
    let post = client().post(server.url(&urls[0])).body("x").send().unwrap();
    assert_eq!(post.status(), 405);
    assert_eq!(header(&post, "allow"), "GET, HEAD");
}

fn the_root_stays_dav_for_everything_else(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    let admin = server.admin().to_owned();
    // OPTIONS and PROPFIND on / are DAV's, with or without text/html in Accept.
    let r = client().request(reqwest::Method::OPTIONS, server.url("/")).header("Accept", "text/html").send().unwrap();
    assert_eq!(r.status(), 401);
    assert!(header(&r, "www-authenticate").starts_with("Basic realm=\"Agora\""));
    let r =
        client().request(reqwest::Method::OPTIONS, server.url("/")).basic_auth("admin", Some(&admin)).send().unwrap();
    assert_eq!(r.status(), 200);
    assert!(header(&r, "dav").contains("calendar-access"), "{}", header(&r, "dav"));
    let propfind = client()
        .request(reqwest::Method::from_bytes(b"PROPFIND").unwrap(), server.url("/"))
        .header("Accept", "text/html")
        .header("Depth", "0")
        .basic_auth("admin", Some(&admin))
        .send()
        .unwrap();
    assert_eq!(propfind.status(), 207);
    assert!(propfind.text().unwrap().contains("multistatus"));
    // A GET that does not ask for HTML (a DAV client) is DAV's too.
    let plain = client().get(server.url("/")).basic_auth("admin", Some(&admin)).send().unwrap();
    assert_eq!(plain.status(), 200);
    assert!(plain.text().unwrap().contains("signed in as admin"));
    assert_eq!(client().get(server.url("/")).header("Accept", "*/*").send().unwrap().status(), 401);
    // DAV answers keep their own policy (nothing may run).
    let principal = client().get(server.url("/principals/admin/")).basic_auth("admin", Some(&admin)).send().unwrap();
    assert!(header(&principal, "content-security-policy").starts_with("default-src 'none'; frame-ancestors"));
    // Well-known URIs and health are unchanged.
    let wk = reqwest::blocking::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = wk.get(server.url("/.well-known/caldav")).header("Accept", "text/html").send().unwrap();
    assert_eq!((r.status().as_u16(), header(&r, "location")), (301, "/".to_owned()));
    assert_eq!(client().get(server.url("/health")).send().unwrap().status(), 200);
}
