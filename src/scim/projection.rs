//! Which attributes a response carries (RFC 7644 §3.4.2.5 `attributes` /
//! `excludedAttributes`, RFC 7643 §7 `returned`).

use serde_json::{Map, Value};

use super::schema::{Attribute, Returned};
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

    /// The representation of `resource` to return.
    pub fn apply(&self, schema: &ResourceSchema, resource: &Map<String, Value>) -> Map<String, Value> {
        let mut out = Map::new();
        for (key, value) in resource {
            if let Some(ext) = schema.extension(key) {
                let Some(object) = value.as_object() else { continue };
                let inner: Map<String, Value> = object
                    .iter()
                    .filter_map(|(k, v)| {
                        let attr = ext.attribute(k)?;
                        Some((k.clone(), self.attribute(Some(&ext.id), attr, v)?))
                    })
                    .collect();
                if !inner.is_empty() {
                    out.insert(key.clone(), Value::Object(inner));
                }
            } else if let Some(attr) = schema.top_level(key)
                && let Some(v) = self.attribute(None, attr, value)
            {
                out.insert(key.clone(), v);
            }
        }
        out
    }

    fn attribute(&self, extension: Option<&str>, attr: &Attribute, value: &Value) -> Option<Value> {
        let always = |sub: &Attribute| sub.returned == Returned::Always;
        match attr.returned {
            Returned::Never => return None,
            Returned::Always => return Some(strip_subs(attr, value, |s| s.returned != Returned::Never)),
            _ => {}
        }
        if let Some(only) = &self.only {
            if only.iter().any(|s| s.covers(extension, &attr.name)) {
                return Some(strip_subs(attr, value, |s| s.returned != Returned::Never));
            }
            let named: Vec<&str> = only.iter().filter_map(|s| s.names_sub_of(extension, &attr.name)).collect();
            if named.is_empty() {
                return None;
            }
            let kept = strip_subs(attr, value, |s| always(s) || named.iter().any(|n| *n == s.name));
            return non_empty(kept);
        }
        if attr.returned == Returned::Request || self.excluded.iter().any(|s| s.covers(extension, &attr.name)) {
            return None;
        }
        let excluded: Vec<&str> = self.excluded.iter().filter_map(|s| s.names_sub_of(extension, &attr.name)).collect();
        non_empty(strip_subs(attr, value, |s| {
            s.returned != Returned::Never
                && (always(s) || (s.returned != Returned::Request && !excluded.contains(&s.name.as_str())))
        }))
    }
}

/// Keeps the sub-attributes of a complex value (or of each element) for which `keep` holds.
fn strip_subs(attr: &Attribute, value: &Value, keep: impl Fn(&Attribute) -> bool) -> Value {
    if attr.sub_attributes.is_empty() {
        return value.clone();
    }
    let filter_object = |object: &Map<String, Value>| -> Map<String, Value> {
        object
            .iter()
            .filter(|(k, _)| attr.sub_attribute(k).is_none_or(&keep))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    match value {
        Value::Object(object) => Value::Object(filter_object(object)),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| item.as_object().map_or_else(|| item.clone(), |o| Value::Object(filter_object(o))))
                .filter(|item| item.as_object().is_none_or(|o| !o.is_empty()))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn non_empty(value: Value) -> Option<Value> {
    match &value {
        Value::Object(o) if o.is_empty() => None,
        Value::Array(a) if a.is_empty() => None,
        _ => Some(value),
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
}
