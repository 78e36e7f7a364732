//! RFC 7095 golden tests: the §6 example, the §3 property and value-type
//! examples, and what vCard 3.0 input turns into.

use serde_json::{Value, json};

use super::*;

const EXAMPLE: &str = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Simon Perreault\r\nN:Perreault;Simon;;;ing. jr,M.Sc.\r\n\
BDAY:--0203\r\nANNIVERSARY:20090808T1430-0500\r\nGENDER:M\r\nLANG;PREF=1:fr\r\nLANG;PREF=2:en\r\n\
ORG;TYPE=work:Viagenie\r\nADR;TYPE=work:;Suite D2-630;2875 Laurier;\r\n Quebec;QC;G1V 2M2;Canada\r\n\
TEL;VALUE=uri;TYPE=\"work,voice\";PREF=1:tel:+1-418-656-9254;ext=102\r\n\
TEL;VALUE=uri;TYPE=\"work,cell,voice,video,text\":tel:+1-418-262-6501\r\n\
EMAIL;TYPE=work:simon.perreault@viagenie.ca\r\nGEO;TYPE=work:geo:46.772673,-71.282945\r\n\
KEY;TYPE=work;VALUE=uri:\r\n http://www.viagenie.ca/simon.perreault/simon.asc\r\nTZ:-0500\r\n\
URL;TYPE=home:http://nomis80.org\r\nEND:VCARD\r\n";

#[test]
fn rfc7095_section_6_example() {
    let expected = json!(["vcard", [
        ["version", {}, "text", "4.0"],
        ["fn", {}, "text", "Simon Perreault"],
        ["n", {}, "text", ["Perreault", "Simon", "", "", ["ing. jr", "M.Sc."]]],
        ["bday", {}, "date-and-or-time", "--02-03"],
        // The RFC prints "2009-08-08T14:30:00-05:00"; the text has minute
        // accuracy, which we keep (RFC 6350 §4.3.2 reduced accuracy).
        ["anniversary", {}, "date-and-or-time", "2009-08-08T14:30-05:00"],
        ["gender", {}, "text", "M"],
        ["lang", {"pref": "1"}, "language-tag", "fr"],
        ["lang", {"pref": "2"}, "language-tag", "en"],
        ["org", {"type": "work"}, "text", "Viagenie"],
        ["adr", {"type": "work"}, "text", ["", "Suite D2-630", "2875 Laurier", "Quebec", "QC", "G1V 2M2", "Canada"]],
        ["tel", {"type": ["work", "voice"], "pref": "1"}, "uri", "tel:+1-418-656-9254;ext=102"],
        ["tel", {"type": ["work", "cell", "voice", "video", "text"]}, "uri", "tel:+1-418-262-6501"],
        ["email", {"type": "work"}, "text", "simon.perreault@viagenie.ca"],
        ["geo", {"type": "work"}, "uri", "geo:46.772673,-71.282945"],
        ["key", {"type": "work"}, "uri", "http://www.viagenie.ca/simon.perreault/simon.asc"],
        ["tz", {}, "utc-offset", "-05:00"],
        ["url", {"type": "home"}, "uri", "http://nomis80.org"]
    ]]);
    assert_eq!(vcard_to_jcard(EXAMPLE).unwrap(), expected);
    let text = jcard_to_vcard(&expected).unwrap();
    for l in [
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Simon Perreault\r\n",
        "\r\nN:Perreault;Simon;;;ing. jr,M.Sc.\r\n",
        "\r\nBDAY:--0203\r\n",
        "\r\nANNIVERSARY:20090808T1430-0500\r\n",
        "\r\nTEL;VALUE=uri;PREF=1;TYPE=work,voice:tel:+1-418-656-9254;ext=102\r\n",
        "\r\nTZ;VALUE=utc-offset:-0500\r\n",
        "\r\nLANG;PREF=2:en\r\n",
    ] {
        assert!(text.contains(l), "{l:?} not in {text}");
    }
    assert_eq!(vcard_to_jcard(&text).unwrap(), expected);
}

