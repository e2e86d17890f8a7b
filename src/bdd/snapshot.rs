//! `Then the responses match the snapshot`: a scenario's exchanges, redacted so that they are
//! the same on every run, compared with insta under `<root>/<idp>/<feature>/<scenario>.snap`.
//!
//! Redacted: the target's ids (each distinct id becomes `[id-1]`, `[id-2]`, … in order of first
//! appearance, so "the PATCH went to the id the POST returned" still shows), timestamps and
//! versions in `meta` (of responses, and of requests that echo it, as Okta's PUT does), ETags,
//! the target's base URL in `meta.location` and `$ref`, the scenario's name prefix, and secrets
//! (already `[redacted]` in the transcript). Volatile headers (`date`, `content-length`) and
//! timings are left out.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value, json};

use crate::transcript::Exchange;

use super::bundled_snapshot;
use super::world::{ScimWorld, translate};

/// Response headers a snapshot keeps.
const KEPT_RESPONSE_HEADERS: [&str; 4] = ["content-type", "location", "etag", "retry-after"];

/// An RFC 3339 timestamp anywhere in a string, compiled once.
static TIMESTAMP: LazyLock<Result<Regex, regex::Error>> =
    LazyLock::new(|| Regex::new(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})"));

/// The snapshot form of a scenario's exchanges.
pub(crate) fn redact(exchanges: &[Exchange], target_url: &str, run_neutral: &[(String, String)]) -> Value {
    let mut records: Vec<Value> = exchanges.iter().map(record).collect();
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for record in &records {
        collect_ids(&record["response"]["body"], &mut ids, &mut order);
    }
    // Longest first, so an id that contains another is replaced whole.
    order.sort_by_key(|id| std::cmp::Reverse(id.len()));
    let timestamp = TIMESTAMP.as_ref().ok();
    for record in &mut records {
        // A request can carry a resource the target returned: Okta's PUT echoes the `meta` of
        // the GET before it (okta-wire.md §1.4).
        if let Some(body) = record.get_mut("request").and_then(|r| r.get_mut("body")) {
            redact_meta(body, timestamp);
        }
        if let Some(response) = record.get_mut("response").and_then(Value::as_object_mut) {
            if let Some(body) = response.get_mut("body") {
                redact_meta(body, timestamp);
            }
            if let Some(Value::Object(headers)) = response.get_mut("headers") {
                headers.retain(|name, _| KEPT_RESPONSE_HEADERS.contains(&name.as_str()));
                if let Some(etag) = headers.get_mut("etag") {
                    *etag = Value::String("[etag]".into());
                }
            }
        }
        *record = replace_strings(&translate(record, run_neutral), &|s: &str| {
            let mut s = s.replace(target_url.trim_end_matches('/'), "[target]");
            for id in &order {
                if s.contains(id.as_str()) {
                    s = s.replace(id.as_str(), &ids[id]);
                }
            }
            s
        });
    }
    Value::Array(records)
}

/// One exchange: the step, the virtual time, the request and the response.
fn record(exchange: &Exchange) -> Value {
    let response =
        exchange.response.as_ref().map(|r| json!({"status": r.status, "headers": r.headers, "body": r.body}));
    let mut record = json!({
        "step": exchange.step,
        "scheduled_at": exchange.scheduled_at,
        "request": {
            "method": exchange.request.method,
            "path": exchange.request.path,
            "query": exchange.request.query,
            "headers": exchange.request.headers,
            "body": exchange.request.body,
        },
        "response": response,
    });
    if let Some(error) = &exchange.error {
        record["error"] = Value::String(error.clone());
    }
    record
}

/// Every `id` in `value` (resources, list members) not yet numbered gets the next number.
fn collect_ids(value: &Value, ids: &mut HashMap<String, String>, order: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            if let Some(Value::String(id)) = fields.get("id")
                && !id.is_empty()
                && !ids.contains_key(id)
            {
                ids.insert(id.clone(), format!("[id-{}]", ids.len() + 1));
                order.push(id.clone());
            }
            fields.values().for_each(|v| collect_ids(v, ids, order));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_ids(v, ids, order)),
        _ => {}
    }
}

/// Timestamps and versions in a response body's `meta` (at any depth, for list responses).
fn redact_meta(value: &mut Value, timestamp: Option<&Regex>) {
    match value {
        Value::Object(fields) => {
            if let Some(Value::Object(meta)) = fields.get_mut("meta") {
                redact_meta_fields(meta, timestamp);
            }
            fields.values_mut().for_each(|v| redact_meta(v, timestamp));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| redact_meta(v, timestamp)),
        _ => {}
    }
}

fn redact_meta_fields(meta: &mut Map<String, Value>, timestamp: Option<&Regex>) {
    for (key, value) in meta.iter_mut() {
        let Value::String(text) = value else { continue };
        if key.eq_ignore_ascii_case("version") {
            *value = Value::String("[etag]".into());
        } else if timestamp.is_some_and(|t| t.is_match(text)) {
            *value = Value::String("[timestamp]".into());
        }
    }
}

/// `value` with `f` applied to every string and object key.
pub(crate) fn replace_strings(value: &Value, f: &dyn Fn(&str) -> String) -> Value {
    match value {
        Value::String(s) => Value::String(f(s)),
        Value::Array(items) => Value::Array(items.iter().map(|v| replace_strings(v, f)).collect()),
        Value::Object(fields) => Value::Object(fields.iter().map(|(k, v)| (f(k), replace_strings(v, f))).collect()),
        other => other.clone(),
    }
}

