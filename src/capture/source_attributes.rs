//! Reading a recorded body back into the IdP-side attributes that produced it, through the
//! default mappings scimsim's engines use: Entra's `userPrincipalName → userName`,
//! `mail → emails[type eq "work"].value` (entra-wire.md §3.2), Okta's template
//! `login → userName`, `lastName → name.familyName` (okta-wire.md §2.4). Only direct mappings
//! can be read back; values computed by an expression (Entra's `name.formatted`) are
//! recomputed by the engine and compared.

use serde_json::{Map, Value};

use crate::idp::app::MappingSource;
use crate::idp::{entra, okta};
use crate::scim::{PatchPath, get_path};

/// The direct mappings of one IdP's default app, as (source attribute, SCIM path) pairs.
#[derive(Debug, Clone, Default)]
pub struct SourceAttributes {
    pairs: Vec<(String, PatchPath)>,
}

impl SourceAttributes {
    /// Entra's default user mappings (a non-gallery app).
    pub fn entra() -> Self {
        let pairs = entra::defaults::user_mapping()
            .mappings
            .iter()
            .filter_map(|mapping| match &mapping.source {
                MappingSource::Direct(source) => Some((source.clone(), mapping.target.parse().ok()?)),
                _ => None,
            })
            .collect();
        Self { pairs }
    }

    /// Okta's SCIM 2.0 template app.
    pub fn okta() -> Self {
        Self { pairs: okta::defaults::direct_sources() }
    }

    /// The source attributes whose values a resource body carries, in mapping order; only
    /// string values (booleans and references have steps of their own).
    pub fn read(&self, body: &Map<String, Value>) -> Vec<(String, String)> {
        self.pairs
            .iter()
            .filter_map(|(source, path)| {
                let value = get_path(body, path)?.as_str()?;
                Some((source.clone(), value.to_string()))
            })
            .collect()
    }

    /// The source attribute mapped to the SCIM path `path` as a PATCH writes it
    /// (`name.familyName`, `emails[type eq "work"].value`, a URN-qualified name); names
    /// compare without case, as RFC 7643 §2.1 has them.
    pub fn source_of(&self, path: &str) -> Option<&str> {
        let wanted: PatchPath = path.parse().ok()?;
        let wanted = wanted.to_string();
        self.pairs.iter().find(|(_, p)| p.to_string().eq_ignore_ascii_case(&wanted)).map(|(s, _)| s.as_str())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn entra_reads_the_documented_create_body_back() {
        // SCIM-TUT "Create User" (entra-wire.md §1.2).
        let body = json!({
            "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
            "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
            "emails": [{"primary": true, "type": "work", "value": "Test_User_fd0ea19b@testuser.com"}],
            "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Sales"}
        });
        let read = SourceAttributes::entra().read(body.as_object().unwrap());
        let names: Vec<&str> = read.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(names, ["userPrincipalName", "mail", "givenName", "surname", "mailNickname", "department"]);
        assert_eq!(read[1].1, "Test_User_fd0ea19b@testuser.com");
        let entra = SourceAttributes::entra();
        assert_eq!(
            entra.source_of("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"),
            Some("department")
        );
        assert_eq!(entra.source_of("emails[type eq \"work\"].value"), Some("mail"));
        assert_eq!(entra.source_of("name.formatted"), None, "an expression is not read back");
    }

    #[test]
    fn okta_reads_the_documented_create_body_back() {
        // REF20's POST (okta-wire.md §1.3).
        let body = json!({
            "userName": "test.user@okta.local",
            "name": {"givenName": "Test", "familyName": "User"},
            "emails": [{"primary": true, "value": "test.user@okta.local", "type": "work"}],
            "displayName": "Test User",
            "locale": "en-US"
        });
        let read = SourceAttributes::okta().read(body.as_object().unwrap());
        assert_eq!(
            read,
            [
                ("login".to_string(), "test.user@okta.local".to_string()),
                ("firstName".into(), "Test".into()),
                ("lastName".into(), "User".into()),
                ("email".into(), "test.user@okta.local".into()),
                ("displayName".into(), "Test User".into()),
                ("locale".into(), "en-US".into()),
            ]
        );
        assert_eq!(SourceAttributes::okta().source_of("name.familyName"), Some("lastName"));
    }
}
