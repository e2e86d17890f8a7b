//! Creating a duplicate (RFC 7644 §3.3): a create that "conflicts with existing resources
//! (e.g., a "User" resource with a duplicate "userName"), the service provider MUST return HTTP
//! status code 409 (Conflict) with a "scimType" error code of "uniqueness"". `userName` is
//! unique and compared without case (RFC 7643 §4.1.1), so a POST whose `userName` equals a live
//! user's in any case is a duplicate.

use serde_json::Value;

use crate::checks::{Check, Judged, Observation, Severity};
use crate::transcript::Exchange;

use super::known_users::KnownUsers;
use super::ledger::judge_in_order;
use super::lookup::{STATUS, field, get, response_object, shown};
use super::operation::Operation;
use super::outcome::{Failure, Outcome, request_line};

/// A duplicate userName answers 409 uniqueness.
pub(super) const UNIQUENESS_409: Check = Check {
    id: "UNIQUENESS-409",
    title: "A POST of a userName a live user holds (in any case) answers 409 Conflict with scimType uniqueness",
    severity: Severity::Must,
    source: rfc!(7644, "3.3"),
    rule: uniqueness_409,
};

fn uniqueness_409(judged: &Judged<'_>) -> Vec<Observation> {
    judge_in_order(judged, judge_create)
}

fn judge_create(exchange: &Exchange, users: &KnownUsers) -> Option<Outcome> {
    let response = exchange.response.as_ref()?;
    let Operation::Create { endpoint } = Operation::of(&exchange.request) else { return None };
    if !endpoint.eq_ignore_ascii_case("Users") {
        return None;
    }
    let user_name = get(exchange.request.body.as_ref()?, "userName")?.as_str()?;
    let (id, held) = users.holder_of(user_name)?;
    let requirement = "RFC 7644 §3.3 requires 409 Conflict with scimType \"uniqueness\"";
    let duplicate = format!("userName {user_name:?} while user {id} holds {held:?}");
    if response.status != 409 {
        return Some(Err(Failure::at(
            STATUS,
            format!("{} answered {} for {duplicate}; {requirement}", request_line(exchange), response.status),
        )));
    }
    let (pointer, scim_type) = field(response_object(exchange).unwrap_or(&Value::Null), "scimType");
    Some(match scim_type {
        Some(Value::String(t)) if t == "uniqueness" => Ok(()),
        _ => Err(Failure::at(
            pointer,
            format!(
                "{} answered 409 with scimType {} for {duplicate}; {requirement}",
                request_line(exchange),
                shown(scim_type)
            ),
        )),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::rules::test_exchange::{Traffic, fails_at, not_applicable, passes};
    use crate::scim::ScimError;

    #[test]
    fn a_duplicate_user_name_is_a_uniqueness_conflict() {
        let mut traffic = Traffic::okta();
        traffic.post("/Users", json!({"userName": "alice"})).answer(409, ScimError::uniqueness("taken").to_json());
        not_applicable(&traffic.judge(&UNIQUENESS_409));
        traffic.post("/Users", json!({"userName": "alice"})).answer(201, json!({"id": "1", "userName": "alice"}));
        traffic.post("/Users", json!({"UserName": "ALICE"})).answer(409, ScimError::uniqueness("taken").to_json());
        traffic.post("/Users", json!({"userName": "bob"})).answer(201, json!({"id": "2", "userName": "bob"}));
        passes(&traffic.judge(&UNIQUENESS_409));
        assert_eq!(traffic.judge(&UNIQUENESS_409).len(), 1);
    }

    #[test]
    fn a_duplicate_created_or_refused_otherwise_fails() {
        let mut traffic = Traffic::entra();
        traffic.post("/Users", json!({"userName": "alice"})).answer(201, json!({"id": "1", "userName": "alice"}));
        traffic.post("/Users", json!({"userName": "Alice"})).answer(201, json!({"id": "2", "userName": "Alice"}));
        traffic.post("/Users", json!({"userName": "alice"})).answer(409, json!({"status": "409"}));
        let observations = traffic.judge(&UNIQUENESS_409);
        assert_eq!(
            fails_at(&observations, 2, "/response/status"),
            "POST /Users answered 201 for userName \"Alice\" while user 1 holds \"alice\"; \
             RFC 7644 §3.3 requires 409 Conflict with scimType \"uniqueness\""
        );
        assert!(fails_at(&observations, 3, "/response/body/scimType").contains("scimType nothing"));

        traffic.delete("/Users/1").answer(204, None);
        traffic.delete("/Users/2").answer(204, None);
        traffic.post("/Users", json!({"userName": "alice"})).answer(201, json!({"id": "3", "userName": "alice"}));
        assert_eq!(traffic.judge(&UNIQUENESS_409).len(), 2, "deleted users hold no userName");
    }
}