/// A file-name form of a scenario or feature name: lower case, `_` between words.
pub(crate) fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('_') && !slug.is_empty() {
            slug.push('_');
        }
    }
    slug.trim_end_matches('_').to_string()
}

/// Compares the scenario's exchanges with its snapshot.
pub(crate) fn check(world: &mut ScimWorld) -> Result<(), String> {
    let info = world.info()?.clone();
    let idp = world.idp()?;
    let idp_name = idp.name();
    let exchanges = idp.transcript().exchanges().to_vec();
    let target_url = world.target.as_ref().map(|t| t.url.clone()).unwrap_or_default();
    let value = redact(&exchanges, &target_url, &world.run_neutral_pairs());
    let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
    let feature = info.feature.file_stem().map_or_else(|| "feature".into(), |s| slug(&s.to_string_lossy()));
    let dir = info.config.snapshots.root.join(idp_name).join(&feature);
    let name = info.snapshot_name.clone();
    let file = dir.join(format!("{name}.snap"));
    if !file.exists() {
        if info.config.snapshots.record_missing {
            return record_new(&file, &info.feature, &info.name, &text);
        }
        let relative = format!("{idp_name}/{feature}/{name}.snap");
        if let Some(expected) =
            info.config.snapshots.bundled_fallback.then(|| bundled_snapshot::find(&relative)).flatten()
        {
            return bundled_snapshot::compare(&relative, expected, &text);
        }
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(&dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(&info.feature);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_snapshot!(name.as_str(), text));
    }));
    outcome.map_err(|_| {
        format!(
            "the exchanges differ from {} (insta printed the difference above); {}",
            file.display(),
            review_hint(&info.config.snapshots.root)
        )
    })
}

/// How to accept a wanted change: `cargo insta review` from the Cargo project that holds the
/// snapshots (it finds pending ones only inside a package), otherwise by hand.
fn review_hint(root: &Path) -> String {
    match root.ancestors().find(|dir| dir.join("Cargo.toml").is_file()) {
        Some(project) => format!("accept a wanted change with `cargo insta review` in {}", project.display()),
        None => format!(
            "accept a wanted change by moving the .snap.new over the .snap (`cargo insta review` needs the \
             snapshots inside a Cargo project; {} is not)",
            root.display()
        ),
    }
}

/// Writes a first snapshot for a target that has none yet, in insta's file format.
fn record_new(file: &PathBuf, feature: &Path, scenario: &str, text: &str) -> Result<(), String> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let contents = format!("---\nsource: {}\nexpression: {scenario:?}\n---\n{text}\n", feature.display());
    std::fs::write(file, contents).map_err(|e| format!("{}: {e}", file.display()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::transcript::{RecordedRequest, RecordedResponse};
    use std::collections::BTreeMap;

    /// An Okta exchange for tests: a request without query or body, and its response.
    pub(crate) fn exchange(method: &str, path: &str, status: u16, body: Value) -> Exchange {
        Exchange {
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
                body: Some(body),
            }),
            error: None,
            elapsed_ms: 1.5,
        }
    }

    #[test]
    fn a_change_is_accepted_with_cargo_insta_only_inside_a_cargo_project() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let hint = review_hint(&repo.join("snapshots/tenants/staging.example.com"));
        assert_eq!(hint, format!("accept a wanted change with `cargo insta review` in {}", repo.display()));
        assert!(review_hint(Path::new("/nonexistent/qa")).contains("moving the .snap.new over the .snap"));
    }

    #[test]
    fn ids_keep_their_identity_and_volatile_values_go() {
        let created = json!({"id": "8f3c", "userName": "s9-alice", "meta": {"created": "2026-11-22T13:19:33.380Z",
            "version": "W/\"1\"", "location": "http://127.0.0.1:4000/scim/v2/Users/8f3c"}});
        let exchanges = [exchange("POST", "/Users", 201, created), exchange("PATCH", "/Users/8f3c", 204, Value::Null)];
        let value = redact(&exchanges, "http://127.0.0.1:4000/scim/v2", &[("s9-".into(), String::new())]);
        assert_eq!(value[0]["response"]["body"]["id"], "[id-1]");
        assert_eq!(value[1]["request"]["path"], "/Users/[id-1]", "the PATCH went to the id the POST returned");
        assert_eq!(value[0]["response"]["body"]["userName"], "alice");
        assert_eq!(value[0]["response"]["body"]["meta"]["created"], "[timestamp]");
        assert_eq!(value[0]["response"]["body"]["meta"]["version"], "[etag]");
        assert_eq!(value[0]["response"]["body"]["meta"]["location"], "[target]/Users/[id-1]");
        assert_eq!(value[0]["response"]["headers"], json!({"etag": "[etag]"}));
        assert!(value[0].get("elapsed_ms").is_none());
    }

    #[test]
    fn a_request_that_echoes_meta_is_redacted_too() {
        let read = json!({"id": "8f3c", "meta": {"created": "2026-11-22T13:19:33.380Z", "version": "W/\"1\""}});
        let mut put = exchange("PUT", "/Users/8f3c", 200, read.clone());
        put.request.body = Some(read.clone());
        let value =
            redact(&[exchange("GET", "/Users/8f3c", 200, read), put], "http://h", &[("s9-".into(), String::new())]);
        assert_eq!(value[1]["request"]["body"]["meta"], json!({"created": "[timestamp]", "version": "[etag]"}));
        assert_eq!(value[1]["request"]["body"]["id"], "[id-1]");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Alice is disabled, then re-enabled (legacy)"), "alice_is_disabled_then_re_enabled_legacy");
    }
}
