//! The SCIM error response (RFC 7644 §3.12): HTTP status, `scimType` and a detail that says
//! what to fix.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::urn;

/// The `scimType` values of RFC 7644 §3.12, table 9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ScimType {
    /// The filter syntax was invalid, or the attribute and comparison are not supported.
    InvalidFilter,
    /// The filter yields too many results to process.
    TooMany,
    /// One or more attribute values are already in use or reserved.
    Uniqueness,
    /// The modification is incompatible with the attribute's mutability.
    Mutability,
    /// The request body structure was invalid or did not conform to the schema.
    InvalidSyntax,
    /// The `path` attribute was invalid or malformed.
    InvalidPath,
    /// The `path` did not yield an attribute or value that could be operated on.
    NoTarget,
    /// A required value was missing, or the value was not compatible with the attribute.
    InvalidValue,
    /// The protocol version is not supported.
    InvalidVers,
    /// The request cannot be completed because of sensitive information in it.
    Sensitive,
}

impl ScimType {
    /// The camelCase keyword of the RFC, e.g. `invalidFilter`.
    pub fn keyword(self) -> &'static str {
        match self {
            Self::InvalidFilter => "invalidFilter",
            Self::TooMany => "tooMany",
            Self::Uniqueness => "uniqueness",
            Self::Mutability => "mutability",
            Self::InvalidSyntax => "invalidSyntax",
            Self::InvalidPath => "invalidPath",
            Self::NoTarget => "noTarget",
            Self::InvalidValue => "invalidValue",
            Self::InvalidVers => "invalidVers",
            Self::Sensitive => "sensitive",
        }
    }
}

impl fmt::Display for ScimType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// A SCIM error: what the reference server answers and what a target's error body parses
/// into.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ScimError {
    /// HTTP status code.
    pub status: u16,
    /// The `scimType` keyword, for 400 and 409 errors.
    pub scim_type: Option<ScimType>,
    /// Human-readable explanation: what was wrong and how to fix it.
    pub detail: String,
}

impl fmt::Display for ScimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(t) = self.scim_type {
            write!(f, " {t}")?;
        }
        write!(f, ": {}", self.detail)
    }
}

impl ScimError {
    /// An error with an arbitrary status and no `scimType`.
    pub fn new(status: u16, detail: impl Into<String>) -> Self {
        Self { status, scim_type: None, detail: detail.into() }
    }

    /// A 400 Bad Request with the given `scimType`.
    pub fn bad_request(scim_type: ScimType, detail: impl Into<String>) -> Self {
        Self { status: 400, scim_type: Some(scim_type), detail: detail.into() }
    }

    /// 400 `invalidValue`.
    pub fn invalid_value(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::InvalidValue, detail)
    }

    /// 400 `invalidSyntax`.
    pub fn invalid_syntax(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::InvalidSyntax, detail)
    }

    /// 400 `invalidPath`.
    pub fn invalid_path(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::InvalidPath, detail)
    }

    /// 400 `invalidFilter`.
    pub fn invalid_filter(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::InvalidFilter, detail)
    }

    /// 400 `mutability`.
    pub fn mutability(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::Mutability, detail)
    }

    /// 400 `noTarget`.
    pub fn no_target(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::NoTarget, detail)
    }

    /// 409 Conflict with `scimType` `uniqueness`.
    pub fn uniqueness(detail: impl Into<String>) -> Self {
        Self { status: 409, scim_type: Some(ScimType::Uniqueness), detail: detail.into() }
    }

    /// 404 Not Found.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(404, detail)
    }

    /// The RFC 7644 §3.12 JSON body. `status` is a string, as the RFC's examples show.
    pub fn to_json(&self) -> Value {
        let mut body = json!({
            "schemas": [urn::ERROR],
            "status": self.status.to_string(),
            "detail": self.detail,
        });
        if let Some(t) = self.scim_type {
            body["scimType"] = Value::String(t.keyword().to_string());
        }
        body
    }

    /// Reads an error body a SCIM server sent. Accepts `status` as a string (RFC) or a
    /// number (a common deviation, judged elsewhere); `None` if the body is not an error.
    pub fn from_json(body: &Value) -> Option<Self> {
        let status = match body.get("status")? {
            Value::String(s) => s.parse().ok()?,
            Value::Number(n) => u16::try_from(n.as_u64()?).ok()?,
            _ => return None,
        };
        let scim_type = body.get("scimType").and_then(|t| serde_json::from_value(t.clone()).ok());
        let detail = body.get("detail").and_then(Value::as_str).unwrap_or_default().to_string();
        Some(Self { status, scim_type, detail })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_rfc_shape() {
        let err = ScimError::uniqueness("userName \"bjensen\" is taken");
        assert_eq!(
            err.to_json(),
            json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                "status": "409",
                "scimType": "uniqueness",
                "detail": "userName \"bjensen\" is taken",
            })
        );
    }

    #[test]
    fn no_scim_type_for_404() {
        let body = ScimError::not_found("no User 42").to_json();
        assert!(body.get("scimType").is_none());
        assert_eq!(body["status"], "404");
    }

    #[test]
    fn parses_back_including_numeric_status() {
        let err = ScimError::invalid_filter("bad");
        assert_eq!(ScimError::from_json(&err.to_json()), Some(err));
        let numeric = json!({"status": 400, "scimType": "invalidPath", "detail": "x"});
        assert_eq!(ScimError::from_json(&numeric).unwrap().scim_type, Some(ScimType::InvalidPath));
        assert_eq!(ScimError::from_json(&json!({"userName": "x"})), None);
    }

    #[test]
    fn keywords_match_serde_names() {
        for t in [
            ScimType::InvalidFilter,
            ScimType::TooMany,
            ScimType::Uniqueness,
            ScimType::Mutability,
            ScimType::InvalidSyntax,
            ScimType::InvalidPath,
            ScimType::NoTarget,
            ScimType::InvalidValue,
            ScimType::InvalidVers,
            ScimType::Sensitive,
        ] {
            assert_eq!(serde_json::to_value(t).unwrap(), Value::String(t.keyword().into()));
        }
    }

    #[test]
    fn display_is_one_line() {
        assert_eq!(ScimError::no_target("x").to_string(), "HTTP 400 noTarget: x");
    }
}
