//! The body of a target's answer, kept as the bytes that came and decoded only when something
//! reads it.
//!
//! Most answers are read whole by the engine (a match query's list, a PATCH's result), but a
//! create's answer is the whole new object, and what an IdP needs of it is its `id`. Decoding
//! that object into a [`Value`] is dozens of allocations a load run would make for every user
//! and hold until its batch ends. [`AnswerBody::id`] reads the id without building the object,
//! and [`AnswerBody::member`] one member (a match query's `Resources`) without the others;
//! [`AnswerBody::value`] decodes once, on first use, exactly as the transcript records it
//! ([`parse_body`]).

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use bytes::Bytes;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::member_scan;
use crate::transcript::parse_body;

/// An answer's body: the bytes as read, and their decoding once asked for.
#[derive(Clone, Default)]
pub struct AnswerBody {
    raw: Bytes,
    decoded: OnceLock<Option<Value>>,
    /// The id as read without decoding (the client reads it for its summary, then the engine).
    id: OnceLock<Option<String>>,
}

impl AnswerBody {
    /// A body as read from the wire, not yet decoded.
    pub fn from_bytes(raw: Bytes) -> Self {
        Self { raw, decoded: OnceLock::new(), id: OnceLock::new() }
    }

    /// The body as the transcript records it: `None` when empty, the JSON, or `{"raw": "…"}`
    /// for bytes that are not JSON. Decoded on the first call.
    pub fn value(&self) -> Option<&Value> {
        self.decoded.get_or_init(|| parse_body(&self.raw)).as_ref()
    }

    /// Whether there is no body: what `value().is_none()` gives, without decoding it.
    pub fn is_empty(&self) -> bool {
        match self.decoded.get() {
            Some(decoded) => decoded.is_none(),
            None => self.raw.is_empty(),
        }
    }

    /// The decoded body, taken.
    pub fn into_value(self) -> Option<Value> {
        match self.decoded.into_inner() {
            Some(decoded) => decoded,
            None => parse_body(&self.raw),
        }
    }

    /// The top-level `id` when it is a string: what `value()?.get("id")?.as_str()` gives, read
    /// without building the object when the body is not decoded yet.
    pub fn id(&self) -> Option<&str> {
        if let Some(decoded) = self.decoded.get() {
            return decoded.as_ref()?.get("id")?.as_str();
        }
        self.id.get_or_init(|| read_id(&self.raw)).as_deref()
    }

    /// The top-level member `name`: what `value()?.get(name)` gives, read without decoding the
    /// rest when the body is not decoded yet (a match query's answer is read for its
    /// `Resources`, not for its other members).
    pub fn member(&self, name: &str) -> Option<Cow<'_, Value>> {
        if let Some(decoded) = self.decoded.get() {
            return decoded.as_ref()?.get(name).map(Cow::Borrowed);
        }
        match read_members(&self.raw, &[name]) {
            Some(mut members) => members.values.pop().flatten().map(Cow::Owned),
            // Not JSON: recorded as `{"raw": "…"}`, which is decoded to be read.
            None => self.value()?.get(name).map(Cow::Borrowed),
        }
    }

    /// The top-level members `names` of [`value`](Self::value) (`None` when it is), read in
    /// one pass without decoding the rest when the body is not decoded yet (a ListResponse
    /// is read for its paging numbers and `Resources`).
    pub fn members(&self, names: &[&str]) -> Option<Members> {
        if self.decoded.get().is_none()
            && let Some(members) = read_members(&self.raw, names)
        {
            return Some(members);
        }
        // Decoded, or not JSON: recorded as `{"raw": "…"}`, which is decoded to be read.
        Some(Members::of(self.value()?, names))
    }
}

impl From<Option<Value>> for AnswerBody {
    /// A body already decoded (a test's answer, an object the engine read another way).
    fn from(value: Option<Value>) -> Self {
        Self { raw: Bytes::new(), decoded: OnceLock::from(value), id: OnceLock::new() }
    }
}

impl From<Value> for AnswerBody {
    /// A JSON body already decoded.
    fn from(value: Value) -> Self {
        Self::from(Some(value))
    }
}

impl PartialEq for AnswerBody {
    /// Two bodies are equal when they decode to the same JSON.
    fn eq(&self, other: &Self) -> bool {
        self.value() == other.value()
    }
}

impl fmt::Debug for AnswerBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.value(), f)
    }
}

/// Top-level members of a JSON document, as [`AnswerBody::members`] reads them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Members {
    /// Whether the document is an object (otherwise no name has a member).
    pub object: bool,
    /// Each name's member, in the order asked: what `value.get(name)` gives.
    pub values: Vec<Option<Value>>,
    /// Whether a key is none of the names but one of them in another ASCII case
    /// (`resources`), which a lenient reader may take for it.
    pub folded: bool,
}

