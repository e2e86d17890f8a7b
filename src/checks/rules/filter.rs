//! Filter semantics: `userName eq "X"` matches without case (RFC 7644 §3.4.2.2 honours
//! caseExact, and `userName` is caseExact false, RFC 7643 §4.1.1), and Entra's need for an
//! empty ListResponse, not a 404, when a filter matches nothing (entra-wire.md §1.1).

use serde_json::Value;

use crate::checks::{Check, Judged, Observation, Severity, Source};
use crate::scim::{CompValue, CompareOp, Filter, urn};
use crate::transcript::Exchange;

use super::clause::ENTRA_SCIM_TUTORIAL;
use super::known_users::KnownUsers;
use super::ledger::judge_in_order;
use super::lookup::{STATUS, body_pointer, get, lists_schema, member, response_object};
use super::operation::Operation;
use super::outcome::{Failure, Outcome, each_answered, request_line};
use super::request_query::list_query;

/// `userName eq "X"` finds the live user whose userName is X in another case, and only users
/// whose userName is X in some case.
pub(super) const FILTER_USERNAME_CASE_INSENSITIVE: Check = Check {
    id: "FILTER-USERNAME-CASE-INSENSITIVE",
    title: "A userName eq filter matches userName without case, finding exactly the users whose userName equals the value",
    severity: Severity::Must,
    source: rfc!(7644, "3.4.2.2"),
    rule: filter_user_name,
};

/// Entra needs 200 and an empty ListResponse for a filter that matches nothing.
pub(super) const ENTRA_EMPTY_LIST_200: Check = Check {
    id: "ENTRA-EMPTY-LIST-200",
    title: "A filter that matches nothing answers 200 with an empty ListResponse, not 404",
    severity: Severity::EntraRequires,
    source: Source { document: "entra-wire.md", section: "§1.1", url: ENTRA_SCIM_TUTORIAL },
    rule: entra_empty_list_200,
};

/// The value of a filter `userName eq "value"` (optionally URN-qualified with the core User
/// schema), the filter IdPs match users with.
fn user_name_equality(filter: &Filter) -> Option<&str> {
    match filter {
        Filter::Compare(path, CompareOp::Eq, CompValue::Str(value))
            if path.name.eq_ignore_ascii_case("userName")
                && path.sub.is_none()
                && path.urn.as_deref().is_none_or(|u| u.eq_ignore_ascii_case(urn::USER)) =>
        {
            Some(value)
        }
        _ => None,
    }
}

/// The resources of a page, and whether it says nothing matched.
fn hits(body: &Value) -> (&[Value], bool) {
    let resources = get(body, "Resources").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    let total = get(body, "totalResults").and_then(Value::as_u64);
    (resources, total == Some(0) || (total.is_none() && resources.is_empty()))
}

fn filter_user_name(judged: &Judged<'_>) -> Vec<Observation> {
    judge_in_order(judged, judge_user_name_filter)
}

fn judge_user_name_filter(exchange: &Exchange, users: &KnownUsers) -> Option<Outcome> {
    if exchange.response.as_ref()?.status != 200 {
        return None;
    }
    let Operation::Query { endpoint: Some(endpoint) } = Operation::of(&exchange.request) else { return None };
    if !endpoint.eq_ignore_ascii_case("Users") {
        return None;
    }
    let query = list_query(&exchange.request)?;
    let wanted = user_name_equality(query.filter.as_ref()?)?;
    let body = response_object(exchange)?;
    let (resources, none) = hits(body);
    let resources_key = member(body, "Resources").map_or("Resources", |(key, _)| key);
    for (i, resource) in resources.iter().enumerate() {
        if let Some((key, Value::String(user_name))) = member(resource, "userName")
            && !user_name.eq_ignore_ascii_case(wanted)
        {
            return Some(Err(Failure::at(
                body_pointer(&[resources_key, &i.to_string(), key]),
                format!(
                    "{} answered the user {user_name:?} for userName eq {wanted:?}; RFC 7644 §3.4.2.2 returns only matching resources",
                    request_line(exchange)
                ),
            )));
        }
    }
    if none && let Some((id, user_name)) = users.holder_of(wanted) {
        return Some(Err(Failure::at(
            body_pointer(&["totalResults"]),
            format!(
                "{} answered no match for userName eq {wanted:?} while user {id} ({user_name:?}) exists; \
                 RFC 7644 §3.4.2.2 compares userName (caseExact false, RFC 7643 §4.1.1) without case",
                request_line(exchange)
            ),
        )));
    }
    Some(Ok(()))
}

