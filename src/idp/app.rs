//! The provisioning app as an IdP admin configures it: the target attribute list (the schema
//! the IdP believes the app has), the attribute mappings, and which object actions run.
//!
//! Entra calls the attribute list "Edit attribute list for customappsso" (entra-wire.md §3.3),
//! Okta the Profile Editor; both feed the same model.

use std::fmt;
use std::sync::Arc;

use super::mapping::SourceExpression;

/// The type of a target attribute, as an attribute list declares it (entra-wire.md §3.3;
/// Okta's `number` is `Decimal`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetType {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// A real number.
    Decimal,
    /// True or false.
    Boolean,
    /// A date and time.
    DateTime,
    /// A reference to another provisioned object (Entra's `manager`).
    Reference,
    /// Binary data, base64 on the wire.
    Binary,
}

impl TargetType {
    /// Reads a type name as admins write it (`String`, `Boolean`, `integer`, `number`, …).
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "string" => Self::String,
            "integer" => Self::Integer,
            "decimal" | "number" => Self::Decimal,
            "boolean" => Self::Boolean,
            "datetime" => Self::DateTime,
            "reference" => Self::Reference,
            "binary" => Self::Binary,
            _ => return None,
        })
    }
}

/// One attribute of the app's target schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetAttribute {
    /// The target path, e.g. `emails[type eq "work"].value` or
    /// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`.
    pub name: String,
    /// Its type.
    pub kind: TargetType,
    /// Entra's "Primary Key?".
    pub primary_key: bool,
    /// "Required?".
    pub required: bool,
    /// "Multi-Value?".
    pub multi_valued: bool,
    /// "Exact Case?".
    pub case_exact: bool,
    /// For references: the object type referred to (`User`).
    pub referenced_object: Option<String>,
}

impl TargetAttribute {
    /// A single-valued, optional attribute of `kind`.
    pub fn new(name: impl Into<String>, kind: TargetType) -> Self {
        Self {
            name: name.into(),
            kind,
            primary_key: false,
            required: false,
            multi_valued: false,
            case_exact: false,
            referenced_object: None,
        }
    }
}

/// Where a mapped value comes from (Graph `attributeMappingSource.type`, entra-wire.md §3.1).
#[derive(Clone)]
pub enum MappingSource {
    /// Copy a source attribute.
    Direct(String),
    /// A constant string.
    Constant(String),
    /// An expression in the IdP's language.
    Expression(Arc<dyn SourceExpression>),
    /// Nothing: the target only gets its default value on creation.
    None,
}

impl fmt::Debug for MappingSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Direct(name) => write!(f, "Direct([{name}])"),
            Self::Constant(value) => write!(f, "Constant({value:?})"),
            Self::Expression(e) => write!(f, "Expression({})", e.text()),
            Self::None => f.write_str("None"),
        }
    }
}

/// When a mapping flows (Entra "Apply this mapping", Okta "Apply on").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apply {
    /// On creation and on every update.
    Always,
    /// Only when the object is created.
    OnCreateOnly,
}

/// One attribute mapping.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// Where the value comes from.
    pub source: MappingSource,
    /// The target path it flows to.
    pub target: String,
    /// Used on creation when the source yields null or empty ("Default value if null").
    pub default_if_null: Option<String>,
    /// Match objects using this attribute, tried in ascending order (1 first).
    pub matching_precedence: Option<u32>,
    /// When it flows.
    pub apply: Apply,
}

impl Mapping {
    /// A mapping that always flows, with no default and no matching.
    pub fn new(source: MappingSource, target: impl Into<String>) -> Self {
        Self { source, target: target.into(), default_if_null: None, matching_precedence: None, apply: Apply::Always }
    }
}

/// Which writes the IdP may make for an object type ("Target object actions").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actions {
    /// Create objects.
    pub create: bool,
    /// Update objects.
    pub update: bool,
    /// Deprovision objects (disable or delete).
    pub delete: bool,
}

impl Default for Actions {
    fn default() -> Self {
        Self { create: true, update: true, delete: true }
    }
}

