//! Outlook's contacts CSV export ("File › Open & Export › Import/Export ›
//! Comma Separated Values") to vCard 4.0 (RFC 6350), for `agora import`.
//!
//! Outlook writes one row per contact under a header row in the user's language;
//! the English and French headers are known here (others are left out, and a file
//! where no header is known is refused). The bytes are UTF-8 (with or without a
//! byte-order mark) on recent versions and Windows-1252 ("ANSI") on older ones:
//! [`decode`] tells them apart (UTF-16 with its BOM too). Dates follow the
//! header language: `M/D/YYYY` for English, `D/M/YYYY` for French, ISO
//! `YYYY-MM-DD` for both; Outlook's empty date `0/0/00` is no date. Columns are
//! separated by commas, or by semicolons when the header says so (Excel saves
//! it so under French and German locales).
//!
//! A row has no identifier, so each card's UID is derived from the row's
//! name, company and e-mail addresses: importing the same file again (or a later
//! export where a phone number changed) updates the cards instead of duplicating them.

use sha2::{Digest, Sha256};

use crate::content::fold_into;
use crate::json::values::escape;

/// Why a CSV file could not be read as an Outlook contacts export.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    /// Not CSV at all (unbalanced quotes and the like).
    #[error("not a CSV file: {0}")]
    Syntax(String),
    /// CSV, but none of its column names is one Outlook writes.
    #[error(
        "no known contact column (expected Outlook's headers such as \"First Name\", \"E-mail Address\" or \"Prénom\")"
    )]
    UnknownHeaders,
}

