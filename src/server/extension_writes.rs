//! A request's writes to the attributes of one extension, found in every shape a body or a
//! PATCH carries them, so a profile can refuse some (Omni's system attributes) or drop some
//! (Ivanti's unsupported enterprise attributes) before the request is read against the schema.
//!
//! The shapes (RFC 7644 §3.10, and what Entra sends, entra-wire.md §3.3): the extension object
//! in a body (`"urn:…": {"attr": …}`), a URN-qualified key (`"urn:…:attr": …`), a PATCH `path`
//! naming the attribute, qualified or not, or the whole extension, and the keys of a path-less
//! PATCH value.

use serde_json::{Map, Value};

use crate::scim::{AttrPath, PatchKind, PatchOp, ScimError};

/// Decides about one written attribute, given its name as written: `Ok(true)` keeps the
/// write, `Ok(false)` drops it, an error refuses the request.
pub(crate) type Decide<'d> = &'d mut dyn FnMut(&str) -> Result<bool, ScimError>;

/// The writes to one extension's attributes.
#[derive(Debug, Clone)]
pub(crate) struct ExtensionWrites {
    /// The extension's URN.
    urn: &'static str,
    /// The attribute names that, unqualified in a PATCH path or key, name this extension's
    /// attributes (RFC 7644 §3.10 lets clients omit the URN where unambiguous).
    names: Vec<&'static str>,
}

/// What a path names in the extension.
enum Written<'p> {
    /// The whole extension object.
    Whole,
    /// One attribute, by its name as written.
    Attribute(&'p str),
}

impl ExtensionWrites {
    /// The writes to extension `urn`, whose attributes may be named unqualified as `names`.
    pub(crate) fn new(urn: &'static str, names: impl IntoIterator<Item = &'static str>) -> Self {
        Self { urn, names: names.into_iter().collect() }
    }

    fn classify<'p>(&self, path: &'p AttrPath) -> Option<Written<'p>> {
        if path.spells_urn(self.urn) {
            return Some(Written::Whole);
        }
        match &path.urn {
            Some(urn) if urn.eq_ignore_ascii_case(self.urn) => Some(Written::Attribute(&path.name)),
            None if self.names.iter().any(|n| n.eq_ignore_ascii_case(&path.name)) => {
                Some(Written::Attribute(&path.name))
            }
            _ => None,
        }
    }

    /// Screens the attributes of a resource body (POST, PUT) or of a path-less PATCH value. An
    /// extension object left empty is dropped.
    pub(crate) fn screen_body(&self, object: &mut Map<String, Value>, decide: Decide<'_>) -> Result<(), ScimError> {
        let mut dropped = Vec::new();
        for (key, value) in object.iter_mut() {
            let Ok(path) = key.parse::<AttrPath>() else { continue };
            let keep = match (self.classify(&path), value) {
                (Some(Written::Whole), Value::Object(inner)) => {
                    screen_still_writes(inner, |inner| screen_names(inner, decide))?
                }
                (Some(Written::Attribute(name)), _) => decide(name)?,
                _ => true,
            };
            if !keep {
                dropped.push(key.clone());
            }
        }
        for key in dropped {
            object.shift_remove(&key);
        }
        Ok(())
    }

    /// Screens the operations of a PATCH request; an operation left with nothing to write is
    /// dropped.
    pub(crate) fn screen_patch(&self, patch: &mut PatchOp, decide: Decide<'_>) -> Result<(), ScimError> {
        let mut kept = Vec::with_capacity(patch.operations.len());
        for mut op in std::mem::take(&mut patch.operations) {
            let keep = match (op.path.as_ref().and_then(|p| self.classify(&p.attr)), &mut op.value) {
                (Some(Written::Attribute(name)), _) => decide(name)?,
                (Some(Written::Whole), Some(Value::Object(inner))) if op.kind != PatchKind::Remove => {
                    screen_still_writes(inner, |inner| screen_names(inner, decide))?
                }
                (None, Some(Value::Object(values))) if op.path.is_none() => {
                    screen_still_writes(values, |values| self.screen_body(values, decide))?
                }
                _ => true,
            };
            if keep {
                kept.push(op);
            }
        }
        patch.operations = kept;
        Ok(())
    }
}

