//! How a body's bytes are recorded: JSON as JSON, anything else as `{"raw": "…"}`.

use serde_json::{Value, json};

/// Turns body bytes into the transcript's `body`: `None` when empty, the parsed JSON when the
/// bytes are JSON, otherwise `{"raw": "<text>"}` with the bytes read as lossy UTF-8 (an HTML
/// error page from a proxy, a plain-text 500). Tools reading transcripts then always see JSON.
///
/// JSON is UTF-8, so bytes that are not are never JSON. Checking the whole body once and
/// parsing it as text is cheaper than parsing bytes, which checks every string on its own.
pub fn parse_body(bytes: &[u8]) -> Option<Value> {
    if bytes.is_empty() {
        return None;
    }
    let json = std::str::from_utf8(bytes).ok().and_then(|text| serde_json::from_str(text).ok());
    Some(json.unwrap_or_else(|| json!({ "raw": String::from_utf8_lossy(bytes) })))
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
        // JSON is UTF-8: a stray byte inside a string makes the whole body raw.
        assert_eq!(parse_body(b"{\"a\":\"caf\xe9\"}"), Some(json!({"raw": "{\"a\":\"caf\u{fffd}\"}"})));
    }
}
