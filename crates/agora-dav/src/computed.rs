//! Properties whose values need the store or the access rules, computed only when a
//! request names them: lockdiscovery (RFC 4918 §15.8), quota (RFC 4331), and the
//! access-control properties of RFC 3744 §5 (acl, current-user-privilege-set,
//! supported-privilege-set, acl-restrictions, inherited-acl-set, group-member-set,
//! group-membership), and Agora's feed-status of a subscribed calendar. They are
//! handed to the property lookup like stored values.

use agora_core::acl::Privileges;
use agora_core::now;
use agora_core::subscriptions::FeedStatus;
use agora_dav_xml::{NS_AGORA, NS_CALDAV, NS_DAV, PropName, Propfind, escape_text};
use agora_store::Grantee;

use crate::error::HttpError;
use crate::paths;
use crate::resolve::{Dav, Resource};

fn hrefs(list: impl IntoIterator<Item = String>) -> String {
    list.into_iter().map(|h| format!("<D:href>{}</D:href>", escape_text(&h))).collect()
}

fn privilege_xml(ns: &str, local: &str) -> String {
    let prefix = if ns == NS_CALDAV { "C" } else { "D" };
    format!("<D:privilege><{prefix}:{local}/></D:privilege>")
}

/// The supported privileges as a tree (RFC 3744 §5.3).
const SUPPORTED_PRIVILEGES: &str = "<D:supported-privilege><D:privilege><D:all/></D:privilege>\
    <D:description xml:lang=\"en\">Any operation</D:description>\
    <D:supported-privilege><D:privilege><D:read/></D:privilege><D:description xml:lang=\"en\">Read</D:description>\
    <D:supported-privilege><D:privilege><C:read-free-busy/></D:privilege><D:description xml:lang=\"en\">Read free/busy time</D:description></D:supported-privilege>\
    </D:supported-privilege>\
    <D:supported-privilege><D:privilege><D:write/></D:privilege><D:description xml:lang=\"en\">Write</D:description>\
    <D:supported-privilege><D:privilege><D:write-properties/></D:privilege><D:description xml:lang=\"en\">Write properties</D:description></D:supported-privilege>\
    <D:supported-privilege><D:privilege><D:write-content/></D:privilege><D:description xml:lang=\"en\">Write content</D:description></D:supported-privilege>\
    <D:supported-privilege><D:privilege><D:bind/></D:privilege><D:description xml:lang=\"en\">Add members</D:description></D:supported-privilege>\
    <D:supported-privilege><D:privilege><D:unbind/></D:privilege><D:description xml:lang=\"en\">Remove members</D:description></D:supported-privilege>\
    </D:supported-privilege>\
    <D:supported-privilege><D:privilege><D:unlock/></D:privilege><D:description xml:lang=\"en\">Unlock</D:description></D:supported-privilege>\
    <D:supported-privilege><D:privilege><D:read-acl/></D:privilege><D:description xml:lang=\"en\">Read the ACL</D:description></D:supported-privilege>\
    <D:supported-privilege><D:privilege><D:read-current-user-privilege-set/></D:privilege><D:description xml:lang=\"en\">Read own privileges</D:description></D:supported-privilege>\
    <D:supported-privilege><D:privilege><D:write-acl/></D:privilege><D:description xml:lang=\"en\">Write the ACL</D:description></D:supported-privilege>\
    </D:supported-privilege>";

fn wants(request: &Propfind, name: &PropName) -> bool {
    match request {
        Propfind::Prop(names) => names.contains(name),
        Propfind::AllProp { include } => include.contains(name) || name.is(NS_DAV, "lockdiscovery"),
        Propfind::PropName => false,
    }
}

