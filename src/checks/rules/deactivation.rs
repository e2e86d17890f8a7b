//! A deactivated user stays readable. RFC 7644 leaves soft deletion to the server, but both
//! IdPs deactivate rather than delete and read the user back afterwards: Entra's disabled user
//! "must still be returned by GET and by filter while inactive" (entra-wire.md §1.5), and Okta's
//! CRUD test expects `GET /Users/{id}` to answer 200 with `active` false after an unassignment
//! (okta-wire.md §1.7, §4.2). After a successful PATCH or PUT that sets `active` false, every
//! read of that user up to its next write must answer 200 with `active` false. Each IdP's check
//! judges its own traffic.

use serde_json::{Value, json};

use crate::checks::{Check, Judged, Observation, Severity, Source};
use crate::transcript::Exchange;

use super::assertion::{Assertion, same};
use super::clause::{ENTRA_SCIM_TUTORIAL, OKTA_TEST_GUIDE};
use super::follow_up::{reads_after, successes};
use super::lookup::{STATUS, field, response_object, shown};
use super::operation::{Operation, ResourceMethod};
use super::outcome::{Failure, Outcome, observation, request_line};
use super::request_query::leaves_out;

/// Entra: a disabled user is still returned by GET.
pub(super) const ENTRA_SOFT_DELETE_VISIBLE: Check = Check {
    id: "ENTRA-SOFT-DELETE-VISIBLE",
    title: "A user disabled with active false is still returned by GET, with active false",
    severity: Severity::EntraRequires,
    source: Source { document: "entra-wire.md", section: "§1.5", url: ENTRA_SCIM_TUTORIAL },
    rule: entra_soft_delete_visible,
};

/// Okta: a deactivated user answers GET with 200 and active false, not 404.
pub(super) const OKTA_DEACTIVATED_GET_200: Check = Check {
    id: "OKTA-DEACTIVATED-GET-200",
    title: "A user deactivated with active false answers GET with 200 and active false, not 404",
    severity: Severity::OktaRequires,
    source: Source { document: "okta-wire.md", section: "§1.7", url: OKTA_TEST_GUIDE },
    rule: okta_deactivated_get_200,
};

fn entra_soft_delete_visible(judged: &Judged<'_>) -> Vec<Observation> {
    stays_readable(
        judged,
        "entra",
        "Entra requires a disabled user to stay readable with active false (entra-wire.md §1.5)",
    )
}

fn okta_deactivated_get_200(judged: &Judged<'_>) -> Vec<Observation> {
    stays_readable(
        judged,
        "okta",
        "Okta requires a deactivated user to answer 200 with active false (okta-wire.md §1.7)",
    )
}

/// Judges, in `idp`'s traffic, every read of a user after a write deactivated it.
fn stays_readable(judged: &Judged<'_>, idp: &str, requirement: &str) -> Vec<Observation> {
    if judged.idp != idp {
        return Vec::new();
    }
    let exchanges = judged.exchanges;
    let mut observations = Vec::new();
    for (index, write) in successes(exchanges) {
        let Some(resource) = Operation::of(&write.request).resource().filter(|r| r.is_user()).cloned() else {
            continue;
        };
        if !deactivates(write) {
            continue;
        }
        for read in reads_after(exchanges, index, resource) {
            if let Some(outcome) = judge_read(read, write, requirement) {
                observations.push(observation(read.seq, outcome));
            }
        }
    }
    observations
}

/// Whether `write` is a PATCH or PUT that sets `active` to false.
fn deactivates(write: &Exchange) -> bool {
    let Some(body) = &write.request.body else { return false };
    let assertions = match Operation::of(&write.request) {
        Operation::OnResource { method: ResourceMethod::Modify, .. } => Assertion::of_patch(body),
        Operation::OnResource { method: ResourceMethod::Replace, .. } => Assertion::of_resource(body),
        _ => return false,
    };
    assertions.iter().any(|a| a.sets("active", &json!(false)))
}

fn judge_read(read: &Exchange, write: &Exchange, requirement: &str) -> Option<Outcome> {
    let status = read.response.as_ref()?.status;
    let after = format!("after {} (seq {}) set active false", request_line(write), write.seq);
    match status {
        404 => Some(Err(Failure::at(STATUS, format!("{} answered 404 {after}; {requirement}", request_line(read))))),
        200 if !leaves_out(&read.request, "active") => {
            let (pointer, active) = field(response_object(read)?, "active");
            Some(match active {
                Some(value) if same(value, &Value::Bool(false)) => Ok(()),
                _ => Err(Failure::at(
                    pointer,
                    format!("{} answered active {} {after}; {requirement}", request_line(read), shown(active)),
                )),
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::rules::test_exchange::{Traffic, fails_at, not_applicable, passes};

    fn deactivated(mut traffic: Traffic) -> Traffic {
        traffic.patch("/Users/1", json!([{"op": "replace", "value": {"active": false}}])).answer(204, None);
        traffic
    }

    #[test]
    fn a_deactivated_user_stays_readable() {
        let mut okta = deactivated(Traffic::okta());
        okta.get("/Users/1").answer(200, json!({"id": "1", "active": false}));
        okta.get("/Users/1").answer(200, json!({"id": "1", "Active": "False"}));
        okta.get("/Users/1").answer(500, json!({}));
        okta.put("/Users/1", json!({"active": true})).answer(200, json!({"active": true}));
        okta.get("/Users/1").answer(404, json!({}));
        passes(&okta.judge(&OKTA_DEACTIVATED_GET_200));
        assert_eq!(okta.judge(&OKTA_DEACTIVATED_GET_200).len(), 2, "the reactivation ends the watch");
        not_applicable(&okta.judge(&ENTRA_SOFT_DELETE_VISIBLE));

        let mut entra = Traffic::entra();
        entra.patch("/Users/1", json!([{"op": "Replace", "path": "active", "value": "False"}])).answer(204, None);
        entra.get("/Users/1").answer(200, json!({"id": "1", "active": false}));
        passes(&entra.judge(&ENTRA_SOFT_DELETE_VISIBLE));
    }

    #[test]
    fn a_deactivated_user_that_vanishes_or_stays_active_fails() {
        let mut okta = deactivated(Traffic::okta());
        okta.get("/Users/1").answer(404, json!({}));
        okta.put("/Users/1", json!({"userName": "a", "active": false})).answer(200, json!({}));
        okta.get("/Users/1").answer(200, json!({"id": "1", "active": true}));
        let observations = okta.judge(&OKTA_DEACTIVATED_GET_200);
        assert!(fails_at(&observations, 2, "/response/status").contains("answered 404 after PATCH /Users/1 (seq 1)"));
        assert!(fails_at(&observations, 4, "/response/body/active").contains("active true"));

        let mut failed = Traffic::okta();
        failed.patch("/Users/1", json!([{"op": "replace", "value": {"active": false}}])).answer(500, json!({}));
        failed.get("/Users/1").answer(404, json!({}));
        not_applicable(&failed.judge(&OKTA_DEACTIVATED_GET_200));
    }
}
