//! Where the rules come from: RFC clauses written once as a number (so section and link cannot
//! disagree), and the public pages the IdP wire documents cite.

/// The [`Source`](crate::checks::Source) of a section of RFC 7643 or RFC 7644:
/// `rfc!(7644, "3.3")` is `RFC 7644 §3.3`, <https://www.rfc-editor.org/rfc/rfc7644#section-3.3>.
macro_rules! rfc {
    ($number:literal, $section:literal) => {
        crate::checks::Source {
            document: concat!("RFC ", $number),
            section: concat!("§", $section),
            url: concat!("https://www.rfc-editor.org/rfc/rfc", $number, "#section-", $section),
        }
    };
}

/// Microsoft's "Tutorial: Develop and plan provisioning for a SCIM endpoint" (SCIM-TUT in
/// entra-wire.md), the source of Entra's stated requirements.
pub(super) const ENTRA_SCIM_TUTORIAL: &str =
    "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups";

/// Okta's SCIM 2.0 protocol reference (REF20 in okta-wire.md).
pub(super) const OKTA_SCIM_REFERENCE: &str = "https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20/";

/// Okta's "Test your SCIM API" guide, which describes the CRUD test suite (TESTG and CRUD-T in
/// okta-wire.md).
pub(super) const OKTA_TEST_GUIDE: &str =
    "https://developer.okta.com/docs/guides/scim-provisioning-integration-test/main/";

#[cfg(test)]
mod tests {
    #[test]
    fn rfc_sources_link_their_section() {
        let source = rfc!(7644, "3.4.2.4");
        assert_eq!(source.to_string(), "RFC 7644 §3.4.2.4");
        assert_eq!(source.url, "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.4");
    }
}
