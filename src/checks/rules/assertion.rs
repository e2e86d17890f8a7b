//! What a successful write asserts about the resource afterwards: each attribute value a POST or
//! PUT body, or an `add`/`replace` operation of a PATCH, sets. A later representation of the
//! resource shows the write when every assertion holds in it.
//!
//! Only what can be judged without the server's schema is asserted: single values, lists of
//! single values, and the sub-attributes of complex values. Lists of complex values (`emails`,
//! `members`), filtered paths, `remove`, readOnly attributes (`id`, `meta`, `groups`),
//! `password` (returned never), and empty or null values (a server may store them as
//! unassigned, RFC 7643 §2.5) assert nothing.

use serde_json::{Map, Value};

use crate::scim::{AttrPath, PatchKind, PatchOp, PatchPath, get_path, parse_date_time, urn};

use super::lookup::body_pointer;

/// Attributes a write may carry that the resource does not echo: readOnly ones (RFC 7643 §3.1,
/// §4.1.2 `groups`) and `password` (returned "never", RFC 7643 §4.1.1).
const NOT_ECHOED: [&str; 5] = ["id", "meta", "schemas", "groups", "password"];

/// One attribute value a write sets.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Assertion {
    /// Where the value lives. A URN-qualified key holding an object is read both ways the
    /// wire allows: as an extension holding attributes (`urn:…:User` + `department`) and as a
    /// complex attribute holding sub-attributes (`urn:…:User:manager` + `value`).
    readings: Vec<AttrPath>,
    /// The value written, as sent (`"False"` from Entra's legacy dialect included).
    pub value: Value,
}

impl Assertion {
    /// What the `add` and `replace` operations of a PATCH body assert.
    pub fn of_patch(body: &Value) -> Vec<Self> {
        let mut out = Vec::new();
        let Ok(patch) = PatchOp::from_json(body) else { return out };
        for operation in patch.operations {
            let Some(value) = &operation.value else { continue };
            match (operation.kind, &operation.path) {
                (PatchKind::Remove, _) => {}
                (_, Some(PatchPath { attr, filter: None })) => expand(&attr.to_string(), value, &mut out),
                (_, Some(_)) => {}
                (_, None) => {
                    for (key, value) in value.as_object().into_iter().flatten() {
                        expand(key, value, &mut out);
                    }
                }
            }
        }
        out
    }

    /// What a POST or PUT body asserts.
    pub fn of_resource(body: &Value) -> Vec<Self> {
        let mut out = Vec::new();
        for (key, value) in body.as_object().into_iter().flatten() {
            expand(key, value, &mut out);
        }
        out
    }

    /// Whether the value lives in an extension schema (enterprise or custom), not the core.
    pub fn is_extension(&self) -> bool {
        self.readings.iter().all(|reading| reading.urn.as_deref().is_some_and(|u| !is_core(u)))
    }

    /// The attribute's name without schema or sub-attribute, as `attributes=` would list it.
    pub fn name(&self) -> &str {
        &self.readings[0].name
    }

    /// Whether this sets the core attribute `name` (no sub-attribute) to `value`.
    pub fn sets(&self, name: &str, value: &Value) -> bool {
        let attr = &self.readings[0];
        attr.sub.is_none()
            && attr.urn.as_deref().is_none_or(is_core)
            && attr.name.eq_ignore_ascii_case(name)
            && same(&self.value, value)
    }

    /// The attribute as the write named it.
    pub fn path(&self) -> String {
        self.readings[0].to_string()
    }

    /// Whether `resource` shows the value.
    pub fn holds_in(&self, resource: &Value) -> bool {
        self.readings.iter().any(|reading| found(resource, reading).is_some_and(|actual| same(&self.value, actual)))
    }

    /// What `resource` holds where the value should be, if anything.
    pub fn found_in<'r>(&self, resource: &'r Value) -> Option<&'r Value> {
        self.readings.iter().find_map(|reading| found(resource, reading))
    }

    /// A pointer into the response body at the value.
    pub fn pointer(&self) -> String {
        let reading = &self.readings[0];
        let urn = reading.urn.as_deref().filter(|u| !is_core(u));
        body_pointer(&urn.into_iter().chain([reading.name.as_str()]).chain(reading.sub.as_deref()).collect::<Vec<_>>())
    }
}

