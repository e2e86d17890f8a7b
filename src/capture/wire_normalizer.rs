//! Puts a recording and scimsim's own traffic into a form where they can be compared request
//! by request: the values that differ between any two runs of the same story (target ids,
//! generated GUIDs and Okta ids, timestamps, the target's host, a run's name prefix, Okta's
//! random create password) are replaced by stable placeholders, and the headers a tunnel or
//! proxy adds on the way are left out.
//!
//! Target ids become the object they name: `{user:alice@contoso.com}`, `{group:Sales}`, learnt
//! from the `201` a `POST` got back and from a filter `GET` that found exactly one object. Both
//! sides name their objects by the same `userName` / `displayName`, so the same object gets
//! the same placeholder in the recording and in scimsim's traffic.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::target::{CreatedObject, found_object};
use crate::transcript::{Exchange, IdPlaceholders, TIMESTAMP, redact_meta, replace_strings};

/// Headers a transport adds, not the IdP: a tunnel's or proxy's forwarding headers, framing
/// and connection management. They are not compared.
const TRANSPORT_HEADERS: [&str; 10] = [
    "host",
    "content-length",
    "connection",
    "transfer-encoding",
    "keep-alive",
    "forwarded",
    "via",
    "x-real-ip",
    "cdn-loop",
    "traceparent",
];

/// Prefixes of header names a tunnel adds (ngrok, Cloudflare, reverse proxies).
const TRANSPORT_HEADER_PREFIXES: [&str; 3] = ["x-forwarded-", "cf-", "ngrok-"];

fn pattern(text: &str) -> Regex {
    // The patterns below are constants, exercised by this module's tests.
    Regex::new(text).unwrap_or_else(|e| panic!("pattern {text}: {e}"))
}

static GUID: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"));
/// Okta's object ids: `00u…` users, `00g…` groups, 20 characters (okta-wire.md §1.3).
static OKTA_ID: LazyLock<Regex> = LazyLock::new(|| pattern(r"\b00[a-z][0-9A-Za-z]{17}\b"));
/// A URL up to a SCIM collection: the target's host and base path differ between runs.
static BASE_URL: LazyLock<Regex> = LazyLock::new(|| pattern(r"https?://[^\s\x22]*?/(Users|Groups)\b"));

/// One request in comparable form.
#[derive(Debug, Clone, PartialEq)]
pub struct NormalizedRequest {
    /// The exchange's `seq` in its own transcript.
    pub seq: u64,
    /// The HTTP method, upper-case.
    pub method: String,
    /// The path from the SCIM collection on (`/Users/{user:alice}`), whatever base path the
    /// recording's Tenant URL had.
    pub path: String,
    /// The query string, placeholders in.
    pub query: Option<String>,
    /// The IdP's headers (transport headers left out), placeholders in.
    pub headers: BTreeMap<String, String>,
    /// The body, placeholders in.
    pub body: Option<Value>,
}

impl NormalizedRequest {
    /// The path with every placeholder written `{id}`: `PATCH /Users/{id}` lines up with its
    /// counterpart even when the two sides named the object differently.
    pub fn shape(&self) -> String {
        let mut shape = String::new();
        for (i, segment) in self.path.split('/').enumerate() {
            if i > 0 {
                shape.push('/');
            }
            shape.push_str(if segment.starts_with('{') { "{id}" } else { segment });
        }
        shape
    }

    /// `METHOD path`, as a difference is headed.
    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// The placeholders of one transcript.
#[derive(Debug, Clone, Default)]
pub struct WireNormalizer {
    /// Target ids, each named after the object it is (`{user:alice@contoso.com}`).
    ids: IdPlaceholders,
    /// The name prefix of the run that produced the transcript (scimsim's own runs).
    run_prefix: Option<String>,
}

impl WireNormalizer {
    /// Learns the target ids of `exchanges`; `run_prefix` is the prefix a scimsim run gave
    /// the names of its objects (`s1a2b3c4d-0-`), `None` for a recording.
    pub fn new(exchanges: &[Exchange], run_prefix: Option<String>) -> Self {
        let mut normalizer = Self { ids: IdPlaceholders::new(), run_prefix };
        for exchange in exchanges {
            if let Some((id, placeholder)) = normalizer.object_named(exchange) {
                normalizer.ids.name(&id, &placeholder);
            }
        }
        normalizer
    }

