//! The JSON body of a request an IdP sends: a document the client writes as it sends, or one
//! the engine has already written.

use bytes::Bytes;
use serde_json::Value;

/// The buffer a document is written into, in bytes: an IdP's body is about half a kilobyte
/// (a user), so room for it up front spares the buffer three doublings from serde_json's 128.
const BODY_CAPACITY: usize = 1024;

/// The bytes `write` appends to an empty buffer of [`BODY_CAPACITY`].
fn write_bytes(write: impl FnOnce(&mut Vec<u8>)) -> Bytes {
    let mut bytes = Vec::with_capacity(BODY_CAPACITY);
    write(&mut bytes);
    Bytes::from(bytes)
}

/// A request's JSON body.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestBody {
    /// A document, written in its key order when sent.
    Value(Value),
    /// A document already written, sent byte for byte. Entra and Okta write their creates
    /// from a template of their shape (the users of a cycle share a handful), instead of
    /// building a document per user only to write it once.
    Written(Bytes),
}

impl RequestBody {
    /// A body `write` writes, into a buffer with room for a user's body: for a body written
    /// from a [`JsonTemplate`](crate::scim::JsonTemplate).
    pub fn written(write: impl FnOnce(&mut Vec<u8>)) -> Self {
        Self::Written(write_bytes(write))
    }

    /// The bytes that go on the wire.
    pub fn to_bytes(&self) -> Bytes {
        match self {
            Self::Value(value) => write_bytes(|bytes| {
                // A Value has string keys only, and a Vec takes every byte: writing cannot fail.
                let _ = serde_json::to_writer(bytes, value);
            }),
            Self::Written(bytes) => bytes.clone(),
        }
    }

    /// The document, for a transcript: a written body is read back, in its key order. An
    /// engine writes JSON, so it reads; bytes that somehow do not are kept as a string, so the
    /// transcript still shows what was sent.
    pub fn to_value(&self) -> Value {
        match self {
            Self::Value(value) => value.clone(),
            Self::Written(bytes) => serde_json::from_slice(bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned())),
        }
    }
}

impl From<Value> for RequestBody {
    fn from(value: Value) -> Self {
        Self::Value(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_value_is_written_in_its_key_order_and_a_written_body_is_read_back() {
        let value = json!({"schemas": ["s"], "userName": "a", "active": true});
        let body = RequestBody::from(value.clone());
        assert_eq!(&body.to_bytes()[..], br#"{"schemas":["s"],"userName":"a","active":true}"#);
        let written = RequestBody::Written(body.to_bytes());
        assert_eq!(written.to_bytes(), body.to_bytes());
        assert_eq!(written.to_value(), value);
        let keys: Vec<_> = written.to_value().as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["schemas", "userName", "active"]);
        assert_eq!(RequestBody::Written(Bytes::from_static(b"{oops")).to_value(), json!("{oops"));
        let written = RequestBody::written(|bytes| bytes.extend_from_slice(b"[1]"));
        assert_eq!(written, RequestBody::Written(Bytes::from_static(b"[1]")));
    }
}
