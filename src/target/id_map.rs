//! Recorded requests sent again to another target: the id the recorded target gave an object
//! mapped to the id the new target gave the same object, so a later request reaches it there.
//! `scimsim replay` maps a whole recording; `scimsim load --baseline` maps within a batch.
//!
//! An id stands in a request as a path segment (`/Users/<id>`), in the query (a filter's
//! quoted value, `filter=id%20eq%20%22<id>%22`, or a whole parameter value), and in the body
//! (a string equal to it, as a group's `members[].value`, or quoted or as a path segment
//! inside one: `members[value eq "<id>"]`, a `$ref` URL). Only whole tokens are mapped, so an
//! id that happens to be part of a longer word is left alone.

use std::borrow::Cow;
use std::collections::HashMap;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde_json::Value;

use super::{CreatedObject, found_object};
use crate::transcript::{Exchange, RecordedRequest};

/// What a mapped id is percent-encoded with in a path or query: everything but RFC 3986's
/// unreserved characters, so it reads the same to any server.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Where an id token ends in a query: a quote (raw or encoded) or a parameter's bounds.
const QUERY_DELIMITERS: [&str; 4] = ["\"", "%22", "=", "&"];

/// Where an id token ends inside a body string: a quote (a filter in a PATCH path) or a `/`
/// (a `$ref` or `location` URL).
const BODY_DELIMITERS: [&str; 2] = ["\"", "/"];

/// Recorded ids and the ids another target gave the same objects.
#[derive(Debug, Clone, Default)]
pub struct IdMap {
    /// Recorded id → new id.
    ids: HashMap<String, String>,
}

/// A request part as sent: ids in a path segment or query are percent-encoded, in a body they
/// are not.
#[derive(Clone, Copy)]
enum Part {
    Path,
    Query,
    Body,
}

impl IdMap {
    /// No id mapped yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Maps `recorded` to `new` (replacing an earlier mapping of `recorded`).
    pub fn insert(&mut self, recorded: impl Into<String>, new: impl Into<String>) {
        self.ids.insert(recorded.into(), new.into());
    }

    /// The new id of `recorded`.
    pub fn get(&self, recorded: &str) -> Option<&str> {
        self.ids.get(recorded).map(String::as_str)
    }

    /// Learns from the answer the new target gave (`status`, `body`) to the request of
    /// `recorded`: a `201` to a create on both sides maps the recorded object's id to the new
    /// one ([`CreatedObject`]); a filtered search (`GET /Users?filter=…`, `POST
    /// /Users/.search`) that found exactly one object on both sides maps that object's id, as
    /// the IdP then takes it for the same object (Okta's and Entra's match by `userName`),
    /// unless the recorded id is mapped already. Returns the pair learnt.
    pub fn learn(&mut self, recorded: &Exchange, status: u16, body: Option<&Value>) -> Option<(String, String)> {
        let request = &recorded.request;
        let answer = recorded.response.as_ref()?;
        let created = |status, body| CreatedObject::of(&request.method, &request.path, status, body).map(|c| c.id);
        if let (Some(old), Some(new)) = (created(answer.status, answer.body.as_ref()), created(status, body)) {
            self.insert(old.clone(), new.clone());
            return Some((old, new));
        }
        let found = |status, body| found_object(request, status, body)?.get("id")?.as_str();
        let old = found(answer.status, answer.body.as_ref()).filter(|old| !self.ids.contains_key(*old))?;
        let new = found(status, body)?;
        self.insert(old, new);
        Some((old.to_string(), new.to_string()))
    }

