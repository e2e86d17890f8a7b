//! The rules, one file per topic of RFC 7644 / RFC 7643 or IdP need.
//!
//! RFC rules judge every scenario; an IdP's rules (severity "Entra requires" / "Okta requires")
//! judge the scenarios that IdP played, since its traffic is their evidence. No rule judges an
//! exchange that got no response, and none fails what the RFC allows: names in any case, PATCH
//! answered 204, a 200 to `POST /.search`.

#[macro_use]
mod clause;

mod assertion;
mod follow_up;
mod known_users;
mod ledger;
mod lookup;
mod operation;
mod outcome;
mod representation;
mod request_query;
#[cfg(test)]
pub(crate) mod test_exchange;

mod content_type;
mod deactivation;
mod deletion;
mod error_body;
mod etag;
mod filter;
mod identity;
mod list_response;
mod location;
mod meta;
mod patch;
mod round_trip;
mod service_provider_config;
mod status;
mod uniqueness;

use super::check::Check;

/// Every rule's check, in report order: status codes, the media type and headers, what every
/// resource carries, queries and filters, errors, what writes leave behind, advertised
/// capabilities, then each IdP's own needs.
pub(super) fn all() -> Vec<Check> {
    vec![
        status::CREATE_201,
        status::CREATE_RETURNS_RESOURCE,
        status::GET_200,
        status::REPLACE_200,
        status::PATCH_STATUS,
        status::DELETE_204,
        status::QUERY_200,
        content_type::CONTENT_TYPE_SCIM,
        location::LOCATION_ON_201,
        identity::ID_PRESENT,
        identity::ID_STABLE,
        meta::META_FIELDS,
        list_response::LIST_SHAPE,
        list_response::LIST_PAGING,
        filter::FILTER_USERNAME_CASE_INSENSITIVE,
        error_body::ERROR_BODY,
        patch::PATCH_VISIBLE,
        uniqueness::UNIQUENESS_409,
        deletion::GONE_AFTER_DELETE_404,
        deletion::DELETED_NOT_LISTED,
        etag::ETAG_WHERE_ADVERTISED,
        etag::ETAG_META_VERSION,
        service_provider_config::SPC_TRUTHFUL,
        filter::ENTRA_EMPTY_LIST_200,
        deactivation::ENTRA_SOFT_DELETE_VISIBLE,
        round_trip::ROUND_TRIP_EXTENSION,
        list_response::OKTA_INTEGER_PAGING,
        deactivation::OKTA_DEACTIVATED_GET_200,
    ]
}
