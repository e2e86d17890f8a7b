//! Where a check comes from: the RFC clause or the IdP document that states the rule, with a
//! link a reader can follow.

use serde::Serialize;

/// The document and section a check enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Source {
    /// `RFC 7644`, `RFC 7643`, `entra-wire.md`, `okta-wire.md`, or a vendor document's title.
    pub document: &'static str,
    /// The section, as the document numbers it: `§3.3`, `§3.4.2`.
    pub section: &'static str,
    /// A public URL to the section (for the RFCs, the rfc-editor anchor).
    pub url: &'static str,
}

impl Source {
    /// A clause of RFC 7643 (SCIM core schema): `section` like `3.1`, giving the URL
    /// `https://www.rfc-editor.org/rfc/rfc7643#section-3.1`.
    pub const fn rfc7643(section: &'static str, url: &'static str) -> Self {
        Self { document: "RFC 7643", section, url }
    }

    /// A clause of RFC 7644 (SCIM protocol).
    pub const fn rfc7644(section: &'static str, url: &'static str) -> Self {
        Self { document: "RFC 7644", section, url }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.document, self.section)
    }
}
