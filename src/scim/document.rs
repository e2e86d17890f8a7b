//! Reading and writing a value at an attribute path in a SCIM JSON document, without a schema.
//!
//! Clients build request bodies from target paths (`name.givenName`,
//! `emails[type eq "work"].value`, `urn:…:enterprise:2.0:User:department`) and read the
//! current value behind a path from a server's answer. Both follow the wire conventions of
//! RFC 7644 §3.10: an extension URN is an object key, a core-schema URN qualifies top-level
//! attributes, `a.b` is a sub-attribute, and a value filter selects elements of an array. Names
//! are matched case-insensitively on read, as servers must treat them (RFC 7643 §2.1).

use serde_json::{Map, Value};

use super::{CompValue, CompareOp, Filter, PatchPath, urn};

/// True when `urn` names a core schema, whose attributes live at the top level.
fn is_core(urn: &str) -> bool {
    urn.eq_ignore_ascii_case(urn::USER) || urn.eq_ignore_ascii_case(urn::GROUP)
}

fn get_ci<'v>(object: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    object.get(key).or_else(|| object.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
}

/// The `eq` comparisons of a filter made only of `eq` joined by `and`, as (sub-attribute,
/// value) pairs; `None` for any other filter.
pub fn equalities(filter: &Filter) -> Option<Vec<(String, Value)>> {
    match filter {
        Filter::Compare(path, CompareOp::Eq, value) if path.urn.is_none() && path.sub.is_none() => {
            let value = match value {
                CompValue::Str(s) => Value::String(s.clone()),
                CompValue::Bool(b) => Value::Bool(*b),
                CompValue::Number(n) => Value::Number(n.clone()),
                CompValue::Null => return None,
            };
            Some(vec![(path.name.clone(), value)])
        }
        Filter::And(items) => items.iter().map(equalities).try_fold(Vec::new(), |mut all, part| {
            all.extend(part?);
            Some(all)
        }),
        _ => None,
    }
}

/// True when `element` has every (sub-attribute, value) pair; strings compare without case,
/// and a boolean matches its string spelling (`primary eq "True"`, entra-wire.md §1.3).
fn element_matches(element: &Map<String, Value>, pairs: &[(String, Value)]) -> bool {
    pairs.iter().all(|(name, expected)| match (get_ci(element, name), expected) {
        (Some(Value::String(a)), Value::String(b)) => a.eq_ignore_ascii_case(b),
        (Some(Value::Bool(a)), Value::String(b)) => b.eq_ignore_ascii_case(if *a { "true" } else { "false" }),
        (Some(a), b) => a == b,
        (None, _) => false,
    })
}

/// The value at `path` in `document`, if any. For a filtered path, the first matching
/// element (or its sub-attribute). Filters other than `eq` … `and` select nothing.
pub fn get_path<'d>(document: &'d Map<String, Value>, path: &PatchPath) -> Option<&'d Value> {
    let container = match &path.attr.urn {
        Some(u) if !is_core(u) => get_ci(document, u)?.as_object()?,
        _ => document,
    };
    let value = get_ci(container, &path.attr.name)?;
    let value = match &path.filter {
        None => value,
        Some(filter) => {
            let pairs = equalities(filter)?;
            value.as_array()?.iter().find(|e| e.as_object().is_some_and(|o| element_matches(o, &pairs)))?
        }
    };
    match &path.attr.sub {
        None => Some(value),
        Some(sub) => get_ci(value.as_object()?, sub),
    }
}

/// Sets `value` at `path`, creating what is missing: the extension object, the complex
/// attribute, and for a filtered path the array element the filter describes (as RFC 7644
/// erratum 8097 has servers do). Returns `false`, changing nothing, when the path has a
/// filter other than `eq` … `and`.
pub fn set_path(document: &mut Map<String, Value>, path: &PatchPath, value: Value) -> bool {
    let pairs = match &path.filter {
        Some(filter) => match equalities(filter) {
            Some(pairs) => Some(pairs),
            None => return false,
        },
        None => None,
    };
    let container = match &path.attr.urn {
        Some(u) if !is_core(u) => object_entry(document, u),
        _ => document,
    };
    match (pairs, &path.attr.sub) {
        (None, None) => {
            container.insert(spelling(container, &path.attr.name), value);
        }
        (None, Some(sub)) => {
            let object = object_entry(container, &path.attr.name);
            object.insert(spelling(object, sub), value);
        }
        (Some(pairs), sub) => {
            let slot =
                container.entry(spelling(container, &path.attr.name)).or_insert_with(|| Value::Array(Vec::new()));
            if !slot.is_array() {
                *slot = Value::Array(Vec::new());
            }
            let Value::Array(items) = slot else { return false };
            let index = items.iter().position(|e| e.as_object().is_some_and(|o| element_matches(o, &pairs)));
            let index = index.unwrap_or_else(|| {
                items.push(Value::Object(pairs.into_iter().collect()));
                items.len() - 1
            });
            match (sub, &mut items[index]) {
                (Some(sub), Value::Object(element)) => {
                    element.insert(spelling(element, sub), value);
                }
                (None, element) => {
                    if let (Value::Object(target), Value::Object(fields)) = (element, value) {
                        target.extend(fields);
                    }
                }
                (Some(_), _) => return false,
            }
        }
    }
    true
}

