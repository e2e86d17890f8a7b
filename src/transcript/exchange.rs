//! One recorded request/response pair, in the shape the transcript publishes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One request an IdP sent to the target and what came back: a line of the transcript.
///
/// Serialized with the fields in the order DESIGN.md shows; `response` is `null` and `error`
/// says why when no response arrived (`error` is left out otherwise). Tools read transcripts
/// back, so this also deserializes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// Position in the scenario's transcript, from 1.
    pub seq: u64,
    /// The simulated IdP (`entra`, `okta`).
    pub idp: String,
    /// The IdP's wire dialect (`legacy`, `aadOptscim062020`, `oin`, `aiw`).
    pub dialect: String,
    /// The scenario's name.
    pub scenario: String,
    /// The step that caused the request.
    pub step: String,
    /// Virtual time since the run started, as an ISO 8601 duration (see
    /// [`iso8601_duration`](super::iso8601_duration)).
    pub scheduled_at: String,
    /// What was sent.
    pub request: RecordedRequest,
    /// What came back; `None` when nothing did (refused, timed out, TLS failure).
    pub response: Option<RecordedResponse>,
    /// Why the exchange failed (a transport error, an unreadable body); absent when it did not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Wall-clock milliseconds from sending the request to reading the whole response.
    pub elapsed_ms: f64,
}

/// A request as it went on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// The HTTP method (`GET`, `PATCH`, …).
    pub method: String,
    /// The path relative to the target's base URL, e.g. `/Users/42`.
    pub path: String,
    /// The query string exactly as sent (already encoded, without `?`), or `None`.
    pub query: Option<String>,
    /// Header names (lower-case) and values as sent; `authorization` is always `[redacted]`.
    pub headers: BTreeMap<String, String>,
    /// The JSON body, or `None` when there was none.
    pub body: Option<Value>,
}

/// A response as it came off the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Header names (lower-case) and values.
    pub headers: BTreeMap<String, String>,
    /// The body: JSON, `{"raw": "…"}` for anything else, `None` when empty (see
    /// [`parse_body`](super::parse_body)).
    pub body: Option<Value>,
}

/// Collects header pairs into the recorded form: names lower-cased, repeated names joined
/// with `, ` in order (RFC 9110 §5.3).
pub(crate) fn lower_case_headers<N, V>(pairs: impl IntoIterator<Item = (N, V)>) -> BTreeMap<String, String>
where
    N: AsRef<str>,
    V: AsRef<str>,
{
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in pairs {
        let value = value.as_ref();
        headers
            .entry(name.as_ref().to_ascii_lowercase())
            .and_modify(|joined| {
                joined.push_str(", ");
                joined.push_str(value);
            })
            .or_insert_with(|| value.to_string());
    }
    headers
}

/// A header map as recorded ([`lower_case_headers`]), values read as lossy UTF-8 (a value
/// may hold any byte but a control character). reqwest's and axum's maps are both `http`'s.
pub(crate) fn recorded_headers(headers: &reqwest::header::HeaderMap) -> BTreeMap<String, String> {
    lower_case_headers(headers.iter().map(|(name, value)| (name.as_str(), String::from_utf8_lossy(value.as_bytes()))))
}

#[cfg(test)]
impl Exchange {
    /// A test exchange for every module's tests: Okta's `method path` without query, headers
    /// or body, answered `status` with `body` and the `date` and `etag` headers servers send.
    pub(crate) fn answered(method: &str, path: &str, status: u16, body: Option<Value>) -> Self {
        Self {
            seq: 1,
            idp: "okta".into(),
            dialect: "oin".into(),
            scenario: "s".into(),
            step: "When x".into(),
            scheduled_at: "PT0S".into(),
            request: RecordedRequest {
                method: method.into(),
                path: path.into(),
                query: None,
                headers: BTreeMap::new(),
                body: None,
            },
            response: Some(RecordedResponse {
                status,
                headers: BTreeMap::from([
                    ("date".to_string(), "Sun, 22 Nov 2026 13:19:33 GMT".to_string()),
                    ("etag".to_string(), "W/\"1\"".to_string()),
                ]),
                body,
            }),
            error: None,
            elapsed_ms: 1.5,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn sample() -> Exchange {
        Exchange {
            seq: 1,
            idp: "entra".into(),
            dialect: "legacy".into(),
            scenario: "disable a user".into(),
            step: "When the provisioning cycle runs".into(),
            scheduled_at: "PT40M".into(),
            request: RecordedRequest {
                method: "PATCH".into(),
                path: "/Users/42".into(),
                query: None,
                headers: lower_case_headers([
                    ("Content-Type", "application/scim+json; charset=utf-8"),
                    ("authorization", "[redacted]"),
                ]),
                body: Some(json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": []})),
            },
            response: Some(RecordedResponse { status: 204, headers: BTreeMap::new(), body: None }),
            error: None,
            elapsed_ms: 1.7,
        }
    }

    #[test]
    fn serializes_in_the_published_order() {
        let line = serde_json::to_string(&sample()).unwrap();
        assert_eq!(
            line,
            concat!(
                r#"{"seq":1,"idp":"entra","dialect":"legacy","scenario":"disable a user","#,
                r#""step":"When the provisioning cycle runs","scheduled_at":"PT40M","#,
                r#""request":{"method":"PATCH","path":"/Users/42","query":null,"#,
                r#""headers":{"authorization":"[redacted]","content-type":"application/scim+json; charset=utf-8"},"#,
                r#""body":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}},"#,
                r#""response":{"status":204,"headers":{},"body":null},"elapsed_ms":1.7}"#
            )
        );
    }

    #[test]
    fn a_failed_exchange_has_a_null_response_and_an_error() {
        let mut exchange = sample();
        exchange.response = None;
        exchange.error = Some("connection refused".into());
        let value = serde_json::to_value(&exchange).unwrap();
        assert_eq!(value["response"], Value::Null);
        assert_eq!(value["error"], "connection refused");
        let keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys[keys.len() - 3..], ["response", "error", "elapsed_ms"]);
        assert_eq!(serde_json::from_value::<Exchange>(value).unwrap(), exchange);
    }

    #[test]
    fn repeated_headers_are_joined() {
        let headers = lower_case_headers([("Set-Cookie", "a=1"), ("X-A", "x"), ("set-cookie", "b=2")]);
        assert_eq!(headers["set-cookie"], "a=1, b=2");
        assert_eq!(headers["x-a"], "x");
    }
}