fn found<'r>(resource: &'r Value, reading: &AttrPath) -> Option<&'r Value> {
    get_path(resource.as_object()?, &PatchPath { attr: reading.clone(), filter: None })
}

fn is_core(schema: &str) -> bool {
    schema.eq_ignore_ascii_case(urn::USER) || schema.eq_ignore_ascii_case(urn::GROUP)
}

/// Whether `value` asserts nothing: null, blank, an empty list, or a list of complex values.
fn asserts_nothing(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(items) => items.is_empty() || items.iter().any(|i| i.is_object() || i.is_array()),
        _ => false,
    }
}

/// Adds the assertions of `value` written at `key` (an attribute path as the wire spells it:
/// `title`, `name.givenName`, `urn:…:User:department`, or a whole extension `urn:…:User`).
fn expand(key: &str, value: &Value, out: &mut Vec<Assertion>) {
    let Ok(attr) = key.parse::<AttrPath>() else { return };
    if attr.sub.is_none()
        && attr.urn.as_deref().is_none_or(is_core)
        && NOT_ECHOED.iter().any(|n| n.eq_ignore_ascii_case(&attr.name))
    {
        return;
    }
    let Value::Object(fields) = value else {
        if !asserts_nothing(value) {
            out.push(Assertion { readings: vec![attr], value: value.clone() });
        }
        return;
    };
    for (name, field) in fields {
        let mut readings = Vec::new();
        if urn::has_urn_prefix(key) {
            match field {
                Value::Object(subs) => {
                    for (sub, inner) in subs {
                        push_parsed(&format!("{key}:{name}.{sub}"), inner, out);
                    }
                }
                _ => readings.extend(format!("{key}:{name}").parse::<AttrPath>()),
            }
        }
        if attr.sub.is_none() && !field.is_object() {
            readings.push(attr.clone().with_sub(name));
        }
        if !readings.is_empty() && !asserts_nothing(field) {
            out.push(Assertion { readings, value: field.clone() });
        }
    }
}

/// Adds the assertion that the single value `value` lives at `key`.
fn push_parsed(key: &str, value: &Value, out: &mut Vec<Assertion>) {
    if value.is_object() || asserts_nothing(value) {
        return;
    }
    if let Ok(attr) = key.parse::<AttrPath>() {
        out.push(Assertion { readings: vec![attr], value: value.clone() });
    }
}

/// Whether `actual` shows `expected` for a reader as lenient as the RFC asks: strings without
/// case (most attributes are caseExact false, RFC 7643 §2.1), a boolean or number and its
/// string spelling (Entra's legacy `"False"`, entra-wire.md §1.5), date-times at the same
/// instant, a single value and the `value` of the complex attribute a server stores it in
/// (Entra's bare-string `manager`, entra-wire.md §1.3), and a list that holds every element
/// written (an `add` appends).
pub(super) fn same(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Array(wanted), Value::Array(held)) => wanted.iter().all(|w| held.iter().any(|h| same(w, h))),
        (_, Value::Object(complex)) if !expected.is_object() => value_of(complex).is_some_and(|v| same(expected, v)),
        (Value::String(a), Value::String(b)) => {
            a.eq_ignore_ascii_case(b)
                || matches!((parse_date_time(a), parse_date_time(b)), (Some(x), Some(y)) if x == y)
        }
        (Value::String(s), Value::Bool(b)) | (Value::Bool(b), Value::String(s)) => {
            s.eq_ignore_ascii_case(if *b { "true" } else { "false" })
        }
        (Value::String(s), Value::Number(n)) | (Value::Number(n), Value::String(s)) => {
            s.trim().parse::<f64>().ok().zip(n.as_f64()).is_some_and(|(a, b)| a == b)
        }
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => expected == actual,
    }
}

