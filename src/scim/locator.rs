//! Where a resolved attribute's values live in a JSON resource, and how to reach them.
//! Shared by filter matching, sorting and PATCH value filters.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::Resolved;
use super::schema::{AttrType, Attribute};

/// The JSON location of an attribute (or sub-attribute) in canonical spelling.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Locator {
    /// The extension URN whose object holds the attribute, if any.
    ext: Option<String>,
    /// The attribute's key.
    attr: String,
    /// The sub-attribute's key inside each value, if any.
    sub: Option<String>,
}

impl Locator {
    /// Locates `resolved`. With `implicit_value`, a complex attribute named without a
    /// sub-attribute is read through its `value` sub-attribute, as filters and sorting do
    /// (`emails co "x"` compares `emails.value`).
    pub(crate) fn new(resolved: &Resolved<'_>, implicit_value: bool) -> Self {
        let sub = match resolved.sub {
            Some(sub) => Some(sub.name.clone()),
            None if implicit_value => resolved.attr.value_sub_attribute().map(|v| v.name.clone()),
            None => None,
        };
        Self { ext: resolved.extension.map(|e| e.id.clone()), attr: resolved.attr.name.clone(), sub }
    }

    /// Locates the sub-attribute `sub` of an element of a complex attribute; the element is
    /// the "resource" it is evaluated against.
    pub(crate) fn in_element(sub: &Attribute) -> Self {
        Self { ext: None, attr: sub.name.clone(), sub: None }
    }

    /// The attribute's raw value.
    pub(crate) fn raw<'r>(&self, resource: &'r Map<String, Value>) -> Option<&'r Value> {
        let container = match &self.ext {
            None => resource,
            Some(urn) => resource.get(urn)?.as_object()?,
        };
        container.get(&self.attr)
    }

    /// True when some located value satisfies `pred` (RFC 7644 §3.4.2.2: a filter on a
    /// multi-valued attribute matches if any value matches).
    pub(crate) fn any(&self, resource: &Map<String, Value>, pred: impl Fn(&Value) -> bool) -> bool {
        let visit = |v: &Value| match &self.sub {
            None => pred(v),
            Some(sub) => v.get(sub).is_some_and(&pred),
        };
        match self.raw(resource) {
            None => false,
            Some(Value::Array(items)) => items.iter().any(visit),
            Some(other) => visit(other),
        }
    }

    /// The value sorting uses: for a multi-valued attribute the primary value if any, else the
    /// first (RFC 7644 §3.4.2.3).
    pub(crate) fn primary_or_first<'r>(&self, resource: &'r Map<String, Value>) -> Option<&'r Value> {
        let value = match self.raw(resource)? {
            Value::Array(items) => items
                .iter()
                .find(|v| v.get("primary").and_then(Value::as_bool) == Some(true))
                .or_else(|| items.first())?,
            other => other,
        };
        match &self.sub {
            None => Some(value),
            Some(sub) => value.get(sub),
        }
    }
}

/// Folds text for comparison: unchanged when `case_exact`, lowercased otherwise
/// (RFC 7643 §2.2 `caseExact`).
pub(crate) fn fold(text: &str, case_exact: bool) -> Cow<'_, str> {
    if case_exact || !text.chars().any(char::is_uppercase) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// The definition filters and sorting compare for `resolved`: the sub-attribute if named, else
/// the `value` sub-attribute of a complex attribute, else the attribute itself.
pub(crate) fn compared_leaf<'s>(resolved: &Resolved<'s>) -> &'s Attribute {
    match resolved.sub {
        Some(sub) => sub,
        None if resolved.attr.kind == AttrType::Complex => resolved.attr.value_sub_attribute().unwrap_or(resolved.attr),
        None => resolved.attr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::ResourceSchema;
    use serde_json::json;

    fn locate(schema: &ResourceSchema, path: &str, implicit: bool) -> Locator {
        Locator::new(&schema.resolve_attribute(&path.parse().unwrap()).unwrap(), implicit)
    }

    #[test]
    fn reads_multi_valued_complex_through_value() {
        let user = ResourceSchema::user();
        let resource = json!({"emails": [{"value": "a@x"}, {"value": "b@y", "primary": true}]});
        let resource = resource.as_object().unwrap();
        let emails = locate(&user, "emails", true);
        assert!(emails.any(resource, |v| v == "b@y"));
        assert!(!emails.any(resource, |v| v == "c@z"));
        assert_eq!(emails.primary_or_first(resource), Some(&json!("b@y")));
        assert_eq!(locate(&user, "emails", false).raw(resource).unwrap().as_array().unwrap().len(), 2);
    }

    #[test]
    fn reads_extension_values() {
        let user = ResourceSchema::user();
        let resource = json!({(crate::scim::urn::ENTERPRISE_USER): {"manager": {"value": "42"}}});
        let manager = locate(&user, "manager.value", true);
        assert_eq!(manager.primary_or_first(resource.as_object().unwrap()), Some(&json!("42")));
    }

    #[test]
    fn folding() {
        assert_eq!(fold("BJensen", false), "bjensen");
        assert_eq!(fold("BJensen", true), "BJensen");
        assert_eq!(fold("ÄB", false), "äb");
    }
}
