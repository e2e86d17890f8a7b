//! What a successful PATCH did (RFC 7644 §3.5.2): its operations are applied together ("SHALL
//! be treated as atomic"), so once it succeeded the next read of the resource shows every
//! `add` and `replace` of it. Only what reads back without the server's schema is judged
//! ([`Assertion`]); op names and attribute names in any case count (Entra's `"Replace"`), and
//! values compare leniently (Entra's `"False"` for `false`).

use crate::checks::{Check, Judged, Observation, Severity};

use super::assertion::Assertion;
use super::follow_up::{reads_after, successes};
use super::lookup::{response_object, shown};
use super::operation::{Operation, ResourceMethod};
use super::outcome::{Failure, request_line};
use super::request_query::leaves_out;

/// The next read after a successful PATCH shows its changes.
pub(super) const PATCH_VISIBLE: Check = Check {
    id: "PATCH-VISIBLE",
    title: "The next GET of a resource after a successful PATCH shows the values its add and replace operations set",
    severity: Severity::Must,
    source: rfc!(7644, "3.5.2"),
    rule: patch_visible,
};

fn patch_visible(judged: &Judged<'_>) -> Vec<Observation> {
    let exchanges = judged.exchanges;
    successes(exchanges)
        .filter_map(|(index, patch)| {
            let resource = Operation::of(&patch.request).on(ResourceMethod::Modify)?.clone();
            let assertions = Assertion::of_patch(patch.request.body.as_ref()?);
            let read = reads_after(exchanges, index, resource).next()?;
            let shown_resource =
                response_object(read).filter(|_| read.response.as_ref().is_some_and(|r| r.status == 200))?;
            let judged: Vec<&Assertion> = assertions.iter().filter(|a| !leaves_out(&read.request, a.name())).collect();
            if judged.is_empty() {
                return None;
            }
            Some(match judged.into_iter().find(|a| !a.holds_in(shown_resource)) {
                None => Observation::pass(patch.seq),
                Some(unmet) => Failure::at(
                    unmet.pointer(),
                    format!(
                        "{} answered {} {} after the successful {} (seq {}) set it to {}; \
                         RFC 7644 §3.5.2: a PATCH that succeeds has applied all its operations",
                        request_line(read),
                        unmet.path(),
                        shown(unmet.found_in(shown_resource)),
                        request_line(patch),
                        patch.seq,
                        unmet.value
                    ),
                )
                .observed(read.seq),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::rules::test_exchange::{Traffic, fails_at, not_applicable, passes};
    use crate::scim::urn;

    #[test]
    fn the_next_read_shows_the_patch() {
        let mut traffic = Traffic::entra();
        traffic
            .patch(
                "/Users/1",
                json!([{"op": "Replace", "path": "active", "value": "False"},
                                         {"op": "Add", "path": "name.givenName", "value": "Al"}]),
            )
            .answer(204, None);
        traffic.get("/Users/1").answer(200, json!({"id": "1", "active": false, "name": {"givenName": "Al"}}));
        traffic
            .patch("/Groups/g", json!([{"op": "replace", "value": {"id": "g", "displayName": "Ops"}}]))
            .answer(204, None);
        traffic
            .get("/Groups/g")
            .query("excludedAttributes=members")
            .answer(200, json!({"id": "g", "DisplayName": "ops"}));
        traffic
            .patch(
                "/Users/1",
                json!([{"op": "add", "path": format!("{}:manager", urn::ENTERPRISE_USER), "value": "m"}]),
            )
            .answer(200, json!({}));
        traffic.get("/Users/1").answer(200, json!({(urn::ENTERPRISE_USER): {"manager": {"value": "m"}}}));
        passes(&traffic.judge(&PATCH_VISIBLE));
        assert_eq!(traffic.judge(&PATCH_VISIBLE).len(), 3);
    }

    #[test]
    fn no_read_or_another_write_first_is_not_judged() {
        let mut traffic = Traffic::okta();
        traffic.patch("/Users/1", json!([{"op": "replace", "value": {"active": false}}])).answer(204, None);
        traffic.put("/Users/1", json!({"active": true})).answer(200, json!({"active": true}));
        traffic.get("/Users/1").answer(200, json!({"active": true}));
        traffic.patch("/Users/1", json!([{"op": "replace", "value": {"active": false}}])).answer(500, json!({}));
        traffic.get("/Users/1").answer(200, json!({"active": true}));
        traffic.patch("/Users/1", json!([{"op": "remove", "path": "title"}])).answer(204, None);
        traffic.get("/Users/1").answer(200, json!({"title": "x"}));
        traffic.patch("/Users/1", json!([{"op": "replace", "value": {"title": "y"}}])).answer(204, None);
        traffic.get("/Users/1").query("attributes=userName").answer(200, json!({"userName": "a"}));
        not_applicable(&traffic.judge(&PATCH_VISIBLE));
    }

    #[test]
    fn a_change_the_next_read_lacks_fails() {
        let mut traffic = Traffic::entra();
        traffic.patch("/Users/1", json!([{"op": "Replace", "path": "displayName", "value": "New"}])).answer(204, None);
        traffic.get("/Users/1").answer(200, json!({"id": "1", "displayName": "Old"}));
        let observations = traffic.judge(&PATCH_VISIBLE);
        assert_eq!(
            fails_at(&observations, 2, "/response/body/displayName"),
            "GET /Users/1 answered displayName \"Old\" after the successful PATCH /Users/1 (seq 1) set it to \"New\"; \
             RFC 7644 §3.5.2: a PATCH that succeeds has applied all its operations"
        );
    }
}
