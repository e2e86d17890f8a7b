//! The status code of each successful operation (RFC 7644 §3.3–§3.6). Only success answers
//! (2xx) are judged here: a 409 to a duplicate or a 404 to a deleted id is a correct answer,
//! judged by the uniqueness and deletion rules and by the error-body rule.

use crate::checks::{Check, Judged, Observation, Severity};
use crate::transcript::{Exchange, RecordedResponse};

use super::lookup::{STATUS, body_pointer, response_object};
use super::operation::{Operation, ResourceMethod};
use super::outcome::{Failure, Outcome, each_answered, is_success, request_line};
use super::request_query::list_query;

/// A successful POST to a resource endpoint answers 201 Created.
pub(super) const CREATE_201: Check = Check {
    id: "CREATE-201",
    title: "A successful POST that creates a resource answers 201 Created",
    severity: Severity::Must,
    source: rfc!(7644, "3.3"),
    rule: create_201,
};

/// The 201 of a create carries the created resource.
pub(super) const CREATE_RETURNS_RESOURCE: Check = Check {
    id: "CREATE-RETURNS-RESOURCE",
    title: "The 201 Created of a POST carries the created resource in its body",
    severity: Severity::Should,
    source: rfc!(7644, "3.3"),
    rule: create_returns_resource,
};

/// A successful GET of a resource answers 200 with the resource. RFC 7644 §3.4.1 states it
/// without an RFC 2119 keyword, so a deviation is a warning.
pub(super) const GET_200: Check = Check {
    id: "GET-200",
    title: "A successful GET of a resource answers 200 OK with the resource",
    severity: Severity::Should,
    source: rfc!(7644, "3.4.1"),
    rule: get_200,
};

/// A successful PUT answers 200 with the resource. RFC 7644 §3.5.1 states it without an RFC
/// 2119 keyword ("unless otherwise specified"), so a deviation is a warning.
pub(super) const REPLACE_200: Check = Check {
    id: "REPLACE-200",
    title: "A successful PUT answers 200 OK with the replaced resource",
    severity: Severity::Should,
    source: rfc!(7644, "3.5.1"),
    rule: replace_200,
};

/// A successful PATCH answers 200 with the resource, or 204 No Content.
pub(super) const PATCH_STATUS: Check = Check {
    id: "PATCH-STATUS",
    title: "A successful PATCH answers 200 OK with the resource, or 204 No Content",
    severity: Severity::Must,
    source: rfc!(7644, "3.5.2"),
    rule: patch_status,
};

/// A successful DELETE answers 204 No Content.
pub(super) const DELETE_204: Check = Check {
    id: "DELETE-204",
    title: "A successful DELETE answers 204 No Content",
    severity: Severity::Must,
    source: rfc!(7644, "3.6"),
    rule: delete_204,
};

/// A successful query answers 200 OK.
pub(super) const QUERY_200: Check = Check {
    id: "QUERY-200",
    title: "A successful query (GET of an endpoint, POST to .search) answers 200 OK",
    severity: Severity::Must,
    source: rfc!(7644, "3.4.2"),
    rule: query_200,
};

