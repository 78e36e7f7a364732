//! Property tests: TEXT values, parameter values and numbers with special
//! characters survive JSON → text → JSON, and text → JSON undoes the escapes.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::values::escape;
use super::*;

/// Text with the characters that need escaping or caret encoding, non-ASCII
/// (2-, 3- and 4-octet UTF-8) and long enough to be folded.
const TEXT: &str = r#"[a-zA-Z0-9 ,;:\\\n"^'.\téü日本😀]{0,160}"#;

fn assert_folded(text: &str) {
    for l in text.strip_suffix("\r\n").unwrap().split("\r\n") {
        assert!(l.len() <= 75 && !l.contains('\n'), "bad line {l:?}");
    }
}

/// A structured component: one string, or a list of at least two.
fn component() -> impl Strategy<Value = Value> {
    prop_oneof![TEXT.prop_map(Value::String), prop::collection::vec(TEXT, 2..4).prop_map(|v| json!(v)),]
}

proptest! {
    #[test]
    fn jcal_text_and_params_round_trip(summary in TEXT, desc in TEXT, param in TEXT, cats in prop::collection::vec(TEXT, 1..4)) {
        let mut categories = vec![json!("categories"), json!({}), json!("text")];
        categories.extend(cats.iter().map(|c| json!(c)));
        let jcal = json!(["vcalendar", [], [["vevent", [
            ["summary", {}, "text", summary],
            ["description", {"altrep": param, "x-p": [param, "b"]}, "text", desc],
            categories,
            ["x-text", {}, "text", desc],
        ], []]]]);
        let text = jcal_to_icalendar(&jcal).unwrap();
        assert_folded(&text);
        prop_assert_eq!(icalendar_to_jcal(&text).unwrap(), jcal);
    }

    #[test]
    fn escaped_text_is_unescaped(s in TEXT) {
        let text = format!("BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nSUMMARY:{}\r\nEND:VTODO\r\nEND:VCALENDAR\r\n", escape(&s));
        let jcal = icalendar_to_jcal(&text).unwrap();
        prop_assert_eq!(&jcal[2][0][1][0], &json!(["summary", {}, "text", s]));
        let card = format!("BEGIN:VCARD\r\nVERSION:3.0\r\nitem1.NOTE:{}\r\nEND:VCARD\r\n", escape(&s));
        prop_assert_eq!(&vcard_to_jcard(&card).unwrap()[1][1], &json!(["note", {"group": "item1"}, "text", s]));
    }

    #[test]
    fn jcard_structured_and_multi_values_round_trip(
        n in prop::collection::vec(component(), 5),
        adr in prop::collection::vec(component(), 7),
        org in prop::collection::vec(TEXT, 2..4),
        nick in prop::collection::vec(TEXT, 1..4),
        note in TEXT,
        label in TEXT,
    ) {
        let mut nickname = vec![json!("nickname"), json!({}), json!("text")];
        nickname.extend(nick.iter().map(|c| json!(c)));
        let jcard = json!(["vcard", [
            ["version", {}, "text", "4.0"],
            ["n", {}, "text", n],
            ["adr", {"label": label, "type": ["home", "pref"]}, "text", adr],
            ["org", {}, "text", org],
            nickname,
            ["note", {"group": "item7"}, "text", note],
        ]]);
        let text = jcard_to_vcard(&jcard).unwrap();
        assert_folded(&text);
        prop_assert_eq!(vcard_to_jcard(&text).unwrap(), jcard);
    }

    #[test]
    fn numbers_round_trip(i in any::<i64>(), f in any::<f64>().prop_filter("finite", |f| f.is_finite())) {
        let jcal = json!(["vcalendar", [
            ["x-int", {}, "integer", i],
            ["x-float", {}, "float", f],
            ["geo", {}, "float", [f, -f]],
        ], []]);
        let text = jcal_to_icalendar(&jcal).unwrap();
        assert_folded(&text);
        prop_assert_eq!(icalendar_to_jcal(&text).unwrap(), jcal);
    }
}