/// The key to write `key` under: the spelling `map` already uses for it (names are
/// case-insensitive, so a server's `UserName` is overwritten, not joined by `userName`), else
/// `key` itself.
fn spelling(map: &Map<String, Value>, key: &str) -> String {
    // One pass over the keys (a resource has tens at most): cheaper than hashing `key` first.
    let mut folded = None;
    for k in map.keys() {
        if k == key {
            return key.to_string();
        }
        if folded.is_none() && k.eq_ignore_ascii_case(key) {
            folded = Some(k);
        }
    }
    folded.map_or_else(|| key.to_string(), Clone::clone)
}

fn object_entry<'m>(map: &'m mut Map<String, Value>, key: &str) -> &'m mut Map<String, Value> {
    let slot = map.entry(spelling(map, key)).or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut().unwrap_or_else(|| unreachable!("just made an object"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn path(s: &str) -> PatchPath {
        s.parse().unwrap()
    }

    #[test]
    fn builds_an_entra_create_body_from_target_paths() {
        let mut doc = Map::new();
        for (p, v) in [
            ("userName", json!("alice@contoso.com")),
            ("name.givenName", json!("Alice")),
            ("name.familyName", json!("Smith")),
            (r#"emails[type eq "work"].value"#, json!("alice@contoso.com")),
            (r#"phoneNumbers[type eq "mobile"].value"#, json!("555")),
            ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", json!("Retail")),
            ("urn:omni:params:1.0:UserAttribute:blob_entity", json!("b")),
            ("urn:ietf:params:scim:schemas:core:2.0:User:displayName", json!("Alice Smith")),
        ] {
            assert!(set_path(&mut doc, &path(p), v));
        }
        assert_eq!(
            Value::Object(doc),
            json!({
                "userName": "alice@contoso.com",
                "name": {"givenName": "Alice", "familyName": "Smith"},
                "emails": [{"type": "work", "value": "alice@contoso.com"}],
                "phoneNumbers": [{"type": "mobile", "value": "555"}],
                (urn::ENTERPRISE_USER): {"department": "Retail"},
                "urn:omni:params:1.0:UserAttribute": {"blob_entity": "b"},
                "displayName": "Alice Smith"
            })
        );
    }

    #[test]
    fn filtered_paths_reuse_the_matching_element() {
        let mut doc = json!({"emails": [{"type": "home", "value": "h"}]}).as_object().unwrap().clone();
        set_path(&mut doc, &path(r#"emails[type eq "work"].value"#), json!("w"));
        set_path(&mut doc, &path(r#"emails[type eq "work"].primary"#), json!(true));
        assert_eq!(
            doc["emails"],
            json!([{"type": "home", "value": "h"}, {"type": "work", "value": "w", "primary": true}])
        );
        assert!(!set_path(&mut doc, &path(r#"emails[type co "w"].value"#), json!("x")));
    }

    #[test]
    fn writes_over_the_spelling_a_document_already_uses() {
        let mut doc = json!({"UserName": "a", "Name": {"GivenName": "A"}, "Emails": [{"Type": "work", "Value": "w"}]})
            .as_object()
            .unwrap()
            .clone();
        set_path(&mut doc, &path("userName"), json!("b"));
        set_path(&mut doc, &path("name.givenName"), json!("B"));
        set_path(&mut doc, &path(r#"emails[type eq "work"].value"#), json!("x"));
        assert_eq!(
            Value::Object(doc),
            json!({"UserName": "b", "Name": {"GivenName": "B"}, "Emails": [{"Type": "work", "Value": "x"}]})
        );
    }

    #[test]
    fn reads_case_insensitively_and_through_filters() {
        let doc = json!({
            "UserName": "a",
            "name": {"GivenName": "Alice"},
            "emails": [{"type": "Work", "value": "w"}],
            "roles": [{"primary": true, "value": "admin"}],
            (urn::ENTERPRISE_USER): {"manager": {"value": "m1"}}
        });
        let doc = doc.as_object().unwrap();
        assert_eq!(get_path(doc, &path("userName")), Some(&json!("a")));
        assert_eq!(get_path(doc, &path("name.givenName")), Some(&json!("Alice")));
        assert_eq!(get_path(doc, &path(r#"emails[type eq "work"].value"#)), Some(&json!("w")));
        assert_eq!(get_path(doc, &path(r#"roles[primary eq "True"].value"#)), Some(&json!("admin")));
        assert_eq!(get_path(doc, &path(&format!("{}:manager", urn::ENTERPRISE_USER))), Some(&json!({"value": "m1"})));
        assert_eq!(get_path(doc, &path(r#"emails[type eq "home"].value"#)), None);
        assert_eq!(get_path(doc, &path("nickName")), None);
    }

    #[test]
    fn equalities_of_filters() {
        let f: Filter = r#"type eq "work" and primary eq true"#.parse().unwrap();
        assert_eq!(equalities(&f), Some(vec![("type".into(), json!("work")), ("primary".into(), json!(true))]));
        assert_eq!(equalities(&r#"type co "w""#.parse().unwrap()), None);
        assert_eq!(equalities(&r#"type eq "a" or type eq "b""#.parse().unwrap()), None);
    }
}
