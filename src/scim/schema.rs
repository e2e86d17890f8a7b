//! Schema and attribute definitions (RFC 7643 §2.2, §7), and the schemas the RFC defines.
//!
//! The same types describe the built-in core schemas, extension schemas registered from a
//! JSON file, and the `/Schemas` representation the reference server publishes, so what the
//! server says about an attribute is exactly what it enforces.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::{AttrPath, ScimError, urn};

/// The data type of an attribute (RFC 7643 §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum AttrType {
    /// A Unicode string.
    #[default]
    String,
    /// `true` or `false`.
    Boolean,
    /// A real number.
    Decimal,
    /// A whole number.
    Integer,
    /// An xsd:dateTime, e.g. `2008-01-23T04:56:22Z`.
    DateTime,
    /// Base64-encoded bytes.
    Binary,
    /// A URI referring to a resource.
    Reference,
    /// A set of sub-attributes.
    Complex,
}

impl AttrType {
    /// The RFC keyword, e.g. `dateTime`.
    pub fn keyword(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Boolean => "boolean",
            Self::Decimal => "decimal",
            Self::Integer => "integer",
            Self::DateTime => "dateTime",
            Self::Binary => "binary",
            Self::Reference => "reference",
            Self::Complex => "complex",
        }
    }

    /// True for the types compared as text (string, reference, binary).
    pub fn is_textual(self) -> bool {
        matches!(self, Self::String | Self::Reference | Self::Binary)
    }
}

/// When an attribute may be written (RFC 7643 §7, `mutability`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum Mutability {
    /// Set by the server only; ignored in requests.
    ReadOnly,
    /// Read and written freely.
    #[default]
    ReadWrite,
    /// Written once (on create or when unset), never changed afterwards.
    Immutable,
    /// Written but never returned (e.g. `password`).
    WriteOnly,
}

/// When an attribute is returned (RFC 7643 §7, `returned`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum Returned {
    /// Always, even when not requested or when excluded.
    Always,
    /// Never.
    Never,
    /// Unless excluded, or unless `attributes` names others.
    #[default]
    Default,
    /// Only when named in `attributes`.
    Request,
}

/// How unique values must be (RFC 7643 §7, `uniqueness`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum Uniqueness {
    /// No constraint.
    #[default]
    None,
    /// Unique within this service provider.
    Server,
    /// Globally unique.
    Global,
}

/// One attribute definition (RFC 7643 §7). Field defaults follow RFC 7643 §2.2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Attribute {
    /// Attribute name (case-insensitive on the wire).
    pub name: String,
    /// Data type.
    #[serde(rename = "type", default)]
    pub kind: AttrType,
    /// Sub-attributes of a complex attribute.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sub_attributes: Vec<Attribute>,
    /// True when the value is an array.
    #[serde(default)]
    pub multi_valued: bool,
    /// What the attribute means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// True when a resource must have a value.
    #[serde(default)]
    pub required: bool,
    /// Suggested values, e.g. `work`, `home` for `emails.type`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub canonical_values: Vec<String>,
    /// True when string comparison is case-sensitive.
    #[serde(default)]
    pub case_exact: bool,
    /// When it may be written.
    #[serde(default)]
    pub mutability: Mutability,
    /// When it is returned.
    #[serde(default)]
    pub returned: Returned,
    /// How unique values must be.
    #[serde(default)]
    pub uniqueness: Uniqueness,
    /// For references: the resource types or `external` / `uri` it may point to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reference_types: Vec<String>,
}

impl Attribute {
    /// The sub-attribute called `name` (case-insensitive).
    pub fn sub_attribute(&self, name: &str) -> Option<&Attribute> {
        self.sub_attributes.iter().find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// True for a multi-valued complex attribute with a `value` sub-attribute, which is what
    /// a filter or sort on the bare attribute compares (`emails co "x"` ≡ `emails.value co "x"`).
    pub fn value_sub_attribute(&self) -> Option<&Attribute> {
        (self.kind == AttrType::Complex).then(|| self.sub_attribute("value")).flatten()
    }
}

/// A schema: an id (URN) and its attributes (RFC 7643 §7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    /// The schema URN.
    pub id: String,
    /// Human-readable name, e.g. `User`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the schema is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Top-level attributes.
    pub attributes: Vec<Attribute>,
}

