//! How to start the reference server: address, token, base path, extension schemas, behaviour
//! profile, local users.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::scim::Schema;

use super::{Profile, ServerError};

/// Settings of the reference server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Where to listen; port 0 picks a free port. Defaults to `127.0.0.1:0`.
    pub addr: SocketAddr,
    /// The bearer token clients must send; `None` generates a random one.
    pub token: Option<String>,
    /// The path the SCIM endpoints live under, e.g. `/scim/v2` (the default) or `` for the
    /// root.
    pub base_path: String,
    /// Extension schemas to register, each for a resource type (`User` or `Group`).
    pub extensions: Vec<Extension>,
    /// The most resources one list response holds (`filter.maxResults` in
    /// `/ServiceProviderConfig`).
    pub max_results: u64,
    /// Whose behaviour the server plays; [`Profile::Strict`] (the default) is the RFCs'.
    pub profile: Profile,
    /// Users to hold from the start as local users, not created through SCIM: User resources
    /// in the shape of a POST body (see [`super::read_local_users`]).
    pub local_users: Vec<Value>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            token: None,
            base_path: "/scim/v2".into(),
            extensions: Vec::new(),
            max_results: 200,
            profile: Profile::Strict,
            local_users: Vec::new(),
        }
    }
}

/// An extension schema and the resource type it extends.
#[derive(Debug, Clone, PartialEq)]
pub struct Extension {
    /// `User` or `Group`.
    pub resource_type: String,
    /// The schema.
    pub schema: Schema,
    /// The file it was read from, for error messages.
    pub origin: Option<PathBuf>,
}

impl Extension {
    /// An extension of `resource_type` (`User` or `Group`) defined in code.
    pub fn new(resource_type: impl Into<String>, schema: Schema) -> Self {
        Self { resource_type: resource_type.into(), schema, origin: None }
    }

    /// Reads `[User=|Group=]FILE` as `scimsim serve --schema` takes it: a JSON schema in the
    /// RFC 7643 §7 form, extending `User` unless prefixed with `Group=`.
    pub fn from_spec(spec: &str) -> Result<Self, ServerError> {
        let (resource_type, file) = match spec.split_once('=') {
            Some((kind, file)) if kind.eq_ignore_ascii_case("user") || kind.eq_ignore_ascii_case("group") => {
                (if kind.eq_ignore_ascii_case("user") { "User" } else { "Group" }, file)
            }
            _ => ("User", spec),
        };
        Ok(Self {
            resource_type: resource_type.into(),
            schema: read_schema(Path::new(file))?,
            origin: Some(file.into()),
        })
    }
}

fn read_schema(path: &Path) -> Result<Schema, ServerError> {
    let text = std::fs::read_to_string(path)
        .map_err(|reason| ServerError::SchemaRead { path: PathBuf::from(path), reason })?;
    Schema::from_json(&text).map_err(|reason| ServerError::SchemaInvalid { path: PathBuf::from(path), reason })
}

/// Normalizes a base path: one leading slash, no trailing slash, `/` meaning the root.
pub(crate) fn normalize_base_path(path: &str) -> Result<String, ServerError> {
    let trimmed = path.trim().trim_matches('/');
    if trimmed.is_empty() {
        return Ok(String::new());
    }
    let valid = trimmed
        .split('/')
        .all(|segment| !segment.is_empty() && segment.chars().all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c)));
    if !valid || trimmed.contains('{') {
        return Err(ServerError::BasePath(path.to_string()));
    }
    Ok(format!("/{trimmed}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(normalize_base_path("/scim/v2").unwrap(), "/scim/v2");
        assert_eq!(normalize_base_path("scim/v2/").unwrap(), "/scim/v2");
        assert_eq!(normalize_base_path("/").unwrap(), "");
        assert_eq!(normalize_base_path("").unwrap(), "");
        assert!(normalize_base_path("/a//b").is_err());
        assert!(normalize_base_path("/a b").is_err());
        assert!(normalize_base_path("/{id}").is_err());
    }

    #[test]
    fn the_readme_fixture_schema_loads() {
        let ext =
            Extension::from_spec(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/schemas/omni-user.json")).unwrap();
        assert_eq!(ext.schema.id, "urn:omni:params:1.0:UserAttribute");
        assert_eq!(ext.schema.attributes.len(), 6);
    }

    #[test]
    fn extension_specs() {
        let dir = std::env::temp_dir().join(format!("scimsim-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("ext.json");
        std::fs::write(&file, r#"{"id":"urn:acme:1.0:Group","attributes":[{"name":"costCode"}]}"#).unwrap();
        let group = Extension::from_spec(&format!("group={}", file.display())).unwrap();
        assert_eq!(group.resource_type, "Group");
        assert_eq!(Extension::from_spec(&file.display().to_string()).unwrap().resource_type, "User");
        let missing = Extension::from_spec("/nonexistent/ext.json").unwrap_err().to_string();
        assert!(missing.contains("/nonexistent/ext.json"), "{missing}");
        std::fs::write(&file, "{\n  \"id\": \"acme\", \"attributes\": []\n}").unwrap();
        let invalid = Extension::from_spec(&file.display().to_string()).unwrap_err().to_string();
        assert!(invalid.contains("ext.json") && invalid.contains("not a URN"), "{invalid}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
