//! Which attributes a response carries (RFC 7644 §3.4.2.5 `attributes` /
//! `excludedAttributes`, RFC 7643 §7 `returned`).

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use super::schema::{Attribute, Returned, Schema};
use super::{AttrPath, ResourceSchema, Target};

/// A resolved `attributes` or `excludedAttributes` selection.
///
/// `returned: always` attributes (`id`, `schemas`) are in every response, `never` ones
/// (`password`) in none, and `request` ones only when named in `attributes`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Projection {
    /// `Some` when `attributes` was given: only these (plus `always` attributes) are returned.
    only: Option<Vec<Selector>>,
    excluded: Vec<Selector>,
}

#[derive(Debug, Clone, PartialEq)]
struct Selector {
    extension: Option<String>,
    /// `None` selects the whole extension.
    attr: Option<String>,
    sub: Option<String>,
}

impl Selector {
    fn covers(&self, extension: Option<&str>, attr: &str) -> bool {
        self.extension.as_deref() == extension && self.attr.as_deref().is_none_or(|a| a == attr && self.sub.is_none())
    }

    fn names_sub_of(&self, extension: Option<&str>, attr: &str) -> Option<&str> {
        (self.extension.as_deref() == extension && self.attr.as_deref() == Some(attr))
            .then_some(self.sub.as_deref())
            .flatten()
    }
}

impl Projection {
    /// Resolves the named paths against `schema`. Paths the schema does not define select
    /// nothing (as unknown attributes in a request body are ignored).
    pub fn new(schema: &ResourceSchema, attributes: &[AttrPath], excluded: &[AttrPath]) -> Self {
        let resolve = |paths: &[AttrPath]| -> Vec<Selector> {
            paths
                .iter()
                .filter_map(|p| match schema.resolve(p).ok()? {
                    Target::Extension(ext) => Some(Selector { extension: Some(ext.id.clone()), attr: None, sub: None }),
                    Target::Attribute(r) => Some(Selector {
                        extension: r.extension.map(|e| e.id.clone()),
                        attr: Some(r.attr.name.clone()),
                        sub: r.sub.map(|s| s.name.clone()),
                    }),
                })
                .collect()
        };
        let only = (!attributes.is_empty()).then(|| resolve(attributes));
        Self { only, excluded: resolve(excluded) }
    }

    /// The representation of `resource` to return, as a map of its own (see
    /// [`view`](Self::view) to serialize it without copying).
    pub fn apply(&self, schema: &ResourceSchema, resource: &Map<String, Value>) -> Map<String, Value> {
        match serde_json::to_value(self.view(schema, resource)) {
            Ok(Value::Object(map)) => map,
            // A view always serializes to an object (its keys are strings).
            _ => Map::new(),
        }
    }

    /// The representation of `resource` to return, borrowed: serializing it writes what
    /// [`apply`](Self::apply) returns without copying the resource first, which is what a
    /// response needs.
    pub fn view<'a>(&'a self, schema: &'a ResourceSchema, resource: &'a Map<String, Value>) -> Projected<'a> {
        Projected { projection: self, schema, resource }
    }

    /// How the value of `attr` is returned, or `None` when it is not.
    fn attribute<'a>(&'a self, extension: Option<&str>, attr: &'a Attribute, value: &'a Value) -> Option<Kept<'a>> {
        let kept = |subs| Kept { attr, value, subs };
        match attr.returned {
            Returned::Never => return None,
            Returned::Always => return Some(kept(Subs::AllButNever)),
            _ => {}
        }
        if let Some(only) = &self.only {
            if only.iter().any(|s| s.covers(extension, &attr.name)) {
                return Some(kept(Subs::AllButNever));
            }
            let named: Vec<&str> = only.iter().filter_map(|s| s.names_sub_of(extension, &attr.name)).collect();
            if named.is_empty() {
                return None;
            }
            return kept(Subs::Named(named)).non_empty();
        }
        if attr.returned == Returned::Request || self.excluded.iter().any(|s| s.covers(extension, &attr.name)) {
            return None;
        }
        let excluded: Vec<&str> = self.excluded.iter().filter_map(|s| s.names_sub_of(extension, &attr.name)).collect();
        kept(Subs::AllBut(excluded)).non_empty()
    }
}

/// A resource as a [`Projection`] returns it, borrowed from the stored resource; it
/// serializes to the response representation (see [`Projection::view`]).
#[derive(Debug, Clone, Copy)]
pub struct Projected<'a> {
    projection: &'a Projection,
    schema: &'a ResourceSchema,
    resource: &'a Map<String, Value>,
}