    /// The id an exchange reveals and its placeholder: a create's `201`
    /// ([`CreatedObject`]), or the single object a filter found ([`found_object`]).
    fn object_named(&self, exchange: &Exchange) -> Option<(String, String)> {
        let response = exchange.response.as_ref()?;
        let request = &exchange.request;
        let (status, body) = (response.status, response.body.as_ref());
        if let Some(created) = CreatedObject::of(&request.method, &request.path, status, body) {
            return Some((created.id, self.object_name(created.endpoint, request.body.as_ref()?)?));
        }
        let found = found_object(request, status, body)?;
        let endpoint = if collection_path(&request.path).starts_with("/Groups") { "Groups" } else { "Users" };
        Some((found.get("id")?.as_str()?.to_string(), self.object_name(endpoint, found)?))
    }

    /// `{user:<userName>}` or `{group:<displayName>}` for a resource body.
    fn object_name(&self, endpoint: &str, body: &Value) -> Option<String> {
        let (kind, key) = if endpoint == "Groups" { ("group", "displayName") } else { ("user", "userName") };
        let name = body.get(key)?.as_str()?;
        Some(format!("{{{kind}:{}}}", self.strip_prefix(name)))
    }

    fn strip_prefix(&self, text: &str) -> String {
        match &self.run_prefix {
            Some(prefix) => text.replace(prefix.as_str(), ""),
            None => text.to_string(),
        }
    }

    /// A string with every volatile part replaced by its placeholder.
    pub fn text(&self, text: &str) -> String {
        let text = self.ids.replace_in(&self.strip_prefix(text));
        let text = BASE_URL.replace_all(&text, "{base}/$1");
        let text = GUID.replace_all(&text, "{guid}");
        let text = OKTA_ID.replace_all(&text, "{okta-id}");
        match TIMESTAMP.as_ref() {
            Ok(timestamp) => timestamp.replace_all(&text, "{time}").into_owned(),
            Err(_) => text.into_owned(),
        }
    }

    /// A JSON body with server-set `meta` values and passwords hidden, and every string and key
    /// passed through [`text`](Self::text).
    fn body(&self, body: &Value) -> Value {
        let mut body = body.clone();
        redact_meta(&mut body);
        hide_passwords(&mut body);
        replace_strings(&body, &|text| self.text(text))
    }