impl Members {
    /// The members `names` of a decoded document.
    pub(super) fn of(document: &Value, names: &[&str]) -> Self {
        let Value::Object(map) = document else { return Self::not_an_object(names) };
        let folded = map.keys().any(|key| Key::of(names, key) == Key::Folded);
        Self { object: true, values: names.iter().map(|name| map.get(*name).cloned()).collect(), folded }
    }

    /// What a document that is not an object has: no member.
    pub(super) fn not_an_object(names: &[&str]) -> Self {
        Self { object: false, values: vec![None; names.len()], folded: false }
    }
}

/// The top-level `"id"` string of `raw`, read without decoding the rest.
fn read_id(raw: &[u8]) -> Option<String> {
    // A body that is not JSON is recorded as `{"raw": "…"}`, which has no id.
    match read_members(raw, &["id"])?.values.pop()?? {
        Value::String(id) => Some(id),
        _ => None,
    }
}

/// The top-level members `names` of `raw`, decoded without decoding the rest: what
/// [`Members::of`] gives of `parse_body(raw)` when `raw` is JSON, `None` when it is not (UTF-8
/// JSON, as parse_body decides).
fn read_members(raw: &[u8], names: &[&str]) -> Option<Members> {
    let text = std::str::from_utf8(raw).ok()?;
    // Plain JSON, which servers send, is read by the quick scan; the rest by serde's visitor.
    if let Some(members) = member_scan::scan(text, names) {
        return Some(members);
    }
    let mut reader = serde_json::Deserializer::from_str(text);
    let members = Read::Document(names).deserialize(&mut reader).ok()?;
    reader.end().ok()?;
    Some(members.unwrap_or_else(|| Members::not_an_object(names)))
}

/// What a value is read for, when reading a document for one top-level member. Every value is
/// read through `deserialize_any`, and what is not kept is dropped, so the same documents fail
/// as when decoding a [`Value`] (a number out of range, nesting past serde_json's limit); a
/// repeated key counts last, as a [`Value`]'s map keeps it.
#[derive(Clone, Copy, PartialEq)]
enum Read<'n> {
    /// The document: kept are its members of these names, when it is an object.
    Document(&'n [&'n str]),
    /// Anything else: nothing kept.
    Skipped,
}

impl<'de> DeserializeSeed<'de> for Read<'_> {
    /// The members of a document that is an object; `None` for anything else.
    type Value = Option<Members>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Read<'_> {
    type Value = Option<Members>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Self::Value, A::Error> {
        while items.next_element_seed(Read::Skipped)?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Self::Value, A::Error> {
        let names: &[&str] = match self {
            Read::Document(names) => names,
            Read::Skipped => &[],
        };
        let mut members = Members { object: true, values: vec![None; names.len()], folded: false };
        while let Some(key) = entries.next_key_seed(KeyOf(names))? {
            match key {
                Key::Named(at) => members.values[at] = Some(entries.next_value::<Value>()?),
                Key::Folded | Key::Other => {
                    entries.next_value_seed(Read::Skipped)?;
                }
            }
            members.folded |= key == Key::Folded;
        }
        Ok(matches!(self, Read::Document(_)).then_some(members))
    }
}

/// What an object key is to the names sought.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Key {
    /// The name at this position.
    Named(usize),
    /// One of the names in another ASCII case.
    Folded,
    /// Anything else.
    Other,
}

impl Key {
    /// What `key` is to `names`.
    pub(super) fn of(names: &[&str], key: &str) -> Self {
        match names.iter().position(|name| *name == key) {
            Some(at) => Key::Named(at),
            None if names.iter().any(|name| name.eq_ignore_ascii_case(key)) => Key::Folded,
            None => Key::Other,
        }
    }
}