impl<'a> Projected<'a> {
    /// The members returned, in the resource's order.
    fn members(&self) -> impl Iterator<Item = (&'a String, Member<'a>)> {
        let Self { projection, schema, resource } = *self;
        resource.iter().filter_map(move |(key, value)| {
            if let Some(ext) = schema.extension(key) {
                let inner = ExtensionPart { projection, ext, object: value.as_object()? };
                return inner.members().next().is_some().then_some((key, Member::Extension(inner)));
            }
            let attr = schema.top_level(key)?;
            Some((key, Member::Attribute(projection.attribute(None, attr, value)?)))
        })
    }
}

impl Serialize for Projected<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.members())
    }
}

/// A returned member of a resource: an attribute, or an extension's object.
enum Member<'a> {
    Attribute(Kept<'a>),
    Extension(ExtensionPart<'a>),
}

impl Serialize for Member<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Attribute(kept) => kept.serialize(serializer),
            Self::Extension(part) => serializer.collect_map(part.members()),
        }
    }
}

/// The object of an extension schema within a resource.
#[derive(Clone, Copy)]
struct ExtensionPart<'a> {
    projection: &'a Projection,
    ext: &'a Schema,
    object: &'a Map<String, Value>,
}

impl<'a> ExtensionPart<'a> {
    /// The attributes returned, in the object's order.
    fn members(self) -> impl Iterator<Item = (&'a String, Kept<'a>)> {
        self.object.iter().filter_map(move |(key, value)| {
            let attr = self.ext.attribute(key)?;
            Some((key, self.projection.attribute(Some(&self.ext.id), attr, value)?))
        })
    }
}

/// Which sub-attributes of a complex value are returned.
enum Subs<'a> {
    /// All but `returned: never` ones.
    AllButNever,
    /// `returned: always` ones and the ones named.
    Named(Vec<&'a str>),
    /// The default: all but `never` and `request` ones and the ones named.
    AllBut(Vec<&'a str>),
}

impl Subs<'_> {
    fn keeps(&self, sub: &Attribute) -> bool {
        let always = sub.returned == Returned::Always;
        match self {
            Self::AllButNever => sub.returned != Returned::Never,
            Self::Named(named) => always || named.iter().any(|n| *n == sub.name),
            Self::AllBut(excluded) => {
                sub.returned != Returned::Never
                    && (always || (sub.returned != Returned::Request && !excluded.contains(&sub.name.as_str())))
            }
        }
    }
}

/// The value of an attribute as returned: with only the kept sub-attributes of a complex
/// value (or of each element), and without the elements left with none.
struct Kept<'a> {
    attr: &'a Attribute,
    value: &'a Value,
    subs: Subs<'a>,
}

impl Kept<'_> {
    /// Whether a member `key` of a complex value is returned (unknown ones are).
    fn keeps_key(&self, key: &str) -> bool {
        self.attr.sub_attribute(key).is_none_or(|sub| self.subs.keeps(sub))
    }

    /// Whether an element of a multi-valued attribute is returned: an object only when one of
    /// its members is.
    fn keeps_element(&self, element: &Value) -> bool {
        element.as_object().is_none_or(|object| object.keys().any(|k| self.keeps_key(k)))
    }

    fn filters(&self) -> bool {
        !self.attr.sub_attributes.is_empty()
    }

    /// `None` when nothing of the value is left: an empty object or array.
    fn non_empty(self) -> Option<Self> {
        let empty = match self.value {
            Value::Object(object) if self.filters() => !object.keys().any(|k| self.keeps_key(k)),
            Value::Array(elements) if self.filters() => !elements.iter().any(|e| self.keeps_element(e)),
            Value::Object(object) => object.is_empty(),
            Value::Array(elements) => elements.is_empty(),
            _ => false,
        };
        (!empty).then_some(self)
    }
}

impl Serialize for Kept<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Value::Array(elements) if self.filters() => {
                serializer.collect_seq(elements.iter().filter(|e| self.keeps_element(e)).map(|e| Element(self, e)))
            }
            value if self.filters() => Element(self, value).serialize(serializer),
            value => value.serialize(serializer),
        }
    }
}

