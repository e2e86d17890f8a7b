//! Extension attributes come back as written. Entra states that a server returns values
//! "exactly as sent" (entra-wire.md §0, "Required response shape"): it diffs what it reads back
//! against its mapping, so an enterprise or custom attribute the server drops is sent again
//! every cycle. Each value of an extension schema (enterprise, or a custom URN) that a
//! successful POST, PUT or PATCH writes must show in that write's answer or in the next read
//! of the resource. Judged on Entra's traffic.

use serde_json::Value;

use crate::checks::{Check, Judged, Observation, Severity, Source};
use crate::transcript::Exchange;

use super::assertion::Assertion;
use super::clause::ENTRA_SCIM_TUTORIAL;
use super::follow_up::{reads_after, successes};
use super::lookup::{get, response_header, response_object, shown};
use super::operation::{Operation, ResourceMethod, ResourceRef};
use super::outcome::{Failure, request_line};

/// Enterprise and custom extension attributes round-trip.
pub(super) const ROUND_TRIP_EXTENSION: Check = Check {
    id: "ROUND-TRIP-EXTENSION",
    title: "Enterprise and custom extension attributes a POST, PUT or PATCH writes come back in its answer or the next GET",
    severity: Severity::EntraRequires,
    source: Source { document: "entra-wire.md", section: "§0", url: ENTRA_SCIM_TUTORIAL },
    rule: round_trip_extension,
};

/// The resource a successful write wrote, and what it asserts about it.
fn written<'e>(exchange: &'e Exchange) -> Option<(ResourceRef<'e>, Vec<Assertion>)> {
    let body = exchange.request.body.as_ref()?;
    match Operation::of(&exchange.request) {
        Operation::Create { endpoint } => {
            let answered = response_object(exchange).and_then(|b| get(b, "id")).and_then(Value::as_str);
            let located = response_header(exchange, "location").and_then(|l| l.rsplit('/').next());
            let id = answered.or(located)?.to_string();
            Some((ResourceRef { endpoint, id }, Assertion::of_resource(body)))
        }
        Operation::OnResource { method: ResourceMethod::Replace, resource } => {
            Some((resource, Assertion::of_resource(body)))
        }
        Operation::OnResource { method: ResourceMethod::Modify, resource } => {
            Some((resource, Assertion::of_patch(body)))
        }
        _ => None,
    }
}

fn round_trip_extension(judged: &Judged<'_>) -> Vec<Observation> {
    if judged.idp != "entra" {
        return Vec::new();
    }
    let exchanges = judged.exchanges;
    successes(exchanges)
        .filter_map(|(index, write)| {
            let (resource, mut assertions) = written(write)?;
            assertions.retain(Assertion::is_extension);
            let answer = response_object(write);
            let read = reads_after(exchanges, index, resource)
                .next()
                .filter(|read| read.response.as_ref().is_some_and(|r| r.status == 200));
            let read_resource = read.and_then(response_object);
            if assertions.is_empty() || (answer.is_none() && read_resource.is_none()) {
                return None;
            }
            let shows = |a: &Assertion, resource: Option<&Value>| resource.is_some_and(|r| a.holds_in(r));
            let lost = assertions.iter().find(|a| !shows(a, answer) && !shows(a, read_resource));
            Some(match (lost, read.zip(read_resource)) {
                (None, _) => Observation::pass(write.seq),
                (Some(lost), Some((read, shown_resource))) => failure(write, lost, shown_resource).observed(read.seq),
                (Some(lost), None) => failure(write, lost, answer.unwrap_or(&Value::Null)).observed(write.seq),
            })
        })
        .collect()
}

fn failure(write: &Exchange, lost: &Assertion, evidence: &Value) -> Failure {
    Failure::at(
        lost.pointer(),
        format!(
            "{} (seq {}) wrote {} {} but the server answered {}; Entra requires values stored and returned \
             exactly as sent (entra-wire.md §0)",
            request_line(write),
            write.seq,
            lost.path(),
            lost.value,
            shown(lost.found_in(evidence))
        ),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::rules::test_exchange::{Traffic, fails_at, not_applicable, passes};
    use crate::scim::urn;

    const CUSTOM: &str = "urn:ietf:params:scim:schemas:extension:custom:2.0:User";

    #[test]
    fn extension_values_come_back() {
        let mut traffic = Traffic::entra();
        let body =
            json!({"userName": "a", (urn::ENTERPRISE_USER): {"department": "Retail"}, (CUSTOM): {"site": "AMS"}});
        traffic
            .post("/Users", body)
            .answer(201, json!({"id": "1", "userName": "a", (urn::ENTERPRISE_USER): {"department": "Retail"}}));
        traffic.get("/Users/1").answer(200, json!({"id": "1", (CUSTOM): {"site": "AMS"}}));
        traffic
            .patch("/Users/1", json!([{"op": "Add", "path": format!("{CUSTOM}:site"), "value": "BER"}]))
            .answer(204, None);
        traffic.get("/Users/1").answer(200, json!({"id": "1", (CUSTOM): {"Site": "BER"}}));
        traffic.post("/Users", json!({"userName": "b"})).answer(201, json!({"id": "2"}));
        passes(&traffic.judge(&ROUND_TRIP_EXTENSION));
        assert_eq!(traffic.judge(&ROUND_TRIP_EXTENSION).len(), 2);
    }

    #[test]
    fn a_dropped_extension_value_fails() {
        let mut traffic = Traffic::entra();
        let employee_number = json!({(urn::ENTERPRISE_USER): {"employeeNumber": "E1"}});
        traffic
            .post("/Users", employee_number.clone())
            .answer(201, json!({"id": "1"}))
            .header("location", "https://x/Users/1");
        traffic
            .patch("/Users/1", json!([{"op": "replace", "value": {(format!("{CUSTOM}:site")): "AMS"}}]))
            .answer(204, None);
        traffic.get("/Users/1").answer(200, json!({"id": "1", (CUSTOM): {"site": "BER"}}));
        let observations = traffic.judge(&ROUND_TRIP_EXTENSION);
        let message = fails_at(&observations, 1, &format!("/response/body/{}/employeeNumber", urn::ENTERPRISE_USER));
        assert!(message.contains("wrote urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber \"E1\" but the server answered nothing"), "{message}");
        assert!(fails_at(&observations, 3, &format!("/response/body/{CUSTOM}/site")).contains("answered \"BER\""));

        let mut okta = Traffic::okta();
        okta.post("/Users", employee_number).answer(201, json!({"id": "1"}));
        not_applicable(&okta.judge(&ROUND_TRIP_EXTENSION));
    }
}