/// Reads an object key as what it is to the names sought (escapes decoded), without keeping
/// it.
struct KeyOf<'n>(&'n [&'n str]);

impl<'de> DeserializeSeed<'de> for KeyOf<'_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyOf<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(Key::of(self.0, key))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    /// What the id is by definition: the decoded body's top-level `id` string.
    fn decoded_id(raw: &[u8]) -> Option<String> {
        parse_body(raw)?.get("id")?.as_str().map(str::to_string)
    }

    fn scanned_id(raw: &[u8]) -> Option<String> {
        AnswerBody::from_bytes(Bytes::copy_from_slice(raw)).id().map(str::to_string)
    }

    /// What a member is by definition: the decoded body's top-level member of that name.
    fn decoded_member(raw: &[u8], name: &str) -> Option<Value> {
        parse_body(raw)?.get(name).cloned()
    }

    fn scanned_member(raw: &[u8], name: &str) -> Option<Value> {
        AnswerBody::from_bytes(Bytes::copy_from_slice(raw)).member(name).map(Cow::into_owned)
    }

    #[test]
    fn the_id_of_a_created_object_without_decoding_it() {
        let body = AnswerBody::from_bytes(Bytes::from_static(br#"{"schemas":["x"],"id":"u1","name":{"id":"no"}}"#));
        assert_eq!(body.id(), Some("u1"));
        assert!(!body.is_empty());
        assert!(body.decoded.get().is_none(), "reading the id decoded the body");
        assert_eq!(body.value().and_then(|v| v.get("name")), Some(&json!({"id": "no"})));
        assert_eq!(body.id(), Some("u1"));
    }

    #[test]
    fn ids_agree_with_the_decoded_body() {
        let cases: [&[u8]; 16] = [
            b"",
            b"null",
            br#""id""#,
            br#"["id","u1"]"#,
            br#"{"id":7}"#,
            br#"{"id":"a","id":"b"}"#,
            br#"{"id":"a","id":null}"#,
            br#"{"\u0069d":"escaped key"}"#,
            br#"{"id":"caf\u00e9 \ud83d\ude00"}"#,
            br#"{"id":"u1","n":1e999}"#,
            br#"{"id":"u1"} trailing"#,
            br#"{"id":"u1""#,
            b"{\"id\":\"caf\xe9\"}",
            b"<html>502</html>",
            br#"{"nested":{"id":"inner"},"list":[{"id":"x"}]}"#,
            br#"  {"a":[1,2.5,-3,true,false,null,{"b":{}}],"id":"deep"}  "#,
        ];
        for raw in cases {
            assert_eq!(scanned_id(raw), decoded_id(raw), "{}", String::from_utf8_lossy(raw));
            for name in ["id", "n", "list", "nested", "raw"] {
                assert_eq!(
                    scanned_member(raw, name),
                    decoded_member(raw, name),
                    "{name} of {}",
                    String::from_utf8_lossy(raw)
                );
            }
        }
        let too_deep = format!(r#"{{"id":"u1","x":{}{}}}"#, "[".repeat(200), "]".repeat(200));
        assert_eq!(scanned_id(too_deep.as_bytes()), decoded_id(too_deep.as_bytes()));
        assert_eq!(scanned_member(too_deep.as_bytes(), "x"), decoded_member(too_deep.as_bytes(), "x"));
    }

    #[test]
    fn a_list_answer_read_for_its_resources_only() {
        let raw = br#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":1,"Resources":[{"id":"u1"}],"Resources":[{"id":"u2","x":[1]}]}"#;
        let body = AnswerBody::from_bytes(Bytes::from_static(raw));
        assert_eq!(body.member("Resources").as_deref(), Some(&json!([{"id": "u2", "x": [1]}])));
        assert!(body.decoded.get().is_none(), "reading a member decoded the body");
        assert_eq!(body.member("totalResults").as_deref(), Some(&json!(1)));
        assert_eq!(body.value().and_then(|v| v.get("Resources")), body.member("Resources").as_deref());
        assert_eq!(body.member("missing"), None);
    }

    #[test]
    fn a_decoded_body_is_kept_and_compared_by_value() {
        let body = AnswerBody::from(json!({"id": "g1"}));
        assert_eq!(body.id(), Some("g1"));
        assert_eq!(body, AnswerBody::from_bytes(Bytes::from_static(br#"{ "id" : "g1" }"#)));
        assert_eq!(AnswerBody::default().value(), None);
        assert!(AnswerBody::default().is_empty() && AnswerBody::from(None).is_empty());
        assert!(!body.is_empty(), "a decoded body is not empty though it has no bytes");
        assert_eq!(AnswerBody::from_bytes(Bytes::from_static(b"oops")).into_value(), Some(json!({"raw": "oops"})));
    }

    proptest! {
        #[test]
        fn ids_agree_on_any_document(raw in r#"[ {}\[\],:"a-zA0-9.eE+\\-]{0,40}|\{"id":"[a-z]{0,4}"[ ,:a-z0-9"{}\[\]]{0,20}\}"#) {
            prop_assert_eq!(scanned_id(raw.as_bytes()), decoded_id(raw.as_bytes()), "{}", raw);
            prop_assert_eq!(AnswerBody::from_bytes(Bytes::copy_from_slice(raw.as_bytes())).is_empty(), parse_body(raw.as_bytes()).is_none());
            prop_assert_eq!(scanned_member(raw.as_bytes(), "a"), decoded_member(raw.as_bytes(), "a"), "{}", raw);
            let names = ["a", "id", "A"];
            let scanned = AnswerBody::from_bytes(Bytes::copy_from_slice(raw.as_bytes())).members(&names);
            prop_assert_eq!(scanned, parse_body(raw.as_bytes()).map(|v| Members::of(&v, &names)), "{}", raw);
        }
    }
}
