//! Applying a PATCH request to a resource (RFC 7644 §3.5.2), all operations or none.
//!
//! Beyond the RFC text, three behaviours real IdPs rely on:
//! - a filtered `add`/`replace` whose filter matches no element creates the element from the
//!   filter's `eq` comparisons (RFC 7644 erratum 8097; Entra sends
//!   `Replace emails[type eq "work"].value` for a user without a work email,
//!   entra-wire.md §1.3);
//! - `remove` of a multi-valued attribute with a `value` array removes only the listed
//!   elements (Entra legacy: `{"op":"Remove","path":"members","value":[{"value":"<id>"}]}`,
//!   entra-wire.md §1.10);
//! - path-less `add`/`replace` value objects may use dotted (`name.givenName`) and
//!   URN-qualified keys (Entra with `aadOptscim062020`, entra-wire.md §2).
//!
//! A filtered `remove` that matches nothing changes nothing (the RFC does not make it an
//! error, and an IdP removing a member twice expects success).

use serde_json::{Map, Value};

use super::document::equalities;
use super::schema::{AttrType, Attribute, Mutability};
use super::suggestion::did_you_mean;
use super::validation::{canonicalize, is_repeated_schemas};
use super::{
    AttrPath, Filter, Matcher, PatchKind, PatchOp, PatchOperation, Resolved, ResourceSchema, ScimError, Target,
};

/// Applies `patch` to `resource` (in stored form) and returns the new stored form, checked
/// and canonicalized like a PUT body. `resource` itself is never modified, so a failing
/// operation leaves nothing half-applied.
pub fn apply_patch(
    schema: &ResourceSchema,
    resource: &Map<String, Value>,
    patch: &PatchOp,
) -> Result<Map<String, Value>, ScimError> {
    let mut working = resource.clone();
    for (i, op) in patch.operations.iter().enumerate() {
        apply_operation(schema, &mut working, op)
            .map_err(|e| ScimError { detail: format!("Operations[{i}]: {}", e.detail), ..e })?;
    }
    canonicalize(schema, &Value::Object(working))
}

fn apply_operation(
    schema: &ResourceSchema,
    resource: &mut Map<String, Value>,
    op: &PatchOperation,
) -> Result<(), ScimError> {
    match &op.path {
        Some(path) => apply_at(schema, resource, op.kind, &path.attr, path.filter.as_ref(), op.value.as_ref()),
        None => {
            let Some(Value::Object(values)) = &op.value else {
                return Err(ScimError::invalid_syntax("a path-less operation needs an object value"));
            };
            for (key, value) in values {
                let path: AttrPath =
                    key.parse().map_err(|e| ScimError::invalid_path(format!("value key {key:?}: {e}")))?;
                apply_at(schema, resource, op.kind, &path, None, Some(value))?;
            }
            Ok(())
        }
    }
}

fn apply_at(
    schema: &ResourceSchema,
    resource: &mut Map<String, Value>,
    kind: PatchKind,
    path: &AttrPath,
    filter: Option<&Filter>,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    match schema.resolve(path)? {
        Target::Extension(ext) => {
            if filter.is_some() {
                return Err(ScimError::invalid_path(format!(
                    "{} is an extension, not a multi-valued attribute",
                    ext.id
                )));
            }
            if kind == PatchKind::Remove {
                resource.remove(&ext.id);
                return Ok(());
            }
            let Some(Value::Object(values)) = value else {
                return Err(ScimError::invalid_value(format!(
                    "{} expects an object of the extension's attributes",
                    ext.id
                )));
            };
            for (key, v) in values.iter().filter(|(k, v)| !is_repeated_schemas(k, v)) {
                let path: AttrPath = format!("{}:{key}", ext.id)
                    .parse()
                    .map_err(|e| ScimError::invalid_path(format!("{}: attribute {key:?}: {e}", ext.id)))?;
                apply_at(schema, resource, kind, &path, None, Some(v))?;
            }
            Ok(())
        }
        Target::Attribute(target) => apply_to_attribute(&target, resource, kind, filter, value),
    }
}

