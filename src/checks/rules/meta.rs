//! Resource metadata (RFC 7643 §3.1): the common attribute `meta` MUST be defined for every
//! resource and its sub-attributes are returned by default, so every represented resource
//! carries `meta.resourceType`, `meta.created`, `meta.lastModified` (xsd:dateTime values,
//! RFC 7643 §2.3.5) and `meta.location` — unless the request's `attributes` or
//! `excludedAttributes` left `meta` out. `meta.version` belongs to ETags ([`super::etag`]).

use serde_json::Value;

use crate::checks::{Check, Judged, Observation, Severity};
use crate::scim::parse_date_time;

use super::lookup::{body_pointer, member};
use super::outcome::{Failure, each_answered, request_line};
use super::representation::{Representation, representations};
use super::request_query::leaves_out;

/// Every represented resource carries its `meta` fields.
pub(super) const META_FIELDS: Check = Check {
    id: "META-FIELDS",
    title: "Every resource an answer represents carries meta.resourceType, created, lastModified and location",
    severity: Severity::Must,
    source: rfc!(7643, "3.1"),
    rule: meta_fields,
};

/// The `meta` sub-attributes every resource carries, and whether each is a date-time.
const FIELDS: [(&str, bool); 4] =
    [("resourceType", false), ("created", true), ("lastModified", true), ("location", false)];

/// What is wrong with `representation`'s `meta`: the pointer segments and a description.
fn flaw(representation: &Representation<'_>) -> Option<(Vec<String>, String)> {
    let Some((meta_key, meta)) = member(representation.resource, "meta") else {
        return Some((representation.segments_to(&["meta"]), "no meta".to_string()));
    };
    FIELDS.iter().find_map(|&(name, date_time)| {
        let (segments, value) = match member(meta, name) {
            Some((key, value)) => (representation.segments_to(&[meta_key, key]), Some(value)),
            None => (representation.segments_to(&[meta_key, name]), None),
        };
        let fine = match value {
            Some(Value::String(text)) => !text.is_empty() && (!date_time || parse_date_time(text).is_some()),
            _ => false,
        };
        let kind = if date_time { "an xsd:dateTime" } else { "a non-empty string" };
        (!fine).then(|| (segments, format!("meta.{name} {}, not {kind}", super::lookup::shown(value))))
    })
}

fn meta_fields(judged: &Judged<'_>) -> Vec<Observation> {
    each_answered(judged, |exchange, _| {
        let resources = representations(exchange);
        if resources.is_empty() || leaves_out(&exchange.request, "meta") {
            return None;
        }
        Some(resources.iter().find_map(flaw).map_or(Ok(()), |(segments, what)| {
            Err(Failure::at(
                body_pointer(&segments),
                format!(
                    "{} answered a resource with {what}; RFC 7643 §3.1 requires meta.resourceType, created, lastModified and location",
                    request_line(exchange)
                ),
            ))
        }))
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::rules::test_exchange::{Traffic, fails_at, not_applicable, passes};

    fn meta() -> Value {
        json!({"resourceType": "User", "created": "2026-01-01T00:00:00Z",
               "lastModified": "2026-01-02T00:00:00.123Z", "location": "https://x/Users/1"})
    }

    #[test]
    fn resources_carry_their_metadata() {
        let mut traffic = Traffic::entra();
        traffic.post("/Users", json!({})).answer(201, json!({"id": "1", "meta": meta()}));
        traffic.get("/Users").answer(200, json!({"Resources": [{"id": "1", "Meta": meta()}]}));
        traffic.get("/Users").query("attributes=userName").answer(200, json!({"Resources": [{"id": "1"}]}));
        traffic.get("/Users/1").query("excludedAttributes=meta").answer(200, json!({"id": "1"}));
        passes(&traffic.judge(&META_FIELDS));
        assert_eq!(traffic.judge(&META_FIELDS).len(), 2);
    }

    #[test]
    fn a_missing_or_malformed_field_fails() {
        let mut traffic = Traffic::okta();
        traffic.get("/Users/1").answer(404, json!({}));
        not_applicable(&traffic.judge(&META_FIELDS));
        let mut bad_date = meta();
        bad_date["created"] = json!("yesterday");
        let mut no_location = meta();
        no_location.as_object_mut().unwrap().remove("location");
        traffic.get("/Users/1").answer(200, json!({"id": "1"}));
        traffic.put("/Users/1", json!({})).answer(200, json!({"id": "1", "meta": bad_date}));
        traffic.get("/Groups").answer(200, json!({"Resources": [{"id": "1", "meta": meta()}, {"meta": no_location}]}));
        let observations = traffic.judge(&META_FIELDS);
        assert!(fails_at(&observations, 2, "/response/body/meta").contains("with no meta"));
        assert!(
            fails_at(&observations, 3, "/response/body/meta/created").contains("\"yesterday\", not an xsd:dateTime")
        );
        assert!(fails_at(&observations, 4, "/response/body/Resources/1/meta/location").contains("nothing"));
    }
}