/// One contact field Outlook exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Prefix,
    First,
    Middle,
    Last,
    Suffix,
    Nickname,
    Company,
    Department,
    JobTitle,
    /// Street, city, region, postal code, country of an address kind.
    Adr(AdrKind, AdrPart),
    Tel(&'static str),
    Email,
    Birthday,
    Anniversary,
    Notes,
    Web,
    Categories,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AdrKind {
    Work,
    Home,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AdrPart {
    Street,
    City,
    Region,
    Postal,
    Country,
}

/// Which date order the header language implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateOrder {
    MonthFirst,
    DayFirst,
}

/// Outlook's English column names.
const ENGLISH: &[(&str, Field)] = &[
    ("title", Field::Prefix),
    ("first name", Field::First),
    ("middle name", Field::Middle),
    ("last name", Field::Last),
    ("suffix", Field::Suffix),
    ("nickname", Field::Nickname),
    ("company", Field::Company),
    ("department", Field::Department),
    ("job title", Field::JobTitle),
    ("business street", Field::Adr(AdrKind::Work, AdrPart::Street)),
    ("business street 2", Field::Adr(AdrKind::Work, AdrPart::Street)),
    ("business street 3", Field::Adr(AdrKind::Work, AdrPart::Street)),
    ("business city", Field::Adr(AdrKind::Work, AdrPart::City)),
    ("business state", Field::Adr(AdrKind::Work, AdrPart::Region)),
    ("business postal code", Field::Adr(AdrKind::Work, AdrPart::Postal)),
    ("business country/region", Field::Adr(AdrKind::Work, AdrPart::Country)),
    ("business country", Field::Adr(AdrKind::Work, AdrPart::Country)),
    ("home street", Field::Adr(AdrKind::Home, AdrPart::Street)),
    ("home street 2", Field::Adr(AdrKind::Home, AdrPart::Street)),
    ("home street 3", Field::Adr(AdrKind::Home, AdrPart::Street)),
    ("home city", Field::Adr(AdrKind::Home, AdrPart::City)),
    ("home state", Field::Adr(AdrKind::Home, AdrPart::Region)),
    ("home postal code", Field::Adr(AdrKind::Home, AdrPart::Postal)),
    ("home country/region", Field::Adr(AdrKind::Home, AdrPart::Country)),
    ("home country", Field::Adr(AdrKind::Home, AdrPart::Country)),
    ("other street", Field::Adr(AdrKind::Other, AdrPart::Street)),
    ("other city", Field::Adr(AdrKind::Other, AdrPart::City)),
    ("other state", Field::Adr(AdrKind::Other, AdrPart::Region)),
    ("other postal code", Field::Adr(AdrKind::Other, AdrPart::Postal)),
    ("other country/region", Field::Adr(AdrKind::Other, AdrPart::Country)),
    ("business fax", Field::Tel("work,fax")),
    ("business phone", Field::Tel("work,voice")),
    ("business phone 2", Field::Tel("work,voice")),
    ("company main phone", Field::Tel("work,voice")),
    ("home fax", Field::Tel("home,fax")),
    ("home phone", Field::Tel("home,voice")),
    ("home phone 2", Field::Tel("home,voice")),
    ("mobile phone", Field::Tel("cell")),
    ("other phone", Field::Tel("voice")),
    ("pager", Field::Tel("pager")),
    ("e-mail address", Field::Email),
    ("e-mail 2 address", Field::Email),
    ("e-mail 3 address", Field::Email),
    ("birthday", Field::Birthday),
    ("anniversary", Field::Anniversary),
    ("notes", Field::Notes),
    ("web page", Field::Web),
    ("categories", Field::Categories),
];

/// Outlook's French column names.
const FRENCH: &[(&str, Field)] = &[
    ("titre", Field::Prefix),
    ("prénom", Field::First),
    ("deuxième prénom", Field::Middle),
    ("nom", Field::Last),
    ("suffixe", Field::Suffix),
    ("surnom", Field::Nickname),
    ("société", Field::Company),
    ("service", Field::Department),
    ("fonction", Field::JobTitle),
    ("rue (bureau)", Field::Adr(AdrKind::Work, AdrPart::Street)),
    ("rue (bureau) 2", Field::Adr(AdrKind::Work, AdrPart::Street)),
    ("rue (bureau) 3", Field::Adr(AdrKind::Work, AdrPart::Street)),
    ("ville (bureau)", Field::Adr(AdrKind::Work, AdrPart::City)),
    ("dép/région (bureau)", Field::Adr(AdrKind::Work, AdrPart::Region)),
    ("code postal (bureau)", Field::Adr(AdrKind::Work, AdrPart::Postal)),
    ("pays/région (bureau)", Field::Adr(AdrKind::Work, AdrPart::Country)),
    ("rue (domicile)", Field::Adr(AdrKind::Home, AdrPart::Street)),
    ("rue (domicile) 2", Field::Adr(AdrKind::Home, AdrPart::Street)),
    ("rue (domicile) 3", Field::Adr(AdrKind::Home, AdrPart::Street)),
    ("ville (domicile)", Field::Adr(AdrKind::Home, AdrPart::City)),
    ("dép/région (domicile)", Field::Adr(AdrKind::Home, AdrPart::Region)),
    ("code postal (domicile)", Field::Adr(AdrKind::Home, AdrPart::Postal)),
    ("pays/région (domicile)", Field::Adr(AdrKind::Home, AdrPart::Country)),
    ("télécopie (bureau)", Field::Tel("work,fax")),
    ("téléphone (bureau)", Field::Tel("work,voice")),
    ("téléphone 2 (bureau)", Field::Tel("work,voice")),
    ("téléphone société", Field::Tel("work,voice")),
    ("télécopie (domicile)", Field::Tel("home,fax")),
    ("téléphone (domicile)", Field::Tel("home,voice")),
    ("téléphone 2 (domicile)", Field::Tel("home,voice")),
    ("tél. mobile", Field::Tel("cell")),
    ("téléphone mobile", Field::Tel("cell")),
    ("autre téléphone", Field::Tel("voice")),
    ("récepteur de radiomessagerie", Field::Tel("pager")),
    ("adresse de messagerie", Field::Email),
    ("adresse de messagerie 2", Field::Email),
    ("adresse de messagerie 3", Field::Email),
    ("anniversaire", Field::Birthday),
    ("date de naissance", Field::Birthday),
    ("anniversaire de mariage", Field::Anniversary),
    ("notes", Field::Notes),
    ("page web", Field::Web),
    ("catégories", Field::Categories),
];

/// The text of a CSV file: UTF-8 (a byte-order mark dropped), UTF-16 with its
/// byte-order mark, else Windows-1252 (what Outlook writes as "ANSI" in Western
/// Europe and the Americas).
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    let utf16 = |rest: &[u8], le: bool| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|p| if le { u16::from_le_bytes([p[0], p[1]]) } else { u16::from_be_bytes([p[0], p[1]]) })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    }
}

