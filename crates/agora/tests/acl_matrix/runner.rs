//! Running the matrix: the owner's setup, the request of each cell (with the
//! fresh objects and disposable collections destructive cells consume), and the
//! checks every answer gets (status, leaks, what it must show).

use crate::axes::Op::*;
use crate::axes::Res::*;
use crate::axes::{BOOK, CAL, Op, PRINCIPAL, PUBLIC, ROLES, Res, Role};
use crate::common::*;
use crate::requests::*;
use crate::table::SECRETS;
use reqwest::Method;

/// Which kind of disposable collection a destructive cell consumes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum VictimKind {
    Cal,
    Public,
    Book,
}

/// What to check once a cell has run.
pub(crate) enum After {
    Nothing,
    /// Refused: the owner still reads exactly these bytes here.
    Unchanged {
        path: String,
        data: String,
    },
    /// Refused: nothing was made here.
    Absent(String),
    /// COPY: refused, the source is unchanged; done, what the copy holds (read
    /// by its new owner, the role) is no more than the role may read.
    Copied {
        source: Option<(String, String)>,
        dest: String,
        collection: bool,
    },
    /// A disposable collection: refused, it is still there; done, it is used up.
    Victim {
        kind: VictimKind,
        owner_path: String,
    },
    /// LOCK: done, the same role releases it; refused, no lock was left.
    OwnLock {
        path: String,
        owner_path: String,
    },
    /// UNLOCK of the owner's lock: unless done, the owner still holds it.
    OwnersLock {
        owner_path: String,
        token: String,
    },
    /// POST publish: done, the owner revokes the link.
    Unpublish(String),
}

pub(crate) struct Matrix<'a> {
    pub(crate) env: &'a StoreEnv,
    pub(crate) server: &'a Server,
    pub(crate) http: reqwest::blocking::Client,
    pub(crate) victims: [Option<String>; 3],
    pub(crate) made: usize,
    /// The owner's objects and their bytes, verified at the end.
    pub(crate) originals: Vec<(String, String)>,
    pub(crate) mismatches: Vec<String>,
}

pub(crate) fn snippet(body: &str) -> String {
    let flat: String = body.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if flat.chars().count() > 300 { format!("{}…", flat.chars().take(300).collect::<String>()) } else { flat }
}

