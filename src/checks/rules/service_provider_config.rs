//! What `/ServiceProviderConfig` advertises (RFC 7643 §5), and whether the server lives up to
//! it: `patch.supported` true and a PATCH answered 501 Not Implemented, or `filter.supported`
//! true and a plain equality filter refused, contradict the configuration clients plan by. Not
//! applicable when the run did not read the configuration.

use crate::checks::{Check, Judged, Observation, Severity};
use crate::scim::{CompValue, CompareOp, Filter, ScimError, ScimType};
use crate::transcript::Exchange;

use super::lookup::{STATUS, body_pointer, get};
use super::operation::{Operation, ResourceMethod};
use super::outcome::{Failure, each_answered, request_line};
use super::request_query::list_query;

/// Attributes every server filters on: the ones IdPs match users and groups with
/// (entra-wire.md §1.0, okta-wire.md §1.3) and `id`. A refused filter on another attribute may
/// be a legitimate "attribute not supported" (RFC 7644 §3.12 `invalidFilter`).
const MATCHING_ATTRIBUTES: [&str; 4] = ["userName", "externalId", "displayName", "id"];

/// The server does what its ServiceProviderConfig advertises.
pub(super) const SPC_TRUTHFUL: Check = Check {
    id: "SPC-TRUTHFUL",
    title: "The server supports what its ServiceProviderConfig advertises: PATCH, and filtering on an equality",
    severity: Severity::Must,
    source: rfc!(7643, "5"),
    rule: spc_truthful,
};

/// Whether the run's `/ServiceProviderConfig` sets `{feature}.supported` to true; `None`
/// without a configuration.
pub(super) fn advertises(judged: &Judged<'_>, feature: &str) -> Option<bool> {
    let config = judged.service_provider_config?;
    Some(get(config, feature).and_then(|f| get(f, "supported")).and_then(serde_json::Value::as_bool) == Some(true))
}

/// Whether `filter` is `attr eq "value"` on an attribute every server filters on.
fn is_plain_equality(filter: &Filter) -> bool {
    matches!(filter, Filter::Compare(path, CompareOp::Eq, CompValue::Str(_))
        if path.sub.is_none() && MATCHING_ATTRIBUTES.iter().any(|a| a.eq_ignore_ascii_case(&path.name)))
}

fn spc_truthful(judged: &Judged<'_>) -> Vec<Observation> {
    let (Some(patch), Some(filter)) = (advertises(judged, "patch"), advertises(judged, "filter")) else {
        return Vec::new();
    };
    each_answered(judged, |exchange, response| {
        let operation = Operation::of(&exchange.request);
        if patch && operation.on(ResourceMethod::Modify).is_some() {
            return Some(if response.status == 501 { Err(refused(exchange, "patch")) } else { Ok(()) });
        }
        if filter && matches!(operation, Operation::Query { .. }) {
            list_query(&exchange.request)?.filter.filter(is_plain_equality)?;
            let invalid_filter = response.status == 400
                && response.body.as_ref().and_then(ScimError::from_json).and_then(|e| e.scim_type)
                    == Some(ScimType::InvalidFilter);
            return Some(if response.status == 501 || invalid_filter {
                Err(refused(exchange, "filter"))
            } else {
                Ok(())
            });
        }
        None
    })
}

fn refused(exchange: &Exchange, feature: &str) -> Failure {
    let status = exchange.response.as_ref().map_or(0, |r| r.status);
    let pointer = if status == 501 { STATUS.to_string() } else { body_pointer(&["scimType"]) };
    Failure::at(
        pointer,
        format!(
            "{} answered {status} though /ServiceProviderConfig advertises {feature}.supported true; \
             RFC 7643 §5: the configuration states what the server supports",
            request_line(exchange)
        ),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::checks::rules::test_exchange::{Traffic, fails_at, not_applicable, passes};

    fn config(supported: bool) -> Value {
        json!({"patch": {"supported": supported}, "Filter": {"Supported": supported, "maxResults": 200},
               "etag": {"supported": false}})
    }

    #[test]
    fn advertised_features_work() {
        let mut traffic = Traffic::entra().advertising(config(true));
        traffic.patch("/Users/1", json!([])).answer(204, None);
        traffic.get("/Users").query("filter=userName+eq+%22a%22").answer(200, json!({}));
        traffic.get("/Users").query("filter=title+eq+%22a%22").answer(400, ScimError::invalid_filter("no").to_json());
        traffic.get("/Users").query("filter=userName+sw+%22a%22").answer(501, json!({}));
        passes(&traffic.judge(&SPC_TRUTHFUL));
        assert_eq!(traffic.judge(&SPC_TRUTHFUL).len(), 2);
    }

    #[test]
    fn an_advertised_feature_refused_fails() {
        let mut traffic = Traffic::okta().advertising(config(true));
        traffic.patch("/Users/1", json!([])).answer(501, json!({}));
        traffic
            .get("/Groups")
            .query("filter=displayName+eq+%22a%22")
            .answer(400, ScimError::invalid_filter("no").to_json());
        let observations = traffic.judge(&SPC_TRUTHFUL);
        assert!(fails_at(&observations, 1, "/response/status").contains("patch.supported true"));
        assert!(fails_at(&observations, 2, "/response/body/scimType").contains("filter.supported true"));
    }

    #[test]
    fn without_a_configuration_or_an_advertisement_nothing_is_judged() {
        let mut unread = Traffic::okta();
        unread.patch("/Users/1", json!([])).answer(501, json!({}));
        not_applicable(&unread.judge(&SPC_TRUTHFUL));
        let mut modest = Traffic::okta().advertising(config(false));
        modest.patch("/Users/1", json!([])).answer(501, json!({}));
        not_applicable(&modest.judge(&SPC_TRUTHFUL));
    }
}
