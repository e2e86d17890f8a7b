//! The query a request asked for (RFC 7644 §3.4.2, §3.4.3, §3.9): the URL parameters of a GET,
//! or the `SearchRequest` body of a `POST …/.search`, read with the SCIM vocabulary's parser.

use crate::scim::{AttrPath, ListQuery};
use crate::transcript::RecordedRequest;

/// The parameters of `request`: its URL query, or for a POST its SearchRequest body. `None`
/// when they do not parse (the server judges that request; the rules do not second-guess it).
pub(super) fn list_query(request: &RecordedRequest) -> Option<ListQuery> {
    if request.method.eq_ignore_ascii_case("POST") {
        return ListQuery::from_search_request(request.body.as_ref()?).ok();
    }
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(request.query.as_deref().unwrap_or_default().as_bytes()).into_owned().collect();
    ListQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).ok()
}

/// Whether the request's `attributes` / `excludedAttributes` (RFC 7644 §3.9) leave the
/// attribute `name` out of the answer, so its absence says nothing.
pub(super) fn leaves_out(request: &RecordedRequest, name: &str) -> bool {
    let Some(query) = list_query(request) else { return false };
    let named = |paths: &[AttrPath]| paths.iter().any(|p| p.name.eq_ignore_ascii_case(name) || p.spells_urn(name));
    (!query.attributes.is_empty() && !named(&query.attributes)) || named(&query.excluded_attributes)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::rules::test_exchange::request;
    use crate::scim::urn;

    fn get(query: &str) -> RecordedRequest {
        RecordedRequest { query: Some(query.to_string()), ..request("GET", "/Users") }
    }

    #[test]
    fn reads_url_parameters_and_search_bodies() {
        let query = list_query(&get("filter=userName+eq+%22a%40b%22&startIndex=3&count=2")).unwrap();
        assert_eq!((query.start_index, query.count), (3, Some(2)));
        assert_eq!(query.filter.unwrap().to_string(), r#"userName eq "a@b""#);
        let search = RecordedRequest {
            body: Some(json!({"schemas": [urn::SEARCH_REQUEST], "count": 5})),
            ..request("POST", "/Users/.search")
        };
        assert_eq!(list_query(&search).unwrap().count, Some(5));
        assert!(list_query(&get("filter=userName+eq")).is_none());
        assert_eq!(list_query(&request("GET", "/Users")).unwrap().start_index, 1);
    }

    #[test]
    fn projections_leave_attributes_out() {
        assert!(leaves_out(&get("excludedAttributes=members"), "Members"));
        assert!(!leaves_out(&get("excludedAttributes=members"), "displayName"));
        assert!(leaves_out(&get("attributes=userName"), "meta"));
        assert!(!leaves_out(&get("attributes=userName,meta"), "meta"));
        assert!(!leaves_out(&request("GET", "/Users/1"), "meta"));
    }
}
