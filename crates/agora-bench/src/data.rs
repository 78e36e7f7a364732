//! Realistic test data: events in several time zones, a tenth recurring with an
//! exception, some with attendees; contacts with several addresses, some with a photo.

const ZONES: [&str; 4] = ["Europe/Paris", "America/New_York", "Asia/Tokyo", "Europe/London"];

/// The `i`-th event (unique UID), spread over two years from 2026.
pub fn event(i: usize) -> (String, String) {
    let day = i % 730;
    let (month, mday) = (1 + (day / 28) % 12, 1 + day % 28);
    let year = 2026 + day / 365;
    let hour = 8 + i % 10;
    let zone = ZONES[i % ZONES.len()];
    let uid = format!("bench-event-{i}@agora.invalid");
    let mut body = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agora//bench//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n\
         DTSTAMP:20260101T000000Z\r\nDTSTART;TZID={zone}:{year}{month:02}{mday:02}T{hour:02}0000\r\n\
         DTEND;TZID={zone}:{year}{month:02}{mday:02}T{:02}3000\r\nSUMMARY:Réunion {i}\r\n\
         DESCRIPTION:Ordre du jour\\, points divers et suivi du projet {i}.\r\nLOCATION:Salle {}\r\n",
        hour,
        i % 40
    );
    if i.is_multiple_of(10) {
        body.push_str("RRULE:FREQ=WEEKLY;COUNT=20\r\n");
        body.push_str(
            &format!("EXDATE;TZID={zone}:{year}{month:02}{mday:02}T{hour:02}0000\r\n")
                .replace(&format!("{year}{month:02}{mday:02}"), &format!("{year}{:02}{mday:02}", month % 12 + 1)),
        );
    }
    if i.is_multiple_of(3) {
        body.push_str("ORGANIZER;CN=Bench:mailto:bench@example.org\r\n");
        body.push_str("ATTENDEE;CN=Colleague;PARTSTAT=ACCEPTED:mailto:colleague@example.org\r\n");
    }
    body.push_str("END:VEVENT\r\nEND:VCALENDAR\r\n");
    (format!("{uid}.ics"), body)
}

/// The `i`-th contact; one in twenty has a small photo.
pub fn contact(i: usize) -> (String, String) {
    let uid = format!("bench-contact-{i}@agora.invalid");
    let mut body = format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:Contact {i} Dupont\r\nN:Dupont;Contact {i};;;\r\n\
         EMAIL;TYPE=INTERNET,WORK:contact{i}@example.org\r\nEMAIL;TYPE=INTERNET,HOME:c{i}@home.example\r\n\
         TEL;TYPE=CELL:+33 6 {:02} {:02} {:02} {:02}\r\nORG:Entreprise {};\r\n\
         item1.ADR;TYPE=WORK:;;{} rue de la Paix;Paris;;75002;France\r\nitem1.X-ABLabel:Bureau\r\n",
        i % 100,
        (i / 100) % 100,
        (i / 10_000) % 100,
        i % 97,
        i % 50,
        i % 200
    );
    if i.is_multiple_of(20) {
        body.push_str("PHOTO;ENCODING=b;TYPE=PNG:");
        body.push_str(
            &"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
                .repeat(20),
        );
        body.push_str("\r\n");
    }
    body.push_str("END:VCARD\r\n");
    (format!("{uid}.vcf"), body)
}