fn grantee_xml(dav: &Dav<'_>, g: &Grantee, names: &[(i64, String)]) -> String {
    let _ = dav;
    match g {
        Grantee::Principal(id) => {
            let name = names.iter().find(|(i, _)| i == id).map(|(_, n)| n.clone()).unwrap_or_default();
            hrefs([paths::principal_href(&name)])
        }
        Grantee::Authenticated => "<D:authenticated/>".into(),
        Grantee::Unauthenticated => "<D:unauthenticated/>".into(),
        Grantee::All => "<D:all/>".into(),
    }
}

/// Records one computed DAV-namespace property value.
fn put(out: &mut Vec<(String, String)>, name: PropName, inner: String) {
    out.push((name.clark(), format!("<D:{0}>{inner}</D:{0}>", name.local)));
}

/// `A:feed-status` of a subscribed calendar: empty when the last fetch
/// succeeded, else why it failed and when. Not in `allprop` (RFC 4918 §9.1
/// leaves it to the server; only RFC 4918's own live properties are there).
fn feed_status_xml(status: &FeedStatus) -> String {
    let open = format!("<A:feed-status xmlns:A=\"{NS_AGORA}\"");
    match &status.error {
        None => format!("{open}/>"),
        Some(error) => format!(
            "{open}><A:error>{}</A:error><A:time>{}</A:time></A:feed-status>",
            escape_text(error),
            crate::props::rfc3339(status.at)
        ),
    }
}

