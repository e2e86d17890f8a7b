//! Query answers (RFC 7644 §3.4.2): the ListResponse envelope and its paging arithmetic
//! (§3.4.2.4), and Okta's need for integer paging fields (okta-wire.md §1.2).

use serde_json::Value;

use crate::checks::{Check, Judged, Observation, Severity, Source};
use crate::scim::urn;
use crate::transcript::{Exchange, RecordedResponse};

use super::clause::OKTA_SCIM_REFERENCE;
use super::lookup::{body_pointer, field, lists_schema, response_object, shown};
use super::operation::Operation;
use super::outcome::{Failure, Outcome, each_answered, is_success, request_line};
use super::request_query::list_query;

/// A query answers a ListResponse.
pub(super) const LIST_SHAPE: Check = Check {
    id: "LIST-SHAPE",
    title: "A query answers a ListResponse: its schema URN, an integer totalResults, and Resources when there are results",
    severity: Severity::Must,
    source: rfc!(7644, "3.4.2"),
    rule: list_shape,
};

/// A query's paging fields add up.
pub(super) const LIST_PAGING: Check = Check {
    id: "LIST-PAGING",
    title: "A query's page holds at most count resources, itemsPerPage counts them, startIndex echoes the request and totalResults covers them",
    severity: Severity::Must,
    source: rfc!(7644, "3.4.2.4"),
    rule: list_paging,
};

/// Okta needs the paging fields as JSON integers.
pub(super) const OKTA_INTEGER_PAGING: Check = Check {
    id: "OKTA-INTEGER-PAGING",
    title: "A query answers startIndex, itemsPerPage and totalResults as JSON integers",
    severity: Severity::OktaRequires,
    source: Source { document: "okta-wire.md", section: "§1.2", url: OKTA_SCIM_REFERENCE },
    rule: okta_integer_paging,
};

/// Judges the success answers to queries, with the body when it is a JSON object.
fn queries(
    judged: &Judged<'_>,
    judge: impl Fn(&Exchange, &RecordedResponse, Option<&Value>) -> Outcome,
) -> Vec<Observation> {
    each_answered(judged, |exchange, response| {
        let is_query = matches!(Operation::of(&exchange.request), Operation::Query { .. });
        (is_query && is_success(response.status)).then(|| judge(exchange, response, response_object(exchange)))
    })
}

fn fail(exchange: &Exchange, pointer: String, what: String, clause: &str) -> Outcome {
    Err(Failure::at(pointer, format!("{} answered {what}; {clause}", request_line(exchange))))
}

fn list_shape(judged: &Judged<'_>) -> Vec<Observation> {
    queries(judged, |exchange, response, body| {
        let Some(body) = body else {
            return fail(
                exchange,
                body_pointer::<&str>(&[]),
                format!("{} without a JSON object body", response.status),
                "RFC 7644 §3.4.2 requires a ListResponse",
            );
        };
        if !lists_schema(body, urn::LIST_RESPONSE) {
            let (pointer, schemas) = field(body, "schemas");
            return fail(
                exchange,
                pointer,
                format!("schemas {}", shown(schemas)),
                &format!("RFC 7644 §3.4.2 requires the ListResponse URN {}", urn::LIST_RESPONSE),
            );
        }
        let (pointer, total) = field(body, "totalResults");
        let Some(total) = total.and_then(Value::as_u64) else {
            return fail(
                exchange,
                pointer,
                format!("totalResults {}", shown(total)),
                "RFC 7644 §3.4.2 requires totalResults, a non-negative integer",
            );
        };
        let (pointer, resources) = field(body, "Resources");
        let none_asked = list_query(&exchange.request).is_some_and(|q| q.count == Some(0));
        match resources {
            Some(Value::Array(_)) => Ok(()),
            None if total == 0 || none_asked => Ok(()),
            other => fail(
                exchange,
                pointer,
                format!("totalResults {total} with Resources {}", shown(other)),
                "RFC 7644 §3.4.2 requires a Resources array when totalResults is non-zero",
            ),
        }
    })
}

