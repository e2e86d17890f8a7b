//! Error answers (RFC 7644 §3.12): "implementers MUST return the errors in the body of the
//! response in a JSON format", identified by the Error schema URN, with `status` "expressed as
//! a JSON string" (REQUIRED) and `scimType`, when present, one of table 9's keywords.
//!
//! Every 4xx and 5xx answer is judged, correct ones included: a 409 to a duplicate is right, and
//! its body must still be a SCIM error.

use serde_json::Value;

use crate::checks::{Check, Judged, Observation, Severity};
use crate::scim::{ScimType, urn};

use super::lookup::{body_pointer, field, lists_schema, member, response_object, shown};
use super::outcome::{Failure, each_answered, request_line};

/// Every error answer carries a SCIM Error body.
pub(super) const ERROR_BODY: Check = Check {
    id: "ERROR-BODY",
    title: "A 4xx or 5xx answer carries a SCIM Error: its schema URN, status as a string equal to the HTTP status, a known scimType",
    severity: Severity::Must,
    source: rfc!(7644, "3.12"),
    rule: error_body,
};

fn error_body(judged: &Judged<'_>) -> Vec<Observation> {
    each_answered(judged, |exchange, response| {
        if response.status < 400 {
            return None;
        }
        let fail = |pointer: String, what: String, requirement: &str| {
            Some(Err(Failure::at(
                pointer,
                format!(
                    "{} answered {} with {what}; RFC 7644 §3.12 {requirement}",
                    request_line(exchange),
                    response.status
                ),
            )))
        };
        let Some(body) = response_object(exchange) else {
            let what = if response.body.is_some() { "a body that is not a JSON object" } else { "no body" };
            return fail(body_pointer::<&str>(&[]), what.to_string(), "requires a JSON error body");
        };
        if !lists_schema(body, urn::ERROR) {
            let (pointer, schemas) = field(body, "schemas");
            let requirement = format!("requires the Error URN {}", urn::ERROR);
            return fail(pointer, format!("schemas {}", shown(schemas)), &requirement);
        }
        let status = response.status.to_string();
        match field(body, "status") {
            (_, Some(Value::String(s))) if *s == status => {}
            (pointer, found) => {
                let requirement = format!("requires status as the JSON string \"{status}\"");
                return fail(pointer, format!("status {}", shown(found)), &requirement);
            }
        }
        match member(body, "scimType") {
            Some((key, value)) if !value.is_null() && serde_json::from_value::<ScimType>(value.clone()).is_err() => {
                fail(
                    body_pointer(&[key]),
                    format!("scimType {value}"),
                    "allows only the scimType keywords of table 9 (invalidFilter, uniqueness, invalidValue, …)",
                )
            }
            _ => Some(Ok(())),
        }
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::rules::test_exchange::{Traffic, fails_at, not_applicable, passes};
    use crate::scim::ScimError;

    #[test]
    fn errors_carry_scim_error_bodies() {
        let mut traffic = Traffic::entra();
        traffic.get("/Users/1").answer(200, json!({}));
        not_applicable(&traffic.judge(&ERROR_BODY));
        traffic.post("/Users", json!({})).answer(409, ScimError::uniqueness("taken").to_json());
        traffic.get("/Users/2").answer(404, json!({"Schemas": [urn::ERROR], "Status": "404", "scimType": null}));
        passes(&traffic.judge(&ERROR_BODY));
    }

    #[test]
    fn a_malformed_error_fails() {
        let mut traffic = Traffic::okta();
        traffic.get("/Users").answer(500, None);
        traffic.get("/Users").answer(502, json!({"raw": "<html>Bad gateway</html>"}));
        traffic.get("/Users").answer(401, json!({"detail": "no token"}));
        traffic.get("/Users/1").answer(404, json!({"schemas": [urn::ERROR], "status": 404}));
        traffic.get("/Users/1").answer(404, json!({"schemas": [urn::ERROR], "status": "400"}));
        traffic
            .post("/Users", json!({}))
            .answer(409, json!({"schemas": [urn::ERROR], "status": "409", "scimType": "duplicate"}));
        let observations = traffic.judge(&ERROR_BODY);
        assert!(fails_at(&observations, 1, "/response/body").contains("with no body"));
        assert!(fails_at(&observations, 2, "/response/body").contains("not a JSON object"));
        assert!(fails_at(&observations, 3, "/response/body/schemas").contains("Error URN"));
        assert_eq!(
            fails_at(&observations, 4, "/response/body/status"),
            "GET /Users/1 answered 404 with status 404; RFC 7644 §3.12 requires status as the JSON string \"404\""
        );
        assert!(fails_at(&observations, 5, "/response/body/status").contains("status \"400\""));
        assert!(fails_at(&observations, 6, "/response/body/scimType").contains("\"duplicate\""));
    }
}