    /// The request of `exchange` in comparable form.
    pub fn request(&self, exchange: &Exchange) -> NormalizedRequest {
        let request = &exchange.request;
        let headers = request
            .headers
            .iter()
            .filter(|(name, _)| !is_transport_header(name))
            .map(|(name, value)| (name.clone(), self.text(value)))
            .collect();
        NormalizedRequest {
            seq: exchange.seq,
            method: request.method.to_ascii_uppercase(),
            path: self.text(&collection_path(&request.path)),
            query: request.query.as_deref().map(|q| self.text(q)),
            headers,
            body: request.body.as_ref().map(|b| self.body(b)),
        }
    }
}

/// Okta's create and PUT carry a random password (okta-wire.md §1.3): its value differs on
/// every run.
fn hide_passwords(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            for (key, item) in fields.iter_mut() {
                if key == "password" {
                    *item = Value::String("{password}".into());
                } else {
                    hide_passwords(item);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(hide_passwords),
        _ => {}
    }
}

/// Whether a tunnel or the HTTP stack, not the IdP, put `name` on the request.
fn is_transport_header(name: &str) -> bool {
    TRANSPORT_HEADERS.contains(&name) || TRANSPORT_HEADER_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The path from its SCIM collection on: `/scim/v2/Users/42` → `/Users/42`. A Tenant URL with
/// a base path puts it in front of every recorded path; the engine's paths have none.
pub fn collection_path(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').collect();
    let start = segments
        .iter()
        .rposition(|s| ["Users", "Groups"].iter().any(|c| c.eq_ignore_ascii_case(s)))
        // `/Users/Users` (a user whose id is "Users") keeps its collection: take the first of
        // two adjacent collection segments.
        .map(|i| {
            if i > 0 && ["Users", "Groups"].iter().any(|c| c.eq_ignore_ascii_case(segments[i - 1])) { i - 1 } else { i }
        });
    match start {
        Some(i) => format!("/{}", segments[i..].join("/")),
        None => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn exchange(method: &str, path: &str, body: Option<Value>, status: u16, answer: Option<Value>) -> Exchange {
        let mut exchange = Exchange::answered(method, path, status, answer);
        exchange.request.body = body;
        exchange.request.headers = BTreeMap::from([
            ("host".into(), "tunnel.example".into()),
            ("x-forwarded-for".into(), "40.126.25.32".into()),
            (
                "adscimversion".into(),
                "Date:2026-01-01T00:40:00.000Z, ActivityId:3f373fc8-4e3c-4436-81c2-33979ef0584b".into(),
            ),
        ]);
        exchange
    }

    #[test]
    fn ids_become_the_objects_they_name_and_volatile_values_go() {
        let created = exchange(
            "POST",
            "/scim/Users",
            Some(json!({"userName": "s0a1b2c3d-1f-alice@contoso.com"})),
            201,
            Some(json!({"id": "48af03ac28ad4fb88478"})),
        );
        let patch = exchange(
            "PATCH",
            "/scim/Users/48af03ac28ad4fb88478",
            Some(json!({"Operations": [{"value": [{"value": "48af03ac28ad4fb88478"}]}],
                        "meta": {"resourceType": "User", "created": "2026-01-01T00:00:00Z"},
                        "password": "1mz050nq",
                        "externalId": "00ujl29u0le5T6Aj10h7",
                        "ref": "https://api.contoso.com/scim/v2/Users/48af03ac28ad4fb88478"})),
            200,
            None,
        );
        let normalizer = WireNormalizer::new(&[created, patch.clone()], Some("s0a1b2c3d-1f-".into()));
        let request = normalizer.request(&patch);
        assert_eq!(request.path, "/Users/{user:alice@contoso.com}");
        assert_eq!(request.shape(), "/Users/{id}");
        assert_eq!(
            request.body.unwrap(),
            json!({"Operations": [{"value": [{"value": "{user:alice@contoso.com}"}]}],
                   "meta": {"resourceType": "User", "created": "[timestamp]"},
                   "password": "{password}",
                   "externalId": "{okta-id}",
                   "ref": "{base}/Users/{user:alice@contoso.com}"})
        );
        assert_eq!(
            request.headers,
            BTreeMap::from([("adscimversion".into(), "Date:{time}, ActivityId:{guid}".into())]),
            "the tunnel's headers are left out"
        );
    }

    #[test]
    fn a_filter_that_found_one_object_names_its_id() {
        let found = exchange(
            "GET",
            "/Groups",
            None,
            200,
            Some(json!({"Resources": [{"id": "g-7", "displayName": "Sales"}], "totalResults": 1})),
        );
        let mut found = found;
        found.request.query = Some("filter=displayName+eq+%22Sales%22".into());
        let delete = exchange("DELETE", "/Groups/g-7", None, 204, None);
        let normalizer = WireNormalizer::new(&[found, delete.clone()], None);
        assert_eq!(normalizer.request(&delete).path, "/Groups/{group:Sales}");
    }

    #[test]
    fn the_collection_is_found_behind_any_base_path() {
        assert_eq!(collection_path("/scim/v2/Users/42"), "/Users/42");
        assert_eq!(collection_path("/Groups"), "/Groups");
        assert_eq!(collection_path("/api/Users/Users"), "/Users/Users");
        assert_eq!(collection_path("/ServiceProviderConfig"), "/ServiceProviderConfig");
    }
}