/// Judges the success answers to the operations `select` picks with `judge`.
fn successes(
    judged: &Judged<'_>,
    select: impl Fn(&Operation<'_>) -> bool,
    judge: impl Fn(&Exchange, &RecordedResponse) -> Outcome,
) -> Vec<Observation> {
    each_answered(judged, |exchange, response| {
        (is_success(response.status) && select(&Operation::of(&exchange.request))).then(|| judge(exchange, response))
    })
}

/// Passes when the answer is `wanted`, else fails naming `clause` and what it requires.
fn status_is(exchange: &Exchange, response: &RecordedResponse, wanted: u16, requirement: &str) -> Outcome {
    if response.status == wanted {
        return Ok(());
    }
    Err(Failure::at(STATUS, format!("{} answered {}; {requirement}", request_line(exchange), response.status)))
}

/// Passes when the answer holds a resource (a JSON object), else fails with `requirement`.
fn has_resource(exchange: &Exchange, response: &RecordedResponse, requirement: &str) -> Outcome {
    if response_object(exchange).is_some() {
        return Ok(());
    }
    let what = if response.body.is_some() { "a body that is not a JSON object" } else { "no body" };
    Err(Failure::at(
        body_pointer::<&str>(&[]),
        format!("{} answered {} with {what}; {requirement}", request_line(exchange), response.status),
    ))
}

fn create_201(judged: &Judged<'_>) -> Vec<Observation> {
    successes(
        judged,
        |operation| matches!(operation, Operation::Create { .. }),
        |exchange, response| status_is(exchange, response, 201, "RFC 7644 §3.3 requires 201 Created"),
    )
}

fn create_returns_resource(judged: &Judged<'_>) -> Vec<Observation> {
    successes(
        judged,
        |operation| matches!(operation, Operation::Create { .. }),
        |exchange, response| {
            has_resource(exchange, response, "RFC 7644 §3.3: the body SHOULD contain the created resource")
        },
    )
}

/// Judges the successes of `wanted` against `clause`'s 200 OK with the resource in the body.
fn ok_with_resource(judged: &Judged<'_>, wanted: ResourceMethod, clause: &str) -> Vec<Observation> {
    successes(
        judged,
        |operation| operation.on(wanted).is_some(),
        |exchange, response| {
            status_is(exchange, response, 200, &format!("{clause} answers 200 OK"))?;
            has_resource(exchange, response, &format!("{clause} returns the resource in the body"))
        },
    )
}

fn get_200(judged: &Judged<'_>) -> Vec<Observation> {
    ok_with_resource(judged, ResourceMethod::Read, "RFC 7644 §3.4.1")
}

fn replace_200(judged: &Judged<'_>) -> Vec<Observation> {
    ok_with_resource(judged, ResourceMethod::Replace, "RFC 7644 §3.5.1")
}

fn patch_status(judged: &Judged<'_>) -> Vec<Observation> {
    successes(
        judged,
        |operation| operation.on(ResourceMethod::Modify).is_some(),
        |exchange, response| {
            let projected = list_query(&exchange.request).is_some_and(|q| !q.attributes.is_empty());
            match response.status {
                204 if projected => status_is(
                    exchange,
                    response,
                    200,
                    "RFC 7644 §3.5.2: the server MUST return 200 OK when \"attributes\" is specified",
                ),
                204 => Ok(()),
                200 => has_resource(
                    exchange,
                    response,
                    "RFC 7644 §3.5.2: a 200 OK MUST return the entire resource (or answer 204 No Content)",
                ),
                _ => status_is(
                    exchange,
                    response,
                    200,
                    "RFC 7644 §3.5.2 requires 200 OK with the resource, or 204 No Content",
                ),
            }
        },
    )
}

fn delete_204(judged: &Judged<'_>) -> Vec<Observation> {
    successes(
        judged,
        |operation| operation.on(ResourceMethod::Delete).is_some(),
        |exchange, response| status_is(exchange, response, 204, "RFC 7644 §3.6 requires 204 No Content"),
    )
}

fn query_200(judged: &Judged<'_>) -> Vec<Observation> {
    successes(
        judged,
        |operation| matches!(operation, Operation::Query { .. }),
        |exchange, response| status_is(exchange, response, 200, "RFC 7644 §3.4.2 requires 200 OK"),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::rules::test_exchange::{Traffic, fails_at, not_applicable, passes};

    #[test]
    fn creates_answer_201_with_the_resource() {
        let mut traffic = Traffic::entra();
        traffic.post("/Users", json!({})).answer(201, json!({"id": "1"}));
        traffic.post("/Users", json!({})).answer(409, json!({}));
        traffic.post("/Users/.search", json!({})).answer(200, json!({}));
        passes(&traffic.judge(&CREATE_201));
        passes(&traffic.judge(&CREATE_RETURNS_RESOURCE));

        traffic.post("/Groups", json!({})).answer(200, json!({"id": "2"}));
        traffic.post("/Users", json!({})).answer(201, None);
        let observations = traffic.judge(&CREATE_201);
        assert_eq!(
            fails_at(&observations, 4, "/response/status"),
            "POST /Groups answered 200; RFC 7644 §3.3 requires 201 Created"
        );
        let message = fails_at(&traffic.judge(&CREATE_RETURNS_RESOURCE), 5, "/response/body");
        assert!(message.contains("201 with no body"), "{message}");
    }

    #[test]
    fn reads_and_replaces_answer_200_with_the_resource() {
        let mut traffic = Traffic::okta();
        traffic.get("/Users/1").answer(200, json!({"id": "1"}));
        traffic.get("/Users/2").answer(404, json!({}));
        traffic.put("/Users/1", json!({})).answer(200, json!({"id": "1"}));
        passes(&traffic.judge(&GET_200));
        passes(&traffic.judge(&REPLACE_200));
        traffic.get("/Users/1").answer(200, json!({"raw": "<html>"}));
        traffic.put("/Users/1", json!({})).answer(204, None);
        assert!(fails_at(&traffic.judge(&GET_200), 4, "/response/body").contains("not a JSON object"));
        assert!(fails_at(&traffic.judge(&REPLACE_200), 5, "/response/status").contains("answered 204"));
    }

    #[test]
    fn patches_answer_200_with_the_resource_or_204() {
        let mut traffic = Traffic::entra();
        traffic.patch("/Users/1", json!([])).answer(204, None);
        traffic.patch("/Groups/1", json!([])).answer(200, json!({"id": "1"}));
        traffic.patch("/Groups/1", json!([])).answer(400, json!({}));
        passes(&traffic.judge(&PATCH_STATUS));

        traffic.patch("/Users/1", json!([])).answer(200, None);
        traffic.patch("/Users/1", json!([])).query("attributes=userName").answer(204, None);
        traffic.patch("/Users/1", json!([])).answer(202, None);
        let observations = traffic.judge(&PATCH_STATUS);
        assert!(fails_at(&observations, 4, "/response/body").contains("entire resource"));
        assert!(fails_at(&observations, 5, "/response/status").contains("\"attributes\""));
        assert!(fails_at(&observations, 6, "/response/status").contains("or 204"));
    }

    #[test]
    fn deletes_answer_204_and_queries_200() {
        let mut traffic = Traffic::entra();
        not_applicable(&traffic.judge(&DELETE_204));
        traffic.delete("/Users/1").answer(204, None);
        traffic.get("/Users").query("filter=x").answer(200, json!({}));
        traffic.post("/.search", json!({})).answer(200, json!({}));
        passes(&traffic.judge(&DELETE_204));
        passes(&traffic.judge(&QUERY_200));
        traffic.delete("/Users/1").answer(200, json!({}));
        traffic.get("/Groups").answer(206, json!({}));
        assert!(fails_at(&traffic.judge(&DELETE_204), 4, "/response/status").contains("204 No Content"));
        assert!(fails_at(&traffic.judge(&QUERY_200), 5, "/response/status").contains("answered 206"));
    }
}
