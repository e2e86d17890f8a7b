//! The ids of users and groups a recording names, and how the recording came to know each:
//! a replay that has no object for one says why instead of sending a request that can only
//! meet a 404.

use std::collections::HashMap;
use std::fmt;

use serde_json::Value;

use super::wire_normalizer::collection_path;
use crate::target::CreatedObject;
use crate::transcript::Exchange;

/// How a recording came to know an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A `201` to a create returned it.
    Created {
        /// The exchange that created it.
        seq: u64,
        /// `POST /Users`.
        request: String,
    },
    /// An answer held it without creating it: the IdP matched an object that was on the
    /// recorded target already (Entra's and Okta's `GET /Users?filter=userName eq "…"`).
    Found {
        /// The exchange whose answer held it first.
        seq: u64,
        /// `GET /Users?filter=…`.
        request: String,
    },
    /// A request named it before any answer held it: the IdP knew it from before the
    /// recording began.
    Known {
        /// The first exchange naming it.
        seq: u64,
    },
}

impl fmt::Display for Origin {
    /// Why a replay may have no object for the id.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Created { seq, request } => {
                write!(f, "the recording created it at #{seq} ({request}), and here that request created nothing")
            }
            Self::Found { seq, request } => write!(
                f,
                "the recording found it on the recorded target at #{seq} ({request}), and here that request found no \
                 single object; create the object on this target first, or record against an empty target"
            ),
            Self::Known { seq } => write!(
                f,
                "it was on the recorded target before the recording began (#{seq} is the first exchange naming it); \
                 create the object on this target first, or record from the moment the IdP creates it"
            ),
        }
    }
}

/// Every user and group id of a recording, with its [`Origin`].
#[derive(Debug, Clone, Default)]
pub struct RecordedIds {
    origins: HashMap<String, Origin>,
}

impl RecordedIds {
    /// The ids `recording` names: those its creates returned, those in answers to requests on
    /// `/Users` and `/Groups` (a resource, or a list's resources), and those in the paths of
    /// requests the recorded target answered with success (a request that met a 404 there
    /// named nothing, and sent unchanged meets a 404 again).
    pub fn of(recording: &[Exchange]) -> Self {
        let mut ids = Self::default();
        for exchange in recording {
            let request = &exchange.request;
            let label = label(exchange);
            let Some(response) = &exchange.response else { continue };
            // A recording through a Tenant URL with a path has it in front of the collection.
            let path = collection_path(&request.path);
            let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
            let on_objects =
                segments.first().is_some_and(|s| s.eq_ignore_ascii_case("Users") || s.eq_ignore_ascii_case("Groups"));
            if !on_objects {
                continue;
            }
            if let Some(id) = segments.get(1).filter(|id| !id.starts_with('.') && !id.is_empty())
                && (200..300).contains(&response.status)
            {
                ids.note(id, Origin::Known { seq: exchange.seq });
            }
            let body = response.body.as_ref();
            if let Some(created) = CreatedObject::of(&request.method, &request.path, response.status, body) {
                ids.note(&created.id, Origin::Created { seq: exchange.seq, request: label.clone() });
            }
            let resources = body.and_then(|b| b.get("Resources")).and_then(Value::as_array).into_iter().flatten();
            for resource in body.into_iter().chain(resources) {
                if let Some(id) = resource.get("id").and_then(Value::as_str).filter(|id| !id.is_empty()) {
                    ids.note(id, Origin::Found { seq: exchange.seq, request: label.clone() });
                }
            }
        }
        ids
    }

    /// Whether the recording names `id` as a user's or group's.
    pub fn contains(&self, id: &str) -> bool {
        self.origins.contains_key(id)
    }

    /// How the recording came to know `id`.
    pub fn origin(&self, id: &str) -> Option<&Origin> {
        self.origins.get(id)
    }

    /// Keeps the first origin of an id.
    fn note(&mut self, id: &str, origin: Origin) {
        self.origins.entry(id.to_string()).or_insert(origin);
    }
}

/// `METHOD path?query` of an exchange's request.
pub(super) fn label(exchange: &Exchange) -> String {
    let request = &exchange.request;
    match &request.query {
        Some(query) => format!("{} {}?{query}", request.method, request.path),
        None => format!("{} {}", request.method, request.path),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn exchange(seq: u64, method: &str, path: &str, status: u16, body: Option<Value>) -> Exchange {
        Exchange { seq, ..Exchange::answered(method, path, status, body) }
    }

    #[test]
    fn each_id_keeps_how_the_recording_first_met_it() {
        let recording = [
            exchange(1, "GET", "/Users", 200, Some(json!({"Resources": [{"id": "bob"}]}))),
            exchange(2, "POST", "/Users", 201, Some(json!({"id": "alice"}))),
            exchange(3, "PATCH", "/Users/carol", 204, None),
            exchange(4, "GET", "/Users/gone", 404, Some(json!({"status": "404"}))),
            exchange(5, "GET", "/Schemas", 200, Some(json!({"Resources": [{"id": "urn:x"}]}))),
            exchange(6, "GET", "/Users/alice", 200, Some(json!({"id": "alice"}))),
            exchange(7, "PATCH", "/scim/v2/Groups/dave", 204, None),
        ];
        let ids = RecordedIds::of(&recording);
        assert!(matches!(ids.origin("bob"), Some(Origin::Found { seq: 1, .. })));
        assert_eq!(ids.origin("alice"), Some(&Origin::Created { seq: 2, request: "POST /Users".into() }));
        assert_eq!(ids.origin("carol"), Some(&Origin::Known { seq: 3 }));
        assert!(!ids.contains("gone"), "a 404 named nothing");
        assert_eq!(ids.origin("dave"), Some(&Origin::Known { seq: 7 }), "behind a base path too");
        assert!(!ids.contains("urn:x"), "schemas are not objects");
        assert!(ids.origin("carol").unwrap().to_string().contains("before the recording began"));
    }
}
