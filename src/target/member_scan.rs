//! A quick read of a JSON document's top-level members, for the answers a load run reads by
//! the thousand (a create's `id`, a ListResponse's paging and `Resources`).
//!
//! [`AnswerBody`](super::AnswerBody) must read exactly what decoding the whole body would
//! give, and its exact reader goes through serde's visitor for every value, which costs about
//! twenty instructions a byte. This scan checks the document's syntax byte by byte without
//! building anything, and decodes only the members sought. It answers only for documents it
//! can vouch for: strict JSON with no number that could overflow (no exponent, at most
//! [`MAX_DIGITS`] digits), no `\u` escape, no escaped key and nesting below [`MAX_DEPTH`].
//! For anything else it says nothing and the exact reader decides, so what it accepts is a
//! subset of what serde_json accepts, with the same members.

use serde_json::Value;

use super::answer_body::{Key, Members};

/// Containers nested deeper than this are left to the exact reader (serde_json stops at 128).
const MAX_DEPTH: usize = 100;

/// Numbers longer than this are left to the exact reader: an integer too long for 64 bits is
/// read as a float, which overflows past 309 digits.
const MAX_DIGITS: usize = 100;

/// Whether `byte` ends a run of plain string bytes: the closing quote, an escape, or a
/// control character (which JSON forbids inside a string).
fn is_stop(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// The stops among eight string bytes read as a little-endian `u64`: the high bit of each
/// byte that [`is_stop`], exact for the lowest one (a borrow only runs towards higher bytes),
/// which is the one that counts.
fn stops_in(word: u64) -> u64 {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let below = |word: u64, limit: u8| word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGHS;
    below(word ^ (ONES * u64::from(b'"')), 1) | below(word ^ (ONES * u64::from(b'\\')), 1) | below(word, 0x20)
}

/// The top-level members `names` of `text`, as [`Members::of`] gives them of the decoded
/// document; `None` when `text` is not a document this scan vouches for (see the module).
pub(super) fn scan(text: &str, names: &[&str]) -> Option<Members> {
    let mut scan = Scan { text, at: 0 };
    scan.skip_space();
    let members = if scan.peek() == Some(b'{') {
        scan.at += 1;
        scan.object(names)?
    } else {
        scan.value()?;
        Members::not_an_object(names)
    };
    scan.skip_space();
    (scan.at == text.len()).then_some(members)
}

/// A position in the document being scanned.
struct Scan<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Scan<'t> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// The next byte, consumed.
    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// The members of the top-level object, whose `{` is read.
    fn object(&mut self, names: &[&str]) -> Option<Members> {
        let mut members = Members { object: true, values: vec![None; names.len()], folded: false };
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Some(members);
        }
        loop {
            let key = self.key()?;
            self.skip_space();
            let start = self.at;
            self.value()?;
            match Key::of(names, key) {
                // A repeated key counts last, as in a decoded map.
                Key::Named(at) => members.values[at] = Some(self.decoded(start)?),
                Key::Folded => members.folded = true,
                Key::Other => {}
            }
            self.skip_space();
            match self.next()? {
                b',' => {}
                b'}' => return Some(members),
                _ => return None,
            }
        }
    }

    /// The value from `start` to here, decoded: a string without escapes as it is written,
    /// anything else by serde_json.
    fn decoded(&self, start: usize) -> Option<Value> {
        let written = &self.text[start..self.at];
        match written.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
            Some(plain) if !plain.contains('\\') => Some(Value::String(plain.to_string())),
            _ => serde_json::from_str(written).ok(),
        }
    }

    /// An object key and its `:`, from the space before it; `None` for a key with escapes,
    /// which only decoding can compare.
    fn key(&mut self) -> Option<&'t str> {
        self.skip_space();
        if self.next()? != b'"' {
            return None;
        }
        let start = self.at;
        if self.string()? {
            return None;
        }
        let key = &self.text[start..self.at - 1];
        self.skip_space();
        (self.next()? == b':').then_some(key)
    }

    /// Skips a string whose opening quote is read, to after its closing quote; says whether it
    /// had escapes.
    fn string(&mut self) -> Option<bool> {
        let bytes = self.text.as_bytes();
        let mut escaped = false;
        loop {
            // Most of an answer's bytes are inside strings: eight are tested at a time.
            while let Some(chunk) = bytes.get(self.at..self.at + 8) {
                let stops = stops_in(u64::from_le_bytes(chunk.try_into().ok()?));
                if stops != 0 {
                    self.at += stops.trailing_zeros() as usize / 8;
                    break;
                }
                self.at += 8;
            }
            while bytes.get(self.at).is_some_and(|&byte| !is_stop(byte)) {
                self.at += 1;
            }
            match self.next()? {
                b'"' => return Some(escaped),
                b'\\' => match self.next()? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => escaped = true,
                    _ => return None,
                },
                _ => return None,
            }
        }
    }

    /// Skips a number without exponent, from its first byte.
    fn number(&mut self) -> Option<()> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        let ends_well = !matches!(self.peek(), Some(b'0'..=b'9' | b'e' | b'E' | b'.'));
        (ends_well && self.at - start <= MAX_DIGITS).then_some(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
    }

    /// Skips `word` (a literal), from its first byte.
    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at + word.len();
        (self.text.as_bytes().get(self.at..end)? == word).then(|| self.at = end)
    }

    /// Skips a value, from the space before it, checking its syntax. Containers are walked
    /// without recursion: a bit per level says whether it is an object.
    fn value(&mut self) -> Option<()> {
        let mut depth = 0;
        let mut objects: u128 = 0;
        loop {
            // A value is due.
            self.skip_space();
            match self.peek()? {
                open @ (b'{' | b'[') => {
                    self.at += 1;
                    depth += 1;
                    if depth >= MAX_DEPTH {
                        return None;
                    }
                    let object = open == b'{';
                    objects = (objects & !(1 << depth)) | (u128::from(object) << depth);
                    self.skip_space();
                    match self.peek()? {
                        b'}' if object => self.at += 1,
                        b']' if !object => self.at += 1,
                        _ => {
                            if object {
                                self.key()?;
                            }
                            continue;
                        }
                    }
                    depth -= 1;
                }
                b'"' => {
                    self.at += 1;
                    self.string()?;
                }
                b'-' | b'0'..=b'9' => self.number()?,
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                _ => return None,
            }
            // A value is done: close the containers it ends.
            loop {
                if depth == 0 {
                    return Some(());
                }
                let object = objects & (1 << depth) != 0;
                self.skip_space();
                match self.next()? {
                    b',' => {
                        if object {
                            self.key()?;
                        }
                        break;
                    }
                    b'}' if object => depth -= 1,
                    b']' if !object => depth -= 1,
                    _ => return None,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::transcript::parse_body;

    /// What the members are by definition: those of the decoded document.
    fn decoded(text: &str, names: &[&str]) -> Option<Members> {
        serde_json::from_str::<Value>(text).ok().map(|document| Members::of(&document, names))
    }

    const NAMES: [&str; 3] = ["id", "Resources", "totalResults"];

    #[test]
    fn reads_what_servers_send() {
        let created = r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"2819c223","externalId":"00u1",
            "userName":"alice@example.com","name":{"givenName":"Alice","familyName":"Smith"},
            "emails":[{"primary":true,"value":"alice@example.com","type":"work"}],"active":true,"age":-12.50,
            "meta":{"resourceType":"User","location":"https:\/\/h\/Users\/2819c223","version":"W\/\"1\""}}"#;
        let list = r#" {"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,
            "Resources":[],"startIndex":1,"itemsPerPage":0} "#;
        for text in [created, list, "[]", "null", r#""text""#, "0", "{}", r#"{"resources":[]}"#] {
            let scanned = scan(text, &NAMES);
            assert!(scanned.is_some(), "not vouched for: {text}");
            assert_eq!(scanned, decoded(text, &NAMES), "{text}");
        }
        assert_eq!(scan(created, &["id"]).unwrap().values, [Some(json!("2819c223"))]);
    }

    #[test]
    fn leaves_to_the_exact_reader_what_it_cannot_vouch_for() {
        let deep = format!(r#"{{"x":{}{}}}"#, "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        let long = format!(r#"{{"x":{}}}"#, "9".repeat(MAX_DIGITS + 1));
        let unsure = [
            r#"{"id":"u1","n":1e999}"#,
            r#"{"n":1E2}"#,
            r#"{"\u0069d":"escaped key"}"#,
            r#"{"i\"d":"escaped key"}"#,
            r#"{"id":"caf\u00e9"}"#,
            deep.as_str(),
            long.as_str(),
        ];
        for text in unsure {
            assert_eq!(scan(text, &NAMES), None, "{text}");
        }
        let broken = [
            "",
            "  ",
            r#"{"id":"u1"} trailing"#,
            r#"{"id":"u1""#,
            r#"{"id":"u1",}"#,
            "[1,]",
            "[1 2]",
            r#"{"a" 1}"#,
            "{1:2}",
            "01",
            "-",
            "1.",
            ".5",
            "tru",
            "nul",
            "\"tab\there\"",
            "\"a long run, then a control \u{1}\"",
            r#""bad \x escape""#,
            "[}",
            "{]",
        ];
        for text in broken {
            assert_eq!(scan(text, &NAMES), None, "{text}");
            assert_eq!(decoded(text, &NAMES), None, "serde_json takes {text}");
        }
    }

    /// Documents of every JSON construct, written compactly or spaced out, with no number
    /// written with an exponent and no string needing a `\u` escape.
    fn document() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            // Thousandths from -1000 to 1000: serde_json writes them without an exponent.
            (-1_000_000i32..1_000_000).prop_map(|n| Value::from(f64::from(n) / 1000.0)),
            "[a-zA-Z0-9 \"\\\\/\n\u{e9}\u{1F600}]{0,8}".prop_map(Value::String),
        ];
        let value = leaf.prop_recursive(4, 24, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec(
                    (prop_oneof![Just("id".to_string()), "[a-zA-Z]{1,3}".prop_map(String::from)], inner),
                    0..5
                )
                .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        });
        (value, any::<bool>()).prop_map(|(value, pretty)| {
            if pretty { serde_json::to_string_pretty(&value).unwrap() } else { value.to_string() }
        })
    }

    proptest! {
        #[test]
        fn agrees_with_decoding_and_vouches_for_plain_json(text in document()) {
            // No exponent and no `\u` escape: a document the scan must vouch for.
            prop_assert_eq!(scan(&text, &NAMES), decoded(&text, &NAMES), "{}", text);
        }

        #[test]
        fn the_lowest_stop_of_a_word_is_its_first(bytes in prop::array::uniform8(prop_oneof![
            Just(b'"'), Just(b'\\'), Just(0x1f), Just(0x20), Just(0x21), Just(0x5b), Just(0x5d), Just(0x80), Just(0xff), any::<u8>()
        ])) {
            let stops = stops_in(u64::from_le_bytes(bytes));
            let lowest = (stops != 0).then(|| stops.trailing_zeros() as usize / 8);
            prop_assert_eq!(lowest, bytes.iter().position(|&b| is_stop(b)), "{:?}", bytes);
        }

        #[test]
        fn never_vouches_for_what_decoding_rejects(text in r#"[ {}\[\],:"a-zA0-9.eE+\\-]{0,40}"#) {
            if let Some(scanned) = scan(&text, &NAMES) {
                prop_assert_eq!(Some(scanned), parse_body(text.as_bytes()).map(|v| Members::of(&v, &NAMES)), "{}", text);
            }
        }
    }
}
