//! The `id` of a resource (RFC 7643 §3.1): "Each representation of the resource MUST include a
//! non-empty "id" value", and it "MUST be a stable, non-reassignable identifier that does not
//! change when the same resource is returned in subsequent requests".

use serde_json::Value;

use crate::checks::{Check, Judged, Observation, Severity};

use super::lookup::{body_pointer, member, response_object};
use super::operation::{Operation, ResourceMethod};
use super::outcome::{Failure, each_answered, is_success, request_line};
use super::representation::representations;

/// Every represented resource has a non-empty string `id`.
pub(super) const ID_PRESENT: Check = Check {
    id: "ID-PRESENT",
    title: "Every resource an answer represents has a non-empty string id",
    severity: Severity::Must,
    source: rfc!(7643, "3.1"),
    rule: id_present,
};

/// A resource answered at `/{endpoint}/{id}` has that `id`.
pub(super) const ID_STABLE: Check = Check {
    id: "ID-STABLE",
    title: "A resource keeps its id: the answer for /{endpoint}/{id} carries that id",
    severity: Severity::Must,
    source: rfc!(7643, "3.1"),
    rule: id_stable,
};

fn id_present(judged: &Judged<'_>) -> Vec<Observation> {
    each_answered(judged, |exchange, _| {
        let resources = representations(exchange);
        if resources.is_empty() {
            return None;
        }
        let missing = resources.iter().find_map(|representation| match member(representation.resource, "id") {
            Some((_, Value::String(id))) if !id.is_empty() => None,
            Some((key, value)) => Some((representation.segments_to(&[key]), format!("id {value}"))),
            None => Some((representation.segments_to(&["id"]), "no id".to_string())),
        });
        Some(missing.map_or(Ok(()), |(segments, what)| {
            Err(Failure::at(
                body_pointer(&segments),
                format!(
                    "{} answered a resource with {what}; RFC 7643 §3.1 requires a non-empty string id in every representation",
                    request_line(exchange)
                ),
            ))
        }))
    })
}

fn id_stable(judged: &Judged<'_>) -> Vec<Observation> {
    each_answered(judged, |exchange, response| {
        let operation = Operation::of(&exchange.request);
        let resource = operation.resource()?;
        if !is_success(response.status) || operation.on(ResourceMethod::Delete).is_some() {
            return None;
        }
        let (key, id) = member(response_object(exchange)?, "id")?;
        let id = id.as_str()?;
        Some(if id == resource.id {
            Ok(())
        } else {
            Err(Failure::at(
                body_pointer(&[key]),
                format!(
                    "{} answered a resource with id {id:?}; RFC 7643 §3.1 requires the id {:?} the path names, unchanged",
                    request_line(exchange),
                    resource.id
                ),
            ))
        })
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::rules::test_exchange::{Traffic, fails_at, not_applicable, passes};

    #[test]
    fn every_representation_has_an_id() {
        let mut traffic = Traffic::entra();
        traffic.post("/Users", json!({})).answer(201, json!({"Id": "1"}));
        traffic.get("/Users").answer(200, json!({"Resources": [{"id": "1"}, {"id": "2"}]}));
        traffic.get("/Users/3").answer(404, json!({"status": "404"}));
        passes(&traffic.judge(&ID_PRESENT));
        assert_eq!(traffic.judge(&ID_PRESENT).len(), 2);

        traffic.get("/Users").answer(200, json!({"Resources": [{"id": "1"}, {"userName": "b"}]}));
        traffic.patch("/Users/1", json!([])).answer(200, json!({"id": ""}));
        let observations = traffic.judge(&ID_PRESENT);
        assert!(fails_at(&observations, 4, "/response/body/Resources/1/id").contains("with no id"));
        assert!(fails_at(&observations, 5, "/response/body/id").contains("with id \"\""));
    }

    #[test]
    fn the_id_in_the_answer_is_the_id_in_the_path() {
        let mut traffic = Traffic::okta();
        not_applicable(&traffic.judge(&ID_STABLE));
        traffic.get("/Users/a%2Fb").answer(200, json!({"id": "a/b"}));
        traffic.put("/Users/1", json!({})).answer(200, json!({"id": "1"}));
        traffic.get("/Users/2").answer(404, json!({"id": "x"}));
        passes(&traffic.judge(&ID_STABLE));
        traffic.patch("/Users/1", json!([])).answer(200, json!({"ID": "2"}));
        assert!(fails_at(&traffic.judge(&ID_STABLE), 4, "/response/body/ID").contains("the id \"1\" the path names"));
    }
}
