//! After a delete (RFC 7644 §3.6): "Service providers MAY choose not to permanently delete the
//! resource, but MUST return a 404 (Not Found) error code for all operations associated with
//! the previously deleted resource. Service providers MUST omit the resource from future query
//! results."

use std::collections::BTreeSet;

use serde_json::Value;

use crate::checks::{Check, Judged, Observation, Severity};
use crate::transcript::Exchange;

use super::ledger::{Ledger, judge_in_order};
use super::lookup::{STATUS, body_pointer, get, member, response_object};
use super::operation::{Operation, ResourceMethod};
use super::outcome::{Failure, is_success, request_line};

/// Every request for a deleted resource answers 404.
pub(super) const GONE_AFTER_DELETE_404: Check = Check {
    id: "GONE-AFTER-DELETE-404",
    title: "Every request for a resource after its successful DELETE answers 404 Not Found",
    severity: Severity::Must,
    source: rfc!(7644, "3.6"),
    rule: gone_after_delete_404,
};

/// Queries leave deleted resources out.
pub(super) const DELETED_NOT_LISTED: Check = Check {
    id: "DELETED-NOT-LISTED",
    title: "Queries after a successful DELETE leave the deleted resource out",
    severity: Severity::Must,
    source: rfc!(7644, "3.6"),
    rule: deleted_not_listed,
};

/// The resources a scenario deleted so far: (endpoint in lower case, id).
#[derive(Debug, Default)]
struct Deleted(BTreeSet<(String, String)>);

impl Deleted {
    fn contains(&self, endpoint: &str, id: &str) -> bool {
        self.0.contains(&(endpoint.to_ascii_lowercase(), id.to_string()))
    }
}

impl Ledger for Deleted {
    /// A successful DELETE adds its resource; a create that answers a deleted id anew takes it
    /// off (id reuse is not this rule's judgement).
    fn observe(&mut self, exchange: &Exchange) {
        let Some(response) = exchange.response.as_ref().filter(|r| is_success(r.status)) else { return };
        match Operation::of(&exchange.request) {
            Operation::OnResource { method: ResourceMethod::Delete, resource } => {
                self.0.insert((resource.endpoint.to_ascii_lowercase(), resource.id));
            }
            Operation::Create { endpoint } => {
                if let Some(id) = response.body.as_ref().and_then(|b| get(b, "id")).and_then(Value::as_str) {
                    self.0.remove(&(endpoint.to_ascii_lowercase(), id.to_string()));
                }
            }
            _ => {}
        }
    }
}

fn gone_after_delete_404(judged: &Judged<'_>) -> Vec<Observation> {
    judge_in_order(judged, |exchange, deleted: &Deleted| {
        let operation = Operation::of(&exchange.request);
        let resource = operation.resource().filter(|r| deleted.contains(r.endpoint, &r.id))?;
        let status = exchange.response.as_ref()?.status;
        Some(if status == 404 {
            Ok(())
        } else {
            Err(Failure::at(
                STATUS,
                format!(
                    "{} answered {status} after {resource} was deleted; RFC 7644 §3.6 requires 404 Not Found for \
                     every operation on a deleted resource",
                    request_line(exchange)
                ),
            ))
        })
    })
}

fn deleted_not_listed(judged: &Judged<'_>) -> Vec<Observation> {
    judge_in_order(judged, |exchange, deleted: &Deleted| {
        let Operation::Query { endpoint } = Operation::of(&exchange.request) else { return None };
        if deleted.0.is_empty() || !is_success(exchange.response.as_ref()?.status) {
            return None;
        }
        let body = response_object(exchange)?;
        let (key, resources) = member(body, "Resources")?;
        let endpoints: Vec<&str> =
            endpoint.map_or_else(|| deleted.0.iter().map(|(e, _)| e.as_str()).collect(), |e| vec![e]);
        let listed = resources.as_array()?.iter().enumerate().find_map(|(i, resource)| {
            let id = get(resource, "id")?.as_str()?;
            endpoints.iter().any(|e| deleted.contains(e, id)).then_some((i, id))
        });
        Some(listed.map_or(Ok(()), |(i, id)| {
            Err(Failure::at(
                body_pointer(&[key, &i.to_string(), "id"]),
                format!(
                    "{} listed {id}, which was deleted; RFC 7644 §3.6 requires deleted resources to be omitted \
                     from query results",
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

    #[test]
    fn a_deleted_resource_is_gone() {
        let mut traffic = Traffic::entra();
        traffic.get("/Users/1").answer(200, json!({"id": "1"}));
        traffic.delete("/Users/1").answer(500, json!({}));
        not_applicable(&traffic.judge(&GONE_AFTER_DELETE_404));
        traffic.delete("/Users/1").answer(204, None);
        traffic.get("/Users/1").answer(404, json!({}));
        traffic.delete("/users/1").answer(404, json!({}));
        traffic.get("/Users/2").answer(200, json!({"id": "2"}));
        traffic.get("/Users").answer(200, json!({"Resources": [{"id": "2"}]}));
        passes(&traffic.judge(&GONE_AFTER_DELETE_404));
        passes(&traffic.judge(&DELETED_NOT_LISTED));
        assert_eq!(traffic.judge(&GONE_AFTER_DELETE_404).len(), 2);
    }

    #[test]
    fn a_deleted_resource_that_answers_or_is_listed_fails() {
        let mut traffic = Traffic::okta();
        traffic.delete("/Groups/g").answer(204, None);
        traffic.patch("/Groups/g", json!([])).answer(204, None);
        traffic.get("/Groups").answer(200, json!({"resources": [{"id": "h"}, {"id": "g"}]}));
        traffic.get("/").answer(200, json!({"Resources": [{"id": "g"}]}));
        traffic.get("/Users").answer(200, json!({"Resources": [{"id": "g"}]}));
        let observations = traffic.judge(&GONE_AFTER_DELETE_404);
        assert!(fails_at(&observations, 2, "/response/status").contains("answered 204 after /Groups/g was deleted"));
        let listed = traffic.judge(&DELETED_NOT_LISTED);
        assert!(fails_at(&listed, 3, "/response/body/resources/1/id").contains("listed g"));
        fails_at(&listed, 4, "/response/body/Resources/0/id");
        assert!(listed[2].passed(), "another endpoint's g is another resource");
    }
}
