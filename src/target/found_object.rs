//! The one object a filtered search found: an IdP that finds exactly one object by its match
//! query (`GET /Users?filter=userName eq "…"`, or `POST /Users/.search`) takes it for the
//! object it looks for (entra-wire.md §1.0, okta-wire.md §1.3). A replay maps the recorded
//! object's id to the new target's on it; `scimsim diff` names the object after it.

use serde_json::Value;

use crate::transcript::RecordedRequest;

/// The resource a filtered search of `request` found, when it was answered `status` 200 with a
/// list of exactly one resource that has a non-empty `id`. The path may carry a base path in
/// front of the collection, as a recording's can.
pub fn found_object<'a>(request: &RecordedRequest, status: u16, body: Option<&'a Value>) -> Option<&'a Value> {
    let mut segments = request.path.trim_end_matches('/').rsplit('/');
    let searched = match (segments.next(), segments.next()) {
        (Some(".search"), Some(collection)) => request.method.eq_ignore_ascii_case("POST") && is_collection(collection),
        (Some(collection), _) => {
            request.method.eq_ignore_ascii_case("GET")
                && request.query.as_deref().is_some_and(|q| q.to_ascii_lowercase().contains("filter="))
                && is_collection(collection)
        }
        _ => false,
    };
    if !searched || status != 200 {
        return None;
    }
    match body?.get("Resources")?.as_array()?.as_slice() {
        [one] if one.get("id").and_then(Value::as_str).is_some_and(|id| !id.is_empty()) => Some(one),
        _ => None,
    }
}

fn is_collection(segment: &str) -> bool {
    segment.eq_ignore_ascii_case("Users") || segment.eq_ignore_ascii_case("Groups")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn search(method: &str, path: &str, query: Option<&str>) -> RecordedRequest {
        let mut request = crate::transcript::Exchange::answered(method, path, 200, None).request;
        request.query = query.map(str::to_string);
        request
    }

    #[test]
    fn only_a_search_that_found_exactly_one_object() {
        let one = json!({"Resources": [{"id": "u1", "userName": "alice"}]});
        let filter = Some("filter=userName+eq+%22alice%22");
        let found = |request: &RecordedRequest, status, body| found_object(request, status, Some(body)).cloned();
        assert_eq!(found(&search("GET", "/Users", filter), 200, &one), Some(one["Resources"][0].clone()));
        assert!(found(&search("GET", "/scim/v2/Groups", filter), 200, &one).is_some(), "behind a base path");
        assert!(found(&search("POST", "/Users/.search", None), 200, &one).is_some());
        assert!(found(&search("GET", "/Users", None), 200, &one).is_none(), "a listing, not a search");
        assert!(found(&search("GET", "/Users", filter), 404, &one).is_none());
        assert!(found(&search("GET", "/Schemas", filter), 200, &one).is_none());
        let two = json!({"Resources": [{"id": "u1"}, {"id": "u2"}]});
        assert!(found(&search("GET", "/Users", filter), 200, &two).is_none());
        assert!(found(&search("GET", "/Users", filter), 200, &json!({"Resources": [{"id": ""}]})).is_none());
    }
}
