//! What is checked after a cell has run (a refused write changed nothing, a
//! copy holds no more than its maker may read, locks and links are released),
//! and once the whole matrix has run (the owner's data, ACLs, shares,
//! delegates and locks).

use crate::axes::Op::Proppatch;
use crate::axes::Res::*;
use crate::axes::{BOOK, CAL, PRINCIPAL, PUBLIC, ROLES, Role};
use crate::requests::*;
use crate::runner::{After, Matrix, snippet};
use crate::table::{SECRETS, expected};

impl Matrix<'_> {
    pub(crate) fn after(&mut self, label: &str, role: Role, reply: &Reply, after: After) {
        let done = ok(reply.status);
        match after {
            After::Unchanged { path, data } if !done => {
                let now = self.alice(Call::new("GET", &path));
                if now.status != 200 || now.body != data {
                    self.miss(format!("{label}: refused, yet {path} is now {} {}", now.status, snippet(&now.body)));
                }
            }
            After::Copied { source: Some((path, data)), .. } if !done => {
                let now = self.alice(Call::new("GET", &path));
                if now.status != 200 || now.body != data {
                    self.miss(format!("{label}: refused, yet {path} is now {} {}", now.status, snippet(&now.body)));
                }
            }
            After::Copied { dest, collection, .. } if done => {
                let mut copies = vec![dest.clone()];
                if collection {
                    let listing = self.send(role, &Call::new("PROPFIND", &dest).with("Depth", "1").xml(propfind()));
                    copies = listing
                        .body
                        .split("<D:href>")
                        .skip(1)
                        .filter_map(|h| h.split("</D:href>").next())
                        .filter(|h| *h != dest)
                        .map(str::to_owned)
                        .collect();
                    if copies.is_empty() {
                        self.miss(format!("{label}: the copied collection {dest} lists nothing"));
                    }
                }
                for copy in copies {
                    let got = self.send(role, &Call::new("GET", &copy));
                    for (secret, allowed) in SECRETS {
                        if got.body.contains(secret) && !allowed.contains(&role) {
                            self.miss(format!("{label}: its copy {copy} holds {secret:?}: {}", snippet(&got.body)));
                        }
                    }
                }
            }
            After::Absent(path) if !done => {
                let now = self.alice(Call::new("PROPFIND", &path).with("Depth", "0").xml(propfind()));
                if now.status != 404 {
                    self.miss(format!("{label}: refused, yet {path} exists ({})", now.status));
                }
            }
            After::Victim { kind, owner_path } => {
                if done {
                    self.victims[kind as usize] = None;
                } else {
                    let now = self.alice(Call::new("PROPFIND", &owner_path).with("Depth", "1").xml(propfind()));
                    if now.status != 207 || !now.body.contains("/v.") {
                        self.miss(format!("{label}: refused, yet {owner_path} is gone ({})", now.status));
                    }
                }
            }
            After::OwnLock { path, owner_path } => {
                if done {
                    match &reply.lock_token {
                        Some(token) => {
                            let unlock = Call::new("UNLOCK", &path).with("Lock-Token", format!("<{token}>"));
                            let status = self.send(role, &unlock).status;
                            if status != 204 {
                                self.miss(format!("{label}: its own UNLOCK → {status}"));
                            }
                        }
                        None => self.miss(format!("{label}: locked without a Lock-Token")),
                    }
                }
                let discovery = r#"<D:propfind xmlns:D="DAV:"><D:prop><D:lockdiscovery/></D:prop></D:propfind>"#;
                let now = self.alice(Call::new("PROPFIND", &owner_path).with("Depth", "0").xml(discovery));
                if now.body.contains("locktoken") {
                    self.miss(format!("{label}: a lock is left on {owner_path}"));
                }
            }
            After::OwnersLock { owner_path, token } if !done => {
                let unlock = Call::new("UNLOCK", &owner_path).with("Lock-Token", format!("<{token}>"));
                let status = self.alice(unlock).status;
                if status != 204 {
                    self.miss(format!("{label}: refused, yet the owner's lock is gone ({status})"));
                }
            }
            After::Unpublish(path) if done => {
                let unpublish = Call::new("POST", path).xml(format!("<CS:unpublish-calendar {NS}/>"));
                self.alice(unpublish);
            }
            _ => {}
        }
    }

    /// After the whole matrix: the owner's data, ACLs, shares, delegates and locks
    /// are what they were, but for the writes the table allows.
    pub(crate) fn verify_owner_data(&mut self) {
        for (path, data) in self.originals.clone() {
            let now = self.alice(Call::new("GET", &path));
            if now.status != 200 || now.body != data {
                self.miss(format!("end: {path} changed: {} {}", now.status, snippet(&now.body)));
            }
        }
        // Dead properties: set by exactly the roles allowed to.
        let notes: String = ROLES.iter().map(|r| format!("<X:note-{}/>", r.tag())).collect();
        let ask =
            format!(r#"<D:propfind xmlns:D="DAV:" xmlns:X="urn:agora:matrix"><D:prop>{notes}</D:prop></D:propfind>"#);
        for (path, rows) in [
            (CAL.to_owned(), &[Cal][..]),
            (format!("{CAL}secret.ics"), &[Event, EventMount][..]),
            (format!("{CAL}private-req.ics"), &[PrivateEvent][..]),
            (PUBLIC.to_owned(), &[Public][..]),
            (format!("{PUBLIC}public.ics"), &[PublicEvent][..]),
            (BOOK.to_owned(), &[Book][..]),
            (format!("{BOOK}secret.vcf"), &[Card][..]),
        ] {
            let body = self.alice(Call::new("PROPFIND", &path).with("Depth", "0").xml(ask.clone())).body;
            for (i, role) in ROLES.iter().enumerate() {
                let allowed = rows.iter().any(|r| ok(expected(*r, Proppatch)[i]));
                let set = body.contains(&format!("set-by-{}", role.tag()));
                if set != allowed {
                    self.miss(format!("end: {path}: note of {role:?} set: {set}, expected {allowed}"));
                }
            }
        }
        // Nobody granted themselves anything; the public grant is still there.
        let acl = r#"<D:propfind xmlns:D="DAV:"><D:prop><D:acl/><D:invite/></D:prop></D:propfind>"#;
        for path in [CAL, PUBLIC, BOOK] {
            let body = self.alice(Call::new("PROPFIND", path).with("Depth", "0").xml(acl)).body;
            for user in ["bob", "carol", "dave", "erin", "frank", "grace"] {
                if body.contains(&format!("<D:principal><D:href>/principals/{user}/")) {
                    self.miss(format!("end: {path}: an ACE for {user}: {}", snippet(&body)));
                }
            }
            if (path == PUBLIC) != body.contains("<D:unauthenticated/>") {
                self.miss(format!("end: {path}: the grant to DAV:unauthenticated changed: {}", snippet(&body)));
            }
            let shares: &[(&str, &str)] = match path {
                // (D:invite has no free/busy level: dave's is only checked as accepted.)
                CAL => &[("bob", "<D:read/>"), ("carol", "<D:read-write/>"), ("dave", "")],
                BOOK => &[("bob", "<D:read/>"), ("carol", "<D:read-write/>")],
                _ => &[],
            };
            for (user, level) in shares {
                let expected =
                    format!("<D:href>mailto:{user}@example.org</D:href><D:invite-accepted/><D:share-access>{level}");
                if !body.contains(&expected) {
                    self.miss(format!(
                        "end: {path}: {user}'s share is no longer {level}, accepted: {}",
                        snippet(&body)
                    ));
                }
            }
            for user in ["erin", "frank", "grace"] {
                if body.contains(&format!("mailto:{user}@example.org")) {
                    self.miss(format!("end: {path}: shared with {user}: {}", snippet(&body)));
                }
            }
        }
        // Delegates unchanged.
        let group = r#"<D:propfind xmlns:D="DAV:"><D:prop><D:group-member-set/></D:prop></D:propfind>"#;
        for (kind, who) in [("write", "erin"), ("read", "grace")] {
            let path = format!("{PRINCIPAL}calendar-proxy-{kind}/");
            let body = self.alice(Call::new("PROPFIND", &path).with("Depth", "0").xml(group)).body;
            let exact = format!("<D:group-member-set><D:href>/principals/{who}/</D:href></D:group-member-set>");
            if !body.contains(&exact) {
                self.miss(format!("end: {path}: delegates changed: {}", snippet(&body)));
            }
        }
        // No lock left behind, no link published.
        let left = r#"<D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:prop><D:lockdiscovery/><CS:publish-url/></D:prop></D:propfind>"#;
        for res in [Cal, Event, PrivateEvent, Public, PublicEvent, Book, Card] {
            let path = res.target(Role::Owner);
            let body = self.alice(Call::new("PROPFIND", &path).with("Depth", "0").xml(left)).body;
            if body.contains("locktoken") || body.contains("/publish/") {
                self.miss(format!("end: {path}: a lock or a link is left: {}", snippet(&body)));
            }
        }
        // Every user still lists their own homes, mounts included.
        for role in ROLES.into_iter().filter(|r| r.user().is_some()) {
            for home in ["calendars", "addressbooks"] {
                let path = format!("/{home}/{}/", role.login());
                let got = self.send(role, &Call::new("PROPFIND", &path).with("Depth", "1").xml(propfind()));
                if got.status != 207 {
                    self.miss(format!("end: {role:?} PROPFIND {path} → {}: {}", got.status, snippet(&got.body)));
                }
            }
        }
        // The owner's lock holds whatever URL the object is reached by.
        let (_, probe, data) = self.fresh(EventMount, "lockprobe", Role::Write);
        let lock = Call::new("LOCK", &probe).with("Depth", "0").with("Timeout", "Second-60").xml(LOCKINFO);
        let token = self.must(lock, 200).lock_token.expect("a lock token");
        let through_mount = format!("/calendars/carol/alice-calendar/{}", &probe[CAL.len()..]);
        for path in [probe.clone(), through_mount] {
            let put = Call::new("PUT", &path).data(data.replace("fresh", "overwritten"));
            let got = self.send(Role::Write, &put).status;
            if got != 423 {
                self.miss(format!("end: Write PUT {path} while the owner locks {probe} → {got}, expected 423"));
            }
        }
        self.must(Call::new("UNLOCK", &probe).with("Lock-Token", format!("<{token}>")), 204);
        // And the access each role has is still the one it started with.
        for (role, method, path, status) in [
            (Role::Read, "PUT", format!("{CAL}late-read.ics"), 403),
            (Role::Read, "GET", format!("{CAL}secret.ics"), 200),
            (Role::Write, "GET", format!("{BOOK}secret.vcf"), 200),
            (Role::FreeBusy, "GET", format!("{CAL}secret.ics"), 403),
            (Role::ProxyWrite, "GET", format!("{BOOK}secret.vcf"), 403),
            (Role::ProxyRead, "PUT", format!("{CAL}late-pr.ics"), 403),
            (Role::Stranger, "GET", format!("{CAL}secret.ics"), 403),
            (Role::Stranger, "GET", format!("{PUBLIC}public.ics"), 403),
            (Role::Anonymous, "GET", format!("{CAL}secret.ics"), 401),
            (Role::Anonymous, "GET", format!("{PUBLIC}public.ics"), 200),
        ] {
            let mut call = Call::new(method, &path);
            if method == "PUT" {
                call = call.data(event("late", "late", "", 8));
            }
            let got = self.send(role, &call).status;
            if got != status {
                self.miss(format!("end: {role:?} {method} {path} → {got}, expected {status}"));
            }
        }
    }
}
