//! The effective schema of one resource type: its core schema, its extensions and the common
//! attributes, and the resolution of attribute paths against them (RFC 7644 §3.10).
//!
//! Resources are `serde_json` objects in their wire shape: core and common attributes at the
//! top level, extension attributes in an object under the extension's URN. Attribute names are
//! case-insensitive on the wire; the reference server stores them in the schema's spelling.

use serde_json::{Map, Value};

use super::schema::{self, Attribute, Schema, SchemaError};
use super::suggestion::did_you_mean;
use super::{AttrPath, ResourceType, ScimError};

/// A resource type together with the schemas that define its attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceSchema {
    /// The resource type (name, endpoint, schema URNs).
    pub resource_type: ResourceType,
    /// The core schema.
    pub core: Schema,
    /// Extension schemas, in the order of `resource_type.schema_extensions`.
    pub extensions: Vec<Schema>,
}

/// Where an attribute path points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target<'s> {
    /// An attribute, possibly one of its sub-attributes.
    Attribute(Resolved<'s>),
    /// A whole extension, named by its URN alone.
    Extension(&'s Schema),
}

/// An attribute path resolved to its definitions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolved<'s> {
    /// The extension whose object holds the attribute; `None` for core and common attributes.
    pub extension: Option<&'s Schema>,
    /// The attribute.
    pub attr: &'s Attribute,
    /// The sub-attribute, when the path names one.
    pub sub: Option<&'s Attribute>,
}

impl<'s> Resolved<'s> {
    /// The definition of what the path names: the sub-attribute if any, else the attribute.
    pub fn leaf(&self) -> &'s Attribute {
        self.sub.unwrap_or(self.attr)
    }

    /// The object holding the attribute: the resource, or its extension object.
    pub fn container<'r>(&self, resource: &'r Map<String, Value>) -> Option<&'r Map<String, Value>> {
        match self.extension {
            None => Some(resource),
            Some(ext) => resource.get(&ext.id).and_then(Value::as_object),
        }
    }

    /// The holding object for writing, creating the extension object when needed.
    pub fn container_mut<'r>(&self, resource: &'r mut Map<String, Value>) -> &'r mut Map<String, Value> {
        match self.extension {
            None => resource,
            Some(ext) => {
                let slot = resource.entry(ext.id.clone()).or_insert_with(|| Value::Object(Map::new()));
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                }
                slot.as_object_mut().unwrap_or_else(|| unreachable!("just made an object"))
            }
        }
    }

    /// The attribute's value in `resource` (not narrowed to the sub-attribute).
    pub fn value<'r>(&self, resource: &'r Map<String, Value>) -> Option<&'r Value> {
        self.container(resource)?.get(&self.attr.name)
    }

    /// The path in canonical spelling, for messages.
    pub fn describe(&self) -> String {
        let mut s = match self.extension {
            Some(ext) => format!("{}:{}", ext.id, self.attr.name),
            None => self.attr.name.clone(),
        };
        if let Some(sub) = self.sub {
            s.push('.');
            s.push_str(&sub.name);
        }
        s
    }
}

impl ResourceSchema {
    /// The User resource type with the enterprise extension.
    pub fn user() -> Self {
        Self {
            resource_type: ResourceType::user(),
            core: schema::USER.clone(),
            extensions: vec![schema::ENTERPRISE_USER.clone()],
        }
    }

    /// The Group resource type.
    pub fn group() -> Self {
        Self { resource_type: ResourceType::group(), core: schema::GROUP.clone(), extensions: Vec::new() }
    }

    /// Adds an extension schema (e.g. one registered with `scimsim serve --schema FILE`).
    pub fn add_extension(&mut self, extension: Schema, required: bool) -> Result<(), SchemaError> {
        let id = extension.id.clone();
        if id.eq_ignore_ascii_case(&self.core.id) || self.extension(&id).is_some() {
            return Err(SchemaError::Invalid {
                id,
                detail: format!("is already a schema of {}; give the extension its own URN", self.resource_type.name),
            });
        }
        self.resource_type
            .schema_extensions
            .push(super::resource_type::SchemaExtension { schema: extension.id.clone(), required });
        self.extensions.push(extension);
        Ok(())
    }

