//! Entity tags where the server advertises them (RFC 7644 §3.14): "When supported, SCIM ETags
//! MUST be specified as an HTTP header and SHOULD be specified within the "version" attribute
//! contained in the resource's "meta" attribute", and `meta.version` "must be the same as the
//! entity-tag (ETag) HTTP response header" (RFC 7643 §3.1). Judged on answers that carry one
//! resource, when the run's `/ServiceProviderConfig` sets `etag.supported` true.

use serde_json::Value;

use crate::checks::{Check, Judged, Observation, Severity};
use crate::transcript::Exchange;

use super::lookup::{body_pointer, header_pointer, member, response_header, shown};
use super::outcome::{Failure, Outcome, each_answered, request_line};
use super::representation::representations;
use super::service_provider_config::advertises;

/// Resource answers carry an `ETag` header when ETags are advertised.
pub(super) const ETAG_WHERE_ADVERTISED: Check = Check {
    id: "ETAG-WHERE-ADVERTISED",
    title: "When ETags are advertised, every answer carrying a resource has an ETag header",
    severity: Severity::Must,
    source: rfc!(7644, "3.14"),
    rule: etag_where_advertised,
};

/// Resource answers carry `meta.version`, equal to the `ETag` header, when ETags are advertised.
pub(super) const ETAG_META_VERSION: Check = Check {
    id: "ETAG-META-VERSION",
    title: "When ETags are advertised, every resource answered carries meta.version equal to its ETag header",
    severity: Severity::Should,
    source: rfc!(7644, "3.14"),
    rule: etag_meta_version,
};

/// Judges the answers that carry one resource (creates, reads, replaces, modifies) with
/// `judge`, when the run's configuration advertises ETags.
fn resource_answers(judged: &Judged<'_>, judge: impl Fn(&Exchange, &Value) -> Outcome) -> Vec<Observation> {
    if advertises(judged, "etag") != Some(true) {
        return Vec::new();
    }
    each_answered(judged, |exchange, _| {
        let single = representations(exchange).into_iter().find(|r| r.segments.is_empty())?;
        Some(judge(exchange, single.resource))
    })
}

fn etag_where_advertised(judged: &Judged<'_>) -> Vec<Observation> {
    resource_answers(judged, |exchange, _| match response_header(exchange, "etag") {
        Some(tag) if !tag.trim().is_empty() => Ok(()),
        _ => Err(Failure::at(
            header_pointer("etag"),
            format!(
                "{} answered a resource without an ETag header though ETags are advertised; RFC 7644 §3.14: \
                 ETags MUST be specified as an HTTP header",
                request_line(exchange)
            ),
        )),
    })
}

fn etag_meta_version(judged: &Judged<'_>) -> Vec<Observation> {
    resource_answers(judged, |exchange, resource| {
        let meta = member(resource, "meta");
        let version = meta.and_then(|(key, meta)| member(meta, "version").map(|(v_key, v)| ([key, v_key], v)));
        let header = response_header(exchange, "etag").map(str::trim);
        match version {
            Some((_, Value::String(v))) if !v.is_empty() && header.is_none_or(|h| h == v.trim()) => Ok(()),
            _ => Err(Failure::at(
                body_pointer(&version.map_or(["meta", "version"], |(keys, _)| keys)),
                format!(
                    "{} answered meta.version {} with ETag {}; RFC 7644 §3.14: the ETag SHOULD be in meta.version",
                    request_line(exchange),
                    shown(version.map(|(_, v)| v)),
                    header.unwrap_or("(none)")
                ),
            )),
        }
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::rules::test_exchange::{Traffic, fails_at, not_applicable, passes};

    fn advertising(supported: bool) -> Traffic {
        Traffic::entra().advertising(json!({"etag": {"supported": supported}}))
    }

    #[test]
    fn advertised_etags_are_on_every_resource() {
        let mut traffic = advertising(true);
        traffic
            .post("/Users", json!({}))
            .answer(201, json!({"id": "1", "meta": {"version": "W/\"1\""}}))
            .header("etag", "W/\"1\"");
        traffic
            .get("/Users/1")
            .answer(200, json!({"id": "1", "Meta": {"Version": "W/\"1\""}}))
            .header("etag", "W/\"1\"");
        traffic.get("/Users").answer(200, json!({"Resources": [{"id": "1"}]}));
        traffic.patch("/Users/1", json!([])).answer(204, None);
        passes(&traffic.judge(&ETAG_WHERE_ADVERTISED));
        passes(&traffic.judge(&ETAG_META_VERSION));
        assert_eq!(traffic.judge(&ETAG_WHERE_ADVERTISED).len(), 2);
    }

    #[test]
    fn a_missing_or_different_tag_fails() {
        let mut traffic = advertising(true);
        traffic.put("/Users/1", json!({})).answer(200, json!({"id": "1", "meta": {"version": "W/\"2\""}}));
        traffic
            .get("/Users/1")
            .answer(200, json!({"id": "1", "meta": {"version": "W/\"1\""}}))
            .header("etag", "W/\"2\"");
        traffic.get("/Users/1").answer(200, json!({"id": "1", "meta": {}})).header("etag", "W/\"2\"");
        assert!(fails_at(&traffic.judge(&ETAG_WHERE_ADVERTISED), 1, "/response/headers/etag").contains("MUST"));
        let observations = traffic.judge(&ETAG_META_VERSION);
        assert!(fails_at(&observations, 2, "/response/body/meta/version").contains("with ETag W/\"2\""));
        assert!(fails_at(&observations, 3, "/response/body/meta/version").contains("meta.version nothing"));
    }

    #[test]
    fn unadvertised_etags_are_not_judged() {
        let mut traffic = advertising(false);
        traffic.get("/Users/1").answer(200, json!({"id": "1"})).header("etag", "W/\"1\"");
        not_applicable(&traffic.judge(&ETAG_WHERE_ADVERTISED));
        let mut unread = Traffic::okta();
        unread.get("/Users/1").answer(200, json!({"id": "1"}));
        not_applicable(&unread.judge(&ETAG_META_VERSION));
    }
}