fn check_mutability(target: &Resolved<'_>, resource: &Map<String, Value>, kind: PatchKind) -> Result<(), ScimError> {
    let name = target.describe();
    if target.attr.name == "schemas" {
        return Err(ScimError::mutability(
            "schemas is maintained by the server from the attributes the resource carries",
        ));
    }
    for def in [Some(target.attr), target.sub].into_iter().flatten() {
        if def.mutability == Mutability::ReadOnly {
            return Err(ScimError::mutability(format!("{name} is readOnly")));
        }
    }
    let single = !target.attr.multi_valued;
    let immutable =
        target.leaf().mutability == Mutability::Immutable || target.attr.mutability == Mutability::Immutable;
    let has_value = target.value(resource).is_some_and(|v| !v.is_null());
    if single && immutable && has_value && kind != PatchKind::Add {
        return Err(ScimError::mutability(format!("{name} is immutable and already has a value")));
    }
    Ok(())
}

fn apply_to_attribute(
    target: &Resolved<'_>,
    resource: &mut Map<String, Value>,
    kind: PatchKind,
    filter: Option<&Filter>,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    if kind != PatchKind::Remove && filter.is_none() && value.is_some() && value == current(target, resource) {
        // Repeating a value is no modification, so it is not refused even for readOnly
        // attributes: Okta's group rename repeats the group's own `id` (okta-wire.md §1.10).
        return Ok(());
    }
    check_mutability(target, resource, kind)?;
    let attr = target.attr;
    let name = attr.name.as_str();
    let value = value.map(|v| canonical_keys(attr, target.sub, v)).transpose()?;
    let immutable = attr.mutability == Mutability::Immutable;
    let container = target.container_mut(resource);
    match (attr.multi_valued, filter, target.sub) {
        (false, Some(_), _) => Err(ScimError::invalid_path(format!(
            "{} is single-valued; value filters select elements of multi-valued attributes",
            target.describe()
        ))),
        (false, None, None) => {
            if immutable && kind == PatchKind::Add && container.get(name).is_some_and(|old| Some(old) != value.as_ref())
            {
                return Err(ScimError::mutability(format!(
                    "{} is immutable and already has a value",
                    target.describe()
                )));
            }
            match (kind, value) {
                (PatchKind::Remove, _) | (_, None | Some(Value::Null)) => {
                    container.remove(name);
                }
                (_, Some(Value::Object(subs))) if attr.kind == AttrType::Complex => {
                    let slot = object_slot(container, name);
                    for (k, v) in subs {
                        set_or_remove(slot, &k, v);
                    }
                }
                (_, Some(v)) => {
                    container.insert(name.to_string(), v);
                }
            }
            Ok(())
        }
        (false, None, Some(sub)) => {
            match (kind, value) {
                (PatchKind::Remove, _) | (_, None) => {
                    if let Some(Value::Object(object)) = container.get_mut(name) {
                        object.remove(&sub.name);
                    }
                }
                (_, Some(v)) => set_or_remove(object_slot(container, name), &sub.name, v),
            }
            Ok(())
        }
        (true, None, None) => {
            let incoming = value.map(into_elements).unwrap_or_default();
            match kind {
                PatchKind::Remove if incoming.is_empty() => {
                    container.remove(name);
                }
                PatchKind::Remove => {
                    let elements = array_slot(container, name);
                    elements.retain(|e| !incoming.iter().any(|given| same_element(given, e)));
                }
                PatchKind::Add => {
                    let elements = array_slot(container, name);
                    let first_new = elements.len();
                    for element in incoming {
                        if !elements.iter().any(|e| same_element(&element, e)) {
                            elements.push(element);
                        }
                    }
                    let added = first_new..elements.len();
                    demote_other_primaries(elements, added);
                }
                PatchKind::Replace => {
                    let mut elements = incoming;
                    let all = 0..elements.len();
                    demote_other_primaries(&mut elements, all);
                    container.insert(name.to_string(), Value::Array(elements));
                }
            }
            Ok(())
        }
        (true, None, Some(sub)) => match kind {
            PatchKind::Remove => {
                for element in array_slot(container, name).iter_mut() {
                    if let Value::Object(object) = element {
                        object.remove(&sub.name);
                    }
                }
                Ok(())
            }
            _ => Err(ScimError::invalid_path(format!(
                "{} is multi-valued; choose the elements to change with a value filter, e.g. {name}[type eq \"work\"].{}",
                target.describe(),
                sub.name
            ))),
        },
        (true, Some(filter), sub) => {
            let matcher = Matcher::for_elements(attr, filter).map_err(|e| ScimError::invalid_path(e.detail))?;
            let elements = array_slot(container, name);
            let mut matched: Vec<usize> =
                (0..elements.len()).filter(|&i| elements[i].as_object().is_some_and(|e| matcher.matches(e))).collect();
            if kind == PatchKind::Remove {
                let mut index = 0;
                elements.retain_mut(|element| {
                    let hit = matched.contains(&index);
                    index += 1;
                    match (hit, sub, element.as_object_mut()) {
                        (true, Some(sub), Some(object)) => {
                            object.remove(&sub.name);
                            true
                        }
                        (hit, _, _) => !hit,
                    }
                });
                return Ok(());
            }
            let value = value.unwrap_or(Value::Null);
            if matched.is_empty() {
                elements.push(Value::Object(element_from_filter(attr, filter)?));
                matched.push(elements.len() - 1);
            }
            for &i in &matched {
                let Some(element) = elements[i].as_object_mut() else { continue };
                match (sub, &value) {
                    (Some(sub), v) => set_or_remove(element, &sub.name, v.clone()),
                    (None, Value::Object(subs)) if kind == PatchKind::Add => {
                        for (k, v) in subs {
                            set_or_remove(element, k, v.clone());
                        }
                    }
                    (None, Value::Object(subs)) => *element = subs.clone(),
                    (None, other) => {
                        return Err(ScimError::invalid_value(format!(
                            "{name}[…] selects whole elements; send an object of sub-attributes, got {other}"
                        )));
                    }
                }
            }
            demote_other_primaries(elements, matched.iter().copied());
            Ok(())
        }
    }
}

