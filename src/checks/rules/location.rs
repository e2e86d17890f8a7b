//! The URI of a created resource (RFC 7644 §3.3): it SHALL be in the `Location` header and in
//! the body's `meta.location`, so the two agree.

use serde_json::Value;

use crate::checks::{Check, Judged, Observation, Severity};

use super::lookup::{body_pointer, header_pointer, member, response_header, response_object};
use super::operation::Operation;
use super::outcome::{Failure, each_answered, request_line};

/// A 201 carries a `Location` header equal to `meta.location`.
pub(super) const LOCATION_ON_201: Check = Check {
    id: "LOCATION-ON-201",
    title: "A 201 Created carries a Location header equal to the body's meta.location",
    severity: Severity::Must,
    source: rfc!(7644, "3.3"),
    rule: location_on_201,
};

/// Whether `header` names the same URI as `meta_location`: equal, or a relative reference
/// (RFC 9110 §10.2.2 allows one) to its path.
fn same_uri(header: &str, meta_location: &str) -> bool {
    header == meta_location || (header.starts_with('/') && meta_location.ends_with(header))
}

fn location_on_201(judged: &Judged<'_>) -> Vec<Observation> {
    each_answered(judged, |exchange, response| {
        if response.status != 201 || !matches!(Operation::of(&exchange.request), Operation::Create { .. }) {
            return None;
        }
        let Some(header) = response_header(exchange, "location") else {
            return Some(Err(Failure::at(
                header_pointer("location"),
                format!(
                    "{} answered 201 without a Location header; RFC 7644 §3.3 requires the created resource's URI in it",
                    request_line(exchange)
                ),
            )));
        };
        let meta = response_object(exchange).and_then(|body| member(body, "meta"));
        let location = meta.and_then(|(meta_key, meta)| {
            member(meta, "location").map(|(key, value)| (body_pointer(&[meta_key, key]), value))
        });
        Some(match location {
            Some((pointer, Value::String(location))) if !same_uri(header, location) => Err(Failure::at(
                pointer,
                format!(
                    "{} answered Location {header} but meta.location {location}; RFC 7644 §3.3 requires the same URI in both",
                    request_line(exchange)
                ),
            )),
            Some((pointer, value)) if !value.is_string() && !value.is_null() => Err(Failure::at(
                pointer,
                format!("{} answered meta.location {value}, not a URI string", request_line(exchange)),
            )),
            _ => Ok(()),
        })
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::rules::test_exchange::{Traffic, fails_at, not_applicable, passes};

    const URI: &str = "https://scim.example.com/v2/Users/1";

    #[test]
    fn a_201_names_the_resource_in_location_and_meta() {
        let mut traffic = Traffic::okta();
        traffic.post("/Users", json!({})).answer(200, json!({}));
        not_applicable(&traffic.judge(&LOCATION_ON_201));
        traffic.post("/Users", json!({})).answer(201, json!({"meta": {"location": URI}})).header("location", URI);
        traffic
            .post("/Groups", json!({}))
            .answer(201, json!({"Meta": {"Location": URI}}))
            .header("location", "/v2/Users/1");
        traffic.post("/Groups", json!({})).answer(201, None).header("location", URI);
        passes(&traffic.judge(&LOCATION_ON_201));
    }

    #[test]
    fn a_missing_or_different_location_fails() {
        let mut traffic = Traffic::entra();
        traffic.post("/Users", json!({})).answer(201, json!({"meta": {"location": URI}}));
        traffic
            .post("/Users", json!({}))
            .answer(201, json!({"meta": {"Location": URI}}))
            .header("location", "/Users/2");
        traffic.post("/Users", json!({})).answer(201, json!({"meta": {"location": 7}})).header("location", URI);
        let observations = traffic.judge(&LOCATION_ON_201);
        assert!(fails_at(&observations, 1, "/response/headers/location").contains("without a Location header"));
        assert!(fails_at(&observations, 2, "/response/body/meta/Location").contains("same URI"));
        assert!(fails_at(&observations, 3, "/response/body/meta/location").contains("not a URI string"));
    }
}