    /// `path` with every segment that is a mapped id replaced by its new id.
    pub fn path<'a>(&self, path: &'a str) -> Cow<'a, str> {
        rewrite(path, Part::Path, &mut |id| self.ids.get(id).cloned())
    }

    /// `query` (encoded, without `?`) with every id token mapped, in the query's encoding.
    pub fn query<'a>(&self, query: &'a str) -> Cow<'a, str> {
        rewrite(query, Part::Query, &mut |id| self.ids.get(id).cloned())
    }

    /// `body` with every id token in its strings mapped (object keys are left alone).
    pub fn body(&self, body: &Value) -> Value {
        match body {
            Value::String(text) => {
                Value::String(rewrite(text, Part::Body, &mut |id| self.ids.get(id).cloned()).into_owned())
            }
            Value::Array(items) => Value::Array(items.iter().map(|v| self.body(v)).collect()),
            Value::Object(fields) => Value::Object(fields.iter().map(|(k, v)| (k.clone(), self.body(v))).collect()),
            other => other.clone(),
        }
    }

    /// Whether a string of `body` names a mapped id as [`IdMap::body`] would map it: such a
    /// body must be mapped before it is sent again, any other can go out as it is.
    pub fn maps_body(&self, body: &Value) -> bool {
        let mut found = false;
        each_string(body, &mut |text| {
            if !found {
                rewrite(text, Part::Body, &mut |id| {
                    found |= self.ids.contains_key(id);
                    None
                });
            }
        });
        found
    }

    /// The ids `request` names (in its path, query or body) for which `is_id` holds and that
    /// have no mapping, in order of appearance: sent as they are, they would name nothing on
    /// the new target.
    pub fn unmapped(&self, request: &RecordedRequest, is_id: &dyn Fn(&str) -> bool) -> Vec<String> {
        let mut missing: Vec<String> = Vec::new();
        let mut note = |id: &str| {
            if is_id(id) && !self.ids.contains_key(id) && !missing.iter().any(|m| m == id) {
                missing.push(id.to_string());
            }
            None
        };
        rewrite(&request.path, Part::Path, &mut note);
        if let Some(query) = &request.query {
            rewrite(query, Part::Query, &mut note);
        }
        if let Some(body) = &request.body {
            each_string(body, &mut |text| {
                rewrite(text, Part::Body, &mut note);
            });
        }
        missing
    }
}

/// Calls `f` with every string in `value` (not object keys).
fn each_string(value: &Value, f: &mut dyn FnMut(&str)) {
    match value {
        Value::String(text) => f(text),
        Value::Array(items) => items.iter().for_each(|v| each_string(v, f)),
        Value::Object(fields) => fields.values().for_each(|v| each_string(v, f)),
        _ => {}
    }
}