fn entra_empty_list_200(judged: &Judged<'_>) -> Vec<Observation> {
    if judged.idp != "entra" {
        return Vec::new();
    }
    each_answered(judged, |exchange, response| {
        let is_query = matches!(Operation::of(&exchange.request), Operation::Query { .. });
        if !is_query || !exchange.request.method.eq_ignore_ascii_case("GET") {
            return None;
        }
        list_query(&exchange.request)?.filter?;
        let requirement = "Entra requires 200 with an empty ListResponse for a filter that matches nothing \
                           (entra-wire.md §1.1; a 404 quarantines the job)";
        match response.status {
            404 => Some(Err(Failure::at(STATUS, format!("{} answered 404; {requirement}", request_line(exchange))))),
            200 => {
                let body = response_object(exchange);
                if body.is_some_and(|body| !hits(body).1) {
                    return None;
                }
                Some(if body.is_some_and(|body| lists_schema(body, urn::LIST_RESPONSE)) {
                    Ok(())
                } else {
                    Err(Failure::at(
                        body_pointer(&["schemas"]),
                        format!("{} answered 200 without a ListResponse; {requirement}", request_line(exchange)),
                    ))
                })
            }
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::rules::test_exchange::{Traffic, fails_at, not_applicable, passes};

    fn list(resources: Value) -> Value {
        let total = resources.as_array().unwrap().len();
        json!({"schemas": [urn::LIST_RESPONSE], "totalResults": total, "Resources": resources})
    }

    #[test]
    fn a_user_name_filter_ignores_case() {
        let mut traffic = Traffic::entra();
        traffic.get("/Users").query("filter=userName+eq+%22alice%22").answer(200, list(json!([])));
        traffic.post("/Users", json!({})).answer(201, json!({"id": "1", "userName": "alice"}));
        traffic
            .get("/Users")
            .query("filter=UserName+EQ+%22ALICE%22")
            .answer(200, list(json!([{"id": "1", "userName": "alice"}])));
        traffic.get("/Users").query("filter=displayName+eq+%22x%22").answer(200, list(json!([])));
        traffic.get("/Users").query("filter=userName+eq+%22bob%22").answer(200, list(json!([])));
        passes(&traffic.judge(&FILTER_USERNAME_CASE_INSENSITIVE));
        assert_eq!(traffic.judge(&FILTER_USERNAME_CASE_INSENSITIVE).len(), 3);
    }

    #[test]
    fn a_missed_or_wrong_match_fails() {
        let mut traffic = Traffic::okta();
        not_applicable(&traffic.judge(&FILTER_USERNAME_CASE_INSENSITIVE));
        traffic.post("/Users", json!({})).answer(201, json!({"id": "1", "userName": "alice@example.com"}));
        traffic.get("/Users").query("filter=userName%20eq%20%22ALICE%40example.com%22").answer(200, list(json!([])));
        traffic
            .get("/Users")
            .query("filter=userName+eq+%22bob%22")
            .answer(200, list(json!([{"id": "1", "userName": "alice@example.com"}])));
        let observations = traffic.judge(&FILTER_USERNAME_CASE_INSENSITIVE);
        assert!(fails_at(&observations, 2, "/response/body/totalResults").contains("while user 1"));
        assert!(fails_at(&observations, 3, "/response/body/Resources/0/userName").contains("only matching"));

        traffic.delete("/Users/1").answer(204, None);
        traffic.get("/Users").query("filter=userName+eq+%22alice%40example.com%22").answer(200, list(json!([])));
        assert!(traffic.judge(&FILTER_USERNAME_CASE_INSENSITIVE)[2].passed(), "a deleted user is not missed");
    }

    #[test]
    fn entra_needs_an_empty_list_response_for_no_match() {
        let mut traffic = Traffic::entra();
        traffic.get("/Users").query("filter=userName+eq+%22x%22").answer(200, list(json!([])));
        traffic.get("/Users").query("filter=userName+eq+%22y%22").answer(200, list(json!([{"id": "1"}])));
        traffic.get("/Users").query("filter=userName+eq+%22z%22").answer(401, json!({}));
        traffic.get("/Users").query("startIndex=1").answer(404, json!({}));
        passes(&traffic.judge(&ENTRA_EMPTY_LIST_200));
        assert_eq!(traffic.judge(&ENTRA_EMPTY_LIST_200).len(), 1);

        traffic.get("/Groups").query("filter=displayName+eq+%22x%22").answer(404, json!({}));
        traffic.get("/Users").query("filter=userName+eq+%22x%22").answer(200, json!({"totalResults": 0}));
        let observations = traffic.judge(&ENTRA_EMPTY_LIST_200);
        assert!(fails_at(&observations, 5, "/response/status").contains("answered 404"));
        assert!(fails_at(&observations, 6, "/response/body/schemas").contains("without a ListResponse"));

        let mut okta = Traffic::okta();
        okta.get("/Users").query("filter=userName+eq+%22x%22").answer(404, json!({}));
        not_applicable(&okta.judge(&ENTRA_EMPTY_LIST_200));
    }
}