/// Adds the values of the computed properties the request names to `out`
/// (Clark name, XML of the whole property element).
pub async fn inject(
    dav: &Dav<'_>,
    r: &Resource,
    request: &Propfind,
    out: &mut Vec<(String, String)>,
) -> Result<(), HttpError> {
    let name = |local: &str| PropName::dav(local);
    if wants(request, &name("lockdiscovery"))
        && let Some(path) = crate::conditions::lock_path(dav, r).await?
    {
        let now = now();
        let active: Vec<_> =
            dav.res.locks_covering(&path).await?.iter().map(|l| crate::methods::active_lock(l, now)).collect();
        put(out, name("lockdiscovery"), agora_dav_xml::activelocks_xml(&active));
    }
    let feed_status = PropName::new(NS_AGORA, "feed-status");
    if let Resource::Collection(c) = r
        && wants(request, &feed_status)
        && let Some(status) = dav.res.feed_status(c).await?
    {
        out.push((feed_status.clark(), feed_status_xml(&status)));
    }
    match r {
        Resource::Collection(c) | Resource::Object(c, _) => {
            // The live value names the requester, right for their own data; a
            // shared or delegated collection names its real owner (RFC 3744 §5.1).
            let owner = name("owner");
            let asks_owner = wants(request, &owner) || matches!(request, Propfind::AllProp { .. });
            if asks_owner && c.owner_id != dav.who.principal_id {
                let real = dav.res.principal(c.owner_id).await?;
                put(out, owner, hrefs([paths::principal_href(&real.name)]));
            }
            if wants(request, &name("current-user-privilege-set")) {
                let held = dav.res.current_privileges(c).await?;
                put(
                    out,
                    name("current-user-privilege-set"),
                    held.names().into_iter().map(|(n, l)| privilege_xml(n, l)).collect(),
                );
            }
            if wants(request, &name("supported-privilege-set")) {
                put(out, name("supported-privilege-set"), SUPPORTED_PRIVILEGES.into());
            }
            if wants(request, &name("acl-restrictions")) {
                put(out, name("acl-restrictions"), "<D:grant-only/><D:no-invert/>".into());
            }
            let wants_acl = wants(request, &name("acl"));
            let wants_inherited = wants(request, &name("inherited-acl-set"));
            // The core reads the ACL only for those who hold read-acl.
            let acl = match wants_acl || wants_inherited {
                true => match dav.res.acl(c).await {
                    Ok(acl) => Some(acl),
                    Err(agora_core::CoreError::Forbidden(_)) => None,
                    Err(e) => return Err(e.into()),
                },
                false => None,
            };
            if let Some((own, inherited)) = acl {
                let names: Vec<(i64, String)> =
                    dav.state.core.directory().list(None).await?.into_iter().map(|p| (p.id, p.name)).collect();
                let owner = names.iter().find(|(i, _)| *i == c.owner_id).map(|(_, n)| n.clone()).unwrap_or_default();
                if wants_acl {
                    let mut aces = format!(
                        "<D:ace><D:principal>{}</D:principal><D:grant>{}</D:grant><D:protected/></D:ace>",
                        hrefs([paths::principal_href(&owner)]),
                        privilege_xml(NS_DAV, "all")
                    );
                    let ace = |g: &agora_store::Grant, from: Option<&str>| {
                        let privileges: String =
                            Privileges(g.privileges).names().into_iter().map(|(n, l)| privilege_xml(n, l)).collect();
                        let inherited = from
                            .map(|p| format!("<D:inherited>{}</D:inherited>", hrefs([paths::href(p)])))
                            .unwrap_or_default();
                        format!(
                            "<D:ace><D:principal>{}</D:principal><D:grant>{privileges}</D:grant>{inherited}</D:ace>",
                            grantee_xml(dav, &g.grantee, &names)
                        )
                    };
                    aces.extend(own.iter().map(|g| ace(g, None)));
                    aces.extend(inherited.iter().map(|(p, g)| ace(g, Some(p))));
                    put(out, name("acl"), aces);
                }
                if wants_inherited {
                    let mut roots: Vec<String> = inherited.iter().map(|(p, _)| paths::href(p)).collect();
                    roots.dedup();
                    put(out, name("inherited-acl-set"), hrefs(roots));
                }
            }
            if let Resource::Collection(c) = r {
                sharing(dav, c, request, out).await?;
                let publish_url = PropName::calendarserver("publish-url");
                if wants(request, &publish_url)
                    && c.share_id.is_none()
                    && let Some(token) = dav.res.publication(c).await?
                {
                    let href = hrefs([format!("/publish/{token}.ics")]);
                    out.push((publish_url.clark(), format!("<CS:publish-url>{href}</CS:publish-url>")));
                }
            }
            if let (Propfind::Prop(_), Resource::Collection(c)) = (request, r) {
                let (used_name, available_name) = (name("quota-used-bytes"), name("quota-available-bytes"));
                if wants(request, &used_name) || wants(request, &available_name) {
                    let (used, available) = dav.res.quota(c).await?;
                    put(out, used_name, used.to_string());
                    if let Some(available) = available {
                        put(out, available_name, available.to_string());
                    }
                }
            }
        }
        Resource::Proxy(owner, write) if wants(request, &name("group-member-set")) => {
            let delegates = dav.res.delegates_of(owner).await?;
            let members =
                delegates.into_iter().filter(|(_, w)| w == write).map(|(d, _)| paths::principal_href(&d.name));
            put(out, name("group-member-set"), hrefs(members));
        }
        Resource::Principal(p) => {
            let read_for = PropName::calendarserver("calendar-proxy-read-for");
            let write_for = PropName::calendarserver("calendar-proxy-write-for");
            let wants_membership = wants(request, &name("group-membership"));
            if wants(request, &read_for) || wants(request, &write_for) || wants_membership {
                let owners = dav.res.delegating_to(p).await?;
                for (prop, level) in [(&read_for, false), (&write_for, true)] {
                    if wants(request, prop) {
                        let list =
                            owners.iter().filter(|(_, w)| *w == level).map(|(o, _)| paths::principal_href(&o.name));
                        out.push((prop.clark(), format!("<CS:{0}>{1}</CS:{0}>", prop.local, hrefs(list))));
                    }
                }
            }
            let directory = dav.state.core.directory();
            if wants(request, &name("group-member-set")) && p.kind == agora_core::PrincipalKind::Group {
                let members = directory.members(&p.name).await?;
                put(out, name("group-member-set"), hrefs(members.into_iter().map(|m| paths::principal_href(&m.name))));
            }
            if wants(request, &name("group-membership")) {
                let groups = directory.groups_of(p).await?;
                let mut list: Vec<String> = groups.into_iter().map(|g| paths::principal_href(&g.name)).collect();
                // Direct delegates are members of the owner's proxy groups.
                for (owner, write) in dav.res.delegates_of_direct(p).await? {
                    list.push(paths::proxy_href(&owner.name, write));
                }
                put(out, name("group-membership"), hrefs(list));
            }
        }
        _ => {}
    }
    Ok(())
}

