//! Blank values in updates, for profiles whose product ignores them: a PUT or PATCH that sets
//! an attribute to `""` or `null` leaves the stored value as it was (the Ivanti profile,
//! \[INFERRED\], see [`super::Profile::Ivanti`]).
//!
//! A PUT replaces the whole resource, so ignoring a blank needs the stored resource: the blank
//! is stripped from the body before it is read against the schema, and the store puts the
//! stored value back under its lock ([`BlankValues::restore`]). A PATCH needs nothing stored:
//! its blank operations are dropped ([`BlankValues::strip_patch`]). `remove` operations are
//! no blank values and still remove.

use serde_json::{Map, Value};

use crate::scim::{PatchKind, PatchOp, ResourceSchema, set_schemas};

use super::extension_writes::screen_still_writes;

/// Where a PUT body held blank values: paths of keys as written, e.g. `["name", "givenName"]`.
#[derive(Debug, Default)]
pub(crate) struct BlankValues(Vec<Vec<String>>);

/// `null`, or a string of nothing but whitespace.
fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

impl BlankValues {
    /// Removes every blank value from a PUT body, at any depth of objects (sub-attributes,
    /// extension objects), and remembers where. An object left empty is removed too.
    pub(crate) fn strip(body: &mut Map<String, Value>) -> Self {
        let mut found = Vec::new();
        strip_object(body, &mut Vec::new(), &mut found);
        Self(found)
    }

    /// True when the body held no blank value.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Drops the `add` and `replace` operations of a PATCH that set a blank value, and the
    /// blank members of object values; an operation left with nothing to write goes too.
    pub(crate) fn strip_patch(patch: &mut PatchOp) {
        patch.operations.retain_mut(|op| match (op.kind, &mut op.value) {
            (PatchKind::Remove, _) | (_, None) => true,
            (_, Some(Value::Object(values))) => {
                screen_still_writes::<()>(values, |values| {
                    strip_object(values, &mut Vec::new(), &mut Vec::new());
                    Ok(())
                }) != Ok(false)
            }
            (_, Some(value)) => !is_blank(value),
        });
    }

    /// Puts the stored value of each blank back into `content` (a PUT's new content), so the
    /// PUT leaves it as it was. Where nothing was stored, the attribute stays unassigned.
    pub(crate) fn restore(&self, kind: &ResourceSchema, old: &Map<String, Value>, content: &mut Map<String, Value>) {
        if self.is_empty() {
            return;
        }
        for path in &self.0 {
            if let Some((keys, value)) = stored(old, path) {
                put(content, &keys, value.clone());
            }
        }
        set_schemas(kind, content);
    }
}

fn strip_object(object: &mut Map<String, Value>, at: &mut Vec<String>, found: &mut Vec<Vec<String>>) {
    let mut removed = Vec::new();
    for (key, value) in object.iter_mut() {
        if is_blank(value) {
            found.push(at.iter().cloned().chain([key.clone()]).collect());
            removed.push(key.clone());
        } else if let Value::Object(inner) = value
            && !inner.is_empty()
        {
            at.push(key.clone());
            strip_object(inner, at, found);
            at.pop();
            if inner.is_empty() {
                removed.push(key.clone());
            }
        }
    }
    for key in removed {
        object.shift_remove(&key);
    }
}

/// The stored value at `path` (names matched without case, RFC 7643 §2.1), with the keys as
/// stored.
fn stored<'o>(old: &'o Map<String, Value>, path: &[String]) -> Option<(Vec<&'o str>, &'o Value)> {
    let mut keys = Vec::with_capacity(path.len());
    let mut object = old;
    let mut found = None;
    for (i, name) in path.iter().enumerate() {
        let (key, value) = object.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))?;
        keys.push(key.as_str());
        if i + 1 == path.len() {
            found = Some(value);
        } else {
            object = value.as_object()?;
        }
    }
    Some((keys, found?))
}

/// Sets `value` at `keys` in `content`, creating the objects on the way.
fn put(content: &mut Map<String, Value>, keys: &[&str], value: Value) {
    let Some((last, parents)) = keys.split_last() else { return };
    let mut object = content;
    for key in parents {
        let slot = object.entry(*key).or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        let Value::Object(inner) = slot else { return };
        object = inner;
    }
    object.insert((*last).to_string(), value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::urn;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn strip_finds_blanks_at_every_depth_and_drops_emptied_objects() {
        let mut body = object(json!({
            "userName": "a",
            "title": "",
            "nickName": null,
            "name": {"givenName": " ", "familyName": "Jensen"},
            urn::ENTERPRISE_USER: {"department": ""},
            "emails": [{"value": ""}],
            "active": false
        }));
        let blanks = BlankValues::strip(&mut body);
        assert_eq!(
            blanks.0,
            [
                vec!["title".to_string()],
                vec!["nickName".to_string()],
                vec!["name".to_string(), "givenName".to_string()],
                vec![urn::ENTERPRISE_USER.to_string(), "department".to_string()],
            ]
        );
        assert_eq!(
            Value::Object(body),
            json!({"userName": "a", "name": {"familyName": "Jensen"}, "emails": [{"value": ""}], "active": false}),
            "arrays and non-string values are no blanks"
        );
    }

    #[test]
    fn restore_puts_stored_values_back_in_stored_spelling() {
        let kind = ResourceSchema::user();
        let old = object(json!({
            "schemas": [urn::USER, urn::ENTERPRISE_USER],
            "userName": "a",
            "title": "Boss",
            "name": {"givenName": "Barbara", "familyName": "Jensen"},
            urn::ENTERPRISE_USER: {"department": "Sales"}
        }));
        let mut body = object(json!({
            "userName": "a",
            "TITLE": "",
            "name": {"GIVENNAME": "", "familyName": "Smith"},
            urn::ENTERPRISE_USER: {"department": null},
            "nickName": ""
        }));
        let blanks = BlankValues::strip(&mut body);
        let mut content = object(json!({"schemas": [urn::USER], "userName": "a", "name": {"familyName": "Smith"}}));
        blanks.restore(&kind, &old, &mut content);
        assert_eq!(content["title"], "Boss");
        assert_eq!(content["name"], json!({"familyName": "Smith", "givenName": "Barbara"}));
        assert_eq!(content[urn::ENTERPRISE_USER], json!({"department": "Sales"}));
        assert!(!content.contains_key("nickName"), "nothing was stored, nothing is restored");
        assert_eq!(content["schemas"], json!([urn::USER, urn::ENTERPRISE_USER]));
    }

    #[test]
    fn strip_patch_drops_blank_writes_and_keeps_removes() {
        let mut patch = PatchOp::from_json(&json!({
            "schemas": [urn::PATCH_OP],
            "Operations": [
                {"op": "replace", "path": "title", "value": ""},
                {"op": "Add", "path": "nickName", "value": null},
                {"op": "replace", "value": {"displayName": "", "name.givenName": "B", "name": {"familyName": ""}}},
                {"op": "replace", "value": {"title": " "}},
                {"op": "remove", "path": "title"},
                {"op": "replace", "path": "active", "value": false}
            ]
        }))
        .unwrap();
        BlankValues::strip_patch(&mut patch);
        let left: Vec<(PatchKind, Option<Value>)> =
            patch.operations.iter().map(|o| (o.kind, o.value.clone())).collect();
        assert_eq!(
            left,
            [
                (PatchKind::Replace, Some(json!({"name.givenName": "B"}))),
                (PatchKind::Remove, None),
                (PatchKind::Replace, Some(json!(false))),
            ]
        );
    }
}