/// A complex value (or an element of one) with only its kept members.
struct Element<'k, 'a>(&'k Kept<'a>, &'a Value);

impl Serialize for Element<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.1 {
            Value::Object(object) => serializer.collect_map(object.iter().filter(|(k, _)| self.0.keeps_key(k))),
            other => other.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::urn;
    use serde_json::json;

    fn user() -> Map<String, Value> {
        json!({
            "schemas": [urn::USER, urn::ENTERPRISE_USER],
            "id": "42",
            "userName": "bjensen",
            "password": "secret",
            "name": {"givenName": "Barbara", "familyName": "Jensen"},
            "emails": [{"value": "b@x", "type": "work"}],
            "meta": {"resourceType": "User", "version": "W/\"1\""},
            (urn::ENTERPRISE_USER): {"department": "Tour", "employeeNumber": "7"}
        })
        .as_object()
        .unwrap()
        .clone()
    }

    fn project(attributes: &str, excluded: &str) -> Value {
        let parse =
            |s: &str| -> Vec<AttrPath> { s.split(',').filter(|p| !p.is_empty()).map(|p| p.parse().unwrap()).collect() };
        let schema = ResourceSchema::user();
        Value::Object(Projection::new(&schema, &parse(attributes), &parse(excluded)).apply(&schema, &user()))
    }

    #[test]
    fn default_returns_everything_but_never_attributes() {
        let out = project("", "");
        assert!(out.get("password").is_none());
        assert_eq!(out["name"]["givenName"], "Barbara");
        assert_eq!(out[urn::ENTERPRISE_USER]["department"], "Tour");
        assert_eq!(out["meta"]["version"], "W/\"1\"");
    }

    #[test]
    fn attributes_restricts_but_keeps_always_attributes() {
        assert_eq!(
            project("userName", ""),
            json!({"schemas": [urn::USER, urn::ENTERPRISE_USER], "id": "42", "userName": "bjensen"})
        );
        assert_eq!(project("name.givenName", "")["name"], json!({"givenName": "Barbara"}));
        assert_eq!(project("emails.value", "")["emails"], json!([{"value": "b@x"}]));
        let out = project(&format!("{}:department", urn::ENTERPRISE_USER), "");
        assert_eq!(out[urn::ENTERPRISE_USER], json!({"department": "Tour"}));
        let out = project(urn::ENTERPRISE_USER, "");
        assert_eq!(out[urn::ENTERPRISE_USER]["employeeNumber"], "7");
        assert!(out.get("userName").is_none());
        assert!(project("password", "").get("password").is_none(), "never is never");
        assert!(project("USERNAME", "").get("userName").is_some(), "names are case-insensitive");
        assert_eq!(project("nope", ""), json!({"schemas": [urn::USER, urn::ENTERPRISE_USER], "id": "42"}));
    }

    #[test]
    fn excluded_attributes_remove_but_not_always_ones() {
        let out = project("", "name,id,emails.type");
        assert!(out.get("name").is_none());
        assert_eq!(out["id"], "42");
        assert_eq!(out["emails"], json!([{"value": "b@x"}]));
        let out = project("", urn::ENTERPRISE_USER);
        assert!(out.get(urn::ENTERPRISE_USER).is_none());
        assert_eq!(project("", "department")[urn::ENTERPRISE_USER], json!({"employeeNumber": "7"}));
    }

    #[test]
    fn excluding_group_members() {
        let schema = ResourceSchema::group();
        let group = json!({"schemas": [urn::GROUP], "id": "g", "displayName": "Admins", "members": [{"value": "42"}]});
        let out = Projection::new(&schema, &[], &[AttrPath::new("members")]).apply(&schema, group.as_object().unwrap());
        assert_eq!(Value::Object(out), json!({"schemas": [urn::GROUP], "id": "g", "displayName": "Admins"}));
    }

    #[test]
    fn what_a_selection_leaves_empty_is_left_out() {
        let schema = ResourceSchema::user();
        let mut user = user();
        user.insert("emails".into(), json!([{"value": "b@x", "type": "work"}, {"type": "home"}]));
        let project = |attributes: &[&str], excluded: &[&str]| {
            let parse = |paths: &[&str]| -> Vec<AttrPath> { paths.iter().map(|p| p.parse().unwrap()).collect() };
            let projection = Projection::new(&schema, &parse(attributes), &parse(excluded));
            let view = serde_json::to_string(&projection.view(&schema, &user)).unwrap();
            let applied = projection.apply(&schema, &user);
            assert_eq!(view, serde_json::to_string(&applied).unwrap(), "the view writes what apply returns");
            Value::Object(applied)
        };
        assert_eq!(project(&["emails.value"], &[])["emails"], json!([{"value": "b@x"}]), "an element left empty goes");
        assert!(project(&[], &["emails.value", "emails.type"]).get("emails").is_none(), "so does an emptied attribute");
        assert_eq!(project(&[], &["emails.value"])["emails"], json!([{"type": "work"}, {"type": "home"}]));
    }
}