fn list_paging(judged: &Judged<'_>) -> Vec<Observation> {
    queries(judged, |exchange, _, body| {
        let Some(body) = body else { return Ok(()) };
        let clause = "RFC 7644 §3.4.2.4";
        let query = list_query(&exchange.request);
        let (resources_pointer, resources) = field(body, "Resources");
        let items = resources.and_then(Value::as_array).map_or(0, Vec::len) as u64;
        if let Some(count) = query.as_ref().and_then(|q| q.count)
            && items > count
        {
            return fail(
                exchange,
                resources_pointer,
                format!("{items} resources to count={count}"),
                &format!("{clause}: the service provider MUST NOT return more results than count"),
            );
        }
        let (total_pointer, total) = field(body, "totalResults");
        let (per_page_pointer, per_page) = field(body, "itemsPerPage");
        let (start_pointer, start) = field(body, "startIndex");
        for (pointer, value, name) in
            [(&per_page_pointer, per_page, "itemsPerPage"), (&start_pointer, start, "startIndex")]
        {
            if value.is_some_and(|v| v.as_u64().is_none()) {
                return fail(
                    exchange,
                    pointer.clone(),
                    format!("{name} {}", shown(value)),
                    &format!("{clause}: {name} is a non-negative integer"),
                );
            }
        }
        let total = total.and_then(Value::as_u64);
        if let Some(per_page) = per_page.and_then(Value::as_u64)
            && per_page != items
        {
            return fail(
                exchange,
                per_page_pointer,
                format!("itemsPerPage {per_page} with {items} resources"),
                &format!("{clause}: itemsPerPage is the number of resources on the page"),
            );
        }
        let requested_start = query.as_ref().map_or(1, |q| q.start_index);
        if let Some(start) = start.and_then(Value::as_u64)
            && start != requested_start
        {
            return fail(
                exchange,
                start_pointer,
                format!("startIndex {start} to a request for startIndex {requested_start}"),
                &format!("{clause}: startIndex is the 1-based index of the first result requested"),
            );
        }
        match total {
            Some(total) if total < items => fail(
                exchange,
                total_pointer,
                format!("totalResults {total} with {items} resources on the page"),
                &format!("{clause}: totalResults counts every result"),
            ),
            Some(total) if items < total && (per_page.is_none() || start.is_none()) => {
                let (pointer, name) =
                    if start.is_none() { (start_pointer, "startIndex") } else { (per_page_pointer, "itemsPerPage") };
                fail(
                    exchange,
                    pointer,
                    format!("{items} of {total} results without {name}"),
                    "RFC 7644 §3.4.2 requires startIndex and itemsPerPage when partial results are returned",
                )
            }
            _ => Ok(()),
        }
    })
}

