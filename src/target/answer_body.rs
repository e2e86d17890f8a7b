//! The body of a target's answer, kept as the bytes that came and decoded only when something
//! reads it.
//!
//! Most answers are read whole by the engine (a match query's list, a PATCH's result), but a
//! create's answer is the whole new object, and what an IdP needs of it is its `id`. Decoding
//! that object into a [`Value`] is dozens of allocations a load run would make for every user
//! and hold until its batch ends. [`AnswerBody::id`] reads the id without building the object;
//! [`AnswerBody::value`] decodes once, on first use, exactly as the transcript records it
//! ([`parse_body`]).

use std::fmt;
use std::sync::OnceLock;

use bytes::Bytes;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

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

/// The top-level `"id"` string of `raw`, read without decoding the rest.
fn read_id(raw: &[u8]) -> Option<String> {
    // Bytes that are not UTF-8 are recorded raw, with no id (as parse_body decides).
    let text = std::str::from_utf8(raw).ok()?;
    let mut reader = serde_json::Deserializer::from_str(text);
    let id = Read::Document.deserialize(&mut reader).ok()?;
    reader.end().ok()?;
    id
}

/// What a value is read for, when reading a document for its top-level `"id"` string. Every
/// value is read through `deserialize_any`, and what is not kept is dropped, so the same
/// documents fail as when decoding a [`Value`] (a number out of range, nesting past
/// serde_json's limit); a repeated `"id"` key counts last, as a [`Value`]'s map keeps it.
#[derive(Clone, Copy, PartialEq)]
enum Read {
    /// The document: kept is the `"id"` of an object.
    Document,
    /// The value of the document's `"id"`: kept when a string.
    Id,
    /// Anything else: nothing kept.
    Skipped,
}

impl<'de> DeserializeSeed<'de> for Read {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Read {
    type Value = Option<String>;

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

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok((self == Read::Id).then(|| text.to_string()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Self::Value, A::Error> {
        while items.next_element_seed(Read::Skipped)?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Self::Value, A::Error> {
        let mut id = None;
        while let Some(is_id) = entries.next_key_seed(IsId)? {
            let read = if is_id && self == Read::Document { Read::Id } else { Read::Skipped };
            let value = entries.next_value_seed(read)?;
            if read == Read::Id {
                id = value;
            }
        }
        Ok(id)
    }
}

/// Reads an object key as whether it is `"id"` (escapes decoded), without keeping it.
struct IsId;

impl<'de> DeserializeSeed<'de> for IsId {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for IsId {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == "id")
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

    #[test]
    fn the_id_of_a_created_object_without_decoding_it() {
        let body = AnswerBody::from_bytes(Bytes::from_static(br#"{"schemas":["x"],"id":"u1","name":{"id":"no"}}"#));
        assert_eq!(body.id(), Some("u1"));
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
        }
        let too_deep = format!(r#"{{"id":"u1","x":{}{}}}"#, "[".repeat(200), "]".repeat(200));
        assert_eq!(scanned_id(too_deep.as_bytes()), decoded_id(too_deep.as_bytes()));
    }

    #[test]
    fn a_decoded_body_is_kept_and_compared_by_value() {
        let body = AnswerBody::from(json!({"id": "g1"}));
        assert_eq!(body.id(), Some("g1"));
        assert_eq!(body, AnswerBody::from_bytes(Bytes::from_static(br#"{ "id" : "g1" }"#)));
        assert_eq!(AnswerBody::default().value(), None);
        assert_eq!(AnswerBody::from_bytes(Bytes::from_static(b"oops")).into_value(), Some(json!({"raw": "oops"})));
    }

    proptest! {
        #[test]
        fn ids_agree_on_any_document(raw in r#"[ {}\[\],:"a-z0-9.eE+\\-]{0,40}|\{"id":"[a-z]{0,4}"[ ,:a-z0-9"{}\[\]]{0,20}\}"#) {
            prop_assert_eq!(scanned_id(raw.as_bytes()), decoded_id(raw.as_bytes()), "{}", raw);
        }
    }
}