/// `text` with each id token that `map` gives a new id for replaced by it. Tokens are the
/// path's segments, or the stretches of a query or body string between delimiters; in a path
/// or query they are percent-decoded before `map` sees them and the new id is encoded.
fn rewrite<'a>(text: &'a str, part: Part, map: &mut dyn FnMut(&str) -> Option<String>) -> Cow<'a, str> {
    let delimiters: &[&str] = match part {
        Part::Path => &["/"],
        Part::Query => &QUERY_DELIMITERS,
        Part::Body => &BODY_DELIMITERS,
    };
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let (mut copied, mut token_start, mut at) = (0, 0, 0);
    while at <= bytes.len() {
        let delimiter = if at == bytes.len() {
            Some(0)
        } else {
            delimiters.iter().find(|d| bytes[at..].starts_with(d.as_bytes())).map(|d| d.len())
        };
        let Some(length) = delimiter else {
            at += 1;
            continue;
        };
        // Delimiters are ASCII, so `token_start` and `at` fall on character boundaries.
        let token = &text[token_start..at];
        if !token.is_empty()
            && let Some(new) = map(&decode(token, part))
        {
            let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[copied..token_start]);
            match part {
                Part::Body => out.push_str(&new),
                Part::Path | Part::Query => out.extend(utf8_percent_encode(&new, NOT_UNRESERVED)),
            }
            copied = at;
        }
        at += length.max(1);
        token_start = at;
    }
    match out {
        Some(mut out) => {
            out.push_str(&text[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(text),
    }
}

/// A token as the target reads it: percent-decoded in a path, form-decoded (`+` is a space,
/// as Entra writes it) in a query, as is in a body.
fn decode(token: &str, part: Part) -> Cow<'_, str> {
    match part {
        Part::Body => Cow::Borrowed(token),
        Part::Path if !token.contains('%') => Cow::Borrowed(token),
        Part::Query if !token.contains(['%', '+']) => Cow::Borrowed(token),
        Part::Path => percent_decode_str(token).decode_utf8_lossy(),
        Part::Query => Cow::Owned(percent_decode_str(&token.replace('+', " ")).decode_utf8_lossy().into_owned()),
    }
}

#[cfg(test)]
mod tests {

    use serde_json::json;

    use super::*;

    fn map(pairs: &[(&str, &str)]) -> IdMap {
        let mut ids = IdMap::new();
        for (old, new) in pairs {
            ids.insert(*old, *new);
        }
        ids
    }

    fn exchange(method: &str, path: &str, query: Option<&str>, status: u16, body: Value) -> Exchange {
        let mut exchange = Exchange::answered(method, path, status, Some(body));
        exchange.request.query = query.map(str::to_string);
        exchange
    }

    #[test]
    fn path_segments_are_mapped_whole() {
        let ids = map(&[("u1", "n1"), ("a b@c", "x y")]);
        assert_eq!(ids.path("/Users/u1"), "/Users/n1");
        assert_eq!(ids.path("/Users/u12"), "/Users/u12");
        assert_eq!(ids.path("/Users/a%20b%40c"), "/Users/x%20y");
        assert!(matches!(ids.path("/Groups/g1"), Cow::Borrowed(_)), "nothing mapped, nothing copied");
    }

    #[test]
    fn queries_keep_the_idps_encoding_around_a_mapped_id() {
        let ids = map(&[("u1", "n1"), ("a+b", "c d")]);
        assert_eq!(ids.query("filter=id%20eq%20%22u1%22&startIndex=1"), "filter=id%20eq%20%22n1%22&startIndex=1");
        assert_eq!(ids.query("filter=id+eq+\"u1\""), "filter=id+eq+\"n1\"");
        assert_eq!(
            ids.query("filter=members%5Bvalue%20eq%20%22u1%22%5D&excludedAttributes=members"),
            "filter=members%5Bvalue%20eq%20%22n1%22%5D&excludedAttributes=members"
        );
        assert_eq!(ids.query("filter=userName+eq+%22a%2Bb%22"), "filter=userName+eq+%22c%20d%22");
        assert_eq!(ids.query("id=u1"), "id=n1");
        assert_eq!(ids.query("filter=userName%20eq%20%22u1x%22"), "filter=userName%20eq%20%22u1x%22");
    }

    #[test]
    fn body_strings_equal_to_or_quoting_an_id_are_mapped() {
        let ids = map(&[("u1", "n1"), ("g1", "m1")]);
        let body = json!({
            "members": [{"value": "u1", "$ref": "https://h/scim/Users/u1"}, {"value": "u10"}],
            "Operations": [{"op": "remove", "path": "members[value eq \"u1\"]"}],
            "displayName": "u1 and friends",
            "u1": "key",
        });
        assert_eq!(
            ids.body(&body),
            json!({
                "members": [{"value": "n1", "$ref": "https://h/scim/Users/n1"}, {"value": "u10"}],
                "Operations": [{"op": "remove", "path": "members[value eq \"n1\"]"}],
                "displayName": "u1 and friends",
                "u1": "key",
            })
        );
        assert!(ids.maps_body(&body));
        let unnamed = json!({"members": [{"value": "u10"}], "displayName": "u1 and friends", "u1": "key"});
        assert!(!ids.maps_body(&unnamed), "a longer word, a word in a sentence and a key name no id");
    }

    #[test]
    fn unmapped_ids_are_named_once_in_order() {
        let ids = map(&[("u1", "n1")]);
        let mut request = exchange("PATCH", "/Groups/g1", None, 204, Value::Null).request;
        request.body = Some(json!({"Operations": [{"value": [{"value": "u2"}, {"value": "u1"}, {"value": "u2"}]}]}));
        let known = |id: &str| ["g1", "u1", "u2"].contains(&id);
        assert_eq!(ids.unmapped(&request, &known), ["g1", "u2"]);
        assert!(ids.unmapped(&request, &|_| false).is_empty());
    }

    #[test]
    fn creates_and_single_matches_are_learnt() {
        let mut ids = IdMap::new();
        let post = exchange("POST", "/Users", None, 201, json!({"id": "u1"}));
        assert_eq!(ids.learn(&post, 201, Some(&json!({"id": "n1"}))), Some(("u1".into(), "n1".into())));
        assert_eq!(ids.learn(&post, 409, Some(&json!({"detail": "exists"}))), None);
        let one = |id: &str| json!({"totalResults": 1, "Resources": [{"id": id}]});
        let search = exchange("GET", "/Users", Some("filter=userName%20eq%20%22bob%22"), 200, one("u2"));
        assert_eq!(ids.learn(&search, 200, Some(&one("n2"))), Some(("u2".into(), "n2".into())));
        assert_eq!(ids.learn(&search, 200, Some(&one("n3"))), None, "the first match stands");
        assert_eq!(ids.get("u2"), Some("n2"));
        let two = json!({"Resources": [{"id": "n4"}, {"id": "n5"}]});
        let other = exchange("GET", "/Users", Some("filter=userName%20eq%20%22eve%22"), 200, one("u4"));
        assert_eq!(ids.learn(&other, 200, Some(&two)), None, "two matches are no match");
        let listing = exchange("GET", "/Users", Some("startIndex=1&count=100"), 200, one("u5"));
        assert_eq!(ids.learn(&listing, 200, Some(&one("n5"))), None, "a page of everything matched nothing");
        let posted = exchange("POST", "/Groups/.search", None, 200, one("g1"));
        assert_eq!(ids.learn(&posted, 200, Some(&one("m1"))), Some(("g1".into(), "m1".into())));
    }
}
