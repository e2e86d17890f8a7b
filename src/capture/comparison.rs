//! A recorded answer and its replay compared like a snapshot: both in their
//! [`StableForm`], with the replay's ids named after the recorded objects they stand for, and
//! a difference shown as a unified diff.

use serde_json::Value;

use crate::transcript::{Exchange, IdPlaceholders, StableForm};

/// Compares the answers of one replay with those of its recording, exchange by exchange.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The recording's ids numbered over the whole recording, then the replay's: a replayed id
    /// mapped to a recorded one takes its placeholder, any other the next one.
    ids: IdPlaceholders,
    /// The recorded target's base URLs, as its `meta.location`s show them.
    recorded_urls: Vec<String>,
    /// The replay target's base URLs: the client's, and those its answers' `meta.location`s
    /// show (a replay through `scimsim record` reaches the target behind the proxy, and its
    /// answers name that target).
    replayed_urls: Vec<String>,
}

impl Comparison {
    /// A comparison of answers from `recording` with a replay against `replayed_base_url`.
    pub fn new(recording: &[Exchange], replayed_base_url: &str) -> Self {
        let mut recorded_urls: Vec<String> = Vec::new();
        add_urls(&mut recorded_urls, recording.iter().flat_map(base_urls));
        Self {
            ids: IdPlaceholders::of_responses(recording),
            recorded_urls,
            replayed_urls: vec![replayed_base_url.to_string()],
        }
    }

    /// Notes that the replay's `new` id stands for the recording's `old` one (an [`IdMap`]
    /// pair), so both read as the same placeholder.
    ///
    /// [`IdMap`]: crate::target::IdMap
    pub fn same_object(&mut self, old: &str, new: &str) {
        self.ids.alias(new, old);
    }

    /// `None` when `replayed` got the answer `recorded` did, else the unified diff of the two
    /// answers (`-` recorded, `+` replayed).
    pub fn diff(&mut self, recorded: &Exchange, replayed: &Exchange) -> Option<String> {
        self.ids.number_response(replayed);
        add_urls(&mut self.replayed_urls, base_urls(replayed));
        let expected = StableForm { ids: &self.ids, target_urls: &self.recorded_urls, renames: &[] }.response(recorded);
        let actual = StableForm { ids: &self.ids, target_urls: &self.replayed_urls, renames: &[] }.response(replayed);
        if expected == actual {
            return None;
        }
        let (expected, actual) = (pretty(&expected), pretty(&actual));
        let diff = similar::TextDiff::from_lines(&expected, &actual);
        Some(diff.unified_diff().context_radius(3).header("recorded", "replayed").to_string())
    }
}

/// A stable form as indented lines, each ending in a newline (so the last line diffs
/// cleanly), keys sorted: two targets may order a resource's attributes differently, which
/// JSON does not count as a difference and the diff should not show as one.
fn pretty(value: &Value) -> String {
    // A Value has string keys only, so it always serializes.
    let mut text = serde_json::to_string_pretty(&sorted(value)).unwrap_or_default();
    text.push('\n');
    text
}

/// `value` with the keys of every object in order.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(fields) => {
            let mut keys: Vec<&String> = fields.keys().collect();
            keys.sort();
            Value::Object(keys.into_iter().map(|key| (key.clone(), sorted(&fields[key]))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// Adds the `urls` not known yet, keeping the longest first, so a base URL that extends another
/// is replaced whole.
fn add_urls(known: &mut Vec<String>, urls: impl IntoIterator<Item = String>) {
    for url in urls {
        if !known.contains(&url) {
            known.push(url);
        }
    }
    known.sort_by_key(|url| std::cmp::Reverse(url.len()));
}

/// The base URLs an exchange's answer shows: a resource's `meta.location` is the base URL,
/// the endpoint and the id (`https://h/scim/v2` + `/Users` + `/8f3c…`).
fn base_urls(exchange: &Exchange) -> Vec<String> {
    let Some(body) = exchange.response.as_ref().and_then(|r| r.body.as_ref()) else { return Vec::new() };
    let resources = body.get("Resources").and_then(Value::as_array).into_iter().flatten();
    std::iter::once(body)
        .chain(resources)
        .filter_map(|resource| {
            let id = resource.get("id")?.as_str()?;
            let location = resource.get("meta")?.get("location")?.as_str()?;
            let endpoint = location.strip_suffix(id)?.strip_suffix('/')?;
            let (base, _endpoint) = endpoint.rsplit_once('/')?;
            Some(base.to_string()).filter(|base| base.contains("://"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    fn created(base: &str, id: &str, extra: Option<(&str, Value)>) -> Exchange {
        let mut body = json!({"id": id, "userName": "alice", "meta": {"resourceType": "User",
            "created": "2026-11-22T13:19:33.380Z", "location": format!("{base}/Users/{id}")}});
        if let Some((key, value)) = extra {
            // Another target: its own attribute order, and one attribute more.
            let fields = body.as_object_mut().unwrap();
            let user_name = fields.shift_remove("userName").unwrap();
            fields.insert(key.into(), value);
            fields.insert("userName".into(), user_name);
        }
        let mut exchange = Exchange::answered("POST", "/Users", 201, Some(body));
        if let Some(response) = &mut exchange.response {
            response.headers = BTreeMap::from([("location".into(), format!("{base}/Users/{id}"))]);
        }
        exchange
    }

    #[test]
    fn the_same_answer_from_another_target_is_identical() {
        let recorded = created("https://scim.example.com/v2", "8f3c", None);
        let replayed = created("http://127.0.0.1:4000/scim/v2", "00u1", None);
        let mut comparison = Comparison::new(std::slice::from_ref(&recorded), "http://127.0.0.1:4000/scim/v2");
        assert_eq!(comparison.recorded_urls, ["https://scim.example.com/v2"]);
        comparison.same_object("8f3c", "00u1");
        assert_eq!(comparison.diff(&recorded, &replayed), None);
    }

    #[test]
    fn answers_through_a_proxy_name_the_target_behind_it() {
        let recorded = created("https://scim.example.com/v2", "8f3c", None);
        let replayed = created("http://127.0.0.1:4000/scim/v2", "00u1", None);
        let mut comparison = Comparison::new(std::slice::from_ref(&recorded), "http://127.0.0.1:8099");
        comparison.same_object("8f3c", "00u1");
        assert_eq!(comparison.diff(&recorded, &replayed), None);
        assert_eq!(comparison.replayed_urls, ["http://127.0.0.1:4000/scim/v2", "http://127.0.0.1:8099"]);
    }

    #[test]
    fn a_difference_is_a_unified_diff_of_the_changed_field() {
        let recorded = created("https://h/scim", "8f3c", None);
        let roles = json!([{"value": "member"}]);
        let replayed = created("http://127.0.0.1:4000/scim", "00u1", Some(("roles", roles)));
        let mut comparison = Comparison::new(std::slice::from_ref(&recorded), "http://127.0.0.1:4000/scim");
        let diff = comparison.diff(&recorded, &replayed).expect("the answers differ");
        assert!(diff.starts_with("--- recorded\n+++ replayed\n"), "{diff}");
        assert!(diff.contains("+    \"roles\": ["), "{diff}");
        assert!(diff.contains("-    \"id\": \"[id-1]\"") && diff.contains("+    \"id\": \"[id-2]\""), "{diff}");
        let changed = diff.lines().filter(|line| line.starts_with(['-', '+']) && line.contains("userName")).count();
        assert_eq!(changed, 0, "attributes in another order are no difference: {diff}");
    }
}
