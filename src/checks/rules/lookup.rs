//! Reading bodies as the RFC asks of a reader, attribute names in any case (RFC 7643 §2.1:
//! `UserName`, `resources`), and naming what was read with a JSON pointer into the exchange.

use serde_json::Value;

use crate::transcript::Exchange;

/// The member `name` of `object` in any letter case, with the spelling the body uses.
pub(super) fn member<'v>(object: &'v Value, name: &str) -> Option<(&'v str, &'v Value)> {
    let object = object.as_object()?;
    object
        .get_key_value(name)
        .or_else(|| object.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)))
        .map(|(key, value)| (key.as_str(), value))
}

/// The value of member `name` of `object`, in any letter case.
pub(super) fn get<'v>(object: &'v Value, name: &str) -> Option<&'v Value> {
    member(object, name).map(|(_, value)| value)
}

/// The member `name` of a body and a pointer to it: at the spelling the body uses, or at the
/// RFC's spelling when it is absent (pointing at a missing member is how a report says so).
pub(super) fn field<'b>(body: &'b Value, name: &str) -> (String, Option<&'b Value>) {
    match member(body, name) {
        Some((key, value)) => (body_pointer(&[key]), Some(value)),
        None => (body_pointer(&[name]), None),
    }
}

/// Whether `body`'s `schemas` lists `urn` (URNs compare without case, RFC 8141).
pub(super) fn lists_schema(body: &Value, urn: &str) -> bool {
    get(body, "schemas")
        .and_then(Value::as_array)
        .is_some_and(|schemas| schemas.iter().any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(urn))))
}

/// The response body, when the exchange was answered with a JSON object (not `{"raw": …}`).
pub(super) fn response_object(exchange: &Exchange) -> Option<&Value> {
    let body = exchange.response.as_ref()?.body.as_ref()?;
    (body.is_object() && !is_raw(body)).then_some(body)
}

/// Whether `body` is the transcript's wrapping of a non-JSON body, `{"raw": "…"}`.
pub(super) fn is_raw(body: &Value) -> bool {
    body.as_object().is_some_and(|o| o.len() == 1 && o.get("raw").is_some_and(Value::is_string))
}

/// A response header's value (the transcript keeps header names lower-case).
pub(super) fn response_header<'e>(exchange: &'e Exchange, name: &str) -> Option<&'e str> {
    exchange.response.as_ref()?.headers.get(name).map(String::as_str)
}

/// A JSON pointer to `/response/body` followed by `segments` (RFC 6901: `~` and `/` escaped).
pub(super) fn body_pointer<S: AsRef<str>>(segments: &[S]) -> String {
    segments.iter().fold(String::from("/response/body"), |mut pointer, segment| {
        pointer.push('/');
        pointer.push_str(&segment.as_ref().replace('~', "~0").replace('/', "~1"));
        pointer
    })
}

/// The pointer to the response status.
pub(super) const STATUS: &str = "/response/status";

/// The pointer to a response header.
pub(super) fn header_pointer(name: &str) -> String {
    format!("/response/headers/{name}")
}

/// `value` as a short JSON text for a message (`"Alice"`, `false`, `{"value":"x"}`).
pub(super) fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "nothing".to_string(), Value::to_string)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn names_are_read_in_any_case() {
        let body = json!({"UserName": "a", "userName": "b", "Resources": []});
        assert_eq!(member(&body, "userName"), Some(("userName", &json!("b"))), "an exact spelling wins");
        assert_eq!(member(&body, "resources"), Some(("Resources", &json!([]))));
        assert_eq!(get(&json!(1), "x"), None);
        assert!(lists_schema(&json!({"Schemas": ["URN:X"]}), "urn:x"));
        assert_eq!(field(&body, "RESOURCES"), ("/response/body/Resources".to_string(), Some(&json!([]))));
        assert_eq!(field(&body, "totalResults"), ("/response/body/totalResults".to_string(), None));
        assert!(!lists_schema(&json!({"schemas": "urn:x"}), "urn:x"));
    }

    #[test]
    fn pointers_escape_their_segments() {
        assert_eq!(body_pointer(&["Resources", "0", "a/b~c"]), "/response/body/Resources/0/a~1b~0c");
        assert_eq!(body_pointer::<&str>(&[]), "/response/body");
        assert_eq!(header_pointer("location"), "/response/headers/location");
    }

    #[test]
    fn raw_bodies_are_not_objects() {
        assert!(is_raw(&json!({"raw": "<html>"})));
        assert!(!is_raw(&json!({"raw": "x", "id": "1"})));
        assert_eq!(shown(None), "nothing");
        assert_eq!(shown(Some(&json!("x"))), "\"x\"");
    }
}