fn okta_integer_paging(judged: &Judged<'_>) -> Vec<Observation> {
    if judged.idp != "okta" {
        return Vec::new();
    }
    queries(judged, |exchange, _, body| {
        let Some(body) = body else { return Ok(()) };
        for name in ["startIndex", "itemsPerPage", "totalResults"] {
            let (pointer, value) = field(body, name);
            if !value.is_some_and(|v| v.is_u64()) {
                return fail(
                    exchange,
                    pointer,
                    format!("{name} {}", shown(value)),
                    "Okta requires startIndex, itemsPerPage and totalResults as JSON integers (okta-wire.md §1.2)",
                );
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::checks::rules::test_exchange::{Traffic, fails_at, not_applicable, passes};

    fn page(total: u64, start: u64, resources: usize) -> Value {
        let resources: Vec<Value> = (0..resources).map(|i| json!({"id": i.to_string()})).collect();
        json!({"schemas": [urn::LIST_RESPONSE], "totalResults": total, "startIndex": start,
               "itemsPerPage": resources.len(), "Resources": resources})
    }

    #[test]
    fn a_query_answers_a_list_response() {
        let mut traffic = Traffic::entra();
        traffic.get("/Users").query("filter=userName+eq+%22x%22").answer(200, page(0, 1, 0));
        traffic.get("/Groups").answer(200, json!({"Schemas": [urn::LIST_RESPONSE], "totalresults": 0}));
        traffic.get("/Users").query("count=0").answer(200, json!({"schemas": [urn::LIST_RESPONSE], "totalResults": 3}));
        traffic
            .post("/Users/.search", json!({}))
            .answer(200, json!({"schemas": [urn::LIST_RESPONSE], "totalResults": 1, "resources": [{}]}));
        traffic.get("/Users/1").answer(200, json!({}));
        passes(&traffic.judge(&LIST_SHAPE));
        assert_eq!(traffic.judge(&LIST_SHAPE).len(), 4);
    }

    #[test]
    fn a_malformed_list_response_fails() {
        let mut traffic = Traffic::entra();
        traffic.get("/Users").answer(200, json!({"Resources": []}));
        traffic.get("/Users").answer(200, json!({"schemas": [urn::LIST_RESPONSE], "totalResults": "1"}));
        traffic.get("/Users").answer(200, json!({"schemas": [urn::LIST_RESPONSE], "totalResults": 1}));
        traffic.get("/Users").answer(200, None);
        let observations = traffic.judge(&LIST_SHAPE);
        assert!(fails_at(&observations, 1, "/response/body/schemas").contains("schemas nothing"));
        assert!(fails_at(&observations, 2, "/response/body/totalResults").contains("non-negative integer"));
        assert!(fails_at(&observations, 3, "/response/body/Resources").contains("Resources nothing"));
        assert!(fails_at(&observations, 4, "/response/body").contains("without a JSON object body"));
    }

    #[test]
    fn paging_adds_up() {
        let mut traffic = Traffic::okta();
        traffic.get("/Users").query("startIndex=1&count=2").answer(200, page(5, 1, 2));
        traffic.get("/Users").query("startIndex=0&count=100").answer(200, page(2, 1, 2));
        traffic.get("/Groups").answer(200, json!({"schemas": [urn::LIST_RESPONSE], "totalResults": 0}));
        traffic.post("/.search", json!({"schemas": [urn::SEARCH_REQUEST], "startIndex": 3})).answer(200, page(3, 3, 1));
        passes(&traffic.judge(&LIST_PAGING));
    }

    #[test]
    fn paging_that_does_not_add_up_fails() {
        let mut traffic = Traffic::okta();
        traffic.get("/Users").query("count=1").answer(200, page(2, 1, 2));
        let mut miscounted = page(3, 1, 3);
        miscounted["itemsPerPage"] = json!(20);
        traffic.get("/Users").answer(200, miscounted);
        traffic.get("/Users").query("startIndex=3").answer(200, page(5, 1, 2));
        traffic.get("/Users").answer(200, page(1, 1, 2));
        let mut unpaged = page(5, 1, 2);
        unpaged.as_object_mut().unwrap().remove("startIndex");
        traffic.get("/Users").query("count=2").answer(200, unpaged);
        let mut text = page(1, 1, 1);
        text["startIndex"] = json!("1");
        traffic.get("/Users").answer(200, text);
        let observations = traffic.judge(&LIST_PAGING);
        assert!(fails_at(&observations, 1, "/response/body/Resources").contains("MUST NOT return more"));
        assert!(fails_at(&observations, 2, "/response/body/itemsPerPage").contains("itemsPerPage 20 with 3"));
        assert!(fails_at(&observations, 3, "/response/body/startIndex").contains("startIndex 3"));
        assert!(fails_at(&observations, 4, "/response/body/totalResults").contains("totalResults 1 with 2"));
        assert!(fails_at(&observations, 5, "/response/body/startIndex").contains("2 of 5 results without startIndex"));
        assert!(fails_at(&observations, 6, "/response/body/startIndex").contains("startIndex \"1\""));
    }

    #[test]
    fn okta_needs_integer_paging() {
        let mut traffic = Traffic::okta();
        traffic.get("/Users").query("startIndex=1&count=2").answer(200, page(0, 1, 0));
        passes(&traffic.judge(&OKTA_INTEGER_PAGING));
        let mut text = page(1, 1, 1);
        text["totalResults"] = json!("1");
        traffic.get("/Users").answer(200, text);
        traffic.get("/Groups").answer(200, json!({"totalResults": 0, "startIndex": 1}));
        let observations = traffic.judge(&OKTA_INTEGER_PAGING);
        assert!(fails_at(&observations, 2, "/response/body/totalResults").contains("\"1\""));
        assert!(fails_at(&observations, 3, "/response/body/itemsPerPage").contains("itemsPerPage nothing"));

        let mut entra = Traffic::entra();
        entra.get("/Users").answer(200, json!({}));
        not_applicable(&entra.judge(&OKTA_INTEGER_PAGING));
    }
}