/// The attribute list and mappings of one object type (users or groups).
#[derive(Debug, Clone, Default)]
pub struct ObjectMapping {
    /// Whether objects of this type are provisioned at all.
    pub enabled: bool,
    /// Target object actions.
    pub actions: Actions,
    /// The target schema as the IdP knows it.
    pub attributes: Vec<TargetAttribute>,
    /// The mappings, in the order the admin sees them.
    pub mappings: Vec<Mapping>,
}

impl ObjectMapping {
    /// The attribute named `name` (case-insensitive).
    pub fn attribute(&self, name: &str) -> Option<&TargetAttribute> {
        self.attributes.iter().find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// Adds an attribute, or replaces the one with the same name.
    pub fn put_attribute(&mut self, attribute: TargetAttribute) {
        match self.attributes.iter_mut().find(|a| a.name.eq_ignore_ascii_case(&attribute.name)) {
            Some(slot) => *slot = attribute,
            None => self.attributes.push(attribute),
        }
    }

    /// Adds a mapping, replacing any mapping to the same target.
    pub fn put_mapping(&mut self, mapping: Mapping) {
        match self.mappings.iter_mut().find(|m| m.target.eq_ignore_ascii_case(&mapping.target)) {
            Some(slot) => *slot = mapping,
            None => self.mappings.push(mapping),
        }
    }

    /// The mapping to `target` (case-insensitive).
    pub fn mapping(&self, target: &str) -> Option<&Mapping> {
        self.mappings.iter().find(|m| m.target.eq_ignore_ascii_case(target))
    }

    /// The matching mappings in precedence order.
    pub fn matching(&self) -> Vec<&Mapping> {
        let mut matching: Vec<&Mapping> = self.mappings.iter().filter(|m| m.matching_precedence.is_some()).collect();
        matching.sort_by_key(|m| m.matching_precedence);
        matching
    }
}

/// A provisioning app: users and groups.
#[derive(Debug, Clone, Default)]
pub struct App {
    /// How users are provisioned.
    pub users: ObjectMapping,
    /// How groups are provisioned.
    pub groups: ObjectMapping,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(TargetType::parse("String"), Some(TargetType::String));
        assert_eq!(TargetType::parse("DateTime"), Some(TargetType::DateTime));
        assert_eq!(TargetType::parse("number"), Some(TargetType::Decimal));
        assert_eq!(TargetType::parse("text"), None);
    }

    #[test]
    fn mappings_replace_by_target_and_sort_matching() {
        let mut users = ObjectMapping::default();
        users.put_mapping(Mapping {
            matching_precedence: Some(2),
            ..Mapping::new(MappingSource::Direct("objectId".into()), "externalId")
        });
        users.put_mapping(Mapping {
            matching_precedence: Some(1),
            ..Mapping::new(MappingSource::Direct("mail".into()), "userName")
        });
        users.put_mapping(Mapping {
            matching_precedence: Some(1),
            ..Mapping::new(MappingSource::Direct("userPrincipalName".into()), "USERNAME")
        });
        assert_eq!(users.mappings.len(), 2);
        let order: Vec<&str> = users.matching().iter().map(|m| m.target.as_str()).collect();
        assert_eq!(order, ["USERNAME", "externalId"]);
        assert!(
            matches!(&users.mapping("username").unwrap().source, MappingSource::Direct(s) if s == "userPrincipalName")
        );
    }

    #[test]
    fn attributes_replace_by_name() {
        let mut users = ObjectMapping::default();
        users.put_attribute(TargetAttribute::new("urn:omni:params:1.0:UserAttribute:blob_entity", TargetType::String));
        users.put_attribute(TargetAttribute {
            multi_valued: true,
            ..TargetAttribute::new("URN:omni:params:1.0:UserAttribute:blob_entity", TargetType::String)
        });
        assert_eq!(users.attributes.len(), 1);
        assert!(users.attribute("urn:omni:params:1.0:UserAttribute:blob_entity").unwrap().multi_valued);
    }
}