/// One Windows-1252 byte as a character: Latin-1, except 0x80–0x9F, which
/// hold typographic characters (€, curly quotes, dashes, Œ…).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// Converts an Outlook contacts CSV export (any encoding [`decode`] knows) to
/// vCard 4.0 texts, one per row that names someone (rows with no name, company
/// or e-mail address are left out).
pub fn outlook_csv_to_vcards(bytes: &[u8]) -> Result<Vec<String>, CsvError> {
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .delimiter(delimiter(&text))
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| CsvError::Syntax(e.to_string()))?.clone();
    let (columns, order) = known_columns(&headers);
    if columns.iter().all(Option::is_none) {
        return Err(CsvError::UnknownHeaders);
    }
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| CsvError::Syntax(e.to_string()))?;
        let fields: Vec<(Field, &str)> = columns
            .iter()
            .zip(row.iter())
            .filter_map(|(f, v)| Some((f.as_ref().copied()?, v.trim())))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        if let Some(card) = card(&fields, order) {
            out.push(card);
        }
    }
    Ok(out)
}

/// `;` when the header line has more of them than commas (a file saved again
/// by Excel under a French or German locale), else `,` (what Outlook writes).
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.matches(';').count() > header.matches(',').count() { b';' } else { b',' }
}

/// The field of each column (by position) and the date order of the language
/// whose names matched more columns.
fn known_columns(headers: &csv::StringRecord) -> (Vec<Option<Field>>, DateOrder) {
    let normal: Vec<String> = headers.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase()).collect();
    let lookup = |table: &[(&str, Field)]| -> Vec<Option<Field>> {
        normal.iter().map(|h| table.iter().find(|(n, _)| n == h).map(|(_, f)| *f)).collect()
    };
    let (english, french) = (lookup(ENGLISH), lookup(FRENCH));
    let count = |v: &[Option<Field>]| v.iter().filter(|f| f.is_some()).count();
    if count(&french) > count(&english) { (french, DateOrder::DayFirst) } else { (english, DateOrder::MonthFirst) }
}

/// One vCard 4.0 from a row's non-empty fields, `None` when it names nobody.
fn card(fields: &[(Field, &str)], order: DateOrder) -> Option<String> {
    let get = |want: Field| fields.iter().filter(move |(f, _)| *f == want).map(|(_, v)| *v);
    let one = |want: Field| get(want).next().unwrap_or("");
    let (prefix, first, middle, last, suffix) =
        (one(Field::Prefix), one(Field::First), one(Field::Middle), one(Field::Last), one(Field::Suffix));
    let emails: Vec<&str> = get(Field::Email).collect();
    let company = one(Field::Company);
    let person: Vec<&str> = [prefix, first, middle, last, suffix].into_iter().filter(|s| !s.is_empty()).collect();
    let full = if !person.is_empty() {
        person.join(" ")
    } else if !company.is_empty() {
        company.to_owned()
    } else {
        (*emails.first()?).to_owned()
    };
    let mut identity = Sha256::new();
    for part in [first, middle, last, company].iter().chain(emails.iter()) {
        identity.update(part.to_lowercase().as_bytes());
        identity.update([0]);
    }
    let digest = identity.finalize();
    let uid: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();

    let mut lines: Vec<String> = vec!["BEGIN:VCARD".into(), "VERSION:4.0".into(), format!("UID:agora-csv-{uid}")];
    lines.push(format!("FN:{}", escape(&full)));
    lines.push(format!(
        "N:{};{};{};{};{}",
        escape(last),
        escape(first),
        escape(middle),
        escape(prefix),
        escape(suffix)
    ));
    if let Some(nick) = get(Field::Nickname).next() {
        lines.push(format!("NICKNAME:{}", escape(nick)));
    }
    let department = one(Field::Department);
    if !company.is_empty() || !department.is_empty() {
        let org =
            if department.is_empty() { escape(company) } else { format!("{};{}", escape(company), escape(department)) };
        lines.push(format!("ORG:{org}"));
    }
    if let Some(title) = get(Field::JobTitle).next() {
        lines.push(format!("TITLE:{}", escape(title)));
    }
    for (i, email) in emails.iter().enumerate() {
        let pref = if i == 0 { ";PREF=1" } else { "" };
        lines.push(format!("EMAIL{pref}:{}", escape(email)));
    }
    for (f, v) in fields {
        if let Field::Tel(kind) = f {
            lines.push(format!("TEL;VALUE=uri;TYPE=\"{kind}\":tel:{}", tel_uri(v)));
        }
    }
    for (kind, name) in [(AdrKind::Work, "work"), (AdrKind::Home, "home"), (AdrKind::Other, "")] {
        if let Some(adr) = address(fields, kind) {
            let ty = if name.is_empty() { String::new() } else { format!(";TYPE={name}") };
            lines.push(format!("ADR{ty}:{adr}"));
        }
    }
    if let Some(date) = get(Field::Birthday).find_map(|d| date(d, order)) {
        lines.push(format!("BDAY:{date}"));
    }
    if let Some(date) = get(Field::Anniversary).find_map(|d| date(d, order)) {
        lines.push(format!("ANNIVERSARY:{date}"));
    }
    for url in get(Field::Web) {
        lines.push(format!("URL:{url}"));
    }
    if let Some(notes) = get(Field::Notes).next() {
        lines.push(format!("NOTE:{}", escape(notes)));
    }
    // Outlook separates categories with `;`; vCard lists them with `,`.
    let categories: Vec<String> = get(Field::Categories)
        .flat_map(|c| c.split(';'))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(escape)
        .collect();
    if !categories.is_empty() {
        lines.push(format!("CATEGORIES:{}", categories.join(",")));
    }
    lines.push("END:VCARD".into());
    let mut out = String::new();
    for line in lines {
        fold_into(&line, &mut out);
    }
    Some(out)
}

