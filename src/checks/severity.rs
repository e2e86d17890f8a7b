//! How much a failed check matters: the RFC's requirement level, or an IdP's own need where the
//! RFC is silent or lenient. The two layers stay apart: a server can be RFC-correct and still
//! break Entra (DESIGN.md "Checks").

use serde::{Deserialize, Serialize};

/// The weight of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    /// RFC 2119 MUST / SHALL / REQUIRED: a failure breaks conformance.
    #[serde(rename = "MUST")]
    Must,
    /// RFC 2119 SHOULD / RECOMMENDED: a failure is a warning.
    #[serde(rename = "SHOULD")]
    Should,
    /// RFC 2119 MAY / OPTIONAL: informational.
    #[serde(rename = "MAY")]
    May,
    /// What Microsoft Entra ID needs to provision, whatever the RFC allows.
    #[serde(rename = "Entra requires")]
    EntraRequires,
    /// What Okta needs to provision, whatever the RFC allows.
    #[serde(rename = "Okta requires")]
    OktaRequires,
}

impl Severity {
    /// Every severity, most binding first.
    pub const ALL: [Severity; 5] =
        [Severity::Must, Severity::EntraRequires, Severity::OktaRequires, Severity::Should, Severity::May];

    /// The label reports show: `MUST`, `Entra requires`, ….
    pub fn label(self) -> &'static str {
        match self {
            Severity::Must => "MUST",
            Severity::Should => "SHOULD",
            Severity::May => "MAY",
            Severity::EntraRequires => "Entra requires",
            Severity::OktaRequires => "Okta requires",
        }
    }

    /// Whether a failure makes the server incompatible with `idp` (`entra`, `okta`): every
    /// MUST, and the requirements of that IdP. SHOULD and MAY failures are warnings.
    pub fn blocks(self, idp: &str) -> bool {
        match self {
            Severity::Must => true,
            Severity::EntraRequires => idp == "entra",
            Severity::OktaRequires => idp == "okta",
            Severity::Should | Severity::May => false,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idp_requirements_block_only_their_idp() {
        assert!(Severity::Must.blocks("okta") && Severity::Must.blocks("entra"));
        assert!(Severity::EntraRequires.blocks("entra") && !Severity::EntraRequires.blocks("okta"));
        assert!(!Severity::Should.blocks("entra"));
        assert_eq!(serde_json::to_string(&Severity::OktaRequires).unwrap(), "\"Okta requires\"");
    }
}
