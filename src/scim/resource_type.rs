//! Resource type definitions (RFC 7643 §6): which endpoint serves which schema and extensions.

use serde::{Deserialize, Serialize};

use super::urn;

/// An extension schema a resource type may carry (RFC 7643 §6 `schemaExtensions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaExtension {
    /// The extension schema URN.
    pub schema: String,
    /// True when every resource of the type must carry the extension.
    pub required: bool,
}

/// A resource type: its name, endpoint, core schema and extensions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceType {
    /// The resource type's id (same as its name here).
    pub id: String,
    /// Name, e.g. `User`; also `meta.resourceType` of its resources.
    pub name: String,
    /// Endpoint relative to the base URL, e.g. `/Users`.
    pub endpoint: String,
    /// What the resource type is for.
    pub description: String,
    /// The core schema URN.
    pub schema: String,
    /// Extension schemas.
    #[serde(default)]
    pub schema_extensions: Vec<SchemaExtension>,
}

impl ResourceType {
    /// `User` at `/Users` with the enterprise extension (RFC 7643 §8.6).
    pub fn user() -> Self {
        Self {
            id: "User".into(),
            name: "User".into(),
            endpoint: "/Users".into(),
            description: "User Account".into(),
            schema: urn::USER.into(),
            schema_extensions: vec![SchemaExtension { schema: urn::ENTERPRISE_USER.into(), required: false }],
        }
    }

    /// `Group` at `/Groups` (RFC 7643 §8.6).
    pub fn group() -> Self {
        Self {
            id: "Group".into(),
            name: "Group".into(),
            endpoint: "/Groups".into(),
            description: "Group".into(),
            schema: urn::GROUP.into(),
            schema_extensions: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_rfc_7643_section_6() {
        let json = serde_json::to_value(ResourceType::user()).unwrap();
        assert_eq!(json["endpoint"], "/Users");
        assert_eq!(json["schemaExtensions"][0]["schema"], urn::ENTERPRISE_USER);
        assert_eq!(json["schemaExtensions"][0]["required"], false);
        assert_eq!(serde_json::to_value(ResourceType::group()).unwrap()["schemaExtensions"], serde_json::json!([]));
    }
}