fn value_of(complex: &Map<String, Value>) -> Option<&Value> {
    complex.iter().find(|(k, _)| k.eq_ignore_ascii_case("value")).map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const ENTERPRISE: &str = urn::ENTERPRISE_USER;

    fn paths(assertions: &[Assertion]) -> Vec<String> {
        assertions.iter().map(Assertion::path).collect()
    }

    #[test]
    fn a_patch_asserts_its_adds_and_replaces() {
        let body = json!({"schemas": [urn::PATCH_OP], "Operations": [
            {"op": "Replace", "path": "active", "value": "False"},
            {"op": "add", "path": "name.givenName", "value": "Al"},
            {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "x@y"},
            {"op": "remove", "path": "title"},
            {"op": "add", "path": "members", "value": [{"value": "u1"}]},
            {"op": "replace", "value": {"id": "g1", "displayName": "Ops", "name.familyName": "S",
                (format!("{ENTERPRISE}:employeeNumber")): "7", (ENTERPRISE): {"department": "R"}}}
        ]});
        assert_eq!(
            paths(&Assertion::of_patch(&body)),
            [
                "active",
                "name.givenName",
                "displayName",
                "name.familyName",
                &format!("{ENTERPRISE}:employeeNumber"),
                &format!("{ENTERPRISE}:department"),
            ]
        );
        assert!(Assertion::of_patch(&json!({"Operations": []})).is_empty());
    }

    #[test]
    fn a_resource_body_asserts_its_attributes_but_not_read_only_ones() {
        let body = json!({
            "schemas": [urn::USER], "id": "1", "userName": "a", "password": "p", "groups": [],
            "name": {"givenName": "A", "familyName": ""}, "roles": [],
            (ENTERPRISE): {"department": "R", "manager": {"value": "m1"}},
            "urn:omni:params:1.0:UserAttribute": {"tags": ["a", "b"]}
        });
        let assertions = Assertion::of_resource(&body);
        let extension: Vec<bool> = assertions.iter().map(Assertion::is_extension).collect();
        assert_eq!(paths(&assertions).len(), 5, "{:?}", paths(&assertions));
        assert_eq!(extension, [false, false, true, true, true]);
        let stored = json!({"userName": "A", "name": {"givenName": "a"},
            (ENTERPRISE): {"Department": "r", "manager": {"value": "m1", "$ref": "x"}},
            "urn:omni:params:1.0:UserAttribute": {"tags": ["b", "a", "c"]}});
        assert!(assertions.iter().all(|a| a.holds_in(&stored)), "{assertions:#?}");
        assert_eq!(assertions[2].pointer(), format!("/response/body/{ENTERPRISE}/department"));
    }

    #[test]
    fn a_urn_keyed_object_may_be_a_complex_attribute() {
        let body = json!({"schemas": [urn::PATCH_OP], "Operations": [
            {"op": "replace", "value": {(format!("{ENTERPRISE}:manager")): {"value": "m2"}}}
        ]});
        let [assertion] = Assertion::of_patch(&body).try_into().unwrap();
        assert!(assertion.holds_in(&json!({(ENTERPRISE): {"manager": {"value": "m2"}}})));
        assert!(!assertion.holds_in(&json!({(ENTERPRISE): {"manager": {"value": "m1"}}})));
        assert_eq!(assertion.found_in(&json!({(ENTERPRISE): {"manager": {"value": "m1"}}})), Some(&json!("m1")));
    }

    #[test]
    fn values_compare_leniently() {
        assert!(same(&json!("False"), &json!(false)));
        assert!(!same(&json!("False"), &json!(true)));
        assert!(same(&json!("42"), &json!(42)) && same(&json!(1), &json!(1.0)));
        assert!(same(&json!("ALICE"), &json!("alice")));
        assert!(same(&json!("2020-01-01T00:00:00Z"), &json!("2020-01-01T01:00:00.000+01:00")));
        assert!(same(&json!("m1"), &json!({"Value": "m1", "$ref": "../Users/m1"})));
        assert!(!same(&json!(["a", "z"]), &json!(["a", "b"])));
        assert!(!same(&json!("x"), &json!(null)));
    }
}
