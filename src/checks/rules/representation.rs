//! The resources a success answer represents: the body of a create, read, replace or modify,
//! and each element of a query's `Resources`. Rules on what every resource carries (`id`,
//! `meta`) judge these.

use serde_json::Value;

use crate::transcript::Exchange;

use super::lookup::{member, response_object};
use super::operation::{Operation, ResourceMethod};
use super::outcome::is_success;

/// One resource in an answer.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Representation<'e> {
    /// The pointer segments from the body to the resource (`[]`, or `["Resources", "0"]`).
    pub segments: Vec<String>,
    /// The resource.
    pub resource: &'e Value,
}

impl Representation<'_> {
    /// The pointer segments to `name` inside the resource.
    pub fn segments_to(&self, names: &[&str]) -> Vec<String> {
        self.segments.iter().cloned().chain(names.iter().map(|n| (*n).to_string())).collect()
    }
}

/// The resources `exchange`'s answer represents (none for failures, deletes and discovery).
pub(super) fn representations(exchange: &Exchange) -> Vec<Representation<'_>> {
    let Some(body) = exchange.response.as_ref().filter(|r| is_success(r.status)).and(response_object(exchange)) else {
        return Vec::new();
    };
    match Operation::of(&exchange.request) {
        Operation::Create { .. } => vec![Representation { segments: Vec::new(), resource: body }],
        Operation::OnResource { method, .. } if method != ResourceMethod::Delete => {
            vec![Representation { segments: Vec::new(), resource: body }]
        }
        Operation::Query { .. } => match member(body, "Resources") {
            Some((key, Value::Array(resources))) => resources
                .iter()
                .enumerate()
                .map(|(i, resource)| Representation { segments: vec![key.to_string(), i.to_string()], resource })
                .collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::rules::test_exchange::Traffic;

    #[test]
    fn answers_represent_their_resources() {
        let mut traffic = Traffic::okta();
        traffic.get("/Users").answer(200, json!({"resources": [{"id": "1"}, {"id": "2"}]}));
        traffic.patch("/Users/1", json!([])).answer(200, json!({"id": "1"}));
        traffic.delete("/Users/1").answer(200, json!({"id": "1"}));
        traffic.get("/Users/1").answer(404, json!({}));
        traffic.get("/Schemas").answer(200, json!({"Resources": [{"id": "urn:x"}]}));
        let found: Vec<Vec<Vec<String>>> = traffic
            .exchanges()
            .iter()
            .map(|e| representations(e).into_iter().map(|r| r.segments_to(&["id"])).collect())
            .collect();
        assert_eq!(found[0], [["resources", "0", "id"], ["resources", "1", "id"]]);
        assert_eq!(found[1], [["id"]]);
        assert!(found[2..].iter().all(Vec::is_empty), "{found:?}");
    }
}