impl Schema {
    /// The attribute called `name` (case-insensitive).
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// Reads a schema from JSON text and checks that it is usable as an extension: a URN id,
    /// valid attribute names, known types, sub-attributes only on complex attributes and one
    /// level deep (RFC 7643 §2.3.8), no duplicate names.
    pub fn from_json(text: &str) -> Result<Self, SchemaError> {
        let schema: Schema = serde_json::from_str(text).map_err(|e| {
            // serde_json ends its message with the position, which the error shows first.
            let message = e.to_string();
            let position = format!(" at line {} column {}", e.line(), e.column());
            SchemaError::Json {
                line: e.line(),
                column: e.column(),
                message: message.strip_suffix(&position).unwrap_or(&message).to_string(),
                fix: if e.is_data() { SCHEMA_SHAPE } else { "fix the JSON syntax there" },
            }
        })?;
        schema.check()?;
        Ok(schema)
    }

    fn check(&self) -> Result<(), SchemaError> {
        let invalid = |detail: String| SchemaError::Invalid { id: self.id.clone(), detail };
        if !urn::has_urn_prefix(&self.id) || self.id.split(':').any(str::is_empty) {
            return Err(invalid(format!(
                "id {:?} is not a URN; use e.g. \"urn:example:params:scim:schemas:extension:acme:2.0:User\"",
                self.id
            )));
        }
        check_siblings(&self.attributes, "", 0).map_err(invalid)
    }
}

fn check_siblings(attributes: &[Attribute], parent: &str, depth: usize) -> Result<(), String> {
    for (i, a) in attributes.iter().enumerate() {
        let path = if parent.is_empty() { a.name.clone() } else { format!("{parent}.{}", a.name) };
        if a.name.parse::<AttrPath>().map(|p| p.urn.is_some() || p.sub.is_some()).unwrap_or(true) {
            return Err(format!(
                "attribute name {path:?} is not valid: names start with a letter and contain letters, digits, '-' and '_'"
            ));
        }
        if attributes[..i].iter().any(|b| b.name.eq_ignore_ascii_case(&a.name)) {
            return Err(format!("attribute {path:?} is defined twice (names are case-insensitive)"));
        }
        match (a.kind, a.sub_attributes.is_empty()) {
            (AttrType::Complex, true) => return Err(format!("complex attribute {path:?} has no subAttributes")),
            (AttrType::Complex, false) if depth > 0 => {
                return Err(format!(
                    "{path:?} is complex inside a complex attribute; RFC 7643 §2.3.8 allows one level"
                ));
            }
            (kind, false) if kind != AttrType::Complex => {
                return Err(format!("{path:?} has subAttributes but type {:?}; make it \"complex\"", kind.keyword()));
            }
            _ => {}
        }
        check_siblings(&a.sub_attributes, &path, depth + 1)?;
    }
    Ok(())
}

/// What a schema file holds, said where one is not shaped like it.
const SCHEMA_SHAPE: &str = "a schema is a JSON object with \"id\" (its URN), \"name\" and \"attributes\", \
     each attribute with a \"name\" and a \"type\" (RFC 7643 §7)";

/// Why a schema file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    /// Not JSON, or not shaped like an RFC 7643 §7 schema.
    #[error("line {line}, column {column}: {message}; {fix}")]
    Json {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What serde_json reported, without the position.
        message: String,
        /// How to fix it: the JSON syntax, or the shape of a schema.
        fix: &'static str,
    },
    /// Shaped like a schema but not usable.
    #[error("schema {id}: {detail}")]
    Invalid {
        /// The schema's id.
        id: String,
        /// What is wrong and how to fix it.
        detail: String,
    },
}

impl From<SchemaError> for ScimError {
    fn from(e: SchemaError) -> Self {
        ScimError::invalid_value(e.to_string())
    }
}

fn builtin(text: &str) -> Schema {
    // The built-in files are part of the crate and covered by tests; a broken one is a bug.
    Schema::from_json(text).unwrap_or_else(|e| panic!("built-in schema is invalid: {e}"))
}