    /// The extension with the given URN (case-insensitive).
    pub fn extension(&self, urn: &str) -> Option<&Schema> {
        self.extensions.iter().find(|e| e.id.eq_ignore_ascii_case(urn))
    }

    /// A core or common attribute by name (case-insensitive).
    pub fn top_level(&self, name: &str) -> Option<&Attribute> {
        self.core.attribute(name).or_else(|| schema::COMMON.attribute(name))
    }

    /// Resolves `path` to the definitions it names.
    ///
    /// A URN prefix selects the core schema or an extension. An unqualified name is looked up
    /// in the core and common attributes first, then in the extensions when exactly one of
    /// them defines it (RFC 7644 §3.10 lets clients omit the URN where unambiguous).
    pub fn resolve(&self, path: &AttrPath) -> Result<Target<'_>, ScimError> {
        let (extension, attr) = match &path.urn {
            Some(urn) if self.core.id.eq_ignore_ascii_case(urn) => (None, self.top_level(&path.name)),
            Some(urn) => match self.extension(urn) {
                Some(ext) => (Some(ext), ext.attribute(&path.name)),
                None => {
                    if let Some(ext) = self.extensions.iter().find(|e| path.spells_urn(&e.id)) {
                        return Ok(Target::Extension(ext));
                    }
                    return Err(ScimError::invalid_path(format!(
                        "{path} names schema {urn:?}, which {} does not have; its schemas are {}",
                        self.resource_type.name,
                        self.schema_ids().join(", ")
                    )));
                }
            },
            None => match self.top_level(&path.name) {
                Some(attr) => (None, Some(attr)),
                None => {
                    let mut found = self.extensions.iter().filter_map(|e| e.attribute(&path.name).map(|a| (e, a)));
                    match (found.next(), found.next()) {
                        (Some((ext, attr)), None) => (Some(ext), Some(attr)),
                        (Some(_), Some(_)) => {
                            return Err(ScimError::invalid_path(format!(
                                "{path} is defined by several extensions of {}; qualify it with the schema URN",
                                self.resource_type.name
                            )));
                        }
                        _ => (None, None),
                    }
                }
            },
        };
        let Some(attr) = attr else {
            let names = match extension {
                Some(ext) => ext.attributes.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
                None => self.all_top_level_names(),
            };
            return Err(ScimError::invalid_path(format!(
                "{} has no attribute {:?}{}",
                self.resource_type.name,
                path.name,
                did_you_mean(&path.name, names)
            )));
        };
        let sub = match &path.sub {
            None => None,
            Some(sub) => {
                let Some(found) = attr.sub_attribute(sub) else {
                    let names: Vec<&str> = attr.sub_attributes.iter().map(|a| a.name.as_str()).collect();
                    let hint = if names.is_empty() {
                        format!("; {} is a {}, not complex", attr.name, attr.kind.keyword())
                    } else {
                        did_you_mean(sub, names)
                    };
                    return Err(ScimError::invalid_path(format!("{} has no sub-attribute {sub:?}{hint}", attr.name)));
                };
                Some(found)
            }
        };
        Ok(Target::Attribute(Resolved { extension, attr, sub }))
    }

    /// Like [`resolve`](Self::resolve), but a whole-extension path is an error.
    pub fn resolve_attribute(&self, path: &AttrPath) -> Result<Resolved<'_>, ScimError> {
        match self.resolve(path)? {
            Target::Attribute(r) => Ok(r),
            Target::Extension(ext) => Err(ScimError::invalid_path(format!(
                "{} names a whole extension; name one of its attributes, e.g. {}:{}",
                ext.id,
                ext.id,
                ext.attributes.first().map_or("attribute", |a| a.name.as_str())
            ))),
        }
    }

    /// The core schema URN followed by the extension URNs.
    pub fn schema_ids(&self) -> Vec<&str> {
        std::iter::once(self.core.id.as_str()).chain(self.extensions.iter().map(|e| e.id.as_str())).collect()
    }

    fn all_top_level_names(&self) -> Vec<&str> {
        self.core.attributes.iter().chain(schema::COMMON.attributes.iter()).map(|a| a.name.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::urn;
    use serde_json::json;

    fn attr(schema: &ResourceSchema, path: &str) -> String {
        schema.resolve_attribute(&path.parse().unwrap()).map(|r| r.describe()).unwrap_or_else(|e| e.detail)
    }

    #[test]
    fn resolves_core_common_and_sub_attributes_case_insensitively() {
        let user = ResourceSchema::user();
        assert_eq!(attr(&user, "USERNAME"), "userName");
        assert_eq!(attr(&user, "name.GIVENNAME"), "name.givenName");
        assert_eq!(attr(&user, "meta.lastModified"), "meta.lastModified");
        assert_eq!(attr(&user, "id"), "id");
        assert_eq!(attr(&user, &format!("{}:userName", urn::USER)), "userName");
        assert!(attr(&user, "members.$ref").contains("no attribute"));
    }

    #[test]
    fn resolves_extension_attributes_qualified_or_not() {
        let user = ResourceSchema::user();
        let qualified = format!("{}:manager.value", urn::ENTERPRISE_USER);
        assert_eq!(attr(&user, &qualified), qualified);
        assert_eq!(attr(&user, "department"), format!("{}:department", urn::ENTERPRISE_USER));
        assert_eq!(
            attr(&user, &format!("{}:department", urn::ENTERPRISE_USER.to_uppercase())),
            format!("{}:department", urn::ENTERPRISE_USER)
        );
    }

    #[test]
    fn whole_extension_path() {
        let user = ResourceSchema::user();
        let target = user.resolve(&urn::ENTERPRISE_USER.parse().unwrap()).unwrap();
        assert!(matches!(target, Target::Extension(s) if s.id == urn::ENTERPRISE_USER));
        assert!(
            user.resolve_attribute(&urn::ENTERPRISE_USER.parse().unwrap())
                .unwrap_err()
                .detail
                .contains("whole extension")
        );
    }

    #[test]
    fn vendor_extension_registered_from_json() {
        let mut user = ResourceSchema::user();
        let ext =
            Schema::from_json(r#"{"id":"urn:omni:params:1.0:UserAttribute","attributes":[{"name":"blob_entity"}]}"#)
                .unwrap();
        user.add_extension(ext.clone(), false).unwrap();
        assert_eq!(
            attr(&user, "urn:omni:params:1.0:UserAttribute:blob_entity"),
            "urn:omni:params:1.0:UserAttribute:blob_entity"
        );
        assert!(user.add_extension(ext, false).unwrap_err().to_string().contains("already"));
        assert_eq!(user.resource_type.schema_extensions.len(), 2);
    }

    #[test]
    fn errors_name_the_problem_and_suggest() {
        let user = ResourceSchema::user();
        assert_eq!(attr(&user, "titel"), "User has no attribute \"titel\" (did you mean \"title\"?)");
        assert_eq!(
            attr(&user, "name.gvenName"),
            "name has no sub-attribute \"gvenName\" (did you mean \"givenName\"?)"
        );
        assert_eq!(attr(&user, "userName.x"), "userName has no sub-attribute \"x\"; userName is a string, not complex");
        assert!(attr(&user, "urn:acme:1.0:User:badge").contains("does not have"));
        assert_eq!(ResourceSchema::group().resolve(&"zzz".parse().unwrap()).unwrap_err().status, 400);
    }

    #[test]
    fn ambiguous_unqualified_extension_attribute() {
        let mut user = ResourceSchema::user();
        let ext = Schema::from_json(r#"{"id":"urn:acme:1.0:User","attributes":[{"name":"department"}]}"#).unwrap();
        user.add_extension(ext, false).unwrap();
        assert!(attr(&user, "department").contains("several extensions"));
    }

    #[test]
    fn container_reads_and_creates_extension_objects() {
        let user = ResourceSchema::user();
        let r = user.resolve_attribute(&"department".parse().unwrap()).unwrap();
        let mut resource = json!({"userName": "a"}).as_object().unwrap().clone();
        assert!(r.value(&resource).is_none());
        r.container_mut(&mut resource).insert("department".into(), json!("Retail"));
        assert_eq!(r.value(&resource), Some(&json!("Retail")));
        assert_eq!(resource[urn::ENTERPRISE_USER]["department"], "Retail");
    }
}
