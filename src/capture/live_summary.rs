//! The one line `scimsim record` prints per exchange as it completes, so the person driving
//! the IdP sees what it sends while it sends it.

use serde_json::Value;

use super::Detected;
use crate::transcript::Exchange;

/// The most characters of the hint at the end of a line.
const HINT_CHARS: usize = 90;
/// The most characters of one JSON value inside the hint.
const VALUE_CHARS: usize = 40;
/// Path segments longer than this that hold a digit are ids, shown by their start.
const ID_CHARS: usize = 8;

/// One line for `exchange` (already redacted), e.g.
/// `#12 entra/legacy PATCH /Users/5d3f… → 204 in 3.1 ms  (Replace active "False")`: its
/// `seq`, the IdP and dialect detected, method, path, status (or `no answer`), the target's
/// time, and a hint of what it was: a PATCH's operations, the name a POST or PUT carries, a
/// GET's query, or why it failed.
pub fn summary_line(exchange: &Exchange, detected: &Detected) -> String {
    let request = &exchange.request;
    let status = exchange.response.as_ref().map_or_else(|| "no answer".to_string(), |r| r.status.to_string());
    let mut line = format!(
        "#{} {} {} {} → {status} in {:.1} ms",
        exchange.seq,
        detected.tag(),
        request.method,
        short_path(&request.path),
        exchange.elapsed_ms
    );
    let hint = match &exchange.error {
        Some(error) => error.clone(),
        None => hint(&request.method, request.query.as_deref(), request.body.as_ref()),
    };
    let hint = clip(&one_line(&hint), HINT_CHARS);
    if !hint.is_empty() {
        line.push_str(&format!("  ({hint})"));
    }
    line
}

/// `/Users/5d3f…` for `/Users/5d3f0c2e-…`: ids cut to their start, names kept.
fn short_path(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.chars().count() > ID_CHARS && segment.chars().any(|c| c.is_ascii_digit()) {
                clip(segment, 4)
            } else {
                segment.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// What a request was about, in a few words.
fn hint(method: &str, query: Option<&str>, body: Option<&Value>) -> String {
    match (method, body) {
        ("PATCH", Some(body)) => patch_hint(body),
        ("POST" | "PUT", Some(body)) => ["userName", "displayName", "active"]
            .into_iter()
            .filter_map(|name| body.get(name).map(|value| format!("{name} {}", compact(value))))
            .collect::<Vec<_>>()
            .join(", "),
        _ => query.map(decode_query).unwrap_or_default(),
    }
}

/// A PATCH's operations: `Replace active "False"`, `replace {"active":false}`,
/// `Remove members [{"value":"7a1…"}]`.
fn patch_hint(body: &Value) -> String {
    let operations = body.get("Operations").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    operations
        .iter()
        .map(|operation| {
            let mut words = Vec::new();
            if let Some(op) = operation.get("op") {
                words.push(op.as_str().map_or_else(|| compact(op), str::to_string));
            }
            if let Some(path) = operation.get("path").and_then(Value::as_str) {
                words.push(path.to_string());
            }
            if let Some(value) = operation.get("value") {
                words.push(compact(value));
            }
            words.join(" ")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A JSON value as compact JSON, cut to [`VALUE_CHARS`].
fn compact(value: &Value) -> String {
    clip(&value.to_string(), VALUE_CHARS)
}

/// A query with its percent and `+` encoding undone: `filter=userName eq "alice"`.
fn decode_query(query: &str) -> String {
    form_urlencoded::parse(query.as_bytes())
        .map(|(name, value)| if value.is_empty() { name.into_owned() } else { format!("{name}={value}") })
        .collect::<Vec<_>>()
        .join("&")
}

/// `text` cut to `max` characters, the cut marked with `…`.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// `text` with line breaks and tabs as spaces, so a summary stays one line.
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;
    use crate::capture::IdpDetector;
    use crate::transcript::{RecordedRequest, RecordedResponse};

    fn exchange(method: &str, path: &str, query: Option<&str>, body: Option<Value>, status: Option<u16>) -> Exchange {
        Exchange {
            seq: 12,
            idp: "entra".into(),
            dialect: "legacy".into(),
            scenario: "recording".into(),
            step: "recorded".into(),
            scheduled_at: "PT1M".into(),
            request: RecordedRequest {
                method: method.into(),
                path: path.into(),
                query: query.map(str::to_string),
                headers: BTreeMap::from([("adscimversion".to_string(), "Date:x".to_string())]),
                body,
            },
            response: status.map(|status| RecordedResponse { status, headers: BTreeMap::new(), body: None }),
            error: None,
            elapsed_ms: 3.07,
        }
    }

    fn detected(exchange: &Exchange) -> Detected {
        IdpDetector::new().observe(&exchange.request)
    }

    #[test]
    fn a_legacy_disable() {
        let patch = exchange(
            "PATCH",
            "/Users/5d3f0c2e-9c1b-4f0e-8a51-1f2e3d4c5b6a",
            None,
            Some(json!({"Operations": [{"op": "Replace", "path": "active", "value": "False"}]})),
            Some(204),
        );
        assert_eq!(
            summary_line(&patch, &detected(&patch)),
            r#"#12 entra/legacy PATCH /Users/5d3f… → 204 in 3.1 ms  (Replace active "False")"#
        );
    }

    #[test]
    fn creates_queries_and_failures() {
        let post =
            exchange("POST", "/Users", None, Some(json!({"userName": "alice@contoso.com", "active": true})), Some(201));
        assert!(
            summary_line(&post, &detected(&post))
                .ends_with(r#"→ 201 in 3.1 ms  (userName "alice@contoso.com", active true)"#),
            "{}",
            summary_line(&post, &detected(&post))
        );
        let get = exchange("GET", "/Users", Some("filter=userName+eq+%22alice%22"), None, Some(200));
        assert!(summary_line(&get, &detected(&get)).ends_with(r#"(filter=userName eq "alice")"#));
        let discovery = exchange("GET", "/ServiceProviderConfig", None, None, Some(200));
        assert!(
            summary_line(&discovery, &detected(&discovery)).ends_with("GET /ServiceProviderConfig → 200 in 3.1 ms")
        );
        let mut failed = exchange("DELETE", "/Users/42", None, None, None);
        failed.error = Some("DELETE http://h/Users/42: cannot connect\nto the target".into());
        let line = summary_line(&failed, &detected(&failed));
        assert!(
            line.contains("→ no answer in 3.1 ms  (DELETE http://h/Users/42: cannot connect to the target)"),
            "{line}"
        );
    }

    #[test]
    fn long_hints_are_cut_and_stay_on_one_line() {
        let members: Vec<Value> = (0..50).map(|n| json!({"value": format!("member-{n}")})).collect();
        let patch = exchange(
            "PATCH",
            "/Groups/7",
            None,
            Some(json!({"Operations": [{"op": "Add", "path": "members", "value": members}]})),
            Some(204),
        );
        let line = summary_line(&patch, &detected(&patch));
        assert!(!line.contains('\n'));
        assert!(line.contains(r#"(Add members [{"value":"member-0"},{"value":"member-1…)"#), "{line}");
    }
}
