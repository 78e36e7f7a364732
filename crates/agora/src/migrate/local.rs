//! The Agora side: the local collection a remote one goes to, created or
//! reused, with what is carried over (names, colours, descriptions, time zone,
//! component set). Everything goes through agora-core as the user, like a
//! client's MKCALENDAR and PROPPATCH would.

use agora_core::resources::homes::{addressbook_home, calendar_home};
use agora_core::subscriptions::normalise_source;
use agora_core::{Access, CoreError, Resources};
use agora_dav_xml::{DeadProperty, PropName};
use agora_store::{Collection, CollectionKind, Components, PropertyChange};

use super::discovery::{Kind, RemoteCollection};

/// Local names tried after the remote one is taken by something else (`work`,
/// `work-2`, … `work-9`).
const TRIES: usize = 9;
/// Longest local name made from a remote one.
const MAX_NAME: usize = 64;

/// The local collection for `rc`: the one recorded by an earlier run when it
/// is still there, else one named after the remote's last path segment (an
/// existing one of the same kind that takes every component is reused: the
/// default `calendar` and `contacts` take what the source's do). `Err(why)`
/// when none can be had (a refused subscription); `Ok(None)` in a dry run
/// when it would be created.
pub async fn collection_for(
    res: &Resources<'_>,
    user: &str,
    rc: &RemoteCollection,
    recorded: Option<&str>,
    dry_run: bool,
) -> Result<Result<Option<Collection>, String>, CoreError> {
    let (home, kind) = match rc.kind {
        Kind::Addressbook => (addressbook_home(user), CollectionKind::Addressbook),
        _ => (calendar_home(user), CollectionKind::Calendar),
    };
    let components = components(rc);
    let mut candidates: Vec<String> = recorded.map(str::to_owned).into_iter().collect();
    let base = local_name(rc);
    candidates
        .extend((1..=TRIES).map(|i| if i == 1 { format!("{home}{base}/") } else { format!("{home}{base}-{i}/") }));
    for path in candidates {
        match res.collection(&path, Access::Write).await {
            Ok(Some(c)) => {
                if fits(&c, kind, components, &rc.kind) {
                    if !dry_run {
                        set_properties(res, &c, rc).await?;
                    }
                    return Ok(Ok(Some(c)));
                }
            }
            Ok(None) if dry_run => return Ok(Ok(None)),
            Ok(None) => {
                let made = match &rc.kind {
                    Kind::Subscription(url) => res.subscribe(&path, url, properties(rc)).await,
                    _ => res.create_collection(&path, kind, components, properties(rc)).await,
                };
                return match made {
                    Ok(c) => Ok(Ok(Some(c))),
                    Err(e @ (CoreError::Store(_) | CoreError::Unavailable(_))) => Err(e),
                    Err(e) => Ok(Err(e.to_string())),
                };
            }
            // Someone else's (a share mounted in the home, another owner's path).
            Err(CoreError::Forbidden(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Err(format!("no free name for it in /{home} ({base} to {base}-{TRIES} are taken)")))
}

/// Whether an existing local collection can take the remote one's members.
fn fits(c: &Collection, kind: CollectionKind, components: Components, remote: &Kind) -> bool {
    if c.kind != kind || c.share_id.is_some() {
        return false;
    }
    match remote {
        Kind::Subscription(url) => c.source.is_some() && normalise_source(url).ok().as_deref() == c.source.as_deref(),
        _ => {
            let wanted = if components.0 == 0 {
                Components::EVENT | Components::TODO | Components::JOURNAL
            } else {
                components.0
            };
            c.source.is_none() && (kind != CollectionKind::Calendar || c.components.0 & wanted == wanted)
        }
    }
}

/// The remote's `supported-calendar-component-set` (0: not said, all).
fn components(rc: &RemoteCollection) -> Components {
    Components(rc.components.iter().filter_map(|n| Components::bit(n)).fold(0, |a, b| a | b))
}

/// A local name from the remote URL's last segment: letters, digits and
/// `.-_` kept, anything else a dash.
fn local_name(rc: &RemoteCollection) -> String {
    let last = rc.url.path_segments().and_then(|mut s| s.rfind(|s| !s.is_empty())).unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(last).decode_utf8_lossy();
    let mut name: String = decoded
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '-' })
        .collect();
    name = name.trim_matches(|c| c == '-' || c == '.').to_owned();
    name.truncate(MAX_NAME);
    if name.is_empty() { "migrated".into() } else { name }
}

/// The dead properties carried over, as a client's MKCALENDAR would set them.
fn properties(rc: &RemoteCollection) -> Vec<(String, String)> {
    let description = match rc.kind {
        Kind::Addressbook => PropName::carddav("addressbook-description"),
        _ => PropName::caldav("calendar-description"),
    };
    let mut out = Vec::new();
    let mut add = |name: PropName, value: &Option<String>| {
        if let Some(v) = value {
            let p = DeadProperty::with_text(name, v);
            out.push((p.name.clark(), p.xml));
        }
    };
    add(PropName::dav("displayname"), &rc.displayname);
    add(description, &rc.description);
    if rc.kind != Kind::Addressbook {
        add(PropName::apple_ical("calendar-color"), &rc.color);
        add(PropName::apple_ical("calendar-order"), &rc.order);
        add(PropName::caldav("calendar-timezone"), &rc.timezone);
    }
    out
}

/// Sets the carried properties on a reused collection (the source's names
/// and colours win, as they did on the first run).
async fn set_properties(res: &Resources<'_>, c: &Collection, rc: &RemoteCollection) -> Result<(), CoreError> {
    let changes: Vec<PropertyChange> =
        properties(rc).into_iter().map(|(name, xml)| PropertyChange::Set(name, xml)).collect();
    if changes.is_empty() || c.source.is_some() {
        return Ok(());
    }
    res.patch_collection(c, &changes).await
}

/// The local resource name for a remote member: its own name when it is a
/// plain one (letters, digits, `.-_@+~`, not starting with a dot), else
/// `None` and the core names it from the UID.
pub fn member_name(url: &reqwest::Url) -> Option<String> {
    let last = url.path_segments()?.next_back()?;
    let name = percent_encoding::percent_decode_str(last).decode_utf8().ok()?;
    let plain = !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@' | '+' | '~'));
    plain.then(|| name.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remote(url: &str) -> RemoteCollection {
        RemoteCollection {
            url: reqwest::Url::parse(url).unwrap(),
            kind: Kind::Calendar,
            displayname: Some("Work & co".into()),
            color: Some("#FF0000FF".into()),
            order: None,
            description: None,
            timezone: None,
            components: vec!["VEVENT".into(), "VTODO".into()],
            ctag: None,
            sync_token: None,
        }
    }

    #[test]
    fn local_names_are_sanitised() {
        assert_eq!(local_name(&remote("http://h/dav/cal/Work%20Stuff/")), "Work-Stuff");
        assert_eq!(local_name(&remote("http://h/dav/cal/6f1c-9a/")), "6f1c-9a");
        assert_eq!(local_name(&remote("http://h/%2E%2E/")), "migrated");
        assert_eq!(components(&remote("http://h/a/")).0, Components::EVENT | Components::TODO);
    }

    #[test]
    fn member_names_kept_when_plain() {
        let u = |s: &str| reqwest::Url::parse(s).unwrap();
        assert_eq!(member_name(&u("http://h/c/abc-1.ics")).as_deref(), Some("abc-1.ics"));
        assert_eq!(member_name(&u("http://h/c/a%40b.vcf")).as_deref(), Some("a@b.vcf"));
        assert_eq!(member_name(&u("http://h/c/a%20b.ics")), None);
        assert_eq!(member_name(&u("http://h/c/.hidden")), None);
    }

    #[test]
    fn properties_are_verbatim_xml() {
        let props = properties(&remote("http://h/a/"));
        assert!(props.iter().any(|(n, x)| n == "{DAV:}displayname" && x.contains("Work &amp; co")), "{props:?}");
        assert!(props.iter().any(|(n, _)| n == "{http://apple.com/ns/ical/}calendar-color"));
    }
}
