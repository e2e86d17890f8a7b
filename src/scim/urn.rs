//! Schema and message URNs of RFC 7643 / RFC 7644, plus the few non-RFC URNs real IdPs send.
//!
//! A SCIM attribute path may be qualified by the URN of the schema that defines it
//! (RFC 7644 §3.10): `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`.
//! The URN is everything before the last colon, so vendor URNs whose own segments contain
//! dots or digits (`urn:omni:params:1.0:UserAttribute:blob_entity`) work the same way.

/// Core User schema (RFC 7643 §4.1).
pub const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// Core Group schema (RFC 7643 §4.2).
pub const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// Enterprise User extension (RFC 7643 §4.3).
pub const ENTERPRISE_USER: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// Service provider configuration schema (RFC 7643 §5).
pub const SERVICE_PROVIDER_CONFIG: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
/// Resource type schema (RFC 7643 §6).
pub const RESOURCE_TYPE: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
/// Schema of schema definitions (RFC 7643 §7).
pub const SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
/// Query response envelope (RFC 7644 §3.4.2).
pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// POST-based query body (RFC 7644 §3.4.3).
pub const SEARCH_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
/// PATCH body (RFC 7644 §3.5.2).
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/// Bulk request body (RFC 7644 §3.7).
pub const BULK_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
/// Error response body (RFC 7644 §3.12).
pub const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
/// Microsoft's group schema URI that Entra lists in `schemas` when it creates a group
/// (entra-wire.md §1.9: "sent for years; the server should accept or ignore it").
pub const ENTRA_GROUP: &str = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

/// Splits a URN-qualified attribute path into `(urn, rest)`.
///
/// The URN is everything before the last colon that precedes any value filter (`[`), so
/// `urn:…:User:emails[value eq "a:b"]` keeps the colon inside the filter. Paths without a
/// `urn:` prefix are returned unsplit. RFC 7644 §3.10.
pub fn split_qualified(path: &str) -> (Option<&str>, &str) {
    if !has_urn_prefix(path) {
        return (None, path);
    }
    let head_end = path.find('[').unwrap_or(path.len());
    match path[..head_end].rfind(':') {
        Some(colon) => (Some(&path[..colon]), &path[colon + 1..]),
        None => (None, path),
    }
}

/// True when `s` starts with `urn:` in any letter case (RFC 8141: the NID prefix is
/// case-insensitive).
pub fn has_urn_prefix(s: &str) -> bool {
    s.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_enterprise_attribute() {
        assert_eq!(
            split_qualified("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"),
            (Some(ENTERPRISE_USER), "department")
        );
    }

    #[test]
    fn splits_vendor_urn_at_last_colon() {
        assert_eq!(
            split_qualified("urn:omni:params:1.0:UserAttribute:blob_entity"),
            (Some("urn:omni:params:1.0:UserAttribute"), "blob_entity")
        );
    }

    #[test]
    fn keeps_colons_inside_value_filters() {
        assert_eq!(
            split_qualified(r#"urn:ietf:params:scim:schemas:core:2.0:User:emails[value eq "a:b"].value"#),
            (Some(USER), r#"emails[value eq "a:b"].value"#)
        );
    }

    #[test]
    fn unqualified_paths_are_unsplit() {
        assert_eq!(split_qualified("name.givenName"), (None, "name.givenName"));
        assert_eq!(split_qualified(r#"members[value eq "x:y"]"#), (None, r#"members[value eq "x:y"]"#));
    }

    #[test]
    fn urn_prefix_is_case_insensitive() {
        assert!(has_urn_prefix("URN:foo:bar"));
        assert!(!has_urn_prefix("http://schemas.microsoft.com/x"));
        assert!(!has_urn_prefix("ur"));
    }
}
