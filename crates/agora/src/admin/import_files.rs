//! `agora import --user NAME PATH` without a manifest: calendar and contact
//! files from anywhere (Outlook, Exchange, Google Takeout, Thunderbird, another
//! server's export), one file, a directory or a zip.
//!
//! Where each file goes (docs/decisions.md):
//! - `NAME.ics` → the calendar `calendars/USER/SLUG/`, SLUG being the file's name
//!   without extension, lower-cased, with anything but letters, digits, `-` and
//!   `_` turned into `-`; created when missing, named after the file's
//!   `X-WR-CALNAME` (Outlook, Google) or else the file's name.
//! - `NAME.vcf` → the address book `addressbooks/USER/SLUG/`, likewise.
//! - `NAME.csv` → Outlook's contacts CSV, converted to vCard 4.0, into the
//!   address book `addressbooks/USER/contacts/`.
//!
//! Files of other kinds are left out and said so. Text that is not UTF-8 is read
//! as Windows-1252 (older Outlook versions write their "ANSI" code page).

use agora_core::{Access, Core, CoreError, Resources};
use agora_ical::contacts_csv;
use agora_store::{CollectionKind, Components};

use super::archive::Source;
use super::import::Report;
use super::shares::identity;
use crate::exit::Failure;
use crate::progress::Progress;

pub async fn run(core: &Core, source: &mut Source, user: &str, report: &mut Report) -> Result<(), Failure> {
    let owner = identity(core, user).await?;
    let res = core.resources(&owner);
    res.ensure_homes().await?;
    let files = source.files()?;
    let mut progress = Progress::new("files", files.len() as u64);
    for file in files {
        progress.advance(1);
        let Some((stem, ext)) = split_name(&file) else {
            report.problem(&progress, &file, "not an .ics, .vcf or .csv file; left out");
            continue;
        };
        let bytes = match source.read(&file) {
            Ok(b) => b,
            Err(e) => {
                report.problem(&progress, &file, &e);
                continue;
            }
        };
        let (kind, name, text, title) = match ext.as_str() {
            "ics" | "ical" | "ifb" => {
                let text = contacts_csv::decode(&bytes);
                let title = calendar_name(&text).unwrap_or_else(|| stem.clone());
                (CollectionKind::Calendar, slug(&stem), text, title)
            }
            "vcf" | "vcard" => (CollectionKind::Addressbook, slug(&stem), contacts_csv::decode(&bytes), stem.clone()),
            "csv" => match contacts_csv::outlook_csv_to_vcards(&bytes) {
                Ok(cards) => {
                    let defaults = agora_core::resources::homes::defaults::CONTACTS;
                    (CollectionKind::Addressbook, defaults.to_owned(), cards.concat(), "Contacts".to_owned())
                }
                Err(e) => {
                    report.problem(&progress, &file, &e.to_string());
                    continue;
                }
            },
            _ => {
                report.problem(&progress, &file, "not an .ics, .vcf or .csv file; left out");
                continue;
            }
        };
        let c = match target(&res, &owner.name, kind, &name, &title, report).await {
            Ok(c) => c,
            Err(e) => {
                report.problem(&progress, &file, &e.to_string());
                continue;
            }
        };
        match res.import(&c, &text).await {
            Ok(done) => report.add(&progress, &file, done),
            Err(e @ (CoreError::Invalid(_) | CoreError::Forbidden(_))) => {
                report.problem(&progress, &file, &e.to_string());
            }
            Err(e) => return Err(e.into()),
        }
    }
    progress.finish();
    Ok(())
}

/// The calendar or address book a file goes to, created when missing.
async fn target(
    res: &Resources<'_>,
    owner: &str,
    kind: CollectionKind,
    name: &str,
    title: &str,
    report: &mut Report,
) -> Result<agora_store::Collection, CoreError> {
    let home = if kind == CollectionKind::Calendar {
        agora_core::resources::homes::calendar_home(owner)
    } else {
        agora_core::resources::homes::addressbook_home(owner)
    };
    let path = format!("{home}{name}/");
    if let Some(c) = res.collection(&path, Access::Write).await? {
        if c.kind != kind || c.source.is_some() {
            return Err(CoreError::Invalid(format!(
                "/{path} exists and is not {}",
                if kind == CollectionKind::Calendar { "a calendar of one's own" } else { "an address book" }
            )));
        }
        return Ok(c);
    }
    let props = vec![(
        super::manifest::DISPLAY_NAME.to_owned(),
        super::manifest::element(super::manifest::DISPLAY_NAME, title),
    )];
    let c = res.create_collection(&path, kind, Components(0), props).await?;
    report.created.push(format!("/{path}"));
    Ok(c)
}

/// The file's name without directory and extension, and its lower-cased extension.
fn split_name(file: &str) -> Option<(String, String)> {
    let base = file.rsplit('/').next().unwrap_or(file);
    let (stem, ext) = base.rsplit_once('.')?;
    (!stem.is_empty()).then(|| (stem.to_owned(), ext.to_ascii_lowercase()))
}

/// A collection name from a file name: lower case, letters, digits, `-` and `_`.
fn slug(stem: &str) -> String {
    let mut out = String::new();
    for c in stem.to_lowercase().chars() {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out: String = out.trim_matches('-').chars().take(64).collect();
    if out.is_empty() { "imported".to_owned() } else { out }
}

/// The calendar's own name (`X-WR-CALNAME`, written by Outlook, Google, Apple).
fn calendar_name(text: &str) -> Option<String> {
    let mut depth = 0usize;
    for logical in agora_ical::content::logical_lines(text) {
        let Ok(line) = logical.parse() else { continue };
        match line.name.as_str() {
            "BEGIN" => depth += 1,
            "END" => depth = depth.saturating_sub(1),
            "X-WR-CALNAME" if depth == 1 => {
                let name = line.text().trim().to_owned();
                return (!name.is_empty()).then_some(name);
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_name_their_collections() {
        assert_eq!(slug("Alice Smith (Work)"), "alice-smith-work");
        assert_eq!(slug("alice@gmail.com"), "alice-gmail-com");
        assert_eq!(slug("Agenda équipe"), "agenda-équipe");
        assert_eq!(slug("..."), "imported");
        assert_eq!(split_name("Takeout/Calendar/Home.ICS"), Some(("Home".into(), "ics".into())));
        assert_eq!(split_name("README"), None);
        let ics = "BEGIN:VCALENDAR\r\nPRODID:x\r\nX-WR-CALNAME:Équipe\r\n  projet\r\nBEGIN:VEVENT\r\nX-WR-CALNAME:no\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        assert_eq!(calendar_name(ics).as_deref(), Some("Équipe projet"));
        assert_eq!(calendar_name("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nX-WR-CALNAME:no\r\nEND:VEVENT\r\n"), None);
    }
}