impl Matrix<'_> {
    pub(crate) fn send(&self, role: Role, call: &Call) -> Reply {
        let method = Method::from_bytes(call.method.as_bytes()).unwrap();
        let mut r = self.http.request(method, self.server.url(&call.path));
        if let Some(user) = role.user() {
            r = r.basic_auth(user, Some(PASSWORD));
        }
        for (name, value) in &call.headers {
            r = r.header(*name, value);
        }
        let response = r.body(call.body.clone()).send().unwrap();
        let lock_token = response
            .headers()
            .get("lock-token")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().trim_start_matches('<').trim_end_matches('>').to_owned());
        Reply { status: response.status().as_u16(), lock_token, body: response.text().unwrap_or_default() }
    }

    pub(crate) fn alice(&self, call: Call) -> Reply {
        self.send(Role::Owner, &call)
    }

    /// A setup step that must work.
    pub(crate) fn must(&self, call: Call, expected: u16) -> Reply {
        let (method, path) = (call.method, call.path.clone());
        let reply = self.alice(call);
        assert_eq!(reply.status, expected, "setup: {method} {path}: {}", reply.body);
        reply
    }

    pub(crate) fn miss(&mut self, text: String) {
        self.mismatches.push(text);
    }

    pub(crate) fn setup(&mut self) {
        add_users(self.env, &["alice", "bob", "carol", "dave", "erin", "frank", "grace"]);
        let put = |m: &mut Self, path: &str, data: String| {
            m.must(Call::new("PUT", path).data(data.clone()), 201);
            m.originals.push((path.to_owned(), data));
        };
        put(self, &format!("{CAL}secret.ics"), event("secret", "CALSECRET meeting", "", 10));
        put(self, &format!("{CAL}unlisted-7f3a.ics"), event("unlisted", "CALSECRET unlisted", "", 14));
        put(self, &format!("{CAL}private-b71c.ics"), event("private", "PRIVSECRET", "CLASS:PRIVATE\r\n", 12));
        put(self, &format!("{CAL}private-req.ics"), event("private-req", "PRIVSECRET asked", "CLASS:PRIVATE\r\n", 15));
        self.must(Call::new("MKCALENDAR", PUBLIC), 201);
        self.must(Call::new("ACL", PUBLIC).xml(acl_body(None, true)), 200);
        put(self, &format!("{PUBLIC}public.ics"), event("public", "PUBSECRET talk", "", 10));
        put(self, &format!("{PUBLIC}unlisted-3c9d.ics"), event("pub-unlisted", "PUBSECRET unlisted", "", 14));
        put(self, &format!("{PUBLIC}pubpriv-5e6f.ics"), event("pubpriv", "PUBPRIV", "CLASS:PRIVATE\r\n", 12));
        put(self, &format!("{PUBLIC}pubpriv-req.ics"), event("pubpriv-req", "PUBPRIV asked", "CLASS:PRIVATE\r\n", 15));
        put(self, &format!("{BOOK}secret.vcf"), card("secret", "CARDSECRET Agent"));
        put(self, &format!("{BOOK}unlisted-card-9c1e.vcf"), card("unlisted", "CARDSECRET Unlisted"));
        // The owner's own places for copies, apart from the originals.
        self.must(Call::new("MKCALENDAR", "/calendars/alice/target/"), 201);
        self.must(Call::new("MKCOL", "/addressbooks/alice/target/").xml(mkcol_body(true)), 201);
        self.share("calendars/alice/calendar", &[("bob", "read"), ("carol", "read-write"), ("dave", "freebusy")]);
        self.share("addressbooks/alice/contacts", &[("bob", "read"), ("carol", "read-write")]);
        for (group, who) in [("calendar-proxy-write", "erin"), ("calendar-proxy-read", "grace")] {
            self.must(Call::new("PROPPATCH", format!("{PRINCIPAL}{group}/")).xml(members(who)), 207);
        }
        // Everyone else has a home of their own (provisioned on first request).
        for role in ROLES {
            if role.user().is_some() {
                assert_eq!(self.send(role, &Call::new("OPTIONS", "/")).status, 200);
            }
        }
    }

    pub(crate) fn share(&self, collection: &str, sharees: &[(&str, &str)]) {
        for (who, access) in sharees {
            self.env.cli_ok(&["share", "add", collection, who, "--access", access], None);
        }
    }

    /// A disposable collection shared like the resource (made on first use, and
    /// again once a cell has deleted or moved it); its name.
    pub(crate) fn victim(&mut self, kind: VictimKind) -> String {
        if let Some(name) = &self.victims[kind as usize] {
            return name.clone();
        }
        self.made += 1;
        let n = self.made;
        let name = match kind {
            VictimKind::Cal => format!("vcal-{n}"),
            VictimKind::Public => format!("vpub-{n}"),
            VictimKind::Book => format!("vbook-{n}"),
        };
        match kind {
            VictimKind::Cal | VictimKind::Public => {
                let path = format!("/calendars/alice/{name}/");
                self.must(Call::new("MKCALENDAR", &path), 201);
                let secret = if kind == VictimKind::Cal { "CALSECRET victim" } else { "PUBSECRET victim" };
                self.must(Call::new("PUT", format!("{path}v.ics")).data(event(&name, secret, "", 9)), 201);
                if kind == VictimKind::Cal {
                    let store_path = format!("calendars/alice/{name}");
                    self.share(&store_path, &[("bob", "read"), ("carol", "read-write"), ("dave", "freebusy")]);
                } else {
                    self.must(Call::new("ACL", &path).xml(acl_body(None, true)), 200);
                }
            }
            VictimKind::Book => {
                let path = format!("/addressbooks/alice/{name}/");
                self.must(Call::new("MKCOL", &path).xml(mkcol_body(true)), 201);
                self.must(Call::new("PUT", format!("{path}v.vcf")).data(card(&name, "CARDSECRET victim")), 201);
                self.share(&format!("addressbooks/alice/{name}"), &[("bob", "read"), ("carol", "read-write")]);
            }
        }
        self.victims[kind as usize] = Some(name.clone());
        name
    }

    /// A victim as `role` reaches it, and as the owner does.
    pub(crate) fn victim_paths(&mut self, res: Res, role: Role) -> (VictimKind, String, String) {
        let kind = match res {
            Public => VictimKind::Public,
            Book => VictimKind::Book,
            _ => VictimKind::Cal,
        };
        let name = self.victim(kind);
        let top = if kind == VictimKind::Book { "addressbooks" } else { "calendars" };
        let owner_path = format!("/{top}/alice/{name}/");
        let path = if res.is_mount() && role != Role::Owner {
            format!("/calendars/{}/alice-{name}/", role.login())
        } else {
            owner_path.clone()
        };
        (kind, path, owner_path)
    }

    /// A fresh object for one cell, made by the owner: its path for `role`, the
    /// owner's path and its bytes.
    pub(crate) fn fresh(&self, res: Res, what: &str, role: Role) -> (String, String, String) {
        let name = format!("{what}-{}-{}.{}", res.tag(), role.tag(), res.ext());
        let uid = name.trim_end_matches(".ics").trim_end_matches(".vcf");
        let class = if res == PrivateEvent { "CLASS:PRIVATE\r\n" } else { "" };
        let data = if res.is_card() { card(uid, "fresh card") } else { event(uid, "fresh event", class, 8) };
        let owner_path = format!("{}{name}", res.collection());
        self.must(Call::new("PUT", &owner_path).data(data.clone()), 201);
        (format!("{}{name}", res.collection_for(role)), owner_path, data)
    }

    /// The request of one cell, after what it needs has been made.
    pub(crate) fn plan(&mut self, res: Res, op: Op, role: Role) -> (Call, After) {
        let me = role.login();
        let tag = format!("{}-{}", res.tag(), role.tag());
        let target = res.target(role);
        let server = self.server;
        let url = |path: &str| server.url(path);
        let mut hrefs = format!("<D:href>{}{}</D:href>", res.collection_for(role), res.object());
        if let Some(private) = res.private_member() {
            hrefs.push_str(&format!("<D:href>{}{private}</D:href>", res.collection_for(role)));
        }
        let call = match op {
            Options => Call::new("OPTIONS", &target),
            Get => Call::new("GET", &target),
            Head => Call::new("HEAD", &target),
            Propfind0 => Call::new("PROPFIND", &target).with("Depth", "0").xml(propfind()),
            Propfind1 => Call::new("PROPFIND", &target).with("Depth", "1").xml(propfind()),
            Proppatch if res == Principal => {
                // The owner keeps her reader; anyone else tries to become one.
                let who = if role == Role::Owner { "grace" } else { me };
                Call::new("PROPPATCH", format!("{PRINCIPAL}calendar-proxy-read/")).xml(members(who))
            }
            Proppatch => Call::new("PROPPATCH", &target).xml(format!(
                r#"<D:propertyupdate xmlns:D="DAV:" xmlns:X="urn:agora:matrix"><D:set><D:prop><X:note-{r}>set-by-{r}</X:note-{r}></D:prop></D:set></D:propertyupdate>"#,
                r = role.tag()
            )),
            Put if res == Principal => Call::new("PUT", &target).data(event(&tag, "put", "", 8)),
            Put if res.is_object() => {
                let (path, owner_path, data) = self.fresh(res, "put", role);
                let new = data.replace("fresh", "overwritten");
                return (Call::new("PUT", path).data(new), After::Unchanged { path: owner_path, data });
            }
            Put => {
                let name = format!("new-{tag}.{}", res.ext());
                let data = if res.is_card() { card(&name, "new card") } else { event(&name, "new event", "", 8) };
                let call = Call::new("PUT", format!("{}{name}", res.collection_for(role))).data(data);
                return (call, After::Absent(format!("{}{name}", res.collection())));
            }
            Delete if res == Principal => Call::new("DELETE", &target),
            Delete if res.is_object() => {
                let (path, owner_path, data) = self.fresh(res, "del", role);
                return (Call::new("DELETE", path), After::Unchanged { path: owner_path, data });
            }
            Delete => {
                let (kind, path, owner_path) = self.victim_paths(res, role);
                return (Call::new("DELETE", path), After::Victim { kind, owner_path });
            }
            Mkcol | Mkcalendar if res == Principal || res.is_object() => Call::new(method_of(op), &target),
            Mkcol if res.is_mount() => {
                let call = Call::new("MKCOL", format!("{target}mkcol-{tag}/")).xml(mkcol_body(false));
                return (call, After::Absent(format!("{CAL}mkcol-{tag}/")));
            }
            Mkcol => {
                let top = if res.is_card() { "addressbooks" } else { "calendars" };
                let path = format!("/{top}/alice/mkcol-{tag}/");
                return (Call::new("MKCOL", &path).xml(mkcol_body(res.is_card())), After::Absent(path));
            }
            Mkcalendar => {
                let call = Call::new("MKCALENDAR", format!("{target}mkcal-{tag}/"));
                return (call, After::Absent(format!("{}mkcal-{tag}/", res.collection())));
            }
            CopyTo if res == Principal => {
                Call::new("COPY", &target).with("Destination", url(&format!("/calendars/{me}/copy-{tag}/")))
            }
            CopyTo if res.is_object() => {
                let (path, owner_path, data) = self.fresh(res, "cp", role);
                let dest = format!("{}cp-{tag}.{}", res.own_collection(role), res.ext());
                let call = Call::new("COPY", path).with("Destination", url(&dest));
                return (call, After::Copied { source: Some((owner_path, data)), dest, collection: false });
            }
            CopyTo => {
                let dest = format!("{}copy-{tag}/", res.own_home(role));
                let call = Call::new("COPY", &target).with("Destination", url(&dest)).with("Depth", "infinity");
                return (call, After::Copied { source: None, dest, collection: true });
            }
            MoveTo if res == Principal => {
                Call::new("MOVE", &target).with("Destination", url(&format!("/calendars/{me}/moved-{tag}/")))
            }
            MoveTo if res.is_object() => {
                let (path, owner_path, data) = self.fresh(res, "mv", role);
                let dest = format!("{}mv-{tag}.{}", res.own_collection(role), res.ext());
                let call = Call::new("MOVE", path).with("Destination", url(&dest));
                return (call, After::Unchanged { path: owner_path, data });
            }
            MoveTo => {
                let (kind, path, owner_path) = self.victim_paths(res, role);
                let dest = format!("{}moved-{tag}/", res.own_home(role));
                let call = Call::new("MOVE", path).with("Destination", url(&dest)).with("Depth", "infinity");
                return (call, After::Victim { kind, owner_path });
            }
            Lock => {
                let call = Call::new("LOCK", &target).with("Depth", "0").with("Timeout", "Second-60").xml(LOCKINFO);
                return (call, After::OwnLock { path: target.clone(), owner_path: res.target(Role::Owner) });
            }
            Unlock if res == Principal => {
                Call::new("UNLOCK", &target).with("Lock-Token", "<urn:uuid:00000000-0000-4000-8000-000000000000>")
            }
            Unlock => {
                let owner_path = res.target(Role::Owner);
                let lock = Call::new("LOCK", &owner_path).with("Depth", "0").with("Timeout", "Second-60").xml(LOCKINFO);
                let token = self.must(lock, 200).lock_token.expect("a lock token");
                let call = Call::new("UNLOCK", &target).with("Lock-Token", format!("<{token}>"));
                return (call, After::OwnersLock { owner_path, token });
            }
            Acl => Call::new("ACL", &target).xml(acl_body(Some(me), res.is_public())),
            PostShare => Call::new("POST", &target).xml(format!(
                r#"<CS:share {NS}><CS:set><D:href>mailto:{me}@example.org</D:href><CS:read-write/></CS:set></CS:share>"#
            )),
            PostPublish => {
                let call = Call::new("POST", &target).xml(format!("<CS:publish-calendar {NS}/>"));
                return (call, After::Unpublish(res.collection().to_owned()));
            }
            CalendarQuery | CalendarMultiget | FreeBusyQuery | SyncCollection | AddressbookQuery
            | AddressbookMultiget | ExpandProperty | PrincipalPropertySearch | PrincipalSearchPropertySet
            | PrincipalMatch | AclPrincipalPropSet => {
                let (depth, body) = report_body(op, res == Principal, &hrefs);
                Call::new("REPORT", &target).with("Depth", depth).xml(body)
            }
        };
        (call, After::Nothing)
    }

    /// Runs one cell and records whatever is wrong with it.
    pub(crate) fn cell(&mut self, res: Res, op: Op, role: Role, expected: u16) {
        let (call, after) = self.plan(res, op, role);
        let reply = self.send(role, &call);
        let label = format!("{res:?} × {op:?} × {role:?}: {} {}", call.method, call.path);
        if reply.status != expected {
            self.miss(format!("{label} → {}, expected {expected}: {}", reply.status, snippet(&reply.body)));
        }
        for (secret, allowed) in SECRETS {
            if reply.body.contains(secret) && !allowed.contains(&role) {
                self.miss(format!("{label} → {} LEAKS {secret:?}: {}", reply.status, snippet(&reply.body)));
            }
        }
        for shown in res.must_show(op) {
            if ok(reply.status) && !reply.body.contains(shown) {
                self.miss(format!("{label} → {} without {shown:?}: {}", reply.status, snippet(&reply.body)));
            }
        }
        self.after(&label, role, &reply, after);
    }
}