/// The core User schema of RFC 7643 §4.1 / §8.7.1.
pub static USER: LazyLock<Schema> = LazyLock::new(|| builtin(include_str!("schemas/user.json")));
/// The core Group schema of RFC 7643 §4.2 / §8.7.1, with `displayName` required and unique
/// (what Entra needs: it matches groups on displayName, entra-wire.md §1.9).
pub static GROUP: LazyLock<Schema> = LazyLock::new(|| builtin(include_str!("schemas/group.json")));
/// The Enterprise User extension of RFC 7643 §4.3 / §8.7.1.
pub static ENTERPRISE_USER: LazyLock<Schema> = LazyLock::new(|| builtin(include_str!("schemas/enterprise_user.json")));
/// The attributes every resource has (RFC 7643 §3.1): `id`, `externalId`, `meta`, plus
/// `schemas` so that filters such as `schemas eq "urn:…"` resolve.
pub static COMMON: LazyLock<Schema> = LazyLock::new(|| builtin(include_str!("schemas/common.json")));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_load_and_are_what_the_rfc_says() {
        assert_eq!(USER.id, urn::USER);
        assert_eq!(GROUP.id, urn::GROUP);
        assert_eq!(ENTERPRISE_USER.id, urn::ENTERPRISE_USER);
        let user_name = USER.attribute("USERNAME").unwrap();
        assert!(user_name.required);
        assert_eq!(user_name.uniqueness, Uniqueness::Server);
        assert!(!user_name.case_exact);
        let password = USER.attribute("password").unwrap();
        assert_eq!((password.mutability, password.returned), (Mutability::WriteOnly, Returned::Never));
        let emails = USER.attribute("emails").unwrap();
        assert!(emails.multi_valued);
        assert_eq!(emails.value_sub_attribute().unwrap().kind, AttrType::String);
        assert_eq!(USER.attribute("groups").unwrap().mutability, Mutability::ReadOnly);
        assert_eq!(USER.attribute("active").unwrap().kind, AttrType::Boolean);
        let members = GROUP.attribute("members").unwrap();
        assert_eq!(members.sub_attribute("$REF").unwrap().kind, AttrType::Reference);
        assert_eq!(
            ENTERPRISE_USER.attribute("manager").unwrap().sub_attribute("displayName").unwrap().mutability,
            Mutability::ReadOnly
        );
        let id = COMMON.attribute("id").unwrap();
        assert_eq!((id.returned, id.case_exact, id.mutability), (Returned::Always, true, Mutability::ReadOnly));
        assert_eq!(COMMON.attribute("meta").unwrap().sub_attribute("lastModified").unwrap().kind, AttrType::DateTime);
    }

    #[test]
    fn defaults_follow_rfc_7643_section_2_2() {
        let s = Schema::from_json(r#"{"id":"urn:x:y:User","attributes":[{"name":"badge"}]}"#).unwrap();
        let a = &s.attributes[0];
        assert_eq!(a.kind, AttrType::String);
        assert!(!a.multi_valued && !a.required && !a.case_exact);
        assert_eq!(
            (a.mutability, a.returned, a.uniqueness),
            (Mutability::ReadWrite, Returned::Default, Uniqueness::None)
        );
    }

    #[test]
    fn serializes_as_rfc_7643_section_7() {
        let json = serde_json::to_value(&*ENTERPRISE_USER).unwrap();
        let manager = &json["attributes"].as_array().unwrap().iter().find(|a| a["name"] == "manager").unwrap();
        assert_eq!(manager["type"], "complex");
        assert_eq!(manager["multiValued"], false);
        assert_eq!(manager["subAttributes"][1]["referenceTypes"], serde_json::json!(["User"]));
        assert_eq!(manager["mutability"], "readWrite");
        assert_eq!(manager["returned"], "default");
        assert_eq!(manager["uniqueness"], "none");
    }

    #[test]
    fn rejects_unusable_schemas_with_the_fix() {
        let cases = [
            (r#"{"id":"acme","attributes":[]}"#, "not a URN"),
            (r#"{"id":"urn:a:b","attributes":[{"name":"x","type":"complex"}]}"#, "no subAttributes"),
            (r#"{"id":"urn:a:b","attributes":[{"name":"x","subAttributes":[{"name":"y"}]}]}"#, "make it \"complex\""),
            (r#"{"id":"urn:a:b","attributes":[{"name":"x"},{"name":"X"}]}"#, "defined twice"),
            (r#"{"id":"urn:a:b","attributes":[{"name":"bad name"}]}"#, "is not valid"),
            (r#"{"id":"urn:a:b","attributes":[{"name":"a.b"}]}"#, "is not valid"),
            (
                r#"{"id":"urn:a:b","attributes":[{"name":"x","type":"complex","subAttributes":[{"name":"y","type":"complex","subAttributes":[{"name":"z"}]}]}]}"#,
                "one level",
            ),
            (r#"{"id":"urn:a:b","attributes":[{"name":"x","type":"text"}]}"#, "unknown variant"),
            (r#"{"id":"urn:a:b","attributes":[{"name":"x","multivalued":true}]}"#, "unknown field"),
            ("{", "EOF"),
        ];
        for (text, needle) in cases {
            let err = Schema::from_json(text).unwrap_err().to_string();
            assert!(err.contains(needle), "{text}: {err}");
        }
        let err = Schema::from_json("{\n  \"id\": 5\n}").unwrap_err();
        assert!(matches!(err, SchemaError::Json { line: 2, .. }), "{err}");
        // The position is said once, and the fix names what a schema holds.
        let err = Schema::from_json(r#"{"name":"x","attributes":[]}"#).unwrap_err().to_string();
        assert_eq!(err.matches("column").count(), 1, "{err}");
        assert!(err.contains("missing field `id`") && err.contains("\"id\" (its URN)"), "{err}");
    }
}