fn card(lines: &str) -> Value {
    vcard_to_jcard(&format!("BEGIN:VCARD\r\nVERSION:4.0\r\n{lines}\r\nEND:VCARD\r\n")).unwrap()
}

fn prop(line: &str) -> Value {
    card(line)[1][1].clone()
}

fn line(prop: Value) -> String {
    let text = jcard_to_vcard(&json!(["vcard", [prop]])).unwrap();
    let body = text.strip_prefix("BEGIN:VCARD\r\nVERSION:4.0\r\n").unwrap().strip_suffix("\r\nEND:VCARD\r\n");
    body.unwrap().replace("\r\n ", "")
}

#[test]
fn rfc7095_section_3_examples() {
    let cases = [
        (
            "CONTACT.FN:Mr. John Q. Public\\, Esq.",
            json!(["fn", {"group": "CONTACT"}, "text", "Mr. John Q. Public, Esq."]),
        ),
        ("CATEGORIES:computers,cameras", json!(["categories", {}, "text", "computers", "cameras"])),
        ("NICKNAME:Jim,Jimmie", json!(["nickname", {}, "text", "Jim", "Jimmie"])),
        (
            "ADR:;;123 Main Street;Any Town;CA;91921-1234;U.S.A.",
            json!(["adr", {}, "text", ["", "", "123 Main Street", "Any Town", "CA", "91921-1234", "U.S.A."]]),
        ),
        (
            "ADR:;;My Street,Left Side,Second Shack;Hometown;PA;18252;U.S.A.",
            json!([
                "adr",
                {},
                "text",
                ["", "", ["My Street", "Left Side", "Second Shack"], "Hometown", "PA", "18252", "U.S.A."]
            ]),
        ),
        (
            "ORG:ABC\\, Inc.;North American Division;Marketing",
            json!(["org", {}, "text", ["ABC, Inc.", "North American Division", "Marketing"]]),
        ),
        ("KIND:group", json!(["kind", {}, "text", "group"])),
        (
            "SOURCE:ldap://ldap.example.com/cn=babs%20jensen",
            json!(["source", {}, "uri", "ldap://ldap.example.com/cn=babs%20jensen"]),
        ),
        ("BDAY;VALUE=date:19850412", json!(["bday", {}, "date", "1985-04-12"])),
        ("BDAY;VALUE=date:1985-04", json!(["bday", {}, "date", "1985-04"])),
        ("BDAY;VALUE=date:---12", json!(["bday", {}, "date", "---12"])),
        ("X-TIME-LOCAL;VALUE=time:123000", json!(["x-time-local", {}, "time", "12:30:00"])),
        ("X-TIME-UTC;VALUE=time:123000Z", json!(["x-time-utc", {}, "time", "12:30:00Z"])),
        ("X-TIME-OFFSET;VALUE=time:123000-0800", json!(["x-time-offset", {}, "time", "12:30:00-08:00"])),
        ("X-TIME-REDUCED;VALUE=time:23", json!(["x-time-reduced", {}, "time", "23"])),
        ("X-TIME-TRUNCATED;VALUE=time:-30", json!(["x-time-truncated", {}, "time", "-30"])),
        ("X-DATE-TIME;VALUE=date-time:20130214T123000", json!(["x-date-time", {}, "date-time", "2013-02-14T12:30:00"])),
        (
            "X-DATE-TIME-OFFSET;VALUE=date-time:20130214T123000-0800",
            json!(["x-date-time-offset", {}, "date-time", "2013-02-14T12:30:00-08:00"]),
        ),
        ("X-DATE-TIME-REDUCED;VALUE=date-time:---22T14", json!(["x-date-time-reduced", {}, "date-time", "---22T14"])),
        ("BDAY:--0412T1022", json!(["bday", {}, "date-and-or-time", "--04-12T10:22"])),
        ("ANNIVERSARY:T102200Z", json!(["anniversary", {}, "date-and-or-time", "T10:22:00Z"])),
        ("REV:20130214T123000Z", json!(["rev", {}, "timestamp", "2013-02-14T12:30:00Z"])),
        ("X-NON-SMOKING;VALUE=boolean:TRUE", json!(["x-non-smoking", {}, "boolean", true])),
        ("X-KARMA-POINTS;VALUE=integer:42", json!(["x-karma-points", {}, "integer", 42])),
        ("X-GRADE;VALUE=float:1.3", json!(["x-grade", {}, "float", 1.3])),
        ("TZ;VALUE=utc-offset:-0500", json!(["tz", {}, "utc-offset", "-05:00"])),
        ("TZ:Europe/Zurich", json!(["tz", {}, "text", "Europe/Zurich"])),
        ("LANG:de", json!(["lang", {}, "language-tag", "de"])),
        (
            "UID:urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
            json!(["uid", {}, "uri", "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"]),
        ),
        ("UID:4B7E2D2C-9C6A", json!(["uid", {}, "text", "4B7E2D2C-9C6A"])),
        ("X-FOO;X-BAR=\"a,b\":raw\\,value;x", json!(["x-foo", {"x-bar": "a,b"}, "unknown", "raw\\,value;x"])),
    ];
    for (text, expected) in cases {
        assert_eq!(prop(text), expected, "{text}");
        assert_eq!(prop(&line(expected.clone())), expected, "{text}");
    }
    assert_eq!(line(json!(["fn", {"group": "CONTACT"}, "text", "A, B"])), "CONTACT.FN:A\\, B");
    assert_eq!(line(json!(["uid", {}, "text", "abc"])), "UID;VALUE=text:abc");
    assert_eq!(line(json!(["bday", {}, "date-and-or-time", "--04-12"])), "BDAY:--0412");
    assert_eq!(line(json!(["x-foo", {}, "unknown", "raw\\,value;x"])), "X-FOO:raw\\,value;x");
    assert_eq!(
        line(json!(["adr", {}, "text", ["", "", ["My Street", "Left, Side"], "Town", "", "", ""]])),
        "ADR:;;My Street,Left\\, Side;Town;;;"
    );
}

