//! How a body's bytes are recorded: JSON as JSON, anything else as `{"raw": "…"}`.

use serde_json::{Value, json};

/// Turns body bytes into the transcript's `body`: `None` when empty, the parsed JSON when the
/// bytes are JSON, otherwise `{"raw": "<text>"}` with the bytes read as lossy UTF-8 (an HTML
/// error page from a proxy, a plain-text 500). Tools reading transcripts then always see JSON.
pub fn parse_body(bytes: &[u8]) -> Option<Value> {
    if bytes.is_empty() {
        return None;
    }
    match serde_json::from_slice(bytes) {
        Ok(value) => Some(value),
        Err(_) => Some(json!({ "raw": String::from_utf8_lossy(bytes) })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_json_and_raw_bodies() {
        assert_eq!(parse_body(b""), None);
        assert_eq!(parse_body(br#"{"b":1,"a":2}"#).unwrap().to_string(), r#"{"b":1,"a":2}"#);
        assert_eq!(parse_body(b"<html>502</html>"), Some(json!({"raw": "<html>502</html>"})));
        assert_eq!(parse_body(b"caf\xe9"), Some(json!({"raw": "caf\u{fffd}"})));
    }
}