/// The stored value the target names (the sub-attribute's, when it names one).
fn current<'r>(target: &Resolved<'_>, resource: &'r Map<String, Value>) -> Option<&'r Value> {
    let value = target.value(resource)?;
    match target.sub {
        Some(sub) => value.get(&sub.name),
        None => Some(value),
    }
}

/// Renames the sub-attribute keys of a complex value (or of each element) to the schema's
/// spelling, so `{"GivenName": …}` merges into `givenName` instead of duplicating it.
fn canonical_keys(attr: &Attribute, sub: Option<&Attribute>, value: &Value) -> Result<Value, ScimError> {
    if attr.kind != AttrType::Complex || sub.is_some() {
        return Ok(value.clone());
    }
    let rename = |object: &Map<String, Value>| -> Result<Value, ScimError> {
        object
            .iter()
            .map(|(k, v)| match attr.sub_attribute(k) {
                Some(def) => Ok((def.name.clone(), v.clone())),
                None => Err(ScimError::invalid_value(format!(
                    "{} has no sub-attribute {k:?}{}",
                    attr.name,
                    did_you_mean(k, attr.sub_attributes.iter().map(|a| a.name.as_str()))
                ))),
            })
            .collect::<Result<Map<_, _>, _>>()
            .map(Value::Object)
    };
    match value {
        Value::Object(object) => rename(object),
        Value::Array(items) => items
            .iter()
            .map(|item| item.as_object().map_or_else(|| Ok(item.clone()), rename))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

fn object_slot<'m>(container: &'m mut Map<String, Value>, name: &str) -> &'m mut Map<String, Value> {
    let slot = container.entry(name).or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut().unwrap_or_else(|| unreachable!("just made an object"))
}

fn array_slot<'m>(container: &'m mut Map<String, Value>, name: &str) -> &'m mut Vec<Value> {
    let slot = container.entry(name).or_insert_with(|| Value::Array(Vec::new()));
    if !slot.is_array() {
        *slot = Value::Array(Vec::new());
    }
    slot.as_array_mut().unwrap_or_else(|| unreachable!("just made an array"))
}

fn set_or_remove(object: &mut Map<String, Value>, key: &str, value: Value) {
    if value.is_null() {
        object.remove(key);
    } else {
        object.insert(key.to_string(), value);
    }
}

/// The elements a value carries, without unassigned (`null`) sub-attributes: Entra sends
/// `{"$ref": null, "value": "<id>"}` for members.
fn into_elements(value: Value) -> Vec<Value> {
    let items = match value {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        single => vec![single],
    };
    items
        .into_iter()
        .filter(|i| !i.is_null())
        .map(|item| match item {
            Value::Object(object) => Value::Object(object.into_iter().filter(|(_, v)| !v.is_null()).collect()),
            other => other,
        })
        .collect()
}

