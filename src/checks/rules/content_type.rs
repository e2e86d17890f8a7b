//! The media type of response bodies (RFC 7644 §3.8): service providers MUST support
//! `Accept: application/scim+json`, and the format defaults to `application/scim+json` when
//! the client names none. `application/json` is fine when the client asked for it (it SHOULD be
//! supported too).

use crate::checks::{Check, Judged, Observation, Severity};

use super::lookup::{header_pointer, response_header};
use super::outcome::{Failure, each_answered, request_line};

/// Every response body is `application/scim+json`.
pub(super) const CONTENT_TYPE_SCIM: Check = Check {
    id: "CONTENT-TYPE-SCIM",
    title: "A response with a body has Content-Type application/scim+json (or application/json when asked for)",
    severity: Severity::Must,
    source: rfc!(7644, "3.8"),
    rule: content_type_scim,
};

/// The media type of a `Content-Type` value, lower-case and without parameters.
fn media_type(value: &str) -> String {
    value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

fn content_type_scim(judged: &Judged<'_>) -> Vec<Observation> {
    each_answered(judged, |exchange, response| {
        response.body.as_ref()?;
        let answered = response_header(exchange, "content-type").map(media_type);
        let asked_for_json = exchange
            .request
            .headers
            .get("accept")
            .is_some_and(|accept| accept.split(',').any(|a| media_type(a) == "application/json"));
        Some(match answered.as_deref() {
            Some("application/scim+json") => Ok(()),
            Some("application/json") if asked_for_json => Ok(()),
            other => Err(Failure::at(
                header_pointer("content-type"),
                format!(
                    "{} answered {} with Content-Type {}; RFC 7644 §3.8 requires application/scim+json",
                    request_line(exchange),
                    response.status,
                    other.unwrap_or("(none)")
                ),
            )),
        })
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::rules::test_exchange::{Traffic, fails_at, passes};

    #[test]
    fn bodies_are_scim_json() {
        let mut traffic = Traffic::entra();
        traffic.get("/Users/1").answer(200, json!({})).header("content-type", "application/scim+json; charset=utf-8");
        traffic.delete("/Users/1").answer(204, None);
        traffic
            .get("/Users/2")
            .request_header("accept", "application/json")
            .answer(404, json!({}))
            .header("content-type", "Application/JSON");
        passes(&traffic.judge(&CONTENT_TYPE_SCIM));
        assert_eq!(traffic.judge(&CONTENT_TYPE_SCIM).len(), 2, "a 204 without a body is not judged");

        traffic.get("/Users/3").answer(200, json!({})).header("content-type", "application/json");
        traffic.get("/Users/4").answer(502, json!({"raw": "<html>"})).header("content-type", "");
        let observations = traffic.judge(&CONTENT_TYPE_SCIM);
        assert_eq!(
            fails_at(&observations, 4, "/response/headers/content-type"),
            "GET /Users/3 answered 200 with Content-Type application/json; RFC 7644 §3.8 requires application/scim+json"
        );
        assert!(fails_at(&observations, 5, "/response/headers/content-type").contains("(none)"));
    }
}
