use super::*;

const ENGLISH_CSV: &str = "\u{feff}\"Title\",\"First Name\",\"Middle Name\",\"Last Name\",\"Suffix\",\"Company\",\"Department\",\"Job Title\",\"Business Street\",\"Business City\",\"Business State\",\"Business Postal Code\",\"Business Country/Region\",\"Home Street\",\"Business Phone\",\"Home Phone\",\"Mobile Phone\",\"Birthday\",\"Anniversary\",\"E-mail Address\",\"E-mail Type\",\"E-mail Display Name\",\"E-mail 2 Address\",\"Notes\",\"Web Page\",\"Categories\"\r\n\
\"Dr.\",\"Ann\",\"Marie\",\"Lee\",\"Jr.\",\"Contoso, Ltd.\",\"Sales\",\"Manager\",\"1 Main St\r\nSuite 5\",\"Seattle\",\"WA\",\"98101\",\"United States\",\"\",\"+1 (206) 555-0100\",\"\",\"+1 206 555 0199\",\"5/14/1980\",\"0/0/00\",\"ann@contoso.com\",\"SMTP\",\"Ann Lee (ann@contoso.com)\",\"ann.lee@example.net\",\"Met at the fair; likes tea\",\"https://contoso.com/ann\",\"Customers;VIP\"\r\n\
\"\",\"\",\"\",\"\",\"\",\"Fabrikam\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"0/0/00\",\"0/0/00\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\r\n\
\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"0/0/00\",\"0/0/00\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\r\n";

#[test]
fn english_outlook_export_becomes_vcard_4() {
    let cards = outlook_csv_to_vcards(ENGLISH_CSV.as_bytes()).unwrap();
    assert_eq!(cards.len(), 2, "the empty row names nobody: {cards:?}");
    let ann = &cards[0];
    let unfolded = ann.replace("\r\n ", "");
    for line in [
        "VERSION:4.0",
        "FN:Dr. Ann Marie Lee Jr.",
        "N:Lee;Ann;Marie;Dr.;Jr.",
        "ORG:Contoso\\, Ltd.;Sales",
        "TITLE:Manager",
        "EMAIL;PREF=1:ann@contoso.com",
        "EMAIL:ann.lee@example.net",
        "TEL;VALUE=uri;TYPE=\"work,voice\":tel:+12065550100",
        "TEL;VALUE=uri;TYPE=\"cell\":tel:+12065550199",
        "ADR;TYPE=work:;;1 Main St\\nSuite 5;Seattle;WA;98101;United States",
        "BDAY:19800514",
        "URL:https://contoso.com/ann",
        "NOTE:Met at the fair\\; likes tea",
        "CATEGORIES:Customers,VIP",
    ] {
        assert!(unfolded.contains(&format!("\r\n{line}\r\n")), "{line} missing in\n{ann}");
    }
    assert!(!unfolded.contains("ANNIVERSARY"), "0/0/00 is no date: {ann}");
    assert!(cards[1].contains("FN:Fabrikam"), "a company alone is named by it: {}", cards[1]);
    // The card is valid for the vCard reader, and every line is folded at 75 octets.
    crate::vcard::parse_vcard(ann.as_bytes()).unwrap();
    assert!(ann.split("\r\n").all(|l| l.len() <= 75), "{ann}");
}

#[test]
fn uids_are_stable_across_exports_and_changes_of_phone() {
    let a = outlook_csv_to_vcards(ENGLISH_CSV.as_bytes()).unwrap();
    let changed = ENGLISH_CSV.replace("+1 206 555 0199", "+1 206 555 0111");
    let b = outlook_csv_to_vcards(changed.as_bytes()).unwrap();
    let uid = |c: &str| c.lines().find(|l| l.starts_with("UID:")).unwrap().to_owned();
    assert_eq!(uid(&a[0]), uid(&b[0]));
    assert_ne!(uid(&a[0]), uid(&a[1]));
    assert_ne!(a[0], b[0]);
}

#[test]
fn french_outlook_export_in_windows_1252_with_day_first_dates() {
    let text = "Prénom;Nom;Société;Fonction;Adresse de messagerie;Téléphone mobile;Rue (domicile);Ville (domicile);Code postal (domicile);Pays/Région (domicile);Anniversaire;Notes\r\n\
                Élodie;Bérubé;Société Générale d'Œuvres;Chargée d'études;elodie@example.fr;06 12 34 56 78;3 rue de l'Église;Besançon;25000;France;14/05/1985;Café à 10 h — « urgent »\r\n";
    // Saved again by Excel under a French locale: semicolons.
    let semicolons = outlook_csv_to_vcards(text.as_bytes()).unwrap();
    let text = text.replace(';', ",");
    let ansi: Vec<u8> = text
        .chars()
        .map(|c| match c {
            'Œ' => 0x8C,
            '—' => 0x97,
            c => u8::try_from(u32::from(c)).expect("Latin-1"),
        })
        .collect();
    assert!(std::str::from_utf8(&ansi).is_err(), "really Windows-1252");
    let cards = outlook_csv_to_vcards(&ansi).unwrap();
    assert_eq!(cards.len(), 1);
    let card = cards[0].replace("\r\n ", "");
    for line in [
        "FN:Élodie Bérubé",
        "N:Bérubé;Élodie;;;",
        "ORG:Société Générale d'Œuvres",
        "TITLE:Chargée d'études",
        "EMAIL;PREF=1:elodie@example.fr",
        "TEL;VALUE=uri;TYPE=\"cell\":tel:0612345678",
        "ADR;TYPE=home:;;3 rue de l'Église;Besançon;;25000;France",
        "BDAY:19850514",
        "NOTE:Café à 10 h — « urgent »",
    ] {
        assert!(card.contains(&format!("\r\n{line}\r\n")), "{line} missing in\n{card}");
    }
    // The same file in UTF-8 with a BOM gives the same card.
    let mut utf8 = vec![0xEF, 0xBB, 0xBF];
    utf8.extend_from_slice(text.as_bytes());
    assert_eq!(outlook_csv_to_vcards(&utf8).unwrap(), cards);
    assert_eq!(semicolons, cards);
}

#[test]
fn decoding() {
    assert_eq!(decode(b"caf\xc3\xa9"), "café");
    assert_eq!(decode(b"caf\xe9 \x80"), "café €");
    assert_eq!(decode(&[0xFF, 0xFE, b'h', 0, 0xE9, 0]), "hé");
    assert_eq!(date("1980-05-14", DateOrder::DayFirst).as_deref(), Some("19800514"));
    assert_eq!(date("2/30/1980", DateOrder::MonthFirst), None);
    assert_eq!(date("1/2/85", DateOrder::DayFirst).as_deref(), Some("19850201"));
}

#[test]
fn a_file_with_no_known_column_is_refused() {
    assert_eq!(outlook_csv_to_vcards(b"foo,bar\n1,2\n"), Err(CsvError::UnknownHeaders));
}