/// True when `given` designates the stored element `existing`: same `value`, and no other
/// sub-attribute present in both differs. Elements without `value` must be equal.
fn same_element(given: &Value, existing: &Value) -> bool {
    match (given.as_object(), existing.as_object()) {
        (Some(g), Some(e)) if g.contains_key("value") => {
            g.iter().all(|(k, v)| e.get(k).is_none_or(|ev| ev == v)) && g.get("value") == e.get("value")
        }
        _ => given == existing,
    }
}

fn is_primary(element: &Value) -> bool {
    match element.get("primary") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// When one of the `chosen` elements became primary, the others stop being primary
/// (RFC 7644 §3.5.2: at most one value may be primary).
fn demote_other_primaries(elements: &mut [Value], chosen: impl IntoIterator<Item = usize>) {
    let chosen: Vec<usize> = chosen.into_iter().collect();
    if !chosen.iter().any(|&i| elements.get(i).is_some_and(is_primary)) {
        return;
    }
    let keep = chosen.into_iter().rev().find(|&i| is_primary(&elements[i]));
    for (i, element) in elements.iter_mut().enumerate() {
        if Some(i) != keep
            && is_primary(element)
            && let Some(object) = element.as_object_mut()
        {
            object.insert("primary".into(), Value::Bool(false));
        }
    }
}

/// Builds the element a filtered `add`/`replace` creates when nothing matches (erratum 8097):
/// the filter must be `eq` comparisons on sub-attributes joined by `and`.
fn element_from_filter(attr: &Attribute, filter: &Filter) -> Result<Map<String, Value>, ScimError> {
    let pairs = equalities(filter).and_then(|pairs| {
        pairs.into_iter().map(|(name, value)| attr.sub_attribute(&name).map(|def| (def.name.clone(), value))).collect()
    });
    pairs.ok_or_else(|| {
        ScimError::no_target(format!(
            "no element of {} matches [{filter}], and only a filter of eq comparisons joined by 'and' can create one",
            attr.name
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::{ScimType, urn};
    use serde_json::json;

    fn bjensen() -> Map<String, Value> {
        json!({
            "schemas": [urn::USER, urn::ENTERPRISE_USER],
            "userName": "bjensen",
            "externalId": "ext-1",
            "name": {"givenName": "Barbara", "familyName": "Jensen"},
            "active": true,
            "emails": [{"value": "b@work", "type": "work", "primary": true}, {"value": "b@home", "type": "home"}],
            (urn::ENTERPRISE_USER): {"department": "Tour"}
        })
        .as_object()
        .unwrap()
        .clone()
    }

    fn patch_user(ops: Value) -> Result<Value, ScimError> {
        patch(&ResourceSchema::user(), &bjensen(), ops)
    }

    fn patch(schema: &ResourceSchema, resource: &Map<String, Value>, ops: Value) -> Result<Value, ScimError> {
        let op = PatchOp::from_json(&json!({"schemas": [urn::PATCH_OP], "Operations": ops}))?;
        apply_patch(schema, resource, &op).map(Value::Object)
    }

    #[test]
    fn replace_single_valued_legacy_and_flag_booleans() {
        let out = patch_user(json!([{"op": "Replace", "path": "active", "value": "False"}])).unwrap();
        assert_eq!(out["active"], false);
        let out = patch_user(json!([{"op": "replace", "path": "active", "value": true}])).unwrap();
        assert_eq!(out["active"], true);
        let out = patch_user(json!([{"op": "Replace", "path": "userName", "value": "babs"}])).unwrap();
        assert_eq!(out["userName"], "babs");
    }

    #[test]
    fn path_less_replace_with_dotted_and_urn_keys() {
        // entra-wire.md §1.3, the aadOptscim062020 form.
        let out = patch_user(json!([
            {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "new@work"},
            {"op": "replace", "value": {
                "displayName": "Pvlo",
                "name.givenName": "Ysmwr",
                "name.familyName": "Hpwy",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "Eqpj"
            }}
        ]))
        .unwrap();
        assert_eq!(out["displayName"], "Pvlo");
        assert_eq!(out["name"], json!({"givenName": "Ysmwr", "familyName": "Hpwy"}));
        assert_eq!(out[urn::ENTERPRISE_USER], json!({"department": "Tour", "employeeNumber": "Eqpj"}));
        assert_eq!(out["emails"][0], json!({"value": "new@work", "type": "work", "primary": true}));
    }

    #[test]
    fn path_less_add_with_whole_objects_merges() {
        let out = patch_user(json!([{"op": "add", "value": {
            "name": {"middleName": "J"},
            (urn::ENTERPRISE_USER): {"division": "North"},
            "nickName": "Babs"
        }}]))
        .unwrap();
        assert_eq!(out["name"], json!({"givenName": "Barbara", "familyName": "Jensen", "middleName": "J"}));
        assert_eq!(out[urn::ENTERPRISE_USER], json!({"department": "Tour", "division": "North"}));
        assert_eq!(out["nickName"], "Babs");
    }

    #[test]
    fn whole_extension_value_as_scim2_models_writes_it() {
        let out = patch_user(json!([{"op": "add", "path": urn::ENTERPRISE_USER, "value": {"schemas": [urn::ENTERPRISE_USER], "employeeNumber": "1"}}])).unwrap();
        assert_eq!(out[urn::ENTERPRISE_USER], json!({"department": "Tour", "employeeNumber": "1"}));
    }

    #[test]
    fn okta_path_less_deactivate() {
        let out = patch_user(json!([{"op": "replace", "value": {"active": false}}])).unwrap();
        assert_eq!(out["active"], false);
    }

    #[test]
    fn filtered_add_creates_missing_element_erratum_8097() {
        let out =
            patch_user(json!([{"op": "Add", "path": "phoneNumbers[type eq \"work\"].value", "value": "555"}])).unwrap();
        assert_eq!(out["phoneNumbers"], json!([{"type": "work", "value": "555"}]));
        let out = patch_user(
            json!([{"op": "Replace", "path": "addresses[type eq \"work\"].formatted", "value": "1 Main St"}]),
        )
        .unwrap();
        assert_eq!(out["addresses"], json!([{"type": "work", "formatted": "1 Main St"}]));
        let out =
            patch_user(json!([{"op": "add", "path": "roles[primary eq \"True\"].value", "value": "admin"}])).unwrap();
        assert_eq!(out["roles"], json!([{"primary": true, "value": "admin"}]));
        let err = patch_user(json!([{"op": "replace", "path": "phoneNumbers[type co \"w\"].value", "value": "1"}]))
            .unwrap_err();
        assert_eq!(err.scim_type, Some(ScimType::NoTarget));
        assert!(err.detail.contains("eq comparisons"), "{}", err.detail);
    }

    #[test]
    fn filtered_replace_of_whole_elements_and_add_merges() {
        let out = patch_user(
            json!([{"op": "replace", "path": "emails[type eq \"home\"]", "value": {"value": "h@x", "type": "home"}}]),
        )
        .unwrap();
        assert_eq!(out["emails"][1], json!({"value": "h@x", "type": "home"}));
        let out = patch_user(json!([{"op": "add", "path": "emails[type eq \"home\"]", "value": {"display": "Home"}}]))
            .unwrap();
        assert_eq!(out["emails"][1], json!({"value": "b@home", "type": "home", "display": "Home"}));
    }

    #[test]
    fn primary_moves_to_the_new_element() {
        let out = patch_user(
            json!([{"op": "add", "path": "emails", "value": [{"value": "n@x", "type": "other", "primary": true}]}]),
        )
        .unwrap();
        let primaries: Vec<&Value> =
            out["emails"].as_array().unwrap().iter().filter(|e| e["primary"] == true).collect();
        assert_eq!(primaries, [&json!({"value": "n@x", "type": "other", "primary": true})]);
        let out =
            patch_user(json!([{"op": "replace", "path": "emails[type eq \"home\"].primary", "value": true}])).unwrap();
        assert_eq!(out["emails"][0]["primary"], false);
        assert_eq!(out["emails"][1]["primary"], true);
    }

    #[test]
    fn remove_forms() {
        let out = patch_user(json!([{"op": "remove", "path": "emails[type eq \"home\"]"}])).unwrap();
        assert_eq!(out["emails"].as_array().unwrap().len(), 1);
        let out = patch_user(json!([{"op": "remove", "path": "emails[type eq \"nope\"]"}])).unwrap();
        assert_eq!(out["emails"].as_array().unwrap().len(), 2, "no match, no change");
        let out = patch_user(json!([{"op": "remove", "path": "emails"}])).unwrap();
        assert!(out.get("emails").is_none());
        let out = patch_user(json!([{"op": "remove", "path": "emails[type eq \"work\"].primary"}])).unwrap();
        assert!(out["emails"][0].get("primary").is_none());
        let out = patch_user(
            json!([{"op": "remove", "path": "name.givenName"}, {"op": "remove", "path": "name.familyName"}]),
        )
        .unwrap();
        assert!(out.get("name").is_none(), "an emptied complex attribute is unassigned");
        let out = patch_user(json!([{"op": "remove", "path": urn::ENTERPRISE_USER}])).unwrap();
        assert!(out.get(urn::ENTERPRISE_USER).is_none());
        assert_eq!(out["schemas"], json!([urn::USER]));
        let out = patch_user(json!([{"op": "remove", "path": "emails.type"}])).unwrap();
        assert!(out["emails"].as_array().unwrap().iter().all(|e| e.get("type").is_none()));
    }

    #[test]
    fn group_members_entra_legacy_and_flag() {
        let schema = ResourceSchema::group();
        let group = json!({"schemas": [urn::GROUP], "displayName": "G", "members": [{"value": "a", "type": "User"}, {"value": "b", "type": "User"}]});
        let group = group.as_object().unwrap();
        let out = patch(&schema, group, json!([{"op": "Add", "path": "members", "value": [{"$ref": null, "value": "c"}, {"$ref": null, "value": "a"}]}])).unwrap();
        let ids: Vec<&str> = out["members"].as_array().unwrap().iter().map(|m| m["value"].as_str().unwrap()).collect();
        assert_eq!(ids, ["a", "b", "c"], "adding an existing member changes nothing");
        let out =
            patch(&schema, group, json!([{"op": "Remove", "path": "members", "value": [{"value": "a"}]}])).unwrap();
        assert_eq!(out["members"], json!([{"value": "b", "type": "User"}]));
        let out = patch(&schema, group, json!([{"op": "remove", "path": "members[value eq \"b\"]"}])).unwrap();
        assert_eq!(out["members"], json!([{"value": "a", "type": "User"}]));
        let out = patch(&schema, group, json!([{"op": "replace", "value": {"displayName": "H"}}])).unwrap();
        assert_eq!(out["displayName"], "H");
        let out =
            patch(&schema, group, json!([{"op": "replace", "path": "members", "value": [{"value": "z"}]}])).unwrap();
        assert_eq!(out["members"], json!([{"value": "z"}]));
    }

    #[test]
    fn manager_as_bare_string_and_removal_by_empty_value() {
        // entra-wire.md §1.3 (current traffic) and §5.1 (validator removal).
        let path = format!("{}:manager", urn::ENTERPRISE_USER);
        let out = patch_user(json!([{"op": "add", "path": path, "value": "2c2f6fb8"}])).unwrap();
        assert_eq!(out[urn::ENTERPRISE_USER]["manager"], json!({"value": "2c2f6fb8"}));
        let managed = out.as_object().unwrap().clone();
        let out =
            patch(&ResourceSchema::user(), &managed, json!([{"op": "replace", "path": path, "value": ""}])).unwrap();
        assert!(out[urn::ENTERPRISE_USER].get("manager").is_none());
        let out =
            patch(&ResourceSchema::user(), &managed, json!([{"op": "replace", "path": path, "value": {"value": ""}}]))
                .unwrap();
        assert_eq!(out[urn::ENTERPRISE_USER], json!({"department": "Tour"}));
    }

    #[test]
    fn repeating_a_read_only_value_is_no_modification() {
        // okta-wire.md §1.10: Okta's rename repeats the group id in a path-less replace.
        let group = json!({"schemas": [urn::GROUP], "id": "g1", "displayName": "Old"});
        let out = patch(
            &ResourceSchema::group(),
            group.as_object().unwrap(),
            json!([{"op": "replace", "value": {"id": "g1", "displayName": "New"}}]),
        )
        .unwrap();
        assert_eq!(out["displayName"], "New");
        let err = patch(
            &ResourceSchema::group(),
            group.as_object().unwrap(),
            json!([{"op": "replace", "value": {"id": "g2"}}]),
        )
        .unwrap_err();
        assert_eq!(err.scim_type, Some(ScimType::Mutability));
    }

    #[test]
    fn mutability_is_enforced() {
        for (ops, needle) in [
            (json!([{"op": "replace", "path": "id", "value": "x"}]), "id is readOnly"),
            (json!([{"op": "replace", "path": "meta.lastModified", "value": "2020-01-01T00:00:00Z"}]), "readOnly"),
            (json!([{"op": "add", "path": "groups", "value": [{"value": "g"}]}]), "groups is readOnly"),
            (json!([{"op": "replace", "value": {"id": "x"}}]), "id is readOnly"),
            (json!([{"op": "replace", "path": "schemas", "value": []}]), "maintained by the server"),
            (
                json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName", "value": "x"}]),
                "readOnly",
            ),
        ] {
            let err = patch_user(ops.clone()).unwrap_err();
            assert_eq!(err.scim_type, Some(ScimType::Mutability), "{ops}");
            assert!(err.detail.contains(needle), "{ops}: {}", err.detail);
        }
    }

    #[test]
    fn errors_for_bad_targets_and_values() {
        let cases = [
            (
                json!([{"op": "replace", "path": "titel", "value": "x"}]),
                ScimType::InvalidPath,
                "did you mean \"title\"",
            ),
            (json!([{"op": "replace", "value": {"nope": 1}}]), ScimType::InvalidPath, "no attribute \"nope\""),
            (
                json!([{"op": "replace", "path": "userName[value eq \"x\"]", "value": "x"}]),
                ScimType::InvalidPath,
                "single-valued",
            ),
            (json!([{"op": "replace", "path": "emails.value", "value": "x"}]), ScimType::InvalidPath, "value filter"),
            (
                json!([{"op": "replace", "path": "emails[nope eq \"x\"].value", "value": "x"}]),
                ScimType::InvalidPath,
                "not a sub-attribute",
            ),
            (json!([{"op": "replace", "path": "active", "value": "maybe"}]), ScimType::InvalidValue, "true or false"),
            (json!([{"op": "remove", "path": "userName"}]), ScimType::InvalidValue, "userName is required"),
            (
                json!([{"op": "add", "path": "name", "value": {"gvenName": "x"}}]),
                ScimType::InvalidValue,
                "did you mean \"givenName\"",
            ),
            (
                json!([{"op": "replace", "path": "emails[type eq \"work\"]", "value": "x"}]),
                ScimType::InvalidValue,
                "selects whole elements",
            ),
        ];
        for (ops, scim_type, needle) in cases {
            let err = patch_user(ops.clone()).unwrap_err();
            assert_eq!(err.scim_type, Some(scim_type), "{ops}: {err}");
            assert!(err.detail.contains(needle), "{ops}: {}", err.detail);
        }
        let err = patch_user(
            json!([{"op": "replace", "path": "title", "value": "x"}, {"op": "replace", "path": "nope", "value": 1}]),
        )
        .unwrap_err();
        assert!(err.detail.starts_with("Operations[1]: "), "{}", err.detail);
    }

    #[test]
    fn immutable_attributes() {
        let mut schema = ResourceSchema::user();
        let ext = crate::scim::Schema::from_json(
            r#"{"id":"urn:acme:1.0:User","attributes":[{"name":"hireId","mutability":"immutable"}]}"#,
        )
        .unwrap();
        schema.add_extension(ext, false).unwrap();
        let out = patch(&schema, &bjensen(), json!([{"op": "add", "path": "hireId", "value": "h1"}])).unwrap();
        let hired = out.as_object().unwrap().clone();
        assert!(
            patch(&schema, &hired, json!([{"op": "add", "path": "hireId", "value": "h1"}])).is_ok(),
            "same value is no change"
        );
        for ops in [
            json!([{"op": "add", "path": "hireId", "value": "h2"}]),
            json!([{"op": "replace", "path": "hireId", "value": "h2"}]),
            json!([{"op": "remove", "path": "hireId"}]),
        ] {
            assert_eq!(patch(&schema, &hired, ops).unwrap_err().scim_type, Some(ScimType::Mutability));
        }
    }

    #[test]
    fn the_input_is_never_half_modified() {
        let original = bjensen();
        let op = PatchOp::from_json(&json!({"schemas": [urn::PATCH_OP], "Operations": [
            {"op": "replace", "path": "title", "value": "x"}, {"op": "replace", "path": "nope", "value": 1}
        ]}))
        .unwrap();
        assert!(apply_patch(&ResourceSchema::user(), &original, &op).is_err());
        assert_eq!(original, bjensen());
    }
}
