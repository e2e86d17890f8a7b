//! The stable form of an exchange: what stays the same from one run to the next against a
//! target that behaves the same. Snapshots store it; a replay compares a recording with its
//! replay in it.
//!
//! Redacted: the target's ids (each becomes its [`IdPlaceholders`] name), timestamps and
//! versions in `meta` (of responses, and of requests that echo it, as Okta's PUT does), ETags,
//! the target's base URL (in `meta.location`, `$ref`, `Location`), and whatever the caller
//! renames (a run's name prefix). Secrets are `[redacted]` in the transcript already.
//! Volatile headers (`date`, `server`, `content-length`) and timings are left out.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value, json};

use super::{Exchange, IdPlaceholders, RecordedResponse, replace_strings, translate};

/// Response headers the stable form keeps.
const KEPT_RESPONSE_HEADERS: [&str; 4] = ["content-type", "location", "etag", "retry-after"];

/// What an ETag or `meta.version` reads as: only its presence is stable.
const ETAG: &str = "[etag]";

/// What the target's base URL reads as.
const TARGET: &str = "[target]";

/// An RFC 3339 timestamp anywhere in a string, compiled once.
pub(crate) static TIMESTAMP: LazyLock<Result<Regex, regex::Error>> =
    LazyLock::new(|| Regex::new(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})"));

/// How exchanges of one target are put in their stable form.
#[derive(Debug, Clone, Copy)]
pub struct StableForm<'a> {
    /// The placeholders of the target's ids.
    pub ids: &'a IdPlaceholders,
    /// The target's base URLs (an empty one is ignored), each replaced by `[target]`.
    pub target_urls: &'a [String],
    /// Pairs of (text, replacement) applied before the ids are: a run's name prefix.
    pub renames: &'a [(String, String)],
}

impl StableForm<'_> {
    /// The whole exchange, as a snapshot stores it: step, virtual time, request, response and
    /// the error when there was one.
    pub fn exchange(&self, exchange: &Exchange) -> Value {
        let request = &exchange.request;
        let mut body = request.body.clone();
        // A request can carry a resource the target returned: Okta's PUT echoes the `meta` of
        // the GET before it (okta-wire.md §1.4).
        if let Some(body) = &mut body {
            redact_meta(body);
        }
        let mut record = json!({
            "step": exchange.step,
            "scheduled_at": exchange.scheduled_at,
            "request": {
                "method": request.method,
                "path": request.path,
                "query": request.query,
                "headers": request.headers,
                "body": body,
            },
            "response": exchange.response.as_ref().map(response),
        });
        if let Some(error) = &exchange.error {
            record["error"] = Value::String(error.clone());
        }
        self.finish(&record)
    }

    /// Only what came back: status, the headers that matter and the body; `null` when no
    /// response arrived.
    pub fn response(&self, exchange: &Exchange) -> Value {
        self.finish(&exchange.response.as_ref().map_or(Value::Null, response))
    }

    /// Applies the renames, then replaces the target's URLs and ids.
    fn finish(&self, value: &Value) -> Value {
        replace_strings(&translate(value, self.renames), &|text: &str| {
            let mut text = text.to_string();
            for url in self.target_urls.iter().map(|url| url.trim_end_matches('/')).filter(|url| !url.is_empty()) {
                if text.contains(url) {
                    text = text.replace(url, TARGET);
                }
            }
            self.ids.replace_in(&text)
        })
    }
}

/// A response with its volatile parts hidden (ids and URLs are left to [`StableForm::finish`]).
fn response(response: &RecordedResponse) -> Value {
    let headers: Map<String, Value> = response
        .headers
        .iter()
        .filter(|(name, _)| KEPT_RESPONSE_HEADERS.contains(&name.as_str()))
        .map(|(name, value)| {
            let value = if name == "etag" { ETAG } else { value.as_str() };
            (name.clone(), Value::String(value.to_string()))
        })
        .collect();
    let mut body = response.body.clone();
    if let Some(body) = &mut body {
        redact_meta(body);
    }
    json!({"status": response.status, "headers": headers, "body": body})
}

/// Timestamps and versions in a body's `meta` (at any depth, for list responses).
pub(crate) fn redact_meta(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            if let Some(Value::Object(meta)) = fields.get_mut("meta") {
                redact_meta_fields(meta);
            }
            fields.values_mut().for_each(redact_meta);
        }
        Value::Array(items) => items.iter_mut().for_each(redact_meta),
        _ => {}
    }
}

fn redact_meta_fields(meta: &mut Map<String, Value>) {
    let timestamp = TIMESTAMP.as_ref().ok();
    for (key, value) in meta.iter_mut() {
        let Value::String(text) = value else { continue };
        if key.eq_ignore_ascii_case("version") {
            *value = Value::String(ETAG.into());
        } else if timestamp.is_some_and(|t| t.is_match(text)) {
            *value = Value::String("[timestamp]".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn created(location_host: &str, id: &str) -> Exchange {
        let body = json!({"id": id, "userName": "alice", "meta": {"created": "2026-11-22T13:19:33.380Z",
            "lastModified": "2026-11-22T13:19:33+01:00", "version": "W/\"3\"",
            "location": format!("{location_host}/scim/v2/Users/{id}")}});
        let mut exchange = Exchange::answered("POST", "/Users", 201, Some(body));
        if let Some(response) = &mut exchange.response {
            response.headers = BTreeMap::from([
                ("date".to_string(), "Sun, 22 Nov 2026 13:19:33 GMT".to_string()),
                ("server".to_string(), "scim/1.2".to_string()),
                ("etag".to_string(), "W/\"3\"".to_string()),
                ("content-type".to_string(), "application/scim+json".to_string()),
            ]);
        }
        exchange
    }

    #[test]
    fn two_targets_answering_alike_read_the_same() {
        let (first, second) = (created("http://127.0.0.1:4000", "8f3c"), created("https://scim.example.com", "00u1"));
        let mut ids = IdPlaceholders::of_responses(std::slice::from_ref(&first));
        ids.alias("00u1", "8f3c");
        let form = |url: &str, exchange: &Exchange| {
            let urls = [format!("{url}/scim/v2")];
            StableForm { ids: &ids, target_urls: &urls, renames: &[] }.response(exchange)
        };
        let stable = form("http://127.0.0.1:4000", &first);
        assert_eq!(stable, form("https://scim.example.com", &second));
        assert_eq!(
            stable,
            json!({"status": 201, "headers": {"content-type": "application/scim+json", "etag": "[etag]"},
                "body": {"id": "[id-1]", "userName": "alice", "meta": {"created": "[timestamp]",
                "lastModified": "[timestamp]", "version": "[etag]", "location": "[target]/Users/[id-1]"}}})
        );
    }

    #[test]
    fn no_response_is_null_and_an_empty_url_replaces_nothing() {
        let mut exchange = created("http://h", "1");
        exchange.response = None;
        let form = StableForm { ids: &IdPlaceholders::new(), target_urls: &[String::new()], renames: &[] };
        assert_eq!(form.response(&exchange), Value::Null);
        assert_eq!(form.exchange(&exchange)["request"]["path"], "/Users");
    }
}
