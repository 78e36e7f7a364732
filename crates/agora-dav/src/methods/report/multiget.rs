//! `C:calendar-multiget` (RFC 4791 §7.9) and `CARD:addressbook-multiget`
//! (RFC 6352 §8.7): the named members with their data, in one round trip. The
//! Depth header is ignored (§7.9: it MUST be).

use agora_dav_xml::{MultistatusWriter, PropRequest};
use agora_store::Collection;
use axum::response::Response;

use super::object_propstats;
use crate::error::HttpError;
use crate::methods::multistatus;
use crate::paths::{self, Target};
use crate::resolve::Dav;

/// Answers each href in request order; unknown ones with 404.
pub async fn run(dav: &Dav<'_>, c: &Collection, wanted: &PropRequest, hrefs: &[String]) -> Result<Response, HttpError> {
    // Hrefs may be absolute URLs; only the path counts.
    let names: Vec<Option<String>> = hrefs
        .iter()
        .map(|h| {
            let path = h.find("://").and_then(|i| h[i + 3..].find('/').map(|j| &h[i + 3 + j..])).unwrap_or(h);
            match paths::parse(path) {
                Ok(Target::Stored { path, slash: false }) => {
                    path.strip_prefix(&c.path).filter(|n| !n.contains('/')).map(str::to_owned)
                }
                _ => None,
            }
        })
        .collect();
    let wanted_names: Vec<String> = names.iter().flatten().cloned().collect();
    let objects = dav.res.objects_named(c, &wanted_names).await?;
    let mut out = MultistatusWriter::begin(Vec::new()).expect("writing to memory");
    for (href, name) in hrefs.iter().zip(&names) {
        match name.as_ref().and_then(|n| objects.iter().find(|o| &o.meta.name == n)) {
            Some(object) => {
                let stats = object_propstats(dav, c, object, wanted).await?;
                out.response(href, &stats).expect("writing to memory");
            }
            None => out.response_status(href, 404).expect("writing to memory"),
        }
    }
    Ok(multistatus(out.finish().expect("writing to memory")))
}