/// The sharing properties of a collection: `D:share-access`, `D:invite` and
/// `D:sharer-resource-uri` (draft-pot-webdav-resource-sharing §4), `CS:invite`
/// (CalendarServer sharing).
async fn sharing(
    dav: &Dav<'_>,
    c: &agora_store::Collection,
    request: &Propfind,
    out: &mut Vec<(String, String)>,
) -> Result<(), HttpError> {
    use agora_store::{ShareAccess, ShareStatus};
    let access_name = PropName::dav("share-access");
    let invite = PropName::dav("invite");
    let cs_invite = PropName::calendarserver("invite");
    let sharer = PropName::dav("sharer-resource-uri");
    if ![&access_name, &invite, &cs_invite, &sharer].iter().any(|n| wants(request, n)) {
        return Ok(());
    }
    let level = |a: ShareAccess, prefix: &str| match a {
        ShareAccess::ReadWrite => format!("<{prefix}:read-write/>"),
        ShareAccess::Read => format!("<{prefix}:read/>"),
        // Agora's own level: neither protocol has one (see agora-dav-xml sharing).
        ShareAccess::FreeBusy => format!("<A:read-free-busy xmlns:A=\"{}\"/>", agora_dav_xml::NS_AGORA),
    };
    if c.share_id.is_some() {
        if let Some(share) = dav.res.share_of_mount(c).await? {
            out.push((access_name.clark(), format!("<D:share-access>{}</D:share-access>", level(share.access, "D"))));
        }
        let original = dav.res.original_path(c).await?;
        out.push((
            sharer.clark(),
            format!("<D:sharer-resource-uri>{}</D:sharer-resource-uri>", hrefs([paths::href(&original)])),
        ));
        return Ok(());
    }
    let shares = match dav.res.shares(c).await {
        Ok(s) => s,
        Err(agora_core::CoreError::Forbidden(_)) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let owner_state = if shares.is_empty() { "<D:not-shared/>" } else { "<D:shared-owner/>" };
    out.push((access_name.clark(), format!("<D:share-access>{owner_state}</D:share-access>")));
    let mut d_users = String::new();
    let mut cs_users = String::new();
    for s in &shares {
        let p = dav.state.core.directory().by_id(s.sharee_id).await?;
        let href = p.emails.first().map(|e| format!("mailto:{e}")).unwrap_or_else(|| paths::principal_href(&p.name));
        let (d_state, cs_state) = match s.status {
            ShareStatus::Accepted => ("invite-accepted", "invite-accepted"),
            ShareStatus::Declined => ("invite-declined", "invite-declined"),
            ShareStatus::Pending => ("invite-noresponse", "invite-noresponse"),
        };
        d_users.push_str(&format!(
            "<D:sharee>{}<D:{d_state}/><D:share-access>{}</D:share-access></D:sharee>",
            hrefs([href.clone()]),
            level(s.access, "D")
        ));
        cs_users.push_str(&format!(
            "<CS:user>{}<CS:common-name>{}</CS:common-name><CS:{cs_state}/><CS:access>{}</CS:access></CS:user>",
            hrefs([href]),
            escape_text(&p.display_name),
            level(s.access, "CS")
        ));
    }
    out.push((invite.clark(), format!("<D:invite>{d_users}</D:invite>")));
    out.push((cs_invite.clark(), format!("<CS:invite>{cs_users}</CS:invite>")));
    Ok(())
}