/// The structured ADR value (RFC 6350 §6.3.1) of one kind of address, if any part is set.
fn address(fields: &[(Field, &str)], kind: AdrKind) -> Option<String> {
    let part = |p: AdrPart| -> Vec<&str> {
        fields.iter().filter(|(f, _)| *f == Field::Adr(kind, p)).map(|(_, v)| *v).collect()
    };
    let street = part(AdrPart::Street).join("\n");
    let parts =
        [street, part(AdrPart::City).join(" "), part(AdrPart::Region).join(" "), part(AdrPart::Postal).join(" ")];
    let country = part(AdrPart::Country).join(" ");
    if parts.iter().all(String::is_empty) && country.is_empty() {
        return None;
    }
    let [street, city, region, postal] = parts.map(|p| escape(&p));
    Some(format!(";;{street};{city};{region};{postal};{}", escape(&country)))
}

/// A phone number as a `tel:` URI body (RFC 3966): visual separators dropped.
fn tel_uri(number: &str) -> String {
    number.chars().filter(|c| c.is_ascii_digit() || matches!(c, '+' | '*' | '#' | ',' | ';')).collect()
}

/// A date as vCard 4.0 writes it (`YYYYMMDD`), from Outlook's `M/D/YYYY` (English),
/// `D/M/YYYY` (French) or ISO `YYYY-MM-DD`; `None` for Outlook's empty `0/0/00`
/// and anything that is no calendar date.
fn date(text: &str, order: DateOrder) -> Option<String> {
    let text = text.split_whitespace().next()?;
    let (y, m, d) = if let [y, m, d] = text.split('-').collect::<Vec<_>>()[..] {
        (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?, d.parse::<u32>().ok()?)
    } else if let [a, b, y] = text.split(['/', '.']).collect::<Vec<_>>()[..] {
        let (a, b) = (a.parse::<u32>().ok()?, b.parse::<u32>().ok()?);
        let y: i32 = y.parse().ok()?;
        let y = if y < 100 { y + if y < 30 { 2000 } else { 1900 } } else { y };
        match order {
            DateOrder::MonthFirst => (y, a, b),
            DateOrder::DayFirst => (y, b, a),
        }
    } else {
        return None;
    };
    chrono::NaiveDate::from_ymd_opt(y, m, d).map(|_| format!("{y:04}{m:02}{d:02}"))
}

#[cfg(test)]
#[path = "contacts_csv_tests.rs"]
mod tests;