/// Screens the attributes of an extension object, named without their URN.
fn screen_names(object: &mut Map<String, Value>, decide: Decide<'_>) -> Result<(), ScimError> {
    let mut dropped = Vec::new();
    for key in object.keys() {
        // A `schemas` list repeated inside the extension object is no attribute.
        if !key.eq_ignore_ascii_case("schemas") && !decide(key)? {
            dropped.push(key.clone());
        }
    }
    for key in dropped {
        object.shift_remove(&key);
    }
    Ok(())
}

/// Runs `screen` on a PATCH value object; false when it emptied a value that was not empty.
pub(crate) fn screen_still_writes<E>(
    values: &mut Map<String, Value>,
    screen: impl FnOnce(&mut Map<String, Value>) -> Result<(), E>,
) -> Result<bool, E> {
    let had_values = !values.is_empty();
    screen(values)?;
    Ok(!had_values || !values.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const URN: &str = "urn:acme:params:1.0:User";

    fn writes() -> ExtensionWrites {
        ExtensionWrites::new(URN, ["badge", "secret"])
    }

    /// Keeps everything but `badge`; refuses `secret`.
    fn decide(name: &str) -> Result<bool, ScimError> {
        if name.eq_ignore_ascii_case("secret") {
            return Err(ScimError::mutability(format!("{name} is secret")));
        }
        Ok(!name.eq_ignore_ascii_case("badge"))
    }

    fn patch(operations: Value) -> PatchOp {
        PatchOp::from_json(&json!({"schemas": [crate::scim::urn::PATCH_OP], "Operations": operations})).unwrap()
    }

    #[test]
    fn bodies_lose_dropped_attributes_in_both_shapes() {
        let mut body = json!({
            "userName": "a",
            URN: {"schemas": [URN], "BADGE": 7, "site": "x"},
            format!("{URN}:badge"): 8,
        });
        writes().screen_body(body.as_object_mut().unwrap(), &mut decide).unwrap();
        assert_eq!(body, json!({"userName": "a", URN: {"schemas": [URN], "site": "x"}}));
    }

    #[test]
    fn refusals_name_the_attribute() {
        let mut body = json!({URN: {"Secret": 1}});
        let error = writes().screen_body(body.as_object_mut().unwrap(), &mut decide).unwrap_err();
        assert_eq!(error.detail, "Secret is secret");
        let mut op = patch(json!([{"op": "remove", "path": "secret"}]));
        assert!(writes().screen_patch(&mut op, &mut decide).is_err(), "an unqualified path names it too");
    }

    #[test]
    fn patches_lose_operations_left_with_nothing_to_write() {
        let mut op = patch(json!([
            {"op": "add", "path": format!("{URN}:badge"), "value": 1},
            {"op": "replace", "path": URN, "value": {"badge": 2}},
            {"op": "replace", "value": {format!("{URN}:badge"): 3, "title": "t"}},
            {"op": "replace", "value": {URN: {"badge": 4}}},
            {"op": "replace", "path": "title", "value": "u"},
            {"op": "remove", "path": URN},
        ]));
        writes().screen_patch(&mut op, &mut decide).unwrap();
        let left: Vec<(PatchKind, Option<Value>)> = op.operations.iter().map(|o| (o.kind, o.value.clone())).collect();
        assert_eq!(
            left,
            [
                (PatchKind::Replace, Some(json!({"title": "t"}))),
                (PatchKind::Replace, Some(json!("u"))),
                (PatchKind::Remove, None),
            ]
        );
    }
}