const APPLE_V3: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.2//EN\r\n\
N:Appleseed;Johnny;;;\r\nFN:Johnny Appleseed\r\nORG:Apple Inc.;\r\n\
item1.EMAIL;type=INTERNET;type=pref:johnny@example.com\r\nitem1.X-ABLabel:_$!<Other>!$_\r\n\
TEL;type=CELL;type=VOICE;type=pref:+1 (555) 123-4567\r\n\
item2.ADR;type=HOME;type=pref:;;1 Infinite Loop;Cupertino;CA;95014;United States\r\nitem2.X-ABADR:us\r\n\
BDAY;VALUE=date:1984-01-24\r\nGEO:37.3318;-122.0312\r\nTZ:-08:00\r\n\
PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8U\r\n HRofHh0a\r\n\
X-ABShowAs:COMPANY\r\nUID:4B7E2D2C-9C6A-4F1B-8B0E-0A8A2A4C8E11\r\nREV:2024-01-05T10:00:00Z\r\nEND:VCARD\r\n";

#[test]
fn vcard_3_from_apple_is_upgraded() {
    let jcard = vcard_to_jcard(APPLE_V3).unwrap();
    let expected = json!(["vcard", [
        ["version", {}, "text", "4.0"],
        ["prodid", {}, "text", "-//Apple Inc.//iPhone OS 17.2//EN"],
        ["n", {}, "text", ["Appleseed", "Johnny", "", "", ""]],
        ["fn", {}, "text", "Johnny Appleseed"],
        ["org", {}, "text", ["Apple Inc.", ""]],
        ["email", {"group": "item1", "type": ["INTERNET", "pref"]}, "text", "johnny@example.com"],
        ["x-ablabel", {"group": "item1"}, "unknown", "_$!<Other>!$_"],
        ["tel", {"type": ["CELL", "VOICE", "pref"]}, "text", "+1 (555) 123-4567"],
        ["adr", {"group": "item2", "type": ["HOME", "pref"]}, "text", ["", "", "1 Infinite Loop", "Cupertino", "CA", "95014", "United States"]],
        ["x-abadr", {"group": "item2"}, "unknown", "us"],
        ["bday", {}, "date", "1984-01-24"],
        ["geo", {}, "uri", "geo:37.3318,-122.0312"],
        ["tz", {}, "utc-offset", "-08:00"],
        ["photo", {}, "uri", "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0a"],
        ["x-abshowas", {}, "unknown", "COMPANY"],
        ["uid", {}, "text", "4B7E2D2C-9C6A-4F1B-8B0E-0A8A2A4C8E11"],
        ["rev", {}, "timestamp", "2024-01-05T10:00:00Z"]
    ]]);
    assert_eq!(jcard, expected);
    let text = jcard_to_vcard(&jcard).unwrap();
    assert!(text.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\nPRODID:"), "{text}");
    assert!(text.contains("\r\nitem1.X-ABLABEL:_$!<Other>!$_\r\n"), "{text}");
    assert!(text.contains("\r\nitem2.ADR;TYPE=HOME,pref:;;1 Infinite Loop;Cupertino;CA;95014;United States\r\n"));
    assert!(text.contains("\r\nPHOTO:data:image/jpeg;base64,/9j/4AAQ"));
    assert!(text.contains("\r\nREV:20240105T100000Z\r\n"));
    assert_eq!(vcard_to_jcard(&text).unwrap(), jcard);
}

#[test]
fn streams_bare_parameters_and_errors() {
    let two = format!("{EXAMPLE}BEGIN:VCARD\r\nVERSION:3.0\r\nTEL;CELL;HOME:123\r\nFN:B\r\nEND:VCARD\r\n");
    let stream = vcard_to_jcard(&two).unwrap();
    assert_eq!(stream.as_array().unwrap().len(), 2);
    assert_eq!(stream[1][1][1], json!(["tel", {"type": ["CELL", "HOME"]}, "text", "123"]));
    assert_eq!(vcard_to_jcard(&jcard_to_vcard(&stream).unwrap()).unwrap(), stream);
    // A card without VERSION still gets version 4.0 first.
    assert_eq!(vcard_to_jcard("BEGIN:VCARD\nFN:A\nEND:VCARD\n").unwrap()[1][0], json!(["version", {}, "text", "4.0"]));
    for bad in [
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        "BEGIN:VCARD\r\nFN:A\r\n",
        "BEGIN:VCARD\r\nFN A\r\nEND:VCARD\r\n",
        "BEGIN:VCARD\r\nX-N;VALUE=integer:ten\r\nEND:VCARD\r\n",
        "",
    ] {
        assert!(vcard_to_jcard(bad).is_err(), "{bad:?}");
    }
    let e = vcard_to_jcard("BEGIN:VCARD\r\nFN A\r\nEND:VCARD\r\n").unwrap_err();
    assert_eq!(e.to_string(), "line 2: content line without ':'");
    for bad in [
        json!({}),
        json!(["vcalendar", []]),
        json!(["vcard", [["fn", {}, "text"]]]),
        json!(["vcard", [["f n", {}, "text", "x"]]]),
        json!(["vcard", [["fn", {"group": "a.b"}, "text", "x"]]]),
        json!(["vcard", [["fn", {"x-p": {}}, "text", "x"]]]),
        json!(["vcard", [["x-u", {}, "uri", "a\r\nb"]]]),
    ] {
        assert!(jcard_to_vcard(&bad).is_err(), "{bad}");
    }
}
